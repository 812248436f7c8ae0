"""Login throttling: failures lock one e-mail from one client address, never the account itself.

Production sits behind a TLS-terminating proxy, so every request reaches Django
from the proxy's address; MEUTE_TRUSTED_PROXY_COUNT tells how many proxies
append the visitor's address to X-Forwarded-For.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from meute.accounts.models import User
from meute.accounts.throttle import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PROXY = "10.0.0.2"


@pytest.fixture
def camille(db: None) -> User:
    return UserFactory(email="camille@exemple.fr")


@pytest.fixture
def one_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1


def browser(ip: str = "192.0.2.10") -> Client:
    return Client(REMOTE_ADDR=ip)


def through_proxy(visitor: str, *, forged: str = "") -> Client:
    """A visitor behind the proxy: it connects from PROXY and appends `visitor` to X-Forwarded-For."""
    header = f"{forged}, {visitor}" if forged else visitor
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def fail(client: Client, email: str = "camille@exemple.fr") -> int:
    return client.post(LOGIN, {"username": email, "password": "pas-le-bon"}).status_code


def log_in(client: Client, email: str = "camille@exemple.fr") -> int:
    return client.post(LOGIN, {"username": email, "password": PASSWORD}).status_code


# Directly reachable (no proxy): REMOTE_ADDR is the visitor


def test_after_five_failures_even_the_right_password_gets_the_lockout_page(camille: User) -> None:
    client = browser()
    for _ in range(4):
        assert fail(client) == 200
    fail(client)  # the fifth
    response = client.post(LOGIN, {"username": "camille@exemple.fr", "password": PASSWORD})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_for_one_email_from_one_address_only(camille: User) -> None:
    attacker = browser("192.0.2.66")
    for _ in range(5):
        fail(attacker)
    assert log_in(attacker) == 429
    # Camille, from her own office, still gets in.
    assert log_in(browser("192.0.2.10")) == 302


def test_a_success_before_the_limit_resets_the_failure_count(camille: User) -> None:
    client = browser()
    for _ in range(4):
        fail(client)
    assert log_in(client) == 302
    client.post(reverse("accounts:logout"))
    for _ in range(4):
        fail(client)
    assert log_in(client) == 302


def test_changing_the_case_of_the_email_does_not_escape_the_lockout(camille: User) -> None:
    client = browser()
    for _ in range(5):
        fail(client)
    assert log_in(client, "Camille@exemple.fr") == 429


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_escape_the_lockout(camille: User) -> None:
    # By default X-Forwarded-For is not read: a visitor could write anything there.
    for n in range(5):
        fail(Client(REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"))
    assert log_in(Client(REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR="198.51.100.99")) == 429


# Password spraying: ceilings per address and per account (issue 17)


def test_one_address_trying_one_password_on_many_emails_is_stopped_at_the_ceiling(camille: User) -> None:
    sprayer = browser("192.0.2.66")
    for n in range(19):
        assert fail(sprayer, f"inconnu{n}@exemple.fr") == 200
    assert log_in(sprayer) == 302  # below the ceiling, one address is not stopped
    sprayer.post(reverse("accounts:logout"))
    fail(sprayer, "inconnu19@exemple.fr")  # the twentieth failure from this address
    assert fail(sprayer, "encore@exemple.fr") == 429
    assert log_in(sprayer) == 429
    # Camille, from elsewhere, still gets in: only the address is locked.
    assert log_in(browser("192.0.2.10")) == 302


def test_one_account_tried_from_many_addresses_is_stopped_at_the_ceiling(camille: User) -> None:
    for n in range(19):
        assert fail(browser(f"198.51.100.{n + 1}")) == 200
    fail(browser("198.51.100.20"))  # the twentieth failure on this account
    assert log_in(browser("192.0.2.10")) == 429
    UserFactory(email="hugo@exemple.fr")
    assert log_in(browser("192.0.2.10"), "hugo@exemple.fr") == 302


def test_the_lockout_page_is_the_same_for_an_email_without_an_account(camille: User) -> None:
    for n in range(20):
        fail(browser(f"198.51.100.{n + 1}"))
        fail(browser(f"198.51.100.{n + 1}"), "personne@exemple.fr")
    known = browser("192.0.2.10").post(LOGIN, {"username": "camille@exemple.fr", "password": "x"})
    unknown = browser("192.0.2.11").post(LOGIN, {"username": "personne@exemple.fr", "password": "x"})
    assert known.status_code == unknown.status_code == 429

    def page(response: Any) -> str:  # without the per-response CSP nonce and CSRF token
        return re.sub(r'(nonce|value)="[^"]*"', "", response.content.decode())

    assert page(known) == page(unknown)


def test_logging_into_ones_own_account_does_not_reset_the_addresss_count(camille: User) -> None:
    sprayer = browser("192.0.2.66")
    for n in range(19):
        fail(sprayer, f"inconnu{n}@exemple.fr")
    assert log_in(sprayer) == 302  # the sprayer's own account
    sprayer.post(reverse("accounts:logout"))
    fail(sprayer, "inconnu19@exemple.fr")
    assert fail(sprayer, "inconnu20@exemple.fr") == 429


# Behind one trusted proxy


def test_behind_the_proxy_a_strangers_failures_do_not_lock_the_owner_out(
    camille: User, one_proxy: None
) -> None:
    attacker = through_proxy("203.0.113.66")
    for _ in range(5):
        fail(attacker)
    assert log_in(attacker) == 429
    owner = through_proxy("198.51.100.7")
    assert log_in(owner) == 302


def test_behind_the_proxy_the_owners_own_failures_still_lock_them(camille: User, one_proxy: None) -> None:
    owner = through_proxy("198.51.100.7")
    for _ in range(5):
        fail(owner)
    assert log_in(owner) == 429


def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(
    camille: User, one_proxy: None
) -> None:
    # The visitor writes their own X-Forwarded-For; the proxy appends the real address after it.
    for n in range(5):
        fail(through_proxy("203.0.113.66", forged=f"198.51.100.{n}"))
    assert log_in(through_proxy("203.0.113.66", forged="198.51.100.7")) == 429


def test_behind_the_proxy_other_accounts_are_not_locked_by_failures_on_one(
    camille: User, one_proxy: None
) -> None:
    UserFactory(email="hugo@exemple.fr")
    office = through_proxy("203.0.113.10")
    for _ in range(5):
        fail(office)
    assert log_in(office, "hugo@exemple.fr") == 302


# The client address itself


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", "", "192.0.2.1"),
        (0, "10.0.0.2", "203.0.113.5", "10.0.0.2"),  # header ignored without trusted proxies
        (1, "10.0.0.2", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # forged left part never read
        (2, "10.0.0.3", "1.2.3.4, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "10.0.0.3", "203.0.113.5", "10.0.0.3"),  # fewer hops than proxies: not through them
        (1, "10.0.0.2", "", "10.0.0.2"),
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(
    settings: Any, count: int, remote: str, forwarded: str, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = count
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected
