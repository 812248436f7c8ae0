"""Ids past what a database column holds are invalid choices, never a server error (issue 17)."""

from __future__ import annotations

import pytest
from django import forms

from meute.networks.models import Network


class Pick(forms.Form):
    one = forms.ModelChoiceField(queryset=Network.objects.all(), required=False)
    many = forms.ModelMultipleChoiceField(queryset=Network.objects.all(), required=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value", [str(2**63), "99999999999999999999", "-" + str(2**64), "9_223_372_036_854_775_808", "9" * 5000]
)
def test_an_oversized_id_is_an_invalid_choice(club: Network, value: str) -> None:
    form = Pick(data={"one": value, "many": [str(club.pk), value]})
    assert not form.is_valid()
    assert set(form.errors) == {"one", "many"}


@pytest.mark.django_db
def test_real_ids_still_pass(club: Network, other_club: Network) -> None:
    form = Pick(data={"one": str(club.pk), "many": [str(club.pk), str(other_club.pk)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["one"] == club
    assert set(form.cleaned_data["many"]) == {club, other_club}
