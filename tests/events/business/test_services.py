"""Business-meeting days, services: profiles, requests, availability, placement with the engine."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from meute.accounts.models import ConsentPurpose
from meute.engine import slots as engine
from meute.events.business import selectors as business_selectors
from meute.events.business import services as business_services
from meute.events.models import Event, EventKind, MeetingRequest, Registration, RequestStatus
from meute.networks.models import Network
from tests.events.conftest_business import *  # noqa: F403
from tests.events.conftest_business import make_day, make_user, reg_of, register
from tests.factories import ConsentFactory

pytestmark = pytest.mark.django_db


def people(event: Event, network: Network, count: int, slots: list[int] | None = None) -> list[Registration]:
    regs = []
    for _ in range(count):
        reg = register(event, make_user(network))
        if slots is not None:
            reg.available_slots = slots
            reg.save()
        regs.append(reg)
    return regs


def accepted(a: Registration, b: Registration) -> MeetingRequest:
    req = business_services.request_create(sender=a, recipient=b)
    return business_services.request_answer(request=req, recipient=b, accept=True)


# ------------------------------------------------------------------ placement


def test_three_people_all_pairwise_accepted_in_two_slots_get_two_valid_meetings(club: Network) -> None:
    day = make_day(club, slots=2, tables=5)
    a, b, c = people(day, club, 3, slots=[0, 1])
    for x, y in [(a, b), (b, c), (a, c)]:
        accepted(x, y)

    figures = business_services.meetings_place(event=day)

    assert figures["placed"] == 2
    assert figures["meetings"] == 3
    instance, rows = business_selectors.slots_instance(day)
    plan = engine.SlotPlan(
        tuple(
            engine.Placement(f"m{r.pk}", r.slot, r.table - 1)
            for r in rows
            if r.slot is not None and r.table is not None
        )
    )
    assert engine.is_valid_plan(instance, plan) == []
    placed = MeetingRequest.objects.filter(event=day, slot__isnull=False)
    assert placed.count() == 2
    assert all(r.table in range(1, 6) and r.slot in (0, 1) for r in placed)


def test_placement_respects_availability_and_tables(club: Network) -> None:
    day = make_day(club, slots=3, tables=1)
    a, b, c, d = people(day, club, 4)
    for reg, slots in [(a, [0]), (b, [0, 1]), (c, [0, 1, 2]), (d, [2])]:
        reg.available_slots = slots
        reg.save()
    accepted(a, b)  # only slot 0
    accepted(c, d)  # only slot 2
    accepted(b, c)  # slot 0 or 1: must go to 1 (b is busy in 0, one table)

    figures = business_services.meetings_place(event=day)

    assert figures["placed"] == 3
    slot_of = {
        (r.sender_id, r.recipient_id): (r.slot, r.table) for r in MeetingRequest.objects.filter(event=day)
    }
    assert slot_of[(a.pk, b.pk)] == (0, 1)
    assert slot_of[(c.pk, d.pk)] == (2, 1)
    assert slot_of[(b.pk, c.pk)] == (1, 1)


def test_placement_without_availability_places_nothing_and_says_so(club: Network) -> None:
    day = make_day(club)
    a, b = people(day, club, 2)
    accepted(a, b)

    figures = business_services.meetings_place(event=day)

    assert figures["placed"] == 0 and figures["meetings"] == 1
    assert MeetingRequest.objects.get(event=day).slot is None


def test_placement_replaces_the_previous_one(club: Network) -> None:
    day = make_day(club, slots=2, tables=1)
    a, b, c = people(day, club, 3, slots=[0, 1])
    accepted(a, b)
    business_services.meetings_place(event=day)
    accepted(a, c)

    business_services.meetings_place(event=day)

    rows = MeetingRequest.objects.filter(event=day)
    assert sorted(r.slot or 0 for r in rows) == [0, 1] and all(r.slot is not None for r in rows)


def test_pending_declined_and_cancelled_people_are_not_placed(club: Network) -> None:
    day = make_day(club, slots=2, tables=2)
    a, b, c, d = people(day, club, 4, slots=[0, 1])
    business_services.request_create(sender=a, recipient=b)  # pending
    declined = business_services.request_create(sender=a, recipient=c)
    business_services.request_answer(request=declined, recipient=c, accept=False)
    accepted(a, d)
    d.status = "cancelled"
    d.save()

    figures = business_services.meetings_place(event=day)

    assert figures["meetings"] == 0
    assert not MeetingRequest.objects.filter(event=day, slot__isnull=False).exists()


@pytest.mark.parametrize(("slots", "tables", "word"), [(0, 2, "créneaux"), (2, 0, "tables")])
def test_placement_without_slots_or_tables_is_refused_clearly(
    club: Network, slots: int, tables: int, word: str
) -> None:
    day = make_day(club)
    Event.objects.filter(pk=day.pk).update(slots=slots, tables=tables)
    day.refresh_from_db()

    with pytest.raises(ValidationError) as exc:
        business_services.meetings_place(event=day)

    assert word in exc.value.messages[0]


def test_placement_refuses_an_event_that_is_not_a_business_day(club: Network) -> None:
    day = make_day(club, kind=EventKind.SPEED)
    with pytest.raises(ValidationError, match="journée de rendez-vous"):
        business_services.meetings_place(event=day)


def test_placement_figures_read_back_from_the_rows(club: Network) -> None:
    day = make_day(club, slots=2, tables=5)
    a, b, c = people(day, club, 3, slots=[0, 1])
    for x, y in [(a, b), (b, c), (a, c)]:
        accepted(x, y)
    assert business_selectors.placement_figures(event=day) is None

    business_services.meetings_place(event=day)
    figures = business_selectors.placement_figures(event=day)

    assert figures is not None
    assert figures["valid"] is True
    assert figures["placed"] == 2 and figures["meetings"] == 3
    assert figures["priority_bound_lp"] == pytest.approx(3.0, abs=0.1)  # LP: three halves... bounded by 3
    assert "idle_gaps" in figures


def test_the_agenda_gives_each_person_slot_time_and_table(club: Network) -> None:
    day = make_day(club, slots=2, tables=1)
    a, b = people(day, club, 2, slots=[1])
    accepted(a, b)
    business_services.meetings_place(event=day)

    agenda = business_selectors.agenda_of(registration=a)

    assert len(agenda) == 1
    assert agenda[0]["slot"].starts_at == day.starts_at + dt.timedelta(minutes=20)
    assert agenda[0]["slot"].ends_at == day.starts_at + dt.timedelta(minutes=40)
    assert agenda[0]["table"] == 1
    assert agenda[0]["other"] == b
    assert business_selectors.agenda_of(registration=b)[0]["other"] == a


# ------------------------------------------------------------------ requests


def test_a_request_to_oneself_is_refused(day: Event, participant: object) -> None:
    me = reg_of(day, participant)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="vous-même"):
        business_services.request_create(sender=me, recipient=me)


def test_a_duplicate_request_is_refused_in_either_direction(
    day: Event, participant: object, partner: object
) -> None:
    a, b = reg_of(day, participant), reg_of(day, partner)  # type: ignore[arg-type]
    business_services.request_create(sender=a, recipient=b)

    with pytest.raises(ValidationError, match="déjà demandé"):
        business_services.request_create(sender=a, recipient=b)
    with pytest.raises(ValidationError, match="répondez à sa demande"):
        business_services.request_create(sender=b, recipient=a)
    assert MeetingRequest.objects.count() == 1


def test_a_request_after_the_event_started_is_refused(
    day: Event, participant: object, partner: object
) -> None:
    a, b = reg_of(day, participant), reg_of(day, partner)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="a commencé"):
        business_services.request_create(sender=a, recipient=b, now=day.starts_at + dt.timedelta(minutes=1))


def test_a_request_to_someone_without_matchmaking_consent_is_refused(
    day: Event, participant: object, club: Network
) -> None:
    shy = register(day, make_user(club), consent=False)
    with pytest.raises(ValidationError, match="ne souhaite pas"):
        business_services.request_create(sender=reg_of(day, participant), recipient=shy)  # type: ignore[arg-type]


def test_a_request_to_someone_of_another_event_is_refused(
    day: Event, participant: object, club: Network
) -> None:
    elsewhere = register(make_day(club), make_user(club))
    with pytest.raises(ValidationError, match="ne participe pas"):
        business_services.request_create(sender=reg_of(day, participant), recipient=elsewhere)  # type: ignore[arg-type]


def test_only_the_recipient_answers_and_only_once(day: Event, participant: object, partner: object) -> None:
    a, b = reg_of(day, participant), reg_of(day, partner)  # type: ignore[arg-type]
    req = business_services.request_create(sender=a, recipient=b, message="  Bonjour  ")
    assert req.message == "Bonjour"

    with pytest.raises(ValidationError, match="Seule la personne"):
        business_services.request_answer(request=req, recipient=a, accept=True)
    business_services.request_answer(request=req, recipient=b, accept=False)
    with pytest.raises(ValidationError, match="déjà répondu"):
        business_services.request_answer(request=req, recipient=b, accept=True)
    req.refresh_from_db()
    assert req.status == RequestStatus.DECLINED and req.answered_at is not None


def test_profiles_show_only_other_participants_who_consented(
    day: Event, participant: object, club: Network
) -> None:
    consenting = register(day, make_user(club))
    register(day, make_user(club), consent=False)
    withdrawn = register(day, make_user(club))
    ConsentFactory(person=withdrawn.person, purpose=ConsentPurpose.MATCHMAKING, granted=False)

    visible = business_selectors.profiles_visible(registration=reg_of(day, participant))  # type: ignore[arg-type]

    assert visible == [consenting]


def test_profile_update_strips_and_saves(day: Event, participant: object) -> None:
    me = reg_of(day, participant)  # type: ignore[arg-type]
    business_services.profile_update(registration=me, offers=" Charpente ", seeks="Clients\n")
    me.refresh_from_db()
    assert (me.offers, me.seeks) == ("Charpente", "Clients")


# ------------------------------------------------------------------ availability


def test_availability_is_saved_sorted(day: Event, participant: object) -> None:
    me = reg_of(day, participant)  # type: ignore[arg-type]
    business_services.availability_set(registration=me, slots=[3, 0, 3])
    me.refresh_from_db()
    assert me.available_slots == [0, 3]


@pytest.mark.parametrize("bad", [4, -1, 99])
def test_availability_outside_the_slots_is_refused(day: Event, participant: object, bad: int) -> None:
    me = reg_of(day, participant)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as exc:
        business_services.availability_set(registration=me, slots=[0, bad])
    assert "n'existe pas" in exc.value.message_dict["slots"][0]
    me.refresh_from_db()
    assert me.available_slots == []


def test_availability_cannot_drop_a_slot_holding_a_placed_meeting(
    day: Event, participant: object, partner: object
) -> None:
    a, b = reg_of(day, participant), reg_of(day, partner)  # type: ignore[arg-type]
    business_services.availability_set(registration=a, slots=[2])
    business_services.availability_set(registration=b, slots=[2])
    accepted(a, b)
    business_services.meetings_place(event=day)

    with pytest.raises(ValidationError, match="rendez-vous placé"):
        business_services.availability_set(registration=a, slots=[0])


def test_availability_after_the_start_is_refused(day: Event, participant: object) -> None:
    me = reg_of(day, participant)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="a commencé"):
        business_services.availability_set(registration=me, slots=[0], now=day.starts_at)
