from django.urls import path

from meute.attendance import views

app_name = "attendance"
urlpatterns = [
    path("reseaux/<slug:slug>/reunions/", views.meetings, name="meetings"),
    path("reseaux/<slug:slug>/reunions/<int:event_id>/presences/", views.take, name="take"),
    path("reseaux/<slug:slug>/assiduite/", views.mine, name="mine"),
    path("reseaux/<slug:slug>/assiduite/suivi/", views.at_risk, name="at_risk"),
    path("reseaux/<slug:slug>/visiteurs/", views.visitors, name="visitors"),
    path("reseaux/<slug:slug>/visiteurs/<int:pk>/", views.visitor_detail, name="visitor"),
]
