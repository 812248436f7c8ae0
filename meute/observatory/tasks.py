"""Background work of the observatory: the linkage run. Tasks take ids and are queued on commit
(meute.observatory.services.linkage_queue); the immediate backend runs them at once in tests."""

from __future__ import annotations

from django.tasks import task

from meute.observatory.linking import linkage_run


@task()
def link_records(run_id: int) -> str:
    """Link every imported record into people and rebuild the memberships; the run's final status."""
    run = linkage_run(run_id=run_id)
    return run.status if run is not None else "missing"
