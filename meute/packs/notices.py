"""Reading a tender from a notice file, JSON or CSV, in the shape of French public procurement notices.

JSON (the fields of a BOAMP notice that matter here; see fixtures/avis_exemple.json)::

    {"reference": "26-123456", "objet": "…", "acheteur": {"nom": "…"},
     "lieuExecution": {"codeInsee": "37261"}, "dateLimiteReponse": "2027-03-15T12:00:00+01:00",
     "lots": [{"numero": "1", "intitule": "…", "cpv": "45261000", "montantEstime": 120000,
               "metier": "charpente", "qualification": "RGE"}]}

CSV (`;` or `,`, one lot a line, the tender's columns repeated; fixtures/avis_exemple.csv)::

    reference;objet;acheteur;code_insee;date_limite;lot;intitule;metier;cpv;montant_estime;qualification

`metier` may be left out when the CPV code says the trade. Amounts are in euros
and stored in k€. Every problem is reported with its line (CSV) or lot (JSON)
and field; nothing is imported while one remains.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import get_current_timezone, is_naive, make_aware
from django.utils.translation import gettext as _

from meute.packs.trades import CertKind, Trade
from meute.reference.models import Commune

MAX_BYTES = 1_000_000
MAX_LOTS = 40

#: CPV division prefixes of building works, longest first, and the trade they say.
CPV_TRADES = [
    ("45261", Trade.COUVERTURE),
    ("45262", Trade.GROS_OEUVRE),
    ("45223", Trade.GROS_OEUVRE),
    ("45331", Trade.CHAUFFAGE),
    ("45332", Trade.PLOMBERIE),
    ("45330", Trade.PLOMBERIE),
    ("45310", Trade.ELECTRICITE),
    ("45311", Trade.ELECTRICITE),
    ("45320", Trade.ISOLATION),
    ("45321", Trade.ISOLATION),
    ("45410", Trade.PLATRERIE),
    ("45421", Trade.MENUISERIE),
    ("45422", Trade.CHARPENTE),
    ("45430", Trade.CARRELAGE),
    ("45431", Trade.CARRELAGE),
    ("45440", Trade.PEINTURE),
    ("45442", Trade.PEINTURE),
    ("45233", Trade.VRD),
    ("45232", Trade.VRD),
]

CSV_COLUMNS = [
    "reference",
    "objet",
    "acheteur",
    "code_insee",
    "date_limite",
    "lot",
    "intitule",
    "metier",
    "cpv",
    "montant_estime",
    "qualification",
]


class NoticeError(ValueError):
    """The notice cannot be imported; `problems` lists every one, each naming its place and field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class NoticeLot:
    code: str
    title: str
    trade: str
    amount_keur: int
    cert: str
    cpv: str


@dataclass
class Notice:
    reference: str
    title: str
    buyer: str
    commune: Commune
    deadline: dt.datetime
    lots: list[NoticeLot]


def trade_of_cpv(cpv: str) -> str | None:
    digits = cpv.replace("-", "").strip()
    for prefix, trade in CPV_TRADES:
        if digits.startswith(prefix):
            return trade
    return None


class _Reader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, field: str, message: str) -> None:
        self.problems.append(f"{where}, {field} : {message}")

    def text(
        self, value: Any, where: str, field: str, *, required: bool = True, max_length: int = 200
    ) -> str:
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.fail(where, field, _("obligatoire"))
        elif len(text) > max_length:
            self.fail(where, field, _("%(n)d caractères au plus") % {"n": max_length})
        return text

    def commune(self, value: Any, where: str, field: str) -> Commune | None:
        code = "" if value is None else str(value).strip()
        commune = Commune.objects.filter(insee=code).first() if code else None
        if commune is None:
            self.fail(where, field, _("code INSEE inconnu : « %(code)s »") % {"code": code})
        return commune

    def deadline(self, value: Any, where: str, field: str) -> dt.datetime | None:
        text = "" if value is None else str(value).strip()
        moment = parse_datetime(text) if text else None
        if moment is None and text:
            day = parse_date(text)
            moment = dt.datetime.combine(day, dt.time(12, 0)) if day else None
        if moment is None:
            self.fail(
                where,
                field,
                _("date attendue (AAAA-MM-JJ ou AAAA-MM-JJTHH:MM), reçu « %(v)s »") % {"v": text},
            )
            return None
        return make_aware(moment, get_current_timezone()) if is_naive(moment) else moment

    def lot(self, raw: dict[str, Any], where: str, keys: dict[str, str]) -> NoticeLot | None:
        before = len(self.problems)
        code = self.text(raw.get(keys["lot"]), where, keys["lot"], max_length=12)
        title = self.text(raw.get(keys["intitule"]), where, keys["intitule"], required=False)
        cpv = self.text(raw.get(keys["cpv"]), where, keys["cpv"], required=False, max_length=12)
        trade = self.text(raw.get(keys["metier"]), where, keys["metier"], required=False).lower()
        if not trade:
            trade = trade_of_cpv(cpv) or ""
            if not trade:
                self.fail(where, keys["metier"], _("obligatoire quand le code CPV ne dit pas le métier"))
        elif trade not in Trade.values:
            self.fail(
                where,
                keys["metier"],
                _("métier inconnu « %(v)s » (attendu : %(list)s)")
                % {"v": trade, "list": ", ".join(Trade.values)},
            )
        amount_text = "" if raw.get(keys["montant"]) is None else str(raw.get(keys["montant"])).strip()
        amount = 0
        try:
            euros = Decimal(amount_text.replace(" ", "").replace("\u202f", "").replace(",", "."))
            if euros < 0 or not euros.is_finite():
                raise InvalidOperation
            amount = int((euros / 1000).to_integral_value())
        except InvalidOperation:
            self.fail(
                where, keys["montant"], _("montant en euros attendu, reçu « %(v)s »") % {"v": amount_text}
            )
        cert = self.text(raw.get(keys["qualification"]), where, keys["qualification"], required=False)
        if cert and cert not in CertKind.values:
            self.fail(
                where,
                keys["qualification"],
                _("qualification inconnue « %(v)s » (attendu : %(list)s)")
                % {"v": cert, "list": ", ".join(CertKind.values)},
            )
        if len(self.problems) > before:
            return None
        return NoticeLot(code=code, title=title, trade=trade, amount_keur=amount, cert=cert, cpv=cpv)

    def finish(self, notice: Notice | None) -> Notice:
        if notice is not None:
            codes = [lot.code for lot in notice.lots]
            for code in {c for c in codes if codes.count(c) > 1}:
                self.problems.append(_("le lot « %(code)s » apparaît deux fois") % {"code": code})
            if not notice.lots and not self.problems:
                self.problems.append(_("l'avis n'a aucun lot"))
            if len(notice.lots) > MAX_LOTS:
                self.problems.append(_("%(n)d lots au plus") % {"n": MAX_LOTS})
        if self.problems or notice is None:
            raise NoticeError(self.problems or [_("avis illisible")])
        return notice


