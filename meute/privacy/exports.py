"""Building a person's export: the work the export task runs (services queue it)."""

from __future__ import annotations

import datetime as dt
import json

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meute.privacy.models import DataExport, ExportStatus
from meute.privacy.selectors import person_data

__all__ = ["EXPORT_VALIDITY", "export_build"]

#: A ready export can be downloaded this long.
EXPORT_VALIDITY = dt.timedelta(days=7)


def export_build(*, export_id: int, now: dt.datetime | None = None) -> DataExport | None:
    """Write the JSON file and the readable summary of the export's account; None if it is gone."""
    now = now or timezone.now()
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.status == ExportStatus.READY:
            return export
        data = person_data(export.user, now=now)
        export.json_data = json.dumps(data, ensure_ascii=False, indent=2)
        with translation.override("fr"):
            export.html_summary = render_to_string("privacy/summary.html", {"data": data})
        export.status = ExportStatus.READY
        export.ready_at = now
        export.expires_at = now + EXPORT_VALIDITY
        export.save()
    return export
