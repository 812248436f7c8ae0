"""Small web helpers that every app's views share.

- :func:`add_validation_errors` — a service's :class:`ValidationError` shown on
  the form that caused it (field errors beside their field, others at the top);
- :func:`form_service` — a service called for a valid form: a success message
  or its :class:`ValidationError` shown on the form;
- :func:`service_message` — a service called from a button: a success message,
  or its refusal as an error message;
- :func:`parse_id` — an id read from a query string, ASCII digits only.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

__all__ = ["add_validation_errors", "form_service", "parse_id", "service_message"]


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


def form_service[T](
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[], T],
    done: str | Callable[[T], str],
) -> bool:
    """Call ``call`` (a service) when ``form`` is valid, and say whether it went through.

    An unbound or invalid form calls nothing. When the service went through,
    ``done`` is shown as a success message (a callable receives what the
    service returned, to name it); when it raises a :class:`ValidationError`,
    the error is shown on ``form`` and nothing else.
    """
    if not form.is_valid():
        return False
    try:
        result = call()
    except ValidationError as exc:
        add_validation_errors(form, exc)
        return False
    messages.success(request, done if isinstance(done, str) else done(result))
    return True


def service_message[T](request: HttpRequest, call: Callable[[], T], done: str | Callable[[T], str]) -> bool:
    """Call ``call`` (a service) and tell the user how it went, in a message; say whether it went through.

    ``done`` is the success message (a callable receives what the service
    returned); a :class:`ValidationError` becomes one error message, its
    messages joined.
    """
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, done if isinstance(done, str) else done(result))
    return True


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
