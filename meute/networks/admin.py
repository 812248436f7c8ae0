from django.contrib import admin

from meute.networks.models import Membership, Network


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "rhythm", "member_cap", "admission_mode", "is_published"]
    list_filter = ["kind", "rhythm", "admission_mode", "is_published"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["commune"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = [
        "person",
        "network",
        "role",
        "status",
        "queue_position",
        "offer_expires_at",
        "start_date",
        "end_date",
    ]
    list_filter = ["status", "role", "network"]
    search_fields = ["person__last_name", "person__email", "network__name"]
    autocomplete_fields = ["person", "network", "sponsor"]
    readonly_fields = ["charter_version", "charter_accepted_at", "decided_at", "offered_at"]
