"""Reads about people and accounts that every app shares."""

from __future__ import annotations

from typing import Any

from meute.accounts.models import Person

__all__ = ["person_of"]


def person_of(user: Any) -> Person | None:
    """The :class:`Person` of ``user``; ``None`` when anonymous or without one."""
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)
