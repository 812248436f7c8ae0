"""The shared helpers of meute.core."""

from __future__ import annotations

import doctest

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import RequestFactory

from meute.core import web
from meute.core.commands import now_option


class _Form(forms.Form):
    name = forms.CharField()


def test_the_documented_examples_hold() -> None:
    assert doctest.testmod(web).failed == 0


def test_a_field_error_goes_beside_its_field_and_others_on_top() -> None:
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    web.add_validation_errors(form, ValidationError({"name": "pris", "ailleurs": "non"}))
    assert form.errors["name"] == ["pris"]
    assert form.non_field_errors() == ["non"]


def test_a_message_without_field_goes_on_top() -> None:
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    web.add_validation_errors(form, ValidationError("refusé"))
    assert form.non_field_errors() == ["refusé"]


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_a_service_that_goes_through_says_so_with_what_it_returned() -> None:
    request, form = _request(), _Form(data={"name": "x"})
    assert web.form_service(request, form, lambda: "Anne", lambda name: f"{name} est inscrite.")
    assert web.form_service(request, form, lambda: None, "Enregistré.")
    assert [str(m) for m in get_messages(request)] == ["Anne est inscrite.", "Enregistré."]
    assert not form.errors


def test_a_service_that_refuses_leaves_its_error_on_the_form_and_no_message() -> None:
    def refuse() -> None:
        raise ValidationError({"name": "pris"})

    request, form = _request(), _Form(data={"name": "x"})
    assert not web.form_service(request, form, refuse, "Enregistré.")
    assert form.errors["name"] == ["pris"]
    assert list(get_messages(request)) == []


def test_an_invalid_form_calls_no_service() -> None:
    def fail() -> None:
        raise AssertionError("called")

    request = _request()
    assert not web.form_service(request, _Form(data={}), fail, "Enregistré.")
    assert not web.form_service(request, _Form(), fail, "Enregistré.")
    assert list(get_messages(request)) == []


def test_a_service_called_from_a_button_tells_its_outcome_in_a_message() -> None:
    def refuse() -> None:
        raise ValidationError(["complet.", "liste d'attente fermée."])

    request = _request()
    assert web.service_message(request, lambda: 3, lambda n: f"{n} places.")
    assert not web.service_message(request, refuse, "Inscrit.")
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("success", "3 places."),
        ("error", "complet. liste d'attente fermée."),
    ]


@pytest.mark.parametrize("value", ["١٢", "²", "0", "", " 3", str(2**63)])
def test_only_plain_positive_ids_are_read(value: str) -> None:
    assert web.parse_id(value) is None


def test_now_needs_a_time_zone_and_a_date() -> None:
    with pytest.raises(CommandError, match="fuseau"):
        now_option("2026-06-01T09:00")
    with pytest.raises(CommandError, match="invalide"):
        now_option("demain")
    assert now_option("2026-06-01T09:00+02:00").utcoffset() is not None


def test_a_date_field_is_written_the_way_the_browser_reads_it_in_every_language() -> None:
    import datetime as dt

    from django.utils import translation

    from meute.core.forms import DateInput

    class DateForm(forms.Form):
        day = forms.DateField(widget=DateInput())

    with translation.override("fr"):
        html = str(DateForm(initial={"day": dt.date(2026, 12, 11)})["day"])
    assert 'type="date"' in html
    assert 'value="2026-12-11"' in html
    form = DateForm(data={"day": "2026-12-11"})
    assert form.is_valid()
