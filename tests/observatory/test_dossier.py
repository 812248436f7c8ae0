"""The yearly dossier: a PDF that opens, with the networks named, and its XLSX workbook."""

from __future__ import annotations

import io
import re
import zlib
from datetime import date, datetime

import openpyxl
import pytest

from meute.observatory.dossier import dossier_pdf, dossier_tables, dossier_xlsx, networks_table
from meute.observatory.figures import Figures, Membership, Network, Person, compute_figures
from meute.observatory.suppression import suppress_figures

D = date(2025, 12, 31)
NAMES = {
    "a": "Club Entreprendre Touraine",
    "b": "Réseau Entreprendre 37",
    "c": "Cluster Vitalis",
    "z": "Zéro membre",
}


@pytest.fixture(scope="module")
def figures() -> Figures:
    ms = [Membership(f"p{i}", "a", date(2023, 3, 1), None) for i in range(30)]
    ms += [Membership(f"p{i}", "b", date(2024, 6, 1), None) for i in range(27, 60)]  # p27–p29 in both: 3
    ms += [Membership(f"p{i}", "c", None, date(2025, 7, 1) if i % 2 else None) for i in range(60, 80)]
    persons = {
        f"p{i}": Person(f"p{i}", f"b{i // 2}", "62.01Z" if i < 40 else "47.11F", "37261", None)
        for i in range(80)
    }
    kinds = {"a": "club", "b": "association", "c": "cluster", "z": "community"}
    networks = {n: Network(n, name, kinds[n]) for n, name in NAMES.items()}
    return compute_figures(ms, persons, networks, D, since=date(2023, 1, 1), commune_names={"37261": "Tours"})


@pytest.fixture(scope="module")
def pdf(figures: Figures) -> bytes:
    return dossier_pdf(figures, organisation="CCI Touraine")


def _literal(data: bytes, i: int) -> tuple[bytes, int]:
    """The PDF literal string starting after the "(" at ``i``, and the index after its ")"."""
    out = bytearray()
    depth = 1
    escapes = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}
    while True:
        c = data[i]
        if c == ord("\\"):
            nxt = data[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
            elif chr(nxt).isdigit():
                digits = re.match(rb"[0-7]{1,3}", data[i + 1 : i + 4])
                assert digits is not None
                out.append(int(digits.group(), 8))
                i += 1 + len(digits.group())
            else:
                out.append(nxt)
                i += 2
            continue
        if c == ord("("):
            depth += 1
        elif c == ord(")"):
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1


def _pdf_text(data: bytes) -> str:
    """The text drawn on the pages, decoded through each font's ToUnicode map (a small reader)."""
    objects = {int(n): body for n, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.S)}

    def stream(body: bytes) -> bytes:
        match = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
        assert match is not None
        raw = match.group(1)
        return zlib.decompress(raw) if b"FlateDecode" in body else raw

    cmaps: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        for font_dict in re.findall(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, ref in re.findall(rb"/(F\d+)\s+(\d+) 0 R", font_dict):
                to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects[int(ref)])
                assert to_unicode is not None
                cmap_text = stream(objects[int(to_unicode.group(1))])
                cmap: dict[int, str] = {}
                for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap_text, re.S):
                    for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                        cmap[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
                for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap_text, re.S):
                    for lo, hi, dst in re.findall(
                        rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
                    ):
                        for k in range(int(lo, 16), int(hi, 16) + 1):
                            cmap[k] = chr(int(dst, 16) + k - int(lo, 16))
                cmaps[name] = cmap
    text: list[str] = []
    for body in objects.values():
        if b"stream" not in body or b"/Length" not in body:
            continue
        content = stream(body)
        if b" Tf" not in content:
            continue
        font = b""
        i = 0
        while i < len(content):
            if content[i] == ord("/"):
                match = re.match(rb"/(F\d+)\s+[\d.]+\s+Tf", content[i:])
                if match:
                    font = match.group(1)
                    i += match.end()
                    continue
            if content[i] == ord("("):
                raw, i = _literal(content, i + 1)
                text.append(
                    "".join(
                        cmaps[font].get(int.from_bytes(raw[k : k + 2]), "?") for k in range(0, len(raw), 2)
                    )
                )
                continue
            if content[i : i + 2] == b"ET":
                text.append("\n")
            i += 1
    return "".join(text)


def test_the_dossier_is_a_pdf_that_names_every_network(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    text = _pdf_text(pdf)
    for name in NAMES.values():
        assert name in text, name
    assert "Dossier au 31 décembre 2025" in text
    assert "CCI Touraine" in text
    assert "Note de méthode" in text
    assert "Secret statistique" in text


def test_a_published_dossier_carries_suppressed_figures_only(figures: Figures, pdf: bytes) -> None:
    text = _pdf_text(pdf)
    assert "Chiffres publiés sous secret statistique" in text
    # Three people are in both a and b: a count under five, never printed as such.
    published = suppress_figures(figures)
    assert published.pairs.counts[0][1] is None
    internal = _pdf_text(dossier_pdf(figures, published=False))
    assert "Document interne" in internal
    assert "Chiffres publiés" not in internal
    assert _pair_cell(text) == "s"
    assert _pair_cell(internal) == "3"


def _pair_cell(text: str) -> str:
    """The cell after "Club Entreprendre Touraine"'s row name in the network × network table."""
    cells = [c for c in text.split("\n") if c.strip()]
    start = cells.index("Personnes membres de deux réseaux au 31 décembre 2025")
    row = cells.index("2. Club Entreprendre Touraine", start)  # rows numbered, columns by number
    assert cells[row + 2] == "30"  # its own size, on the diagonal
    return cells[row + 1]  # the column of Réseau Entreprendre 37, the largest network


def test_already_suppressed_figures_make_the_same_dossier(figures: Figures, pdf: bytes) -> None:
    assert dossier_pdf(suppress_figures(figures), organisation="CCI Touraine") == pdf


def test_the_same_figures_give_the_same_bytes(figures: Figures, pdf: bytes) -> None:
    assert dossier_pdf(figures, organisation="CCI Touraine") == pdf
    other = dossier_pdf(figures, organisation="CCI Touraine", created=datetime(2026, 1, 15))
    assert other != pdf and other.startswith(b"%PDF-")


def test_the_networks_table_lists_every_network_with_its_kind_and_members(figures: Figures) -> None:
    t = networks_table(figures)
    assert [r[0] for r in t.rows] == sorted(NAMES.values(), key=str.casefold)
    rows = {r[0]: r for r in t.rows}
    assert rows["Club Entreprendre Touraine"] == ("Club Entreprendre Touraine", "Club", 30)
    assert rows["Zéro membre"] == ("Zéro membre", "Communauté", 0)


def test_the_workbook_holds_the_same_tables_suppressed(figures: Figures) -> None:
    tables = dossier_tables(figures)
    book = openpyxl.load_workbook(io.BytesIO(dossier_xlsx(figures)))
    assert len(book.sheetnames) == len(tables)
    assert book.sheetnames[0] == "Chiffres clés"
    assert book.sheetnames[-1] == "Liste des réseaux"
    pairs = book[book.sheetnames[[t.key for t in tables].index("pairs")]]
    assert pairs["C4"].value == "s"  # a × b: three people
    networks = book["Liste des réseaux"]
    assert [networks.cell(row=r, column=1).value for r in range(4, 8)] == sorted(
        NAMES.values(), key=str.casefold
    )
    internal = openpyxl.load_workbook(io.BytesIO(dossier_xlsx(figures, published=False)))
    assert internal[internal.sheetnames[[t.key for t in tables].index("pairs")]]["C4"].value == 3


def test_each_chart_image_carries_its_description_as_alternative_text(pdf: bytes) -> None:
    alts = []
    for match in re.finditer(rb"/Alt ([<(])", pdf):
        if match.group(1) == b"<":  # UTF-16 in hexadecimal
            end = pdf.index(b">", match.end())
            alts.append(bytes.fromhex(pdf[match.end() : end].decode()).decode("utf-16"))
        else:  # a literal string, in PDFDocEncoding (Latin-1 for these characters)
            alts.append(_literal(pdf, match.end())[0].decode("latin-1"))
    assert len(alts) == 9
    assert any(a.startswith("Diagramme UpSet") and "Club Entreprendre Touraine" in a for a in alts)
    assert any(a.startswith("Diagramme en barres. 1 réseau") for a in alts)
