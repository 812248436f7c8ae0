"""Small-cell suppression: hand-worked cases and properties (no cell under 5, nothing subtracted back)."""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meute.observatory.figures import Membership, Network, Person, compute_figures
from meute.observatory.suppression import (
    figure_cells,
    is_safe,
    suppress,
    suppress_distribution,
    suppress_figures,
    suppress_table,
    unsafe_relations,
)
from meute.observatory.tables import figure_tables

D = date(2025, 12, 31)

small_counts = st.integers(min_value=0, max_value=30)


# --- by hand -------------------------------------------------------------------------------------


def test_a_small_cell_is_hidden_with_the_next_smallest_so_the_total_does_not_give_it_back() -> None:
    assert suppress_distribution([40, 3, 12, 0]) == ([40, None, None, 0], 55)


def test_a_line_whose_only_other_cells_are_zero_hides_its_total() -> None:
    # 55 − 40 − 0 would give the 3 back; the zero protects no one, so the total goes (it is 3).
    assert suppress_distribution([3, 0]) == ([None, 0], None)
    assert suppress_distribution([3, 0, 7]) == ([None, 0, None], 10)


def test_zeros_are_published_unless_asked_otherwise() -> None:
    assert suppress_distribution([10, 0, 9]) == ([10, 0, 9], 19)
    assert suppress_distribution([10, 0, 9], hide_zeros=True) == ([10, None, None], 19)


def test_the_threshold_is_a_parameter() -> None:
    assert suppress_distribution([10, 6, 20], threshold=11) == ([None, None, 20], 36)
    assert suppress_distribution([10, 6, 20], threshold=1) == ([10, 6, 20], 36)
    with pytest.raises(ValueError):
        suppress_distribution([1], threshold=0)


def test_a_wrong_total_is_refused() -> None:
    with pytest.raises(ValueError, match="not the sum"):
        suppress_distribution([1, 2], total=4)


def test_a_table_hides_a_rectangle_of_four_rather_than_everything() -> None:
    cells, rows, cols, grand = suppress_table([[20, 3, 9], [15, 8, 30]])
    assert cells == [[20, None, None], [15, None, None]]
    assert (rows, cols, grand) == ([32, 53], [35, 11, 39], 85)


def test_a_table_without_totals_only_hides_its_small_cells() -> None:
    cells, rows, cols, grand = suppress_table([[20, 3], [15, 8]], totals=False)
    assert cells == [[20, None], [15, 8]]
    assert (rows, cols, grand) == ([], [], None)


def test_a_small_total_is_hidden_like_any_cell() -> None:
    cells, rows, _, _ = suppress_table([[2, 1], [10, 20]])
    assert rows[0] is None
    assert cells[0] == [None, None]


def test_kept_cells_are_complements_only_when_nothing_else_can_be() -> None:
    cells = {"a": 3, "b": 40, "total": 43}
    assert suppress(cells, [["a", "b", "total"]]) == {"a", "b"}
    assert suppress(cells, [["a", "b", "total"]], keep=["b"]) == {"a", "total"}
    assert suppress(cells, [["a", "b", "total"]], keep=["b", "total"]) == {"a", "b"}


def test_cells_not_shown_protect_and_are_protected() -> None:
    # "c" is not published (beyond a chart's top): with "a" hidden the total gives only a + c.
    cells = {"a": 3, "b": 40, "c": 9, "total": 52}
    assert suppress(cells, [["a", "b", "c", "total"]], hidden=["c"]) == {"a", "c"}
    # Alone, a cell not shown would come back from the total: its smallest neighbour goes too.
    assert suppress(cells, [["b", "c", "total"]], hidden=["c"]) == {"a", "b", "c"}  # a: 3, primary


def test_relations_must_name_known_cells() -> None:
    with pytest.raises(ValueError, match="without a count"):
        suppress({"a": 1}, [["a", "b"]])
    with pytest.raises(ValueError, match="without a count"):
        suppress({"a": 1}, [], hidden=["z"])


