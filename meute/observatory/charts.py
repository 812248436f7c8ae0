"""The observatory's charts, drawn on the server with matplotlib (no Django, no pyplot).

Every chart is an SVG document with a ``<title>`` and a ``<desc>`` (its figures in words, for
screen readers), French labels, text kept as text, and the same bytes for the same figures
(``svg.hashsalt`` fixed, no date in the metadata). The page shows it beside its data table
(``tables.figure_tables``): ``figure_charts`` returns both. Suppressed counts (``None``) are
drawn as no bar, marked "s".

Only ``matplotlib.figure.Figure`` is used, never ``matplotlib.pyplot``: no global state, no
interactive backend, safe in threads of a web server.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from meute.observatory.figures import (
    KIND_LABELS,
    Breakdown,
    Count,
    Distribution,
    Figures,
    GrowthRow,
    Overlaps,
    Table,
)
from meute.observatory.tables import figure_tables, french_date

__all__ = [
    "CHART_KEYS",
    "Chart",
    "bars_chart",
    "chart_image",
    "chart_png",
    "figure_charts",
    "french_number",
    "growth_chart",
    "networks_per_person_chart",
    "upset_chart",
]

INK = "#1f3a5f"  # dark blue: 10.5:1 on white
LIGHT = "#d5dbe3"
ACCENT = "#b3541e"  # departures: 5.3:1 on white
GRID = "#e6e9ee"

_RC: Any = {  # matplotlib types its keys as literals: Any spares repeating them
    "svg.hashsalt": "meute-observatory",
    "svg.fonttype": "none",  # text stays text: readable, selectable, small
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#222222",
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart for a page: its SVG, its title and description, and its data table."""

    key: str
    title: str
    description: str
    svg: str
    table: Table


def french_number(n: float | None) -> str:
    """A count the French way: ``french_number(12345) == "12 345"`` (narrow no-break space); None is "s"."""
    if n is None:
        return "s"
    if isinstance(n, float) and not n.is_integer():
        return f"{n:,.1f}".replace(",", "\u202f").replace(".", ",")
    return f"{int(n):,}".replace(",", "\u202f")


def _with_title(svg: str, title: str, description: str, chart_id: str) -> str:
    """Put the ``<title>`` and ``<desc>`` first in the ``<svg>`` element, named by aria-labelledby."""
    start = svg.index("<svg")
    end = svg.index(">", start)
    tag = svg[start:end]
    labelled = f' role="img" aria-labelledby="{chart_id}-title {chart_id}-desc"'
    return (
        svg[:start]
        + tag
        + labelled
        + ">\n"
        + f' <title id="{chart_id}-title">{escape(title)}</title>\n'
        + f' <desc id="{chart_id}-desc">{escape(description)}</desc>'
        + svg[end + 1 :]
    )


def _render_svg(figure: Figure, title: str, description: str, chart_id: str) -> str:
    rc: Any = {"svg.id": chart_id, **_RC}
    with matplotlib.rc_context(rc):
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return _with_title(out.getvalue(), title, description, chart_id)


def _render_png(figure: Figure, dpi: int) -> bytes:
    with matplotlib.rc_context(_RC):
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def _new_figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def _mark_secret(ax: Axes, x: float, y: float, horizontal: bool = False) -> None:
    ax.annotate(
        "s",
        (x, y),
        xytext=(4, 0) if horizontal else (0, 3),
        textcoords="offset points",
        ha="left" if horizontal else "center",
        va="center" if horizontal else "bottom",
        color="#444444",
        fontstyle="italic",
    )


def _values(counts: Sequence[Count]) -> list[float]:
    return [math.nan if c is None else float(c) for c in counts]


def _top_of(values: Sequence[float]) -> float:
    finite = [v for v in values if not math.isnan(v)]
    return max(finite, default=0.0) or 1.0


def _bucket_label(label: str) -> str:
    if label.endswith("+"):
        return f"{label[:-1]} réseaux ou plus"
    return "1 réseau" if label == "1" else f"{label} réseaux"


# --- the charts ----------------------------------------------------------------------------------


