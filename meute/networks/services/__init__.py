"""Writes on networks and memberships, one module per domain noun; each function is one transaction.

- :mod:`.admissions` — applications, co-optation, the board's decisions;
- :mod:`.seats` — seats, the waiting list and its offers (the network's row lock);
- :mod:`.memberships` — roles and departures;
- :mod:`.professions` — the one-seat-per-profession rule;
- :mod:`.pages` — the network's page as its managers edit it.

Callers import the module they need. Every manager action writes an audit entry
in the same transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from meute.accounts.models import User

# Who acts: a user, or nobody (a periodic job).
Actor = User | AnonymousUser | None
