from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from meute.accounts.models import Consent, Organisation, Person, User


@admin.register(User)
class EmailUserAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        ("Droits", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "naf", "commune"]
    search_fields = ["name", "siren", "siret"]
    autocomplete_fields = ["naf", "commune"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["purpose", "granted", "text_version", "given_at"]
    can_delete = False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "organisation", "is_decision_maker"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["organisation", "commune", "user"]
    inlines = [ConsentInline]
