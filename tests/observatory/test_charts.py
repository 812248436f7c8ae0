"""The observatory's charts: valid, accessible, French, deterministic SVG."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from meute.observatory.charts import (
    CHART_KEYS,
    Chart,
    bars_chart,
    chart_png,
    figure_charts,
    french_number,
    growth_chart,
    networks_per_person_chart,
    upset_chart,
)
from meute.observatory.figures import (
    Breakdown,
    Category,
    Distribution,
    Figures,
    Intersection,
    Membership,
    Network,
    Overlaps,
    Person,
    compute_figures,
)
from meute.observatory.suppression import suppress_figures

SVG = "{http://www.w3.org/2000/svg}"
D = date(2025, 12, 31)


@pytest.fixture(scope="module")
def figures() -> Figures:
    ms = [Membership(f"p{i}", "a", date(2024, 1, 1) if i % 3 else None, None) for i in range(40)]
    ms += [Membership(f"p{i}", "b", date(2025, 2, 1), None) for i in range(30, 52)]
    ms += [Membership(f"p{i}", "c", None, date(2025, 7, 1) if i % 2 else None) for i in range(45, 60)]
    persons = {
        f"p{i}": Person(f"p{i}", None, "62.01Z" if i < 30 else "47.11F", "37261", "243700754")
        for i in range(60)
    }
    networks = {
        "a": Network("a", "Club Entreprendre Touraine", "club"),
        "b": Network("b", "Réseau <Dirigeantes> & co", "association"),
        "c": Network("c", "Cluster Vitalis", "cluster"),
    }
    return compute_figures(ms, persons, networks, D, since=date(2024, 1, 1), commune_names={"37261": "Tours"})


@pytest.fixture(scope="module")
def charts(figures: Figures) -> dict[str, Chart]:
    return figure_charts(figures)


def _root(svg: str) -> ET.Element:
    return ET.fromstring(svg.encode("utf-8"))


def _texts(root: ET.Element) -> str:
    return " ".join(t for e in root.iter(f"{SVG}text") for t in e.itertext())


def test_every_chart_is_valid_svg_with_a_title_and_a_description_first(charts: dict[str, Chart]) -> None:
    assert tuple(charts) == CHART_KEYS
    for key, chart in charts.items():
        root = _root(chart.svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        first, second = list(root)[:2]
        assert first.tag == f"{SVG}title" and first.text == chart.title, key
        assert second.tag == f"{SVG}desc" and second.text == chart.description, key
        assert root.get("aria-labelledby") == f"{first.get('id')} {second.get('id')}"
        assert chart.table.key == key
        assert "<dc:date>" not in chart.svg  # no date: the same figures give the same bytes


def test_titles_labels_and_descriptions_are_french(charts: dict[str, Chart]) -> None:
    assert charts["distribution"].title.endswith("au 31 décembre 2025")
    assert "1 réseau" in _texts(_root(charts["distribution"].svg))
    assert "Personnes" in _texts(_root(charts["distribution"].svg))
    assert "Arrivées" in _texts(_root(charts["growth_quarters"].svg))
    assert "Membres du réseau" in _texts(_root(charts["overlaps"].svg))
    assert "Club Entreprendre Touraine" in _texts(_root(charts["overlaps"].svg))
    assert "Information et communication" in charts["sections"].description


def test_names_with_markup_are_escaped(figures: Figures) -> None:
    svg = figure_charts(figures, keys=["overlaps"])["overlaps"].svg
    root = _root(svg)  # would not parse if "<Dirigeantes>" went in raw
    assert "Réseau <Dirigeantes> & co" in "".join(root.find(f"{SVG}desc").itertext())  # type: ignore[union-attr]


def test_charts_are_the_same_bytes_each_time(figures: Figures, charts: dict[str, Chart]) -> None:
    one = charts
    two = figure_charts(figures)
    assert {k: c.svg for k, c in one.items()} == {k: c.svg for k, c in two.items()}
    assert "<dc:date>" not in one["distribution"].svg
    assert chart_png(figures, "kinds", dpi=60) == chart_png(figures, "kinds", dpi=60)


def test_the_upset_plot_has_a_dot_per_set_and_intersection_and_a_bar_per_intersection(
    figures: Figures,
) -> None:
    o = figures.overlaps
    svg = upset_chart(o, figures.network_names)
    root = _root(svg)
    # Each set is labelled once beside its size bar.
    texts = _texts(root)
    for name in figures.network_names.values():
        assert texts.count(name) == 1
    # Bar labels: every intersection size appears as text.
    for i in o.shown:
        assert french_number(i.size) in texts


def test_suppressed_counts_are_drawn_as_no_bar_marked_s() -> None:
    d = Distribution(D, (("1", 40), ("2", None), ("3", None), ("4+", 0)), 55)
    texts = _texts(_root(networks_per_person_chart(d))).split()
    assert texts.count("s") == 2
    b = Breakdown(
        D, "section", (Category("J", "Information et communication", 12), Category("G", "Commerce", None)), 20
    )
    svg = bars_chart(b, title="Secteurs", chart_id="sectors")
    assert "Commerce : s personnes" in svg
    assert "s" in _texts(_root(svg)).split()
    o = Overlaps(
        D, (("a", 12), ("b", None)), (Intersection(("a",), 9), Intersection(("a", "b"), None)), 15, 2, 0
    )
    assert "s" in _texts(_root(upset_chart(o, {"a": "A", "b": "B"}))).split()


def test_published_charts_show_s_for_suppressed_cells(figures: Figures) -> None:
    published = suppress_figures(figures)
    charts = figure_charts(published)
    assert "s" in _texts(_root(charts["distribution"].svg)).split()  # 3 people in three networks
    assert charts["distribution"].table.note.startswith("s : secret statistique")


def test_growth_chart_and_empty_figures_render() -> None:
    empty = compute_figures([], {}, {}, D)
    for chart in figure_charts(empty).values():
        _root(chart.svg)
    assert growth_chart(empty.growth_years, what="par année").startswith("<?xml")


def test_png_images_for_the_dossier(figures: Figures) -> None:
    assert chart_png(figures, "overlaps", dpi=60).startswith(b"\x89PNG\r\n\x1a\n")


def test_french_numbers() -> None:
    assert french_number(1234567) == "1\u202f234\u202f567"
    assert french_number(12.5) == "12,5"
    assert french_number(3.0) == "3"
    assert french_number(None) == "s"


def test_charts_never_import_pyplot() -> None:
    code = (
        "import sys, meute.observatory.charts as c; assert 'matplotlib.pyplot' not in sys.modules, 'pyplot'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
