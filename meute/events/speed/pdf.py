"""PDF documents of speed meetings (fpdf2): a participant's agenda; the organiser's
table plan (one page per table per round), badges and a wall chart.

Fonts: Debian's DejaVu Sans (package fonts-dejavu-core) is embedded so that
French accents print; without it the PDF falls back to Helvetica with the
accents the Latin-1 core font knows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from meute.engine.controls import multi_line, single_line
from meute.events.models import Event, Registration, RotationPlan, Seat
from meute.events.speed import selectors

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"


def _pdf(title: str, orientation: str = "P") -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Meute")
    pdf.set_auto_page_break(auto=True, margin=15)
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists():
        pdf.add_font(FONT, "", str(regular))
        pdf.add_font(FONT, "B", str(bold if bold.exists() else regular))
        pdf.core_fonts_encoding = "utf-8"
        pdf._meute_font = FONT  # type: ignore[attr-defined]
    else:  # pragma: no cover - the CI installs the fonts
        pdf._meute_font = "helvetica"  # type: ignore[attr-defined]
    return pdf


def _font(pdf: FPDF, size: float, style: str = "") -> None:
    pdf.set_font(pdf._meute_font, style, size)  # type: ignore[attr-defined]


def _text(pdf: FPDF, value: str) -> str:
    # Names and titles typed by people: no control character reaches the page
    # (line breaks stay, for the cells that wrap).
    value = multi_line(value)
    if pdf._meute_font == FONT:  # type: ignore[attr-defined]
        return value
    return value.encode("latin-1", "replace").decode("latin-1")  # pragma: no cover


def _hm(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%H:%M")


def _when(event: Event) -> str:
    return date_format(timezone.localtime(event.starts_at), "l j F Y")


def _line(pdf: FPDF, text: str, h: float = 6) -> None:
    pdf.multi_cell(0, h, _text(pdf, text), new_x="LMARGIN", new_y="NEXT")


def agenda_pdf(
    event: Event, plan: RotationPlan, registration: Registration, rows: list[selectors.AgendaRow]
) -> bytes:
    """One participant's agenda: each round's time, table and partners with the reason."""
    pdf = _pdf(_("Programme de %(n)s") % {"n": registration.person.full_name})
    pdf.add_page()
    _font(pdf, 16, "B")
    _line(pdf, event.title, 8)
    _font(pdf, 11)
    _line(pdf, f"{_when(event)} — {event.place}" if event.place else _when(event))
    _font(pdf, 13, "B")
    pdf.ln(2)
    _line(pdf, _("Programme de %(n)s") % {"n": registration.person.full_name}, 7)
    pdf.ln(2)
    for row in rows:
        _font(pdf, 12, "B")
        head = _("Tour %(r)s · %(a)s – %(b)s") % {
            "r": row.round_no,
            "a": _hm(row.starts_at),
            "b": _hm(row.ends_at),
        }
        if row.table_no is not None:
            head += " · " + _("table %(t)s") % {"t": row.table_no}
        if row.changed:
            head += " · " + _("modifié")
        _line(pdf, head, 7)
        _font(pdf, 10)
        if not row.partners:
            _line(pdf, _("Pause"))
        for partner in row.partners:
            extra = partner.details
            _line(pdf, f"• {partner.name}" + (f" — {extra}" if extra else ""))
            if partner.why:
                _line(pdf, "   " + _("Pourquoi : %(w)s") % {"w": partner.why}, 5)
        pdf.ln(2)
    return bytes(pdf.output())


def tables_pdf(
    event: Event,
    plan: RotationPlan,
    tables: list[tuple[int, list[tuple[int, list[Seat]]]]],
    people: list[Registration],
    *,
    shared: set[int],
) -> bytes:
    """The organiser's print: one page per table per round, then badges, then a wall chart.

    Everything printed here is seen by the participants (on the tables, on
    chests, on the wall): people outside `shared` (registration ids of those
    who consent to matchmaking) are printed by name only, as in the agendas.
    """
    pdf = _pdf(_("Plan de tables — %(t)s") % {"t": event.title})
    cards = {r.pk: selectors.partner_card(r, shared=r.pk in shared) for r in people}
    # 1. one page per table per round, to put on the table
    for round_no, round_tables in tables:
        start, end = selectors.round_times(event, plan, round_no)
        for table_no, seats in round_tables:
            pdf.add_page()
            _font(pdf, 14)
            _line(pdf, event.title, 7)
            _font(pdf, 60, "B")
            pdf.cell(
                0,
                30,
                _text(pdf, _("Table %(t)s") % {"t": table_no}),
                align="C",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            _font(pdf, 18)
            pdf.cell(
                0,
                10,
                _text(pdf, _("Tour %(r)s · %(a)s – %(b)s") % {"r": round_no, "a": _hm(start), "b": _hm(end)}),
                align="C",
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(8)
            for seat in seats:
                card = cards.get(seat.registration_id) or selectors.partner_card(
                    seat.registration, shared=False
                )
                _font(pdf, 20, "B")
                _line(pdf, card.name, 10)
                _font(pdf, 13)
                if card.details:
                    _line(pdf, card.details, 7)
                pdf.ln(3)
    # 2. badges: eight per page, with the table of each round
    where: dict[int, dict[int, int]] = defaultdict(dict)
    for round_no, round_tables in tables:
        for table_no, seats in round_tables:
            for seat in seats:
                where[seat.registration_id][round_no] = table_no
    width, height = 95.0, 65.0
    for k, r in enumerate(people):
        if k % 8 == 0:
            pdf.add_page()
        col, row = k % 2, (k % 8) // 2
        x, y = 10 + col * width, 12 + row * height
        pdf.rect(x, y, width - 4, height - 4)
        pdf.set_xy(x + 4, y + 6)
        _font(pdf, 18, "B")
        pdf.multi_cell(width - 12, 8, _text(pdf, cards[r.pk].name))
        pdf.set_x(x + 4)
        _font(pdf, 11)
        pdf.multi_cell(width - 12, 6, _text(pdf, cards[r.pk].details or " "))
        pdf.set_xy(x + 4, y + height - 20)
        _font(pdf, 10)
        badge_tables = " · ".join(
            _("T%(r)s : %(t)s") % {"r": n, "t": where[r.pk].get(n, "—")} for n in range(1, plan.rounds + 1)
        )
        pdf.multi_cell(width - 12, 5, _text(pdf, badge_tables))
    # 3. the wall chart: everyone's table per round
    pdf.add_page(orientation="L")
    _font(pdf, 16, "B")
    _line(pdf, _("Tableau mural — %(t)s") % {"t": event.title}, 8)
    name_w = 70.0
    col_w = min(20.0, (pdf.w - pdf.l_margin - pdf.r_margin - name_w) / max(plan.rounds, 1))

    def header() -> None:
        _font(pdf, 10, "B")
        pdf.cell(name_w, 7, _text(pdf, _("Participant")), border=1)
        for n in range(1, plan.rounds + 1):
            pdf.cell(
                col_w,
                7,
                _text(pdf, _("Tour %(r)s") % {"r": n}) if col_w >= 16 else str(n),
                border=1,
                align="C",
            )
        pdf.ln(7)

    header()
    for r in people:
        if pdf.get_y() > pdf.h - 22:
            pdf.add_page(orientation="L")
            header()
        _font(pdf, 10)
        card = cards[r.pk]
        label = card.name + (f" ({card.company})" if card.company else "")
        pdf.cell(name_w, 6, _text(pdf, single_line(label)[:40]), border=1)
        for n in range(1, plan.rounds + 1):
            pdf.cell(col_w, 6, str(where[r.pk].get(n, "—")), border=1, align="C")
        pdf.ln(6)
    return bytes(pdf.output())
