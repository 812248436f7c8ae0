"""« Mon compte » › tokens: the secret is shown once, each account sees and revokes its own only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from meute.accounts.models import User
from meute.api.models import AccessToken
from meute.api.services import token_create

pytestmark = pytest.mark.django_db

URL = "/comptes/jetons/"


@pytest.mark.parametrize(
    ("role", "code"),
    [("staff", 200), ("manager", 200), ("member", 200), ("other_member", 200), ("anonymous", 302)],
)
def test_the_page_needs_an_account(as_role: Callable[[str], Client], role: str, code: int) -> None:
    assert as_role(role).get(URL).status_code == code


def test_a_new_token_is_shown_once_and_works(as_role: Callable[[str], Client], member: User) -> None:
    client = as_role("member")
    response = client.post(URL, {"name": "CRM", "scope": "read", "days": "30"})
    secret = response.context["secret"]
    assert secret.startswith("meute_") and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert secret not in client.get(URL).content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/me").status_code == 200


def test_a_bad_form_names_the_field(as_role: Callable[[str], Client], member: User) -> None:
    response = as_role("member").post(URL, {"name": "", "scope": "read", "days": "7"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "days"}


def test_revoking_ones_own_token(as_role: Callable[[str], Client], member: User) -> None:
    token, _secret = token_create(user=member, name="CRM", scope="read", days=30)
    assert as_role("member").post(f"{URL}{token.pk}/revoquer/").status_code == 302
    assert AccessToken.objects.get(pk=token.pk).revoked_at is not None


@pytest.mark.parametrize("role", ["staff", "manager", "other_member"])
def test_another_accounts_token_is_not_found(
    as_role: Callable[[str], Client], member: User, role: str
) -> None:
    token, _secret = token_create(user=member, name="CRM", scope="read", days=30)
    assert as_role(role).post(f"{URL}{token.pk}/revoquer/").status_code == 404
    assert as_role(role).get(URL).content.decode().count(token.prefix) == 0
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None
