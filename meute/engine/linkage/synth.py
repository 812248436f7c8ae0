"""Synthetic member lists with the habits of real ones, and their truth kept aside.

:func:`generate` draws people (French names with their real frequency at the
top, compound first names, homonyms), firms (legal form, SIRET, switchboard,
e-mail domain, commune), then networks whose lists each have their own layout
and habits: "NOM Prénom" in one column or two, upper-case names, accents
dropped, "JP" for Jean-Pierre, typos, personal or work e-mail, mobile or the
firm's switchboard, missing cells, legal forms before the firm's name, title
lines above the header, cp1252 or UTF-8 with BOM, ``;`` or ``,``.
Deterministic for a seed; no I/O (``to_csv_bytes``/``to_xlsx_bytes`` return bytes).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from faker.providers.person.fr_FR import Provider as _FrenchNames

from meute.engine.spreadsheet import csv_writer  # formulas neutralised in every CSV we write

__all__ = ["MemberList", "generate", "to_csv_bytes", "to_xlsx_bytes", "truth_pairs"]

_COMMUNES = (
    ("Tours", "37000"), ("Joué-lès-Tours", "37300"), ("Saint-Cyr-sur-Loire", "37540"),
    ("Saint-Pierre-des-Corps", "37700"), ("Chambray-lès-Tours", "37170"), ("Amboise", "37400"),
    ("Saint-Avertin", "37550"), ("Fondettes", "37230"), ("Montlouis-sur-Loire", "37270"),
    ("La Riche", "37520"), ("Chinon", "37500"), ("Loches", "37600"), ("Ballan-Miré", "37510"),
    ("Veigné", "37250"), ("Bléré", "37150"), ("Château-Renault", "37110"), ("Azay-le-Rideau", "37190"),
    ("Vouvray", "37210"), ("Monts", "37260"), ("Langeais", "37130"),
)  # fmt: skip
_ACTIVITIES = (
    "Conseil", "Boulangerie", "Transports", "Menuiserie", "Plomberie", "Informatique", "Immobilier",
    "Garage", "Électricité", "Imprimerie", "Traiteur", "Architecture", "Paysages", "Expertise",
    "Optique", "Pharmacie", "Couverture", "Métallerie", "Communication", "Nettoyage",
)  # fmt: skip
_FORMS = ("SARL", "SAS", "EURL", "SASU", "SA", "SCI")
_NAF = ("1071C", "4941A", "1623Z", "4322A", "6201Z", "6831Z", "4520A", "4321A", "1813Z", "5621Z")
_WEBMAIL = ("gmail.com", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "hotmail.fr", "sfr.fr")
_SYL1 = [
    "Beau",
    "Chau",
    "Ver",
    "Mar",
    "Gu",
    "Ro",
    "Bo",
    "Fon",
    "Lan",
    "Mor",
    "Cou",
    "Tes",
    "Pi",
    "Rou",
    "Bri",
    "Da",
    "Gre",
    "Ba",
    "Char",
    "Vi",
    "Pou",
    "Sau",
    "Fé",
    "Lé",
]
_SYL2 = ["", "an", "el", "ou", "ir", "ar"]
_SYL3 = [
    "det",
    "vin",
    "nier",
    "teau",
    "chon",
    "zet",
    "lard",
    "gnon",
    "mard",
    "reau",
    "ssier",
    "billon",
    "quet",
    "lin",
    "geot",
    "vault",
]
_SYL4 = ["", "e", "eau", "in", "ot", "ard"]
_PLAIN = str.maketrans("éèêëàâäîïôöùûüçÉÈÊËÀÂÎÏÔÖÙÛÜÇ", "eeeeaaaiioouuucEEEEAAIIOOUUUC")

# Layouts met in real lists; every one carries a name, the firm, and an e-mail or a phone.
_LAYOUTS = (
    ("NOM Prénom", "Entreprise", "Mail", "Portable"),
    ("Nom", "Prénom", "Raison sociale", "SIRET", "Email", "Téléphone", "Commune", "Code postal"),
    ("Prénom", "Nom", "Société", "Courriel", "Tel", "Adresse", "Ville", "Fonction", "Date d'adhésion"),
    ("Nom", "Prénom", "Entreprise", "Téléphone", "Date de naissance", "Code NAF"),
    ("Nom Prénom", "Société", "SIREN", "E-mail", "Commune"),
    ("Nom", "Prénom", "Entreprise", "Email", "Portable", "Code postal", "Commune", "Code APE"),
)


@dataclass(frozen=True)
class MemberList:
    """One network's list: ``rows[i]`` belongs to person ``persons[i]`` (the truth, kept aside)."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    persons: tuple[int, ...]
    title_lines: tuple[str, ...]
    encoding: str
    delimiter: str


