"""Outcomes, services: who met whom, ratings, and aggregates that never show fewer than 5 answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meute.events import outcomes
from meute.events.models import (
    Attendance,
    Event,
    EventKind,
    MeetingRating,
    MeetingRequest,
    PlanStatus,
    Registration,
    RequestStatus,
    RotationPlan,
    Seat,
)
from meute.networks.models import Network
from tests.events.conftest_business import *  # noqa: F403
from tests.events.conftest_business import make_day, make_user, register

pytestmark = pytest.mark.django_db

PAST = dt.timedelta(days=3)


def past_event(network: Network, kind: str = EventKind.SPEED) -> Event:
    return make_day(network, kind=kind, starts_at=timezone.now() - PAST)


def seat_plan(
    event: Event, tables: list[list[list[Registration]]], status: str = PlanStatus.PUBLISHED
) -> None:
    """tables[round][table] = the people at that table."""
    plan = RotationPlan.objects.create(event=event, status=status)
    for round_no, round_tables in enumerate(tables, start=1):
        for table_no, people in enumerate(round_tables, start=1):
            for reg in people:
                Seat.objects.create(plan=plan, round_no=round_no, table_no=table_no, registration=reg)


def regs(event: Event, network: Network, n: int) -> list[Registration]:
    return [register(event, make_user(network)) for _ in range(n)]


def test_people_sharing_a_table_in_any_round_have_met(club: Network) -> None:
    event = past_event(club)
    a, b, c, d = regs(event, club, 4)
    seat_plan(event, [[[a, b, c], [d]], [[a, d], [b, c]]])

    assert outcomes.meeting_pairs(event) == {
        tuple(sorted(p)) for p in [(a.pk, b.pk), (a.pk, c.pk), (b.pk, c.pk), (a.pk, d.pk)]
    }
    assert outcomes.partners_of(registration=d) == [a]


def test_an_unpublished_plan_holds_no_meetings(club: Network) -> None:
    event = past_event(club)
    a, b = regs(event, club, 2)
    seat_plan(event, [[[a, b]]], status=PlanStatus.READY)
    assert outcomes.meeting_pairs(event) == set()


def test_placed_booked_meetings_count_and_unplaced_ones_do_not(club: Network) -> None:
    event = past_event(club, EventKind.BUSINESS_DAY)
    a, b, c = regs(event, club, 3)
    common = {"event": event, "status": RequestStatus.ACCEPTED, "expires_at": event.starts_at}
    MeetingRequest.objects.create(sender=a, recipient=b, slot=0, table=1, **common)
    MeetingRequest.objects.create(sender=a, recipient=c, **common)  # accepted, never placed

    assert outcomes.meeting_pairs(event) == {tuple(sorted((a.pk, b.pk)))}


def test_absent_people_and_cancelled_registrations_met_nobody(club: Network) -> None:
    event = past_event(club)
    a, b, c = regs(event, club, 3)
    seat_plan(event, [[[a, b]], [[a, c]]])
    Registration.objects.filter(pk=b.pk).update(attendance=Attendance.ABSENT)
    Registration.objects.filter(pk=c.pk).update(status="cancelled")
    assert outcomes.meeting_pairs(event) == set()


def test_a_rating_is_saved_then_changed(club: Network) -> None:
    event = past_event(club)
    a, b = regs(event, club, 2)
    seat_plan(event, [[[a, b]]])

    outcomes.rating_save(rater=a, other=b, useful=True, follow_up=True)
    outcomes.rating_save(rater=a, other=b, useful=True, contract_signed=True, amount=Decimal("1200"))

    rating = MeetingRating.objects.get()
    assert (rating.useful, rating.follow_up, rating.contract_signed, rating.amount) == (
        True,
        False,
        True,
        Decimal("1200.00"),
    )
    assert outcomes.ratings_given(registration=a) == {b.pk: rating}
    assert outcomes.ratings_given(registration=b) == {}


def test_one_cannot_rate_someone_one_did_not_meet(club: Network) -> None:
    event = past_event(club)
    a, b, c = regs(event, club, 3)
    seat_plan(event, [[[a, b]]])
    with pytest.raises(ValidationError, match="pas rencontré"):
        outcomes.rating_save(rater=a, other=c, useful=True)
    elsewhere = register(past_event(club), make_user(club))
    with pytest.raises(ValidationError, match="pas rencontré"):
        outcomes.rating_save(rater=a, other=elsewhere, useful=True)


def test_one_cannot_rate_before_the_event(club: Network) -> None:
    event = make_day(club, kind=EventKind.SPEED)
    a, b = regs(event, club, 2)
    seat_plan(event, [[[a, b]]])
    with pytest.raises(ValidationError, match="une fois l'événement commencé"):
        outcomes.rating_save(rater=a, other=b, useful=True)
    outcomes.rating_save(rater=a, other=b, useful=True, now=event.starts_at)
    assert MeetingRating.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": Decimal("10")}, "seulement si un contrat"),
        ({"contract_signed": True, "amount": Decimal("-1")}, "négatif"),
    ],
)
def test_bad_amounts_are_refused(club: Network, kwargs: dict[str, object], message: str) -> None:
    event = past_event(club)
    a, b = regs(event, club, 2)
    seat_plan(event, [[[a, b]]])
    with pytest.raises(ValidationError) as exc:
        outcomes.rating_save(rater=a, other=b, useful=True, **kwargs)  # type: ignore[arg-type]
    assert message in exc.value.message_dict["amount"][0]
    assert not MeetingRating.objects.exists()


def rated_event(network: Network, answers: int) -> Event:
    """An event where `answers` ratings were given, all at one table of answers + 1 people."""
    event = past_event(network)
    people = regs(event, network, answers + 1)
    seat_plan(event, [[people]])
    for k, rater in enumerate(people[1:]):
        outcomes.rating_save(rater=rater, other=people[0], useful=k % 2 == 0, follow_up=k == 0)
    return event


def test_below_five_answers_no_rating_figure_is_given(club: Network) -> None:
    figures = outcomes.event_outcome(rated_event(club, 4))
    assert figures["meetings"] == 10  # five people at one table
    assert figures["ratings"] == 4 and figures["shown"] is False
    assert figures["useful_share"] is None and figures["follow_ups"] is None
    assert figures["contracts"] is None and figures["amount"] is None


def test_from_five_answers_the_figures_are_given(club: Network) -> None:
    figures = outcomes.event_outcome(rated_event(club, 5))
    assert figures["shown"] is True
    assert figures["useful_share"] == 60  # 3 of 5
    assert figures["follow_ups"] == 1
    assert figures["contracts"] == 0 and figures["amount"] == Decimal(0)


def test_a_contract_reported_by_both_people_counts_once_at_the_larger_amount(club: Network) -> None:
    event = past_event(club)
    a, b, c, d = regs(event, club, 4)
    seat_plan(event, [[[a, b]], [[a, c], [b, d]], [[a, d], [b, c]]])
    outcomes.rating_save(rater=a, other=b, useful=True, contract_signed=True, amount=Decimal("1000"))
    outcomes.rating_save(rater=b, other=a, useful=True, contract_signed=True, amount=Decimal("1500"))
    outcomes.rating_save(rater=c, other=a, useful=True, contract_signed=True)
    outcomes.rating_save(rater=d, other=b, useful=False)
    outcomes.rating_save(rater=c, other=b, useful=False, follow_up=True)

    figures = outcomes.event_outcome(event)

    assert figures["contracts"] == 2
    assert figures["amount"] == Decimal("1500")
    assert figures["useful_share"] == 60
    assert figures["follow_ups"] == 1


def test_chamber_totals_add_only_the_events_shown(club: Network, other_club: Network) -> None:
    shown = rated_event(club, 5)
    hidden = rated_event(other_club, 3)
    make_day(club, kind=EventKind.MEETING, starts_at=timezone.now() - PAST)  # no meetings: not listed
    make_day(club, kind=EventKind.SPEED)  # future: not listed

    result = outcomes.chamber_outcomes()

    assert {row["event"] for row in result["rows"]} == {shown, hidden}
    totals = result["totals"]
    assert totals["events"] == 2 and totals["events_shown"] == 1
    assert totals["ratings"] == 5 and totals["useful_share"] == 60 and totals["follow_ups"] == 1
    assert totals["meetings"] == 15 + 6
