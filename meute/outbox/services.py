"""Sending e-mail through the outbox: recorded first, delivered, retried with backoff, never lost.

Tasks call :func:`mail_send` instead of ``EmailMessage.send()``. The message is
written to the outbox and a first delivery is tried at once (the caller is
already background work). If the mail server refuses or is down, the message
stays *pending* with the time of its next attempt; the worker's periodic job
:func:`messages_retry_due` tries again, waiting twice as long each time, and
after ``MEUTE_MAIL_MAX_ATTEMPTS`` attempts marks it *failed* with its error,
listed for staff in the admin ("E-mails envoyés", filter on "échec").
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from meute.outbox.models import Message, MessageStatus

__all__ = ["mail_send", "message_deliver", "messages_retry_due"]

logger = logging.getLogger("meute.outbox")


def mail_send(*, to: str, subject: str, body: str, html: str = "", key: str | None = None) -> int:
    """Record an e-mail and try to deliver it now; return 1 when accepted, 0 when not sent.

    Not sent: no address, or `key` already used (this e-mail was sent or queued
    before — a task run twice sends once). A delivery failure still returns 1:
    the message is queued for a retry, not lost.
    """
    if not to:
        return 0
    try:
        with transaction.atomic():
            message = Message.objects.create(key=key or None, to=to, subject=subject, body=body, html=html)
    except IntegrityError:
        return 0
    message_deliver(message_id=message.pk)
    return 1


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=settings.MEUTE_MAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


def message_deliver(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Try to deliver one pending message whose time has come; return its status afterwards.

    The row stays locked while the mail server is spoken to, and a locked row
    is skipped, so two workers retrying at once never send one message twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=MessageStatus.PENDING)
            .first()
        )
        if message is None:
            return "skipped"
        if message.next_attempt_at is not None and message.next_attempt_at > now:
            return str(message.status)
        email = EmailMultiAlternatives(subject=message.subject, body=message.body, to=[message.to])
        if message.html:
            email.attach_alternative(message.html, "text/html")
        message.attempts += 1
        try:
            email.send()
        except Exception as exc:  # any failure of the mail server: recorded, retried
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.MEUTE_MAIL_MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
                message.next_attempt_at = None
                logger.error(
                    "e-mail %s to %s failed for good: %s", message.pk, message.to, message.last_error
                )
            else:
                message.next_attempt_at = now + _backoff(message.attempts)
                logger.warning(
                    "e-mail %s to %s failed (attempt %s), retry at %s: %s",
                    message.pk,
                    message.to,
                    message.attempts,
                    message.next_attempt_at.isoformat(),
                    message.last_error,
                )
        else:
            message.status = MessageStatus.SENT
            message.sent_at = timezone.now()
            message.next_attempt_at = None
        message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at", "sent_at"])
        return str(message.status)


def messages_retry_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Try again every pending message whose next attempt is due; return how many were tried."""
    now = now or timezone.now()
    due = list(
        Message.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in due:
        message_deliver(message_id=pk, now=now)
    return len(due)
