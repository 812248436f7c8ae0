"""Background work of speed meetings: computing a rotation plan.

The task receives the plan's id, never the instance, and is queued on commit by
:func:`meute.events.speed.plan_generate`; the embedded default backend runs it
at once, a worker runs it in production while the organiser's page shows the
progress written on the plan.
"""

from __future__ import annotations

from django.tasks import task

from meute.events import speed


@task()
def plan_compute(plan_id: int) -> str:
    """Score, solve and save the plan; return its final status."""
    plan = speed.plan_compute(plan_id=plan_id)
    return plan.status if plan is not None else "missing"
