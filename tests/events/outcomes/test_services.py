"""Outcomes, services: who met whom, ratings, and aggregates that never show fewer than 5 answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meute.events.models import (
    CheckIn,
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
from meute.events.outcomes import selectors as outcome_selectors
from meute.events.outcomes import services as outcome_services
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

    assert outcome_selectors.meeting_pairs(event) == {
        tuple(sorted(p)) for p in [(a.pk, b.pk), (a.pk, c.pk), (b.pk, c.pk), (a.pk, d.pk)]
    }
    assert outcome_selectors.partners_of(registration=d) == [a]


def test_an_unpublished_plan_holds_no_meetings(club: Network) -> None:
    event = past_event(club)
    a, b = regs(event, club, 2)
    seat_plan(event, [[[a, b]]], status=PlanStatus.READY)
    assert outcome_selectors.meeting_pairs(event) == set()


def test_placed_booked_meetings_count_and_unplaced_ones_do_not(club: Network) -> None:
    event = past_event(club, EventKind.BUSINESS_DAY)
    a, b, c = regs(event, club, 3)
    common = {"event": event, "status": RequestStatus.ACCEPTED, "expires_at": event.starts_at}
    MeetingRequest.objects.create(sender=a, recipient=b, slot=0, table=1, **common)
    MeetingRequest.objects.create(sender=a, recipient=c, **common)  # accepted, never placed

    assert outcome_selectors.meeting_pairs(event) == {tuple(sorted((a.pk, b.pk)))}


def test_absent_people_and_cancelled_registrations_met_nobody(club: Network) -> None:
    event = past_event(club)
    a, b, c = regs(event, club, 3)
    seat_plan(event, [[[a, b]], [[a, c]]])
    Registration.objects.filter(pk=b.pk).update(attendance=CheckIn.ABSENT)
    Registration.objects.filter(pk=c.pk).update(status="cancelled")
    assert outcome_selectors.meeting_pairs(event) == set()


def test_a_rating_is_saved_then_changed(club: Network) -> None:
    event = past_event(club)
    a, b = regs(event, club, 2)
    seat_plan(event, [[[a, b]]])

    outcome_services.rating_save(rater=a, other=b, useful=True, follow_up=True)
    outcome_services.rating_save(rater=a, other=b, useful=True, contract_signed=True, amount=Decimal("1200"))

    rating = MeetingRating.objects.get()
    assert (rating.useful, rating.follow_up, rating.contract_signed, rating.amount) == (
        True,
        False,
        True,
        Decimal("1200.00"),
    )
    assert outcome_selectors.ratings_given(registration=a) == {b.pk: rating}
    assert outcome_selectors.ratings_given(registration=b) == {}


def test_one_cannot_rate_someone_one_did_not_meet(club: Network) -> None:
    event = past_event(club)
    a, b, c = regs(event, club, 3)
    seat_plan(event, [[[a, b]]])
    with pytest.raises(ValidationError, match="pas rencontré"):
        outcome_services.rating_save(rater=a, other=c, useful=True)
    elsewhere = register(past_event(club), make_user(club))
    with pytest.raises(ValidationError, match="pas rencontré"):
        outcome_services.rating_save(rater=a, other=elsewhere, useful=True)


def test_one_cannot_rate_before_the_event(club: Network) -> None:
    event = make_day(club, kind=EventKind.SPEED)
    a, b = regs(event, club, 2)
    seat_plan(event, [[[a, b]]])
    with pytest.raises(ValidationError, match="une fois l'événement commencé"):
        outcome_services.rating_save(rater=a, other=b, useful=True)
    outcome_services.rating_save(rater=a, other=b, useful=True, now=event.starts_at)
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
        outcome_services.rating_save(rater=a, other=b, useful=True, **kwargs)  # type: ignore[arg-type]
    assert message in exc.value.message_dict["amount"][0]
    assert not MeetingRating.objects.exists()


def rated_event(network: Network, answers: int) -> Event:
    """An event where `answers` people each rated one meeting, all at one table of answers + 1 people."""
    event = past_event(network)
    people = regs(event, network, answers + 1)
    seat_plan(event, [[people]])
    for k, rater in enumerate(people[1:]):
        outcome_services.rating_save(rater=rater, other=people[0], useful=k % 2 == 0, follow_up=k == 0)
    return event


def raters(event: Event) -> list[Registration]:
    return [r.rater for r in MeetingRating.objects.filter(event=event).select_related("rater__person")]


RATING_FIGURES = ("ratings", "people", "useful_share", "useful", "follow_ups", "contracts", "amount")


def test_below_five_people_no_rating_figure_is_given(club: Network) -> None:
    figures = outcome_selectors.event_outcome(rated_event(club, 4), viewer=None)
    assert figures["meetings"] == 10  # five people at one table
    assert figures["shown"] is False
    assert all(figures[key] is None for key in RATING_FIGURES)


def test_from_five_people_the_figures_are_given_to_a_reader_who_did_not_answer(club: Network) -> None:
    event = rated_event(club, 5)
    organiser = make_user(club).person  # not among the raters
    for viewer in (None, organiser):
        figures = outcome_selectors.event_outcome(event, viewer=viewer)
        assert figures["shown"] is True and figures["viewer_answered"] is False
        assert figures["people"] == 5 and figures["ratings"] == 5
        assert figures["useful_share"] == 60  # 3 of 5
        assert figures["follow_ups"] == 1
        assert figures["contracts"] == 0


def test_one_person_rating_five_meetings_is_one_answer_not_five(club: Network) -> None:
    event = past_event(club)
    alice, *others = regs(event, club, 6)
    seat_plan(event, [[[alice, o]] for o in others])
    for k, other in enumerate(others):
        outcome_services.rating_save(
            rater=alice,
            other=other,
            useful=k < 2,
            contract_signed=k == 0,
            amount=Decimal("12345") if k == 0 else None,
        )

    figures = outcome_selectors.event_outcome(event, viewer=None)

    assert figures["shown"] is False
    assert all(figures[key] is None for key in RATING_FIGURES)


def test_a_reader_who_answered_needs_five_other_people(club: Network) -> None:
    event = rated_event(club, 5)
    me = raters(event)[0].person

    figures = outcome_selectors.event_outcome(event, viewer=me)
    assert figures["shown"] is False and figures["viewer_answered"] is True
    assert all(figures[key] is None for key in RATING_FIGURES)

    # a sixth person answers: five people other than me
    newcomer = register(event, make_user(club))
    plan = RotationPlan.objects.get(event=event)
    Seat.objects.create(plan=plan, round_no=2, table_no=1, registration=newcomer)
    Seat.objects.create(plan=plan, round_no=2, table_no=1, registration=raters(event)[0])
    outcome_services.rating_save(rater=newcomer, other=raters(event)[0], useful=True)
    figures = outcome_selectors.event_outcome(event, viewer=me)
    assert figures["shown"] is True and figures["people"] == 6


def test_a_reader_not_named_gets_only_what_is_safe_for_someone_who_answered(club: Network) -> None:
    assert outcome_selectors.event_outcome(rated_event(club, 5))["shown"] is False
    assert outcome_selectors.event_outcome(rated_event(club, 6))["shown"] is True


def test_a_person_who_rated_under_two_registrations_is_one_person(club: Network) -> None:
    event = rated_event(club, 4)
    seated = Registration.objects.filter(event=event).exclude(pk__in=[r.pk for r in raters(event)])
    target = seated.get()
    first = raters(event)[0]
    # their first registration was cancelled after rating; they registered again and rated again
    Registration.objects.filter(pk=first.pk).update(status="cancelled")
    again = register(event, first.person)
    MeetingRating.objects.create(event=event, rater=again, other=target, useful=True)

    figures = outcome_selectors.event_outcome(event, viewer=None)

    assert MeetingRating.objects.filter(event=event).count() == 5
    assert figures["shown"] is False


def contracts_event(network: Network, *, raters_count: int, stating: int) -> tuple[Event, list[Registration]]:
    """`raters_count` people each rate a meeting with the first; `stating` of them state an amount."""
    event = past_event(network)
    people = regs(event, network, raters_count + 1)
    seat_plan(event, [[people]])
    for k, rater in enumerate(people[1:]):
        outcome_services.rating_save(
            rater=rater,
            other=people[0],
            useful=True,
            contract_signed=True,
            amount=Decimal(1000 + k) if k < stating else None,
        )
    return event, people[1:]


def test_the_total_amount_needs_five_people_who_stated_an_amount(club: Network) -> None:
    event, _people = contracts_event(club, raters_count=6, stating=1)

    figures = outcome_selectors.event_outcome(event, viewer=None)

    assert figures["shown"] is True and figures["contracts"] == 6
    assert figures["amount_shown"] is False and figures["amount"] is None


def test_a_reader_who_stated_an_amount_needs_five_other_amounts(club: Network) -> None:
    event, people = contracts_event(club, raters_count=6, stating=5)
    stated, silent = people[0].person, people[5].person

    assert outcome_selectors.event_outcome(event, viewer=silent)["amount"] == Decimal(5010)
    mine = outcome_selectors.event_outcome(event, viewer=stated)
    assert mine["shown"] is True and mine["amount"] is None and mine["amount_shown"] is False


def test_a_reader_who_took_part_in_the_contracts_needs_five_amounts_from_the_others(club: Network) -> None:
    # everyone signed with the first person, who rated nothing: they know every amount but their own
    event, people = contracts_event(club, raters_count=6, stating=6)
    hub = Registration.objects.filter(event=event).exclude(pk__in=[p.pk for p in people]).get().person

    assert outcome_selectors.event_outcome(event, viewer=None)["amount"] == Decimal(6015)
    theirs = outcome_selectors.event_outcome(event, viewer=hub)
    assert theirs["shown"] is True and theirs["viewer_answered"] is False
    assert theirs["amount"] is None
    assert outcome_selectors.event_outcome(event)["amount"] is None  # a reader not named could be them


def test_one_person_stating_five_amounts_is_one_person(club: Network) -> None:
    event = past_event(club)
    alice, *others = regs(event, club, 6)
    seat_plan(event, [[[alice, o]] for o in others])
    for k, other in enumerate(others):
        outcome_services.rating_save(
            rater=alice, other=other, useful=True, contract_signed=True, amount=Decimal(k + 1)
        )
        outcome_services.rating_save(rater=other, other=alice, useful=True)

    figures = outcome_selectors.event_outcome(event, viewer=None)

    assert figures["shown"] is True and figures["contracts"] == 5
    assert figures["amount"] is None


def test_a_contract_reported_by_both_people_counts_once_at_the_larger_amount(club: Network) -> None:
    event = past_event(club)
    a, b, c, d, e, f = regs(event, club, 6)
    seat_plan(event, [[[a, b]], [[a, c], [b, d]], [[a, d], [b, c]], [[a, e], [b, f]]])
    outcome_services.rating_save(rater=a, other=b, useful=True, contract_signed=True, amount=Decimal("1000"))
    outcome_services.rating_save(rater=b, other=a, useful=True, contract_signed=True, amount=Decimal("1500"))
    outcome_services.rating_save(rater=c, other=a, useful=True, contract_signed=True)
    outcome_services.rating_save(rater=d, other=b, useful=False)
    outcome_services.rating_save(rater=c, other=b, useful=False, follow_up=True)
    outcome_services.rating_save(rater=e, other=a, useful=True)
    outcome_services.rating_save(rater=f, other=b, useful=False)

    figures = outcome_selectors.event_outcome(event, viewer=None)

    assert figures["people"] == 6
    assert figures["contracts"] == 2
    assert figures["useful_share"] == 57  # 4 of 7
    assert figures["follow_ups"] == 1
    # the amount of the contract stays private: two people stated one
    assert figures["amount"] is None


def test_chamber_totals_add_only_the_events_shown(club: Network, other_club: Network) -> None:
    shown = rated_event(club, 5)
    hidden = rated_event(other_club, 3)
    make_day(club, kind=EventKind.MEETING, starts_at=timezone.now() - PAST)  # no meetings: not listed
    make_day(club, kind=EventKind.SPEED)  # future: not listed

    result = outcome_selectors.chamber_outcomes(viewer=None)

    assert {row["event"] for row in result["rows"]} == {shown, hidden}
    totals = result["totals"]
    assert totals["events"] == 2 and totals["events_shown"] == 1
    assert totals["ratings"] == 5 and totals["useful_share"] == 60 and totals["follow_ups"] == 1
    assert totals["meetings"] == 15 + 6


def test_chamber_totals_of_a_reader_who_answered_leave_out_what_they_may_not_see(
    club: Network, other_club: Network
) -> None:
    mine = rated_event(club, 5)
    rated_event(other_club, 6)
    me = raters(mine)[0].person

    result = outcome_selectors.chamber_outcomes(viewer=me)

    rows = {row["event"]: row for row in result["rows"]}
    assert rows[mine]["shown"] is False and rows[mine]["useful_share"] is None
    assert result["totals"]["events_shown"] == 1 and result["totals"]["ratings"] == 6


def test_chamber_amount_totals_add_only_the_amounts_shown(club: Network, other_club: Network) -> None:
    contracts_event(club, raters_count=5, stating=5)  # 1000 + ... + 1004
    contracts_event(other_club, raters_count=5, stating=1)  # 1000, one person's: never in a total

    totals = outcome_selectors.chamber_outcomes(viewer=None)["totals"]

    assert totals["events_shown"] == 2 and totals["amounts_shown"] == 1
    assert totals["amount"] == Decimal(5010) and totals["contracts"] == 10
