"""Speed-meeting URLs, included in the events app (names prefixed ``speed_``)."""

from django.urls import URLPattern, path

from meute.events.speed import views

P = "evenements/<int:pk>/rencontres/"

urlpatterns: list[URLPattern] = [
    path(P, views.speed_manage, name="speed_manage"),
    path(P + "profil/", views.speed_profile, name="speed_profile"),
    path(P + "calcul/", views.speed_generate, name="speed_generate"),
    path(P + "avancement/", views.speed_progress, name="speed_progress"),
    path(P + "verrouiller/", views.speed_lock, name="speed_lock"),
    path(P + "echanger/", views.speed_swap, name="speed_swap"),
    path(P + "publier/", views.speed_publish, name="speed_publish"),
    path(P + "replanifier/", views.speed_replan, name="speed_replan"),
    path(P + "plan-de-tables.pdf", views.speed_tables_pdf, name="speed_tables_pdf"),
    path(P + "mon-programme/", views.speed_agenda, name="speed_agenda"),
    path(P + "mon-programme.pdf", views.speed_agenda_pdf, name="speed_agenda_pdf"),
    path(P + "mon-programme.ics", views.speed_agenda_ics, name="speed_agenda_ics"),
    path(
        P + "programme/<int:registration_id>/",
        views.speed_participant_agenda,
        name="speed_participant_agenda",
    ),
]
