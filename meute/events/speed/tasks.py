"""Background work of speed meetings: computing a rotation plan.

The task receives the plan's id, never the instance, and is queued on commit by
:func:`meute.events.speed.services.plan_generate`; the embedded default backend runs it
at once, a worker runs it in production while the organiser's page shows the
progress written on the plan.
"""

from __future__ import annotations

from django.tasks import task

from meute.events.speed.compute import plan_compute as compute_plan


@task()
def plan_compute(plan_id: int) -> str:
    """Score, solve and save the plan; return its final status."""
    plan = compute_plan(plan_id=plan_id)
    return plan.status if plan is not None else "missing"
