"""Recurring meetings from an iCalendar rule ("first Tuesday of each month")."""

from __future__ import annotations

import datetime as dt
import itertools

from dateutil.rrule import rrule, rrulestr
from django.utils.translation import gettext as _

from meute.core.forms import MAX_DATE

MAX_OCCURRENCES = 60

#: A meeting series repeats at most daily: a rule by the hour, minute or second
#: would only make hundreds of meetings out of one.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")

# The Gregorian calendar repeats itself every 400 years, weekdays included
# (146,097 days, a whole number of weeks).
_CYCLE_YEARS = 400
_CYCLE_DAYS = 146_097


def parse_rule(text: str) -> str:
    """Check an RRULE and return it normalised; raise ValueError naming the problem.

    A rule must end (COUNT or UNTIL) so that a series never grows without bound,
    and repeat at most daily.
    """
    rule = text.strip().removeprefix("RRULE:")
    if not rule:
        raise ValueError(_("la règle est vide"))
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    if "FREQ" not in parts:
        raise ValueError(_("la règle doit indiquer une fréquence (FREQ=…)"))
    if parts["FREQ"] not in FREQUENCIES:
        raise ValueError(
            _("une série se répète au plus une fois par jour (FREQ=DAILY, WEEKLY, MONTHLY ou YEARLY)")
        )
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise ValueError(_("la règle doit se terminer : ajoutez COUNT=… ou UNTIL=…"))
    try:
        rrulestr(rule, dtstart=dt.datetime(2026, 1, 1, 18, 0))
    except (ValueError, TypeError, OverflowError) as exc:
        raise ValueError(_("règle iCalendar illisible : %(e)s") % {"e": exc}) from exc
    return rule.upper()


def occurrences(rule: str, first: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """Start times of the series, the first one included, at most MAX_OCCURRENCES, none after MAX_DATE.

    Computed in local time, so a meeting at 18:00 stays at 18:00 across the
    change to and from summer time.

    Notes
    -----
    dateutil stops a rule that never matches (``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``)
    only at year 9999, whatever its UNTIL: from 2026 that is 2.9 million days and
    seconds of work. The rule is therefore run a whole number of 400-year cycles
    later, where the calendar is the same, so that its last possible date falls
    just before 9999, and the dates found are moved back: an impossible rule
    then costs at most 400 years more than the series' own span, and a
    possible one stops at its MAX_OCCURRENCES-th date.
    """
    local = first.astimezone(tz).replace(tzinfo=None)
    parsed = rrulestr(parse_rule(rule), dtstart=local)
    assert isinstance(parsed, rrule)
    horizon = dt.datetime.combine(MAX_DATE, dt.time.max)
    until = getattr(parsed, "_until", None)
    if until is not None:
        horizon = min(horizon, until)
    if horizon < local:
        return []
    cycles = max(0, (dt.MAXYEAR - 1 - horizon.year) // _CYCLE_YEARS)
    shift = dt.timedelta(days=cycles * _CYCLE_DAYS)
    # UNTIL is moved with the rule (dateutil warns against a COUNT with an UNTIL).
    end = horizon + shift
    later = parsed.replace(dtstart=local + shift, until=None if until is None else end)
    times = itertools.islice(itertools.takewhile(lambda t: t <= end, later), MAX_OCCURRENCES)
    return [(t - shift).replace(tzinfo=tz) for t in times]
