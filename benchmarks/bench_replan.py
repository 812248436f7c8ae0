"""Re-planning during the event: Meute's minimal-change replan against solving again.

Scenario of the issue: 400 people, 8 rounds; after round 3, three people leave
and two late registrations arrive. Figures of quality come from the referee.

Run: .venv/bin/python -c "from benchmarks import bench_replan as b; print(b.run())"
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import ROOT, check, shared_module, table, timed
from meute.engine.rotations import (
    PairingInstance,
    is_valid_replan,
    is_valid_schedule,
    parse_instance,
    replan,
    replan_tables,
    schedule_to_json,
    solve_rotations,
    solve_tables,
)

Rounds = list[list[list[int]]]


def pairs(tables: list[list[int]]) -> set[tuple[int, int]]:
    return {(min(p, q), max(p, q)) for t in tables for p, q in combinations(t, 2)}


def resolve_from_scratch(
    inst: PairingInstance, planned: Rounds, from_round: int, absent: list[int], arrived: list[int]
) -> Rounds:
    """Baseline: solve the remaining rounds again, pairs already met forbidden."""
    frozen = planned[: from_round - 1]
    present = sorted(({i for t in planned for tb in t for i in tb} | set(arrived)) - set(absent))
    sub = {old: new for new, old in enumerate(present)}
    met = set().union(*(pairs(t) for t in frozen)) if frozen else set()
    forbidden = tuple(
        sorted((min(sub[p], sub[q]), max(sub[p], sub[q])) for p, q in met if p in sub and q in sub)
    )
    idx = np.array(present)
    small = PairingInstance(
        ids=tuple(inst.ids[i] for i in present),
        companies=tuple(inst.companies[i] for i in present),
        weights=inst.weights[np.ix_(idx, idx)],
        forbidden=forbidden,
        rounds=inst.rounds - from_round + 1,
    )
    rest = solve_rotations(small).rounds
    return frozen + [[[present[i] for i in t] for t in tables] for tables in rest]


def kept_share(planned: Rounds, new: Rounds, from_round: int, present: set[int]) -> tuple[int, int, float]:
    untouched = kept = changed = 0
    for before, after in zip(planned[from_round - 1 :], new[from_round - 1 :], strict=True):
        b, a = pairs(before), pairs(after)
        u = {p for p in b if p[0] in present and p[1] in present}
        untouched += len(u)
        kept += len(u & a)
        changed += len(b - a)
    return changed, kept, kept / untouched if untouched else 1.0


def cli_time(
    doc: dict[str, Any],
    schedule: dict[str, Any],
    from_round: int,
    inst: PairingInstance,
    absent: list[int],
    arrived: list[int],
) -> float:
    """Wall time of the whole `meute replan` command in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        ipath, spath, opath = Path(tmp) / "i.json", Path(tmp) / "s.json", Path(tmp) / "o.json"
        ipath.write_text(json.dumps(doc))
        spath.write_text(json.dumps(schedule))
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "meute.cli",
                "replan",
                str(ipath),
                str(spath),
                "--from-round",
                str(from_round),
                "--absent",
                ",".join(inst.ids[i] for i in absent),
                "--arrived",
                ",".join(inst.ids[i] for i in arrived),
                "-o",
                str(opath),
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        return time.perf_counter() - start


