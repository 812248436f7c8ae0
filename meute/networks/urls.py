from django.urls import path

from meute.networks import views

app_name = "networks"
urlpatterns = [
    path("reseaux/", views.directory, name="directory"),
    path("reseaux/mes-reseaux/", views.managed, name="managed"),
    path("reseaux/<slug:slug>/", views.detail, name="detail"),
    path("reseaux/<slug:slug>/membres/", views.members, name="members"),
    path("reseaux/<slug:slug>/modifier/", views.edit, name="edit"),
    path("reseaux/<slug:slug>/rejoindre/", views.join, name="join"),
    path("ne-pas-rester-seul/", views.questionnaire, name="questionnaire"),
]
