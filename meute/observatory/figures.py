"""The observatory's figures, computed from plain data (no Django, no database).

The Django side turns its rows into the three frozen dataclasses below and calls the
functions of this module; what comes back is plain data too (tuples, dicts of str and int),
ready to be suppressed (``suppression.py``), drawn (``charts.py``), exported (``exports.py``)
and bound into the dossier (``dossier.py``). Definitions are in docs/algorithms/observatory.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["Membership", "Network", "Person"]


@dataclass(frozen=True, slots=True)
class Membership:
    """One person's membership of one network, over ``[start, end)``.

    ``end`` is exclusive: a person whose membership ends on 1 January is no longer a member
    on 1 January. ``start=None`` means "since before the records"; ``end=None`` means
    "still a member".
    """

    person: str
    network: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Person:
    """A linked person (every record of one human being across the lists)."""

    id: str
    business: str | None  # SIREN, or a normalised company key when there is no SIREN
    naf: str | None  # NAF rev. 2 code such as "62.01Z" (the code given, or the company's APE)
    commune: str | None  # INSEE commune code
    epci: str | None  # SIREN of the EPCI the commune belongs to


@dataclass(frozen=True, slots=True)
class Network:
    """A network whose members are counted; ``kind`` is club, association, community or cluster."""

    id: str
    name: str
    kind: str
