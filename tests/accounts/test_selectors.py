"""The person behind a user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from meute.accounts.selectors import person_of
from tests.factories import PersonFactory, UserFactory


def test_an_anonymous_user_has_no_person() -> None:
    assert person_of(AnonymousUser()) is None
    assert person_of(None) is None


@pytest.mark.django_db
def test_a_user_with_a_person_gets_it_and_one_without_gets_none() -> None:
    person = PersonFactory(user=UserFactory())
    assert person_of(person.user) == person
    assert person_of(UserFactory()) is None
