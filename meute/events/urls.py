from django.urls import path

from meute.events import views
from meute.events.business import urls as business_urls
from meute.events.outcomes import urls as outcome_urls
from meute.events.speed import urls as speed_urls

app_name = "events"
urlpatterns = [
    path("evenements/", views.event_list, name="list"),
    path("evenements/mes-evenements/", views.my_events, name="mine"),
    path("evenements/nouveau/", views.event_edit, name="create"),
    path("evenements/<int:pk>/", views.event_detail, name="detail"),
    path("evenements/<int:pk>/modifier/", views.event_edit, name="edit"),
    path("evenements/<int:pk>/inscription/", views.register, name="register"),
    path("evenements/<int:pk>/annulation/", views.cancel, name="cancel"),
    path("evenements/<int:pk>/evenement.ics", views.event_ics, name="ics"),
    path("evenements/<int:pk>/inscrits/", views.registrations, name="registrations"),
    path("evenements/<int:pk>/pointage/", views.checkin, name="checkin"),
    path("evenements/<int:pk>/pointage/sur-place/", views.checkin_walk_in, name="walk_in"),
    path("evenements/<int:pk>/pointage/<int:registration_id>/", views.checkin_mark, name="checkin_mark"),
    path("calendrier/<str:token>.ics", views.feed_ics, name="feed"),
    *speed_urls.urlpatterns,
    *business_urls.urlpatterns,
    *outcome_urls.urlpatterns,
]
