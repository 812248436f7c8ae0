"""Recording referrals and the business they bring: the rules, with the field each message names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from meute.accounts.models import User
from meute.networks.models import Network, Status
from meute.referrals.models import Referral, Temperature
from meute.referrals.services import referral_create, referral_record_outcome
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def give(club: Network, giver: User, recipient: User, **kwargs: object) -> Referral:
    values: dict[str, object] = {"subject": "Rénovation d'un entrepôt", "temperature": Temperature.HOT}
    values.update(kwargs)
    return referral_create(network=club, giver=giver.person, recipient=recipient.person, **values)  # type: ignore[arg-type, attr-defined]


def field_errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_a_member_records_a_referral_to_another_active_member(
    club: Network, member: User, manager: User
) -> None:
    referral = give(club, member, manager, prospect_name="Mme Rivière", prospect_email="riviere@exemple.fr")
    assert referral.giver == member.person  # type: ignore[attr-defined]
    assert referral.recipient == manager.person  # type: ignore[attr-defined]
    assert referral.given_on == timezone.localdate()
    assert referral.is_pending
    assert referral.prospect_email == "riviere@exemple.fr"


def test_it_refuses_any_referral_where_the_network_refuses_solicitation(
    club: Network, member: User, manager: User
) -> None:
    club.refuses_solicitation = True
    club.save()
    with pytest.raises(ValidationError) as exc:
        give(club, member, manager)
    assert "refuse toute sollicitation commerciale" in exc.value.messages[0]
    assert not Referral.objects.exists()


def test_it_refuses_a_referral_to_oneself(club: Network, member: User) -> None:
    with pytest.raises(ValidationError) as exc:
        give(club, member, member)
    assert field_errors(exc)["recipient"] == ["Destinataire : vous ne pouvez pas vous recommander vous-même."]


def test_it_refuses_a_recipient_from_another_network(club: Network, member: User, other_member: User) -> None:
    with pytest.raises(ValidationError) as exc:
        give(club, member, other_member)
    assert field_errors(exc)["recipient"][0].startswith(
        "Destinataire : cette personne n'est pas membre active"
    )


def test_it_refuses_a_recipient_who_left_the_network(club: Network, member: User, manager: User) -> None:
    manager.person.memberships.update(status=Status.LEFT)  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as exc:
        give(club, member, manager)
    assert "recipient" in field_errors(exc)


def test_it_refuses_a_giver_who_is_not_an_active_member(
    club: Network, other_member: User, member: User
) -> None:
    with pytest.raises(ValidationError, match="Seuls les membres actifs"):
        give(club, other_member, member)


def test_it_names_every_missing_field_at_once(club: Network, member: User, manager: User) -> None:
    with pytest.raises(ValidationError) as exc:
        give(club, member, manager, subject="  ", temperature="tiède")
    assert set(field_errors(exc)) == {"subject", "temperature"}
    assert not Referral.objects.exists()


def test_a_referral_cannot_be_dated_in_the_future(club: Network, member: User, manager: User) -> None:
    with pytest.raises(ValidationError) as exc:
        give(club, member, manager, given_on=timezone.localdate() + dt.timedelta(days=1))
    assert "given_on" in field_errors(exc)


def test_the_recipient_records_business_closed(club: Network, member: User, manager: User) -> None:
    referral = give(club, member, manager)
    referral_record_outcome(
        referral=referral,
        person=manager.person,
        business_closed=True,
        amount=Decimal("12500.50"),  # type: ignore[attr-defined]
    )
    referral.refresh_from_db()
    assert referral.business_closed is True
    assert referral.amount == Decimal("12500.50")
    assert referral.closed_on == timezone.localdate()


def test_a_lead_that_came_to_nothing_keeps_no_amount(club: Network, member: User, manager: User) -> None:
    referral = give(club, member, manager)
    referral_record_outcome(referral=referral, person=manager.person, business_closed=False)  # type: ignore[attr-defined]
    referral.refresh_from_db()
    assert referral.business_closed is False
    assert referral.amount is None


def test_it_refuses_a_negative_amount(club: Network, member: User, manager: User) -> None:
    referral = give(club, member, manager)
    with pytest.raises(ValidationError) as exc:
        referral_record_outcome(
            referral=referral,
            person=manager.person,
            business_closed=True,
            amount=Decimal("-1"),  # type: ignore[attr-defined]
        )
    assert field_errors(exc)["amount"] == ["Montant : le montant ne peut pas être négatif."]
    referral.refresh_from_db()
    assert referral.is_pending


def test_a_zero_amount_is_accepted(club: Network, member: User, manager: User) -> None:
    referral = give(club, member, manager)
    referral_record_outcome(
        referral=referral, person=manager.person, business_closed=True, amount=Decimal("0")
    )  # type: ignore[attr-defined]
    referral.refresh_from_db()
    assert referral.amount == Decimal("0")


def test_closed_business_needs_an_amount(club: Network, member: User, manager: User) -> None:
    referral = give(club, member, manager)
    with pytest.raises(ValidationError) as exc:
        referral_record_outcome(referral=referral, person=manager.person, business_closed=True)  # type: ignore[attr-defined]
    assert "amount" in field_errors(exc)


def test_no_amount_without_business(club: Network, member: User, manager: User) -> None:
    referral = give(club, member, manager)
    with pytest.raises(ValidationError) as exc:
        referral_record_outcome(
            referral=referral,
            person=manager.person,
            business_closed=False,
            amount=Decimal("10"),  # type: ignore[attr-defined]
        )
    assert "amount" in field_errors(exc)


def test_only_the_recipient_records_the_outcome(club: Network, member: User, manager: User) -> None:
    referral = give(club, member, manager)
    with pytest.raises(ValidationError, match="Seul le destinataire"):
        referral_record_outcome(referral=referral, person=member.person, business_closed=False)  # type: ignore[attr-defined]


def test_the_business_date_cannot_precede_the_referral_nor_be_in_the_future(
    club: Network, member: User, manager: User
) -> None:
    today = timezone.localdate()
    referral = give(club, member, manager, given_on=today - dt.timedelta(days=10))
    for day in (today - dt.timedelta(days=11), today + dt.timedelta(days=1)):
        with pytest.raises(ValidationError) as exc:
            referral_record_outcome(
                referral=referral,
                person=manager.person,
                business_closed=True,
                amount=Decimal("1"),
                closed_on=day,  # type: ignore[attr-defined]
            )
        assert "closed_on" in field_errors(exc)


def test_no_outcome_is_recorded_once_the_network_refuses_solicitation(
    club: Network, member: User, manager: User
) -> None:
    referral = give(club, member, manager)
    Network.objects.filter(pk=club.pk).update(refuses_solicitation=True)
    with pytest.raises(ValidationError, match="refuse toute sollicitation"):
        referral_record_outcome(referral=referral, person=manager.person, business_closed=False)  # type: ignore[attr-defined]


def test_the_database_refuses_a_negative_amount(club: Network, member: User) -> None:
    person = member.person  # type: ignore[attr-defined]
    other = MembershipFactory(network=club).person
    with pytest.raises(IntegrityError):
        Referral.objects.create(
            network=club, giver=person, recipient=other, subject="x", temperature="hot",
            given_on=dt.date(2026, 1, 1), amount=Decimal("-5"),
        )  # fmt: skip


def test_the_database_refuses_a_referral_to_oneself(club: Network, member: User) -> None:
    person = member.person  # type: ignore[attr-defined]
    with pytest.raises(IntegrityError):
        Referral.objects.create(
            network=club,
            giver=person,
            recipient=person,
            subject="x",
            temperature="hot",
            given_on=dt.date(2026, 1, 1),
        )
