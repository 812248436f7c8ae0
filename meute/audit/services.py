"""Record what a manager or staff member did. Call inside the transaction of the action itself,
so the trail and the change are saved together or not at all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models

from meute.accounts.models import User
from meute.audit.models import AuditEntry


def audit_log(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    summary: str,
    # A network (`networks.Network`), typed generically: audit sits below networks, which writes
    # its entries, and imports nothing of it.
    network: models.Model | None = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if isinstance(actor, User) else None,
        network_id=network.pk if network is not None else None,
        action=action,
        summary=summary[:300],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        details=details or {},
    )
