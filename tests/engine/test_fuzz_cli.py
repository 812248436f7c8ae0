"""Fuzzing the engine's commands in-process through ``main`` (hypothesis): one line and a status, never a traceback.

Each command receives valid documents with a field replaced by anything JSON
can hold (huge or negative numbers, lone surrogates, deep nesting, wrong
types), and raw bytes. It must answer 0 (done), 1 (``team``: no team), 2 (bad
input, in one line naming the command) or 3 (infeasible), never raise, and a
refused run must leave an existing output as it was (issue 17). A new command
or format added to ``COMMANDS`` gets the same treatment.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meute.engine.cli import main
from tests.engine.test_cli_hardening import PAIRS
from tests.engine.test_cli_plan_relevance import PROFILES, SLOTS
from tests.engine.test_cli_team import TENDER

#: command -> (a valid input document, extra arguments)
COMMANDS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "relevance": (PROFILES, []),
    "schedule": (PAIRS, ["--time-limit", "2"]),
    "plan": (SLOTS, ["--time-limit", "2"]),
    "team": (TENDER, []),
}

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([10**6, 10**7, 10**40, 10**100, -1, 0, 1, 2]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["\ud800", "a\udfff", "\x00", "\r\n"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _dump(data: Any) -> bytes:
    # json.dumps escapes a lone surrogate as \ud800, which JSON allows: read back as such.
    return json.dumps(data).encode("ascii")


def _run(command: str, raw: bytes, extra: list[str]) -> tuple[int, str]:
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder) / "in.json", Path(folder) / "out.json"
        src.write_bytes(raw)
        out.write_text("previous\n", encoding="utf-8")
        code = main([command, str(src), "-o", str(out), *extra])
        if code != 0:
            assert out.read_text(encoding="utf-8") == "previous\n"
        assert sorted(p.name for p in Path(folder).iterdir()) == ["in.json", "out.json"]  # no temporary left
        return code, ""


def _check(command: str, code: int, err: str) -> None:
    assert code in (0, 1, 2, 3), (code, err)
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith(f"meute {command}: ") and err.count("\n") == 1, err


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_field_replaced_by_anything_is_answered_in_one_line(
    command: str, data: st.DataObject, capsys: pytest.CaptureFixture[str]
) -> None:
    good, extra = COMMANDS[command]
    doc = json.loads(json.dumps(good))
    path = data.draw(st.sampled_from(_paths(doc)), label="where")
    _set(doc, path, data.draw(VALUES, label="value"))
    code, _ = _run(command, _dump(doc), extra)
    _check(command, code, capsys.readouterr().err)


@pytest.mark.parametrize("command", sorted(COMMANDS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    raw=st.one_of(st.binary(max_size=200), VALUES.map(_dump), st.integers(1, 5000).map(lambda d: b"[" * d))
)
def test_any_bytes_are_answered_in_one_line(
    command: str, raw: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _run(command, raw, COMMANDS[command][1])
    err = capsys.readouterr().err
    _check(command, code, err)
    assert code != 0 or raw.strip().startswith(b"{")


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document (keys of objects, indexes of lists), the root's fields first."""
    out: list[tuple[Any, ...]] = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, value in items:
        out.append((*prefix, key))
        out.extend(_paths(value, (*prefix, key)))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value
