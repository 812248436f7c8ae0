"""The observatory's figures stored as JSON (format ``meute.observatory-figures/1``) and read back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

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

__all__ = ["FORMAT", "figures_from_dict", "figures_to_dict"]

FORMAT = "meute.observatory-figures/1"


def _growth_out(rows: Sequence[GrowthRow]) -> list[dict[str, object]]:
    return [
        {
            "label": r.label,
            "first": r.first.isoformat(),
            "checkpoint": r.checkpoint.isoformat(),
            "people": r.people,
            "memberships": r.memberships,
            "networks": r.networks,
            "arrivals": r.arrivals,
            "departures": r.departures,
            "growth_rate": r.growth_rate,
        }
        for r in rows
    ]


def _breakdown_out(b: Breakdown) -> dict[str, object]:
    return {
        "at": b.at.isoformat(),
        "level": b.level,
        "total": b.total,
        "rows": [[c.code, c.label, c.people, c.parent] for c in b.rows],
    }


def figures_to_dict(figures: Figures) -> dict[str, object]:
    """The figures as JSON-ready data (dates in ISO form), to store what a task computed.

    ``figures_from_dict(figures_to_dict(f)) == f``; the document names its format
    (``meute.observatory-figures/1``) so that a later change can read older ones.
    """
    o = figures.overlaps
    return {
        "format": FORMAT,
        "at": figures.at.isoformat(),
        "suppressed": figures.suppressed,
        "network_names": dict(figures.network_names),
        "network_kinds": dict(figures.network_kinds),
        "headline": {
            "people": figures.headline.people,
            "businesses": figures.headline.businesses,
            "networks": figures.headline.networks,
            "memberships": figures.headline.memberships,
        },
        "distribution": {
            "buckets": [list(b) for b in figures.distribution.buckets],
            "total": figures.distribution.total,
        },
        "overlaps": {
            "sets": [list(x) for x in o.sets],
            "intersections": [[list(i.networks), i.size] for i in o.intersections],
            "people": o.people,
            "top": o.top,
            "rest_people": o.rest_people,
        },
        "pairs": {
            "networks": list(figures.pairs.networks),
            "counts": [list(r) for r in figures.pairs.counts],
        },
        "growth_quarters": _growth_out(figures.growth_quarters),
        "growth_years": _growth_out(figures.growth_years),
        "sections": _breakdown_out(figures.sections),
        "divisions": _breakdown_out(figures.divisions),
        "communes": _breakdown_out(figures.communes),
        "epcis": _breakdown_out(figures.epcis),
        "kinds": _breakdown_out(figures.kinds),
    }


def _growth_in(rows: Sequence[Mapping[str, object]]) -> tuple[GrowthRow, ...]:
    out = []
    for r in rows:
        rate = r["growth_rate"]
        out.append(
            GrowthRow(
                label=str(r["label"]),
                first=date.fromisoformat(str(r["first"])),
                checkpoint=date.fromisoformat(str(r["checkpoint"])),
                people=_count(r["people"]),
                memberships=_count(r["memberships"]),
                networks=int(str(r["networks"])),
                arrivals=_count(r["arrivals"]),
                departures=_count(r["departures"]),
                growth_rate=None if rate is None else float(str(rate)),
            )
        )
    return tuple(out)


def _count(value: object) -> Count:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"a count must be an integer or null, not {value!r}")
    return value


def _breakdown_in(b: Mapping[str, object]) -> Breakdown:
    rows = b["rows"]
    assert isinstance(rows, list)
    return Breakdown(
        at=date.fromisoformat(str(b["at"])),
        level=str(b["level"]),
        rows=tuple(
            Category(str(code), str(label), _count(people), str(parent))
            for code, label, people, parent in rows
        ),
        total=_count(b["total"]),
    )


def figures_from_dict(data: Mapping[str, object]) -> Figures:
    """The figures stored by ``figures_to_dict``; ValueError for another format or a damaged document."""
    if data.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} document: format {data.get('format')!r}")
    try:
        return _figures_in(data)
    except (KeyError, TypeError, AssertionError) as exc:
        raise ValueError(f"damaged {FORMAT} document: {exc!r}") from exc


def _figures_in(data: Mapping[str, object]) -> Figures:
    at = date.fromisoformat(str(data["at"]))
    h = data["headline"]
    d = data["distribution"]
    o = data["overlaps"]
    p = data["pairs"]
    assert isinstance(h, dict) and isinstance(d, dict) and isinstance(o, dict) and isinstance(p, dict)
    quarters, years = data["growth_quarters"], data["growth_years"]
    assert isinstance(quarters, list) and isinstance(years, list)
    names, kinds_ = data["network_names"], data["network_kinds"]
    assert isinstance(names, dict) and isinstance(kinds_, dict)
    breakdowns = {}
    for key in ("sections", "divisions", "communes", "epcis", "kinds"):
        value = data[key]
        assert isinstance(value, dict)
        breakdowns[key] = _breakdown_in(value)
    return Figures(
        at=at,
        headline=Headline(
            at, _count(h["people"]), _count(h["businesses"]), int(h["networks"]), _count(h["memberships"])
        ),
        distribution=Distribution(
            at, tuple((str(k), _count(n)) for k, n in d["buckets"]), _count(d["total"])
        ),
        overlaps=Overlaps(
            at=at,
            sets=tuple((str(n), _count(size)) for n, size in o["sets"]),
            intersections=tuple(
                Intersection(tuple(map(str, nets)), _count(size)) for nets, size in o["intersections"]
            ),
            people=_count(o["people"]),
            top=int(o["top"]),
            rest_people=_count(o["rest_people"]),
        ),
        pairs=PairTable(
            at, tuple(map(str, p["networks"])), tuple(tuple(_count(v) for v in row) for row in p["counts"])
        ),
        growth_quarters=_growth_in(quarters),
        growth_years=_growth_in(years),
        sections=breakdowns["sections"],
        divisions=breakdowns["divisions"],
        communes=breakdowns["communes"],
        epcis=breakdowns["epcis"],
        kinds=breakdowns["kinds"],
        network_names={str(k): str(v) for k, v in names.items()},
        network_kinds={str(k): str(v) for k, v in kinds_.items()},
        suppressed=bool(data["suppressed"]),
    )
