"""Writes of speed meetings: format, computation, publication, hand changes, live re-plan, profile.

One transaction each, keyword-only arguments. The computation itself runs in the
background (:mod:`meute.events.speed.compute`); what the participants hear of a
change is queued on commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meute.core import locking
from meute.engine.rotations import Rounds, is_valid_replan, replan
from meute.events import tasks as mail
from meute.events.models import (
    Event,
    PairReason,
    PlanStatus,
    Registration,
    RegistrationStatus,
    RotationPlan,
    Seat,
)
from meute.events.speed import tasks
from meute.events.speed.instance import build_instance, format_errors
from meute.events.speed.seating import load_rounds, locked_positions, number_rounds, save_reasons, save_rounds
from meute.events.speed.selectors import ARRIVED, GONE, is_speed_event, participants, plan_registrations
from meute.events.speed.solving import (
    clean_rounds,
    pairs_of,
    plan_figures,
    reoptimise_around,
    rule_message,
)

logger = logging.getLogger(__name__)


def _notify(plan: RotationPlan, registration_ids: Iterable[int], *, changed: bool) -> None:
    ids = sorted(set(registration_ids))

    def send() -> None:
        for pk in ids:
            mail.send_schedule_email.enqueue(pk, changed)

    transaction.on_commit(send)


def plan_configure(
    *,
    event: Event,
    table_size: int,
    rounds: int,
    round_minutes: int,
    break_minutes: int,
    first_table: int = 1,
    seed: int | None = None,
) -> RotationPlan:
    """Create or change the format of an event's plan.

    Raises ValidationError naming the field of an impossible format (checked
    against today's participants). Changing the format of a computed plan sends
    it back to draft: its seats no longer fit.
    """
    if not is_speed_event(event):
        raise ValidationError(_("Cet événement n'est pas une soirée de rendez-vous d'affaires express."))
    with transaction.atomic():
        locking.locked(Event, event.pk)
        plan, _created = RotationPlan.objects.get_or_create(event=event)
        values = {
            "table_size": table_size,
            "rounds": rounds,
            "round_minutes": round_minutes,
            "break_minutes": break_minutes,
            "first_table": first_table,
        }
        changed = any(getattr(plan, k) != v for k, v in values.items())
        reshaped = [k for k in ("table_size", "rounds", "first_table") if getattr(plan, k) != values[k]]
        if reshaped and plan.status == PlanStatus.PUBLISHED:
            # Agendas are out: only the timing may still move; a new shape needs a new plan.
            raise ValidationError(
                {
                    k: _("Le plan est publié : ce réglage ne peut plus changer sans recalculer le plan.")
                    for k in reshaped
                }
            )
        for k, v in values.items():
            setattr(plan, k, v)
        if seed is not None:
            plan.seed = seed
        # The participants may still change: only the format itself is checked here.
        errors = format_errors(plan, None)
        if errors:
            raise ValidationError(errors)
        if plan.status == PlanStatus.RUNNING:
            raise ValidationError(_("Un calcul est en cours : attendez qu'il se termine."))
        if changed and plan.status != PlanStatus.PUBLISHED:
            Seat.objects.filter(plan=plan).delete()
            PairReason.objects.filter(plan=plan).delete()
            plan.status, plan.progress, plan.figures = PlanStatus.DRAFT, 0, {}
        plan.save()
    return plan


def plan_generate(*, plan: RotationPlan) -> RotationPlan:
    """Check the format against the participants, then queue the computation (on commit).

    The task (:func:`meute.events.speed.tasks.plan_compute`) scores the
    profiles, solves and saves the seats, the reasons and the figures,
    reporting its progress on the plan.
    """
    with transaction.atomic():
        plan = locking.locked(RotationPlan, plan.pk, related=("event",))
        # A computation silent for a quarter of an hour died with its worker: it may be restarted.
        stale = plan.updated_at < timezone.now() - dt.timedelta(minutes=15)
        if plan.status == PlanStatus.RUNNING and not stale:
            raise ValidationError(_("Un calcul est déjà en cours."))
        if plan.status == PlanStatus.PUBLISHED and plan.event.has_started:
            # the rounds played are history: only the live re-plan may change what is left
            raise ValidationError(
                _(
                    "L'événement a commencé : le plan publié ne peut plus être recalculé en entier. "
                    "Utilisez la re-planification à partir d'un tour."
                )
            )
        errors = format_errors(plan, len(participants(plan.event)))
        if errors:
            raise ValidationError(errors)
        plan.status, plan.progress, plan.message = PlanStatus.RUNNING, 0, ""
        plan.save(update_fields=["status", "progress", "message", "updated_at"])
        plan_id = plan.pk
        transaction.on_commit(lambda: tasks.plan_compute.enqueue(plan_id))
    return plan


def plan_publish(*, plan: RotationPlan) -> RotationPlan:
    """Publish a computed plan and send each participant their agenda (on commit)."""
    with transaction.atomic():
        plan = locking.locked(RotationPlan, plan.pk)
        if plan.status != PlanStatus.READY:
            raise ValidationError(_("Seul un plan calculé peut être publié."))
        plan.version += 1
        plan.status = PlanStatus.PUBLISHED
        plan.published_at = timezone.now()
        plan.save()
        ids = Seat.objects.filter(plan=plan).values_list("registration_id", flat=True)
        _notify(plan, ids, changed=plan.version > 1)
    return plan


def _editable(plan: RotationPlan) -> RotationPlan:
    plan = locking.locked(RotationPlan, plan.pk, related=("event",))
    if plan.status not in (PlanStatus.READY, PlanStatus.PUBLISHED):
        raise ValidationError(_("Le plan n'est pas encore calculé."))
    return plan


@dataclass
class ChangeReport:
    """What a hand change or a re-plan did."""

    changed_meetings: int = 0
    added_meetings: int = 0
    notified: int = 0
    notes: list[str] = field(default_factory=list)


def _apply_change(
    plan: RotationPlan,
    regs: list[Registration],
    new_rounds: Rounds,
    locked: set[tuple[int, int]],
    fixed: list[int],
    notes_out: list[str],
) -> ChangeReport:
    """Shared end of swap and lock: re-optimise, check, save, bump the version, notify."""
    instance, result = build_instance(regs, rounds=plan.rounds, table_size=plan.table_size)
    index = {r.pk: k for k, r in enumerate(regs)}
    old_rounds, old_numbers = load_rounds(plan, index)
    rebuilt, notes, errors = reoptimise_around(instance, new_rounds, fixed)
    if errors:
        logger.info("change of plan %s refused: %s", plan.pk, errors[:3])
        raise ValidationError(
            _("Changement impossible : %(e)s") % {"e": rule_message(instance, rebuilt, regs)}
        )
    numbers = number_rounds(plan, rebuilt, old_rounds, old_numbers)
    published = plan.status == PlanStatus.PUBLISHED
    version = plan.version + 1 if published else plan.version
    changed = save_rounds(plan, regs, rebuilt, numbers, from_round=1, version=version, locked=locked)
    save_reasons(plan, regs, instance, result, rebuilt)
    before_pairs = pairs_of(t for tables in old_rounds for t in tables)
    after_pairs = pairs_of(t for tables in rebuilt for t in tables)
    report = ChangeReport(
        len(before_pairs - after_pairs), len(after_pairs - before_pairs), notes=notes_out + notes
    )
    plan.figures = plan_figures(instance, rebuilt, regs, report.notes)
    if published and changed:
        plan.version = version
        _notify(plan, changed, changed=True)
        report.notified = len(changed)
    plan.save()
    return report


def seat_lock(*, plan: RotationPlan, round_no: int, table_no: int, locked: bool = True) -> int:
    """Lock (or unlock) a meeting: every seat of one table in one round. Returns the seats touched.

    A locked meeting stays where it is through hand swaps and is kept by the
    re-plans whenever its people are still there.
    """
    with transaction.atomic():
        plan = _editable(plan)
        count = Seat.objects.filter(plan=plan, round_no=round_no, table_no=table_no).update(locked=locked)
        if not count:
            raise ValidationError(
                {"table_no": _("Il n'y a pas de table %(t)s au tour %(r)s.") % {"t": table_no, "r": round_no}}
            )
    return count


def seat_swap(
    *, plan: RotationPlan, round_no: int, first: Registration, second: Registration
) -> ChangeReport:
    """Swap two participants between their tables in one round; lock the two new tables; repair the rest.

    Why a repair and not a new solve: the organiser has reviewed the plan and
    changes one meeting by hand; solving again would reshuffle every agenda. The
    engine's re-planner keeps every other planned meeting that is still
    possible and re-pairs only the people the swap leaves alone in other rounds
    (a meeting the swap creates is removed from the round where it was planned).
    Refused with a clear message if the swap seats colleagues or a forbidden
    pair together, or repeats a meeting that is locked in another round.
    """
    with transaction.atomic():
        plan = _editable(plan)
        if not 1 <= round_no <= plan.rounds:
            raise ValidationError({"round_no": _("Le tour doit être entre 1 et %(n)s.") % {"n": plan.rounds}})
        if first.pk == second.pk:
            raise ValidationError(_("Choisissez deux personnes différentes."))
        regs = plan_registrations(plan)
        index = {r.pk: k for k, r in enumerate(regs)}
        if first.pk not in index or second.pk not in index:
            raise ValidationError(_("Ces personnes ne sont pas dans le plan."))
        rounds, _numbers = load_rounds(plan, index)
        a, b = index[first.pk], index[second.pk]
        tables = rounds[round_no - 1]
        ta = next((t for t in tables if a in t), None)
        tb = next((t for t in tables if b in t), None)
        if ta is None or tb is None:
            raise ValidationError(_("Les deux personnes doivent être assises à ce tour."))
        if ta is tb:
            raise ValidationError(_("Ces deux personnes sont déjà à la même table."))
        ta[ta.index(a)] = b
        tb[tb.index(b)] = a
        locked = locked_positions(plan, index)
        locked -= {(round_no, i) for i in ta + tb}
        # The swap breaks up any lock on the two tables it touches, then locks the new ones.
        locked |= {(round_no, i) for i in ta + tb}
        fixed = sorted({r - 1 for r, _i in locked})
        new_pairs = pairs_of([ta, tb])
        for r in fixed:
            if r == round_no - 1:
                continue
            # Rounds holding a lock are kept whole, so a meeting planned there cannot move.
            clash = new_pairs & pairs_of(rounds[r])
            if clash:
                p, q = sorted(clash)[0]
                raise ValidationError(
                    _(
                        "%(a)s et %(b)s se rencontrent déjà au tour %(r)s, qui contient une rencontre verrouillée."
                    )
                    % {"a": regs[p].person.full_name, "b": regs[q].person.full_name, "r": r + 1}
                )
        report = _apply_change(plan, regs, rounds, locked, fixed, [])
    return report


def plan_replan_live(*, plan: RotationPlan, from_round: int) -> ChangeReport:
    """Re-plan rounds from_round..end during the event.

    Absentees: seated registrations now marked absent or excused at check-in, or
    cancelled. Arrivals: confirmed registrations marked present or late (walk-ins,
    late registrations) who are not in the plan yet. Rounds before from_round
    are frozen; changed seats get the new version; participants whose agenda
    changed are told on commit (if the plan is published).
    """
    with transaction.atomic():
        plan = _editable(plan)
        if not 1 <= from_round <= plan.rounds:
            raise ValidationError(
                {"from_round": _("Le tour doit être entre 1 et %(n)s.") % {"n": plan.rounds}}
            )
        planned_ids = set(Seat.objects.filter(plan=plan).values_list("registration_id", flat=True))
        arrivals = list(
            Registration.objects.filter(
                event=plan.event, status=RegistrationStatus.CONFIRMED, attendance__in=ARRIVED
            ).exclude(pk__in=planned_ids)
        )
        regs = plan_registrations(plan, arrivals)
        index = {r.pk: k for k, r in enumerate(regs)}
        absent = [
            index[r.pk]
            for r in regs
            if r.pk in planned_ids and (r.status != RegistrationStatus.CONFIRMED or r.attendance in GONE)
        ]
        arrived = [index[r.pk] for r in arrivals]
        instance, result = build_instance(regs, rounds=plan.rounds, table_size=plan.table_size)
        old_rounds, old_numbers = load_rounds(plan, index)
        gone = set(absent)
        locked = locked_positions(plan, index)
        keep_locked = {(r, i) for r, i in locked if r >= from_round and i not in gone}
        res = replan(
            instance,
            old_rounds,
            from_round=from_round,
            absent=absent,
            arrived=arrived,
            seed=plan.seed,
            locked=keep_locked,
        )
        new_rounds, notes = clean_rounds(res.rounds), list(res.notes)
        errors = is_valid_replan(
            instance, old_rounds, new_rounds, from_round=from_round, absent=absent, arrived=arrived
        )
        if errors:
            logger.error("replan of plan %s broke a rule: %s", plan.pk, errors[:3])
            raise ValidationError(
                _("Re-planification impossible : %(e)s") % {"e": rule_message(instance, new_rounds, regs)}
            )
        numbers = number_rounds(plan, new_rounds, old_rounds, old_numbers)
        published = plan.status == PlanStatus.PUBLISHED
        version = plan.version + 1 if published else plan.version
        changed = save_rounds(
            plan, regs, new_rounds, numbers, from_round=from_round, version=version, locked=keep_locked
        )
        save_reasons(plan, regs, instance, result, new_rounds)
        before = pairs_of(t for tables in old_rounds[from_round - 1 :] for t in tables)
        after = pairs_of(t for tables in new_rounds[from_round - 1 :] for t in tables)
        report = ChangeReport(len(before - after), len(after - before), notes=notes)
        plan.figures = plan_figures(instance, new_rounds, regs, notes)
        plan.version = version
        plan.save()
        if published and changed:
            told = changed - {regs[i].pk for i in gone}
            _notify(plan, told, changed=True)
            report.notified = len(told)
    return report


def profile_update(
    *,
    registration: Registration,
    offers: str,
    seeks: str,
    wishes: Iterable[Registration] = (),
    avoids: Iterable[Registration] = (),
) -> Registration:
    """Save what a participant offers and seeks at the event, and whom they wish to meet or avoid.

    Wishes and avoids must be other confirmed participants of the same event.
    """
    wishes, avoids = list(wishes), list(avoids)
    with transaction.atomic():
        registration = locking.locked(Registration, registration.pk)
        for name, people in (("wishes", wishes), ("avoids", avoids)):
            for other in people:
                if other.event_id != registration.event_id or other.pk == registration.pk:
                    raise ValidationError(
                        {name: _("Choisissez parmi les autres participants de l'événement.")}
                    )
        if {r.pk for r in wishes} & {r.pk for r in avoids}:
            raise ValidationError(
                {"avoids": _("Une même personne ne peut être à la fois souhaitée et évitée.")}
            )
        registration.offers, registration.seeks = offers.strip(), seeks.strip()
        registration.save(update_fields=["offers", "seeks", "updated_at"])
        registration.wishes.set(wishes)
        registration.avoids.set(avoids)
    return registration
