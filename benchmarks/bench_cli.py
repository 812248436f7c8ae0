"""`meute schedule` end to end: a fresh process, from start-up to the report, as a user runs it.

Each run is a new ``python -m meute.cli schedule`` process (interpreter start,
imports, reading the instance, solving, checking, writing, the report); the
figures are its wall time and its CPU time (user + system, from the kernel's
accounting of the finished child), medians of 5 runs after one warm-up. On a
loaded machine wall time includes waiting for a core; CPU time does not.

Run: .venv/bin/python -c "from benchmarks import bench_cli as b; print(b.run())"
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, check, shared_module, table

#: The issue's targets, wall seconds end to end on a quiet machine.
TARGETS = {200: 0.5, 400: 1.5}


def _one_run(args: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {proc.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def measure(path: Path, out: Path, extra: list[str], runs: int = 5) -> tuple[float, float]:
    """Median wall and CPU seconds of ``meute schedule PATH`` over ``runs`` runs after a warm-up."""
    args = [sys.executable, "-m", "meute.cli", "schedule", str(path), "-o", str(out), *extra]
    _one_run(args)
    got = [_one_run(args) for _ in range(runs)]
    return statistics.median(w for w, _ in got), statistics.median(c for _, c in got)


def run(quick: bool = False) -> str:
    make_instance = shared_module("make_instance")
    sizes = [200] if quick else [200, 400]
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"i{n}.json"
            path.write_text(json.dumps(make_instance.make(n, 8, seed=1, requested_fraction=0.05)))
            out = Path(tmp) / "s.json"
            wall, cpu = measure(path, out, [], runs=3 if quick else 5)
            fwall, fcpu = measure(path, out, ["--figures"], runs=1 if quick else 3)
            rows.append([f"{n}x8", f"{wall:.2f}", f"{cpu:.2f}", f"{fwall:.2f}", f"{fcpu:.2f}"])
            target = TARGETS[n]
            check(
                "command line",
                f"`meute schedule` {n}x8 end to end <= {target} s (quiet machine; CPU s quoted, wall under load beside)",
                f"{cpu:.2f} s CPU, {wall:.2f} s wall at load {load:.1f}",
                cpu <= target,
            )
    return "\n".join(
        [
            "## The command line, end to end",
            "",
            f"Load average when this section started: {load:.1f} on {os.cpu_count()} cores.",
            "A fresh `python -m meute.cli schedule` process each run: interpreter start-up, imports",
            "(numpy and HiGHS alone, not scipy.optimize), reading and checking the instance, solving,",
            "checking the schedule, writing it, and the report. By default the report's bound comes from",
            "the solver's LP duals (milliseconds) and the fair share is the solver's estimate; `--figures`",
            "adds the exact LP bound and the fair bound's max-min LP. Medians of 5 runs (3 with",
            "`--figures`) after a warm-up; CPU = user + system of the child. The in-process figures of",
            "the next section time the solver alone, in a warm process.",
            "",
            table(["instance", "wall s", "CPU s", "--figures wall s", "--figures CPU s"], rows),
            "",
        ]
    )
