"""Options shared by management commands (the periodic jobs that also run by hand)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

__all__ = ["add_now_argument", "now_option"]


def add_now_argument(parser: CommandParser) -> None:
    """The ``--now`` option: the reference date and time, so a job can be replayed or tested."""
    parser.add_argument(
        "--now", help="Date et heure de référence, ISO 8601 avec fuseau (par défaut : maintenant)."
    )


def now_option(value: str | None) -> dt.datetime:
    """The ``--now`` value as an aware datetime (now when absent); a clear :class:`CommandError` otherwise."""
    if not value:
        return timezone.now()
    try:
        now = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("--now : date invalide %(value)r (ex. 2026-06-01T09:00+02:00)") % {"value": value}
        ) from exc
    if timezone.is_naive(now):
        raise CommandError(_("--now : précisez le fuseau horaire (ex. 2026-06-01T09:00+02:00)"))
    return now
