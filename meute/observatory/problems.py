"""The engine's refusals and cell problems, said in the user's language.

The linkage engine (``meute.engine.linkage``) words its messages in English, one
line naming the file, row and column. The pages show them translated: each known
message is matched here and rewritten with gettext; an unknown one is shown as it
came, after a translated sentence, so no message is ever lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from meute.engine.linkage.columns import Problem

__all__ = ["cell_message", "file_message"]

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]

_FILE_RULES: tuple[_Rule, ...] = (
    (
        re.compile(r"^(?P<f>.+): (?P<mb>[\d.]+) MB, over the 20 MB limit$"),
        lambda m: _("%(file)s : %(mb)s Mo, au-delà de la limite de 20 Mo.") % {"file": m["f"], "mb": m["mb"]},
    ),
    (
        re.compile(r"^(?P<f>.+): the file is empty$"),
        lambda m: _("%(file)s : le fichier est vide.") % {"file": m["f"]},
    ),
    (
        re.compile(r"^(?P<f>.+): an old Excel \(\.xls\) file.*$"),
        lambda m: (
            _("%(file)s : un ancien fichier Excel (.xls) ; enregistrez-le en .xlsx, .ods ou .csv.")
            % {"file": m["f"]}
        ),
    ),
    (
        re.compile(r"^(?P<f>.+): a binary file, not a spreadsheet.*$"),
        lambda m: _("%(file)s : un fichier binaire, pas un tableur (CSV, XLSX ou ODS).") % {"file": m["f"]},
    ),
    (
        re.compile(r"^(?P<f>.+): a damaged ZIP archive.*$"),
        lambda m: _("%(file)s : une archive ZIP abîmée, pas un tableur lisible.") % {"file": m["f"]},
    ),
    (
        re.compile(r"^(?P<f>.+): a ZIP archive that is not a spreadsheet.*$"),
        lambda m: _("%(file)s : une archive ZIP qui n'est pas un tableur (XLSX ou ODS).") % {"file": m["f"]},
    ),
    (
        re.compile(r"^(?P<f>.+): not a readable (?P<kind>XLSX|ODS) file.*$"),
        lambda m: _("%(file)s : ce fichier %(kind)s est illisible.") % {"file": m["f"], "kind": m["kind"]},
    ),
    (
        re.compile(r"^(?P<f>.+): an ODS file without a sheet$"),
        lambda m: _("%(file)s : ce fichier ODS n'a aucune feuille.") % {"file": m["f"]},
    ),
    (
        re.compile(r"^(?P<f>.+): row (?P<r>\d+), column (?P<c>[A-Z]+): a formula \((?P<v>.*)\).*$"),
        lambda m: (
            _(
                "%(file)s : ligne %(row)s, colonne %(col)s : une formule (%(value)s) ; collez les valeurs à la place."
            )
            % {"file": m["f"], "row": m["r"], "col": m["c"], "value": m["v"]}
        ),
    ),
    (
        re.compile(r"^(?P<f>.+): no header row .* first (?P<n>\d+) rows$"),
        lambda m: (
            _("%(file)s : aucune ligne d'en-têtes (noms des colonnes) dans les %(n)s premières lignes.")
            % {"file": m["f"], "n": m["n"]}
        ),
    ),
    (
        re.compile(r"^(?P<f>.+): row (?P<r>\d+), column (?P<c>[A-Z]+): a column without a name$"),
        lambda m: (
            _("%(file)s : ligne %(row)s, colonne %(col)s : une colonne sans nom.")
            % {"file": m["f"], "row": m["r"], "col": m["c"]}
        ),
    ),
    (
        re.compile(
            r"^(?P<f>.+): row (?P<r>\d+): the column name (?P<t>.+) appears twice"
            r" \(columns (?P<a>[A-Z]+) and (?P<b>[A-Z]+)\)$"
        ),
        lambda m: (
            _("%(file)s : ligne %(row)s : la colonne %(title)s apparaît deux fois (colonnes %(a)s et %(b)s).")
            % {"file": m["f"], "row": m["r"], "title": m["t"], "a": m["a"], "b": m["b"]}
        ),
    ),
    (
        re.compile(r"^(?P<f>.+): row (?P<r>\d+): no name column .* among (?P<h>.*)$"),
        lambda m: (
            _(
                "%(file)s : ligne %(row)s : aucune colonne de nom (Nom, Prénom ou « NOM Prénom ») parmi %(headers)s."
            )
            % {"file": m["f"], "row": m["r"], "headers": m["h"]}
        ),
    ),
)

_CELL_RULES: tuple[_Rule, ...] = (
    (re.compile(r"^no name: row skipped$"), lambda m: _("aucun nom : ligne écartée")),
    (
        re.compile(r"^(?P<v>.+) is neither a valid SIRET nor a valid SIREN \(checksum\)$"),
        lambda m: _("%(value)s n'est ni un SIRET ni un SIREN valide (clé de contrôle)") % {"value": m["v"]},
    ),
    (
        re.compile(r"^(?P<v>.+) is not an e-mail address$"),
        lambda m: _("%(value)s n'est pas une adresse e-mail") % {"value": m["v"]},
    ),
    (
        re.compile(r"^(?P<v>.+) is not a phone number$"),
        lambda m: _("%(value)s n'est pas un numéro de téléphone") % {"value": m["v"]},
    ),
    (
        re.compile(r"^(?P<v>.+) is not a date \(DD/MM/YYYY\)$"),
        lambda m: _("%(value)s n'est pas une date (JJ/MM/AAAA)") % {"value": m["v"]},
    ),
    (
        re.compile(r"^(?P<v>.+) is not a 5-digit postcode$"),
        lambda m: _("%(value)s n'est pas un code postal à 5 chiffres") % {"value": m["v"]},
    ),
)


def _translate(text: str, rules: tuple[_Rule, ...]) -> str | None:
    for pattern, say in rules:
        match = pattern.match(text)
        if match:
            return say(match)
    return None


def file_message(text: str) -> str:
    """A refusal of :func:`~meute.engine.linkage.read_table` or ``records_from_table``, translated.

    >>> from django.utils import translation
    >>> with translation.override("fr"):
    ...     file_message("a.csv: row 3, column B: a formula (=HYPERLINK(x)): paste the values instead")
    'a.csv : ligne 3, colonne B : une formule (=HYPERLINK(x)) ; collez les valeurs à la place.'
    """
    said = _translate(text, _FILE_RULES)
    return said if said is not None else _("Le fichier est refusé : %(reason)s") % {"reason": text}


def cell_message(problem: Problem) -> str:
    """What is wrong with one cell, translated (without the file, row and column)."""
    said = _translate(problem.message, _CELL_RULES)
    return said if said is not None else problem.message
