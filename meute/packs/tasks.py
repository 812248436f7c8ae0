"""E-mails of the packs: invitations and reminders. Tasks receive ids, are queued on commit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meute.packs.models import Invitation, InvitationStatus, Tender, TenderStatus


def _recipient(invitation: Invitation) -> str:
    contact = invitation.firm.contact
    return contact.email if contact and contact.email else ""


def _send(invitation: Invitation, subject: str, template: str) -> int:
    to = _recipient(invitation)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "tender": invitation.tender, "firm": invitation.firm}
        body = render_to_string(f"packs/email/{template}.txt", context)
        return send_mail(subject % {"title": invitation.tender.title}, body, None, [to])


@task()
def send_invitation(invitation_id: int) -> int:
    invitation = (
        Invitation.objects.select_related("tender", "firm__contact", "firm__organisation")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Invitation à un groupement : %(title)s")
    return _send(invitation, subject, "invitation")


@task()
def send_reminders(day_iso: str) -> int:
    """Remind pending firms whose answer is due on `day_iso`, and every accepted firm of a pack
    whose tender closes within three days of it."""
    day = dt.date.fromisoformat(day_iso)
    sent = 0
    pending = Invitation.objects.filter(
        status=InvitationStatus.PENDING, tender__status=TenderStatus.INVITED, tender__respond_by=day
    ).select_related("tender", "firm__contact")
    with translation.override(settings.LANGUAGE_CODE):
        answer = _("Rappel : votre réponse est attendue — %(title)s")
        closing = _("Rappel : date limite proche — %(title)s")
    for invitation in pending:
        sent += _send(invitation, answer, "reminder_answer")
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    soon = Tender.objects.filter(
        status__in=[TenderStatus.INVITED, TenderStatus.SUBMITTED],
        deadline__gte=start,
        deadline__lt=start + dt.timedelta(days=4),
    )
    for invitation in Invitation.objects.filter(
        tender__in=soon, status=InvitationStatus.ACCEPTED
    ).select_related("tender", "firm__contact"):
        sent += _send(invitation, closing, "reminder_deadline")
    return sent


@task()
def close_due_purchases(day_iso: str) -> int:
    """Close every open pooled purchase whose closing date is before `day_iso`; returns how many."""
    from meute.packs.models import Purchase, PurchaseStatus
    from meute.packs.purchases import purchase_close_if_due

    day = dt.date.fromisoformat(day_iso)
    closed = 0
    for purchase in Purchase.objects.filter(status=PurchaseStatus.OPEN, closes_on__lt=day):
        closed += purchase_close_if_due(purchase=purchase, today=day).status != PurchaseStatus.OPEN
    return closed
