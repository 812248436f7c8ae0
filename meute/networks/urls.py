from django.urls import path

from meute.networks import views

app_name = "networks"
urlpatterns = [
    path("reseaux/", views.directory, name="directory"),
    path("reseaux/mes-reseaux/", views.managed, name="managed"),
    path("reseaux/mes-candidatures/", views.applications, name="applications"),
    path("reseaux/candidatures/<int:pk>/accepter-la-place/", views.offer_accept, name="offer_accept"),
    path("reseaux/candidatures/<int:pk>/decliner-la-place/", views.offer_decline, name="offer_decline"),
    path("reseaux/candidatures/<int:pk>/parrainage/", views.sponsor_answer, name="sponsor_answer"),
    path("reseaux/invitations/<str:token>/", views.invitation, name="invitation"),
    path("reseaux/<slug:slug>/", views.detail, name="detail"),
    path("reseaux/<slug:slug>/membres/", views.members, name="members"),
    path("reseaux/<slug:slug>/modifier/", views.edit, name="edit"),
    path("reseaux/<slug:slug>/rejoindre/", views.join, name="join"),
    path("reseaux/<slug:slug>/quitter/", views.leave, name="leave"),
    path("reseaux/<slug:slug>/proposer/", views.propose, name="propose"),
    path("reseaux/<slug:slug>/gestion/", views.manage, name="manage"),
    path("reseaux/<slug:slug>/gestion/<int:pk>/accepter/", views.approve, name="approve"),
    path("reseaux/<slug:slug>/gestion/<int:pk>/refuser/", views.refuse, name="refuse"),
    path("reseaux/<slug:slug>/gestion/<int:pk>/role/", views.set_role, name="set_role"),
    path("reseaux/<slug:slug>/gestion/<int:pk>/depart/", views.mark_left, name="mark_left"),
    path(
        "reseaux/<slug:slug>/gestion/<int:pk>/<str:direction>/",
        views.waitlist_move,
        name="waitlist_move",
    ),
    path("reseaux/<slug:slug>/journal/", views.audit, name="audit"),
    path("reseaux/<slug:slug>/contacts.csv", views.contacts_export, name="contacts_export"),
    path("ne-pas-rester-seul/", views.questionnaire, name="questionnaire"),
]
