"""The observatory's figures as the data tables shown beside each chart (and exported): French headers, rows, a note."""

from __future__ import annotations

from datetime import date

from meute.observatory.figures import KIND_LABELS, Cell, Figures, Table

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

SECRET_NOTE = "s : secret statistique (moins de 5 personnes, ou masqué pour qu'aucun total ne permette de le retrouver)."


def french_date(d: date) -> str:
    """The date as French prose: ``french_date(date(2025, 12, 31)) == "31 décembre 2025"`` (1er for the first)."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {_MONTHS[d.month - 1]} {d.year}"


def _percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


def figure_tables(figures: Figures) -> dict[str, Table]:
    """The data table of every figure, keyed like the charts, titled in French with the date.

    ``None`` cells are suppressed ones (shown "s"); the note then says what "s" means.
    """
    at = french_date(figures.at)
    names = figures.network_names
    note = SECRET_NOTE if figures.suppressed else ""

    def name(n: str) -> str:
        return names.get(n, n)

    h = figures.headline
    tables = [
        Table(
            "headline",
            f"Chiffres clés au {at}",
            ("Indicateur", "Valeur"),
            (
                ("Personnes participant à au moins un réseau", h.people),
                ("Entreprises représentées", h.businesses),
                ("Réseaux", h.networks),
                ("Adhésions", h.memberships),
            ),
            note,
        ),
        Table(
            "distribution",
            f"Personnes selon le nombre de réseaux au {at}",
            ("Nombre de réseaux", "Personnes"),
            tuple(figures.distribution.buckets) + (("Total", figures.distribution.total),),
            note,
        ),
        Table(
            "overlaps",
            f"Appartenances exclusives à des réseaux au {at}",
            ("Réseaux", "Nombre de réseaux", "Personnes"),
            tuple(
                (" + ".join(name(n) for n in i.networks), len(i.networks), i.size)
                for i in figures.overlaps.shown
            )
            + (
                ((f"Autres combinaisons ({figures.overlaps.rest})", "", figures.overlaps.rest_people),)
                if figures.overlaps.rest
                else ()
            ),
            note,
        ),
        Table(
            "sets",
            f"Membres par réseau au {at}",
            ("Réseau", "Type", "Membres"),
            tuple(
                (name(n), KIND_LABELS.get(figures.network_kinds.get(n, ""), ""), size)
                for n, size in figures.overlaps.sets
            ),
            note,
        ),
        Table(
            "pairs",
            f"Personnes membres de deux réseaux au {at}",
            ("Réseau", *(name(n) for n in figures.pairs.networks)),
            tuple(
                (name(n), *row) for n, row in zip(figures.pairs.networks, figures.pairs.counts, strict=True)
            ),
            note,
        ),
    ]
    for key, title, rows in (
        ("growth_quarters", "par trimestre", figures.growth_quarters),
        ("growth_years", "par année", figures.growth_years),
    ):
        tables.append(
            Table(
                key,
                f"Évolution {title} jusqu'au {at}",
                (
                    "Période",
                    "Au",
                    "Personnes",
                    "Adhésions",
                    "Réseaux",
                    "Arrivées",
                    "Départs",
                    "Croissance (%)",
                ),
                tuple(
                    (
                        r.label,
                        r.checkpoint.isoformat(),
                        r.people,
                        r.memberships,
                        r.networks,
                        r.arrivals,
                        r.departures,
                        _percent(r.growth_rate),
                    )
                    for r in rows
                ),
                note,
            )
        )
    for key, breakdown, title, headers in (
        ("sections", figures.sections, "Personnes par secteur (section NAF rév. 2)", ("Code", "Section")),
        ("divisions", figures.divisions, "Personnes par division NAF rév. 2", ("Code", "Division")),
        ("communes", figures.communes, "Personnes par commune", ("Code INSEE", "Commune")),
        ("epcis", figures.epcis, "Personnes par intercommunalité (EPCI)", ("SIREN", "EPCI")),
        ("kinds", figures.kinds, "Personnes par type de réseau", ("Type", "Libellé")),
    ):
        rows_: list[tuple[Cell, ...]] = [(c.code, c.label, c.people) for c in breakdown.rows]
        rows_.append(("", "Total (personnes distinctes)", breakdown.total))
        tables.append(Table(key, f"{title} au {at}", (*headers, "Personnes"), tuple(rows_), note))
    return {t.key: t for t in tables}
