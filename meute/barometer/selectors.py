"""Reads on the barometer: the network's figures over time, the territory's by network and sector.

Two rules protect each answer, and every figure goes through both:

- Only closed quarters are published (`is_closed`): answers are taken for the
  current quarter only, so a closed quarter's figures never change again.
  Were the current quarter shown as it fills, anyone who knows that a member
  answered between two visits would read that member's answer in the
  difference; not even its number of answers is shown, which would tell when
  people answered.
- `suppress_small_cells`: no group of fewer than `MIN_ANSWERS` answers is
  shown, and no breakdown lets a reader subtract their way to such a group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from meute.accounts.models import Person
from meute.barometer.models import QUESTIONS, BarometerAnswer, BarometerReceipt, question_label
from meute.barometer.services import period_of
from meute.networks.models import Network
from meute.reference.models import NafCode

MIN_ANSWERS = 5


def suppress_small_cells[K: Hashable](
    counts: Mapping[K, int], *, minimum: int = MIN_ANSWERS, complementary: bool = True
) -> dict[K, int | None]:
    """Hide (None) every cell of fewer than `minimum` answers, and enough others that none can be deduced.

    `counts` is one breakdown: groups (networks, sectors, quarters) and their
    numbers of answers. Each group under `minimum` is hidden. With
    `complementary` (a breakdown whose total is shown), if the hidden groups
    together hold between 1 and `minimum - 1` answers, the total minus the
    shown groups would reveal them: the smallest shown group is hidden too,
    and again until the hidden groups hold 0 or at least `minimum` answers
    (or nothing is shown). Ties are broken by key, so the result is stable.

    >>> suppress_small_cells({"A": 4, "B": 5})
    {'A': None, 'B': None}
    >>> suppress_small_cells({"A": 4, "B": 5}, complementary=False)
    {'A': None, 'B': 5}
    >>> suppress_small_cells({"A": 2, "B": 3, "C": 9})
    {'A': None, 'B': None, 'C': 9}

    Notes: O(n log n) for n groups.
    """
    hidden = {key for key, n in counts.items() if n < minimum}
    if complementary:
        shown = sorted((k for k in counts if k not in hidden), key=lambda k: (counts[k], str(k)))
        while shown and 0 < sum(counts[k] for k in hidden) < minimum:
            hidden.add(shown.pop(0))
    return {key: (None if key in hidden else n) for key, n in counts.items()}


@dataclass(frozen=True)
class Cell:
    value: str
    label: str
    percent: int


@dataclass(frozen=True)
class QuestionFigures:
    name: str
    label: str
    cells: list[Cell]
    # Balance of opinion: share of the brightest answer minus share of the gloomiest, in points.
    balance: int


@dataclass(frozen=True)
class GroupFigures:
    key: str
    label: str
    answers: int | None  # None: fewer than MIN_ANSWERS (or hidden to protect another group)
    questions: list[QuestionFigures] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return self.answers is None

    def balance(self, name: str) -> int | None:
        for q in self.questions:
            if q.name == name:
                return q.balance
        return None

    @property
    def balances(self) -> list[int]:
        return [q.balance for q in self.questions]


def question_labels() -> list[str]:
    return [question_label(name) for name, _c in QUESTIONS]


def _count(rows: Iterable[Mapping[str, Any]]) -> tuple[int, dict[str, Counter[str]]]:
    n = 0
    tallies: dict[str, Counter[str]] = {name: Counter() for name, _c in QUESTIONS}
    for row in rows:
        n += 1
        for name, _c in QUESTIONS:
            tallies[name][row[name]] += 1
    return n, tallies


def _figures(key: str, label: str, rows: Sequence[Mapping[str, Any]], shown: int | None) -> GroupFigures:
    if shown is None:
        return GroupFigures(key=key, label=label, answers=None)
    n, tallies = _count(rows)
    questions = []
    for (name, choices), qlabel in zip(QUESTIONS, question_labels(), strict=True):
        cells = [
            Cell(value=v, label=str(lab), percent=round(100 * tallies[name][v] / n))
            for v, lab in choices.choices
        ]
        low, high = choices.values[0], choices.values[-1]
        balance = round(100 * (tallies[name][high] - tallies[name][low]) / n)
        questions.append(QuestionFigures(name=name, label=qlabel, cells=cells, balance=balance))
    return GroupFigures(key=key, label=label, answers=n, questions=questions)


def current_period(today: dt.date | None = None) -> str:
    """The quarter that takes answers now (the only one that does)."""
    return period_of(today or timezone.localdate())


def is_closed(period: str, *, today: dt.date | None = None) -> bool:
    """Whether the quarter is over: it takes no more answers, so its figures may be published.

    >>> is_closed("2026-T3", today=dt.date(2026, 10, 1)), is_closed("2026-T4", today=dt.date(2026, 10, 1))
    (True, False)
    """
    # "2026-T4" < "2027-T1": the period's text sorts like time (four-digit years).
    return period < current_period(today)


def quarter_end(period: str) -> dt.date:
    """The last day of a quarter: "2026-T4" → 2026-12-31.

    >>> quarter_end("2026-T4"), quarter_end("2027-T1")
    (datetime.date(2026, 12, 31), datetime.date(2027, 3, 31))
    """
    year, quarter = int(period[:4]), int(period[-1])
    first_of_next = dt.date(year + (quarter == 4), 3 * quarter % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _rows(*, today: dt.date | None = None, **filters: Any) -> list[dict[str, Any]]:
    # The one gate of every published figure: closed quarters only (see the module docstring).
    names = [name for name, _c in QUESTIONS]
    return list(
        BarometerAnswer.objects.filter(period__lt=current_period(today), **filters).values(
            "network_id", "period", "sector", *names
        )
    )


def _grouped(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(str(row[key]), []).append(row)
    return groups


def network_barometer(*, network: Network, today: dt.date | None = None) -> list[GroupFigures]:
    """The network's barometer, one group per closed quarter, newest first.

    Each quarter stands alone (no total over quarters is shown), so a closed
    quarter is hidden only when it has fewer than MIN_ANSWERS answers. The
    current quarter is left out altogether (see the module docstring).
    """
    by_period = _grouped(_rows(today=today, network=network), "period")
    shown = suppress_small_cells({p: len(r) for p, r in by_period.items()}, complementary=False)
    return [_figures(p, p, by_period[p], shown[p]) for p in sorted(by_period, reverse=True)]


def periods(today: dt.date | None = None) -> list[str]:
    """The closed quarters that have answers, newest first."""
    closed = BarometerAnswer.objects.filter(period__lt=current_period(today))
    return sorted(set(closed.values_list("period", flat=True)), reverse=True)


@dataclass
class Territory:
    period: str
    total: GroupFigures
    networks: list[GroupFigures]
    small_networks: int  # networks left out of every territory figure (fewer than MIN_ANSWERS)
    sectors: list[GroupFigures]


def _counted(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], int]:
    """Keep only the answers of networks with at least MIN_ANSWERS answers.

    Each network's own page shows its figure when it has MIN_ANSWERS answers.
    Were the territory total to include the smaller networks, the total minus
    those pages would reveal them: so the territory counts only networks whose
    figure is shown, and the network breakdown needs no further suppression.
    """
    by_network = _grouped(rows, "network_id")
    shown = suppress_small_cells({k: len(v) for k, v in by_network.items()}, complementary=False)
    kept = {k: v for k, v in by_network.items() if shown[k] is not None}
    return [r for v in kept.values() for r in v], kept, len(by_network) - len(kept)


def territory_over_time(today: dt.date | None = None) -> list[GroupFigures]:
    """The territory's barometer per closed quarter, newest first (networks under MIN_ANSWERS left out)."""
    result = []
    for period, rows in sorted(_grouped(_rows(today=today), "period").items(), reverse=True):
        counted, _kept, _small = _counted(rows)
        shown = suppress_small_cells({period: len(counted)}, complementary=False)
        result.append(_figures(period, period, counted, shown[period]))
    return result


