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


# The whole path of one form with dates, numbers and free text: the form, the
# model's clean, the service (its recurrence), then every page that shows the
# event, on the database the tests run on (SQLite by default, PostgreSQL with
# DATABASE_URL). A 500 anywhere fails.

EVENT_FIELDS = {
    "starts_at": TYPED,
    "ends_at": TYPED,
    "registration_opens_at": TYPED,
    "capacity": TYPED,
    "slots": TYPED,
    "slot_minutes": TYPED,
    "tables": TYPED,
    "request_ttl_hours": TYPED,
    "title": TYPED,
    "description": TYPED,
    "recurrence": st.one_of(
        TYPED,
        st.builds(
            "FREQ={};{}={}".format,
            st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "SECONDLY"]),
            st.sampled_from(["COUNT", "UNTIL", "INTERVAL"]),
            st.sampled_from(["3", "99999999999999999999", "99991231T000000", "0", "-1", "20270101"]),
        ),
    ),
}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.fixed_dictionaries({}, optional=EVENT_FIELDS))
def test_the_event_form_answers_every_input_without_an_error_page(
    changes: dict[str, str], manager: Any, club: Any
) -> None:
    from django.test import Client

    from meute.events.models import Event

    client = Client(raise_request_exception=True)
    client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")
    data = {
        "network": club.pk,
        "title": "Soirée",
        "kind": "business_day",
        "starts_at": "2027-03-04T18:00",
        "ends_at": "2027-03-04T21:00",
        "audience": "members",
        "status": "published",
        "recurrence": "",
        "slots": "4",
        "slot_minutes": "20",
        "tables": "3",
        "request_ttl_hours": "72",
    } | changes
    before = set(Event.objects.values_list("pk", flat=True))
    response = client.post("/evenements/nouveau/", data)
    assert response.status_code in (200, 302)
    for event in Event.objects.exclude(pk__in=before)[:3]:
        for tail in ("", "evenement.ics", "modifier/"):
            assert client.get(f"/evenements/{event.pk}/{tail}").status_code == 200
    assert client.get("/evenements/", {"passes": "1"}).status_code == 200
