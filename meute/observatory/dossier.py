"""The observatory's yearly dossier: a PDF (fpdf2) and an XLSX workbook of the same tables.

Built from the figures at a date (``figures.compute_figures``, e.g. at 31 December), the
dossier has a title page, the key figures, each chart (a matplotlib PNG) with its table, a note
on the method (linkage, who counts at a date, suppression) and the list of networks. A
published dossier (the default) carries suppressed figures only: ``published=True`` passes the
figures through ``suppression.suppress_figures`` first. Same figures, same bytes (creation
date given or fixed), so a past dossier can be rebuilt from the recorded memberships.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from meute.observatory.charts import chart_image, french_number
from meute.observatory.exports import tables_xlsx
from meute.observatory.figures import (
    KIND_LABELS,
    Cell,
    Figures,
    Table,
)
from meute.observatory.suppression import THRESHOLD, suppress_figures
from meute.observatory.tables import SECRET_NOTE, figure_tables, french_date

__all__ = ["DEFAULT_LINKAGE_NOTE", "dossier_pdf", "dossier_tables", "dossier_xlsx", "networks_table"]

FONT = "DejaVu"
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"  # DejaVu ships with matplotlib
INK = (31, 58, 95)
FIXED_DATE = datetime(2000, 1, 1)

DEFAULT_LINKAGE_NOTE = (
    "Les réseaux transmettent leurs listes de membres à la chambre. Une même personne figure souvent dans "
    "plusieurs listes, écrite de façons différentes (accents, majuscules, « NOM Prénom », adresse "
    "électronique personnelle ou professionnelle). Meute rapproche les lignes qui désignent la même personne "
    "par un couplage probabiliste (modèle de Fellegi et Sunter, logiciel Splink) qui pèse les concordances "
    "de nom, prénom, adresse électronique, téléphone, entreprise, SIRET et commune ; les paires incertaines "
    "sont examinées par l'équipe de la chambre. Chaque personne est ainsi comptée une seule fois, quel que "
    "soit le nombre de réseaux auxquels elle participe."
)


def _counting_note(figures: Figures) -> str:
    return (
        f"Une personne est comptée au {french_date(figures.at)} si elle est membre d'au moins un réseau ce "
        "jour-là : son adhésion a commencé ce jour ou avant, et n'a pas pris fin (la date de départ est exclue). "
        "Les évolutions comparent les personnes présentes au dernier jour de chaque période : une arrivée est une "
        "personne présente à la fin de la période et absente à la fin de la précédente, un départ l'inverse ; "
        "passer d'un réseau à un autre n'est ni l'un ni l'autre. Le taux de croissance rapporte la variation du "
        "nombre de personnes à celui de la période précédente. Les combinaisons de réseaux sont exclusives : "
        "« A + B » compte les personnes membres de A et de B et d'aucun autre réseau."
    )


def _suppression_note(threshold: int) -> str:
    return (
        f"Secret statistique : aucun chiffre publié ne compte moins de {threshold} personnes ; un tel chiffre est "
        "remplacé par « s ». Pour qu'un total publié ne permette pas de le retrouver par soustraction, d'autres "
        "cases sont masquées avec lui (les plus petites de chaque ligne, colonne ou total concerné) : toute égalité "
        "publiée entre un total et ses parties compte zéro ou au moins deux cases masquées. Les tableaux se "
        "tiennent entre eux (secteurs et divisions, réseaux et combinaisons, stocks et flux) et sont masqués "
        "ensemble. Les zéros, qui ne désignent personne, sont publiés."
    )


def networks_table(figures: Figures) -> Table:
    """Every network of the figures, by name, with its kind and its members at the date."""
    members = dict(figures.overlaps.sets)
    rows: list[tuple[Cell, ...]] = [
        (
            name,
            KIND_LABELS.get(figures.network_kinds.get(nid, ""), figures.network_kinds.get(nid, "")),
            members.get(nid, 0),
        )
        for nid, name in sorted(figures.network_names.items(), key=lambda kv: (kv[1].casefold(), kv[0]))
    ]
    return Table(
        "networks",
        f"Liste des réseaux au {french_date(figures.at)}",
        ("Réseau", "Type", "Membres"),
        tuple(rows),
        SECRET_NOTE if figures.suppressed else "",
    )


def _prepare(figures: Figures, published: bool, threshold: int) -> Figures:
    if published and not figures.suppressed:
        return suppress_figures(figures, threshold=threshold)
    return figures


def dossier_tables(figures: Figures, *, published: bool = True, threshold: int = THRESHOLD) -> list[Table]:
    """The tables of the dossier, in its order (what the XLSX workbook holds)."""
    figures = _prepare(figures, published, threshold)
    tables = figure_tables(figures)
    order = [
        "headline",
        "distribution",
        "overlaps",
        "sets",
        "pairs",
        "growth_years",
        "growth_quarters",
        "sections",
        "divisions",
        "epcis",
        "communes",
        "kinds",
    ]
    return [tables[k] for k in order] + [networks_table(figures)]


def dossier_xlsx(
    figures: Figures, *, published: bool = True, threshold: int = THRESHOLD, created: datetime | None = None
) -> bytes:
    """The XLSX workbook of the dossier: one sheet per table, suppressed when ``published``."""
    tables = dossier_tables(figures, published=published, threshold=threshold)
    return tables_xlsx(
        tables, created=created or FIXED_DATE, title=f"Observatoire des réseaux au {french_date(figures.at)}"
    )


# --- the PDF -------------------------------------------------------------------------------------


class _Dossier(FPDF):
    def __init__(self, running_title: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = running_title
        self.add_font(FONT, "", str(_FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(_FONTS / "DejaVuSans-Bold.ttf"))
        self.add_font(FONT, "I", str(_FONTS / "DejaVuSans-Oblique.ttf"))
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.running_title, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, f"{self.page_no()}", align="C")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font(FONT, "B", size)
        self.set_text_color(*INK)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def paragraph(self, text: str, size: float = 10, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.5, _french_spacing(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)


def _french_spacing(text: str) -> str:
    """No-break spaces where French typography keeps signs with their words (« », : ; ? !)."""
    text = re.sub(r"« ", "«\u00a0", text)
    text = re.sub(r" »", "\u00a0»", text)
    text = text.replace(" :", "\u00a0:")
    return re.sub(r" ([;?!])", "\u202f\\1", text)


def _cell_text(value: Cell) -> str:
    if value is None:
        return "s"
    if isinstance(value, int | float):
        return french_number(value)
    return str(value)


def _draw_table(pdf: _Dossier, table: Table, *, max_rows: int = 30, max_cols: int = 9) -> None:
    headers = table.headers[:max_cols]
    rows = table.rows[:max_rows]
    numeric = [
        all(isinstance(r[j], int | float) or r[j] in (None, "") for r in rows if len(r) > j)
        for j in range(len(headers))
    ]
    pdf.set_font(FONT, "", 8)
    # Each column as wide as its longest cell or heading word (bold, so a little wider; headings
    # wrap between words); fpdf2 scales the widths to the page.
    texts = [[_cell_text(v) for v in r[:max_cols]] for r in rows]
    widths = [
        max([1.2 * max(map(len, str(h).split()), default=1)] + [len(t[j]) for t in texts if len(t) > j]) + 2.0
        for j, h in enumerate(headers)
    ]
    widths[0] = min(widths[0], 60.0)  # long names wrap rather than squeeze the figures
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple("RIGHT" if n and j else "LEFT" for j, n in enumerate(numeric)),
        headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=INK),
        line_height=4.2,
        first_row_as_headings=True,
        repeat_headings=1,
    ) as grid:
        grid.row([str(h) for h in headers])
        for t in texts:
            grid.row(t)
    notes = []
    if len(table.rows) > max_rows:
        notes.append(f"{len(table.rows) - max_rows} lignes de plus dans le classeur XLSX.")
    if len(table.headers) > max_cols:
        notes.append("Tableau complet dans le classeur XLSX.")
    if table.note:
        notes.append(table.note)
    if notes:
        pdf.ln(1)
        pdf.paragraph(" ".join(notes), size=7.5, style="I")
    pdf.ln(3)


def _chart(pdf: _Dossier, figures: Figures, key: str, table: Table) -> None:
    pdf.add_page()
    pdf.heading(table.title, 12)
    png, _title, description = chart_image(figures, key, dpi=150)
    pdf.image(io.BytesIO(png), w=pdf.epw, alt_text=description)
    pdf.ln(3)
    _draw_table(pdf, table)


def _numbered_columns(table: Table) -> Table:
    """A square table whose column headings are the rows' numbers (names do not fit as headings)."""
    rows = tuple((f"{k}. {row[0]}", *row[1:]) for k, row in enumerate(table.rows, start=1))
    headers = (table.headers[0], *(str(k) for k in range(1, len(table.headers))))
    return Table(table.key, table.title, headers, rows, table.note)


def dossier_pdf(
    figures: Figures,
    *,
    published: bool = True,
    threshold: int = THRESHOLD,
    title: str = "Observatoire des réseaux d'entreprises",
    organisation: str = "Chambre de commerce et d'industrie",
    linkage_note: str = DEFAULT_LINKAGE_NOTE,
    created: datetime | None = None,
) -> bytes:
    """The yearly dossier as PDF bytes, from the figures at its date.

    ``published`` (default): suppressed figures only, whatever was given; ``published=False``
    is the chamber's internal copy, marked so on its title page. ``created`` is the date in the
    PDF's properties (default a fixed one: the same figures give the same bytes).
    """
    figures = _prepare(figures, published, threshold)
    tables = {t.key: t for t in dossier_tables(figures, published=False)}
    when = french_date(figures.at)
    pdf = _Dossier(f"{title} — au {when}")
    pdf.set_title(f"{title} — au {when}")
    pdf.set_author(organisation)
    pdf.set_creator("Meute")
    pdf.set_lang("fr")
    pdf.set_creation_date(created or FIXED_DATE)

    # Title page.
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font(FONT, "B", 24)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 11, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 16)
    pdf.multi_cell(0, 8, f"Dossier au {when}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(10)
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(0, 6, organisation, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(30)
    pdf.set_font(FONT, "I", 9)
    status = (
        f"Chiffres publiés sous secret statistique (aucun chiffre de moins de {threshold} personnes)."
        if figures.suppressed
        else "Document interne : chiffres non masqués, à ne pas diffuser."
    )
    pdf.multi_cell(0, 5, status, align="C", new_x="LMARGIN", new_y="NEXT")

    # Key figures.
    pdf.add_page()
    pdf.heading(f"Chiffres clés au {when}")
    h = figures.headline
    pdf.set_font(FONT, "B", 30)
    pdf.set_text_color(*INK)
    pdf.cell(0, 14, french_number(h.people), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.paragraph(
        f"personnes participent à un ou plusieurs des {french_number(h.networks)} réseaux suivis, "
        f"pour {french_number(h.businesses)} entreprises représentées et {french_number(h.memberships)} adhésions.",
        size=12,
    )
    pdf.paragraph(
        "Chaque personne est comptée une fois, quel que soit le nombre de réseaux auxquels elle participe "
        "(rapprochement des listes des réseaux, voir la note de méthode).",
        size=9,
        style="I",
    )
    _draw_table(pdf, tables["headline"])

    # Charts with their tables.
    _chart(pdf, figures, "distribution", tables["distribution"])
    _chart(pdf, figures, "overlaps", tables["overlaps"])
    pdf.add_page()
    pdf.heading(tables["pairs"].title, 12)
    pdf.paragraph(
        "Les colonnes suivent l'ordre des lignes (numéros) ; la diagonale donne les membres du réseau.",
        size=8.5,
    )
    _draw_table(pdf, _numbered_columns(tables["pairs"]), max_rows=40, max_cols=13)
    _chart(pdf, figures, "growth_years", tables["growth_years"])
    _chart(pdf, figures, "growth_quarters", tables["growth_quarters"])
    _chart(pdf, figures, "sections", tables["sections"])
    _chart(pdf, figures, "divisions", tables["divisions"])
    _chart(pdf, figures, "epcis", tables["epcis"])
    _chart(pdf, figures, "communes", tables["communes"])
    _chart(pdf, figures, "kinds", tables["kinds"])

    # Method.
    pdf.add_page()
    pdf.heading("Note de méthode")
    pdf.heading("Rapprochement des listes", 11)
    pdf.paragraph(linkage_note)
    pdf.heading("Qui est compté, et quand", 11)
    pdf.paragraph(_counting_note(figures))
    pdf.heading("Secret statistique", 11)
    pdf.paragraph(
        _suppression_note(threshold)
        if figures.suppressed
        else "Ce document interne n'applique pas le secret statistique."
    )

    # The networks.
    pdf.add_page()
    pdf.heading(tables["networks"].title)
    _draw_table(pdf, tables["networks"], max_rows=10_000)
    return bytes(pdf.output())