@dataclass(frozen=True)
class _Firm:
    name: str
    form: str
    siret: str
    switchboard: str
    domain: str
    commune: tuple[str, str]
    naf: str


@dataclass(frozen=True)
class _Person:
    surname: str
    first: str
    birth: str
    mobile: str
    personal_email: str
    work_email: str
    firm: _Firm
    role: str


def _luhn_fix(digits: str) -> str:
    """Append the Luhn digit that makes ``digits`` a valid SIREN/SIRET."""
    for last in "0123456789":
        s = digits + last
        total = sum(int(d) if i % 2 == 0 else sum(divmod(2 * int(d), 10)) for i, d in enumerate(reversed(s)))
        if total % 10 == 0:
            return s
    raise AssertionError


def _slug(text: str) -> str:
    return "".join(ch for ch in text.translate(_PLAIN).lower() if ch.isalnum() or ch in "-. ").replace(
        " ", "-"
    )


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1 :]
    if kind < 0.7:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice("aeioulnrst") + word[i + 1 :]


def _people(rng: random.Random, n_people: int) -> list[_Person]:
    top = list(_FrenchNames.last_names)
    top_w = [1 / (r + 1) ** 0.6 for r in range(len(top))]
    # ~14,000 made-up surnames: homonyms stay as rare at 45,000 people as in a real département.
    rare = sorted({a + b + c + d for a in _SYL1 for b in _SYL2 for c in _SYL3 for d in _SYL4})
    firsts = list(_FrenchNames.first_names_male) + list(_FrenchNames.first_names_female)
    first_w = [1 / (r % 60 + 1) ** 0.5 for r in range(len(firsts))]
    n_firms = max(3, n_people // 3)
    firms: list[_Firm] = []
    seen_firms: set[str] = set()
    for f in range(n_firms):
        while True:
            owner = rng.choice(rare if rng.random() < 0.5 else top)
            name = (
                f"{rng.choice(_ACTIVITIES)} {owner}"
                if rng.random() < 0.7
                else f"{owner} {rng.choice(_ACTIVITIES)}"
            )
            if name not in seen_firms:
                break
            name = f"{name} {rng.choice(_COMMUNES)[0]}"
            if name not in seen_firms:
                break
        seen_firms.add(name)
        siren = _luhn_fix(f"{rng.randrange(10**7, 10**8)}")
        siret = _luhn_fix(siren + f"{rng.randrange(1, 9999):04d}")
        commune = rng.choice(_COMMUNES)
        switchboard = f"02 47 {rng.randrange(100):02d} {rng.randrange(100):02d} {f % 100:02d}"
        firms.append(
            _Firm(
                name, rng.choice(_FORMS), siret, switchboard, _slug(name) + ".fr", commune, rng.choice(_NAF)
            )
        )
    # Firms of very different sizes: a few have many members (shared switchboard, common domain).
    firm_w = [1 / (i + 1) ** 0.5 for i in range(n_firms)]
    people: list[_Person] = []
    used_mobiles: set[str] = set()
    used_emails: set[str] = set()
    for _ in range(n_people):
        if people and rng.random() < 0.02:
            twin = rng.choice(people)  # a homonym: same name, another person
            surname, first = twin.surname, twin.first
        else:
            surname = rng.choices(top, top_w)[0] if rng.random() < 0.2 else rng.choice(rare)
            first = rng.choices(firsts, first_w)[0]
            if rng.random() < 0.1:
                first = f"{first}-{rng.choices(firsts, first_w)[0]}"
        firm = firms[rng.choices(range(n_firms), firm_w)[0]]
        mobile = ""
        if rng.random() < 0.85:
            while not mobile or mobile in used_mobiles:
                prefix = rng.choice(("06", "06", "07"))
                second = rng.randrange(10, 38) if prefix == "06" else rng.randrange(50, 89)
                mobile = f"{prefix} {second:02d} {rng.randrange(100):02d} {rng.randrange(100):02d} {rng.randrange(100):02d}"
            used_mobiles.add(mobile)
        f_slug, s_slug = _slug(first), _slug(surname)
        local = rng.choice(
            [f"{f_slug}.{s_slug}", f"{f_slug[0]}.{s_slug}", f"{s_slug}.{f_slug}", f"{f_slug}{s_slug}"]
        )
        personal = f"{local}@{rng.choice(_WEBMAIL)}"
        while personal in used_emails:
            personal = f"{local}{rng.randrange(10, 99)}@{rng.choice(_WEBMAIL)}"
        used_emails.add(personal)
        work = f"{f_slug[0]}.{s_slug}@{firm.domain}"
        while work in used_emails:
            work = f"{f_slug}.{s_slug}{rng.randrange(2, 9)}@{firm.domain}"
        used_emails.add(work)
        birth = f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1950, 2000)}"
        role = rng.choice(
            ("Gérant", "Gérante", "Directeur", "Directrice", "Responsable commercial", "Associé")
        )
        people.append(_Person(surname, first, birth, mobile, personal, work, firm, role))
    return people


