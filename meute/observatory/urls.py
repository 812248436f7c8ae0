from django.urls import path

from meute.observatory import views

app_name = "observatory"
urlpatterns = [
    path("observatoire/", views.observatory, name="figures"),
    path("observatoire/tableaux/<slug:key>.csv", views.table_download, name="table_csv"),
    path("observatoire/classeur.xlsx", views.workbook_download, name="workbook"),
    path("observatoire/public/", views.observatory_public, name="public"),
    path("observatoire/public/tableaux/<slug:key>.csv", views.public_table_download, name="public_table_csv"),
    path("observatoire/public/classeur.xlsx", views.public_workbook_download, name="public_workbook"),
    path("observatoire/dossiers/", views.dossiers, name="dossiers"),
    path("observatoire/dossiers/<int:pk>.<str:fmt>", views.dossier_file, name="dossier_file"),
    path("observatoire/listes/", views.imports, name="imports"),
    path("observatoire/listes/deposer/", views.upload, name="upload"),
    path("observatoire/listes/<int:pk>/", views.import_detail, name="import"),
    path("observatoire/listes/<int:pk>/abandonner/", views.import_discard, name="import_discard"),
    path("observatoire/listes/<int:pk>/departs/", views.departures, name="departures"),
    path("observatoire/revue/", views.review, name="review"),
    path("observatoire/revue/<int:pk>/", views.pair, name="pair"),
    path("observatoire/revue/<int:pk>/annuler/", views.pair_undo, name="pair_undo"),
    path("observatoire/personnes/<int:pk>/", views.person, name="person"),
    path("observatoire/personnes/<int:pk>/fiches/<int:record>/separer/", views.record_detach, name="detach"),
    path("observatoire/personnes/<int:pk>/effacer/", views.person_erase, name="erase"),
]
