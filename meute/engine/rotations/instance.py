"""Rotation-event instances (``meute.pairing-instance/1``) and schedules (``meute.schedule/1``).

Parsing and validation only: every other module of the engine receives a
:class:`PairingInstance` that is known to be well formed, so none of them
re-checks ids, symmetry or shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

import numpy as np

from meute.engine.errors import EngineInputError
from meute.engine.validation import MAX_ROUNDS, MAX_TABLE_SIZE, document, integer, rows_with_ids

__all__ = [
    "INSTANCE_FORMAT",
    "SCHEDULE_FORMAT",
    "PairingInstance",
    "Rounds",
    "TablesInput",
    "company_codes",
    "instance_to_json",
    "parse_instance",
    "parse_schedule",
    "schedule_to_json",
]

INSTANCE_FORMAT = "meute.pairing-instance/1"
SCHEDULE_FORMAT = "meute.schedule/1"

#: Rounds as the engine handles them: ``rounds[r][t]`` lists the participant
#: indices (positions in ``PairingInstance.ids``) sitting at table t of round r.
Rounds = list[list[list[int]]]


@dataclass(frozen=True, eq=False)
class PairingInstance:
    """A speed-meeting evening: who comes, how relevant each pair is, and the rules.

    Attributes
    ----------
    ids : tuple of str
        Participant ids, in the order of the weight matrix.
    companies : tuple of (str or None)
        Company of each participant; two participants of one company never meet.
    weights : numpy.ndarray
        ``(n, n)`` int64 matrix, symmetric, zero diagonal, read-only.
    forbidden : tuple of (int, int)
        Index pairs ``(a, b)`` with ``a < b`` that must never share a table.
    requested : tuple of (int, int)
        Index pairs ``(a, b)`` with ``a < b`` that should meet if at all possible.
    rounds : int
        Number of rounds, at least 1.
    table_size : int
        2 for one-to-one meetings, more for tables.
    """

    ids: tuple[str, ...]
    companies: tuple[str | None, ...]
    weights: np.ndarray
    forbidden: tuple[tuple[int, int], ...] = ()
    requested: tuple[tuple[int, int], ...] = ()
    rounds: int = 1
    table_size: int = 2
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        """Number of participants."""
        return len(self.ids)

    @cached_property
    def index(self) -> dict[str, int]:
        """Position of each id."""
        return {pid: i for i, pid in enumerate(self.ids)}

    @cached_property
    def allowed(self) -> np.ndarray:
        """``(n, n)`` boolean matrix: may i and j share a table (not the same person,
        not colleagues, not a forbidden pair)?

        Notes
        -----
        O(n^2) time and memory (one byte per pair), computed once per instance.
        """
        codes = company_codes(self.companies)
        ok = ~((codes[:, None] == codes[None, :]) & (codes[:, None] >= 0))
        np.fill_diagonal(ok, False)
        for a, b in self.forbidden:
            ok[a, b] = ok[b, a] = False
        ok.setflags(write=False)
        return ok

    @cached_property
    def own_bound(self) -> np.ndarray:
        """Best relevance each participant could get alone: the sum of their
        ``rounds * (table_size - 1)`` largest weights (the referee's normaliser of a share).

        Notes
        -----
        O(n^2) with a partial sort per row.
        """
        degree = min(self.rounds * (self.table_size - 1), self.n - 1)
        w = self.weights.astype(np.float64, copy=True)
        np.fill_diagonal(w, -np.inf)  # the referee skips the diagonal
        if degree <= 0:
            return np.zeros(self.n)
        top = -np.partition(-w, degree - 1, axis=1)[:, :degree]
        return np.clip(top, 0, None).sum(axis=1)


class TablesInput(Protocol):
    """What the tables solver and its checker read (a :class:`PairingInstance` fits)."""

    @property
    def weights(self) -> np.ndarray: ...
    @property
    def rounds(self) -> int: ...
    @property
    def table_size(self) -> int: ...
    @property
    def companies(self) -> Sequence[str | None]: ...
    @property
    def forbidden(self) -> Sequence[tuple[int, int]] | set[tuple[int, int]]: ...
    @property
    def requested(self) -> Sequence[tuple[int, int]] | set[tuple[int, int]]: ...


def company_codes(companies: Sequence[str | None]) -> np.ndarray:
    """One integer per person: the same for colleagues, -1 for nobody's colleague (no company), in O(n).

    Examples
    --------
    >>> company_codes(["x", None, "y", "x"]).tolist()
    [0, -1, 1, 0]
    """
    codes = np.full(len(companies), -1, dtype=np.int64)
    names: dict[str, int] = {}
    for i, c in enumerate(companies):
        if c is not None:
            codes[i] = names.setdefault(c, len(names))
    return codes


def _fail(message: str) -> EngineInputError:
    return EngineInputError(message)


def _int_field(data: dict[str, Any], name: str, default: int | None, minimum: int, maximum: int) -> int:
    value = data.get(name, default)
    if value is None:
        raise _fail(f"{name}: missing")
    return integer(value, name, minimum, maximum=maximum, too_low="expected at least {minimum}, got {value}")


def _weights(raw: Any, ids: list[str]) -> np.ndarray:
    n = len(ids)
    if not isinstance(raw, list):
        raise _fail("weights: expected a list of rows")
    if len(raw) != n:
        raise _fail(f"weights: {len(raw)} rows, expected {n} (one per participant)")
    for r, row in enumerate(raw, start=1):
        if not isinstance(row, list):
            raise _fail(f"weights: row {r} is not a list")
        if len(row) != n:
            raise _fail(f"weights: row {r} has {len(row)} entries, expected {n}")
    if n == 0:
        return np.zeros((0, 0), dtype=np.int64)
    try:
        arr = np.array(raw)
    except (ValueError, TypeError, OverflowError):
        arr = np.array(raw, dtype=object)
    if arr.dtype.kind not in "iu":
        # Slow path only for bad input: find the first offending entry to name it.
        for r, row in enumerate(raw):
            for c, v in enumerate(row):
                if isinstance(v, bool) or not isinstance(v, int):
                    raise _fail(f"weights: row {r + 1}, column {c + 1} is {v!r}, expected an integer >= 0")
        arr = np.array(raw, dtype=object)
    if arr.dtype == object:
        raise _fail("weights: entries out of range for 64-bit integers")
    arr = arr.astype(np.int64)
    bad = np.argwhere(arr < 0)
    if len(bad):
        r, c = bad[0]
        raise _fail(f"weights: row {r + 1}, column {c + 1} is {arr[r, c]}, expected an integer >= 0")
    diag = np.flatnonzero(np.diagonal(arr))
    if len(diag):
        i = diag[0]
        raise _fail(f"weights: diagonal entry of {ids[i]} is {arr[i, i]}, expected 0")
    asym = np.argwhere(np.triu(arr != arr.T))
    if len(asym):
        a, b = asym[0]
        raise _fail(f"weights: not symmetric at {ids[a]}-{ids[b]} ({arr[a, b]} vs {arr[b, a]})")
    arr.setflags(write=False)
    return arr


def _pairs(raw: Any, name: str, index: dict[str, int]) -> tuple[tuple[int, int], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _fail(f"{name}: expected a list of pairs of ids")
    out: set[tuple[int, int]] = set()
    for k, p in enumerate(raw, start=1):
        if not isinstance(p, list) or len(p) != 2:
            raise _fail(f"{name}: entry {k} is not a pair of two ids")
        for pid in p:
            if not isinstance(pid, str) or pid not in index:
                raise _fail(f"{name}: unknown participant {pid!r}")
        a, b = index[p[0]], index[p[1]]
        if a == b:
            raise _fail(f"{name}: entry {k} pairs {p[0]} with themself")
        out.add((min(a, b), max(a, b)))
    return tuple(sorted(out))


def parse_instance(data: Any) -> PairingInstance:
    """Validate a ``meute.pairing-instance/1`` document and build a :class:`PairingInstance`.

    Parameters
    ----------
    data : object
        The decoded JSON document.

    Returns
    -------
    PairingInstance

    Raises
    ------
    EngineInputError
        With a one-line message naming the field, row or id at fault.

    Notes
    -----
    O(n^2) time and memory for the weight matrix (vectorised checks).

    Examples
    --------
    >>> inst = parse_instance({"format": "meute.pairing-instance/1", "rounds": 1,
    ...     "participants": [{"id": "a"}, {"id": "b"}], "weights": [[0, 3], [3, 0]]})
    >>> inst.ids, int(inst.weights[0, 1])
    (('a', 'b'), 3)
    """
    document(data, INSTANCE_FORMAT, what="instance")
    rounds = _int_field(data, "rounds", None, 1, MAX_ROUNDS)
    table_size = _int_field(data, "table_size", 2, 2, MAX_TABLE_SIZE)
    ids: list[str] = []
    companies: list[str | None] = []
    for p, pid in rows_with_ids(data.get("participants"), "participants", numbered=True):
        company = p.get("company")
        if company is not None and not isinstance(company, str):
            raise _fail(f"participants: company of {pid!r} is {company!r}, expected a string")
        ids.append(pid)
        companies.append(company)
    weights = _weights(data.get("weights"), ids)
    index = {pid: i for i, pid in enumerate(ids)}
    forbidden = _pairs(data.get("forbidden"), "forbidden", index)
    requested = _pairs(data.get("requested"), "requested", index)
    return PairingInstance(
        ids=tuple(ids),
        companies=tuple(companies),
        weights=weights,
        forbidden=forbidden,
        requested=requested,
        rounds=rounds,
        table_size=table_size,
    )


def instance_to_json(instance: PairingInstance) -> dict[str, Any]:
    """The ``meute.pairing-instance/1`` document of an instance (inverse of :func:`parse_instance`), in O(n^2)."""
    ids = instance.ids
    return {
        "format": INSTANCE_FORMAT,
        "rounds": instance.rounds,
        "table_size": instance.table_size,
        "participants": [
            {"id": pid, **({"company": c} if c is not None else {})}
            for pid, c in zip(ids, instance.companies, strict=True)
        ],
        "weights": instance.weights.tolist(),
        "forbidden": [[ids[a], ids[b]] for a, b in instance.forbidden],
        "requested": [[ids[a], ids[b]] for a, b in instance.requested],
    }


def schedule_to_json(instance: PairingInstance, rounds: Rounds) -> dict[str, Any]:
    """The ``meute.schedule/1`` document of index-based rounds, in O(total seats)."""
    ids = instance.ids
    return {"format": SCHEDULE_FORMAT, "rounds": [[[ids[i] for i in t] for t in rnd] for rnd in rounds]}


def parse_schedule(instance: PairingInstance, data: Any) -> Rounds:
    """Read a ``meute.schedule/1`` document into index-based rounds.

    Only the shape and the ids are checked here (the rules are for
    :func:`meute.engine.rotations.checker.is_valid_schedule`).

    Raises
    ------
    EngineInputError
        Wrong format, a table that is not a list of ids, or an unknown id.

    Notes
    -----
    O(total seats).
    """
    document(data, SCHEDULE_FORMAT, what="schedule")
    raw = data.get("rounds")
    if not isinstance(raw, list):
        raise _fail("schedule: expected a list 'rounds'")
    out: Rounds = []
    for r, rnd in enumerate(raw, start=1):
        if not isinstance(rnd, list):
            raise _fail(f"schedule: round {r} is not a list of tables")
        tables: list[list[int]] = []
        for t in rnd:
            if not isinstance(t, list):
                raise _fail(f"schedule: round {r} has a table that is not a list of ids")
            row: list[int] = []
            for pid in t:
                if not isinstance(pid, str) or pid not in instance.index:
                    raise _fail(f"schedule: round {r}: unknown participant {pid!r}")
                row.append(instance.index[pid])
            tables.append(row)
        out.append(tables)
    return out