def run(quick: bool = False) -> str:
    """Measure replan on the issue's scenario; return a Markdown section."""
    referee = shared_module("referee")
    make = shared_module("make_instance").make
    n, R, late, gone, from_round = (120, 6, 2, 3, 3) if quick else (400, 8, 2, 3, 4)
    full_doc = make(n + late, R, seed=4, requested_fraction=0.05)
    full = parse_instance(full_doc)
    # the schedule was made before the late registrations: the first n people only
    registered = PairingInstance(
        ids=full.ids[:n],
        companies=full.companies[:n],
        weights=full.weights[:n, :n],
        requested=tuple(p for p in full.requested if max(p) < n),
        rounds=R,
    )
    planned = solve_rotations(registered).rounds
    rng = np.random.default_rng(7)
    absent = sorted(int(i) for i in rng.choice(n, gone, replace=False))
    arrived = list(range(n, n + late))
    present = (set(range(n)) - set(absent)) | set(arrived)

    result, seconds = timed(
        lambda: replan(full, planned, from_round=from_round, absent=absent, arrived=arrived), repeats=5
    )
    scratch, scratch_seconds = timed(
        lambda: resolve_from_scratch(full, planned, from_round, absent, arrived), repeats=1
    )
    rows: list[list[Any]] = []
    for name, rounds, secs in (
        ("Meute replan", result.rounds, seconds),
        ("solve again", scratch, scratch_seconds),
    ):
        fig = referee.referee(full_doc, schedule_to_json(full, rounds))
        frozen_ok = rounds[: from_round - 1] == planned[: from_round - 1]
        seated_absent = sum(1 for t in rounds[from_round - 1 :] for tb in t for i in tb if i in absent)
        arrivals_in = all(all(any(a in tb for tb in t) for t in rounds[from_round - 1 :]) for a in arrived)
        changed, _kept, share = kept_share(planned, rounds, from_round, present)
        # the referee's hard rules; rests are expected for people who left or were not there yet
        rows.append(
            [
                name,
                "yes" if fig["valid"] else f"NO ({fig['errors'][:1]})",
                "yes" if frozen_ok else "NO",
                seated_absent,
                "yes" if arrivals_in else "NO",
                changed,
                f"{share:.1%}",
                fig["total_relevance"],
                fig["repeat_meetings"],
                f"{secs:.3f}",
            ]
        )
    assert is_valid_schedule(full, result.rounds, check_rests=False) == []
    check(
        "re-plan",
        f"{n} people, {gone} absent, {late} late before round {from_round}: <= 1 s, >= 90 % of untouched kept",
        f"{seconds:.3f} s, {rows[0][6]} kept, valid {rows[0][1]}",
        seconds <= 1.0 and result.kept >= 0.9 * max(result.untouched, 1) and rows[0][1] == "yes",
    )
    cli_seconds = cli_time(full_doc, schedule_to_json(registered, planned), from_round, full, absent, arrived)
    planned_fig = referee.referee(full_doc, schedule_to_json(full, planned))
    out = [
        "## Re-planning during the event",
        "",
        f"{n} people, {R} rounds, schedule made before {late} late registrations; before round {from_round}"
        f" {gone} people leave ({', '.join(full.ids[i] for i in absent)}) and the {late} late arrivals"
        f" ({', '.join(full.ids[i] for i in arrived)}) join. The planned schedule scored"
        f" {planned_fig['total_relevance']} (referee).",
        "",
        table(
            [
                "schedule",
                "valid",
                "frozen rounds identical",
                "absentees seated",
                "arrivals in every round",
                "planned meetings changed",
                "untouched meetings kept",
                "total",
                "repeats",
                "seconds",
            ],
            rows,
        ),
        "",
        f"Meute's replan: {result.planned} planned meetings in the rebuilt rounds, {result.untouched} between"
        f" people still present, {result.kept} kept, {result.changed} changed, {result.added} added.",
        "",
        f"The whole command (`meute replan`, a fresh process: starting Python, importing numpy,"
        f" reading both files, writing the new one) took {cli_seconds:.2f} s wall time.",
        "",
    ]
    out += tables_scenario(referee, make, quick)
    return "\n".join(out)


def tables_scenario(referee: Any, make: Any, quick: bool) -> list[str]:
    """The issue's tables case: 120 at tables of 6, 4 rounds; 4 absent and 3 late before round 3."""
    n, k, R, gone, late, from_round = 120, 6, 4, 4, 3, 3
    full_doc = make(n + late, R, k, seed=4)
    full = parse_instance(full_doc)
    registered = PairingInstance(
        ids=full.ids[:n], companies=full.companies[:n], weights=full.weights[:n, :n], rounds=R, table_size=k
    )
    planned = solve_tables(registered).rounds
    rng = np.random.default_rng(7)
    absent = sorted(int(i) for i in rng.choice(n, gone, replace=False))
    arrived = list(range(n, n + late))
    result, seconds = timed(
        lambda: replan_tables(full, planned, from_round=from_round, absent=absent, arrived=arrived),
        repeats=5,
    )
    errors = is_valid_replan(
        full, planned, result.rounds, from_round=from_round, absent=absent, arrived=arrived
    )
    fig = referee.referee(full_doc, schedule_to_json(full, result.rounds))
    planned_fig = referee.referee(full_doc, schedule_to_json(full, planned))
    check(
        "re-plan",
        f"{n} at tables of {k}, {gone} absent, {late} late before round {from_round}:"
        " <= 1 s, >= 90 % of untouched kept, no repeat",
        f"{seconds:.3f} s, {result.kept_share:.1%} kept, {fig['repeat_meetings']} repeats, valid {fig['valid']}",
        seconds <= 1.0
        and result.kept_share >= 0.9
        and fig["repeat_meetings"] == 0
        and bool(fig["valid"])
        and not errors,
    )
    return [
        f"### Tables: {n} at tables of {k}, {R} rounds; {gone} absent and {late} late before round {from_round}",
        "",
        table(
            [
                "schedule",
                "valid (referee)",
                "re-plan rules (checker)",
                "untouched meetings kept",
                "changed",
                "added",
                "total",
                "repeats",
                "seconds (median of 5)",
            ],
            [
                [
                    "planned",
                    "yes" if planned_fig["valid"] else "NO",
                    "-",
                    "-",
                    "-",
                    "-",
                    planned_fig["total_relevance"],
                    planned_fig["repeat_meetings"],
                    "-",
                ],
                [
                    "Meute replan_tables",
                    "yes" if fig["valid"] else f"NO ({fig['errors'][:1]})",
                    "kept" if not errors else f"NO ({errors[0]})",
                    f"{result.kept} of {result.untouched} ({result.kept_share:.1%})",
                    result.changed,
                    result.added,
                    fig["total_relevance"],
                    fig["repeat_meetings"],
                    f"{seconds:.3f}",
                ],
            ],
        ),
        "",
    ]


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