def territory_barometer(*, period: str, today: dt.date | None = None) -> Territory:
    """The chamber's view of one quarter: total, by network and by NAF section.

    A quarter still open counts no answer, so everything in it is hidden.
    """
    counted, kept, small = _counted(_rows(today=today, period=period))
    total = _figures(period, _("Territoire"), counted, suppress_small_cells({"": len(counted)})[""])
    names = dict(Network.objects.filter(pk__in=[int(k) for k in kept]).values_list("pk", "name"))
    networks = sorted(
        (_figures(k, names[int(k)], rows, len(rows)) for k, rows in kept.items()), key=lambda g: g.label
    )
    by_sector = _grouped(counted, "sector")
    shown = suppress_small_cells({k: len(v) for k, v in by_sector.items()})
    labels = dict(NafCode.objects.values_list("section", "section_label").distinct())
    sectors = [
        _figures(k, f"{k} — {labels.get(k, '')}" if k else _("Secteur non renseigné"), by_sector[k], shown[k])
        for k in sorted(by_sector, key=lambda s: (s == "", s))
    ]
    return Territory(period=period, total=total, networks=networks, small_networks=small, sectors=sectors)


def has_answered(*, person: Person, network: Network, period: str) -> bool:
    return BarometerReceipt.objects.filter(person=person, network=network, period=period).exists()
