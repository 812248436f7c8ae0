"""English is complete: every French string of the interface has its translation, compiled."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "meute" / "locale" / "en" / "LC_MESSAGES"


def po_entries() -> list[dict[str, object]]:
    """The entries of the English catalogue: msgid, msgid_plural, msgstr (list), flags."""
    entries: list[dict[str, object]] = []
    current: dict[str, object] = {}
    field = ""

    def close() -> None:
        if "msgid" in current:
            entries.append(dict(current))
        current.clear()

    for raw in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            close()
        elif line.startswith("#,"):
            current["flags"] = {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field.startswith("msgstr"):
                strs = current["msgstr"]
                assert isinstance(strs, list)
                strs[-1] += text
            else:
                current[field] = str(current[field]) + text
        else:
            key, value = line.split(" ", 1)
            field = key
            if key.startswith("msgstr"):
                current.setdefault("msgstr", [])
                strs = current["msgstr"]
                assert isinstance(strs, list)
                strs.append(ast.literal_eval(value))
            else:
                current[key] = ast.literal_eval(value)
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


def test_every_string_has_an_english_translation_that_is_not_fuzzy() -> None:
    entries = po_entries()
    assert len(entries) > 1000
    missing = [e["msgid"] for e in entries if not all(e["msgstr"])]  # type: ignore[call-overload]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]  # type: ignore[operator]
    assert missing == [], missing[:5]
    assert fuzzy == [], fuzzy[:5]


def test_the_compiled_catalogue_matches_the_translations() -> None:
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in po_entries():
        msgid, msgstr = str(entry["msgid"]), entry["msgstr"]
        assert isinstance(msgstr, list)
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            plural = str(entry["msgid_plural"])
            got = (
                compiled.npgettext(str(context), msgid, plural, 1)
                if context
                else compiled.ngettext(msgid, plural, 1)
            )
        else:
            got = compiled.pgettext(str(context), msgid) if context else compiled.gettext(msgid)
        assert got == msgstr[0], msgid
