"""The two spreadsheet ways of counting people, against which the Splink model is judged.

Both return a person label per record, like :class:`~meute.engine.linkage.model.Linkage.person`.
"""

from __future__ import annotations

from collections.abc import Sequence

from meute.engine.linkage.columns import Record

__all__ = ["by_exact_email", "by_normalised_name"]


def _labels(keys: Sequence[object]) -> tuple[int, ...]:
    seen: dict[object, int] = {}
    return tuple(seen.setdefault(k, len(seen)) for k in keys)


def by_exact_email(records: Sequence[Record]) -> tuple[int, ...]:
    """Rows with the same (lower-cased) e-mail are one person; rows without one are alone. O(n)."""
    return _labels([r.email or ("row", i) for i, r in enumerate(records)])


def by_normalised_name(records: Sequence[Record]) -> tuple[int, ...]:
    """Rows with the same folded surname and first name are one person (homonyms merged). O(n)."""
    return _labels([(r.surname, r.first_name) for r in records])
