"""Rank networks for a person from a few answers ("Ne pas rester seul").

Plain data in, plain data out: the caller turns each `Reason` into a sentence
in the reader's language. The score is a sum of bounded parts so that each
part can be explained, and a person sees why a network comes first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "FAR_KM",
    "FULL_PENALTY",
    "RHYTHM_ORDER",
    "W_DISTANCE",
    "W_FORMAT",
    "W_PEERS",
    "W_PURPOSE",
    "W_RHYTHM",
    "W_SECTOR",
    "W_TIME",
    "Answers",
    "NetworkFacts",
    "Reason",
    "Recommendation",
    "distance_km",
    "rank_networks",
    "score_network",
]

# Weights of the parts of the score (out of 100 for a perfect fit).
W_PURPOSE = 35.0
W_SECTOR = 15.0
W_DISTANCE = 15.0
W_RHYTHM = 10.0
W_TIME = 10.0
W_FORMAT = 10.0
W_PEERS = 5.0
FULL_PENALTY = 15.0
# Beyond this, a monthly trip to the meetings stops being part of an owner's week.
FAR_KM = 60.0

RHYTHM_ORDER = ["weekly", "fortnightly", "monthly", "quarterly", "irregular"]


@dataclass(frozen=True)
class Answers:
    """What the person told the questionnaire; every field may be left empty."""

    sector: str | None = None  # NAF section letter
    latitude: float | None = None
    longitude: float | None = None
    purposes: frozenset[str] = frozenset()
    formats: frozenset[str] = frozenset()
    rhythm: str | None = None
    hours_per_month: float | None = None


@dataclass(frozen=True)
class NetworkFacts:
    key: int
    purposes: frozenset[str]
    sectors: frozenset[str]  # empty: open to every sector
    formats: frozenset[str]
    rhythm: str
    hours_per_month: float
    latitude: float | None
    longitude: float | None
    active_members: int
    member_cap: int | None
    members_in_sector: int = 0


@dataclass(frozen=True)
class Reason:
    """One reason for (positive) or against (negative) a network; `code` names its sentence."""

    code: str
    positive: bool
    value: float | int | str | None = None
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    key: int
    score: float
    reasons: tuple[Reason, ...] = field(default_factory=tuple)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def score_network(answers: Answers, net: NetworkFacts) -> Recommendation:
    """Score one network for one person, with the reasons behind the score.

    Examples
    --------
    >>> a = Answers(purposes=frozenset({"business"}), rhythm="monthly")
    >>> n = NetworkFacts(1, frozenset({"business"}), frozenset(), frozenset(), "monthly", 3, None, None, 10, 20)
    >>> r = score_network(a, n)
    >>> [x.code for x in r.reasons]
    ['purposes', 'open_sectors', 'rhythm', 'seats_left']
    """
    score = 0.0
    reasons: list[Reason] = []

    if answers.purposes:
        shared = answers.purposes & net.purposes
        score += W_PURPOSE * len(shared) / len(answers.purposes)
        if shared:
            reasons.append(Reason("purposes", True, items=tuple(sorted(shared))))
        else:
            reasons.append(Reason("no_purpose", False))
    else:
        score += W_PURPOSE / 2

    if answers.sector:
        if not net.sectors:
            score += W_SECTOR * 2 / 3
            reasons.append(Reason("open_sectors", True))
        elif answers.sector in net.sectors:
            score += W_SECTOR
            reasons.append(Reason("your_sector", True))
        else:
            reasons.append(Reason("other_sector", False))
        if net.members_in_sector:
            score += W_PEERS * min(net.members_in_sector, 5) / 5
            reasons.append(Reason("peers", True, value=net.members_in_sector))
    elif not net.sectors:
        score += W_SECTOR * 2 / 3
        reasons.append(Reason("open_sectors", True))

    if None not in (answers.latitude, answers.longitude, net.latitude, net.longitude):
        km = distance_km(answers.latitude, answers.longitude, net.latitude, net.longitude)  # type: ignore[arg-type]
        score += W_DISTANCE * max(0.0, 1 - km / FAR_KM)
        reasons.append(Reason("distance", km <= FAR_KM / 2, value=round(km)))

    if answers.rhythm and answers.rhythm in RHYTHM_ORDER and net.rhythm in RHYTHM_ORDER:
        gap = abs(RHYTHM_ORDER.index(answers.rhythm) - RHYTHM_ORDER.index(net.rhythm))
        score += W_RHYTHM * max(0.0, 1 - gap / 2)
        reasons.append(Reason("rhythm", gap == 0, value=net.rhythm))
    else:
        # No preference: still say how often the network meets.
        reasons.append(Reason("rhythm", True, value=net.rhythm))

    if answers.hours_per_month is not None:
        if net.hours_per_month <= answers.hours_per_month:
            score += W_TIME
            reasons.append(Reason("time_fits", True, value=net.hours_per_month))
        else:
            over = net.hours_per_month / max(answers.hours_per_month, 0.5)
            score += W_TIME * max(0.0, 2 - over)  # a little over still fits somewhat
            reasons.append(Reason("time_over", False, value=net.hours_per_month))

    if answers.formats:
        shared_formats = answers.formats & net.formats
        score += W_FORMAT * len(shared_formats) / len(answers.formats)
        if shared_formats:
            reasons.append(Reason("formats", True, items=tuple(sorted(shared_formats))))

    if net.member_cap is not None:
        left = net.member_cap - net.active_members
        if left > 0:
            reasons.append(Reason("seats_left", True, value=left))
        else:
            score -= FULL_PENALTY
            reasons.append(Reason("full", False))

    return Recommendation(net.key, round(max(score, 0.0), 1), tuple(reasons))


def rank_networks(
    answers: Answers, networks: Iterable[NetworkFacts], limit: int | None = None
) -> list[Recommendation]:
    """Networks ranked best first (ties: the smaller network first, then key).

    Notes
    -----
    O(N log N) for N networks.
    """
    facts: Sequence[NetworkFacts] = list(networks)
    size = {n.key: n.active_members for n in facts}
    ranked = sorted((score_network(answers, n) for n in facts), key=lambda r: (-r.score, size[r.key], r.key))
    return ranked[:limit] if limit else ranked