def _distribution_figure(d: Distribution) -> tuple[Figure, str, str]:
    labels = [_bucket_label(label) for label, _ in d.buckets]
    values = _values([n for _, n in d.buckets])
    fig = _new_figure(6.4, 3.4)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        xs = range(len(labels))
        ax.bar(xs, [0 if math.isnan(v) else v for v in values], color=INK, width=0.6)
        top = _top_of(values)
        for x, v in zip(xs, values, strict=True):
            if math.isnan(v):
                _mark_secret(ax, x, 0)
            else:
                ax.annotate(french_number(v), (x, v), xytext=(0, 3), textcoords="offset points", ha="center")
        ax.set_xticks(list(xs), labels)
        ax.set_ylim(0, top * 1.15)
        ax.set_ylabel("Personnes")
        ax.yaxis.set_major_formatter(lambda v, _pos: french_number(v))
        ax.grid(axis="y", color=GRID)
        ax.set_axisbelow(True)
    title = f"Personnes selon le nombre de réseaux auxquels elles participent, au {french_date(d.at)}"
    description = "Diagramme en barres. " + " ; ".join(
        f"{label} : {french_number(n)} personnes"
        for label, n in zip(labels, [n for _, n in d.buckets], strict=True)
    )
    return fig, title, description + "."


def networks_per_person_chart(d: Distribution) -> str:
    """Bars of people in 1, 2, 3 and 4 or more networks (SVG text)."""
    return _render_svg(*_distribution_figure(d), "networks-per-person")


def _short(name: str, width: int = 34) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _upset_figure(o: Overlaps, names: Mapping[str, str]) -> tuple[Figure, str, str]:
    shown = list(o.shown)
    # The sets: those of the intersections shown, largest first (Lex et al. 2014, figure 1).
    involved = {n for i in shown for n in i.networks}
    sets = [(n, size) for n, size in o.sets if n in involved]
    n_sets, n_cols = len(sets), len(shown)
    row_of = {n: r for r, (n, _) in enumerate(sets)}
    height = 2.2 + 0.28 * max(n_sets, 1)
    width = max(6.4, 2.8 + 0.32 * max(n_cols, 1))
    fig = _new_figure(width, height)
    with matplotlib.rc_context(_RC):
        grid = fig.add_gridspec(
            2, 2, width_ratios=(1, max(n_cols, 1) / 6 + 1.5), height_ratios=(1.6, 0.25 * n_sets + 0.4)
        )
        bars = fig.add_subplot(grid[0, 1])
        matrix = fig.add_subplot(grid[1, 1], sharex=bars)
        sizes = fig.add_subplot(grid[1, 0], sharey=matrix)
        fig.add_subplot(grid[0, 0]).axis("off")
        xs = list(range(n_cols))
        values = _values([i.size for i in shown])
        bars.bar(xs, [0 if math.isnan(v) else v for v in values], color=INK, width=0.6)
        for x, v in zip(xs, values, strict=True):
            if math.isnan(v):
                _mark_secret(bars, x, 0)
            else:
                bars.annotate(
                    french_number(v),
                    (x, v),
                    xytext=(0, 2),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7,
                )
        bars.set_ylim(0, _top_of(values) * 1.18)
        bars.set_ylabel("Personnes")
        bars.yaxis.set_major_formatter(lambda v, _pos: french_number(v))
        bars.tick_params(axis="x", bottom=False, labelbottom=False)
        bars.grid(axis="y", color=GRID)
        bars.set_axisbelow(True)
        # The dot matrix: a light dot per set and intersection, dark where the set belongs, joined.
        # One scatter per colour and one collection of segments: fast to draw and small in SVG.
        light = [(x, r) for x in range(n_cols) for r in range(n_sets)]
        dark = [(x, row_of[n]) for x, i in enumerate(shown) for n in i.networks]
        segments = []
        for x, i in enumerate(shown):
            rows = sorted(row_of[n] for n in i.networks)
            if len(rows) > 1:
                segments.append([(x, rows[0]), (x, rows[-1])])
        if light:
            matrix.scatter([x for x, _ in light], [r for _, r in light], s=36, color=LIGHT, zorder=1)
            matrix.scatter([x for x, _ in dark], [r for _, r in dark], s=36, color=INK, zorder=3)
        matrix.add_collection(LineCollection(segments, colors=INK, linewidths=2, zorder=2))
        matrix.set_ylim(max(n_sets, 1) - 0.5, -0.5)
        matrix.set_xlim(-0.6, n_cols - 0.4)
        matrix.tick_params(axis="both", length=0, labelbottom=False, labelleft=False)
        for spine in matrix.spines.values():
            spine.set_visible(False)
        for r in range(0, n_sets, 2):
            matrix.axhspan(r - 0.5, r + 0.5, color="#f3f5f8", zorder=0)
        # The set sizes, bars pointing left, names between them and the matrix.
        set_values = _values([size for _, size in sets])
        sizes.barh(
            range(n_sets), [0 if math.isnan(v) else v for v in set_values], color="#5a7394", height=0.6
        )
        sizes.invert_xaxis()
        sizes.set_yticks(range(n_sets), [_short(names.get(n, n)) for n, _ in sets])
        sizes.yaxis.tick_right()
        sizes.tick_params(axis="y", length=0)
        sizes.spines["left"].set_visible(False)
        sizes.spines["right"].set_visible(False)
        sizes.set_xlabel("Membres du réseau")
        sizes.xaxis.set_major_formatter(lambda v, _pos: french_number(v))
        sizes.set_xlim(_top_of(set_values) * 1.1, 0)
        for r, v in enumerate(set_values):
            if math.isnan(v):
                sizes.annotate(
                    "s",
                    (0, r),
                    xytext=(-4, 0),
                    textcoords="offset points",
                    ha="right",
                    va="center",
                    fontstyle="italic",
                )
    title = f"Participation croisée aux réseaux au {french_date(o.at)} (UpSet)"
    parts = [
        f"{' + '.join(names.get(n, n) for n in i.networks)} : {french_number(i.size)} personnes"
        for i in shown
    ]
    description = (
        "Diagramme UpSet : chaque colonne est une combinaison exacte de réseaux (points reliés dans la matrice), "
        "sa barre le nombre de personnes membres de ces réseaux et d'aucun autre ; à gauche, les membres de chaque réseau. "
        + " ; ".join(parts)
        + (f" ; {o.rest} autres combinaisons : {french_number(o.rest_people)} personnes" if o.rest else "")
        + "."
    )
    return fig, title, description


