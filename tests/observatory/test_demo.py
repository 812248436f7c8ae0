"""The observatory's demo: lists imported and linked through the services, departures, a dossier; once."""

from __future__ import annotations

import datetime as dt

import pytest

from meute.observatory.demo import observatory_demo_load
from meute.observatory.models import Dossier, ListImport, ListMembership, ObservedPerson

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_lists_per_network_linked_with_departures_and_a_published_dossier(club, other_club):
    today = dt.date(2026, 12, 1)
    first = observatory_demo_load(today=today, people=150)
    assert first["lists"] == 4 and first["departed"] > 0
    assert ListImport.objects.filter(status="imported").count() == 4
    people = ObservedPerson.objects.count()
    assert 140 <= people <= 160  # 150 drawn, linked across the lists within a few
    ended = ListMembership.objects.exclude(end_date=None)
    assert ended.exists() and set(ended.values_list("end_date", flat=True)) == {today - dt.timedelta(days=30)}
    dossier = Dossier.objects.get()
    assert dossier.at == dt.date(2025, 12, 31) and dossier.published and dossier.status == "done"
    assert bytes(dossier.pdf).startswith(b"%PDF")
    assert observatory_demo_load(today=today, people=150) == {"lists": 0}  # make demo stays idempotent
    assert ObservedPerson.objects.count() == people
