from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from meute.events.models import Event, Registration


def detail_context(request: HttpRequest, event: Event, registration: Registration | None) -> dict[str, Any]:
    """What the event page needs from this part (filled by the speed feature)."""
    return {}
