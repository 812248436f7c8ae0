"""/sante/ answers 200 when the database answers and a worker beat recently, 503 otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from meute.operations.heartbeat import heartbeat_beat

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_a_worker_when_tasks_run_in_the_request(client: Client) -> None:
    response = client.get("/sante/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["worker"] == {"ok": True, "needed": False}


def test_it_answers_503_when_a_worker_is_needed_and_none_ever_beat(
    client: Client, database_tasks: None
) -> None:
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "needed": True, "heartbeat_age_s": None}


def test_it_answers_ok_with_a_fresh_heartbeat(client: Client, database_tasks: None) -> None:
    heartbeat_beat(worker_id="w1", started_at=timezone.now())
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json()["worker"]["heartbeat_age_s"] < 5


def test_it_answers_503_when_the_newest_heartbeat_is_too_old(
    client: Client, database_tasks: None, settings: Any
) -> None:
    old = timezone.now() - dt.timedelta(seconds=settings.MEUTE_HEARTBEAT_MAX_AGE + 30)
    heartbeat_beat(worker_id="w1", started_at=old, now=old)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"


def test_it_answers_503_when_the_database_fails(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import connection

    def broken(*args: object, **kwargs: object) -> None:
        raise ConnectionError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "ConnectionError"}


def test_it_is_never_cached(client: Client) -> None:
    assert "no-cache" in client.get("/sante/")["Cache-Control"]
