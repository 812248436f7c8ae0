"""Who may choose a new password at /comptes/mot-de-passe/<uid>/<token>/: only the holder of
the link sent to that account, whatever role the visitor has and whatever id they guess."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from meute.accounts.models import User
from tests.conftest import ROLES
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

AsRole = Callable[[str], Client]
NEW = "un-Nouveau-mot-de-passe-77"


@pytest.fixture
def camille(db: None) -> User:
    """The account whose password the visitors try to change: none of the named roles."""
    return UserFactory(email="camille@exemple.fr")


def reset_url(uid_value: object, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(uid_value))
    return reverse("accounts:password_reset_confirm", args=[uid, token])


def try_to_set(client: Client, url: str) -> bool:
    """Follow the link and post a new password; whether the page offered the form."""
    page = client.get(url, follow=True)
    assert page.status_code == 200
    if not page.context["validlink"]:
        assert "Ce lien n'est plus valable" in page.content.decode()
        return False
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.url == reverse("accounts:password_reset_complete")
    return True


def own_token(request: pytest.FixtureRequest, role: str) -> str:
    """A genuine reset token the visitor holds: for their own account (anonymous: a leaked staff one)."""
    user = request.getfixturevalue("staff" if role == "anonymous" else role)
    return default_token_generator.make_token(user)


@pytest.mark.parametrize("role", ROLES)
def test_a_token_made_for_another_account_does_not_open_camilles(
    request: pytest.FixtureRequest, as_role: AsRole, role: str, camille: User
) -> None:
    url = reset_url(camille.pk, own_token(request, role))
    assert try_to_set(as_role(role), url) is False
    camille.refresh_from_db()
    assert camille.check_password(PASSWORD)


@pytest.mark.parametrize("role", ROLES)
def test_a_forged_token_or_a_guessed_id_opens_nothing(as_role: AsRole, role: str, camille: User) -> None:
    client = as_role(role)
    genuine = default_token_generator.make_token(camille)
    for url in (
        reset_url(camille.pk, "cb6n4j-0123456789abcdef0123456789abcdef"),
        reset_url(camille.pk, genuine[:-1] + ("0" if genuine[-1] != "0" else "1")),
        reset_url(camille.pk + 1000, genuine),  # an id nobody has
        reset_url("pas-un-id", genuine),
    ):
        assert try_to_set(client, url) is False, url
    camille.refresh_from_db()
    assert camille.check_password(PASSWORD)


def test_camilles_token_does_not_open_another_account(request: pytest.FixtureRequest, camille: User) -> None:
    manager = request.getfixturevalue("manager")
    url = reset_url(manager.pk, default_token_generator.make_token(camille))
    assert try_to_set(Client(), url) is False
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


def test_the_genuine_link_sets_the_password_and_then_no_longer_works(camille: User) -> None:
    url = reset_url(camille.pk, default_token_generator.make_token(camille))
    assert try_to_set(Client(), url) is True
    camille.refresh_from_db()
    assert camille.check_password(NEW)
    assert try_to_set(Client(), url) is False


def test_the_link_no_longer_works_once_the_owner_has_logged_in(camille: User) -> None:
    url = reset_url(camille.pk, default_token_generator.make_token(camille))
    assert (
        Client()
        .post(reverse("accounts:login"), {"username": camille.email, "password": PASSWORD})
        .status_code
        == 302
    )
    assert try_to_set(Client(), url) is False


def test_following_the_link_does_not_log_anyone_in(camille: User) -> None:
    client = Client()
    try_to_set(client, reset_url(camille.pk, default_token_generator.make_token(camille)))
    assert "_auth_user_id" not in client.session
