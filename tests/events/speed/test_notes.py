"""The engine's notes reach the organiser in French (or English), with names, never as raw ids."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import numpy as np
from django.utils import translation

from meute.engine.notes import Note
from meute.engine.rotations import PairingInstance, solve_tables
from meute.events.speed.notes import SENTENCES, say, stored_notes

ENGINE = Path(__file__).resolve().parents[3] / "meute" / "engine"


def engine_notes() -> dict[str, str]:
    """Every Note the engine's source can make: key -> English template."""
    found: dict[str, str] = {}
    for path in ENGINE.rglob("*.py"):  # the sub-packages too (engine/rotations/, engine/slots/)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "Note"
                and len(node.args) >= 2
            ):
                key, text = node.args[0], node.args[1]
                assert isinstance(key, ast.Constant) and isinstance(text, ast.Constant), path
                found[key.value] = text.value
    return found


def test_every_note_the_engine_makes_has_a_french_sentence_with_the_same_parameters() -> None:
    notes = engine_notes()
    assert len(notes) >= 20  # the scan finds them (a guard against a scan that finds nothing)
    assert set(notes) == set(SENTENCES)
    for key, template in notes.items():
        english = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        french = set(re.findall(r"%\((\w+)\)s", str(SENTENCES[key])))
        assert english == french, key


def test_a_stored_note_names_people_and_reads_in_french_then_english() -> None:
    note = Note("requested_colleagues", "requested pair {a}-{b} cannot meet (colleagues)", a="12", b="40")
    (data,) = stored_notes([note], {"12": "Marie Durand", "40": "Paul Martin"})
    assert data["params"] == {"a": "Marie Durand", "b": "Paul Martin"}
    with translation.override("fr"):
        assert say(data) == (
            "La rencontre demandée entre Marie Durand et Paul Martin est impossible : "
            "ils travaillent dans la même entreprise."
        )
    with translation.override("en"):
        assert (
            say(data)
            == "The requested meeting between Marie Durand and Paul Martin cannot take place: they work for the same company."
        )


def test_a_note_inside_a_note_is_said_in_the_same_language() -> None:
    weights = np.ones((36, 36), dtype=int) - np.eye(36, dtype=int)
    inst = PairingInstance(
        ids=tuple(f"p{i}" for i in range(36)), companies=(None,) * 36, weights=weights, rounds=4, table_size=6
    )
    (note,) = solve_tables(inst).notes
    assert note.key == "limit_beyond" and isinstance(note.params["why"], Note)
    (data,) = stored_notes([note], {})
    with translation.override("fr"):
        said = say(data)
    assert said.startswith("36 personnes à 6 tables de 6 : au plus 3 tours sans rencontre répétée")
    assert "4 tours demandés" in said and "(2 rencontre(s) répétée(s))" in said


def test_an_unknown_or_old_note_shows_its_text() -> None:
    assert say("p3 rests in round 2") == "p3 rests in round 2"
    assert say({"key": "from_a_newer_engine", "params": {}, "text": "something new"}) == "something new"
