"""The worker's schedule queues each periodic job once per period, whoever asks and however often."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from meute.operations.models import ScheduledRun
from meute.operations.scheduler import SCHEDULE, jobs_queue_due

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
DAILY = sorted(j.name for j in SCHEDULE if j.every == "day")


def test_every_job_is_queued_once_when_its_hour_has_passed() -> None:
    at_ten = dt.datetime(2026, 6, 1, 10, 0, tzinfo=PARIS)
    assert sorted(jobs_queue_due(now=at_ten)) == sorted([*DAILY, "outbox_retry"])
    assert jobs_queue_due(now=at_ten + dt.timedelta(seconds=20)) == []


def test_the_next_minute_queues_only_the_outbox_retry() -> None:
    at_ten = dt.datetime(2026, 6, 1, 10, 0, tzinfo=PARIS)
    jobs_queue_due(now=at_ten)
    assert jobs_queue_due(now=at_ten + dt.timedelta(minutes=1)) == ["outbox_retry"]


def test_a_daily_job_waits_for_its_hour_then_runs_the_next_day_again() -> None:
    one_am = dt.datetime(2026, 6, 1, 1, 0, tzinfo=PARIS)
    assert jobs_queue_due(now=one_am) == ["outbox_retry"]
    three_am = one_am + dt.timedelta(hours=2)
    assert "meeting_requests_expire" in jobs_queue_due(now=three_am)
    assert "event_reminders" not in jobs_queue_due(now=three_am + dt.timedelta(minutes=1))
    next_day = three_am + dt.timedelta(days=1)
    assert "meeting_requests_expire" in jobs_queue_due(now=next_day)


def test_a_worker_stopped_all_morning_catches_up_the_day_when_it_starts() -> None:
    evening = dt.datetime(2026, 6, 1, 20, 0, tzinfo=PARIS)
    assert sorted(jobs_queue_due(now=evening)) == sorted([*DAILY, "outbox_retry"])
    assert ScheduledRun.objects.filter(job="event_reminders", period="2026-06-01").count() == 1
