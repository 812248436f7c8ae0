"""Small web helpers that every app's views share.

- :func:`add_validation_errors` — a service's :class:`ValidationError` shown on
  the form that caused it (field errors beside their field, others at the top);
- :func:`parse_id` — an id read from a query string, ASCII digits only.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

__all__ = ["add_validation_errors", "parse_id"]

# The largest id a PostgreSQL bigint (and SQLite's integer) holds.
MAX_ID = 2**63 - 1


def add_validation_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show ``exc`` on ``form``: an error naming one of the form's fields goes beside it, others on top.

    Services raise :class:`ValidationError` with a dict when they can name the
    field at fault (``{"starts_at": …}``); a field the form does not have is
    shown as a form-wide error rather than lost.
    """
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def parse_id(value: str | None) -> int | None:
    """``value`` as a positive id, or ``None`` when it is missing or not one.

    Only ASCII digits count: :meth:`str.isdigit` also accepts "²" or Arabic-Indic
    digits, which :func:`int` then refuses or the database cannot hold.

    >>> parse_id("14"), parse_id("²"), parse_id("-3"), parse_id(None), parse_id(str(2**64))
    (14, None, None, None, None)
    """
    if not value or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None
