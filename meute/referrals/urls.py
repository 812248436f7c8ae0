from django.urls import path

from meute.referrals import views

app_name = "referrals"
urlpatterns = [
    path("reseaux/<slug:slug>/recommandations/", views.mine, name="mine"),
    path("reseaux/<slug:slug>/recommandations/nouvelle/", views.create, name="create"),
    path("reseaux/<slug:slug>/recommandations/bilan/", views.figures, name="figures"),
    path("reseaux/<slug:slug>/recommandations/<int:pk>/", views.detail, name="detail"),
    path("reseaux/<slug:slug>/recommandations/<int:pk>/affaire/", views.outcome, name="outcome"),
    path("observatoire/recommandations/", views.chamber, name="chamber"),
]
