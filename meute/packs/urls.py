from django.urls import path

from meute.packs import purchase_views, views

app_name = "packs"
urlpatterns = [
    path("reseaux/<slug:slug>/marches/", views.tenders, name="tenders"),
    path("reseaux/<slug:slug>/marches/nouveau/", views.tender_new, name="tender_new"),
    path("reseaux/<slug:slug>/marches/importer/", views.tender_import, name="tender_import"),
    path("reseaux/<slug:slug>/marches/<int:pk>/", views.tender_detail, name="tender"),
    path("reseaux/<slug:slug>/marches/<int:pk>/poids/", views.tender_weights, name="weights"),
    path("reseaux/<slug:slug>/marches/<int:pk>/inviter/", views.tender_invite, name="invite"),
    path("reseaux/<slug:slug>/marches/<int:pk>/reponse/", views.invitation_answer, name="answer"),
    path("reseaux/<slug:slug>/marches/<int:pk>/mandataire/", views.tender_lead, name="lead"),
    path("reseaux/<slug:slug>/marches/<int:pk>/etat/", views.tender_status, name="status"),
    path("reseaux/<slug:slug>/marches/<int:pk>/echeance.ics", views.tender_ics, name="ics"),
    path("reseaux/<slug:slug>/marches/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path(
        "reseaux/<slug:slug>/marches/<int:pk>/documents/<int:doc>/", views.document_download, name="document"
    ),
    path("reseaux/<slug:slug>/marches/<int:pk>/etapes/<int:item>/", views.checklist_toggle, name="checklist"),
    path("reseaux/<slug:slug>/entreprises/", views.firms, name="firms"),
    path("reseaux/<slug:slug>/entreprises/la-mienne/", views.firm_mine, name="firm_mine"),
    path("reseaux/<slug:slug>/achats/", purchase_views.purchase_list, name="purchases"),
    path("reseaux/<slug:slug>/achats/nouveau/", purchase_views.purchase_new, name="purchase_new"),
    path("reseaux/<slug:slug>/achats/<int:pk>/", purchase_views.purchase_detail, name="purchase"),
    path("reseaux/<slug:slug>/achats/<int:pk>/engagement/", purchase_views.pledge, name="pledge"),
    path("reseaux/<slug:slug>/achats/<int:pk>/parts/", purchase_views.shares_export, name="shares"),
]
