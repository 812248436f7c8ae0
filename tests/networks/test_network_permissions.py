"""Who may use the network pages the review found untested, for every role; guessed ids answer 404.

Roles (tests/conftest.py, ./conftest.py): staff, manager (president of `club`), other_manager
(president of `other_club`), member (of `club`), other_member (of `other_club`), anonymous.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from meute.networks.models import AdmissionMode, Membership, Network, Proposal, Status
from tests.factories import MembershipFactory
from tests.networks.conftest import ALL_ROLES

pytestmark = pytest.mark.django_db

AsAny = Callable[[str], Client]
LOGIN = reverse("accounts:login")


def sent_to_login(response: object, url: str) -> bool:
    return response.status_code == 302 and response.url == f"{LOGIN}?next={url}"  # type: ignore[attr-defined]


@pytest.fixture
def everyone(request: pytest.FixtureRequest) -> None:
    """Every role exists, so that each test runs with the others around."""
    for role in ALL_ROLES:
        request.getfixturevalue(role)


# networks:members


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 200),
        ("member", 200),
        ("other_manager", 404),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_the_member_list_is_for_the_networks_active_members_and_staff(
    as_any: AsAny, club: Network, everyone: None, role: str, status: int
) -> None:
    url = reverse("networks:members", args=[club.slug])
    response = as_any(role).get(url)
    if status == 302:
        assert sent_to_login(response, url)
    else:
        assert response.status_code == status
    if status == 200:
        assert "Claire Moreau" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "other_member", "other_manager"])
def test_a_member_list_of_an_unknown_or_foreign_network_answers_like_one_that_does_not_exist(
    as_any: AsAny, club: Network, other_club: Network, everyone: None, role: str
) -> None:
    client = as_any(role)
    unknown = client.get(reverse("networks:members", args=["nulle-part"]))
    foreign = client.get(
        reverse("networks:members", args=[other_club.slug if role == "member" else club.slug])
    )
    assert unknown.status_code == foreign.status_code == 404


def test_a_former_member_no_longer_sees_the_member_list(as_any: AsAny, club: Network, member: User) -> None:
    Membership.objects.filter(person=member.person, network=club).update(status=Status.LEFT)  # type: ignore[attr-defined]
    assert as_any("member").get(reverse("networks:members", args=[club.slug])).status_code == 404


# networks:detail of an unpublished network


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 200),
        ("manager", 200),
        ("member", 404),
        ("other_manager", 404),
        ("other_member", 404),
        ("anonymous", 404),
    ],
)
def test_an_unpublished_network_is_seen_only_by_its_managers_and_staff(
    as_any: AsAny, club: Network, everyone: None, role: str, status: int
) -> None:
    Network.objects.filter(pk=club.pk).update(is_published=False)
    assert as_any(role).get(reverse("networks:detail", args=[club.slug])).status_code == status


# networks:join


@pytest.mark.parametrize(
    ("role", "joins"),
    [
        ("staff", True),
        ("manager", False),  # already a member: told so, nothing created
        ("member", False),
        ("other_manager", True),
        ("other_member", True),
    ],
)
def test_joining_an_open_network(
    as_any: AsAny, club: Network, everyone: None, role: str, joins: bool, request: pytest.FixtureRequest
) -> None:
    person = request.getfixturevalue(role).person
    before = Membership.objects.filter(network=club, person=person).count()
    response = as_any(role).post(reverse("networks:join", args=[club.slug]))
    assert response.status_code == 302 and response.url == club.get_absolute_url()  # type: ignore[attr-defined]
    after = Membership.objects.filter(network=club, person=person)
    assert after.count() == before + joins
    assert after.filter(status=Status.ACTIVE).count() == 1


def test_joining_needs_a_login(as_any: AsAny, club: Network) -> None:
    url = reverse("networks:join", args=[club.slug])
    assert sent_to_login(as_any("anonymous").post(url), url)
    assert as_any("anonymous").get(url).status_code in (302, 405)


@pytest.mark.parametrize("role", ["staff", "manager", "member", "other_manager", "other_member"])
def test_nobody_joins_an_unpublished_or_unknown_network(
    as_any: AsAny, club: Network, everyone: None, role: str
) -> None:
    Network.objects.filter(pk=club.pk).update(is_published=False)
    before = Membership.objects.count()
    client = as_any(role)
    assert client.post(reverse("networks:join", args=[club.slug])).status_code == 404
    assert client.post(reverse("networks:join", args=["nulle-part"])).status_code == 404
    assert Membership.objects.count() == before


def test_joining_is_a_post(as_any: AsAny, club: Network) -> None:
    assert as_any("other_member").get(reverse("networks:join", args=[club.slug])).status_code == 405


# networks:propose (POST)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("staff", 404),  # staff manage, but only members vouch for someone
        ("manager", 302),
        ("member", 302),
        ("other_manager", 404),
        ("other_member", 404),
        ("anonymous", 302),
    ],
)
def test_only_active_members_of_a_cooptation_network_send_invitations(
    as_any: AsAny,
    club: Network,
    everyone: None,
    role: str,
    status: int,
    django_capture_on_commit_callbacks: object,
) -> None:
    Network.objects.filter(pk=club.pk).update(admission_mode=AdmissionMode.COOPTATION)
    url = reverse("networks:propose", args=[club.slug])
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = as_any(role).post(url, {"email": "ami@exemple.fr"})
    if role == "anonymous":
        assert sent_to_login(response, url)
    else:
        assert response.status_code == status
    invited = role in ("manager", "member")
    assert Proposal.objects.filter(network=club, email="ami@exemple.fr").exists() == invited
    assert len(mail.outbox) == int(invited)
    # Whoever proposes, no application is ever filed by a proposal.
    assert not Membership.objects.filter(network=club, status=Status.APPLIED).exists()


@pytest.mark.parametrize("role", ["manager", "member"])
def test_no_invitation_in_a_network_that_does_not_recruit_by_cooptation(
    as_any: AsAny, club: Network, everyone: None, role: str
) -> None:
    response = as_any(role).post(reverse("networks:propose", args=[club.slug]), {"email": "ami@exemple.fr"})
    assert response.status_code == 404
    assert not Proposal.objects.exists()


# networks:waitlist_move with another network's membership id


def test_a_manager_guessing_another_networks_waitlist_id_gets_a_404(
    as_any: AsAny, club: Network, other_club: Network, manager: User
) -> None:
    first = MembershipFactory(network=other_club, status=Status.WAITLISTED, queue_position=1, start_date=None)
    theirs = MembershipFactory(
        network=other_club, status=Status.WAITLISTED, queue_position=2, start_date=None
    )
    for direction in ("monter", "descendre"):
        response = as_any("manager").post(
            reverse("networks:waitlist_move", args=[club.slug, theirs.pk, direction])
        )
        assert response.status_code == 404
    first.refresh_from_db()
    theirs.refresh_from_db()
    assert (first.queue_position, theirs.queue_position) == (1, 2)


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_a_membership_id_under_the_wrong_networks_address_is_a_404_even_for_staff(
    as_any: AsAny, club: Network, other_club: Network, everyone: None, role: str
) -> None:
    # Staff manage every network, yet an id answers only under its own network's address.
    ours = MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=2, start_date=None)
    MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=1, start_date=None)
    slug = other_club.slug if role == "staff" else "nulle-part"
    response = as_any(role).post(reverse("networks:waitlist_move", args=[slug, ours.pk, "monter"]))
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.queue_position == 2


def test_the_other_networks_manager_cannot_move_our_waitlist_through_their_own_address(
    as_any: AsAny, club: Network, other_club: Network, other_manager: User
) -> None:
    ours = MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=2, start_date=None)
    MembershipFactory(network=club, status=Status.WAITLISTED, queue_position=1, start_date=None)
    response = as_any("other_manager").post(
        reverse("networks:waitlist_move", args=[other_club.slug, ours.pk, "monter"])
    )
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.queue_position == 2
