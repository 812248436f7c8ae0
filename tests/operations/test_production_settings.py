"""Production refuses to start without its secret key, with one clear line; static files are hashed and gzipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MEUTE = [sys.executable, "-m", "meute.cli"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEUTE_") and k != "DATABASE_URL"}
    env.update(MEUTE_ENV="production", MEUTE_VAR_DIR=str(tmp_path), **extra)
    return env


def test_a_missing_secret_key_prints_one_clear_line_and_exits_non_zero(tmp_path: Path) -> None:
    done = subprocess.run(
        [*MEUTE, "check"], cwd=ROOT, env=_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "MEUTE_SECRET_KEY" in lines[0]


def test_gunicorn_refuses_to_start_without_the_secret_key_with_the_same_line(tmp_path: Path) -> None:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    done = subprocess.run(
        [str(gunicorn), "-c", "meute/gunicorn.conf.py", "--check-config"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "MEUTE_SECRET_KEY is required" in done.stderr
    assert "Traceback" not in done.stderr


def test_production_serves_hashed_gzipped_static_files_from_the_app(tmp_path: Path) -> None:
    env = _env(tmp_path, MEUTE_SECRET_KEY="k" * 60, MEUTE_SSL_REDIRECT="0")
    subprocess.run(
        [*MEUTE, "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static").rglob("*.css.gz"))
    probe = (
        "import django; django.setup()\n"
        "from django.templatetags.static import static\n"
        "from django.test import Client\n"
        "css = next(p for p in __import__('json').load(open(r'%s'))['paths'] if p.endswith('.css'))\n"
        "url = static(css)\n"
        "r = Client().get(url, HTTP_ACCEPT_ENCODING='gzip')\n"
        "print(url, r.status_code, r.headers.get('Content-Encoding'), r.headers.get('Cache-Control'))\n"
    ) % (tmp_path / "static" / "staticfiles.json")
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "meute.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    url, status, encoding, cache = done.stdout.split(maxsplit=3)
    assert status == "200"
    assert encoding == "gzip"
    assert "immutable" in cache
    stem = url.rsplit("/", 1)[-1]
    assert stem.count(".") >= 2  # name.<hash>.css
