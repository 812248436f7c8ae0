"""Computing a plan in the background: participants, engine, seats, reasons and figures.

Called by the task :func:`meute.events.speed.tasks.plan_compute`, queued on commit
by :func:`meute.events.speed.services.plan_generate`.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from meute.core import locking
from meute.engine.errors import EngineInputError, InfeasibleError
from meute.engine.rotations import PairingInstance, Rounds
from meute.events.models import PlanStatus, RotationPlan
from meute.events.speed.instance import build_instance, format_errors
from meute.events.speed.seating import save_reasons, seats_replace
from meute.events.speed.selectors import participants
from meute.events.speed.solving import clean_rounds, plan_figures

logger = logging.getLogger(__name__)


def _solve(instance: PairingInstance, *, seed: int) -> tuple[Rounds, list[str]]:
    """The engine's schedule for the instance, checked: a solver bug never becomes a saved plan."""
    from meute.engine.rotations import is_valid_schedule, is_valid_tables, solve_schedule

    res = solve_schedule(instance, seed=seed)
    rounds, notes = res.rounds, list(res.notes)
    if instance.table_size == 2:
        errors = is_valid_schedule(instance, rounds, check_rests=False)
    else:
        errors = is_valid_tables(instance, rounds)
    if errors:  # a solver bug: refuse to save a broken plan
        raise InfeasibleError(errors[0])
    return clean_rounds(rounds), notes


def _progress(plan_id: int, value: int) -> None:
    # Written outside the final transaction, so a page polling the plan sees it move.
    RotationPlan.objects.filter(pk=plan_id).update(progress=value, updated_at=timezone.now())


def plan_compute(*, plan_id: int) -> RotationPlan | None:
    """Run the engine for a plan and save its result (called by the background task)."""
    plan = RotationPlan.objects.select_related("event").filter(pk=plan_id).first()
    if plan is None:
        return None
    try:
        regs = participants(plan.event)
        errors = format_errors(plan, len(regs))
        if errors:
            raise EngineInputError(" ".join(errors.values()))
        _progress(plan_id, 10)
        instance, result = build_instance(regs, rounds=plan.rounds, table_size=plan.table_size)
        _progress(plan_id, 40)
        rounds, notes = _solve(instance, seed=plan.seed)
        notes = [*result.notes, *notes]
        _progress(plan_id, 80)
        figures = plan_figures(instance, rounds, regs, notes)
    except Exception as exc:  # whatever breaks, the organiser must see a failed plan, not a spinner
        logger.exception("speed plan %s failed", plan_id)
        RotationPlan.objects.filter(pk=plan_id).update(
            status=PlanStatus.FAILED, progress=100, message=str(exc), updated_at=timezone.now()
        )
        return RotationPlan.objects.get(pk=plan_id)
    with transaction.atomic():
        plan = locking.locked(RotationPlan, plan_id)
        seats_replace(plan, regs, rounds)
        save_reasons(plan, regs, instance, result, rounds)
        plan.figures = figures
        # A recomputed plan must be published again; participants then hear it changed.
        plan.status, plan.progress, plan.message = PlanStatus.READY, 100, "\n".join(notes)
        plan.save()
    return plan
