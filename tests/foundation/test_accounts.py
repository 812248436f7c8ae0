"""Accounts: log-in by e-mail, password reset, language, security settings."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from meute.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
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


# Language


def test_switching_to_english_changes_the_page_language(client: Client) -> None:
    assert '<html lang="fr">' in client.get("/").content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    if (ROOT / "meute/locale/en/LC_MESSAGES/django.mo").exists():
        assert "Network directory" in html


def test_french_is_the_default_language(client: Client) -> None:
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert "Annuaire des réseaux" in html


# Security headers and deployment checks


def test_the_home_page_sends_a_content_security_policy_without_inline_script(client: Client) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_the_home_page_refuses_framing_and_content_sniffing(client: Client) -> None:
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def check_deploy(tmp_path: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEUTE_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        MEUTE_ENV="production",
        MEUTE_SECRET_KEY=secrets.token_urlsafe(48)[:50],
        MEUTE_ALLOWED_HOSTS="meute.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
        MEUTE_VAR_DIR=str(tmp_path),
        **extra_env,
    )
    return subprocess.run(
        [str(ROOT / ".venv/bin/meute"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_clean_with_production_settings_and_smtp(tmp_path: Path) -> None:
    result = check_deploy(tmp_path, MEUTE_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
    assert result.returncode == 0, result.stdout + result.stderr
