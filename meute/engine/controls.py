"""Control characters out of text that leaves the site in a file (.ics, PDF, CSV).

A carriage return in an event's title went raw into its calendar
(``X-WR-CALNAME:…\\rMETHOD:CANCEL``), which lenient clients read as new
properties; a line feed made the calendar answer 500; other control characters
(NUL, ESC, the C1 set) have no place in a printed badge or a spreadsheet.

- :func:`single_line` — a title, a name, a place: every control character,
  tab and line break included, becomes a space;
- :func:`multi_line` — a description: line breaks of every kind become ``\\n``,
  tabs stay, every other control character becomes a space.
"""

from __future__ import annotations

import re

__all__ = ["multi_line", "single_line"]

# C0, DEL and C1 (NEL U+0085 among them), and Unicode's line and paragraph separators.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_OTHER_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def single_line(text: str) -> str:
    """``text`` on one line, every control character replaced by a space.

    >>> single_line("Soirée\\r\\nMETHOD:CANCEL\\x00")
    'Soirée  METHOD:CANCEL '
    """
    return _CONTROLS.sub(" ", text)


def multi_line(text: str) -> str:
    """``text`` with its line breaks as ``\\n`` and other control characters (tabs aside) as spaces.

    >>> multi_line("a\\r\\nb\\rc\\u2028d\\te\\x1b")
    'a\\nb\\nc\\nd\\te '
    """
    return _OTHER_CONTROLS.sub(" ", _BREAKS.sub("\n", text))
