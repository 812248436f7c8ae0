"""Column mapping of French member lists and the normalisation of their cells.

:func:`guess_mapping` proposes which column holds which field; :func:`records_from_table`
turns a table into :class:`Record` rows ready for linkage, with a list of
:class:`Problem` (file, row, column, what is wrong) for cells it had to blank:
a SIRET/SIREN failing its checksum, a phone number that is not one, a date that
is not a date, an e-mail without ``@``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import phonenumbers
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from meute.engine.errors import EngineInputError
from meute.engine.text import fold

if TYPE_CHECKING:
    from meute.engine.linkage.table import Table

__all__ = [
    "FIELDS",
    "Problem",
    "Record",
    "column_letter",
    "fold_words",
    "guess_mapping",
    "normalise_company",
    "normalise_email",
    "normalise_phone",
    "parse_date",
    "records_from_table",
    "split_full_name",
]

FIELDS = (
    "full_name",
    "surname",
    "first_name",
    "company",
    "siret",
    "email",
    "mobile",
    "phone",
    "address",
    "postcode",
    "commune",
    "birth_date",
    "naf",
    "role",
    "joined",
)

# (field, words that must all appear in the folded header, words that must not), first match wins.
_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("email", ("mail",), ()),
    ("email", ("courriel",), ()),
    ("email", ("adresse", "electronique"), ()),
    ("siret", ("siret",), ()),
    ("siret", ("siren",), ()),
    ("naf", ("naf",), ()),
    ("naf", ("ape",), ()),
    ("birth_date", ("naissance",), ()),
    ("joined", ("adhesion",), ()),
    ("joined", ("membre", "depuis"), ()),
    ("joined", ("date", "entree"), ()),
    ("postcode", ("code", "postal"), ()),
    ("postcode", ("cp",), ()),
    ("commune", ("commune",), ()),
    ("commune", ("ville",), ()),
    ("commune", ("localite",), ()),
    ("company", ("raison", "sociale"), ()),
    ("company", ("societe",), ()),
    ("company", ("entreprise",), ()),
    ("company", ("structure",), ()),
    ("company", ("organisme",), ()),
    ("company", ("etablissement",), ()),
    ("full_name", ("nom", "prenom"), ()),
    ("full_name", ("prenom", "nom"), ()),
    ("full_name", ("nom", "complet"), ()),
    ("first_name", ("prenom",), ()),
    ("surname", ("nom",), ()),
    ("mobile", ("portable",), ()),
    ("mobile", ("mobile",), ()),
    ("mobile", ("gsm",), ()),
    ("phone", ("telephone",), ()),
    ("phone", ("tel",), ()),
    ("phone", ("tel.",), ()),
    ("phone", ("fixe",), ()),
    ("phone", ("standard",), ()),
    ("address", ("adresse",), ()),
    ("address", ("rue",), ()),
    ("role", ("fonction",), ()),
    ("role", ("poste",), ()),
    ("role", ("qualite",), ()),
)

_LEGAL_FORMS = frozenset(
    [
        "sarl",
        "sas",
        "sasu",
        "eurl",
        "sa",
        "sci",
        "snc",
        "scop",
        "scp",
        "selarl",
        "selas",
        "sca",
        "ei",
        "eirl",
        "sem",
        "ets",
        "etablissements",
        "cie",
        "societe",
        "ste",
    ]
)
# Addresses at these domains are personal; any other domain is taken for the firm's.
WEBMAIL = frozenset(
    [
        "gmail.com",
        "orange.fr",
        "free.fr",
        "wanadoo.fr",
        "laposte.net",
        "hotmail.fr",
        "hotmail.com",
        "sfr.fr",
        "yahoo.fr",
        "yahoo.com",
        "outlook.fr",
        "outlook.com",
        "live.fr",
        "icloud.com",
        "bbox.fr",
        "aol.com",
        "neuf.fr",
        "club-internet.fr",
        "numericable.fr",
        "protonmail.com",
        "proton.me",
        "gmx.fr",
        "msn.com",
    ]
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
_DATE_FR = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")


@dataclass(frozen=True)
class Problem:
    """A cell the normalisation had to blank: ``row`` is the spreadsheet row (header = 1)."""

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}, column {self.column}: {self.message}"


@dataclass(frozen=True)
class Record:
    """One row of a member list, normalised; empty strings where the list says nothing.

    Names and companies are folded (lower case, no accents, single spaces);
    ``first_initials`` holds the initials of the first name ("jp" for Jean-Pierre
    or JP); ``phone`` is E.164 with ``phone_kind`` "mobile" or "landline";
    ``siren`` the 9 digits (from a SIRET too); dates ``YYYY-MM-DD``;
    ``work_domain`` the e-mail's domain unless it is a webmail (:data:`WEBMAIL`).
    """

    file: str
    row: int
    surname: str = ""
    first_name: str = ""
    first_initials: str = ""
    company: str = ""
    siren: str = ""
    email: str = ""
    email_local: str = ""
    work_domain: str = ""
    phone: str = ""
    phone_kind: str = ""
    postcode: str = ""
    commune: str = ""
    birth_date: str = ""
    naf: str = ""


@functools.lru_cache(maxsize=1 << 16)  # names, firms and communes repeat across rows
def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column: 0 -> A, 26 -> AA.

    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def fold_words(text: str) -> str:
    """The words of ``text`` folded (:func:`meute.engine.text.fold`), punctuation as spaces, single spaces.

    >>> fold_words("  Éléonore-Marie  D'ARC ")
    'eleonore marie d arc'
    """
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def guess_mapping(headers: Sequence[str]) -> dict[str, int]:
    """Propose ``{field: column index}`` for the headers of a French member list.

    Each field gets the first column that names it; unknown columns are left out.
    O(columns × rules).

    >>> guess_mapping(["NOM Prénom", "Raison sociale", "Courriel", "Tél. portable"])
    {'full_name': 0, 'company': 1, 'email': 2, 'mobile': 3}
    """
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        words = set(fold_words(header).split())
        if not words:
            continue
        for field, needed, _ in _RULES:
            if all(w in words or (w == "mail" and any("mail" in x for x in words)) for w in needed):
                if field not in mapping:
                    mapping[field] = index
                break
    return mapping


def split_full_name(cell: str) -> tuple[str, str]:
    """Split "NOM Prénom" (or "Prénom NOM") into folded ``(surname, first_name)``.

    Upper-case words are the surname; when the case says nothing, the first word is.

    >>> split_full_name("DUPONT Jean-Pierre"), split_full_name("Marie LE GOFF"), split_full_name("martin paul")
    (('dupont', 'jean pierre'), ('le goff', 'marie'), ('martin', 'paul'))
    """
    words = cell.replace(",", " ").split()
    if not words:
        return "", ""
    upper = [len(w) > 1 and w.isupper() for w in words]
    if any(upper) and not all(upper):
        if upper[0]:
            k = upper.index(False)
            return fold_words(" ".join(words[:k])), fold_words(" ".join(words[k:]))
        k = upper.index(True)
        return fold_words(" ".join(words[k:])), fold_words(" ".join(words[:k]))
    if all(upper) and len(words) > 1:
        # "DUPONT JP" / "JP DUPONT": a word of two letters at either end is the initials.
        if len(words[-1]) <= 2 < len(words[-2]):
            return fold_words(" ".join(words[:-1])), fold_words(words[-1])
        if len(words[0]) <= 2 < len(words[1]):
            return fold_words(" ".join(words[1:])), fold_words(words[0])
    return fold_words(words[0]), fold_words(" ".join(words[1:]))


def initials(first_name: str) -> str:
    """Initials of a folded first name: 'jean pierre' -> 'jp', and 'jp' stays 'jp'."""
    words = first_name.split()
    if len(words) == 1 and len(words[0]) <= 2:
        return words[0]
    return "".join(w[0] for w in words)


def normalise_company(cell: str) -> str:
    """Folded company name without legal forms.

    >>> normalise_company("SARL Boulangerie DUPONT & Fils")
    'boulangerie dupont fils'
    """
    return " ".join(w for w in fold_words(cell).split() if w not in _LEGAL_FORMS)


def normalise_email(cell: str) -> str:
    """Lower-cased address, or '' when it is not one."""
    email = cell.strip().lower().removeprefix("mailto:")
    return email if _EMAIL.match(email) else ""


@functools.lru_cache(maxsize=1 << 16)  # switchboards repeat across rows
def normalise_phone(cell: str) -> tuple[str, str]:
    """``(E.164, 'mobile' | 'landline')`` of a French (or international) number, or ``('', '')``.

    >>> normalise_phone("06 12 34 56 78"), normalise_phone("+33 (0)2 47 00 00 00")
    (('+33612345678', 'mobile'), ('+33247000000', 'landline'))
    """
    text = cell.strip()
    if not text:
        return "", ""
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return "", ""
    if not phonenumbers.is_valid_number(number):
        return "", ""
    kind = phonenumbers.number_type(number)
    mobile = kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), (
        "mobile" if mobile else "landline"
    )


def _date(cell: str) -> str | None:
    import datetime as dt

    m = _DATE_ISO.match(cell)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DATE_FR.match(cell)
        if not m:
            return None
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        if y < 100:
            y += 1900 if y > 30 else 2000
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def parse_date(cell: str) -> str | None:
    """``YYYY-MM-DD`` of a date written DD/MM/YYYY (or DD/MM/YY, DD.MM.YYYY) or ISO, else None.

    >>> parse_date("14/07/2021"), parse_date("2021-07-14"), parse_date("31/02/2021")
    ('2021-07-14', '2021-07-14', None)
    """
    return _date(cell.strip())


def records_from_table(
    table: Table, mapping: Mapping[str, int] | None = None
) -> tuple[list[Record], list[Problem]]:
    """Normalise every row of ``table`` into a :class:`Record`, with the problems met.

    ``mapping`` defaults to :func:`guess_mapping` of the headers. Raises
    EngineInputError when no column holds a name. O(rows × columns).
    """
    mapping = dict(guess_mapping(table.headers) if mapping is None else mapping)
    if "full_name" not in mapping and "surname" not in mapping:
        raise EngineInputError(
            f"{table.name}: row {table.header_row}: no name column (Nom, Prénom or 'NOM Prénom')"
            f" among {', '.join(table.headers)}"
        )

    def where(field: str) -> str:
        c = mapping[field]
        return f"{column_letter(c)} ({table.headers[c]})"

    records: list[Record] = []
    problems: list[Problem] = []
    for row_number, row in zip(table.row_numbers, table.rows, strict=True):

        def cell(field: str, row: tuple[str, ...] = row) -> str:
            return row[mapping[field]].strip() if field in mapping else ""

        def problem(field: str, message: str, row_number: int = row_number) -> None:
            problems.append(Problem(table.name, row_number, where(field), message))

        if "surname" in mapping:
            surname, first = fold_words(cell("surname")), fold_words(cell("first_name"))
            if not first and "full_name" in mapping:
                surname, first = split_full_name(cell("full_name"))
        else:
            surname, first = split_full_name(cell("full_name"))
            if cell("first_name"):
                first = fold_words(cell("first_name"))
        if not surname and not first:
            problem("full_name" if "full_name" in mapping else "surname", "no name: row skipped")
            continue
        siren = ""
        raw = re.sub(r"\D", "", cell("siret"))
        if raw:
            if len(raw) == 14 and stdnum_siret.is_valid(raw):
                siren = raw[:9]
            elif len(raw) == 9 and stdnum_siren.is_valid(raw):
                siren = raw
            else:
                problem("siret", f"{cell('siret')!r} is neither a valid SIRET nor a valid SIREN (checksum)")
        email = normalise_email(cell("email"))
        if cell("email") and not email:
            problem("email", f"{cell('email')!r} is not an e-mail address")
        phone, kind = "", ""
        for field in ("mobile", "phone"):
            if cell(field):
                p, k = normalise_phone(cell(field))
                if not p:
                    problem(field, f"{cell(field)!r} is not a phone number")
                elif not phone or (k == "mobile" and kind != "mobile"):
                    phone, kind = p, k
        birth = ""
        if cell("birth_date"):
            birth = _date(cell("birth_date")) or ""
            if not birth:
                problem("birth_date", f"{cell('birth_date')!r} is not a date (DD/MM/YYYY)")
        if cell("joined") and not _date(cell("joined")):
            problem("joined", f"{cell('joined')!r} is not a date (DD/MM/YYYY)")
        postcode = re.sub(r"\D", "", cell("postcode"))
        if postcode and len(postcode) != 5:
            problem("postcode", f"{cell('postcode')!r} is not a 5-digit postcode")
            postcode = ""
        records.append(
            Record(
                file=table.name,
                row=row_number,
                surname=surname,
                first_name=first,
                first_initials=initials(first),
                company=normalise_company(cell("company")),
                siren=siren,
                email=email,
                email_local=email.split("@")[0],
                work_domain="" if not email or email.split("@")[1] in WEBMAIL else email.split("@")[1],
                phone=phone,
                phone_kind=kind,
                postcode=postcode,
                commune=fold_words(cell("commune")),
                birth_date=birth,
                naf=fold_words(cell("naf")).replace(" ", "").upper(),
            )
        )
    return records, problems