JSON_KEYS = {
    "lot": "numero",
    "intitule": "intitule",
    "metier": "metier",
    "cpv": "cpv",
    "montant": "montantEstime",
    "qualification": "qualification",
}
CSV_KEYS = {
    "lot": "lot",
    "intitule": "intitule",
    "metier": "metier",
    "cpv": "cpv",
    "montant": "montant_estime",
    "qualification": "qualification",
}


def parse_json(data: bytes) -> Notice:
    r = _Reader()
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        where = _("ligne %(n)d") % {"n": line} if line else _("fichier")
        raise NoticeError([f"{where} : " + _("JSON illisible")]) from exc
    if not isinstance(doc, dict):
        raise NoticeError([_("l'avis doit être un objet JSON")])
    head = _("avis")
    buyer = doc.get("acheteur")
    buyer_name = buyer.get("nom") if isinstance(buyer, dict) else buyer
    place = doc.get("lieuExecution")
    insee = place.get("codeInsee") if isinstance(place, dict) else place
    reference = r.text(doc.get("reference"), head, "reference", required=False, max_length=60)
    title = r.text(doc.get("objet"), head, "objet")
    buyer_text = r.text(buyer_name, head, "acheteur.nom")
    commune = r.commune(insee, head, "lieuExecution.codeInsee")
    deadline = r.deadline(doc.get("dateLimiteReponse"), head, "dateLimiteReponse")
    raw_lots = doc.get("lots")
    lots = []
    if not isinstance(raw_lots, list):
        r.fail(head, "lots", _("liste attendue"))
        raw_lots = []
    for i, raw in enumerate(raw_lots, start=1):
        where = _("lot n° %(n)d") % {"n": i}
        if not isinstance(raw, dict):
            r.fail(where, "lots", _("objet attendu"))
            continue
        lot = r.lot(raw, where, JSON_KEYS)
        if lot:
            lots.append(lot)
    notice = None
    if commune is not None and deadline is not None:
        notice = Notice(reference, title, buyer_text, commune, deadline, lots)
    return r.finish(notice)


def parse_csv(data: bytes) -> Notice:
    r = _Reader()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NoticeError([_("le fichier CSV doit être en UTF-8")]) from exc
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [
        c
        for c in ("objet", "acheteur", "code_insee", "date_limite", "lot", "montant_estime")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise NoticeError([_("ligne 1 : colonnes manquantes : %(cols)s") % {"cols": ", ".join(missing)}])
    rows = list(reader)
    if not rows:
        raise NoticeError([_("l'avis n'a aucun lot")])
    head = _("ligne %(n)d") % {"n": 2}
    first_row = rows[0]
    reference = r.text(first_row.get("reference"), head, "reference", required=False, max_length=60)
    title = r.text(first_row.get("objet"), head, "objet")
    buyer = r.text(first_row.get("acheteur"), head, "acheteur")
    commune = r.commune(first_row.get("code_insee"), head, "code_insee")
    deadline = r.deadline(first_row.get("date_limite"), head, "date_limite")
    lots = []
    for n, row in enumerate(rows, start=2):
        lot = r.lot(row, _("ligne %(n)d") % {"n": n}, CSV_KEYS)
        if lot:
            lots.append(lot)
    notice = None
    if commune is not None and deadline is not None:
        notice = Notice(reference, title, buyer, commune, deadline, lots)
    return r.finish(notice)


def parse_notice(name: str, data: bytes) -> Notice:
    """A notice from a file's name (its extension says the format) and its bytes."""
    if len(data) > MAX_BYTES:
        raise NoticeError([_("fichier trop gros (1 Mo au plus)")])
    lowered = name.lower()
    if lowered.endswith(".json"):
        return parse_json(data)
    if lowered.endswith(".csv"):
        return parse_csv(data)
    raise NoticeError([_("format attendu : .json ou .csv")])