def test_the_checker_finds_a_cell_that_a_total_gives_back() -> None:
    cells = {"a": 3, "b": 40, "total": 43}
    assert unsafe_relations(cells, [["a", "b", "total"]], {"a"}) == [
        "cell 'a' is the only hidden cell of relation ['a', 'b', 'total']"
    ]
    assert unsafe_relations(cells, [], set()) == ["cell 'a' published with 3 < 5"]
    assert is_safe(cells, [["a", "b", "total"]], {"a", "b"})


# --- properties ----------------------------------------------------------------------------------


@given(st.lists(small_counts, min_size=1, max_size=12), st.integers(min_value=1, max_value=8))
def test_a_distribution_publishes_no_small_cell_and_no_lone_hidden_cell(
    counts: list[int], threshold: int
) -> None:
    shown, total = suppress_distribution(counts, threshold=threshold)
    published = [v for v in [*shown, total] if v is not None]
    assert all(v == 0 or v >= threshold for v in published)
    hidden = sum(v is None for v in [*shown, total])
    assert hidden != 1  # one hidden cell would be the total minus the published ones
    assert [v for v in shown if v is not None] == [
        c for c, s in zip(counts, shown, strict=True) if s is not None
    ]


def _lines(
    cells: Sequence[Sequence[int | None]], rows: list[int | None], cols: list[int | None], grand: int | None
):
    n_cols = len(cells[0])
    for i, row in enumerate(cells):
        yield [*row, rows[i]]
    for j in range(n_cols):
        yield [*(row[j] for row in cells), cols[j]]
    yield [*rows, grand]
    yield [*cols, grand]


@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda n_cols: st.lists(
            st.lists(small_counts, min_size=n_cols, max_size=n_cols), min_size=1, max_size=6
        )
    )
)
def test_a_table_publishes_no_small_cell_and_no_row_or_column_gives_a_hidden_cell_back(
    counts: list[list[int]],
) -> None:
    cells, rows, cols, grand = suppress_table(counts)
    for line in _lines(cells, rows, cols, grand):
        assert all(v is None or v == 0 or v >= 5 for v in line)
        # Subtraction from one published total: the total minus the published parts gives the
        # hidden part only when it is the only one hidden in its line.
        assert sum(v is None for v in line) != 1, line
    # What is published is what was counted.
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            assert v is None or v == counts[i][j]


@st.composite
def systems(draw: st.DrawFn) -> tuple[dict[Hashable, int], list[list[Hashable]]]:
    """Random cells, and totals that are sums of random subsets of them (and of other totals)."""
    n = draw(st.integers(min_value=1, max_value=15))
    cells: dict[Hashable, int] = {i: draw(small_counts) for i in range(n)}
    relations: list[list[Hashable]] = []
    for t in range(draw(st.integers(min_value=0, max_value=8))):
        parts = draw(st.lists(st.sampled_from(list(cells)), min_size=1, max_size=6, unique=True))
        key = ("total", t)
        cells[key] = sum(cells[p] for p in parts)
        relations.append([*parts, key])
    return cells, relations


@given(systems(), st.integers(min_value=1, max_value=8))
def test_any_system_of_totals_is_made_safe(
    system: tuple[dict[Hashable, int], list[list[Hashable]]], threshold: int
) -> None:
    cells, relations = system
    hidden = suppress(cells, relations, threshold=threshold)
    assert unsafe_relations(cells, relations, hidden, threshold=threshold) == []
    # Independently of the checker: no published small cell, no equation with one unknown.
    assert all(c in hidden for c, v in cells.items() if 0 < v < threshold)
    for relation in relations:
        assert sum(c in hidden for c in set(relation)) != 1
    assert suppress(cells, relations, threshold=threshold) == hidden  # deterministic


