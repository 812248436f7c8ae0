"""Small-cell suppression of the observatory's published figures (plain data, no Django).

No published cell counts fewer than ``threshold`` people (5 by default): such a cell is
hidden (*primary* suppression). Hiding it is not enough when a published total is the sum of
it and of published cells: subtraction gives it back. So each published equation between
cells — a total and its parts, a set and its intersections, a stock and its flows — must hide
either none of its cells or at least two (*secondary* suppression): the cells added are the
smallest ones of the equation, which costs least information (the total itself is one of the
candidates, as "or the total suppressed").

The general method, ``suppress``, works on any cells and any equations (``relations``); the
figure-level helpers build the equations of each table: ``suppress_table`` (rows × columns with
their totals), ``suppress_distribution`` (1-D with a total) and ``suppress_figures`` (every
figure of the observatory at once, with the equations that tie them together: the same people
counted by sector, by territory, by number of networks…). The page docs/algorithms/observatory.md
describes the method, its limits and its cost.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from itertools import combinations

from meute.observatory.figures import (
    Breakdown,
    Category,
    Count,
    Distribution,
    Figures,
    GrowthRow,
    Headline,
    Intersection,
    Overlaps,
    PairTable,
)

__all__ = [
    "THRESHOLD",
    "figure_cells",
    "is_safe",
    "suppress",
    "suppress_distribution",
    "suppress_figures",
    "suppress_table",
    "unsafe_relations",
]

THRESHOLD = 5


def _is_small(value: int, threshold: int, hide_zeros: bool) -> bool:
    return value < threshold and (value > 0 or hide_zeros)


def suppress[K: Hashable](
    cells: Mapping[K, int],
    relations: Iterable[Iterable[K]],
    *,
    threshold: int = THRESHOLD,
    hidden: Iterable[K] = (),
    keep: Iterable[K] = (),
    hide_zeros: bool = False,
) -> frozenset[K]:
    """The cells to hide so that none under ``threshold`` is published nor can be subtracted back.

    ``cells`` maps each cell to its count of people. Each relation lists the cells of one
    published equation (a total and its parts); the caller vouches that it holds, and cells
    that take part in no equation need none. ``hidden`` cells are not published anyway (they
    count as hidden in the equations; a row beyond a chart's top), ``keep`` cells are hidden as
    complements only when nothing else can be (the headline). A zero reveals no one and is
    published unless ``hide_zeros``; it is a complement only after every positive cell.

    Returns the hidden cells (``hidden`` included), such that ``is_safe`` holds.

    >>> cells = {"a": 12, "b": 3, "c": 7, "d": 20, "total": 42}
    >>> sorted(suppress(cells, [["a", "b", "c", "d", "total"]]))
    ['b', 'c']

    Notes: primary cells are those with 0 < count < threshold. Then, while an equation has
    exactly one hidden cell, hide one of its published cells: positive before zero, ``keep``
    last, then the one that leaves fewest equations with a single hidden cell (closing a
    rectangle rather than opening a new line), then the smallest, then the first given.
    Each step hides one cell, so there are at most C steps for C cells; a step weighs the
    L cells of its equation against the d equations of each: O(R·L + C·L·d + C log C) for R
    equations — in practice linear in the cells (d is small, most cells are never chosen).
    """
    if threshold < 1:
        raise ValueError("threshold must be at least 1")
    order = {cell: i for i, cell in enumerate(cells)}
    kept = set(keep)
    hide: set[K] = set(hidden)
    unknown = hide - order.keys()
    if unknown:
        raise ValueError(f"hidden cells without a count: {sorted(map(repr, unknown))[:5]}")
    hide |= {cell for cell, value in cells.items() if _is_small(value, threshold, hide_zeros)}
    rels: list[list[K]] = []
    for relation in relations:
        members = list(dict.fromkeys(relation))
        missing = [c for c in members if c not in order]
        if missing:
            raise ValueError(f"a relation names cells without a count: {missing[:5]!r}")
        if len(members) >= 2:
            rels.append(members)
    of_cell: dict[K, list[int]] = defaultdict(list)
    for r, members in enumerate(rels):
        for c in members:
            of_cell[c].append(r)
    count = [sum(c in hide for c in members) for members in rels]
    todo = [r for r, n in enumerate(count) if n == 1]
    heapq.heapify(todo)

    def cost(cell: K) -> tuple[bool, bool, int, int, int]:
        # Net new violations: equations this cell would leave with one hidden cell, minus those
        # it would mend (a cell that closes a rectangle of four protects two lines at once).
        value = cells[cell]
        net = sum(1 if count[o] == 0 else -1 if count[o] == 1 else 0 for o in of_cell[cell])
        return (cell in kept, value == 0, net, value, order[cell])

    while todo:
        r = heapq.heappop(todo)
        if count[r] != 1:
            continue
        choice = min((c for c in rels[r] if c not in hide), key=cost)
        hide.add(choice)
        for other in of_cell[choice]:
            count[other] += 1
            if count[other] == 1:
                heapq.heappush(todo, other)
    return frozenset(hide)


def unsafe_relations[K: Hashable](
    cells: Mapping[K, int],
    relations: Iterable[Iterable[K]],
    hidden: Iterable[K],
    *,
    threshold: int = THRESHOLD,
    hide_zeros: bool = False,
) -> list[str]:
    """What makes a publication unsafe: small cells published, equations with one hidden cell.

    The checker of ``suppress``: an empty list means that no published cell is under
    ``threshold`` and that no hidden cell equals a published total minus published cells.
    """
    hide = set(hidden)
    problems = [
        f"cell {cell!r} published with {value} < {threshold}"
        for cell, value in cells.items()
        if cell not in hide and _is_small(value, threshold, hide_zeros)
    ]
    for relation in relations:
        members = list(dict.fromkeys(relation))
        if len(members) < 2:
            continue
        alone = [c for c in members if c in hide]
        if len(alone) == 1:
            problems.append(f"cell {alone[0]!r} is the only hidden cell of relation {members!r}")
    return problems


def is_safe[K: Hashable](
    cells: Mapping[K, int],
    relations: Iterable[Iterable[K]],
    hidden: Iterable[K],
    *,
    threshold: int = THRESHOLD,
    hide_zeros: bool = False,
) -> bool:
    """True when ``unsafe_relations`` finds nothing."""
    return not unsafe_relations(cells, relations, hidden, threshold=threshold, hide_zeros=hide_zeros)


# --- tables --------------------------------------------------------------------------------------


def suppress_distribution(
    counts: Sequence[int], total: int | None = None, *, threshold: int = THRESHOLD, hide_zeros: bool = False
) -> tuple[list[int | None], int | None]:
    """A 1-D distribution and its published total, suppressed: (counts with None, total or None).

    ``total`` defaults to the sum of the counts; when given, it must be that sum.

    >>> suppress_distribution([40, 3, 12, 0])
    ([40, None, None, 0], 55)
    >>> suppress_distribution([3, 1])
    ([None, None], None)
    """
    if total is None:
        total = sum(counts)
    if total != sum(counts):
        raise ValueError(f"the total {total} is not the sum of the counts {sum(counts)}")
    cells: dict[tuple[str, int], int] = {("cell", i): v for i, v in enumerate(counts)}
    cells[("total", 0)] = total
    hide = suppress(cells, [list(cells)], threshold=threshold, hide_zeros=hide_zeros)
    return (
        [None if ("cell", i) in hide else v for i, v in enumerate(counts)],
        None if ("total", 0) in hide else total,
    )


def suppress_table(
    counts: Sequence[Sequence[int]],
    *,
    threshold: int = THRESHOLD,
    totals: bool = True,
    hide_zeros: bool = False,
) -> tuple[list[list[int | None]], list[int | None], list[int | None], int | None]:
    """A rows × columns table of people with its row, column and grand totals, suppressed.

    Returns (cells, row totals, column totals, grand total), hidden cells as None. Every row and
    every column that hides a cell hides at least two, or its total; so do the row totals and
    the column totals against the grand total. ``totals=False``: a table published without
    totals (only the primary suppression applies).

    >>> cells, rows, cols, grand = suppress_table([[20, 3, 9], [15, 8, 30]])
    >>> cells, rows, cols, grand
    ([[20, None, None], [15, None, None]], [32, 53], [35, 11, 39], 85)

    Notes: O(R·C log(R·C)) for R rows and C columns (see ``suppress``).
    """
    n_rows = len(counts)
    n_cols = len(counts[0]) if counts else 0
    if any(len(row) != n_cols for row in counts):
        raise ValueError("every row must have as many cells as the first")
    cells: dict[tuple[str, int, int], int] = {}
    for i, row in enumerate(counts):
        for j, v in enumerate(row):
            cells[("cell", i, j)] = v
    relations: list[list[tuple[str, int, int]]] = []
    if totals:
        for i, row in enumerate(counts):
            cells[("row", i, 0)] = sum(row)
            relations.append([("cell", i, j) for j in range(n_cols)] + [("row", i, 0)])
        for j in range(n_cols):
            cells[("col", 0, j)] = sum(row[j] for row in counts)
            relations.append([("cell", i, j) for i in range(n_rows)] + [("col", 0, j)])
        cells[("all", 0, 0)] = sum(map(sum, counts))
        relations.append([("row", i, 0) for i in range(n_rows)] + [("all", 0, 0)])
        relations.append([("col", 0, j) for j in range(n_cols)] + [("all", 0, 0)])
    hide = suppress(cells, relations, threshold=threshold, hide_zeros=hide_zeros)

    def shown(key: tuple[str, int, int]) -> int | None:
        return None if key in hide or key not in cells else cells[key]

    return (
        [[shown(("cell", i, j)) for j in range(n_cols)] for i in range(n_rows)],
        [shown(("row", i, 0)) for i in range(n_rows)] if totals else [],
        [shown(("col", 0, j)) for j in range(n_cols)] if totals else [],
        shown(("all", 0, 0)) if totals else None,
    )


# --- every figure at once ------------------------------------------------------------------------


def figure_cells(figures: Figures) -> tuple[dict[Hashable, int], list[list[Hashable]], set[Hashable]]:
    """The cells of every published figure, the equations between them, the cells not shown.

    What ``suppress_figures`` works on (and what its tests check with ``unsafe_relations``).

    Cells that are one number published twice share one key: the headline is the distribution's
    total, the overlaps' people, each breakdown's total and the growth stock at the date asked;
    a network's size is the diagonal of the network × network table; the unknown sector is the
    unknown division. Equations that are structurally true but might not hold on odd data
    (communes within an EPCI) are kept only when they hold: an equation that does not hold
    cannot be used to subtract.
    """
    cells: dict[Hashable, int] = {}
    relations: list[list[Hashable]] = []
    not_shown: set[Hashable] = set()

    def put(key: Hashable, value: Count) -> Hashable:
        if value is None:
            raise ValueError(f"figures already suppressed: {key!r} has no count")
        if key in cells and cells[key] != value:
            raise ValueError(f"{key!r} is both {cells[key]} and {value}")
        cells[key] = value
        return key

    people = ("stock", figures.at)
    h = figures.headline
    put(people, h.people)
    put(("businesses",), h.businesses)
    memberships = put(("memberships", figures.at), h.memberships)

    # Networks per person: the buckets add up to the people.
    buckets = [put(("bucket", label), n) for label, n in figures.distribution.buckets]
    put(people, figures.distribution.total)
    relations.append([*buckets, people])

    # Overlaps: the intersections partition the people; each set, pair, bucket and kind is a sum of them.
    o = figures.overlaps
    put(people, o.people)
    inter = [put(("intersection", i.networks), i.size) for i in o.intersections]
    not_shown.update(inter[o.top :])
    rest = put(("rest",), o.rest_people)
    relations.append([*inter[o.top :], rest])
    relations.append([*inter, people])
    sets = {n: put(("pair", n, n), size) for n, size in o.sets}
    relations.append([*sets.values(), memberships])
    pairs = figures.pairs
    for a, row in zip(pairs.networks, pairs.counts, strict=True):
        for b, value in zip(pairs.networks, row, strict=True):
            put(("pair", a, b) if a <= b else ("pair", b, a), value)
    of_set: dict[Hashable, list[Hashable]] = defaultdict(list)
    by_degree: dict[str, list[Hashable]] = defaultdict(list)
    of_kind: dict[str, list[Hashable]] = defaultdict(list)
    top = len(figures.distribution.buckets)
    for i, key in zip(o.intersections, inter, strict=True):
        nets = i.networks
        for a in nets:
            of_set[("pair", a, a)].append(key)
        for a, b in combinations(nets, 2):
            of_set[("pair", a, b)].append(key)
        by_degree[figures.distribution.buckets[min(len(nets), top) - 1][0]].append(key)
        for kind in {figures.network_kinds.get(n, "") for n in nets}:
            of_kind[kind].append(key)
    for total, parts in of_set.items():
        if total in cells:
            relations.append([*parts, total])
    for label, parts in by_degree.items():
        relations.append([*parts, ("bucket", label)])

    # Breakdowns: each adds up to the people (kinds excepted: a person counts in each kind).
    def breakdown(name: str, b: Breakdown) -> dict[str, Hashable]:
        put(people, b.total)
        keys = {c.code: put((name if c.code else "unknown-" + name, c.code), c.people) for c in b.rows}
        return keys

    sections = breakdown("section", figures.sections)
    relations.append([*sections.values(), people])
    divisions = breakdown("division", figures.divisions)
    relations.append([*divisions.values(), people])
    if "" in sections and "" in divisions:  # a code that gives no division gives no section
        relations.append([sections[""], divisions[""]])
    _nested(relations, cells, sections, figures.divisions.rows, divisions)
    communes = breakdown("commune", figures.communes)
    relations.append([*communes.values(), people])
    epcis = breakdown("epci", figures.epcis)
    relations.append([*epcis.values(), people])
    _nested(relations, cells, epcis, figures.communes.rows, communes)
    kinds = breakdown("kind", figures.kinds)
    for kind, parts in of_kind.items():
        if kind in kinds:
            relations.append([*parts, kinds[kind]])

    # Growth: stocks at each checkpoint (shared by quarters and years), and stock = before + in − out.
    for name, rows in (("quarter", figures.growth_quarters), ("year", figures.growth_years)):
        before: Hashable | None = None
        for k, r in enumerate(rows):
            stock = put(("stock", r.checkpoint), r.people)
            put(("memberships", r.checkpoint), r.memberships)
            arrivals = put((name, k, "arrivals"), r.arrivals)
            departures = put((name, k, "departures"), r.departures)
            if before is not None:
                relations.append([before, stock, arrivals, departures])
            before = stock
    return cells, relations, not_shown


def _nested(
    relations: list[list[Hashable]],
    cells: Mapping[Hashable, int],
    parents: Mapping[str, Hashable],
    children: Sequence[Category],
    child_keys: Mapping[str, Hashable],
) -> None:
    """Each parent equals the sum of its children, where it does (see ``figure_cells``)."""
    parts: dict[str, list[Hashable]] = defaultdict(list)
    for c in children:
        if c.code and c.parent:
            parts[c.parent].append(child_keys[c.code])
    for parent, keys in parts.items():
        if parent in parents and cells[parents[parent]] == sum(cells[k] for k in keys):
            relations.append([*keys, parents[parent]])


def suppress_figures(figures: Figures, *, threshold: int = THRESHOLD, hide_zeros: bool = False) -> Figures:
    """The figures as they may be published: every count under ``threshold`` hidden, with complements.

    All figures are suppressed together, because they count the same people: a sector hidden
    in the sections table must not come back from the divisions, nor a network × network cell
    from the intersections. Hidden counts become ``None`` (shown "s"); intersections beyond the
    top are ``None`` too (never published one by one). The number of networks is not a count
    of people and is kept. The headline is hidden only when it is itself under the threshold.
    """
    if figures.suppressed:
        return figures
    cells, relations, not_shown = figure_cells(figures)
    people = ("stock", figures.at)
    hide = suppress(
        cells,
        relations,
        threshold=threshold,
        hidden=not_shown,
        keep=[people, ("memberships", figures.at)],
        hide_zeros=hide_zeros,
    )

    def v(key: Hashable) -> Count:
        return None if key in hide else cells[key]

    def breakdown(name: str, b: Breakdown) -> Breakdown:
        rows = tuple(replace(c, people=v((name if c.code else "unknown-" + name, c.code))) for c in b.rows)
        return replace(b, rows=rows, total=v(people))

    def growth(name: str, rows: Sequence[GrowthRow]) -> tuple[GrowthRow, ...]:
        out = []
        for k, r in enumerate(rows):
            stock = v(("stock", r.checkpoint))
            # A rate and the stock it ends at give the stock it starts from: the rate is published
            # only when both stocks are (the first row's starting stock is not published at all).
            before = v(("stock", rows[k - 1].checkpoint)) if k else None
            out.append(
                replace(
                    r,
                    people=stock,
                    memberships=v(("memberships", r.checkpoint)),
                    arrivals=v((name, k, "arrivals")),
                    departures=v((name, k, "departures")),
                    growth_rate=r.growth_rate if stock is not None and before is not None else None,
                )
            )
        return tuple(out)

    o = figures.overlaps
    pairs = figures.pairs
    return replace(
        figures,
        headline=Headline(
            at=figures.headline.at,
            people=v(people),
            businesses=v(("businesses",)),
            networks=figures.headline.networks,
            memberships=v(("memberships", figures.at)),
        ),
        distribution=Distribution(
            at=figures.distribution.at,
            buckets=tuple((label, v(("bucket", label))) for label, _ in figures.distribution.buckets),
            total=v(people),
        ),
        overlaps=Overlaps(
            at=o.at,
            sets=tuple((n, v(("pair", n, n))) for n, _ in o.sets),
            intersections=tuple(
                Intersection(i.networks, v(("intersection", i.networks))) for i in o.intersections
            ),
            people=v(people),
            top=o.top,
            rest_people=v(("rest",)),
        ),
        pairs=PairTable(
            at=pairs.at,
            networks=pairs.networks,
            counts=tuple(
                tuple(v(("pair", a, b) if a <= b else ("pair", b, a)) for b in pairs.networks)
                for a in pairs.networks
            ),
        ),
        growth_quarters=growth("quarter", figures.growth_quarters),
        growth_years=growth("year", figures.growth_years),
        sections=breakdown("section", figures.sections),
        divisions=breakdown("division", figures.divisions),
        communes=breakdown("commune", figures.communes),
        epcis=breakdown("epci", figures.epcis),
        kinds=breakdown("kind", figures.kinds),
        suppressed=True,
    )
