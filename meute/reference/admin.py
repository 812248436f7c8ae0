from django.contrib import admin

from meute.reference.models import Commune, NafCode


@admin.register(NafCode)
class NafCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "section", "version"]
    list_filter = ["version", "section"]
    search_fields = ["code", "label"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee", "name", "postcode", "department"]
    search_fields = ["insee", "name", "postcode"]
