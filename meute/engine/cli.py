"""Command line of the engine: ``meute relevance|schedule|plan|replan|team|link``.

Each sub-command reads JSON files in the formats of docs/formats.md and writes
one; its report (quality figures, bounds, notes) goes to standard error. Bad
input prints one line naming the problem and exits with status 2; an
infeasible request prints its explanation and exits with status 3 (``meute team``:
status 1 when no team exists, naming each lot that no firm can take); never a
traceback.

Every command lives here, and only here does the engine read files or print:
the solvers take and return plain data, and no engine module imports this one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meute.engine.errors import EngineInputError, InfeasibleError

if TYPE_CHECKING:
    from meute.engine.rotations import PairingInstance

__all__ = [
    "LP_FIGURES_MAX",
    "build_parser",
    "main",
    "read_json",
    "run_link",
    "run_plan",
    "run_relevance",
    "run_replan",
    "run_schedule",
    "run_team",
    "say",
    "write_atomic",
    "write_json",
]

#: ``meute plan`` prints the LP bound up to this many requests (beyond, it costs
#: more CPU than the plan itself).
LP_FIGURES_MAX = 2000


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own usage errors: one line and status 2, like bad input.
        print(f"meute {self.prog.split()[-1]}: {message}", file=sys.stderr)
        raise SystemExit(2)


def read_json(path: str) -> Any:
    """Read a JSON file or raise EngineInputError naming the file and the problem.

    Refused in one line, never a traceback: a file over MAX_INPUT_BYTES, bytes
    that are not UTF-8, malformed JSON, JSON nested too deeply for the parser
    (``[[[[…`` 200,000 deep), a number too long to read.
    """
    from meute.engine.validation import MAX_INPUT_BYTES

    try:
        if Path(path).stat().st_size > MAX_INPUT_BYTES:
            raise EngineInputError(f"{path}: over the {MAX_INPUT_BYTES // 2**20} MB limit")
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise EngineInputError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EngineInputError(
            f"{path}: not UTF-8 text (byte {exc.start + 1} is 0x{raw[exc.start]:02x})"
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise EngineInputError(
            f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise EngineInputError(f"{path}: JSON nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise EngineInputError(f"{path}: unreadable JSON: {exc}") from exc


def write_json(path: str, data: Any) -> None:
    """Write ``data`` as compact UTF-8 JSON and a newline, atomically (see :func:`write_atomic`)."""
    write_atomic(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def say(line: str) -> None:
    """One line of a command's report: on standard error, the output file being the result."""
    print(line, file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="meute", description="Meute's scheduling engine.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("relevance", help="profiles (meute.profiles/1) -> instance (meute.pairing-instance/1)")
    p.add_argument("profiles")
    p.add_argument("-o", "--output", required=True)

    p = sub.add_parser("schedule", help="instance (meute.pairing-instance/1) -> schedule (meute.schedule/1)")
    p.add_argument("instance")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--time-limit", type=float, default=None, help="seconds; the solver stops improving then")
    p.add_argument(
        "--figures",
        action="store_true",
        help="also solve the exact LP bound and the fair bound's max-min LP for the report (slower)",
    )

    p = sub.add_parser("plan", help="booked meetings (meute.slots-instance/1) -> plan (meute.slot-plan/1)")
    p.add_argument("instance")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--time-limit", type=float, default=None)

    p = sub.add_parser("replan", help="rebuild the remaining rounds of a schedule during the event")
    p.add_argument("instance")
    p.add_argument("schedule")
    p.add_argument("--from-round", type=int, required=True, help="first round to rebuild (1-based)")
    p.add_argument("--absent", default="", help="comma-separated ids of people who left or never came")
    p.add_argument("--arrived", default="", help="comma-separated ids of late arrivals who join")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--seed", type=int, default=0)
    p = sub.add_parser(
        "team", help="tender (meute.tender/1) -> team (meute.team/1); exit 1 when no team exists"
    )
    p.add_argument("tender")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--alternatives", type=int, default=0, help="how many next-best distinct teams")

    p = sub.add_parser("link", help="member lists (CSV, XLSX, ODS) -> file,row,person CSV")
    p.add_argument("files", nargs="+")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--review", help="write the uncertain pairs, with their match weights, to this CSV")
    p.add_argument("--decisions", help="CSV file_a,row_a,file_b,row_b,same|split of known decisions")
    p.add_argument("--threshold", type=float, default=None, help="match probability that joins two rows")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--spark",
        metavar="MASTER",
        help="run the linkage on Spark (local[2], spark://host:7077): needs the optional group spark and Java",
    )
    return parser


def _read_bytes(path: str, limit: int) -> bytes:
    try:
        if Path(path).stat().st_size > limit:
            raise EngineInputError(f"{Path(path).name}: over the {limit // 2**20} MB limit")
        return Path(path).read_bytes()
    except OSError as exc:
        raise EngineInputError(f"{path}: cannot read ({exc.strerror})") from exc


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it: never half a file.

    The text is encoded first: a lone surrogate in an id (which JSON allows and
    UTF-8 does not) is refused before any file is touched, so an existing output
    is never truncated. A failure (a missing folder, no permission) leaves the
    old file as it was and is refused as bad input, naming the path.
    """
    target = Path(path)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EngineInputError(
            f"{path}: cannot write character {text[exc.start]!r} at position {exc.start} (not valid Unicode)"
        ) from exc
    tmp: Path | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "wb", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
        ) as out:
            tmp = Path(out.name)
            out.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise EngineInputError(f"{path}: cannot write ({exc.strerror or exc})") from exc


def run_link(args: argparse.Namespace) -> int:
    """``meute link FILE... -o PEOPLE.csv``: link member lists to people, write file,row,person."""
    from meute.engine.linkage.command import link_files, spark_session
    from meute.engine.linkage.read import MAX_BYTES

    started = time.perf_counter()
    files = [(Path(f).name, _read_bytes(f, MAX_BYTES)) for f in args.files]
    decisions = _read_bytes(args.decisions, MAX_BYTES).decode("utf-8-sig") if args.decisions else None
    spark = spark_session(args.spark) if args.spark else None
    try:
        run = link_files(
            files, decisions_csv=decisions, threshold=args.threshold, seed=args.seed, spark=spark
        )
    finally:
        if spark is not None:
            spark.stop()
    write_atomic(args.output, run.people_csv)
    if args.review:
        write_atomic(args.review, run.review_csv)
    for line in run.report:
        say(line)
    say(f"link: written to {args.output} in {time.perf_counter() - started:.2f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; the exit status: 0 done, 2 bad input, 3 infeasible."""
    args = build_parser().parse_args(argv)
    command = {
        "relevance": run_relevance,
        "schedule": run_schedule,
        "plan": run_plan,
        "replan": run_replan,
        "team": run_team,
        "link": run_link,
    }
    try:
        return command[args.command](args)
    except EngineInputError as exc:
        print(f"meute {args.command}: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except InfeasibleError as exc:
        print(f"meute {args.command}: infeasible: {_one_line(str(exc))}", file=sys.stderr)
        return 3
    except (RecursionError, MemoryError) as exc:
        # Input the limits of docs/formats.md let through but the machine cannot hold.
        print(f"meute {args.command}: input too large ({type(exc).__name__})", file=sys.stderr)
        return 2


def _one_line(message: str) -> str:
    # An id or a file name may hold a line break; the report stays one line.
    return " ".join(message.split("\n"))


# Each command imports its solver on demand: it loads only what it needs.


def run_relevance(args: argparse.Namespace) -> int:
    """``meute relevance PROFILES -o INSTANCE``: score the profiles, write the pairing instance."""
    from meute.engine.relevance import parse_profiles, score_profiles, to_pairing_instance

    profiles, rounds, table_size = parse_profiles(read_json(args.profiles))
    result = score_profiles(profiles)
    write_json(args.output, to_pairing_instance(profiles, result, rounds=rounds, table_size=table_size))
    say(
        f"{len(profiles)} profiles scored: {len(result.requested)} requested pairs,"
        f" {len(result.forbidden)} forbidden pairs, {len(result.reasons)} pairs explained"
    )
    return 0


def run_schedule(args: argparse.Namespace) -> int:
    """``meute schedule INSTANCE.json -o SCHEDULE.json [--seed S] [--time-limit T] [--figures]``.

    Reads and validates the instance, solves (one-to-one or tables, as
    :func:`meute.engine.rotations.solve_schedule` chooses), checks the result
    with :func:`meute.engine.rotations.is_valid_schedule`, writes the schedule
    and prints its figures: against a bound from the solver's LP duals by
    default, against the exact LP bound and the fair bound with ``--figures``.
    """
    from meute.engine.rotations import (
        RotationResult,
        best_bound,
        fair_bound,
        is_valid_schedule,
        parse_instance,
        schedule_figures,
        schedule_to_json,
        solve_schedule,
    )
    from meute.engine.rotations.bounds import Bound, dual_bound

    instance = parse_instance(read_json(args.instance))
    started = time.perf_counter()
    result = solve_schedule(instance, seed=args.seed, time_limit=args.time_limit)
    seconds = time.perf_counter() - started
    violations = is_valid_schedule(instance, result.rounds)
    if violations:  # pragma: no cover - a solver bug; refuse to write a broken schedule
        raise InfeasibleError(f"internal error, schedule breaks a rule: {violations[0]}")
    write_json(args.output, schedule_to_json(instance, result.rounds))
    # By default the report costs milliseconds: the bound comes from the solver's
    # LP duals (O(n^2), within 0.02 % of the exact LP on the benchmarks) and the
    # fair share is the solver's own estimate. --figures solves the exact LPs
    # (the fair bound's max-min LP alone costs several times the schedule).
    prices = getattr(result, "prices", None)
    fair = None
    if args.figures:
        bound = best_bound(instance)
        # beyond LP_MAX_PAIRS the max-min LP would take minutes: the top-R bound alone
        fair = fair_bound(instance) if bound.method == "lp" else None
    else:
        import numpy as np

        # without the solver's duals (tables), more sweeps of coordinate descent from 0
        # come as close (0.02 % above the LP at 120 in tables of 6, a few ms)
        y, sweeps = (prices, 2) if prices is not None else (np.zeros(instance.n), 8)
        bound = Bound(dual_bound(instance, y, sweeps=sweeps), "dual")
    fig = schedule_figures(instance, result.rounds, bound=bound, fair=fair)
    say(f"schedule: {instance.n} participants, {instance.rounds} rounds, written to {args.output}")
    say(f"solved in {seconds:.2f} s")
    label = {"lp": "LP bound", "dual": "LP dual bound", "top-R": "top-R bound"}[bound.method]
    after = {"lp": "", "dual": " (--figures: the exact LP)", "top-R": " (the LP is too large)"}[bound.method]
    say(
        f"total relevance: {fig['total_relevance']} = {fig['ratio_bound']:.2%}"
        f" of the {label} {fig['bound']}{after}"
    )
    line = f"worst-served: {fig['worst_share']:.1%} of their best, 10th percentile {fig['p10_share']:.1%}"
    if fair is not None:
        line += f"; {fig['worst_over_fair']:.1%} of the fair bound {fig['fair_bound']:.1%}"
    elif isinstance(result, RotationResult) and "fair_sparse" in result.stats:
        line += f" (the solver's estimate of the fair share is {result.stats['fair_sparse']:.1%}; --figures: the fair bound)"
    say(line)
    say(f"requested met: {fig['requested_met']} of {fig['requested_total']}")
    say(f"repeat meetings: {fig['repeat_meetings']}; most rests of anyone: {fig['max_rests']}")
    for note in result.notes:
        say(f"note: {note}")
    return 0


def run_plan(args: argparse.Namespace) -> int:
    """``meute plan INSTANCE -o PLAN [--seed S] [--time-limit T]``: write the plan, print its figures."""
    from meute.engine.slots import is_valid_plan, parse_instance, plan_figures, plan_meetings, plan_to_json

    instance = parse_instance(read_json(args.instance))
    if args.time_limit is not None and args.time_limit <= 0:
        raise EngineInputError(f"--time-limit: must be positive, got {args.time_limit}")
    plan = plan_meetings(instance, seed=args.seed, time_limit=args.time_limit)
    errors = is_valid_plan(instance, plan)
    if errors:  # pragma: no cover - a solver bug, never the user's fault
        raise RuntimeError("invalid plan: " + "; ".join(errors[:3]))
    # The LP bound costs more CPU than the plan itself on large days: shown up to
    # LP_FIGURES_MAX requests, where it takes a few seconds at most. The figures
    # come before the file: a failure never follows a written plan.
    with_lp = len(instance.meetings) <= LP_FIGURES_MAX
    try:
        f = plan_figures(instance, plan, with_lp=with_lp)
        bound = (
            f"LP bound {f['priority_bound_lp']}, ratio {f['priority_ratio_lp']}"
            if with_lp
            else f"LP bound not computed above {LP_FIGURES_MAX} requests"
        )
    except RuntimeError as exc:  # the LP solver gave up: the plan stands, its bound is unknown
        f = plan_figures(instance, plan, with_lp=False)
        bound = f"LP bound not computed ({exc})"
    write_json(args.output, plan_to_json(plan))
    say(
        f"placed {f['placed']}/{f['meetings']} meetings, priority {f['priority_placed']}/{f['priority_total']}"
        f" ({bound}), idle gaps {f['idle_gaps']}"
    )
    return 0


def _ids(raw: str, option: str, instance: PairingInstance) -> list[int]:
    out = []
    for pid in (p.strip() for p in raw.split(",")):
        if not pid:
            continue
        if pid not in instance.index:
            raise EngineInputError(f"{option}: unknown participant {pid!r}")
        out.append(instance.index[pid])
    return out


def run_replan(args: argparse.Namespace) -> int:
    """``meute replan INSTANCE SCHEDULE --from-round R [--absent ids] [--arrived ids] -o NEW``.

    Writes the new schedule (``meute.schedule/1``) and prints how many planned
    meetings changed: :func:`meute.engine.rotations.replan` for pairs,
    :func:`meute.engine.rotations.replan_tables` for tables of 3 or more, both
    checked by :func:`meute.engine.rotations.is_valid_replan`.
    """
    from meute.engine.rotations import (
        is_valid_replan,
        parse_instance,
        parse_schedule,
        replan,
        schedule_to_json,
    )

    instance = parse_instance(read_json(args.instance))
    planned = parse_schedule(instance, read_json(args.schedule))
    absent = _ids(args.absent, "--absent", instance)
    arrived = _ids(args.arrived, "--arrived", instance)
    started = time.perf_counter()
    result = replan(
        instance, planned, from_round=args.from_round, absent=absent, arrived=arrived, seed=args.seed
    )
    seconds = time.perf_counter() - started
    violations = is_valid_replan(
        instance, planned, result.rounds, from_round=args.from_round, absent=absent, arrived=arrived
    )
    if violations:  # pragma: no cover - a bug; refuse to write a broken schedule
        raise EngineInputError(f"the rebuilt schedule breaks a rule: {violations[0]}")
    write_json(args.output, schedule_to_json(instance, result.rounds))
    summary: dict[str, Any] = {
        "rebuilt": f"rounds {args.from_round} to {instance.rounds}",
        "changed": result.changed,
        "added": result.added,
        "kept": f"{result.kept} of {result.untouched} untouched planned meetings ({result.kept_share:.1%})",
    }
    say(f"replan: written to {args.output} in {seconds:.2f} s")
    for key, value in summary.items():
        say(f"{key}: {value}")
    for note in result.notes:
        say(f"note: {note}")
    return 0


def run_team(args: argparse.Namespace) -> int:
    """``meute team TENDER -o TEAM [--alternatives K]``: the best team and K next-best, or exit 1 naming the lots."""

    from meute.engine import consortium

    tender = consortium.parse_tender(read_json(args.tender))
    if args.alternatives < 0:
        raise EngineInputError(f"--alternatives: must be at least 0, got {args.alternatives}")
    result = consortium.solve_team(tender, alternatives=args.alternatives)
    if result.team is None:
        say(f"meute team: no team: {consortium.describe_gaps(tender, result.gaps)}")
        return 1
    errors = consortium.is_valid_team(tender, result.team.assignment)
    if errors:  # pragma: no cover - a solver bug, never the user's fault
        raise RuntimeError("invalid team: " + "; ".join(errors[:3]))
    # Atomic: a reader never sees half a team, and a failed run leaves the old file.
    write_atomic(
        args.output,
        json.dumps(consortium.result_to_json(result), ensure_ascii=False, separators=(",", ":")) + "\n",
    )
    say(
        f"team of {len(result.team.firms)} firm(s) for {len(tender.lots)} lot(s), cost {result.team.cost:g},"
        f" lower bound {result.lower_bound:g} (gap {100 * (result.gap or 0):.2f} %),"
        f" {len(result.alternatives)} alternative(s)"
    )
    return 0
