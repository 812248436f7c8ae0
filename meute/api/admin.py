from django.contrib import admin

from meute.api.models import AccessToken


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "prefix",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    list_filter = ("scope",)
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
