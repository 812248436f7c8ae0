"""Booked-meeting days: the formats ``meute.slots-instance/1`` (in) and ``meute.slot-plan/1`` (out).

Parsing and validation only (docs/formats.md): the checker and the solver of
:mod:`meute.engine.slots` receive a :class:`SlotsInstance` known to be well formed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meute.engine.errors import EngineInputError
from meute.engine.validation import MAX_PRIORITY, MAX_SLOTS, MAX_TABLES, document, integer, rows_with_ids

__all__ = [
    "FORMAT_IN",
    "FORMAT_OUT",
    "Meeting",
    "Placement",
    "SlotPlan",
    "SlotsInstance",
    "parse_instance",
    "plan_from_json",
    "plan_to_json",
]

FORMAT_IN = "meute.slots-instance/1"
FORMAT_OUT = "meute.slot-plan/1"


@dataclass(frozen=True)
class Meeting:
    """A requested meeting between participants ``a`` and ``b`` (indices into the instance)."""

    id: str
    a: int
    b: int
    priority: int = 1


@dataclass(frozen=True)
class SlotsInstance:
    """A business-meeting day: ``slots`` time slots, ``tables`` tables, who is available when."""

    slots: int
    tables: int
    participants: tuple[str, ...]
    available: tuple[frozenset[int], ...]
    meetings: tuple[Meeting, ...]


@dataclass(frozen=True)
class Placement:
    meeting: str
    slot: int
    table: int


@dataclass(frozen=True)
class SlotPlan:
    placed: tuple[Placement, ...]


def parse_instance(data: Any) -> SlotsInstance:
    """Check a ``meute.slots-instance/1`` document and return it as a SlotsInstance.

    Raises
    ------
    EngineInputError
        With one line naming the field or id at fault.

    Notes
    -----
    O(size of the document): people, their available slots, meetings.
    """
    document(data, FORMAT_IN)
    slots = integer(data.get("slots"), "slots", 1, maximum=MAX_SLOTS)
    tables = integer(data.get("tables"), "tables", 1, maximum=MAX_TABLES)
    ids: list[str] = []
    index: dict[str, int] = {}
    available: list[frozenset[int]] = []
    for p, pid in rows_with_ids(data.get("participants"), "participants"):
        av = p.get("available")
        if not isinstance(av, list):
            raise EngineInputError(f"participant {pid}: available: expected a list of slot numbers")
        for s in av:
            integer(s, f"participant {pid}: available", 0)
            if s >= slots:
                raise EngineInputError(f"participant {pid}: available slot {s} out of range 0..{slots - 1}")
        index[pid] = len(ids)
        ids.append(pid)
        available.append(frozenset(av))
    meetings: list[Meeting] = []
    for m, mid in rows_with_ids(data.get("meetings"), "meetings"):
        between = m.get("between")
        if not (isinstance(between, list) and len(between) == 2 and all(isinstance(x, str) for x in between)):
            raise EngineInputError(f"meeting {mid}: between: expected two participant ids")
        for pid in between:
            if pid not in index:
                raise EngineInputError(f"meeting {mid}: unknown participant {pid!r}")
        if between[0] == between[1]:
            raise EngineInputError(f"meeting {mid}: between names {between[0]!r} twice")
        priority = integer(m.get("priority", 1), f"meeting {mid}: priority", 0, maximum=MAX_PRIORITY)
        meetings.append(Meeting(mid, index[between[0]], index[between[1]], priority))
    return SlotsInstance(slots, tables, tuple(ids), tuple(available), tuple(meetings))


def plan_to_json(plan: SlotPlan) -> dict[str, Any]:
    """The ``meute.slot-plan/1`` document of a plan, in O(P)."""
    return {
        "format": FORMAT_OUT,
        "placed": [{"meeting": p.meeting, "slot": p.slot, "table": p.table} for p in plan.placed],
    }


def plan_from_json(data: Any) -> SlotPlan:
    """Read a ``meute.slot-plan/1`` document (shape only; ``is_valid_plan`` judges the rest), in O(P)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_OUT:
        raise EngineInputError(f"format: expected {FORMAT_OUT!r}")
    rows = data.get("placed")
    if not isinstance(rows, list):
        raise EngineInputError("placed: expected a list")
    out = []
    for k, r in enumerate(rows):
        if not isinstance(r, dict):
            raise EngineInputError(f"placed[{k}]: expected an object")
        out.append(Placement(str(r.get("meeting")), r.get("slot"), r.get("table")))  # type: ignore[arg-type]
    return SlotPlan(tuple(out))
