"""Every number a person can type on any form of the site has a ceiling.

Without one, SQLite kept values PostgreSQL refuses (a smallint holds 32,767),
and 2**64 broke both (issue 17). The rule is checked on every form class of the
project, so a new field gets it too.
"""

from __future__ import annotations

import pytest
from django import forms
from django.core.validators import MaxValueValidator
from django.db import models

from tests.core.test_date_range import all_form_classes


def model_field(cls: type[forms.BaseForm], name: str) -> models.Field | None:  # type: ignore[type-arg]
    model = getattr(getattr(cls, "_meta", None), "model", None)
    if model is None or name not in {f.name for f in model._meta.get_fields()}:
        return None
    field = model._meta.get_field(name)
    return field if isinstance(field, models.Field) else None


def fields_of(*kinds: type[forms.Field]) -> list[tuple[str, str]]:
    return sorted(
        (f"{cls.__module__}.{cls.__qualname__}", name)
        for cls in all_form_classes()
        for name, field in cls.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(field, kinds) and not isinstance(field, forms.ModelChoiceField)
    )


def form_class(form: str) -> type[forms.BaseForm]:
    return next(c for c in all_form_classes() if f"{c.__module__}.{c.__qualname__}" == form)


NUMBERS = fields_of(forms.IntegerField, forms.FloatField, forms.DecimalField)


def test_the_project_has_numbers_to_check() -> None:
    assert len(NUMBERS) >= 20


@pytest.mark.parametrize(("form", "name"), NUMBERS)
def test_every_number_of_every_form_has_a_ceiling(form: str, name: str) -> None:
    cls = form_class(form)
    field = cls.base_fields[name]  # type: ignore[attr-defined]
    validators = list(field.validators)
    if (db := model_field(cls, name)) is not None:
        validators += db._validators  # the field's own, not the database's range
        if isinstance(db, models.DecimalField):
            return  # max_digits bounds it
    if isinstance(field, forms.DecimalField) and field.max_digits is not None:
        return
    assert any(isinstance(v, MaxValueValidator) for v in validators), f"{form}.{name} has no ceiling"


TEXTS = fields_of(forms.CharField)


def test_the_project_has_texts_to_check() -> None:
    assert len(TEXTS) >= 30


@pytest.mark.parametrize(("form", "name"), TEXTS)
def test_every_text_of_every_form_has_a_length_limit(form: str, name: str) -> None:
    # The speed-meeting profile took 2.4 MB of "offers" (issue 17).
    field = form_class(form).base_fields[name]  # type: ignore[attr-defined]
    if isinstance(field.widget, forms.PasswordInput):
        return  # never stored; hashed at a fixed cost; the request's size is bounded by Django
    assert field.max_length is not None, f"{form}.{name} takes any length"
