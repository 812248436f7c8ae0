from django.contrib import admin

from meute.dues.models import DuesPeriod


@admin.register(DuesPeriod)
class DuesPeriodAdmin(admin.ModelAdmin):
    list_display = ["membership", "start", "end", "amount", "paid_on", "recorded_by"]
    list_filter = ["membership__network"]
    search_fields = [
        "membership__person__last_name",
        "membership__person__email",
        "membership__network__name",
    ]
    raw_id_fields = ["membership", "recorded_by"]
    date_hierarchy = "end"
