"""Recurring meetings from an iCalendar rule ("first Tuesday of each month")."""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr
from django.utils.translation import gettext as _

MAX_OCCURRENCES = 60


def parse_rule(text: str) -> str:
    """Check an RRULE and return it normalised; raise ValueError naming the problem.

    A rule must end (COUNT or UNTIL) so that a series never grows without bound.
    """
    rule = text.strip().removeprefix("RRULE:")
    if not rule:
        raise ValueError(_("la règle est vide"))
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    if "FREQ" not in parts:
        raise ValueError(_("la règle doit indiquer une fréquence (FREQ=…)"))
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise ValueError(_("la règle doit se terminer : ajoutez COUNT=… ou UNTIL=…"))
    try:
        rrulestr(rule, dtstart=dt.datetime(2026, 1, 1, 18, 0))
    except (ValueError, TypeError) as exc:
        raise ValueError(_("règle iCalendar illisible : %(e)s") % {"e": exc}) from exc
    return rule.upper()


def occurrences(rule: str, first: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """Start times of the series, the first one included, at most MAX_OCCURRENCES.

    Computed in local time, so a meeting at 18:00 stays at 18:00 across the
    change to and from summer time.
    """
    local = first.astimezone(tz).replace(tzinfo=None)
    times = list(rrulestr(parse_rule(rule), dtstart=local))[:MAX_OCCURRENCES]
    return [t.replace(tzinfo=tz) for t in times]
