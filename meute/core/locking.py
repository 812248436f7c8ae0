"""Row locks: the one place that says which rows are locked, and in which order.

Limited places (a club's seats, an event's places, a plan's tables) are changed
only inside a transaction that first locks the row owning them, so that two
requests cannot both take the last place. On PostgreSQL :func:`locked` issues
``SELECT … FOR UPDATE OF <table>``; on SQLite, where the settings open every
transaction ``IMMEDIATE``, writers are serialised anyway and the lock is a no-op.

**Order.** A transaction that locks several rows locks them in this order,
owner before owned, so that two transactions never wait on each other
(a deadlock):

1. ``Network`` — seats, waiting list, roles, dues periods of the network;
2. ``Event`` — places, waiting list and check-in of the event;
3. ``RotationPlan`` — a speed-meeting plan and its seats;
4. ``Membership``, then ``Registration`` — one person's place;
5. ``DuesPeriod``, ``Proposal``, ``MeetingRequest``, ``Referral``, ``Visitor``,
   ``Person`` — single rows changed on their own.

Only the row itself is locked (``of=("self",)``): PostgreSQL refuses
``FOR UPDATE`` on the nullable side of an outer join, which ``select_related``
on a nullable foreign key would add.
"""

from __future__ import annotations

from typing import Any

from django.db import models

__all__ = ["locked"]


def locked[M: models.Model](model: type[M], pk: Any, *, related: tuple[str, ...] = ()) -> M:
    """The row ``pk`` of ``model``, locked until the end of the current transaction.

    ``related`` names foreign keys to load in the same query (they are not locked).
    Raises ``model.DoesNotExist`` like :meth:`QuerySet.get`. Call it inside
    :func:`django.db.transaction.atomic`, in the order of this module's docstring.
    """
    queryset = model._default_manager.select_for_update(of=("self",))
    if related:
        queryset = queryset.select_related(*related)
    return queryset.get(pk=pk)
