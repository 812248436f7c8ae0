"""The personal calendar feed: made only on request, revocable, and listing only what one may see now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from meute.accounts.models import User
from meute.events import services
from meute.events.models import Audience, CalendarFeed, Event
from meute.networks.models import Membership, Network, Status
from tests.events.test_registrations import _ics_events, make_event

pytestmark = pytest.mark.django_db


def summaries(client: Client, feed: CalendarFeed) -> list[str]:
    response = client.get(f"/calendrier/{feed.token}.ics")
    assert response.status_code == 200
    return [str(v["summary"]) for v in _ics_events(response.content)]


@pytest.fixture
def council(club: Network, member: User) -> Event:
    event = make_event(club, title="Conseil restreint", place="Salle secrète")
    services.registration_create(event=event, person=member.person)
    return event


def test_looking_at_my_events_does_not_create_a_calendar_address(
    as_role: Callable[[str], Client], member: User
) -> None:
    page = as_role("member").get("/evenements/mes-evenements/")

    assert page.status_code == 200
    assert not CalendarFeed.objects.exists()
    assert "Créer mon adresse d'agenda" in page.content.decode()
    assert "/calendrier/" not in page.content.decode()


def test_the_calendar_address_is_made_by_an_explicit_post_and_then_shown(
    as_role: Callable[[str], Client], member: User
) -> None:
    client = as_role("member")

    assert client.post("/evenements/mes-evenements/", {"action": "create"}).status_code == 302

    feed = CalendarFeed.objects.get(person=member.person)
    assert f"/calendrier/{feed.token}.ics" in client.get("/evenements/mes-evenements/").content.decode()


def test_renewing_the_address_revokes_the_old_one(
    as_role: Callable[[str], Client], member: User, council: Event, client: Client
) -> None:
    old = services.calendar_feed_issue(person=member.person)

    as_role("member").post("/evenements/mes-evenements/", {"action": "renew"})

    new = CalendarFeed.objects.get(person=member.person)
    assert new.token != old.token
    assert client.get(f"/calendrier/{old.token}.ics").status_code == 404
    assert summaries(client, new) == ["Conseil restreint"]


def test_removing_the_address_makes_it_stop_working(
    as_role: Callable[[str], Client], member: User, client: Client
) -> None:
    feed = services.calendar_feed_issue(person=member.person)

    as_role("member").post("/evenements/mes-evenements/", {"action": "revoke"})

    assert not CalendarFeed.objects.exists()
    assert client.get(f"/calendrier/{feed.token}.ics").status_code == 404


def test_an_unknown_action_changes_nothing(as_role: Callable[[str], Client], member: User) -> None:
    feed = services.calendar_feed_issue(person=member.person)

    as_role("member").post("/evenements/mes-evenements/", {"action": "whatever"})

    assert CalendarFeed.objects.get(person=member.person).token == feed.token


def test_the_feed_drops_a_members_only_event_once_the_membership_ended(
    club: Network, member: User, council: Event, client: Client
) -> None:
    feed = services.calendar_feed_issue(person=member.person)
    assert summaries(client, feed) == ["Conseil restreint"]

    Membership.objects.filter(person=member.person, network=club).update(status=Status.LEFT)

    body = client.get(f"/calendrier/{feed.token}.ics").content.decode()
    assert "Conseil restreint" not in body and "Salle secrète" not in body


def test_the_feed_keeps_a_public_event_after_the_membership_ended(
    club: Network, member: User, client: Client
) -> None:
    event = make_event(club, title="Portes ouvertes", audience=Audience.PUBLIC)
    services.registration_create(event=event, person=member.person)
    feed = services.calendar_feed_issue(person=member.person)

    Membership.objects.filter(person=member.person, network=club).update(status=Status.LEFT)

    assert summaries(client, feed) == ["Portes ouvertes"]


def test_the_feed_drops_an_event_whose_audience_narrowed_away_from_a_partner(
    club: Network, other_club: Network, other_member: User, client: Client
) -> None:
    event = make_event(club, title="Soirée partenaires", audience=Audience.PARTNERS)
    event.partner_networks.set([other_club])
    services.registration_create(event=event, person=other_member.person)
    feed = services.calendar_feed_issue(person=other_member.person)
    assert summaries(client, feed) == ["Soirée partenaires"]

    Event.objects.filter(pk=event.pk).update(audience=Audience.MEMBERS)

    assert summaries(client, feed) == []


def test_the_feed_of_a_deactivated_account_lists_nothing(
    member: User, council: Event, client: Client
) -> None:
    feed = services.calendar_feed_issue(person=member.person)
    User.objects.filter(pk=member.pk).update(is_active=False)

    assert summaries(client, feed) == []


def test_my_events_no_longer_lists_an_event_i_may_not_see(
    club: Network, member: User, council: Event, as_role: Callable[[str], Client]
) -> None:
    assert "Conseil restreint" in as_role("member").get("/evenements/mes-evenements/").content.decode()

    Membership.objects.filter(person=member.person, network=club).update(status=Status.LEFT)

    assert "Conseil restreint" not in as_role("member").get("/evenements/mes-evenements/").content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_my_events_asks_a_visitor_to_log_in(client: Client, method: str, db: Any) -> None:
    response = getattr(client, method)("/evenements/mes-evenements/", {"action": "create"})

    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    assert not CalendarFeed.objects.exists()
