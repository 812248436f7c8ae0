"""Noveco's demo: profiles, collaborations, an open tender with a team; a second run changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from meute.networks.models import Kind, Role
from meute.packs import selectors
from meute.packs.demo import packs_demo_load
from meute.packs.models import Certification, Collaboration, FirmProfile, Tender
from meute.reference.models import Commune, NafCode
from tests.factories import MembershipFactory, NetworkFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_noveco_gets_firms_an_open_tender_and_a_team_once():
    noveco = NetworkFactory(slug="noveco", name="Noveco", kind=Kind.CLUSTER)
    communes = list(Commune.objects.filter(insee__in=["37261", "37003", "37122", "37027"]))
    nafs = list(NafCode.objects.filter(code__in=["41.20A", "43.91A", "43.21A", "43.22A", "43.32A", "43.34Z"]))
    for i in range(24):
        org = OrganisationFactory(naf=nafs[i % len(nafs)], commune=communes[i % len(communes)])
        role = Role.PRESIDENT if i == 0 else Role.MEMBER
        MembershipFactory(network=noveco, person=PersonFactory(organisation=org), role=role)
    first = packs_demo_load(today=dt.date(2026, 12, 1), password="demo")
    assert first["loaded"] and first["firms"] == 24
    counts = (
        FirmProfile.objects.count(),
        Certification.objects.count(),
        Collaboration.objects.count(),
        Tender.objects.count(),
    )
    assert packs_demo_load(today=dt.date(2026, 12, 1), password="demo") == {"loaded": False}
    assert counts == (
        FirmProfile.objects.count(),
        Certification.objects.count(),
        Collaboration.objects.count(),
        Tender.objects.count(),
    )
    proposal = selectors.tender_team(tender=Tender.objects.get(), alternatives=1)
    assert proposal.found and proposal.gap == 0 and len(proposal.lines) == 8
