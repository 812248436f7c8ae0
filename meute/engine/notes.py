"""Notes of the engine: English sentences that an interface can say in its own language.

A solver explains what it could not do ("p3 rests in round 2: no table can seat
them"). The command line prints the English text; the web interface, French
first, needs the same facts in French, with names instead of ids. A
:class:`Note` is therefore a ``str`` (the English text: everything that prints,
joins or compares notes keeps working) that also carries a stable ``key`` and
the ``params`` the text was made from. Parameters named in :data:`PERSON_PARAMS`
hold participant ids; a parameter may itself be a note (a reason inside a
sentence).
"""

from __future__ import annotations

from typing import Any

__all__ = ["PERSON_PARAMS", "Note", "note_data"]

#: Parameters that hold a participant id (an interface shows a name instead).
PERSON_PARAMS = frozenset({"who", "a", "b"})


class Note(str):
    """An engine note: its English text, plus ``key`` and ``params`` for translation.

    Examples
    --------
    >>> n = Note("rests_round", "{who} rests in round {round}", who="p3", round=2)
    >>> str(n), n.key, n.params
    ('p3 rests in round 2', 'rests_round', {'who': 'p3', 'round': 2})
    """

    key: str
    params: dict[str, Any]

    def __new__(cls, key: str, text: str, **params: Any) -> Note:
        note = super().__new__(cls, text.format(**params))
        note.key = key
        note.params = params
        return note


def note_data(note: str) -> dict[str, Any]:
    """A plain, JSON-ready form of a note: ``{"key", "params", "text"}`` (nested notes too).

    A plain string (not a :class:`Note`) gets the key ``""``: its text is all there is.
    """
    if not isinstance(note, Note):
        return {"key": "", "params": {}, "text": str(note)}
    params = {k: note_data(v) if isinstance(v, Note) else v for k, v in note.params.items()}
    return {"key": note.key, "params": params, "text": str(note)}
