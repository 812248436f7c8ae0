from django.contrib import admin

from meute.attendance.models import AttendanceRecord, AttendanceRule, Visitor


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(admin.ModelAdmin):
    list_display = ["event", "person", "status", "substitute_name", "recorded_by", "recorded_at"]
    list_filter = ["status", "event__network"]
    search_fields = ["person__last_name", "event__title"]
    raw_id_fields = ["event", "person", "recorded_by"]


@admin.register(AttendanceRule)
class AttendanceRuleAdmin(admin.ModelAdmin):
    list_display = ["network", "max_unexcused", "window_months"]
    raw_id_fields = ["network"]


@admin.register(Visitor)
class VisitorAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "network", "event", "invited_by", "status", "created_at"]
    list_filter = ["status", "network"]
    search_fields = ["name", "email", "company"]
    raw_id_fields = ["network", "event", "invited_by", "recorded_by"]
