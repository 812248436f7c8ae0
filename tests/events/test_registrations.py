"""Registrations: capacity, waiting list, promotion, window, audience, calendar, check-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from meute.accounts.models import Person
from meute.events import services
from meute.events.models import (
    Audience,
    CalendarFeed,
    CheckIn,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
)
from meute.networks.models import Network
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("neighbour_event")]

SOON = dt.timedelta(days=10)


def make_event(network: Network | None, **kwargs: Any) -> Event:
    start = timezone.now() + SOON
    values: dict[str, Any] = {
        "network": network,
        "title": "Dîner mensuel",
        "kind": EventKind.MEETING,
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "audience": Audience.MEMBERS if network else Audience.PUBLIC,
        "place": "Hôtel de la Loire",
    }
    values.update(kwargs)
    event = Event(**values)
    event.full_clean()
    event.save()
    return event


def members_of(network: Network, count: int) -> list[Person]:
    return [MembershipFactory(network=network).person for _ in range(count)]


def test_it_confirms_while_places_are_left_then_waitlists(
    club: Network, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(club, capacity=2)
    a, b, c = members_of(club, 3)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.registration_create(event=event, person=a).status == RegistrationStatus.CONFIRMED
        assert services.registration_create(event=event, person=b).status == RegistrationStatus.CONFIRMED
        assert services.registration_create(event=event, person=c).status == RegistrationStatus.WAITLISTED
    assert [m.subject for m in mail.outbox] == [
        "Inscription confirmée : Dîner mensuel",
        "Inscription confirmée : Dîner mensuel",
        "Liste d'attente : Dîner mensuel",
    ]


def test_a_cancellation_promotes_the_first_waiting_person_and_tells_them(
    club: Network, django_capture_on_commit_callbacks: Any
) -> None:
    event = make_event(club, capacity=1)
    a, b, c = members_of(club, 3)
    first = services.registration_create(event=event, person=a)
    services.registration_create(event=event, person=b)
    services.registration_create(event=event, person=c)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first)

    assert promoted is not None and promoted.person == b
    assert promoted.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(event=event, person=c).status == RegistrationStatus.WAITLISTED
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [b.email]
    assert "place s'est libérée" in mail.outbox[0].subject
    # Both a plain-text part and an HTML alternative.
    assert mail.outbox[0].body and mail.outbox[0].alternatives[0].mimetype == "text/html"


def test_cancelling_a_waiting_registration_promotes_nobody(club: Network) -> None:
    event = make_event(club, capacity=1)
    a, b = members_of(club, 2)
    services.registration_create(event=event, person=a)
    waiting = services.registration_create(event=event, person=b)

    assert services.registration_cancel(registration=waiting) is None
    assert services.confirmed_count(event) == 1


def test_it_refuses_a_double_registration(club: Network) -> None:
    event = make_event(club)
    (a,) = members_of(club, 1)
    services.registration_create(event=event, person=a)

    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.registration_create(event=event, person=a)


def test_a_person_may_register_again_after_cancelling(club: Network) -> None:
    event = make_event(club)
    (a,) = members_of(club, 1)
    services.registration_cancel(registration=services.registration_create(event=event, person=a))

    assert services.registration_create(event=event, person=a).status == RegistrationStatus.CONFIRMED


def test_it_refuses_outside_the_registration_window(club: Network) -> None:
    now = timezone.now()
    event = make_event(club, registration_opens_at=now + dt.timedelta(days=1))
    (a,) = members_of(club, 1)

    with pytest.raises(ValidationError, match="fermées"):
        services.registration_create(event=event, person=a, now=now)
    event.registration_opens_at, event.registration_closes_at = (
        now - dt.timedelta(days=3),
        now - dt.timedelta(days=1),
    )
    event.save()
    with pytest.raises(ValidationError, match="fermées"):
        services.registration_create(event=event, person=a, now=now)


def test_a_members_only_event_refuses_a_member_of_another_network(club: Network, other_club: Network) -> None:
    event = make_event(club)
    (outsider,) = members_of(other_club, 1)

    with pytest.raises(ValidationError, match="réservé aux membres"):
        services.registration_create(event=event, person=outsider)


def test_a_partner_event_admits_members_of_partner_networks(club: Network, other_club: Network) -> None:
    event = make_event(club, audience=Audience.PARTNERS)
    event.partner_networks.add(other_club)
    (partner,) = members_of(other_club, 1)

    assert services.registration_create(event=event, person=partner).status == RegistrationStatus.CONFIRMED


def test_a_walk_in_is_seated_even_when_the_event_is_full(club: Network) -> None:
    event = make_event(club, capacity=1)
    a, b = members_of(club, 2)
    services.registration_create(event=event, person=a)

    walk_in = services.registration_create(event=event, person=b, walk_in=True)

    assert walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.attendance == CheckIn.PRESENT and walk_in.checked_in_at is not None


def test_attendance_is_recorded_and_refuses_unknown_values(club: Network) -> None:
    event = make_event(club)
    (a,) = members_of(club, 1)
    registration = services.registration_create(event=event, person=a)
    on_the_day = event.starts_at

    with pytest.raises(ValidationError, match=r"Le pointage ouvre le .*12 heures avant l'événement"):
        services.attendance_set(registration=registration, attendance="present")
    # an apology may come ahead
    assert services.attendance_set(registration=registration, attendance="excused").attendance == "excused"
    late = services.attendance_set(registration=registration, attendance="late", now=on_the_day)
    assert late.checked_in_at is not None
    assert (
        services.attendance_set(registration=registration, attendance="absent", now=on_the_day).checked_in_at
        is None
    )
    with pytest.raises(ValidationError) as exc:
        services.attendance_set(registration=registration, attendance="peut-être")
    assert "attendance" in exc.value.message_dict


def test_an_event_ending_before_it_starts_names_the_field(club: Network) -> None:
    start = timezone.now() + SOON
    event = Event(
        network=club,
        title="x",
        kind=EventKind.MEETING,
        starts_at=start,
        ends_at=start - dt.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "ends_at" in exc.value.message_dict


def test_a_recurring_meeting_creates_its_occurrences_at_the_same_local_time(club: Network) -> None:
    # First Tuesday of each month at 18:30 in Tours, across the end of summer time.
    tz = timezone.get_default_timezone()
    start = dt.datetime(2027, 9, 7, 18, 30, tzinfo=tz)
    event = make_event(
        club,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        recurrence="FREQ=MONTHLY;BYDAY=1TU;COUNT=4",
    )

    created = services.event_series_create(event=event)

    local = [e.starts_at.astimezone(tz) for e in created]
    assert [(d.month, d.day, d.hour, d.minute) for d in local] == [
        (10, 5, 18, 30),
        (11, 2, 18, 30),
        (12, 7, 18, 30),
    ]
    assert services.event_series_create(event=event) == []  # idempotent


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY", "BYDAY=1TU;COUNT=3", "FREQ=SOMETIMES;COUNT=2"])
def test_an_unbounded_or_unreadable_rule_is_refused_with_the_field(club: Network, rule: str) -> None:
    start = timezone.now() + SOON
    event = Event(
        network=club, title="x", kind=EventKind.MEETING, starts_at=start, ends_at=start, recurrence=rule
    )
    with pytest.raises(ValidationError) as exc:
        event.full_clean()
    assert "recurrence" in exc.value.message_dict


def _ics_events(body: bytes) -> list[Any]:
    return [c for c in Calendar.from_ical(body).walk() if c.name == "VEVENT"]


def test_a_public_event_offers_its_ics_to_anyone(client: Client) -> None:
    event = make_event(None, title="Soirée réseau de la CCI")

    response = client.get(f"/evenements/{event.pk}/evenement.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (vevent,) = _ics_events(response.content)
    assert str(vevent["summary"]) == "Soirée réseau de la CCI"


def test_a_members_only_event_is_hidden_from_outsiders(
    club: Network, as_role: Callable[[str], Client], member: Any
) -> None:
    event = make_event(club)
    for role, expected in [
        ("anonymous", 404),
        ("other_member", 404),
        ("member", 200),
        ("manager", 200),
        ("staff", 200),
    ]:
        assert as_role(role).get(f"/evenements/{event.pk}/").status_code == expected, role
        assert as_role(role).get(f"/evenements/{event.pk}/evenement.ics").status_code == expected, role


def test_the_personal_feed_lists_confirmed_events_and_a_wrong_token_gets_404(
    club: Network, member: Any, client: Client, neighbour_event: Event
) -> None:
    event = make_event(club)
    services.registration_create(event=event, person=member.person)
    feed = CalendarFeed.objects.create(person=member.person)

    # the member is confirmed at the neighbouring event too (tests/events/conftest.py)
    summaries = sorted(
        str(v["summary"]) for v in _ics_events(client.get(f"/calendrier/{feed.token}.ics").content)
    )
    assert summaries == sorted(["Dîner mensuel", neighbour_event.title])
    assert client.get("/calendrier/not-a-token.ics").status_code == 404


def test_check_in_pages_are_for_the_organisers_only(
    club: Network, as_role: Callable[[str], Client], member: Any
) -> None:
    event = make_event(club)
    registration = services.registration_create(event=event, person=member.person)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=30))
    url = f"/evenements/{event.pk}/pointage/"
    for role, expected in [
        ("anonymous", 302),
        ("other_member", 404),
        ("member", 404),
        ("manager", 200),
        ("staff", 200),
    ]:
        assert as_role(role).get(url).status_code == expected, role
        mark = as_role(role).post(f"{url}{registration.pk}/", {"attendance": "present"})
        assert mark.status_code in ((302,) if expected != 404 else (404,)), role
    registration.refresh_from_db()
    assert registration.attendance == CheckIn.PRESENT


def test_check_in_of_another_events_registration_is_a_404(
    club: Network, as_role: Callable[[str], Client], member: Any
) -> None:
    mine, theirs = make_event(club), make_event(club, title="Autre")
    registration = services.registration_create(event=theirs, person=member.person)

    response = as_role("manager").post(
        f"/evenements/{mine.pk}/pointage/{registration.pk}/", {"attendance": "present"}
    )

    assert response.status_code == 404


def test_a_walk_in_is_recorded_from_the_check_in_page(
    club: Network, as_role: Callable[[str], Client]
) -> None:
    event = make_event(club)
    client = as_role("manager")

    response = client.post(
        f"/evenements/{event.pk}/pointage/sur-place/",
        {"first_name": "Zoé", "last_name": "Martin", "email": "zoe@exemple.fr", "company": "Martin SARL"},
    )

    assert response.status_code == 302
    registration = Registration.objects.get(event=event, person__email="zoe@exemple.fr")
    assert registration.walk_in and registration.attendance == CheckIn.PRESENT
    bad = client.post(f"/evenements/{event.pk}/pointage/sur-place/", {"first_name": "", "last_name": "X"})
    assert bad.status_code == 400 and "first_name" in bad.context["walk_in_form"].errors


def test_a_member_registers_and_cancels_through_the_event_page(
    club: Network, as_role: Callable[[str], Client], member: Any
) -> None:
    event = make_event(club, capacity=10)
    client = as_role("member")

    client.post(f"/evenements/{event.pk}/inscription/")
    assert Registration.objects.get(event=event, person=member.person).status == RegistrationStatus.CONFIRMED
    page = client.get(f"/evenements/{event.pk}/")
    assert "Vous êtes inscrit(e)." in page.content.decode()
    client.post(f"/evenements/{event.pk}/annulation/")
    assert Registration.objects.get(event=event, person=member.person).status == RegistrationStatus.CANCELLED


def test_a_registration_to_an_event_that_has_started_cannot_be_cancelled(
    club: Network, as_role: Callable[[str], Client], member: Any
) -> None:
    event = make_event(club, capacity=10)
    registration = services.registration_create(event=event, person=member.person)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    client = as_role("member")

    page = client.get(f"/evenements/{event.pk}/").content.decode()
    assert "Annuler mon inscription" not in page
    answer = client.post(f"/evenements/{event.pk}/annulation/", follow=True).content.decode()
    assert "L&#x27;événement a commencé : l&#x27;inscription ne peut plus être annulée." in answer
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_the_event_list_shows_public_events_to_visitors_and_network_events_to_members(
    club: Network, as_role: Callable[[str], Client], member: Any
) -> None:
    make_event(None, title="Soirée ouverte")
    make_event(club, title="Réunion des membres")

    visitor = as_role("anonymous").get("/evenements/").content.decode()
    insider = as_role("member").get("/evenements/").content.decode()

    assert "Soirée ouverte" in visitor and "Réunion des membres" not in visitor
    assert "Soirée ouverte" in insider and "Réunion des membres" in insider


def test_only_managers_and_staff_create_events(club: Network, as_role: Callable[[str], Client]) -> None:
    for role, expected in [
        ("anonymous", 302),
        ("other_member", 404),
        ("member", 404),
        ("manager", 200),
        ("staff", 200),
    ]:
        assert as_role(role).get("/evenements/nouveau/").status_code == expected, role
    start = (timezone.localtime() + SOON).strftime("%Y-%m-%dT%H:%M")
    end = (timezone.localtime() + SOON + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = as_role("manager").post(
        "/evenements/nouveau/",
        {
            "network": club.pk,
            "title": "Petit-déjeuner",
            "kind": "meeting",
            "starts_at": start,
            "ends_at": end,
            "audience": "members",
            "status": "published",
            "slots": 0,
            "slot_minutes": 20,
            "tables": 0,
            "request_ttl_hours": 72,
        },
    )
    assert response.status_code == 302
    assert Event.objects.get(title="Petit-déjeuner").network == club


def test_a_manager_cannot_create_an_event_for_another_network(
    club: Network, other_club: Network, as_role: Callable[[str], Client]
) -> None:
    start = (timezone.localtime() + SOON).strftime("%Y-%m-%dT%H:%M")
    response = as_role("manager").post(
        "/evenements/nouveau/",
        {
            "network": other_club.pk,
            "title": "Intrusion",
            "kind": "meeting",
            "starts_at": start,
            "ends_at": start,
            "audience": "members",
            "status": "published",
            "slots": 0,
            "slot_minutes": 20,
            "tables": 0,
            "request_ttl_hours": 72,
        },
    )
    assert response.status_code == 200
    assert "network" in response.context["form"].errors
    assert not Event.objects.filter(title="Intrusion").exists()


@pytest.mark.parametrize(
    "title", ["Soirée\r\nMETHOD:CANCEL", "Soirée\rMETHOD:CANCEL\rATTENDEE:x", "Soirée\nBEGIN:VALARM"]
)
def test_a_title_with_line_breaks_cannot_add_properties_to_the_calendar(client: Client, title: str) -> None:
    # CR/LF in a title answered 500; a bare CR went out raw, read as new properties by lenient clients.
    event = make_event(None, title=title, description="Ligne 1\r\nLigne 2\x1b")

    response = client.get(f"/evenements/{event.pk}/evenement.ics")

    assert response.status_code == 200
    assert b"\r" not in response.content.replace(b"\r\n", b"")
    lines = response.content.split(b"\r\n")
    assert not any(line.startswith((b"METHOD:", b"ATTENDEE:", b"BEGIN:VALARM")) for line in lines)
    (vevent,) = _ics_events(response.content)
    assert "\r" not in str(vevent["summary"]) and "\n" not in str(vevent["summary"])
    assert str(vevent["description"]) == "Ligne 1\nLigne 2 "


def test_a_check_in_search_of_any_length_answers_and_its_redirect_is_quoted(
    club: Network, as_role: Callable[[str], Client], member: Any
) -> None:
    event = make_event(club)
    registration = services.registration_create(event=event, person=member.person)
    url = f"/evenements/{event.pk}/pointage/"
    client = as_role("manager")
    # 50,000 words were 50,000 SQL conditions; now the first 5 words of 100 characters.
    assert client.get(url, {"q": "a " * 50_000}).status_code == 200
    mark = client.post(f"{url}{registration.pk}/", {"attendance": "present", "q": "Mo\r\nSet-Cookie: x=1&y"})
    assert mark.status_code == 302
    assert mark["Location"].endswith("pointage/?q=Mo%0D%0ASet-Cookie%3A+x%3D1%26y")
