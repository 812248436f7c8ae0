from django.contrib import admin

from meute.barometer.models import BarometerAnswer


@admin.register(BarometerAnswer)
class BarometerAnswerAdmin(admin.ModelAdmin):
    """Answers are anonymous and read-only; receipts (who answered) are deliberately not listed here."""

    list_display = ("period", "network", "sector", "activity", "orders", "hiring", "cash", "morale")
    list_filter = ("period", "network")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
