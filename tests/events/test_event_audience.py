"""Who sees an event is decided by the audience it has now, and editing it can take partners away."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from meute.accounts.models import User
from meute.events import services
from meute.events.models import Audience, Event, EventKind, EventStatus
from meute.networks.models import Network
from tests.events.test_registrations import make_event

pytestmark = pytest.mark.django_db


def edit_data(event: Event, **changes: Any) -> dict[str, Any]:
    """The edit form as the organiser would post it, every partner box unticked."""
    data: dict[str, Any] = {
        "network": event.network_id,
        "title": event.title,
        "kind": event.kind,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "audience": event.audience,
        "status": event.status,
        "recurrence": "",
        "slots": event.slots,
        "slot_minutes": event.slot_minutes,
        "tables": event.tables,
        "request_ttl_hours": event.request_ttl_hours,
    }
    data.update(changes)
    return data


@pytest.fixture
def partner_event(club: Network, other_club: Network) -> Event:
    event = make_event(club, title="Soirée privée", audience=Audience.PARTNERS)
    event.partner_networks.set([other_club])
    return event


def test_unticking_every_partner_network_on_edit_removes_them(
    partner_event: Event, as_role: Callable[[str], Client], other_member: User
) -> None:
    response = as_role("manager").post(f"/evenements/{partner_event.pk}/modifier/", edit_data(partner_event))

    assert response.status_code == 302
    assert list(partner_event.partner_networks.all()) == []
    assert as_role("other_member").get(f"/evenements/{partner_event.pk}/").status_code == 404


def test_editing_keeps_the_partner_networks_still_ticked(
    partner_event: Event, other_club: Network, as_role: Callable[[str], Client]
) -> None:
    data = edit_data(partner_event, partner_networks=[other_club.pk], title="Soirée des partenaires")

    assert as_role("manager").post(f"/evenements/{partner_event.pk}/modifier/", data).status_code == 302
    assert list(partner_event.partner_networks.all()) == [other_club]


def test_saving_without_partner_ids_leaves_the_partners_alone(
    partner_event: Event, other_club: Network
) -> None:
    services.event_save(event=partner_event)

    assert list(partner_event.partner_networks.all()) == [other_club]


def test_a_partner_network_sees_a_partners_event_but_not_once_it_is_members_only(
    partner_event: Event, as_role: Callable[[str], Client], other_member: User
) -> None:
    detail, ics = f"/evenements/{partner_event.pk}/", f"/evenements/{partner_event.pk}/evenement.ics"
    assert as_role("other_member").get(detail).status_code == 200
    assert "Soirée privée" in as_role("other_member").get("/evenements/").content.decode()

    # The organiser makes it members-only and leaves the partner box ticked.
    Event.objects.filter(pk=partner_event.pk).update(audience=Audience.MEMBERS)

    client = as_role("other_member")
    assert client.get(detail).status_code == 404
    assert client.get(ics).status_code == 404
    assert "Soirée privée" not in client.get("/evenements/").content.decode()
    assert client.post(f"/evenements/{partner_event.pk}/inscription/").status_code == 404


def test_the_probe_edit_to_members_only_hides_the_event_from_former_partners(
    partner_event: Event, as_role: Callable[[str], Client], other_member: User
) -> None:
    # The review's probe: the organiser turns the event members-only and unticks the partner.
    data = edit_data(partner_event, audience=Audience.MEMBERS)

    assert as_role("manager").post(f"/evenements/{partner_event.pk}/modifier/", data).status_code == 302
    partner_event.refresh_from_db()
    assert partner_event.audience == Audience.MEMBERS
    assert not partner_event.partner_networks.exists()
    assert as_role("other_member").get(f"/evenements/{partner_event.pk}/").status_code == 404
    assert as_role("other_member").get(f"/evenements/{partner_event.pk}/evenement.ics").status_code == 404


def test_a_draft_of_a_partners_event_stays_with_the_organisers(
    partner_event: Event, as_role: Callable[[str], Client], other_member: User, member: User
) -> None:
    Event.objects.filter(pk=partner_event.pk).update(status=EventStatus.DRAFT)

    for role, expected in [
        ("other_member", 404),
        ("member", 404),
        ("manager", 200),
        ("staff", 200),
    ]:
        assert as_role(role).get(f"/evenements/{partner_event.pk}/").status_code == expected, role


def test_a_chamber_event_for_partners_is_seen_by_the_partner_networks_only(
    club: Network, other_club: Network, as_role: Callable[[str], Client], member: User, other_member: User
) -> None:
    start = timezone.now() + dt.timedelta(days=3)
    event = Event.objects.create(
        network=None,
        title="Club affaires CCI",
        kind=EventKind.MEETING,
        starts_at=start,
        ends_at=start,
        audience=Audience.PARTNERS,
    )
    event.partner_networks.set([club])

    assert as_role("member").get(f"/evenements/{event.pk}/").status_code == 200
    assert as_role("other_member").get(f"/evenements/{event.pk}/").status_code == 404
    assert as_role("anonymous").get(f"/evenements/{event.pk}/").status_code == 404