def _memberships(draw: st.DrawFn) -> list[Membership]:
    """People in a few combinations of networks, some large, some small (as in real lists)."""
    combos = draw(
        st.lists(
            st.tuples(
                st.lists(st.sampled_from("abcdef"), min_size=1, max_size=4, unique=True), st.integers(0, 25)
            ),
            max_size=8,
        )
    )
    out = []
    people = [nets for nets, n in combos for _ in range(n)]
    for p, nets in enumerate(people):
        for n in nets:
            start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
            days = draw(st.one_of(st.none(), st.integers(1, 400)))
            out.append(Membership(f"p{p}", n, start, None if days is None else start + timedelta(days=days)))
    return out


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Membership], dict[str, Person], dict[str, Network], int]:
    ms = _memberships(draw)
    persons = {
        m.person: Person(
            m.person,
            draw(st.sampled_from([None, "111", "222", "333"])),
            draw(st.sampled_from([None, "62.01Z", "62.02A", "63.11Z", "47.11F", "10.71C", "oops"])),
            draw(st.sampled_from([None, "37261", "37018", "37050"])),
            None,
        )
        for m in ms
    }
    persons = {
        pid: replace(p, epci={"37261": "E1", "37018": "E1", "37050": "E2"}.get(p.commune or ""))
        for pid, p in persons.items()
    }
    networks = {
        n: Network(n, f"Réseau {n}", draw(st.sampled_from(["club", "association", "cluster"])))
        for n in "abcdef"
    }
    return ms, persons, networks, draw(st.integers(min_value=0, max_value=10))


def _people_counts(f) -> list[int | None]:  # type: ignore[no-untyped-def]
    """Every published count of people in the figures."""
    out: list[int | None] = [
        f.headline.people,
        f.headline.businesses,
        f.headline.memberships,
        f.distribution.total,
    ]
    out += [n for _, n in f.distribution.buckets]
    out += [i.size for i in f.overlaps.shown] + [n for _, n in f.overlaps.sets] + [f.overlaps.rest_people]
    out += [v for row in f.pairs.counts for v in row]
    for rows in (f.growth_quarters, f.growth_years):
        out += [x for r in rows for x in (r.people, r.memberships, r.arrivals, r.departures)]
    for b in (f.sections, f.divisions, f.communes, f.epcis, f.kinds):
        out += [c.people for c in b.rows] + [b.total]
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_published_figures_show_no_count_under_five_and_give_none_back(
    world: tuple[list[Membership], dict[str, Person], dict[str, Network], int],
) -> None:
    ms, persons, networks, top = world
    figures = compute_figures(ms, persons, networks, D, since=date(2024, 1, 1), top=top)
    published = suppress_figures(figures)
    assert published.suppressed
    assert all(v is None or v == 0 or v >= 5 for v in _people_counts(published))
    cells, relations, not_shown = figure_cells(figures)
    hidden = {k for k in cells if k in not_shown}
    # Read back what was published, cell by cell, from the published figures themselves.
    shown_cells, _, _ = _published_cells(published, cells)
    hidden |= {k for k in cells if k not in shown_cells}
    assert unsafe_relations(cells, relations, hidden) == []
    # Every relation really holds on the unsuppressed figures (or subtraction would not apply).
    for relation in relations:
        _assert_holds(relation, cells)
    # Independently of figure_cells: the lines a reader can add up on the published figures.
    for line in _published_lines(published):
        assert sum(v is None for v in line) != 1, line
    # The intersections beyond the top are never published one by one.
    assert all(i.size is None for i in published.overlaps.intersections[published.overlaps.top :])
    # Tables say what "s" means.
    assert all(t.note for t in figure_tables(published).values())


def _published_lines(f):  # type: ignore[no-untyped-def]
    """Published totals with their parts, read straight from the published figures (None: hidden)."""
    yield [n for _, n in f.distribution.buckets] + [f.distribution.total]
    yield [i.size for i in f.overlaps.intersections] + [f.overlaps.people]
    for b in (f.sections, f.divisions, f.communes, f.epcis):
        yield [c.people for c in b.rows] + [b.total]
    for s in f.sections.rows:
        children = [c.people for c in f.divisions.rows if c.parent == s.code and c.code]
        if s.code and children:
            yield [*children, s.people]
    for n, size in f.overlaps.sets:
        yield [i.size for i in f.overlaps.intersections if n in i.networks] + [size]
    for a, row in zip(f.pairs.networks, f.pairs.counts, strict=True):
        for b, both in zip(f.pairs.networks, row, strict=True):
            parts = [i.size for i in f.overlaps.intersections if a in i.networks and b in i.networks]
            if a < b and parts:
                yield [*parts, both]
    for rows in (f.growth_quarters, f.growth_years):
        for before, after in itertools.pairwise(rows):
            yield [before.people, after.people, after.arrivals, after.departures]


