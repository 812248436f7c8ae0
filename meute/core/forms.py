"""Form widgets every app shares."""

from __future__ import annotations

from typing import Any

from django import forms

__all__ = ["DateInput"]


class DateInput(forms.DateInput):
    """The browser's date picker (``<input type="date">``).

    Its value must be written ``YYYY-MM-DD`` whatever the language: in the
    French format (``11/12/2026``) the browser shows an empty field, and a
    prefilled date would be lost at the next submit.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
