"""Fixtures of the observatory: another network's manager, and member lists as files."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest

from meute.accounts.models import User
from meute.networks.models import Network, Role
from tests.conftest import _user_with_person
from tests.factories import MembershipFactory

HEADERS = ("Nom", "Prénom", "Entreprise", "SIRET", "Email", "Portable", "Commune")
ROWS = (
    (
        "DUPONT",
        "Jean-Pierre",
        "SARL Menuiserie Gaultier",
        "",
        "jp.dupont@orange.fr",
        "06 12 34 56 78",
        "Tours",
    ),
    ("Martin", "Élodie", "Boulangerie Sorel", "", "elodie.martin@sorel.fr", "", "Amboise"),
    ("LEFÈVRE", "Éloïse", "Optique Vasseur", "", "", "07 81 22 33 44", "Chinon"),
)


@pytest.fixture(autouse=True)
def _fresh_cache(settings: Any) -> None:
    # Figures are cached by a version of the memberships that ids rolled back may repeat.
    from django.core.cache import cache

    cache.clear()
    # Drawing every chart after every import costs seconds; test_pages_cache turns it on.
    settings.OBSERVATORY_WARM_FIGURES = False


@pytest.fixture
def other_manager(other_club: Network) -> User:
    user = _user_with_person(email="president@autre.example", first_name="Léa", last_name="Roux")
    MembershipFactory(person=user.person, network=other_club, role=Role.PRESIDENT)
    return user


def csv_bytes(
    rows: Sequence[Sequence[str]] = ROWS,
    headers: Sequence[str] = HEADERS,
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    lines = [delimiter.join(headers), *(delimiter.join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[str]] = ROWS, headers: Sequence[str] = HEADERS) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append([c or None for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def ods_bytes(rows: Sequence[Sequence[str]] = ROWS, headers: Sequence[str] = HEADERS) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Membres")
    for row in (headers, *rows):
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
