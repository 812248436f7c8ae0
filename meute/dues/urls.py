from django.urls import path

from meute.dues import views

app_name = "dues"
urlpatterns = [
    path("reseaux/<slug:slug>/cotisations/", views.overview, name="overview"),
    path("reseaux/<slug:slug>/cotisations/nouvelle-periode/", views.period_create, name="period_create"),
    path("reseaux/<slug:slug>/cotisations/periodes/<int:pk>/paiement/", views.payment_record, name="payment"),
    path("reseaux/<slug:slug>/ma-cotisation/", views.mine, name="mine"),
]