def _cell(rng: random.Random, person: _Person, header: str, habits: dict[str, float], mode: str) -> str:
    surname, first = person.surname, person.first
    if rng.random() < habits["typo"]:
        surname = _typo(rng, surname)
    elif rng.random() < habits["typo"]:
        first = _typo(rng, first)
    if rng.random() < habits["initials"] and "-" in first:
        first = "".join(w[0] for w in first.split("-")).upper()
    if habits["plain"] > 0.5:
        surname, first = surname.translate(_PLAIN), first.translate(_PLAIN)
    if habits["upper"] > 0.5:
        surname = surname.upper()
    if rng.random() < habits["hyphen_space"]:
        first = first.replace("-", " ")
    firm = person.firm
    h = header.lower()
    missing = rng.random() < habits["missing"]
    if h == "nom prénom":
        return f"{surname.upper()} {first}" if mode == "nom_prenom" else f"{first} {surname.upper()}"
    if h == "nom":
        return surname
    if h == "prénom":
        return first
    if h in ("entreprise", "raison sociale", "société"):
        if missing and rng.random() < 0.5:
            return ""
        return f"{firm.form} {firm.name}" if rng.random() < habits["form"] else firm.name
    if h == "siret":
        return "" if missing else firm.siret
    if h == "siren":
        return "" if missing else f"{firm.siret[:3]} {firm.siret[3:6]} {firm.siret[6:9]}"
    if h in ("mail", "email", "e-mail", "courriel"):
        if missing:
            return ""
        return person.work_email if rng.random() < habits["work_email"] else person.personal_email
    if h in ("portable", "téléphone", "tel"):
        if missing:
            return ""
        if person.mobile and rng.random() > habits["switchboard"]:
            return person.mobile.replace(" ", "" if habits["plain"] > 0.5 else " ")
        return firm.switchboard
    if h in ("commune", "ville"):
        return "" if missing else (firm.commune[0].upper() if habits["upper"] > 0.5 else firm.commune[0])
    if h == "code postal":
        return "" if missing else firm.commune[1]
    if h == "adresse":
        return "" if missing else f"{rng.randrange(1, 120)} rue {rng.choice(_FrenchNames.last_names)}"
    if h == "fonction":
        return person.role
    if h == "date d'adhésion":
        return f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(2005, 2026)}"
    if h == "date de naissance":
        return "" if missing else person.birth
    if h in ("code naf", "code ape"):
        return firm.naf
    raise AssertionError(header)


