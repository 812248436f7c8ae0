"""The figures as pages show them: each chart drawn as an SVG image beside its data table in
display text, cached per version of the memberships; :func:`figures_warm` precomputes the
pages everyone opens first (all networks and the public page, today) after a linkage run."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from meute.observatory import selectors
from meute.observatory.charts import CHART_KEYS, figure_charts, french_number
from meute.observatory.figures import Figures, Table
from meute.observatory.tables import figure_tables

__all__ = ["ALL_KEYS", "OVERLAP_KEYS", "TABLE_KEYS", "Shown", "figures_warm", "shown"]

#: What a manager sees of their people in every network (the rest is of their network alone).
OVERLAP_KEYS = ("distribution", "overlaps", "pairs")


@dataclass(frozen=True)
class Shown:
    """A figure for the page: its chart's SVG as an image (none for a table alone), its data table
    in display text."""

    key: str
    title: str
    description: str
    src: str
    table: Table
    rows: list[list[str]]


def _cell(value: object) -> str:
    if value is None or isinstance(value, int | float):
        return french_number(value)  # type: ignore[arg-type]
    return str(value)


#: Figures shown as a table alone (key figures, and the network × network table, have no chart).
TABLE_KEYS = ("headline", "pairs")
ALL_KEYS = ("headline", *CHART_KEYS, "pairs")


def shown(found: Figures, cache_key: str, keys: tuple[str, ...] = ALL_KEYS) -> list[Shown]:
    """The figures' charts and tables for a page; drawn once per version of the memberships
    (``cache_key`` names the scope: "all", "public", "net<id>")."""
    key = f"observatory:shown:{selectors.figures_version()}:{cache_key}:{found.at}:{found.suppressed}:{','.join(keys)}"
    shown = cache.get(key)
    if shown is None:
        shown = _draw(found, keys)
        cache.set(key, shown, selectors.FIGURES_CACHE_SECONDS)
    return list(shown)


def _draw(found: Figures, keys: tuple[str, ...]) -> list[Shown]:
    tables = figure_tables(found)
    charts = figure_charts(found, keys=[k for k in keys if k in CHART_KEYS])
    out = []
    for key in keys:
        table = tables.get(key)
        if table is None:
            continue
        chart = charts.get(key)
        src = "data:image/svg+xml;base64," + base64.b64encode(chart.svg.encode()).decode() if chart else ""
        out.append(
            Shown(
                key,
                chart.title if chart else table.title,
                chart.description if chart else "",
                src,
                table,
                [[_cell(c) for c in row] for row in table.rows],
            )
        )
    return out


def figures_warm(*, at: dt.date | None = None) -> int:
    """Compute and draw the figures of all networks and of the public page at ``at`` (today), so
    that the first visitor after a change does not wait; returns the figures drawn."""
    day = at or timezone.localdate()
    drawn = 0
    for public, key in ((False, "all"), (True, "public")):
        drawn += len(shown(selectors.observatory_figures(at=day, public=public), key))
    return drawn