def upset_chart(o: Overlaps, names: Mapping[str, str]) -> str:
    """The UpSet plot (Lex et al. 2014): intersection bars over a dot matrix of sets, set sizes aside."""
    return _render_svg(*_upset_figure(o, names), "overlaps")


def _growth_figure(rows: Sequence[GrowthRow], what: str) -> tuple[Figure, str, str]:
    labels = [r.label for r in rows]
    xs = list(range(len(rows)))
    fig = _new_figure(max(6.4, 0.3 * len(rows) + 2), 4.6)
    with matplotlib.rc_context(_RC):
        grid = fig.add_gridspec(2, 1, height_ratios=(2, 1))
        stock = fig.add_subplot(grid[0])
        flows = fig.add_subplot(grid[1], sharex=stock)
        stock.plot(
            xs, _values([r.people for r in rows]), color=INK, marker="o", markersize=3, label="Personnes"
        )
        stock.plot(
            xs,
            _values([r.memberships for r in rows]),
            color="#5a7394",
            linestyle="--",
            marker="s",
            markersize=3,
            label="Adhésions",
        )
        stock.set_ylabel("Au dernier jour")
        stock.set_ylim(bottom=0)
        stock.yaxis.set_major_formatter(lambda v, _pos: french_number(v))
        stock.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=2, borderaxespad=0)
        stock.grid(axis="y", color=GRID)
        stock.tick_params(axis="x", labelbottom=False)
        arrivals = _values([r.arrivals for r in rows])
        departures = _values([r.departures for r in rows])
        flows.bar(xs, [0 if math.isnan(v) else v for v in arrivals], color=INK, width=0.7, label="Arrivées")
        flows.bar(
            xs, [0 if math.isnan(v) else -v for v in departures], color=ACCENT, width=0.7, label="Départs"
        )
        flows.axhline(0, color="#555555", linewidth=0.8)
        flows.set_ylabel("Arrivées / départs")
        flows.yaxis.set_major_formatter(lambda v, _pos: french_number(abs(v)))
        flows.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=2, borderaxespad=0)
        for x, a, d in zip(xs, arrivals, departures, strict=True):
            if math.isnan(a) or math.isnan(d):
                _mark_secret(flows, x, 0)
        step = max(1, math.ceil(len(rows) / 16))
        flows.set_xticks(
            xs[::step],
            labels[::step],
            rotation=45 if len(rows) > 8 else 0,
            ha="right" if len(rows) > 8 else "center",
        )
    last = rows[-1] if rows else None
    title = f"Évolution {what}" + (f" jusqu'au {french_date(last.checkpoint)}" if last else "")
    description = "Courbes des personnes et des adhésions, barres des arrivées et des départs. " + " ; ".join(
        f"{r.label} : {french_number(r.people)} personnes, {french_number(r.arrivals)} arrivées, "
        f"{french_number(r.departures)} départs"
        for r in rows
    )
    return fig, title, description + "."


