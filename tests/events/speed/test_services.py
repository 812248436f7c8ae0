"""Speed meetings, services: format, computation, hand changes, publication, live re-plan."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from meute.events import services
from meute.events.models import CheckIn, Event, PairReason, PlanStatus, Registration, RotationPlan, Seat
from meute.events.speed import compute as speed_compute
from meute.events.speed import instance as speed_instance
from meute.events.speed import selectors as speed_selectors
from meute.events.speed import services as speed_services
from meute.events.speed.notes import say
from tests.events.conftest import PROFILES, register
from tests.factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db


def computed(event: Event, capture: Any, **fmt: Any) -> RotationPlan:
    values = {"table_size": 2, "rounds": 3, "round_minutes": 8, "break_minutes": 2, "first_table": 1} | fmt
    plan = speed_services.plan_configure(event=event, **values)
    with capture(execute=True):
        speed_services.plan_generate(plan=plan)
    plan.refresh_from_db()
    return plan


def tables_by_round(plan: RotationPlan) -> dict[int, list[set[int]]]:
    grouped: dict[tuple[int, int], set[int]] = defaultdict(set)
    for s in Seat.objects.filter(plan=plan):
        grouped[(s.round_no, s.table_no)].add(s.registration_id)
    out: dict[int, list[set[int]]] = defaultdict(list)
    for (r, _t), members in sorted(grouped.items()):
        out[r].append(members)
    return out


def meetings(plan: RotationPlan, rounds: range | None = None) -> dict[int, list[int]]:
    met: dict[int, list[int]] = defaultdict(list)
    for r, tables in tables_by_round(plan).items():
        if rounds is not None and r not in rounds:
            continue
        for t in tables:
            for a, b in combinations(sorted(t), 2):
                met[a].append(b)
                met[b].append(a)
    return met


def test_six_people_over_three_rounds_each_meet_three_distinct_people_and_never_a_colleague(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)

    assert plan.status == PlanStatus.READY and plan.progress == 100
    met = meetings(plan)
    for r in speed_people:
        assert len(met[r.pk]) == 3 and len(set(met[r.pk])) == 3
    colleagues = {speed_people[1].pk, speed_people[2].pk}
    assert all(colleagues - t for tables in tables_by_round(plan).values() for t in tables)
    assert plan.figures["distinct_meetings"] == 9 and plan.figures["repeat_meetings"] == 0
    assert "worst_name" in plan.figures and "ratio_bound_percent" in plan.figures
    assert PairReason.objects.filter(plan=plan).count() == 9
    assert PairReason.objects.filter(plan=plan).exclude(why="").exists()


def test_tables_of_three_seat_everyone_every_round(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks, table_size=3, rounds=2, first_table=10)

    assert plan.status == PlanStatus.READY
    for tables in tables_by_round(plan).values():
        assert sorted(len(t) for t in tables) == [3, 3]
    assert set(Seat.objects.filter(plan=plan).values_list("table_no", flat=True)) == {10, 11}


@pytest.mark.parametrize(
    ("fmt", "field"),
    [
        ({"table_size": 1}, "table_size"),
        ({"rounds": 0}, "rounds"),
        ({"round_minutes": 0}, "round_minutes"),
        ({"first_table": 0}, "first_table"),
        # Bounded by what an evening can hold (issue 17): tables of 4 for 5,000 rounds took 31 s.
        ({"table_size": 13}, "table_size"),
        ({"table_size": 4, "rounds": 5000}, "rounds"),
        ({"rounds": 70000}, "rounds"),
        ({"round_minutes": 241}, "round_minutes"),
        ({"break_minutes": 241}, "break_minutes"),
        ({"first_table": 2**64}, "first_table"),
        ({"rounds": 50, "round_minutes": 30}, "rounds"),
    ],
)
def test_an_impossible_format_is_refused_naming_the_field(
    speed_event: Event, fmt: dict[str, int], field: str
) -> None:
    values = {"table_size": 2, "rounds": 3, "round_minutes": 8, "break_minutes": 2} | fmt
    with pytest.raises(ValidationError) as exc:
        speed_services.plan_configure(event=speed_event, **values)
    assert field in exc.value.message_dict
    assert "Format impossible" in " ".join(exc.value.message_dict[field])


def test_more_seats_per_table_than_people_or_too_many_rounds_is_refused_at_generation(
    speed_event: Event, speed_people: list[Registration]
) -> None:
    plan = speed_services.plan_configure(
        event=speed_event, table_size=7, rounds=2, round_minutes=8, break_minutes=2
    )
    with pytest.raises(ValidationError) as exc:
        speed_services.plan_generate(plan=plan)
    assert "table_size" in exc.value.message_dict
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=6, round_minutes=8, break_minutes=2
    )
    with pytest.raises(ValidationError) as exc:
        speed_services.plan_generate(plan=plan)
    assert "rounds" in exc.value.message_dict
    assert RotationPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_fewer_than_two_participants_is_an_impossible_format(speed_event: Event) -> None:
    register(speed_event, PersonFactory())
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=1, round_minutes=8, break_minutes=2
    )
    with pytest.raises(ValidationError, match="au moins 2 participants"):
        speed_services.plan_generate(plan=plan)


def test_people_without_matchmaking_consent_are_seated_with_a_neutral_profile(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    shy = register(speed_event, PersonFactory(), consent=False, offers="Traiteur", seeks="Des clients")
    profiles = {p.id: p for p in speed_instance.build_profiles(speed_selectors.participants(speed_event))}
    assert profiles[str(shy.pk)].offers == "" and profiles[str(shy.pk)].seeks == ""
    assert profiles[str(speed_people[0].pk)].offers != ""

    plan = computed(speed_event, django_capture_on_commit_callbacks)
    assert Seat.objects.filter(plan=plan, registration=shy).count() == 3


def test_absent_and_cancelled_registrations_are_not_seated(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    services.attendance_set(registration=speed_people[5], attendance=CheckIn.EXCUSED)
    plan = computed(speed_event, django_capture_on_commit_callbacks, rounds=2)
    assert not Seat.objects.filter(plan=plan, registration=speed_people[5]).exists()


def test_publishing_sends_each_participant_their_agenda(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        plan = speed_services.plan_publish(plan=plan)
    assert plan.status == PlanStatus.PUBLISHED and plan.version == 1
    assert len(mail.outbox) == 6
    assert mail.outbox[0].subject.startswith("Votre programme :")
    with pytest.raises(ValidationError):
        speed_services.plan_publish(plan=plan)


def test_a_swap_locks_the_new_meetings_and_the_rest_is_repaired_without_repeats(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_publish(plan=plan)
    plan.refresh_from_db()
    a = speed_people[0]
    mine = Seat.objects.get(plan=plan, round_no=1, registration=a)
    # someone at another table of round 1, who is not a's partner's colleague... any valid swap
    others = Seat.objects.filter(plan=plan, round_no=1).exclude(table_no=mine.table_no)
    mail.outbox.clear()
    report = None
    for other in others:
        try:
            with django_capture_on_commit_callbacks(execute=True):
                report = speed_services.seat_swap(plan=plan, round_no=1, first=a, second=other.registration)
        except ValidationError:
            continue
        break
    assert report is not None
    plan.refresh_from_db()
    assert plan.version == 2
    new_seat = Seat.objects.get(plan=plan, round_no=1, registration=a)
    assert new_seat.locked and new_seat.changed_in_version == 2
    met = meetings(plan)
    for r in speed_people:
        assert len(met[r.pk]) == len(set(met[r.pk])), "no meeting repeated"
    assert report.notified == len(mail.outbox) > 0
    assert all(m.subject.startswith("Votre programme a changé") for m in mail.outbox)


def test_a_swap_that_seats_colleagues_together_is_refused(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    colleague, other_colleague = speed_people[1], speed_people[2]
    seat = Seat.objects.get(plan=plan, round_no=1, registration=colleague)
    partner = Seat.objects.filter(plan=plan, round_no=1, table_no=seat.table_no).exclude(pk=seat.pk).first()
    assert partner is not None
    before = list(Seat.objects.filter(plan=plan).values_list("round_no", "table_no", "registration_id"))
    with pytest.raises(ValidationError) as refused:
        # other_colleague takes partner's place beside colleague
        speed_services.seat_swap(plan=plan, round_no=1, first=partner.registration, second=other_colleague)
    # said in French, with names (the engine's checker speaks English, by id)
    message = refused.value.messages[0]
    assert message.startswith("Changement impossible : au tour 1,")
    assert colleague.person.full_name in message and other_colleague.person.full_name in message
    assert "même entreprise" in message
    assert (
        list(Seat.objects.filter(plan=plan).values_list("round_no", "table_no", "registration_id")) == before
    )


def test_a_locked_meeting_survives_a_swap_elsewhere(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    seat = Seat.objects.get(plan=plan, round_no=3, registration=speed_people[0])
    assert speed_services.seat_lock(plan=plan, round_no=3, table_no=seat.table_no) == 2
    locked = set(
        Seat.objects.filter(plan=plan, locked=True).values_list("round_no", "table_no", "registration_id")
    )
    round1 = list(Seat.objects.filter(plan=plan, round_no=1))
    for x, y in combinations(round1, 2):
        if x.table_no == y.table_no:
            continue
        try:
            speed_services.seat_swap(plan=plan, round_no=1, first=x.registration, second=y.registration)
        except ValidationError:
            continue
        break
    after = set(
        Seat.objects.filter(plan=plan, round_no=3, locked=True).values_list(
            "round_no", "table_no", "registration_id"
        )
    )
    assert locked <= after
    with pytest.raises(ValidationError):
        speed_services.seat_lock(plan=plan, round_no=3, table_no=99)


def test_live_replan_keeps_frozen_rounds_never_seats_absentees_and_seats_walk_ins(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_publish(plan=plan)
    plan.refresh_from_db()
    round1 = set(Seat.objects.filter(plan=plan, round_no=1).values_list("table_no", "registration_id"))
    gone = speed_people[3]
    services.attendance_set(registration=gone, attendance=CheckIn.ABSENT, now=gone.event.starts_at)
    newcomer = services.registration_create(event=speed_event, person=PersonFactory(), walk_in=True)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        report = speed_services.plan_replan_live(plan=plan, from_round=2)

    plan.refresh_from_db()
    assert plan.version == 2
    assert (
        set(Seat.objects.filter(plan=plan, round_no=1).values_list("table_no", "registration_id")) == round1
    )
    assert not Seat.objects.filter(plan=plan, round_no__gte=2, registration=gone).exists()
    assert Seat.objects.filter(plan=plan, round_no__gte=2, registration=newcomer).count() == 2
    assert report.changed_meetings >= 2  # the absentee's two meetings
    assert Seat.objects.filter(plan=plan, changed_in_version=2, round_no__gte=2).exists()
    assert not Seat.objects.filter(plan=plan, changed_in_version=2, round_no=1).exists()
    assert len(mail.outbox) == report.notified > 0
    assert gone.person.email not in [m.to[0] for m in mail.outbox]
    met = meetings(plan)
    for r in [*speed_people, newcomer]:
        assert len(met[r.pk]) == len(set(met[r.pk]))


def test_live_replan_of_tables_keeps_frozen_rounds_and_drops_absentees(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks, table_size=3, rounds=3)
    round1 = set(Seat.objects.filter(plan=plan, round_no=1).values_list("table_no", "registration_id"))
    services.attendance_set(
        registration=speed_people[0], attendance=CheckIn.ABSENT, now=speed_people[0].event.starts_at
    )
    newcomer = services.registration_create(event=speed_event, person=PersonFactory(), walk_in=True)

    speed_services.plan_replan_live(plan=plan, from_round=2)

    assert (
        set(Seat.objects.filter(plan=plan, round_no=1).values_list("table_no", "registration_id")) == round1
    )
    assert not Seat.objects.filter(plan=plan, round_no__gte=2, registration=speed_people[0]).exists()
    assert Seat.objects.filter(plan=plan, round_no__gte=2, registration=newcomer).count() == 2


def test_replan_from_a_round_out_of_range_names_the_field(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as exc:
        speed_services.plan_replan_live(plan=plan, from_round=4)
    assert "from_round" in exc.value.message_dict


def test_the_agenda_gives_times_tables_partners_and_reasons(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    rows = speed_selectors.agenda(plan, speed_people[0])
    assert [r.round_no for r in rows] == [1, 2, 3]
    assert rows[1].starts_at - rows[0].starts_at == (rows[0].ends_at - rows[0].starts_at) + (
        rows[1].starts_at - rows[0].ends_at
    )
    assert rows[0].starts_at == speed_event.starts_at
    assert (rows[1].starts_at - speed_event.starts_at).total_seconds() == 600
    assert all(r.table_no and len(r.partners) == 1 for r in rows)


def test_a_published_plan_keeps_its_shape_but_may_move_its_timing(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_publish(plan=plan)
    with pytest.raises(ValidationError) as exc:
        speed_services.plan_configure(
            event=speed_event, table_size=3, rounds=3, round_minutes=8, break_minutes=2
        )
    assert "table_size" in exc.value.message_dict
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=3, round_minutes=10, break_minutes=5
    )
    assert plan.status == PlanStatus.PUBLISHED
    rows = speed_selectors.agenda(plan, speed_people[0])
    assert (rows[1].starts_at - rows[0].starts_at).total_seconds() == 15 * 60


def test_changing_the_format_of_a_computed_plan_sends_it_back_to_draft(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=2, round_minutes=8, break_minutes=2
    )
    assert plan.status == PlanStatus.DRAFT and not Seat.objects.filter(plan=plan).exists()


def test_a_swap_in_a_tables_plan_keeps_the_hard_rules(
    speed_event: Event, speed_people: list[Registration], django_capture_on_commit_callbacks: Any
) -> None:
    plan = computed(speed_event, django_capture_on_commit_callbacks, table_size=3, rounds=2)
    a = speed_people[0]
    mine = Seat.objects.get(plan=plan, round_no=2, registration=a)
    done = False
    for other in Seat.objects.filter(plan=plan, round_no=2).exclude(table_no=mine.table_no):
        try:
            speed_services.seat_swap(plan=plan, round_no=2, first=a, second=other.registration)
        except ValidationError:
            continue
        done = True
        break
    assert done
    colleagues = {speed_people[1].pk, speed_people[2].pk}
    for tables in tables_by_round(plan).values():
        assert all(colleagues - t for t in tables)
        assert sorted(len(t) for t in tables) == [3, 3]
    assert Seat.objects.get(plan=plan, round_no=2, registration=a).locked


def test_a_swap_in_a_tables_plan_that_would_repeat_a_meeting_is_repaired_by_the_engine(
    speed_event: Event,
    speed_people: list[Registration],
    club: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Nine people at tables of three over two rounds: a plan without any repeat exists.
    people = speed_people + [
        register(speed_event, MembershipFactory(network=club).person, offers=o, seeks=s)
        for o, s in PROFILES[3:]
    ]
    plan = computed(speed_event, django_capture_on_commit_callbacks, table_size=3, rounds=2)
    assert all(len(v) == len(set(v)) for v in meetings(plan).values())
    by_reg = {r.pk: r for r in people}
    round1 = meetings(plan, range(1, 2))
    # a swap in round 2 seating someone beside a person they meet in round 1
    chosen = None
    for x, y in combinations(Seat.objects.filter(plan=plan, round_no=2), 2):
        if x.table_no == y.table_no:
            continue
        mates_y = Seat.objects.filter(plan=plan, round_no=2, table_no=y.table_no).exclude(pk=y.pk)
        if any(m.registration_id in round1[x.registration_id] for m in mates_y):
            try:
                speed_services.seat_swap(
                    plan=plan, round_no=2, first=by_reg[x.registration_id], second=by_reg[y.registration_id]
                )
            except ValidationError:
                continue
            chosen = x
            break
    assert chosen is not None
    # round 2 holds the swap as made; round 1 was rebuilt around it, and nobody meets anyone twice
    assert Seat.objects.get(plan=plan, round_no=2, registration_id=chosen.registration_id).locked
    for met in meetings(plan).values():
        assert len(met) == len(set(met))
    colleagues = {speed_people[1].pk, speed_people[2].pk}
    for tables in tables_by_round(plan).values():
        assert all(colleagues - t for t in tables)
        assert sorted(len(t) for t in tables) == [3, 3, 3]


def test_an_engine_failure_marks_the_plan_failed_with_its_message(
    speed_event: Event,
    speed_people: list[Registration],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("solveur en panne")

    monkeypatch.setattr(speed_compute, "_solve", broken)
    plan = computed(speed_event, django_capture_on_commit_callbacks)
    assert plan.status == PlanStatus.FAILED and "solveur en panne" in plan.message
    assert not Seat.objects.filter(plan=plan).exists()


def test_a_published_plan_is_not_recomputed_once_the_event_has_started(
    published_plan: RotationPlan, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    Event.objects.filter(pk=published_plan.event_id).update(
        starts_at=timezone.now() - dt.timedelta(minutes=30)
    )
    seats = list(
        Seat.objects.filter(plan=published_plan).values_list("round_no", "table_no", "registration_id")
    )
    with (
        pytest.raises(ValidationError, match="le plan publié ne peut plus être recalculé"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        speed_services.plan_generate(plan=RotationPlan.objects.get(pk=published_plan.pk))
    assert (
        list(Seat.objects.filter(plan=published_plan).values_list("round_no", "table_no", "registration_id"))
        == seats
    )
    assert RotationPlan.objects.get(pk=published_plan.pk).status == PlanStatus.PUBLISHED


def test_tables_numbered_past_a_smallint_are_refused_at_generation(
    speed_event: Event, speed_people: list[Registration]
) -> None:
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=2, round_minutes=8, break_minutes=2, first_table=9_999
    )
    assert speed_services.format_errors(plan, 2 * 22_770) == {
        "first_table": "Format impossible : 22770 tables à partir de la table 9999 dépasseraient la table 32767."
    }


@pytest.mark.parametrize(
    ("offers", "seeks", "said"),
    [
        ("", "", "Aucun participant n'a rempli son profil"),
        ("le la les de", "des et ou", "aucun mot qui rapproche deux participants"),
    ],
)
def test_walk_ins_without_profiles_still_get_a_plan_and_the_organiser_is_told(
    speed_event: Event, django_capture_on_commit_callbacks: Any, offers: str, seeks: str, said: str
) -> None:
    # scikit-learn's "empty vocabulary; perhaps the documents only contain stop words" failed the plan.
    for _k in range(4):
        register(speed_event, PersonFactory(organisation=None, tags=[]), offers=offers, seeks=seeks)
    plan = speed_services.plan_configure(
        event=speed_event, table_size=2, rounds=3, round_minutes=8, break_minutes=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        speed_services.plan_generate(plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.READY, plan.message
    assert Seat.objects.filter(plan=plan, round_no=1).count() == 4
    assert any(said in say(n) for n in plan.figures["notes"])
