"""Checks shared by the engine's input formats (docs/formats.md).

Every parser of the engine (:mod:`meute.engine.relevance`,
:mod:`meute.engine.rotations.instance`, :mod:`meute.engine.slots.instance`)
reads a JSON object with a ``format`` field, integer fields and lists of rows
that carry a unique string id; the checks and their one-line messages live
here once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from meute.engine.errors import EngineInputError

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_PRIORITY",
    "MAX_ROUNDS",
    "MAX_SLOTS",
    "MAX_TABLES",
    "MAX_TABLE_SIZE",
    "document",
    "integer",
    "rows_with_ids",
]

# The limits of docs/formats.md ("Limits"): far beyond any real event, and
# small enough that what the solvers allocate for them stays in memory.
#: Size of one input file.
MAX_INPUT_BYTES = 256 * 2**20
#: Rounds of a schedule, people at a table.
MAX_ROUNDS = 1_000
MAX_TABLE_SIZE = 100
#: Slots and tables of a business-meeting day, a meeting's priority.
MAX_SLOTS = 1_000
MAX_TABLES = 10_000
MAX_PRIORITY = 1_000_000


def document(data: Any, fmt: str, *, what: str = "") -> dict[str, Any]:
    """``data`` itself, once known to be a JSON object of format ``fmt`` (O(1)).

    Raises
    ------
    EngineInputError
        ``"[what: ]expected a JSON object"`` or ``"format: expected 'fmt', got ..."``.

    Examples
    --------
    >>> document({"format": "x/1"}, "x/1")
    {'format': 'x/1'}
    >>> document([], "x/1", what="schedule")
    Traceback (most recent call last):
    ...
    meute.engine.errors.EngineInputError: schedule: expected a JSON object
    """
    if not isinstance(data, dict):
        raise EngineInputError(f"{what}: expected a JSON object" if what else "expected a JSON object")
    if data.get("format") != fmt:
        raise EngineInputError(f"format: expected {fmt!r}, got {data.get('format')!r}")
    return data


def integer(
    value: Any,
    where: str,
    minimum: int,
    *,
    maximum: int | None = None,
    too_low: str = "must be >= {minimum}, got {value}",
) -> int:
    """``value`` once known to be an integer (not a boolean) of at least ``minimum``, at most ``maximum``.

    ``too_low`` words the second message (formats ``{minimum}`` and ``{value}``). O(1).
    A number beyond ``maximum`` is refused before anything is allocated for it
    (``slots: 10**7`` reached 13 GB).

    Examples
    --------
    >>> integer(3, "slots", 1)
    3
    >>> integer(True, "slots", 1)
    Traceback (most recent call last):
    ...
    meute.engine.errors.EngineInputError: slots: expected an integer, got True
    """
    # bool is an int subclass in Python; `true` is not a number of rounds.
    if isinstance(value, bool) or not isinstance(value, int):
        raise EngineInputError(f"{where}: expected an integer, got {value!r}")
    if value < minimum:
        raise EngineInputError(f"{where}: " + too_low.format(minimum=minimum, value=value))
    if maximum is not None and value > maximum:
        shown = value if len(str(value)) <= 20 else f"a number of {len(str(value))} digits"
        raise EngineInputError(f"{where}: must be <= {maximum}, got {shown}")
    return value


def rows_with_ids(rows: Any, name: str, *, numbered: bool = False) -> Iterator[tuple[dict[str, Any], str]]:
    """Each row of the list ``rows`` (field ``name``) with its id, checked one row at a time.

    The list itself is checked at once; then each row, as it is yielded, must
    be an object with a non-empty string ``id`` not seen before. Rows are
    named ``name[k]`` (from 0), or ``entry k`` (from 1) when ``numbered``.

    Raises
    ------
    EngineInputError
        Not a list, a row without a string id, or a duplicate id.

    Notes
    -----
    O(len(rows)).

    Examples
    --------
    >>> [pid for _, pid in rows_with_ids([{"id": "a"}, {"id": "b"}], "participants")]
    ['a', 'b']
    >>> list(rows_with_ids([{"id": "a"}, {"id": "a"}], "participants"))
    Traceback (most recent call last):
    ...
    meute.engine.errors.EngineInputError: participants: duplicate id 'a'
    """
    if not isinstance(rows, list):
        raise EngineInputError(f"{name}: expected a list")
    return _rows_with_ids(rows, name, numbered)


def _rows_with_ids(rows: list[Any], name: str, numbered: bool) -> Iterator[tuple[dict[str, Any], str]]:
    seen: set[str] = set()
    for k, row in enumerate(rows):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str) or not row["id"]:
            raise EngineInputError(
                f"{name}: entry {k + 1} has no string 'id'"
                if numbered
                else f"{name}[{k}]: expected an object with a string id"
            )
        rid = row["id"]
        if rid in seen:
            raise EngineInputError(f"{name}: duplicate id {rid!r}")
        seen.add(rid)
        yield row, rid
