"""Form widgets, fields and validators every app shares.

Dates are bounded to :data:`MIN_DATE` … :data:`MAX_DATE` everywhere a person
can type one: a year 1 or 9999 is saved by one database and not by the other,
and then breaks every page that shows it (a Paris offset pushes 0001-01-01
before year 1 in UTC; one year added to 9999-12-31 overflows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "MAX_DATE",
    "MIN_DATE",
    "BoundedDateField",
    "BoundedDateTimeField",
    "DateInput",
    "validate_date_range",
]

#: The earliest and latest dates a form accepts.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2200, 12, 31)


def validate_date_range(value: dt.date | dt.datetime | None) -> None:
    """Refuse a date (or the date of a date and time) outside :data:`MIN_DATE` … :data:`MAX_DATE`.

    >>> validate_date_range(dt.date(2026, 12, 11))
    >>> validate_date_range(dt.date(9999, 12, 31))
    Traceback (most recent call last):
    ...
    django.core.exceptions.ValidationError: ['la date doit être comprise entre 1900 et 2200']
    """
    if value is None:
        return
    day = value.date() if isinstance(value, dt.datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            _("la date doit être comprise entre %(a)s et %(b)s") % {"a": MIN_DATE.year, "b": MAX_DATE.year},
            code="date_range",
        )


class BoundedDateField(forms.DateField):
    """A date between :data:`MIN_DATE` and :data:`MAX_DATE`."""

    default_validators = [validate_date_range]


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time whose date lies between :data:`MIN_DATE` and :data:`MAX_DATE`."""

    default_validators = [validate_date_range]


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``).

    Its value must be written ``YYYY-MM-DD`` whatever the language: in the
    French format (``11/12/2026``) the browser shows an empty field, and a
    prefilled date would be lost at the next submit.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat(), **(attrs or {})},
            format="%Y-%m-%d",
        )


def guard_model_choice_fields() -> None:
    """Ids no database column can hold are invalid choices in every model choice field of every form.

    Django's ModelChoiceField and ModelMultipleChoiceField look a posted id up in the
    database and turn ValueError and TypeError into "invalid choice", but not the
    OverflowError SQLite raises for an integer past 2**63 - 1 (a server error, where
    PostgreSQL finds nothing). That one is turned into the field's own message too, on both
    databases alike; values are not inspected, so slugs, UUIDs and instances go through as
    before. Called once, when the project's apps are ready.
    """
    single, multiple = forms.ModelChoiceField, forms.ModelMultipleChoiceField
    if getattr(single, "_meute_guarded", False):
        return
    to_python = single.to_python
    check_values = multiple._check_values  # type: ignore[attr-defined]

    def guarded_to_python(self: forms.ModelChoiceField, value: Any) -> Any:  # type: ignore[type-arg]
        try:
            return to_python(self, value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:30]},
            ) from None

    def guarded_check_values(self: forms.ModelMultipleChoiceField, value: Any) -> Any:  # type: ignore[type-arg]
        try:
            return check_values(self, value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": "…"}
            ) from None

    single.to_python = guarded_to_python  # type: ignore[method-assign]
    multiple._check_values = guarded_check_values  # type: ignore[attr-defined]
    single._meute_guarded = True  # type: ignore[attr-defined]