def generate(
    seed: int,
    *,
    n_people: int = 1400,
    n_networks: int = 12,
    name_prefix: str = "reseau",
    memberships: tuple[int, int, int, int] = (55, 25, 13, 7),
) -> list[MemberList]:
    """Member lists of ``n_networks`` networks whose members are drawn from ``n_people`` people.

    Each person belongs to 1–4 networks (``memberships`` in %, 55/25/13/7 by
    default; 40/30/18/12 gives ~2 rows a person); network sizes vary (a few
    big ones). About 1.8 records per person overall: 1,400 people give ~2,500 rows.
    Deterministic for ``seed``. O(records).
    """
    rng = random.Random(seed)
    people = _people(rng, n_people)
    net_w = [1 / (i + 1) ** 0.7 for i in range(n_networks)]
    members: list[list[int]] = [[] for _ in range(n_networks)]
    for p in range(n_people):
        k = rng.choices((1, 2, 3, 4), memberships)[0]
        chosen: set[int] = set()
        while len(chosen) < min(k, n_networks):
            chosen.add(rng.choices(range(n_networks), net_w)[0])
        for n in chosen:
            members[n].append(p)
    lists: list[MemberList] = []
    for n in range(n_networks):
        headers = _LAYOUTS[rng.randrange(len(_LAYOUTS))]
        habits = {
            "typo": rng.choice((0.0, 0.01, 0.03)),
            "initials": rng.choice((0.0, 0.0, 0.5)),
            "plain": rng.random(),
            "upper": rng.random(),
            "hyphen_space": rng.choice((0.0, 0.5, 1.0)),
            "missing": rng.choice((0.02, 0.1, 0.2)),
            "form": rng.choice((0.0, 0.3, 0.9)),
            "work_email": rng.choice((0.2, 0.5, 0.9)),
            "switchboard": rng.choice((0.0, 0.2, 0.5)),
        }
        mode = rng.choice(("nom_prenom", "prenom_nom"))
        order = members[n][:]
        rng.shuffle(order)
        rows = tuple(tuple(_cell(rng, people[p], h, habits, mode) for h in headers) for p in order)
        titles = rng.choice(
            ((), (f"Adhérents {name_prefix} {n + 1}",), (f"Liste des membres — réseau {n + 1}", ""))
        )
        lists.append(
            MemberList(
                name=f"{name_prefix}-{n + 1:03d}",
                headers=headers,
                rows=rows,
                persons=tuple(order),
                title_lines=titles,
                encoding=rng.choice(("utf-8", "utf-8-sig", "cp1252")),
                delimiter=rng.choice((";", ",", ";")),
            )
        )
    return lists


def to_csv_bytes(member_list: MemberList) -> bytes:
    """The list as the CSV a network would send: its title lines, header, rows, encoding, delimiter."""
    out = io.StringIO(newline="")
    writer = csv_writer(out, delimiter=member_list.delimiter, lineterminator="\r\n")
    for line in member_list.title_lines:
        writer.writerow([line] if line else [])
    writer.writerow(member_list.headers)
    writer.writerows(member_list.rows)
    return out.getvalue().encode(member_list.encoding, errors="replace")


def to_xlsx_bytes(member_list: MemberList) -> bytes:
    """The list as an XLSX workbook (one sheet), title lines above the header."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in member_list.title_lines:
        sheet.append([line or None])
    sheet.append(list(member_list.headers))
    for row in member_list.rows:
        sheet.append([cell or None for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def truth_pairs(persons: list[int]) -> set[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of record indices that share a person. O(records + pairs)."""
    by_person: dict[int, list[int]] = {}
    for i, p in enumerate(persons):
        by_person.setdefault(p, []).append(i)
    return {(a, b) for idx in by_person.values() for k, a in enumerate(idx) for b in idx[k + 1 :]}
