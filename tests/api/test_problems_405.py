"""A method an API address does not take answers a problem detail too (RFC 9457), with its Allow header."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_wrong_method_gets_a_problem_detail_with_the_allowed_methods() -> None:
    response = Client().delete("/api/v1/networks")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 405 and body["title"] == "Method Not Allowed"
    assert "GET" in response["Allow"]


def test_an_allowed_method_is_untouched() -> None:
    response = Client().get("/api/v1/networks")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
