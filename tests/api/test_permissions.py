"""Every endpoint, for each role: CCI staff, network manager, member, member of another network,
anonymous; and ids of another network or event answer 404, as if they did not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from meute.accounts.models import User
from meute.dues.models import DuesPeriod
from meute.events.models import Event, EventKind, Registration, RegistrationStatus
from meute.networks.models import Membership, Network, Role, Status
from tests.api.conftest import ROLES, make_event
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Api = Callable[..., Client]
JSON = "application/json"


def expect(**codes: int) -> list[Any]:
    return [pytest.param(role, codes[role], id=role) for role in ROLES]


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=200, other_member=200, anonymous=200)
)
def test_the_directory_is_open_to_everyone(api_as: Api, club: Network, role: str, code: int) -> None:
    response = api_as(role).get("/api/v1/networks", {"q": "bâtiment"})
    assert response.status_code == code
    assert [n["slug"] for n in response.json()["items"]] == ["club"]


def test_the_directory_filters_and_hides_unpublished_networks(
    api_as: Api, club: Network, other_club: Network
) -> None:
    other_club.is_published = False
    other_club.save()
    assert [n["slug"] for n in api_as("anonymous").get("/api/v1/networks").json()["items"]] == ["club"]
    assert api_as("anonymous").get("/api/v1/networks", {"kind": "association"}).json()["count"] == 0


def test_public_counts_stay_hidden_under_five(api_as: Api, club: Network, member: User) -> None:
    assert api_as("anonymous").get("/api/v1/networks/club").json()["member_count"] is None


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=200, other_member=200, anonymous=200)
)
def test_a_network_page_is_public(api_as: Api, club: Network, role: str, code: int) -> None:
    assert api_as(role).get("/api/v1/networks/club").status_code == code
    assert api_as(role).get("/api/v1/networks/nowhere").status_code == 404


@pytest.mark.parametrize(
    ("role", "seen"), [("staff", 1), ("manager", 1), ("member", 1), ("other_member", 0), ("anonymous", 0)]
)
def test_a_networks_events_list_only_what_the_caller_may_see(
    api_as: Api, club_event: Event, role: str, seen: int
) -> None:
    assert api_as(role).get("/api/v1/networks/club/events").json()["count"] == seen
    assert api_as(role).get("/api/v1/events").json()["count"] == seen


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=200, other_member=404, anonymous=404)
)
def test_a_members_only_event_is_not_found_by_outsiders(
    api_as: Api, club_event: Event, role: str, code: int
) -> None:
    assert api_as(role).get(f"/api/v1/events/{club_event.pk}").status_code == code


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=409, manager=201, member=201, other_member=404, anonymous=401)
)
def test_registering(api_as: Api, club_event: Event, role: str, code: int) -> None:
    response = api_as(role).post(f"/api/v1/events/{club_event.pk}/registration")
    assert response.status_code == code
    if code == 201:
        assert response.json()["status"] == RegistrationStatus.CONFIRMED
    if code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert {"type", "title", "status", "detail"} <= set(response.json())


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=404, manager=404, member=200, other_member=404, anonymous=401)
)
def test_cancelling_ones_own_registration(
    api_as: Api, club_event: Event, member: User, role: str, code: int
) -> None:
    Registration.objects.create(event=club_event, person=member.person)
    response = api_as(role).delete(f"/api/v1/events/{club_event.pk}/registration")
    assert response.status_code == code
    expected = RegistrationStatus.CANCELLED if code == 200 else RegistrationStatus.CONFIRMED
    assert Registration.objects.get(person=member.person).status == expected


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=404, manager=404, member=200, other_member=404, anonymous=401)
)
def test_my_agenda_is_for_participants_only(
    api_as: Api, club: Network, member: User, role: str, code: int
) -> None:
    event = make_event(club, kind=EventKind.SPEED)
    Registration.objects.create(event=event, person=member.person)
    response = api_as(role).get(f"/api/v1/events/{event.pk}/agenda")
    assert response.status_code == code
    if code == 200:
        assert response.json() == {"event": event.pk, "published": False, "rounds": []}


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=404, other_member=404, anonymous=401)
)
def test_the_checkin_list_is_for_organisers(
    api_as: Api, club_event: Event, member: User, role: str, code: int
) -> None:
    Registration.objects.create(event=club_event, person=member.person)
    response = api_as(role).get(f"/api/v1/events/{club_event.pk}/checkin")
    assert response.status_code == code
    if code == 200:
        assert [r["last_name"] for r in response.json()["items"]] == ["Moreau"]


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=404, other_member=404, anonymous=401)
)
def test_checking_in(api_as: Api, club_event: Event, member: User, role: str, code: int) -> None:
    registration = Registration.objects.create(event=club_event, person=member.person)
    response = api_as(role).post(
        f"/api/v1/events/{club_event.pk}/checkin/{registration.pk}",
        {"attendance": "excused"},
        content_type=JSON,
    )
    assert response.status_code == code
    registration.refresh_from_db()
    assert registration.attendance == ("excused" if code == 200 else "")


def test_checking_in_a_registration_of_another_event_is_not_found(
    api_as: Api, club_event: Event, other_event: Event, other_member: User
) -> None:
    theirs = Registration.objects.create(event=other_event, person=other_member.person)
    response = api_as("manager").post(
        f"/api/v1/events/{club_event.pk}/checkin/{theirs.pk}", {"attendance": "excused"}, content_type=JSON
    )
    assert response.status_code == 404
    assert api_as("manager").get(f"/api/v1/events/{other_event.pk}/checkin").status_code == 404


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=200, other_member=200, anonymous=401)
)
@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/me/registrations", "/api/v1/me/memberships"])
def test_my_data_needs_an_account(api_as: Api, club: Network, path: str, role: str, code: int) -> None:
    assert api_as(role).get(path).status_code == code


def test_my_memberships_are_mine_only(api_as: Api, member: User, other_member: User) -> None:
    assert [m["network"] for m in api_as("member").get("/api/v1/me/memberships").json()["items"]] == ["club"]


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=404, other_member=404, anonymous=401)
)
@pytest.mark.parametrize("what", ["members", "applications", "dues"])
def test_management_lists_are_for_managers(
    api_as: Api, club: Network, member: User, what: str, role: str, code: int
) -> None:
    assert api_as(role).get(f"/api/v1/networks/club/{what}").status_code == code


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=404, other_member=404, anonymous=401)
)
def test_approving_an_application(api_as: Api, applicant: Membership, role: str, code: int) -> None:
    response = api_as(role).post(f"/api/v1/networks/club/applications/{applicant.pk}/approve")
    assert response.status_code == code
    applicant.refresh_from_db()
    assert applicant.status == (Status.ACTIVE if code == 200 else Status.APPLIED)


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=404, other_member=404, anonymous=401)
)
def test_declining_an_application(api_as: Api, applicant: Membership, role: str, code: int) -> None:
    response = api_as(role).post(
        f"/api/v1/networks/club/applications/{applicant.pk}/decline", {"reason": "Complet"}, content_type=JSON
    )
    assert response.status_code == code
    applicant.refresh_from_db()
    assert applicant.status == (Status.REFUSED if code == 200 else Status.APPLIED)


def test_declining_without_a_reason_names_the_field(
    api_as: Api, applicant: Membership, manager: User
) -> None:
    response = api_as("manager").post(
        f"/api/v1/networks/club/applications/{applicant.pk}/decline", {"reason": " "}, content_type=JSON
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "reason"


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=404, other_member=404, anonymous=401)
)
def test_changing_a_role(api_as: Api, club: Network, member: User, role: str, code: int) -> None:
    membership = member.person.memberships.get()
    response = api_as(role).post(
        f"/api/v1/networks/club/members/{membership.pk}/role", {"role": Role.BOARD}, content_type=JSON
    )
    assert response.status_code == code
    membership.refresh_from_db()
    assert membership.role == (Role.BOARD if code == 200 else Role.MEMBER)


@pytest.mark.parametrize(
    ("role", "code"), expect(staff=200, manager=200, member=404, other_member=404, anonymous=401)
)
def test_recording_a_dues_payment(api_as: Api, period: DuesPeriod, role: str, code: int) -> None:
    response = api_as(role).post(
        f"/api/v1/networks/club/dues/{period.pk}/payment", {"paid_on": "2026-01-10"}, content_type=JSON
    )
    assert response.status_code == code
    period.refresh_from_db()
    assert (period.paid_on is not None) == (code == 200)


def test_ids_of_another_network_are_not_found_by_its_neighbours_manager(
    api_as: Api, manager: User, other_applicant: Membership, other_member: User
) -> None:
    client = api_as("manager")
    theirs = other_member.person.memberships.get()
    other_period = DuesPeriod.objects.create(
        membership=theirs, start="2026-01-01", end="2026-12-31", amount=50
    )
    assert client.post(f"/api/v1/networks/club/applications/{other_applicant.pk}/approve").status_code == 404
    assert (
        client.post(
            f"/api/v1/networks/club/members/{theirs.pk}/role", {"role": "board"}, content_type=JSON
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/networks/club/dues/{other_period.pk}/payment",
            {"paid_on": "2026-01-10"},
            content_type=JSON,
        ).status_code
        == 404
    )
    assert client.get("/api/v1/networks/other-club/members").status_code == 404
    assert client.post(f"/api/v1/networks/club/applications/{2**63}/approve").status_code in (404, 422)
    other_applicant.refresh_from_db()
    assert other_applicant.status == Status.APPLIED


def test_a_cci_event_without_network_is_registrable_by_anyone_logged_in(api_as: Api, member: User) -> None:
    from meute.events.models import Audience

    event = make_event(None, audience=Audience.PUBLIC)
    assert api_as("anonymous").get(f"/api/v1/events/{event.pk}").json()["network"] is None
    assert api_as("member").post(f"/api/v1/events/{event.pk}/registration").status_code == 201


def test_a_member_of_a_manager_network_sees_no_other_members(
    api_as: Api, club: Network, member: User
) -> None:
    MembershipFactory(network=club, status=Status.ACTIVE)
    assert api_as("member").get("/api/v1/networks/club/members").status_code == 404


@pytest.mark.parametrize("paid_on", ["0001-01-01", "1899-12-31"])
def test_a_dues_payment_dated_out_of_range_is_refused_by_the_api_too(
    api_as: Api, period: DuesPeriod, paid_on: str
) -> None:
    response = api_as("manager").post(
        f"/api/v1/networks/club/dues/{period.pk}/payment", {"paid_on": paid_on}, content_type=JSON
    )
    assert response.status_code in (400, 422)
    assert "1900" in response.content.decode()
    period.refresh_from_db()
    assert period.paid_on is None
