"""Pooled purchases: pledges, closing at the threshold or the date, shares as CSV/XLSX, who sees what."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from meute.packs import purchases
from meute.packs.models import Purchase, PurchaseStatus
from meute.packs.tasks import close_due_purchases
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEE = {"staff": 200, "manager": 200, "member": 200, "other_member": 404, "anonymous": 404}


@pytest.fixture
def purchase(club, member) -> Purchase:
    return purchases.purchase_create(
        network=club,
        organiser=member.person,
        kind="materials",
        title="Ardoises d'Angers",
        unit="palette",
        unit_price=Decimal("480.00"),
        threshold=20,
        closes_on=timezone.localdate() + dt.timedelta(days=10),
    )


def test_it_closes_as_soon_as_the_threshold_is_reached(purchase, manager, club):
    purchases.pledge_set(purchase=purchase, person=manager.person, quantity=12)
    other = MembershipFactory(network=club).person
    purchases.pledge_set(purchase=purchase, person=other, quantity=8)
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.REACHED
    with pytest.raises(ValidationError, match="clos"):
        purchases.pledge_set(purchase=purchase, person=manager.person, quantity=1)


def test_it_closes_when_the_date_passes_without_the_threshold(purchase, manager):
    purchases.pledge_set(purchase=purchase, person=manager.person, quantity=5)
    assert close_due_purchases.call((purchase.closes_on + dt.timedelta(days=1)).isoformat()) == 1
    purchase.refresh_from_db()
    assert purchase.status == PurchaseStatus.FAILED


def test_a_pledge_changes_or_withdraws(purchase, manager):
    purchases.pledge_set(purchase=purchase, person=manager.person, quantity=5)
    purchases.pledge_set(purchase=purchase, person=manager.person, quantity=7)
    assert purchases.total_pledged(purchase) == 7
    purchases.pledge_set(purchase=purchase, person=manager.person, quantity=0)
    assert purchases.total_pledged(purchase) == 0


def test_a_closing_date_in_the_past_is_refused(club, member):
    with pytest.raises(ValidationError):
        purchases.purchase_create(
            network=club,
            organiser=member.person,
            kind="training",
            title="x",
            unit="place",
            unit_price=Decimal(1),
            threshold=3,
            closes_on=timezone.localdate() - dt.timedelta(days=1),
        )


def test_shares_export_formula_safe_csv_and_xlsx(purchase, club):
    evil = PersonFactory(first_name="=HYPERLINK(1)", last_name="X", organisation=None)
    MembershipFactory(network=club, person=evil)
    purchases.pledge_set(purchase=purchase, person=evil, quantity=3)
    text = purchases.shares_csv(purchase)
    assert "'=HYPERLINK(1) X;;3;1440.0" in text
    sheet = load_workbook(io.BytesIO(purchases.shares_xlsx(purchase))).active
    assert sheet["A2"].value == "=HYPERLINK(1) X" and sheet["A2"].data_type == "s"
    assert sheet["D2"].value == 1440.0


def test_shares_export_with_control_characters_in_a_name(purchase, club):
    # openpyxl refused them (IllegalCharacterError, a 500); the CSV kept them raw.
    odd = PersonFactory(first_name="Ana\x07\x1b", last_name="Bé\r\nX", organisation=None)
    MembershipFactory(network=club, person=odd)
    purchases.pledge_set(purchase=purchase, person=odd, quantity=3)
    assert "Ana   Bé  X;;3;" in purchases.shares_csv(purchase)
    sheet = load_workbook(io.BytesIO(purchases.shares_xlsx(purchase))).active
    assert sheet["A2"].value == "Ana   Bé  X"


@pytest.mark.parametrize("role", list(SEE))
@pytest.mark.parametrize("page", ["purchases", "purchase_new", "purchase"])
def test_purchase_pages_are_for_the_clusters_members(client_for, purchase, role, page):
    args = ["club"] if page != "purchase" else ["club", purchase.pk]
    assert client_for(role).get(reverse(f"packs:{page}", args=args)).status_code == SEE[role]


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("manager", 200), ("member", 200), ("other_member", 404), ("anonymous", 404)],
)
def test_the_shares_are_for_the_organiser_and_the_managers(client_for, purchase, role, status, manager):
    # `member` organises; a plain member who is not the organiser is refused below.
    assert client_for(role).get(reverse("packs:shares", args=["club", purchase.pk])).status_code == status


def test_a_member_who_is_not_the_organiser_sees_totals_not_pledges(client, purchase, manager, club):
    purchases.pledge_set(purchase=purchase, person=manager.person, quantity=4)
    plain = MembershipFactory(network=club).person
    from tests.factories import UserFactory

    plain.user = UserFactory()
    plain.save()
    client.force_login(plain.user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("packs:purchase", args=["club", purchase.pk])).content.decode()
    assert "4 palette engagés sur un seuil de 20, par 1 membre(s)" in page
    assert manager.person.full_name not in page
    assert client.get(reverse("packs:shares", args=["club", purchase.pk])).status_code == 404
    assert (
        client.post(reverse("packs:pledge", args=["club", purchase.pk]), {"quantity": 2}).status_code == 302
    )
    assert purchases.total_pledged(purchase) == 6


@pytest.mark.parametrize("role", ["other_member", "anonymous"])
def test_pledging_elsewhere_answers_404(client_for, purchase, role):
    assert (
        client_for(role)
        .post(reverse("packs:pledge", args=["club", purchase.pk]), {"quantity": 2})
        .status_code
        == 404
    )


def test_a_purchase_id_of_another_cluster_answers_404(client_for, purchase, other_club, other_member):
    foreign = purchases.purchase_create(
        network=other_club,
        organiser=other_member.person,
        kind="machine",
        title="Nacelle",
        unit="jour",
        unit_price=Decimal(90),
        threshold=10,
        closes_on=timezone.localdate() + dt.timedelta(days=5),
    )
    for name in ("purchase", "shares"):
        assert (
            client_for("manager").get(reverse(f"packs:{name}", args=["club", foreign.pk])).status_code == 404
        )
