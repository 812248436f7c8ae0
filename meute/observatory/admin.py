"""The observatory in Django's admin: read-mostly (writes go through the services and their audit)."""

from django.contrib import admin

from meute.observatory.models import LinkageRun, ListImport, ObservedPerson, ReviewPair


@admin.register(ListImport)
class ListImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "network", "list_date", "status", "n_records", "n_skipped", "imported_at")
    list_filter = ("status", "network")
    readonly_fields = ("content_hash", "headers", "mapping", "problems", "departed_records")
    exclude = ("pending_data",)


@admin.register(ObservedPerson)
class ObservedPersonAdmin(admin.ModelAdmin):
    list_display = ("label", "person", "created_at")
    search_fields = ("label",)
    raw_id_fields = ("person",)


@admin.register(ReviewPair)
class ReviewPairAdmin(admin.ModelAdmin):
    list_display = ("record_a", "record_b", "match_probability", "decision", "decided_at")
    list_filter = ("decision",)
    raw_id_fields = ("record_a", "record_b")


@admin.register(LinkageRun)
class LinkageRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "method", "n_records", "n_people", "n_review", "queued_at", "finished_at")
