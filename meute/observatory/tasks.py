"""Background work of the observatory: the linkage run, and the figures precomputed after it.
Tasks take ids and are queued on commit (meute.observatory.services); the immediate backend runs
them at once in tests and the embedded set-up, the worker in production."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task

from meute.observatory.dossiers import dossier_build
from meute.observatory.linking import linkage_run
from meute.observatory.models import RunStatus
from meute.observatory.pages import figures_warm


def _warm() -> int:
    # Off in most tests (drawing every chart after every import costs seconds and proves nothing).
    return figures_warm() if getattr(settings, "OBSERVATORY_WARM_FIGURES", True) else 0


@task()
def link_records(run_id: int) -> str:
    """Link every imported record into people, rebuild the memberships, precompute today's figures;
    the run's final status."""
    run = linkage_run(run_id=run_id)
    if run is not None and run.status == RunStatus.DONE and run.method != "skipped":
        _warm()
    return run.status if run is not None else "missing"


@task()
def warm_figures() -> int:
    """Precompute today's figures (all networks, public page) once memberships changed."""
    return _warm()


@task()
def build_dossier(dossier_id: int) -> str:
    """Build the dossier's figures, PDF and workbook; its final status."""
    dossier = dossier_build(dossier_id=dossier_id)
    return dossier.status if dossier is not None else "missing"
