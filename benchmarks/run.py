"""`make bench`: run every benchmark side by side with its baselines and write docs/benchmarks.md.

Each ``benchmarks/bench_<area>.py`` exposes ``run(quick: bool) -> str`` that
returns a Markdown section of measured figures. Schedules are judged by the
independent referee of ../shared/referee (REFEREE_DIR overrides the place);
without it the benchmarks stop with a message rather than judge themselves.

Usage: python -m benchmarks.run [--quick] [--only AREA ...] [--no-write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import platform
import subprocess
from pathlib import Path

from benchmarks.common import CHECKS, ROOT, referee_dir, table

AREAS = ["cli", "rotations", "popular", "tables", "replan", "slots", "relevance", "teams", "linkage"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{platform.node()}: {os.cpu_count()} cores, {cpu}{mem}, Python {platform.python_version()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller instances, for a smoke run")
    ap.add_argument("--only", nargs="*", choices=AREAS)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    referee_dir()
    sections = []
    for area in args.only or AREAS:
        module = importlib.import_module(f"benchmarks.bench_{area}")
        print(f"== {area}", flush=True)
        section = module.run(quick=args.quick)
        print(section, flush=True)
        sections.append(section)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    head = [
        "# Benchmarks",
        "",
        f"Measured on {dt.date.today().isoformat()} by `make bench` (commit {commit.stdout.strip() or '?'}),"
        f" on {machine()}.",
        "Every figure of quality comes from the independent referee (../shared/referee); times are medians",
        "of the runs stated, on a noisy 2-core machine: read the ratios, not the last digit.",
        "",
    ]
    summary = [
        "## Against the targets",
        "",
        *(
            ["Quick run: smaller instances than the issue's; its targets are set for the full sizes.", ""]
            if args.quick
            else []
        ),
        table(
            ["area", "target", "measured in this run", "met"],
            [[a, t, m, "yes" if ok else "**no**"] for a, t, m, ok in CHECKS],
        ),
        "",
    ]
    print("\n".join(summary), flush=True)
    if not args.no_write and not args.quick and not args.only:
        (ROOT / "docs" / "benchmarks.md").write_text(
            "\n".join(head + summary + sections) + "\n", encoding="utf-8"
        )
        print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
