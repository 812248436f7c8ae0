"""Accounts: log-in by e-mail and password reset."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core import mail
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


# Sign-up: tests/accounts/test_signup.py


# Log-in by e-mail (its throttling: tests/accounts/test_login_throttling.py)


@pytest.fixture
def camille(db: None) -> User:
    return UserFactory(email="camille@exemple.fr")


def browser(ip: str = "192.0.2.10") -> Client:
    return Client(REMOTE_ADDR=ip)


def test_it_logs_in_by_email_whatever_its_case(camille: User) -> None:
    client = browser()
    response = client.post(LOGIN, {"username": "  Camille@EXEMPLE.fr", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert int(client.session["_auth_user_id"]) == camille.pk


def test_a_wrong_password_is_refused_without_saying_which_part_is_wrong(camille: User) -> None:
    response = browser().post(LOGIN, {"username": "camille@exemple.fr", "password": "pas-le-bon"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Adresse e-mail ou mot de passe incorrect."]
    assert "_auth_user_id" not in response.wsgi_request.session


def test_login_does_not_redirect_to_another_site(camille: User) -> None:
    response = browser().post(
        f"{LOGIN}?next=https://evil.example/", {"username": "camille@exemple.fr", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == resolve_url(settings.LOGIN_REDIRECT_URL)


def test_login_follows_a_local_next(camille: User) -> None:
    response = browser().post(
        f"{LOGIN}?next=/reseaux/",
        {"username": "camille@exemple.fr", "password": PASSWORD, "next": "/reseaux/"},
    )
    assert response.url == "/reseaux/"


# Password reset


def test_password_reset_sends_a_link_that_lets_one_choose_a_new_password(camille: User) -> None:
    client = browser()
    response = client.post(reverse("accounts:password_reset"), {"email": "camille@exemple.fr"})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["camille@exemple.fr"]
    link = re.search(r"https?://testserver(/\S+)", message.body)
    assert link, message.body

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "un-Nouveau-mot-de-passe-77", "new_password2": "un-Nouveau-mot-de-passe-77"},
    )
    assert done.url == reverse("accounts:password_reset_complete")
    camille.refresh_from_db()
    assert camille.check_password("un-Nouveau-mot-de-passe-77")


def test_a_reset_link_works_only_once(camille: User) -> None:
    client = browser()
    client.post(reverse("accounts:password_reset"), {"email": "camille@exemple.fr"})
    path = re.search(r"https?://testserver(/\S+)", mail.outbox[0].body).group(1)  # type: ignore[union-attr]
    page = client.get(path, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "un-Nouveau-mot-de-passe-77", "new_password2": "un-Nouveau-mot-de-passe-77"},
    )
    assert browser().get(path, follow=True).context["validlink"] is False


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client: Client) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "inconnu@exemple.fr"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []
