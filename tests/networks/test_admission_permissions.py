"""Who may see and use each admissions page, for every role; other networks' ids answer 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.networks.models import AdmissionMode, Membership, Network, Status
from tests.factories import MembershipFactory, PersonFactory
from tests.networks.conftest import ALL_ROLES

pytestmark = pytest.mark.django_db

AsAny = Callable[[str], Client]
MANAGERS = {"staff", "manager"}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", ["manage", "audit"])
def test_only_staff_and_the_network_managers_see_the_board_pages(
    as_any: AsAny, club: Network, role: str, name: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("manager")
    response = as_any(role).get(reverse(f"networks:{name}", args=[club.slug]))
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in MANAGERS else 404)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_managers_export_contacts(as_any: AsAny, club: Network, role: str) -> None:
    response = as_any(role).get(reverse("networks:contacts_export", args=[club.slug]))
    expected = {"anonymous": 302}.get(role, 200 if role in MANAGERS else 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", ["approve", "refuse"])
def test_only_managers_decide_applications(
    as_any: AsAny, club: Network, role: str, action: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("manager")
    applied = MembershipFactory(network=club, status=Status.APPLIED, start_date=None)
    response = as_any(role).post(
        reverse(f"networks:{action}", args=[club.slug, applied.pk]), {"reason": "Complet cette année"}
    )
    applied.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302
        assert applied.status == (Status.ACTIVE if action == "approve" else Status.REFUSED)
    else:
        assert response.status_code == (302 if role == "anonymous" else 404)
        assert applied.status == Status.APPLIED


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_managers_change_roles_and_mark_departures(
    as_any: AsAny, club: Network, role: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("manager")
    target = MembershipFactory(network=club)
    client = as_any(role)
    r1 = client.post(reverse("networks:set_role", args=[club.slug, target.pk]), {"role": "board"})
    r2 = client.post(reverse("networks:mark_left", args=[club.slug, target.pk]), {"end_date": "2026-02-01"})
    target.refresh_from_db()
    if role in MANAGERS:
        assert (r1.status_code, r2.status_code) == (302, 302)
        assert (target.role, target.status) == ("board", Status.LEFT)
    else:
        assert {r1.status_code, r2.status_code} == {302 if role == "anonymous" else 404}
        assert (target.role, target.status) == ("member", Status.ACTIVE)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_managers_reorder_the_waiting_list(as_any: AsAny, club: Network, role: str) -> None:
    first = MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=1, start_date=None)
    second = MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=2, start_date=None)
    response = as_any(role).post(reverse("networks:waitlist_move", args=[club.slug, second.pk, "monter"]))
    first.refresh_from_db()
    second.refresh_from_db()
    moved = (second.queue_position, first.queue_position) == (1, 2)
    if role in MANAGERS:
        assert response.status_code == 302 and moved
    else:
        assert response.status_code == (302 if role == "anonymous" else 404) and not moved


@pytest.mark.parametrize("name", ["approve", "refuse", "set_role", "mark_left"])
def test_a_manager_guessing_another_networks_membership_ids_gets_a_404(
    as_any: AsAny, club: Network, other_club: Network, manager: User, name: str
) -> None:
    theirs = MembershipFactory(
        network=other_club, status=Status.APPLIED if name in ("approve", "refuse") else Status.ACTIVE
    )
    response = as_any("manager").post(
        reverse(f"networks:{name}", args=[club.slug, theirs.pk]),
        {"reason": "x", "role": "board", "end_date": "2026-02-01"},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == "member" and theirs.status in (Status.APPLIED, Status.ACTIVE)


def test_a_waitlist_move_in_an_unknown_direction_is_a_404(
    as_any: AsAny, club: Network, manager: User
) -> None:
    m = MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=1, start_date=None)
    assert (
        as_any("manager").post(reverse("networks:waitlist_move", args=[club.slug, m.pk, "x"])).status_code
        == 404
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_applications_page_needs_a_login_and_shows_only_ones_own(as_any: AsAny, role: str) -> None:
    response = as_any(role).get(reverse("networks:applications"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    shown = {m.person_id for m in response.context["rows"]}
    user = response.wsgi_request.user
    assert shown <= {user.person.pk}


@pytest.mark.parametrize("name", ["offer_accept", "offer_decline"])
@pytest.mark.parametrize("role", ALL_ROLES)
def test_nobody_answers_a_seat_offer_made_to_someone_else(
    as_any: AsAny, club: Network, role: str, name: str
) -> None:
    offered = MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=1, start_date=None)
    response = as_any(role).post(reverse(f"networks:{name}", args=[offered.pk]))
    assert response.status_code == (302 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_nobody_but_the_named_sponsor_answers_a_sponsorship(as_any: AsAny, club: Network, role: str) -> None:
    Network.objects.filter(pk=club.pk).update(admission_mode=AdmissionMode.COOPTATION)
    sponsor = MembershipFactory(network=club).person
    applied = MembershipFactory(network=club, status=Status.APPLIED, sponsor=sponsor, start_date=None)
    response = as_any(role).post(reverse("networks:sponsor_answer", args=[applied.pk]), {"answer": "confirm"})
    assert response.status_code == (302 if role == "anonymous" else 404)
    applied.refresh_from_db()
    assert applied.sponsor_confirmed_at is None


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_active_members_of_a_cooptation_network_propose_someone(
    as_any: AsAny, club: Network, role: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("manager")
    Network.objects.filter(pk=club.pk).update(admission_mode=AdmissionMode.COOPTATION)
    response = as_any(role).get(reverse("networks:propose", args=[club.slug]))
    expected = {"anonymous": 302, "member": 200, "manager": 200}.get(role, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_active_members_leave(
    as_any: AsAny, club: Network, role: str, request: pytest.FixtureRequest
) -> None:
    request.getfixturevalue("manager")
    response = as_any(role).post(reverse("networks:leave", args=[club.slug]))
    expected = {"anonymous": 302, "member": 302, "manager": 302}.get(role, 404)
    assert response.status_code == expected
    if role == "member":
        assert not Membership.objects.filter(
            network=club, status=Status.ACTIVE, person__user__email="membre@club.example"
        ).exists()


def test_the_new_forms_refuse_a_post_without_csrf_token(club: Network, manager: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    applied = MembershipFactory(network=club, status=Status.APPLIED, person=PersonFactory(), start_date=None)
    assert client.post(reverse("networks:approve", args=[club.slug, applied.pk])).status_code == 403
