"""Figures are precomputed after a linkage run and recomputed once memberships change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from meute.accounts.models import User
from meute.networks.models import Network
from meute.observatory import pages, selectors, services
from tests.observatory.conftest import ROWS, csv_bytes


def _cached(at: dt.date) -> bool:
    key = f"observatory:figures:{selectors.figures_version()}:0:False:False:{at}"
    return cache.get(key) is not None


def test_a_linkage_run_precomputes_todays_figures(
    club: Network, staff: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.OBSERVATORY_WARM_FIGURES = True
    today = timezone.localdate()
    imp = services.list_import_upload(
        network=club, user=staff, file_name="a.csv", data=csv_bytes(), list_date=today
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.list_import_confirm(list_import=imp, user=staff, mapping=imp.mapping)
    assert _cached(today)
    assert selectors.observatory_figures(at=today).headline.people == 3


def test_figures_follow_the_memberships_not_a_stale_cache(
    club: Network, staff: User, django_capture_on_commit_callbacks: Any
) -> None:
    jan, jun = dt.date(2026, 1, 31), dt.date(2026, 6, 30)
    for rows, day in ((ROWS, jan), (ROWS[:2], jun)):
        imp = services.list_import_upload(
            network=club, user=staff, file_name=f"{day}.csv", data=csv_bytes(rows), list_date=day
        )
        with django_capture_on_commit_callbacks(execute=True):
            newer = services.list_import_confirm(list_import=imp, user=staff, mapping=imp.mapping)
    assert selectors.observatory_figures(at=jun).headline.people == 3
    assert len(pages.shown(selectors.observatory_figures(at=jun), "all")) >= 3
    services.departures_confirm(list_import=newer, user=staff)
    assert selectors.observatory_figures(at=jun).headline.people == 2
