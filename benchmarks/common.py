"""What every benchmark shares: the referee, instance generators and timing."""

from __future__ import annotations

import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def referee_dir() -> Path:
    """Where the independent referee is (REFEREE_DIR, else ../shared/referee); exits if it is not there."""
    path = Path(os.environ.get("REFEREE_DIR", ROOT.parent / "shared" / "referee"))
    if not (path / "referee.py").exists():
        sys.exit(f"benchmarks: the referee is not at {path} (set REFEREE_DIR)")
    return path


def shared_module(name: str) -> ModuleType:
    """Load one of ../shared/referee's scripts as a module (referee, slots_referee, make_instance…)."""
    path = referee_dir() / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"shared_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(fn: Callable[[], Any], repeats: int = 3) -> tuple[Any, float]:
    """Run fn `repeats` times; return its last result and the median wall time in seconds."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


#: The issue's targets as measured in this run: (area, target, measured, met).
CHECKS: list[tuple[str, str, str, bool]] = []


def check(area: str, target: str, measured: str, met: bool) -> None:
    """Record one target against what this run measured (for the summary at the top of the page)."""
    CHECKS.append((area, target, measured, met))


def table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
