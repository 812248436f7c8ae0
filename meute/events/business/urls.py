"""URLs of business-meeting days, included in the "events" namespace."""

from django.urls import URLPattern, path

from meute.events.business import views

urlpatterns: list[URLPattern] = [
    path("evenements/<int:pk>/rendez-vous/", views.requests, name="business_requests"),
    path("evenements/<int:pk>/rendez-vous/participants/", views.participants, name="business_participants"),
    path("evenements/<int:pk>/rendez-vous/profil/", views.profile, name="business_profile"),
    path("evenements/<int:pk>/rendez-vous/disponibilites/", views.availability, name="business_availability"),
    path(
        "evenements/<int:pk>/rendez-vous/demander/<int:registration_id>/",
        views.request_create,
        name="business_request_create",
    ),
    path(
        "evenements/<int:pk>/rendez-vous/demandes/<int:request_id>/reponse/",
        views.request_answer,
        name="business_request_answer",
    ),
    path("evenements/<int:pk>/rendez-vous/agenda/", views.agenda, name="business_agenda"),
    path("evenements/<int:pk>/rendez-vous/agenda.ics", views.agenda_ics, name="business_agenda_ics"),
    path("evenements/<int:pk>/rendez-vous/placement/", views.placement, name="business_placement"),
]
