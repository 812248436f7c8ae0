from django.urls import path

from meute.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.my_data, name="my_data"),
    path("export/", views.export_request, name="export_request"),
    path("export/<str:token>/<str:kind>/", views.export_download, name="export_download"),
    path("consentements/<str:purpose>/retirer/", views.consent_withdraw, name="consent_withdraw"),
    path("supprimer/", views.erase, name="erase"),
    path("supprime/", views.erased, name="erased"),
]
