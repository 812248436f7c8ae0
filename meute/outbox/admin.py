from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from meute.outbox.models import Message, MessageStatus


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["retry_now"]

    @admin.action(description=_("Réessayer l'envoi maintenant"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Message]) -> None:
        from meute.outbox.services import message_deliver

        queryset.exclude(status=MessageStatus.SENT).update(
            status=MessageStatus.PENDING, attempts=0, next_attempt_at=None
        )
        for pk in queryset.values_list("pk", flat=True):
            message_deliver(message_id=pk)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
