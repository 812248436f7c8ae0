"""The periodic jobs, as tasks the worker's scheduler queues (the management commands stay for manual runs).

Each job takes no object, only plain values, and is idempotent: run twice for
one day, it does the work once (reminders are keyed in the outbox, expiries
and lapses only touch rows still due).
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from meute.dues.services import dues_reminders_send
from meute.dues.services import members_lapse as lapse
from meute.events.business.services import requests_expire
from meute.events.tasks import send_reminders
from meute.networks.services.seats import seat_offers_expire as expire
from meute.observatory.services import imports_purge_pending
from meute.outbox.services import messages_retry_due
from meute.packs import tasks as packs_tasks
from meute.privacy.services import retention_purge


@task()
def event_reminders(day_iso: str = "") -> int:
    """Remind the confirmed participants of the events of `day_iso` (default: tomorrow)."""
    day = day_iso or (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    return int(send_reminders.call(day))


@task()
def meeting_requests_expire() -> int:
    return requests_expire()


@task()
def seat_offers_expire() -> int:
    return expire()


@task()
def dues_reminders(within_days: int = 30) -> int:
    return dues_reminders_send(within_days=within_days)


@task()
def members_lapse(grace_days: int = 60) -> int:
    return len(lapse(grace_days=grace_days))


@task()
def outbox_retry() -> int:
    """Retry the e-mails whose next attempt is due (every minute)."""
    return messages_retry_due()


@task()
def packs_daily(day_iso: str = "") -> int:
    """Packs' daily work: reminders of answers and tenders due, pooled purchases past their date closed."""
    day = day_iso or timezone.localdate().isoformat()
    return int(packs_tasks.send_reminders.call(day)) + int(packs_tasks.close_due_purchases.call(day))


@task()
def privacy_retention() -> int:
    """Purge what docs/privacy.md says is kept no longer (inactive accounts, old exports, log-ins, tokens)."""
    return sum(retention_purge().values())


@task()
def observatory_uploads_purge() -> int:
    """Discard the member lists uploaded and left waiting for their mapping (their bytes deleted)."""
    return imports_purge_pending()
