"""« Supprimer mon compte »: personal data gone, the figures unchanged, log-in refused, a last e-mail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from meute.accounts.models import Consent, Person, User
from meute.audit.models import AuditEntry
from meute.events.models import Registration, RegistrationStatus
from meute.networks.models import Membership, Network, Role, Status
from meute.privacy.services import account_erase
from tests.api.conftest import make_event
from tests.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


def test_erasure_anonymises_and_keeps_the_rows_that_count(
    member: User,
    club: Network,
    django_capture_on_commit_callbacks: Callable,  # type: ignore[type-arg]
) -> None:
    person = member.person
    past = make_event(club, days=-30)
    Registration.objects.create(event=past, person=person, attendance="present")
    upcoming = make_event(club, days=10)
    Registration.objects.create(event=upcoming, person=person)
    email = member.email
    counts = (
        Membership.objects.count(),
        Registration.objects.count(),
        Registration.objects.filter(attendance="present").count(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        person_id = account_erase(user=member)
    assert not User.objects.filter(email=email).exists()
    anon = Person.objects.get(pk=person_id)
    assert (anon.first_name, anon.last_name, anon.email, anon.user) == ("Personne", "supprimée", "", None)
    assert anon.organisation is None or anon.organisation.name == "Entreprise anonymisée"
    assert not Consent.objects.filter(person=anon).exists()
    assert (
        Membership.objects.count(),
        Registration.objects.count(),
        Registration.objects.filter(attendance="present").count(),
    ) == counts
    assert Membership.objects.get(person=anon).status == Status.LEFT
    assert Registration.objects.get(event=upcoming).status == RegistrationStatus.CANCELLED
    entry = AuditEntry.objects.get(action="account.erase")
    assert email not in str(entry.summary) + str(entry.details) and "Moreau" not in entry.summary
    assert mail.outbox[-1].to == [email]


def test_after_erasure_log_in_is_refused(as_role: Callable[[str], Client], member: User) -> None:
    client = as_role("member")
    response = client.post("/comptes/mes-donnees/supprimer/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert client.get("/comptes/profil/").status_code == 302  # logged out
    again = Client()
    login = again.post("/comptes/connexion/", {"username": "membre@club.example", "password": PASSWORD})
    assert login.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in again.session


def test_the_wrong_password_erases_nothing(as_role: Callable[[str], Client], member: User) -> None:
    response = as_role("member").post(
        "/comptes/mes-donnees/supprimer/", {"password": "faux", "confirm": "on"}
    )
    assert response.status_code == 400
    assert User.objects.filter(pk=member.pk).exists()


def test_a_president_hands_over_first(as_role: Callable[[str], Client], manager: User) -> None:
    with pytest.raises(ValidationError, match="présidez"):
        account_erase(user=manager)
    response = as_role("manager").get("/comptes/mes-donnees/supprimer/")
    assert "transmettez" in response.content.decode()
    response = as_role("manager").post(
        "/comptes/mes-donnees/supprimer/", {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 400
    assert User.objects.filter(pk=manager.pk).exists()


def test_a_board_member_may_go_when_another_manager_stays(manager: User, club: Network) -> None:
    board = MembershipFactory(network=club, role=Role.BOARD)
    user = User.objects.create_user(email="bureau@club.example", password=PASSWORD)
    board.person.user = user
    board.person.save()
    account_erase(user=user)
    board.refresh_from_db()
    assert board.status == Status.LEFT


def test_the_chambers_figures_do_not_move(member: User, manager: User, club: Network) -> None:
    import datetime as dt

    from meute.barometer.models import BarometerReceipt
    from meute.barometer.services import barometer_answer
    from meute.referrals.models import Referral
    from meute.referrals.selectors import chamber_totals, member_totals

    Referral.objects.create(
        network=club,
        giver=member.person,
        recipient=manager.person,
        subject="Un chantier",
        temperature="hot",
        given_on=dt.date(2026, 3, 1),
        business_closed=True,
        amount=1200,
    )
    barometer_answer(
        person=member.person,
        network=club,
        activity="up",
        orders="up",
        hiring="stable",
        cash="normal",
        morale="neutral",
    )
    before = (chamber_totals(), len(member_totals(network=club)), BarometerReceipt.objects.count())
    account_erase(user=member)
    assert (chamber_totals(), len(member_totals(network=club)), BarometerReceipt.objects.count()) == before
