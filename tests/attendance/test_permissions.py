"""Who may see the attendance and visitor pages: the board of the network and CCI staff;
each member their own record. Everyone else gets a 404; the anonymous go to log in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.attendance.models import AttendanceRecord, AttendanceRule, Visitor
from meute.networks.models import Network
from tests.dues.conftest import ALL_ROLES, make_event

pytestmark = pytest.mark.django_db

ClientFor = Callable[[str], Client]
LOGIN = reverse("accounts:login")
BOARD_ONLY = {"staff": 200, "manager": 200, "other_manager": 404, "member": 404, "other_member": 404}
OWN_ONLY = {"staff": 404, "manager": 200, "other_manager": 404, "member": 200, "other_member": 404}


def expect(client: Client, url: str, role: str, table: dict[str, int]) -> None:
    response = client.get(url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next={url}"
    else:
        assert response.status_code == table[role], (role, url)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_meetings_page_is_for_the_board(role: str, client_for: ClientFor, club: Network) -> None:
    expect(client_for(role), reverse("attendance:meetings", args=[club.slug]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_taking_attendance_is_for_the_board(role: str, client_for: ClientFor, club: Network) -> None:
    event = make_event(club)
    expect(client_for(role), reverse("attendance:take", args=[club.slug, event.pk]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_at_risk_page_is_for_the_board(role: str, client_for: ClientFor, club: Network) -> None:
    expect(client_for(role), reverse("attendance:at_risk", args=[club.slug]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_member_sees_their_own_attendance(role: str, client_for: ClientFor, club: Network) -> None:
    expect(client_for(role), reverse("attendance:mine", args=[club.slug]), role, OWN_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_visitor_list_is_for_the_board(role: str, client_for: ClientFor, club: Network) -> None:
    expect(client_for(role), reverse("attendance:visitors", args=[club.slug]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_a_visitor_page_is_for_the_board(role: str, client_for: ClientFor, club: Network) -> None:
    visitor = Visitor.objects.create(network=club, name="Jeanne Invitée")
    expect(client_for(role), reverse("attendance:visitor", args=[club.slug, visitor.pk]), role, BOARD_ONLY)


@pytest.mark.parametrize("role", ["staff", "manager", "other_manager", "member", "other_member"])
def test_posting_a_register_or_rule_is_refused_outside_the_board(
    role: str, client_for: ClientFor, club: Network, member: User
) -> None:
    event = make_event(club)
    client = client_for(role)
    allowed = role in ("staff", "manager")
    data = {f"status_{member.person.pk}": "present"}
    # The manager fixture is only created for roles that need it; the register then holds the member alone.
    response = client.post(reverse("attendance:take", args=[club.slug, event.pk]), data)
    assert response.status_code in ((200, 302) if allowed else (404,))
    response = client.post(
        reverse("attendance:at_risk", args=[club.slug]), {"max_unexcused": 1, "window_months": 3}
    )
    assert response.status_code == (302 if allowed else 404)
    assert AttendanceRule.objects.exists() == allowed
    response = client.post(reverse("attendance:visitors", args=[club.slug]), {"name": "Jeanne"})
    assert response.status_code == (302 if allowed else 404)
    assert Visitor.objects.exists() == allowed


def test_another_networks_meeting_answers_404_through_ones_own_network(
    client_for: ClientFor, club: Network, other_club: Network, manager: User
) -> None:
    foreign = make_event(other_club)
    client = client_for("manager")
    assert client.get(reverse("attendance:take", args=[club.slug, foreign.pk])).status_code == 404
    assert client.post(reverse("attendance:take", args=[club.slug, foreign.pk]), {}).status_code == 404
    assert client.get(reverse("attendance:take", args=[other_club.slug, foreign.pk])).status_code == 404
    assert (
        client.get(reverse("attendance:visitors", args=[club.slug]) + f"?reunion={foreign.pk}").status_code
        == 404
    )
    assert not AttendanceRecord.objects.exists()


def test_another_networks_visitor_answers_404(
    client_for: ClientFor, club: Network, other_club: Network, manager: User
) -> None:
    foreign = Visitor.objects.create(network=other_club, name="Secret")
    client = client_for("manager")
    assert client.get(reverse("attendance:visitor", args=[club.slug, foreign.pk])).status_code == 404
    response = client.post(reverse("attendance:visitor", args=[club.slug, foreign.pk]), {"status": "came"})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "invited"


def test_the_board_figures_count_only_their_own_network(
    client_for: ClientFor, club: Network, other_club: Network, manager: User, other_member: User
) -> None:
    foreign = make_event(other_club)
    AttendanceRecord.objects.create(event=foreign, person=other_member.person, status="absent")
    Visitor.objects.create(network=other_club, name="Ailleurs", status="came")
    response = client_for("manager").get(reverse("attendance:meetings", args=[club.slug]))
    figures = response.context["figures"]
    assert figures["meetings"] == 0
    assert figures["rate"] is None
    assert all(count == 0 for _label, count in figures["visitors"])
    assert "Réunion mensuelle" not in response.content.decode()


@pytest.mark.parametrize("value", ["²", "١٤", "-1", "0", str(2**64), "1e3"])
def test_a_meeting_id_that_is_not_plain_ascii_digits_gives_an_empty_form(
    client_for: ClientFor, club: Network, manager: User, value: str
) -> None:
    # str.isdigit() accepts "²" and Arabic-Indic digits, which then broke the page (500).
    response = client_for("manager").get(reverse("attendance:visitors", args=[club.slug]), {"reunion": value})
    assert response.status_code == 200
