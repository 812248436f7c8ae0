"""One JSON line per request and per task, each with its duration."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from meute.operations.logs import JsonFormatter
from tests.operations.tasks_for_tests import record_run

pytestmark = pytest.mark.django_db


def test_each_request_logs_one_json_line_with_its_duration(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="meute.request"):
        client.get("/sante/")
    records = [r for r in caplog.records if r.name == "meute.request"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["method"] == "GET"
    assert line["path"] == "/sante/"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["logger"] == "meute.request"
    assert "\n" not in JsonFormatter().format(records[0])


def test_each_task_logs_one_json_line_with_its_status_and_duration(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="meute.task"):
        record_run.enqueue("logged")
    records = [r for r in caplog.records if r.name == "meute.task"]
    assert len(records) == 1
    line = json.loads(JsonFormatter().format(records[0]))
    assert line["task"] == "tests.operations.tasks_for_tests.record_run"
    assert line["status"] == "SUCCESSFUL"
    assert line["duration_ms"] >= 0
