"""Directory search: accent- and case-insensitive, with French stemming.

Texts are reduced to the stems of their words ("Bâtiment" and "batiments"
both give "bat"), stored on the network, and a query matches when each of its
stems starts a stored stem. Done in Python so it behaves the same on SQLite and
PostgreSQL, and cheap at the size of a regional directory.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from meute.engine.text import fold

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "d",
        "dans",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "leur",
        "un",
        "une",
        "ou",
        "par",
        "pour",
        "sur",
        "qui",
        "que",
        "se",
        "sa",
        "son",
        "ses",
    ]
)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("french")


def stems(text: str) -> list[str]:
    """Stems of the meaningful words of a French text, accents folded before stemming.

    The folding is the engine's (:func:`meute.engine.text.fold`); unlike the engine's
    relevance scoring, which folds after stemming, the directory folds first, so that a
    query typed without accents finds the same stems as the stored text.
    """
    words = [w for w in _WORD.findall(fold(text)) if w not in _STOP]
    return _stemmer().stemWords(words)
