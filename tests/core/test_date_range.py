"""Every date a person can type lies between 1900 and 2200, on every form of the site.

A year 1 or 9999 was saved by one database and not the other, and then broke
every page that showed it (issue 17): the rule is checked here on every form
class of the project, so a new date field gets it too.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError

import meute
from meute.core.forms import MAX_DATE, MIN_DATE, BoundedDateField, validate_date_range


def all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(meute.__path__, "meute."):
        if ".migrations" not in module.name and not module.name.startswith(("meute.demo.", "meute.wsgi")):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo = list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("meute."):
            found.append(cls)
    return found


def date_fields() -> list[tuple[str, str]]:
    return sorted(
        (f"{cls.__module__}.{cls.__qualname__}", name)
        for cls in all_form_classes()
        for name, field in cls.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(field, (forms.DateField, forms.DateTimeField))
    )


def test_the_project_has_date_fields_to_check() -> None:
    assert len(date_fields()) >= 10


@pytest.mark.parametrize(("form", "name"), date_fields())
def test_every_date_field_of_every_form_is_bounded(form: str, name: str) -> None:
    cls = next(c for c in all_form_classes() if f"{c.__module__}.{c.__qualname__}" == form)
    field = cls.base_fields[name]  # type: ignore[attr-defined]
    validators = list(field.validators)
    model = getattr(getattr(cls, "_meta", None), "model", None)
    if model is not None and name in {f.name for f in model._meta.get_fields()}:
        validators += model._meta.get_field(name).validators
    assert validate_date_range in validators, f"{form}.{name} accepts any year"


@pytest.mark.parametrize(
    "value",
    [dt.date(1, 1, 1), dt.date(1899, 12, 31), dt.date(2201, 1, 1), dt.date(9999, 12, 31)],
)
def test_a_date_out_of_range_is_refused_naming_the_range(value: dt.date) -> None:
    with pytest.raises(ValidationError, match="1900 et 2200"):
        BoundedDateField().clean(value.isoformat())


@pytest.mark.parametrize("value", [MIN_DATE, MAX_DATE, dt.date(2026, 12, 11)])
def test_a_date_in_range_is_kept(value: dt.date) -> None:
    assert BoundedDateField().clean(value.isoformat()) == value


def test_a_date_and_time_is_bounded_by_its_date() -> None:
    validate_date_range(dt.datetime(2200, 12, 31, 23, 59, tzinfo=dt.UTC))
    with pytest.raises(ValidationError):
        validate_date_range(dt.datetime(1, 1, 1, 0, 0, tzinfo=dt.UTC))
