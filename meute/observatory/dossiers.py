"""The dossier's background build: figures at its date, the PDF and the workbook, saved with it.

The task module calls :func:`dossier_build`; the services queue it. The figures are stored as
JSON with the files, so a dossier keeps what it published whatever happens to the records later.
"""

from __future__ import annotations

from django.utils import timezone

from meute.observatory import selectors
from meute.observatory.dossier import dossier_pdf, dossier_xlsx
from meute.observatory.models import Dossier, RunStatus
from meute.observatory.storage import figures_to_dict

__all__ = ["dossier_build"]


def dossier_build(*, dossier_id: int) -> Dossier | None:
    """Build a queued dossier; None if it is gone. A failure is recorded on it, never raised."""
    dossier = Dossier.objects.filter(pk=dossier_id, status=RunStatus.QUEUED).first()
    if dossier is None:
        return Dossier.objects.filter(pk=dossier_id).first()
    dossier.status = RunStatus.RUNNING
    dossier.save(update_fields=["status"])
    try:
        found = selectors.observatory_figures(at=dossier.at, public=dossier.published)
        created = timezone.now().replace(tzinfo=None, microsecond=0)
        dossier.pdf = dossier_pdf(found, published=dossier.published, created=created)
        dossier.xlsx = dossier_xlsx(found, published=dossier.published, created=created)
        dossier.figures = figures_to_dict(found)
        dossier.status = RunStatus.DONE
    except Exception as exc:  # recorded for staff to see; the page never breaks on it
        dossier.status, dossier.error = RunStatus.FAILED, f"{type(exc).__name__}: {exc}"
    dossier.finished_at = timezone.now()
    dossier.save()
    return dossier
