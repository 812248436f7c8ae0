"""Registration rules beside another event of the same network (`neighbour_event`, conftest).

The neighbouring event is full, holds a registration of `member` and someone waiting, all older
than what each test makes: places counted, duplicates refused and promotions made across events
by mistake fail here. Refusals are reached with `pytest.raises(ValidationError)`; audit entries
are checked for actor, network, target and details.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meute.accounts.models import Person, User
from meute.audit.models import AuditEntry
from meute.events import services
from meute.events.models import CheckIn, Event, Registration, RegistrationStatus
from meute.networks.models import Network
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)


def _members(network: Network, count: int) -> list[Person]:
    return [MembershipFactory(network=network).person for _ in range(count)]


def _target(entry: AuditEntry) -> tuple[str, int | None]:
    return (entry.target_type, entry.target_id)


def test_places_are_counted_for_this_event_only(
    club: Network, club_event: Event, neighbour_event: Event
) -> None:
    assert services.confirmed_count(neighbour_event) == 2
    assert services.confirmed_count(club_event) == 0
    a, b, c = _members(club, 3)
    assert services.registration_create(event=club_event, person=a).status == CONFIRMED
    assert services.registration_create(event=club_event, person=b).status == CONFIRMED
    assert services.registration_create(event=club_event, person=c).status == WAITLISTED
    assert services.confirmed_count(club_event) == 2


def test_a_person_registered_at_another_event_may_register_here(
    member: User, club_event: Event, neighbour_event: Event
) -> None:
    assert Registration.objects.filter(event=neighbour_event, person=member.person, status=CONFIRMED).exists()
    assert services.registration_create(event=club_event, person=member.person).status == CONFIRMED
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.registration_create(event=club_event, person=member.person)


def test_a_cancelled_registration_does_not_block_a_new_one(member: User, club_event: Event) -> None:
    first = services.registration_create(event=club_event, person=member.person)
    services.registration_cancel(registration=first)
    assert services.registration_create(event=club_event, person=member.person).status == CONFIRMED


def test_a_cancellation_promotes_the_first_waiting_for_this_event_not_another(
    club: Network, club_event: Event, neighbour_event: Event
) -> None:
    a, b, c, d = _members(club, 4)
    ra = services.registration_create(event=club_event, person=a)
    services.registration_create(event=club_event, person=b)
    rc = services.registration_create(event=club_event, person=c)
    rd = services.registration_create(event=club_event, person=d)
    promoted = services.registration_cancel(registration=ra)
    assert promoted is not None and promoted.pk == rc.pk
    rc.refresh_from_db()
    rd.refresh_from_db()
    assert (rc.status, rd.status) == (CONFIRMED, WAITLISTED)
    assert Registration.objects.filter(event=neighbour_event, status=WAITLISTED).count() == 1
    entry = AuditEntry.objects.get(action="registration.promote")
    assert (entry.actor, entry.network, _target(entry), entry.details) == (
        None,
        club,
        ("events.registration", rc.pk),
        {"event": club_event.pk, "freed_by": ra.pk},
    )


def test_walk_ins_over_capacity_then_a_cancellation_promote_nobody(club: Network, club_event: Event) -> None:
    a, b, c = _members(club, 3)
    ra = services.registration_create(event=club_event, person=a)
    services.registration_create(event=club_event, person=b)
    waiting = services.registration_create(event=club_event, person=c)
    assert waiting.status == WAITLISTED
    for name in ("Alix", "Basile"):  # two walk-ins: four in the room for two places
        services.walk_in_register(event=club_event, actor=None, first_name=name, last_name="Sur-Place")
    assert services.confirmed_count(club_event) == 4
    # a cancellation leaves three confirmed for two places: nobody is promoted
    assert services.registration_cancel(registration=ra) is None
    waiting.refresh_from_db()
    assert waiting.status == WAITLISTED
    assert not AuditEntry.objects.filter(action="registration.promote").exists()


def test_a_walk_in_then_a_cancellation_leaves_the_event_exactly_full_and_promotes_nobody(
    club: Network, club_event: Event
) -> None:
    a, b, c = _members(club, 3)
    ra = services.registration_create(event=club_event, person=a)
    services.registration_create(event=club_event, person=b)
    rc = services.registration_create(event=club_event, person=c)
    services.walk_in_register(event=club_event, actor=None, first_name="Alix", last_name="Sur-Place")
    # three confirmed for two places; one cancels: two left, still no free place
    assert services.registration_cancel(registration=ra) is None
    rc.refresh_from_db()
    assert rc.status == WAITLISTED


def test_cancelling_a_waiting_registration_or_twice_promotes_nobody(club: Network, club_event: Event) -> None:
    a, b, c, d = _members(club, 4)
    ra = services.registration_create(event=club_event, person=a)
    services.registration_create(event=club_event, person=b)
    rc = services.registration_create(event=club_event, person=c)
    rd = services.registration_create(event=club_event, person=d)
    assert services.registration_cancel(registration=rc) is None
    rd.refresh_from_db()
    assert rd.status == WAITLISTED
    services.registration_cancel(registration=ra)
    assert services.registration_cancel(registration=ra) is None  # already cancelled: nothing more
    assert Registration.objects.filter(event=club_event, status=CONFIRMED).count() == 2


def test_without_a_capacity_a_cancellation_promotes_whoever_waits(club: Network, club_event: Event) -> None:
    a, b = _members(club, 2)
    ra = services.registration_create(event=club_event, person=a)
    rb = services.registration_create(event=club_event, person=b)
    Registration.objects.filter(pk=rb.pk).update(status=WAITLISTED)  # waited before the cap was lifted
    Event.objects.filter(pk=club_event.pk).update(capacity=None)
    club_event.refresh_from_db()
    promoted = services.registration_cancel(registration=ra)
    assert promoted is not None and promoted.pk == rb.pk


# Check-in


@pytest.mark.parametrize("status", [WAITLISTED, CANCELLED])
def test_checking_in_someone_not_confirmed_is_refused(club: Network, club_event: Event, status: str) -> None:
    registration = Registration.objects.create(event=club_event, person=_members(club, 1)[0], status=status)
    on_the_day = club_event.starts_at
    with pytest.raises(ValidationError, match="Seules les personnes inscrites"):
        services.attendance_set(registration=registration, attendance=CheckIn.PRESENT, now=on_the_day)
    registration.refresh_from_db()
    assert (registration.attendance, registration.checked_in_at) == ("", None)
    assert not AuditEntry.objects.filter(action="registration.attendance").exists()


def test_check_in_opens_twelve_hours_before_the_start(club: Network, club_event: Event) -> None:
    registration = services.registration_create(event=club_event, person=_members(club, 1)[0])
    opens = club_event.starts_at - dt.timedelta(hours=12)
    with pytest.raises(ValidationError, match="12 heures avant"):
        services.attendance_set(
            registration=registration, attendance=CheckIn.PRESENT, now=opens - dt.timedelta(seconds=1)
        )
    done = services.attendance_set(registration=registration, attendance=CheckIn.PRESENT, now=opens)
    assert (done.attendance, done.checked_in_at) == (CheckIn.PRESENT, opens)


def test_an_arrival_is_recorded_by_the_organiser_with_what_changed(
    club: Network, club_event: Event, manager: User
) -> None:
    registration = services.registration_create(event=club_event, person=_members(club, 1)[0])
    on_the_day = club_event.starts_at
    services.attendance_set(registration=registration, attendance=CheckIn.LATE, actor=manager, now=on_the_day)
    done = services.attendance_set(
        registration=registration, attendance=CheckIn.ABSENT, actor=manager, now=on_the_day
    )
    assert (done.attendance, done.checked_in_at) == (CheckIn.ABSENT, None)
    entries = AuditEntry.objects.filter(action="registration.attendance").order_by("id")
    assert [(e.actor, e.network, _target(e), e.details) for e in entries] == [
        (
            manager,
            club,
            ("events.registration", registration.pk),
            {"event": club_event.pk, "from": "", "to": "late"},
        ),
        (
            manager,
            club,
            ("events.registration", registration.pk),
            {"event": club_event.pk, "from": "late", "to": "absent"},
        ),
    ]


def test_a_walk_in_is_recorded_with_the_organiser_and_whether_a_known_person_was_linked(
    club: Network, club_event: Event, manager: User, member: User
) -> None:
    stranger = services.walk_in_register(
        event=club_event, actor=manager, first_name="Zoé", last_name="Inconnue", email="zoe@exemple.fr"
    )
    known = services.walk_in_register(
        event=club_event,
        actor=manager,
        first_name=member.person.first_name,
        last_name=member.person.last_name,
        email=member.person.email,
    )
    assert known.person == member.person and stranger.person != member.person
    entries = AuditEntry.objects.filter(action="registration.walk_in").order_by("id")
    assert [(e.actor, e.network, _target(e), e.details) for e in entries] == [
        (
            manager,
            club,
            ("events.registration", stranger.pk),
            {"event": club_event.pk, "linked_to_known_person": False},
        ),
        (
            manager,
            club,
            ("events.registration", known.pk),
            {"event": club_event.pk, "linked_to_known_person": True},
        ),
    ]
    with pytest.raises(ValidationError, match="déjà inscrit"):
        services.walk_in_register(
            event=club_event,
            actor=manager,
            first_name=member.person.first_name,
            last_name=member.person.last_name,
            email=member.person.email,
        )


# Events saved


def test_saving_an_event_is_recorded_as_a_creation_then_an_update(club: Network, manager: User) -> None:
    start = dt.datetime(2027, 5, 4, 8, 0, tzinfo=dt.UTC)
    event = Event(
        network=club,
        title="Visite d'atelier",
        kind="visit",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        recurrence="FREQ=WEEKLY;COUNT=3",
    )
    services.event_save(event=event, actor=manager)
    created = AuditEntry.objects.get(action="event.create")
    assert (created.actor, created.network, _target(created), created.details) == (
        manager,
        club,
        ("events.event", event.pk),
        {"occurrences": 2},
    )
    event.title = "Visite d'atelier (complet)"
    services.event_save(event=event, actor=UserFactory(is_staff=True))
    updated = AuditEntry.objects.get(action="event.update")
    assert _target(updated) == ("events.event", event.pk) and updated.details == {}
    assert updated.actor is not None and updated.actor.is_staff


def test_a_registration_cannot_be_cancelled_once_the_event_has_started(
    club: Network, club_event: Event
) -> None:
    registration = services.registration_create(event=club_event, person=_members(club, 1)[0])
    Event.objects.filter(pk=club_event.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        services.registration_cancel(registration=registration)
    assert exc.value.code == "started"
    registration.refresh_from_db()
    assert registration.status == CONFIRMED


def test_revoking_a_calendar_address_says_whether_there_was_one(member: User) -> None:
    assert services.calendar_feed_revoke(person=member.person) is False
    services.calendar_feed_issue(person=member.person)
    assert services.calendar_feed_revoke(person=member.person) is True
    assert services.calendar_feed_revoke(person=member.person) is False


def test_the_first_waiting_is_the_first_to_have_registered_whatever_the_row_numbers(
    club: Network, club_event: Event
) -> None:
    a, b, c, d = _members(club, 4)
    ra = services.registration_create(event=club_event, person=a)
    services.registration_create(event=club_event, person=b)
    rc = services.registration_create(event=club_event, person=c)
    rd = services.registration_create(event=club_event, person=d)
    # d's registration came first (an import, a restored backup): it has the later row number
    Registration.objects.filter(pk=rd.pk).update(created_at=rc.created_at - dt.timedelta(hours=1))
    promoted = services.registration_cancel(registration=ra)
    assert promoted is not None and promoted.pk == rd.pk


def test_the_registration_window_is_judged_at_the_time_given(club: Network, club_event: Event) -> None:
    opens = timezone.now() + dt.timedelta(days=1)
    Event.objects.filter(pk=club_event.pk).update(registration_opens_at=opens)
    club_event.refresh_from_db()
    a, b = _members(club, 2)
    with pytest.raises(ValidationError) as exc:
        services.registration_create(event=club_event, person=a)
    assert exc.value.code == "closed"
    assert services.registration_create(event=club_event, person=b, now=opens).status == CONFIRMED


def test_refusals_carry_their_codes(club: Network, other_member: User, club_event: Event) -> None:
    with pytest.raises(ValidationError) as exc:
        services.registration_create(event=club_event, person=other_member.person)
    assert exc.value.code == "audience"
    person = _members(club, 1)[0]
    services.registration_create(event=club_event, person=person)
    with pytest.raises(ValidationError) as exc:
        services.registration_create(event=club_event, person=person)
    assert exc.value.code == "duplicate"


def test_a_registration_starts_with_what_the_person_offers_and_seeks(
    club: Network, club_event: Event
) -> None:
    person = _members(club, 1)[0]
    person.offers, person.seeks = "Plomberie", "Un architecte"
    person.save()
    registration = services.registration_create(event=club_event, person=person)
    registration.refresh_from_db()
    assert (registration.offers, registration.seeks, registration.walk_in) == (
        "Plomberie",
        "Un architecte",
        False,
    )
