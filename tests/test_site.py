"""The whole site: language, security headers, deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]


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
