"""Fuzzing every field of every form of the site (hypothesis): refused by name, or kept within its bounds.

Each field of each form class of the project (found by walking the package,
so a new form or field is fuzzed too) receives arbitrary text: dates of any
year, huge and Unicode digits, control characters, very long strings. It must
either raise ValidationError (the form then names the field) or return a value
within the bounds the project promises (issue 17): a date between 1900 and
2200, a number under its ceiling, a text within its max_length. Anything else
(OverflowError, a database error) would be a 500 on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meute.core.forms import MAX_DATE, MIN_DATE
from tests.core.test_date_range import all_form_classes
from tests.core.test_form_bounds import model_field

pytestmark = pytest.mark.django_db

FIELDS = sorted(
    (f"{cls.__module__}.{cls.__qualname__}", name)
    for cls in all_form_classes()
    for name in cls.base_fields  # type: ignore[attr-defined]
)

#: What people (or scripts) type: dates of every year, digits of every kind, huge numbers, controls.
TYPED = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=2_000, max_size=6_000),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["²", "١٤", "٣", "1e40", "NaN", "inf", "-0", "9" * 30, "0x10", " 3 ", "3\x00"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(dt.date.isoformat),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M")
    ),
    st.text(alphabet="\r\n\t\x00\x1b\x85\u2028 abc", max_size=30),
)


def _form_class(form: str) -> type[forms.BaseForm]:
    return next(c for c in all_form_classes() if f"{c.__module__}.{c.__qualname__}" == form)


def _within_bounds(cls: type[forms.BaseForm], name: str, field: forms.Field, value: Any) -> None:
    if isinstance(value, dt.datetime):
        assert MIN_DATE <= value.date() <= MAX_DATE, (name, value)
    elif isinstance(value, dt.date):
        assert MIN_DATE <= value <= MAX_DATE, (name, value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        validators = list(field.validators)
        if (db := model_field(cls, name)) is not None:
            validators += db._validators
        ceilings = [v.limit_value for v in validators if isinstance(v, MaxValueValidator)]
        assert ceilings and value <= min(ceilings), (name, value)  # type: ignore[operator]
    elif isinstance(value, str) and getattr(field, "max_length", None) is not None:
        assert len(value) <= field.max_length, (name, len(value))  # type: ignore[attr-defined]


@pytest.mark.parametrize(("form", "name"), FIELDS)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED)
def test_every_field_refuses_by_name_or_keeps_within_bounds(form: str, name: str, typed: str) -> None:
    cls = _form_class(form)
    field = cls.base_fields[name]  # type: ignore[attr-defined]
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        typed = [typed]  # type: ignore[assignment]
    try:
        value = field.clean(typed)
        if (db := model_field(cls, name)) is not None and value not in (None, "", []):
            # A ModelForm's _post_clean runs the model's own validators (ceilings, date range).
            db.run_validators(value)
    except ValidationError:
        return
    _within_bounds(cls, name, field, value)
