from django.urls import path

from meute.operations import views

app_name = "operations"
urlpatterns = [path("sante/", views.health, name="health")]
