"""Who may see and do what, for each named role (see tests/conftest.py).

Pages a role may not see answer 404, as for a network that does not exist, so
guessing another network's address tells nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from meute.accounts.models import ConsentPurpose, User
from meute.networks.models import OPEN_STATUSES, Membership, Network, Status
from tests.conftest import ROLES
from tests.factories import ConsentFactory, MembershipFactory, NetworkFactory, PersonFactory

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Client]
LOGIN = reverse("accounts:login")


def edit_payload(network: Network, **changes: object) -> dict[str, object]:
    """A complete, valid POST of the edit form for `network`."""
    data: dict[str, object] = {
        "tagline": network.tagline,
        "description": network.description,
        "purposes": list(network.purposes),
        "sectors": list(network.sectors),
        "themes": ", ".join(network.themes),
        "territory": network.territory,
        "commune": network.commune_id or "",
        "rhythm": network.rhythm,
        "formats": list(network.formats),
        "hours_per_month": network.hours_per_month,
        "member_cap": network.member_cap or "",
        "admission_mode": network.admission_mode,
        "charter": network.charter,
        "charter_version": network.charter_version,
        "languages": ", ".join(network.languages),
        "contact_name": network.contact_name,
        "contact_email": network.contact_email,
        "contact_phone": network.contact_phone,
        "website": network.website,
        "dues_amount": network.dues_amount or "",
    }
    data.update(changes)
    return data


def assert_sent_to_login(response: object, url: str) -> None:
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response.url == f"{LOGIN}?next={url}"  # type: ignore[attr-defined]


# The member list


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("manager", 200), ("member", 200), ("other_member", 404), ("anonymous", 302)],
)
def test_the_member_list_is_for_the_networks_members_and_staff(
    as_role: AsRole, club: Network, role: str, status: int
) -> None:
    url = reverse("networks:members", args=[club.slug])
    response = as_role(role).get(url)
    assert response.status_code == status
    if role == "anonymous":
        assert_sent_to_login(response, url)


def test_it_hides_the_member_list_from_a_member_of_another_network(as_role: AsRole, club: Network) -> None:
    response = as_role("other_member").get(reverse("networks:members", args=[club.slug]))
    assert response.status_code == 404
    assert b"membre@club.example" not in response.content


def test_a_non_member_gets_the_same_answer_as_for_a_network_that_does_not_exist(
    as_role: AsRole, club: Network
) -> None:
    client = as_role("other_member")
    assert client.get(reverse("networks:members", args=["nulle-part"])).status_code == 404
    assert client.get(reverse("networks:members", args=[club.slug])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_login_whether_or_not_the_network_exists(
    as_role: AsRole, club: Network
) -> None:
    client = as_role("anonymous")
    assert client.get(reverse("networks:members", args=["nulle-part"])).status_code == 302
    assert client.get(reverse("networks:edit", args=["nulle-part"])).status_code == 302


def test_a_former_member_no_longer_sees_the_member_list(as_role: AsRole, club: Network, member: User) -> None:
    Membership.objects.filter(person=member.person, network=club).update(status=Status.LEFT)
    assert as_role("member").get(reverse("networks:members", args=[club.slug])).status_code == 404


def test_the_member_list_shows_only_consenting_members_and_counts_the_others(
    as_role: AsRole, club: Network, manager: User, member: User
) -> None:
    # `member` consents (conftest); `manager` never answered.
    changed_mind = MembershipFactory(
        network=club, person=PersonFactory(first_name="Jeanne", last_name="Refus")
    )
    ConsentFactory(person=changed_mind.person, purpose=ConsentPurpose.DIRECTORY, granted=True)
    ConsentFactory(person=changed_mind.person, purpose=ConsentPurpose.DIRECTORY, granted=False)
    matchmaking_only = MembershipFactory(network=club, person=PersonFactory(last_name="Rencontres"))
    ConsentFactory(person=matchmaking_only.person, purpose=ConsentPurpose.MATCHMAKING, granted=True)
    gone = MembershipFactory(network=club, status=Status.LEFT, person=PersonFactory(last_name="Parti"))
    ConsentFactory(person=gone.person, purpose=ConsentPurpose.DIRECTORY, granted=True)

    response = as_role("member").get(reverse("networks:members", args=[club.slug]))

    assert [m.person for m in response.context["members"]] == [member.person]
    assert response.context["hidden"] == 3  # manager, Refus, Rencontres; the former member is not counted
    html = response.content.decode()
    assert member.person.full_name in html
    for absent in ("Refus", "Rencontres", "Parti", manager.person.last_name):
        assert absent not in html
    assert "3 autres membres n" in html


# The edit page


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("manager", 200), ("member", 404), ("other_member", 404), ("anonymous", 302)],
)
def test_the_edit_page_is_for_the_networks_managers_and_staff(
    as_role: AsRole, club: Network, role: str, status: int
) -> None:
    url = reverse("networks:edit", args=[club.slug])
    response = as_role(role).get(url)
    assert response.status_code == status
    if role == "anonymous":
        assert_sent_to_login(response, url)


@pytest.mark.parametrize(
    ("role", "status", "saved"),
    [
        ("staff", 302, True),
        ("manager", 302, True),
        ("member", 404, False),
        ("other_member", 404, False),
        ("anonymous", 302, False),
    ],
)
def test_only_managers_and_staff_can_post_an_edit(
    as_role: AsRole, club: Network, role: str, status: int, saved: bool
) -> None:
    url = reverse("networks:edit", args=[club.slug])
    response = as_role(role).post(url, edit_payload(club, tagline="Nouvelle accroche"))
    assert response.status_code == status
    if role == "anonymous":
        assert_sent_to_login(response, url)
    elif saved:
        assert response.url == club.get_absolute_url()
    club.refresh_from_db()
    assert (club.tagline == "Nouvelle accroche") is saved


def test_a_manager_cannot_reach_another_networks_edit_page(
    as_role: AsRole, manager: User, other_club: Network
) -> None:
    client = as_role("manager")
    url = reverse("networks:edit", args=[other_club.slug])
    before = other_club.tagline
    assert client.get(url).status_code == 404
    assert client.post(url, edit_payload(other_club, tagline="Piratage")).status_code == 404
    other_club.refresh_from_db()
    assert other_club.tagline == before


def test_a_former_president_is_no_longer_a_manager(as_role: AsRole, club: Network, manager: User) -> None:
    Membership.objects.filter(person=manager.person, network=club).update(status=Status.LEFT)
    assert as_role("manager").get(reverse("networks:edit", args=[club.slug])).status_code == 404


def test_the_edit_form_names_the_member_cap_when_it_is_below_the_active_members(
    as_role: AsRole, club: Network, manager: User, member: User
) -> None:
    MembershipFactory(network=club)  # three active members now
    before = club.tagline
    response = as_role("manager").post(
        reverse("networks:edit", args=[club.slug]), edit_payload(club, member_cap=2, tagline="Changée")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["member_cap"]
    assert "3 membres actifs" in response.context["form"].errors["member_cap"][0]
    club.refresh_from_db()
    assert (club.member_cap, club.tagline) == (20, before)


def test_the_edit_form_names_an_invalid_phone(as_role: AsRole, club: Network, manager: User) -> None:
    response = as_role("manager").post(
        reverse("networks:edit", args=[club.slug]), edit_payload(club, contact_phone="12345")
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["contact_phone"]


def test_a_detail_page_links_to_the_member_area_only_for_those_who_may_use_it(
    as_role: AsRole, club: Network
) -> None:
    members_url = reverse("networks:members", args=[club.slug])
    edit_url = reverse("networks:edit", args=[club.slug])
    expected = {
        "staff": (True, True),
        "manager": (True, True),
        "member": (True, False),
        "other_member": (False, False),
        "anonymous": (False, False),
    }
    for role in ROLES:
        html = as_role(role).get(club.get_absolute_url()).content.decode()
        assert ((members_url in html), (edit_url in html)) == expected[role], role


# Joining


@pytest.mark.parametrize(
    ("role", "open_memberships_after"),
    [("staff", 1), ("manager", 1), ("member", 1), ("other_member", 1), ("anonymous", 0)],
)
def test_every_logged_in_role_can_ask_to_join_and_anonymous_is_sent_to_login(
    as_role: AsRole, club: Network, role: str, open_memberships_after: int, request: pytest.FixtureRequest
) -> None:
    url = reverse("networks:join", args=[club.slug])
    response = as_role(role).post(url)
    assert response.status_code == 302
    if role == "anonymous":
        assert_sent_to_login(response, url)
        assert not Membership.objects.exclude(person__user__isnull=False).filter(network=club).exists()
        return
    assert response.url == club.get_absolute_url()
    person = request.getfixturevalue(role).person
    # Already members keep their one open membership: no duplicate.
    assert (
        Membership.objects.filter(person=person, network=club, status__in=OPEN_STATUSES).count()
        == open_memberships_after
    )


def test_a_member_of_another_network_joins_an_open_club_at_once(
    as_role: AsRole, club: Network, other_member: User
) -> None:
    response = as_role("other_member").post(reverse("networks:join", args=[club.slug]), follow=True)
    assert "Bienvenue : vous êtes membre de Club des dirigeants du Bâtiment." in response.content.decode()
    assert Membership.objects.get(person=other_member.person, network=club).status == Status.ACTIVE


def test_a_member_asking_again_is_told_they_already_belong(as_role: AsRole, club: Network) -> None:
    response = as_role("member").post(reverse("networks:join", args=[club.slug]), follow=True)
    assert "Vous avez déjà une adhésion" in response.content.decode()


def test_joining_a_full_open_network_puts_one_on_the_waiting_list(
    as_role: AsRole, club: Network, other_member: User
) -> None:
    Network.objects.filter(pk=club.pk).update(member_cap=1)
    MembershipFactory(network=club)
    response = as_role("other_member").post(reverse("networks:join", args=[club.slug]), follow=True)
    assert "est complet : vous êtes sur la liste d" in response.content.decode()
    assert Membership.objects.get(person=other_member.person, network=club).status == Status.WAITLISTED


def test_joining_a_network_on_application_sends_the_application_to_the_board(
    as_role: AsRole, club: Network, other_member: User
) -> None:
    Network.objects.filter(pk=club.pk).update(admission_mode="application")
    response = as_role("other_member").post(reverse("networks:join", args=[club.slug]), follow=True)
    assert "est envoyée au bureau" in response.content.decode()
    assert Membership.objects.get(person=other_member.person, network=club).status == Status.APPLIED


def test_joining_needs_a_post(as_role: AsRole, club: Network) -> None:
    assert as_role("other_member").get(reverse("networks:join", args=[club.slug])).status_code == 405


def test_an_unpublished_network_cannot_be_joined(as_role: AsRole, other_member: User) -> None:
    hidden = NetworkFactory(is_published=False)
    assert as_role("other_member").post(reverse("networks:join", args=[hidden.slug])).status_code == 404
    assert not Membership.objects.filter(network=hidden).exists()


# Profile, administration, managed networks


@pytest.mark.parametrize("role", ROLES)
def test_the_profile_page_needs_a_login(as_role: AsRole, role: str) -> None:
    url = reverse("accounts:profile")
    response = as_role(role).get(url)
    if role == "anonymous":
        assert_sent_to_login(response, url)
    else:
        assert response.status_code == 200


def test_the_profile_lists_ones_own_memberships_only(
    as_role: AsRole, member: User, other_member: User
) -> None:
    response = as_role("member").get(reverse("accounts:profile"))
    assert [m.network.slug for m in response.context["memberships"]] == ["club"]
    assert "Autre club" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("manager", 302), ("member", 302), ("other_member", 302), ("anonymous", 302)],
)
def test_the_administration_is_for_cci_staff_only(as_role: AsRole, role: str, status: int) -> None:
    response = as_role(role).get("/admin/")
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    ("role", "slugs"),
    [
        ("staff", ["club", "other-club"]),
        ("manager", ["club"]),
        ("member", []),
        ("other_member", []),
    ],
)
def test_my_networks_lists_only_the_networks_one_manages(
    as_role: AsRole, club: Network, other_club: Network, role: str, slugs: list[str]
) -> None:
    response = as_role(role).get(reverse("networks:managed"))
    assert response.status_code == 200
    assert sorted(n.slug for n in response.context["networks"]) == slugs


def test_my_networks_asks_a_visitor_to_log_in(as_role: AsRole) -> None:
    response = as_role("anonymous").get(reverse("networks:managed"))
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]


# CSRF


@pytest.fixture
def csrf_client(other_member: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_member, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_a_join_without_csrf_token_is_refused(csrf_client: Client, club: Network, other_member: User) -> None:
    assert csrf_client.post(reverse("networks:join", args=[club.slug])).status_code == 403
    assert not Membership.objects.filter(person=other_member.person, network=club).exists()


def test_an_edit_without_csrf_token_is_refused(manager: User, club: Network) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("networks:edit", args=[club.slug])
    assert client.post(url, edit_payload(club, tagline="Sans jeton")).status_code == 403
    club.refresh_from_db()
    assert club.tagline != "Sans jeton"


def test_a_login_without_csrf_token_is_refused(member: User) -> None:
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="10.0.0.1")
    response = client.post(
        LOGIN, {"username": "membre@club.example", "password": "une-Phrase-de-passe-solide-42"}
    )
    assert response.status_code == 403


def test_a_join_with_the_csrf_token_of_the_page_goes_through(csrf_client: Client, club: Network) -> None:
    csrf_client.get(club.get_absolute_url())
    token = csrf_client.cookies["csrftoken"].value
    response = csrf_client.post(reverse("networks:join", args=[club.slug]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
