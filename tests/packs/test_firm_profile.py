"""A member keeps their firm's capability profile, certifications and collaborations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meute.packs.models import Collaboration, FirmProfile
from meute.reference.models import Commune

pytestmark = pytest.mark.django_db

URL = reverse("packs:firm_mine", args=["club"])


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 404), ("manager", 200), ("member", 200), ("other_member", 404), ("anonymous", 404)],
)
def test_the_profile_page_is_for_members_with_a_company(client_for, member_firm, role, status):
    # Staff has a company but no membership: the page is for the cluster's own firms.
    assert client_for(role).get(URL).status_code == status


def test_a_member_creates_the_profile_of_their_company(client_for, manager, club):
    tours = Commune.objects.get(insee="37261")
    client = client_for("manager")
    assert client.get(URL).status_code == 200
    response = client.post(
        URL,
        {
            "action": "profile",
            "trades": ["plomberie", "chauffage"],
            "turnover_keur": 640,
            "workforce": 6,
            "commune": tours.pk,
            "radius_km": 40,
            "references": "Lycée Descartes (2025)",
        },
    )
    assert response.status_code == 302
    firm = FirmProfile.objects.get(network=club, organisation=manager.person.organisation)
    assert firm.trades == ["chauffage", "plomberie"] and firm.contact == manager.person
    client.post(URL, {"action": "cert", "kind": "RGE", "valid_until": "2028-01-31"})
    assert list(firm.certifications.values_list("kind", flat=True)) == ["RGE"]


def test_a_profile_needs_a_trade_of_the_list(client_for, member_firm):
    response = client_for("member").post(
        URL,
        {
            "action": "profile",
            "trades": ["astronaute"],
            "turnover_keur": 1,
            "workforce": 1,
            "commune": member_firm.commune_id,
            "radius_km": 10,
        },
    )
    assert response.status_code == 200
    member_firm.refresh_from_db()
    assert member_firm.trades == ["charpente", "couverture"]


def test_a_member_declares_a_collaboration_the_other_firm_confirms(client_for, cluster):
    client_for("member").post(
        URL, {"action": "collab", "other": cluster["manager"].pk, "year": 2024, "note": "Gîte"}
    )
    row = Collaboration.objects.get()
    assert not row.counts
    client_for("manager").post(URL, {"action": "collab", "other": cluster["member"].pk, "year": 2024})
    row.refresh_from_db()
    assert row.counts
