"""Recurrence rules: a series is bounded in its length, its frequency and the work it costs."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from meute.events.recurrence import MAX_OCCURRENCES, occurrences, parse_rule

TZ = ZoneInfo("Europe/Paris")
FIRST = dt.datetime(2027, 9, 7, 18, 30, tzinfo=TZ)


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MONTHLY;BYDAY=1TU;COUNT=12",
        "FREQ=WEEKLY;BYDAY=MO,TH;INTERVAL=3;COUNT=80",
        "FREQ=MONTHLY;BYDAY=-1FR;INTERVAL=5;UNTIL=20400101",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;COUNT=60",
        "FREQ=DAILY;INTERVAL=9;UNTIL=20280101T000000",
    ],
)
def test_the_series_is_the_rules_own_dates_up_to_the_cap(rule: str) -> None:
    # Running the rule 400-year cycles later must not move any date.
    expected = [
        t.replace(tzinfo=TZ)
        for t in itertools.islice(rrulestr(rule, dtstart=FIRST.replace(tzinfo=None)), MAX_OCCURRENCES)
        if t.year <= 2200
    ]
    assert occurrences(rule, FIRST, TZ) == expected


def test_no_date_of_a_series_falls_after_2200() -> None:
    times = occurrences("FREQ=YEARLY;COUNT=60", dt.datetime(2190, 5, 1, 18, tzinfo=TZ), TZ)
    assert [t.year for t in times] == list(range(2190, 2201))


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;COUNT=99999999999999999999",
        "FREQ=DAILY;UNTIL=99991231T000000",
        # Rules that never match: dateutil scans to year 9999 whatever their end.
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5",
        "FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31;UNTIL=99991231",
        "FREQ=DAILY;INTERVAL=7;BYDAY=WE;COUNT=3",
    ],
)
def test_a_huge_or_impossible_rule_costs_little(rule: str) -> None:
    started = time.perf_counter()
    times = occurrences(rule, FIRST, TZ)
    assert time.perf_counter() - started < 2.5  # was 6 to 7 s, or forever
    assert len(times) <= MAX_OCCURRENCES


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_a_rule_repeating_more_than_daily_is_refused(freq: str) -> None:
    with pytest.raises(ValueError, match="au plus une fois par jour"):
        parse_rule(f"FREQ={freq};UNTIL=99991231T000000")
