"""Run one call per person, all at the same instant, each thread on its own connection."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connections
from django.db.models import Manager


def all_at_once(people: Sequence[Any], call: Callable[[Any], object]) -> list[str]:
    """Call `call(person)` in one thread per person released by a barrier; return the errors."""
    barrier = threading.Barrier(len(people))
    errors: list[str] = []

    def run(person: Any) -> None:
        try:
            barrier.wait()
            call(person)
        except Exception as exc:  # collected, for the test to assert on
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def slow_create(monkeypatch: pytest.MonkeyPatch, manager: Manager[Any], seconds: float = 0.2) -> None:
    """Widen the window between counting the places and taking one, so that a
    missing lock shows up every time rather than once in a while."""
    original: Callable[..., Any] = manager.create

    def slow(**kwargs: Any) -> Any:
        time.sleep(seconds)
        return original(**kwargs)

    monkeypatch.setattr(manager, "create", slow)