def growth_chart(rows: Sequence[GrowthRow], *, what: str = "par trimestre") -> str:
    """People and memberships per period (lines), arrivals and departures (bars up and down)."""
    return _render_svg(*_growth_figure(rows, what), "growth-" + ("years" if "ann" in what else "quarters"))


def _bars_figure(b: Breakdown, title: str, top: int) -> tuple[Figure, str, str]:
    rows = list(b.rows)
    rest = rows[top:]
    rows = rows[:top]
    labels = [
        _short(f"{c.label}" if c.code in ("", *KIND_LABELS) else f"{c.code} – {c.label}", 44) for c in rows
    ]
    values = _values([c.people for c in rows])
    fig = _new_figure(7.2, 0.9 + 0.3 * max(len(rows), 1))
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        ys = list(range(len(rows)))
        ax.barh(ys, [0 if math.isnan(v) else v for v in values], color=INK, height=0.6)
        ax.set_yticks(ys, labels)
        ax.invert_yaxis()
        for y, v in zip(ys, values, strict=True):
            if math.isnan(v):
                _mark_secret(ax, 0, y, horizontal=True)
            else:
                ax.annotate(
                    french_number(v),
                    (v, y),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
        ax.set_xlim(0, _top_of(values) * 1.15)
        ax.set_xlabel("Personnes")
        ax.xaxis.set_major_formatter(lambda v, _pos: french_number(v))
        ax.grid(axis="x", color=GRID)
        ax.set_axisbelow(True)
        ax.tick_params(axis="y", length=0)
    full_title = f"{title} au {french_date(b.at)}"
    description = "Barres horizontales. " + " ; ".join(
        f"{c.label} : {french_number(c.people)} personnes" for c in rows
    )
    if rest:
        description += f" ; et {len(rest)} autres lignes dans le tableau"
    return fig, full_title, description + "."


def bars_chart(b: Breakdown, *, title: str, top: int = 15, chart_id: str = "bars") -> str:
    """Horizontal bars of a breakdown (sectors, territories, kinds), the ``top`` largest rows."""
    return _render_svg(*_bars_figure(b, title, top), chart_id)


# --- every chart of the figures ------------------------------------------------------------------

_Builder = Callable[[Figures], tuple[Figure, str, str]]

_BUILDERS: dict[str, _Builder] = {
    "distribution": lambda f: _distribution_figure(f.distribution),
    "overlaps": lambda f: _upset_figure(f.overlaps, f.network_names),
    "growth_quarters": lambda f: _growth_figure(f.growth_quarters, "par trimestre"),
    "growth_years": lambda f: _growth_figure(f.growth_years, "par année"),
    "sections": lambda f: _bars_figure(
        f.sections, "Personnes par secteur d'activité (sections NAF rév. 2)", 25
    ),
    "divisions": lambda f: _bars_figure(
        f.divisions, "Personnes par division NAF rév. 2 (les 15 premières)", 15
    ),
    "communes": lambda f: _bars_figure(f.communes, "Personnes par commune (les 15 premières)", 15),
    "epcis": lambda f: _bars_figure(f.epcis, "Personnes par intercommunalité (EPCI)", 15),
    "kinds": lambda f: _bars_figure(f.kinds, "Personnes par type de réseau", 10),
}

CHART_KEYS = tuple(_BUILDERS)


def figure_charts(figures: Figures, *, keys: Sequence[str] = CHART_KEYS) -> dict[str, Chart]:
    """Every chart of the figures with its data table, keyed like ``figure_tables``.

    Give suppressed figures (``suppression.suppress_figures``) for a public page.
    """
    tables = figure_tables(figures)
    charts = {}
    for key in keys:
        fig, title, description = _BUILDERS[key](figures)
        charts[key] = Chart(
            key, title, description, _render_svg(fig, title, description, key.replace("_", "-")), tables[key]
        )
    return charts


def chart_png(figures: Figures, key: str, *, dpi: int = 150) -> bytes:
    """One chart of the figures as a PNG image (for the PDF dossier)."""
    return chart_image(figures, key, dpi=dpi)[0]


def chart_image(figures: Figures, key: str, *, dpi: int = 150) -> tuple[bytes, str, str]:
    """One chart as (PNG bytes, title, description): the description is the image's alternative text."""
    fig, title, description = _BUILDERS[key](figures)
    return _render_png(fig, dpi), title, description
