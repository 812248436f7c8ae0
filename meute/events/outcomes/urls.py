"""URLs of outcomes, included in the "events" namespace.

The chamber-wide page is "evenements/bilan/": "bilan" is not an integer, so it
never matches "evenements/<int:pk>/".
"""

from django.urls import URLPattern, path

from meute.events.outcomes import views

urlpatterns: list[URLPattern] = [
    path("evenements/bilan/", views.outcome_chamber, name="outcome_chamber"),
    path("evenements/<int:pk>/bilan/", views.outcome_event, name="outcome_event"),
    path("evenements/<int:pk>/bilan/mes-rencontres/", views.outcome_rate, name="outcome_rate"),
    path(
        "evenements/<int:pk>/bilan/mes-rencontres/<int:registration_id>/",
        views.outcome_rate_save,
        name="outcome_rate_save",
    ),
]
