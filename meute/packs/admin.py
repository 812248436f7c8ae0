from django.contrib import admin

from meute.packs.models import Certification, Collaboration, FirmProfile, Invitation, Lot, Tender


class CertificationInline(admin.TabularInline):
    model = Certification
    extra = 0


@admin.register(FirmProfile)
class FirmProfileAdmin(admin.ModelAdmin):
    list_display = ("organisation", "network", "commune", "radius_km", "turnover_keur", "workforce")
    list_filter = ("network",)
    search_fields = ("organisation__name",)
    raw_id_fields = ("organisation", "contact")
    inlines = [CertificationInline]


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    raw_id_fields = ("firm",)


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ("firm",)


@admin.register(Tender)
class TenderAdmin(admin.ModelAdmin):
    list_display = ("title", "network", "buyer", "deadline", "status")
    list_filter = ("network", "status")
    search_fields = ("title", "buyer", "reference")
    raw_id_fields = ("created_by", "lead")
    inlines = [LotInline, InvitationInline]


@admin.register(Collaboration)
class CollaborationAdmin(admin.ModelAdmin):
    list_display = ("firm_a", "firm_b", "source", "year", "network")
    list_filter = ("network", "source")
    raw_id_fields = ("firm_a", "firm_b", "tender")
