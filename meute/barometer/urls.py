from django.urls import path

from meute.barometer import views

app_name = "barometer"
urlpatterns = [
    path("reseaux/<slug:slug>/conjoncture/", views.network, name="network"),
    path("reseaux/<slug:slug>/conjoncture/repondre/", views.answer, name="answer"),
    path("observatoire/conjoncture/", views.territory, name="territory"),
]
