from django.urls import path

from meute.api import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.tokens, name="list"),
    path("<int:pk>/revoquer/", views.revoke, name="revoke"),
]
