"""Background work: e-mails. Tasks receive ids, never model instances, and are
queued on commit (see services); the embedded default runs them at once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as _n

from meute.events.models import Event, Registration, RegistrationStatus
from meute.outbox.services import mail_send


def _send(subject: str, template: str, to: str, context: dict[str, object], key: str | None = None) -> int:
    """Send a plain-text e-mail with its HTML alternative, in the site's language, through the outbox
    (retried if the mail server fails; `key` makes it sent once however often the task runs)."""
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = _(subject) % context
        text = render_to_string(f"events/email/{template}.txt", context)
        html = render_to_string(f"events/email/{template}.html", context)
    return mail_send(to=to, subject=subject, body=text, html=html, key=key)


def _registration(pk: int) -> Registration | None:
    return Registration.objects.select_related("event", "person", "event__network").filter(pk=pk).first()


@task()
def send_registration_email(registration_id: int) -> int:
    r = _registration(registration_id)
    if r is None:
        return 0
    confirmed = r.status == RegistrationStatus.CONFIRMED
    subject = _n("Inscription confirmée : %(title)s") if confirmed else _n("Liste d'attente : %(title)s")
    context = {"r": r, "event": r.event, "title": r.event.title, "confirmed": confirmed}
    return _send(
        subject,
        "registration",
        r.person.email,
        context,
        key=f"registration:{r.pk}:{r.status}:{r.created_at.isoformat()}",
    )


@task()
def send_promotion_email(registration_id: int) -> int:
    r = _registration(registration_id)
    if r is None:
        return 0
    context = {"r": r, "event": r.event, "title": r.event.title}
    return _send(
        _n("Une place s'est libérée : %(title)s"),
        "promotion",
        r.person.email,
        context,
        key=f"promotion:{r.pk}",
    )


@task()
def send_reminders(day_iso: str) -> int:
    """Remind every confirmed participant of the events starting on `day_iso` (local date)."""
    day = dt.date.fromisoformat(day_iso)
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    events = Event.objects.filter(
        starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1), status="published"
    )
    sent = 0
    for r in Registration.objects.filter(
        event__in=events, status=RegistrationStatus.CONFIRMED
    ).select_related("event", "person"):
        context = {"r": r, "event": r.event, "title": r.event.title}
        sent += _send(
            _n("Rappel : %(title)s demain"),
            "reminder",
            r.person.email,
            context,
            key=f"reminder:{r.pk}:{day_iso}",
        )
    return sent


@task()
def send_schedule_email(registration_id: int, changed: bool) -> int:
    r = _registration(registration_id)
    if r is None:
        return 0
    subject = _n("Votre programme a changé : %(title)s") if changed else _n("Votre programme : %(title)s")
    context = {"r": r, "event": r.event, "title": r.event.title, "changed": changed}
    return _send(subject, "schedule", r.person.email, context)