def _published_cells(published, cells):  # type: ignore[no-untyped-def]
    """The cells whose value the published figures still carry (same keys as ``figure_cells``)."""
    shown: dict[Hashable, int] = {}
    for key in cells:
        value = _lookup(published, key)
        if value is not None:
            assert value == cells[key], key
            shown[key] = value
    return shown, None, None


def _lookup(f, key):  # type: ignore[no-untyped-def]
    kind = key[0]
    if kind == "stock":
        rows = [r for r in (*f.growth_quarters, *f.growth_years) if r.checkpoint == key[1]]
        return f.headline.people if key[1] == f.at else rows[0].people
    if kind == "memberships":
        rows = [r for r in (*f.growth_quarters, *f.growth_years) if r.checkpoint == key[1]]
        return f.headline.memberships if key[1] == f.at else rows[0].memberships
    if kind == "businesses":
        return f.headline.businesses
    if kind == "bucket":
        return dict(f.distribution.buckets)[key[1]]
    if kind == "intersection":
        return {i.networks: i.size for i in f.overlaps.intersections}[key[1]]
    if kind == "rest":
        return f.overlaps.rest_people
    if kind == "pair":
        i, j = f.pairs.networks.index(key[1]), f.pairs.networks.index(key[2])
        assert f.pairs.counts[i][j] == f.pairs.counts[j][i]
        if i == j:
            assert dict(f.overlaps.sets)[key[1]] == f.pairs.counts[i][i]
        return f.pairs.counts[i][j]
    if kind in ("quarter", "year"):
        rows = f.growth_quarters if kind == "quarter" else f.growth_years
        return getattr(rows[key[1]], key[2])
    name = kind.removeprefix("unknown-")
    b = {
        "section": f.sections,
        "division": f.divisions,
        "commune": f.communes,
        "epci": f.epcis,
        "kind": f.kinds,
    }[name]
    return {c.code: c.people for c in b.rows}[key[1]]


def _assert_holds(relation: list[Hashable], cells: dict[Hashable, int]) -> None:
    """A total and its parts (one member is the sum of the others), or stock = before + in − out."""
    values = [cells[k] for k in relation]
    last = relation[-1]
    if isinstance(last, tuple) and last[0] in ("quarter", "year"):
        before, stock, arrivals, departures = values
        assert stock == before + arrivals - departures, relation
    else:
        assert any(2 * v == sum(values) for v in values), relation


def test_published_figures_hide_a_division_that_its_section_would_give_back() -> None:
    # J = 62 (10 people) + 63 (3 people): hiding 63 alone, J − 62 would give it back.
    persons = {
        f"p{i}": Person(f"p{i}", None, "62.01Z" if i < 10 else "63.11Z", None, None) for i in range(13)
    }
    persons |= {f"q{i}": Person(f"q{i}", None, "47.11F", None, None) for i in range(20)}
    ms = [Membership(pid, "a", None, None) for pid in persons]
    published = suppress_figures(compute_figures(ms, persons, {"a": Network("a", "A", "club")}, D))
    divisions = {c.code: c.people for c in published.divisions.rows}
    sections = {c.code: c.people for c in published.sections.rows}
    assert divisions["63"] is None
    assert divisions["62"] is None or sections["J"] is None
    assert published.headline.people == 33


def test_the_headline_stays_published_and_a_network_pair_of_three_is_hidden() -> None:
    ms = [Membership(f"p{i}", "a", None, None) for i in range(30)]
    ms += [Membership(f"p{i}", "b", None, None) for i in range(27, 50)]  # p27–p29 in both: 3 people
    f = suppress_figures(compute_figures(ms, {}, {}, D))
    assert f.headline.people == 50
    assert f.pairs.counts[0][1] is None and f.pairs.counts[1][0] is None
    assert dict(f.distribution.buckets)["2"] is None  # the same three people, counted by degree
    assert suppress_figures(f) is f  # suppressing twice changes nothing
    assert figure_tables(f)["pairs"].rows[0][2] is None
