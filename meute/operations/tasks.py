"""The periodic jobs, as tasks the worker's scheduler queues (the management commands stay for manual runs).

Each job takes no object, only plain values, and is idempotent: run twice for
one day, it does the work once (reminders are keyed in the outbox, expiries
and lapses only touch rows still due).
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone


@task()
def event_reminders(day_iso: str = "") -> int:
    """Remind the confirmed participants of the events of `day_iso` (default: tomorrow)."""
    from meute.events.tasks import send_reminders

    day = day_iso or (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    return int(send_reminders.call(day))


@task()
def meeting_requests_expire() -> int:
    from meute.events.business import requests_expire

    return requests_expire()


@task()
def seat_offers_expire() -> int:
    from meute.networks.services import seat_offers_expire as expire

    return expire()


@task()
def dues_reminders(within_days: int = 30) -> int:
    from meute.dues.services import dues_reminders_send

    return dues_reminders_send(within_days=within_days)


@task()
def members_lapse(grace_days: int = 60) -> int:
    from meute.dues.services import members_lapse as lapse

    return len(lapse(grace_days=grace_days))


@task()
def outbox_retry() -> int:
    """Retry the e-mails whose next attempt is due (every minute)."""
    from meute.outbox.services import messages_retry_due

    return messages_retry_due()
