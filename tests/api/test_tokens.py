"""Personal access tokens: shown once, stored hashed, scoped, expiring, revocable; and the session."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from meute.accounts.models import User
from meute.api.models import AccessToken, Scope
from meute.api.services import token_authenticate, token_create, token_revoke

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_secret_is_stored_only_as_its_digest(member: User) -> None:
    token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=30)
    row = AccessToken.objects.get(pk=token.pk)
    assert secret not in (row.digest, row.prefix, row.name)
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(f"meute_{row.prefix}_")


def test_a_token_authenticates_as_its_owner_and_notes_its_use(member: User) -> None:
    token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=30)
    assert bearer(secret).get("/api/v1/me").json()["email"] == member.email
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_forged_secret_with_a_real_prefix_is_refused(member: User) -> None:
    _token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=30)
    assert token_authenticate(secret[:-2] + "xx") is None
    assert bearer(secret[:-2] + "xx").get("/api/v1/me").status_code == 401


def test_an_expired_token_is_refused(member: User) -> None:
    _token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=1)
    assert token_authenticate(secret, now=timezone.now() + dt.timedelta(days=2)) is None


def test_a_revoked_token_is_refused_at_once(member: User) -> None:
    token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=30)
    token_revoke(token=token)
    response = bearer(secret).get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_deactivated_account_loses_its_tokens(member: User) -> None:
    _token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=30)
    member.is_active = False
    member.save()
    assert bearer(secret).get("/api/v1/me").status_code == 401


def test_a_read_only_token_may_not_write(member: User, club: object) -> None:
    _token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=30)
    response = bearer(secret).post("/api/v1/events/1/registration")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [("name", {"name": " "}), ("scope", {"scope": "admin"}), ("days", {"days": 0}), ("days", {"days": 366})],
)
def test_a_token_needs_a_name_a_known_scope_and_a_bounded_life(
    member: User, field: str, kwargs: dict[str, object]
) -> None:
    values: dict[str, object] = {"name": "CRM", "scope": Scope.READ, "days": 30} | kwargs
    with pytest.raises(ValidationError) as caught:
        token_create(user=member, **values)  # type: ignore[arg-type]
    assert field in caught.value.message_dict


def test_the_session_serves_the_sites_own_pages_with_csrf_on_writes(member: User, club: object) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/v1/me").status_code == 200
    response = client.post("/api/v1/events/999/registration")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_requests_beyond_the_rate_are_throttled(settings: object, member: User) -> None:
    settings.API_THROTTLE_RATE = "2/min"  # type: ignore[attr-defined]
    _token, secret = token_create(user=member, name="CRM", scope=Scope.READ, days=30)
    client = bearer(secret)
    assert [client.get("/api/v1/me").status_code for _ in range(3)] == [200, 200, 429]


def test_the_schema_is_at_the_unversioned_address_and_the_paths_are_versioned(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    assert client.get("/api/docs").status_code == 200


def test_an_unknown_api_address_answers_a_problem(client: Client) -> None:
    response = client.get("/api/v2/networks")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_schema_says_which_operations_are_public(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {} in paths["/api/v1/networks"]["get"]["security"]
    assert {} not in paths["/api/v1/me"]["get"]["security"]
