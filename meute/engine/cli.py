"""Command line of the engine: ``meute relevance|schedule|plan|replan|team``.

Each sub-command reads JSON files in the formats of docs/formats.md and writes
one; its report (quality figures, bounds, notes) goes to standard error. Bad input prints one line naming the problem and exits with status 2; an
infeasible request prints its explanation and exits with status 3 (``meute team``:
status 1 when no team exists, naming each lot that no firm can take); never a
traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from meute.engine.errors import EngineInputError, InfeasibleError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's own usage errors: one line and status 2, like bad input.
        print(f"meute {self.prog.split()[-1]}: {message}", file=sys.stderr)
        raise SystemExit(2)


def read_json(path: str) -> Any:
    """Read a JSON file or raise EngineInputError naming the file and the position."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise EngineInputError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise EngineInputError(
            f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc


def write_json(path: str, data: Any) -> None:
    Path(path).write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        # Imported on demand: each command loads only the solver it needs.
        if args.command == "relevance":
            from meute.engine import relevance

            return relevance.run_cli(args)
        if args.command == "schedule":
            from meute.engine import rotations

            return rotations.run_schedule_cli(args)
        if args.command == "replan":
            from meute.engine import replan

            return replan.run_cli(args)
        if args.command == "team":
            return run_team(args)
        from meute.engine import slots

        return slots.run_cli(args)
    except EngineInputError as exc:
        print(f"meute {args.command}: {exc}", file=sys.stderr)
        return 2
    except InfeasibleError as exc:
        print(f"meute {args.command}: infeasible: {exc}", file=sys.stderr)
        return 3


def run_team(args: argparse.Namespace) -> int:
    """``meute team TENDER -o TEAM [--alternatives K]``: the best team and K next-best, or exit 1 naming the lots."""
    import os

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
    target = Path(args.output)
    partial = target.with_name(f".{target.name}.partial")
    try:
        write_json(str(partial), consortium.result_to_json(result))
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise EngineInputError(f"{args.output}: cannot write ({exc.strerror})") from exc
    say(
        f"team of {len(result.team.firms)} firm(s) for {len(tender.lots)} lot(s), cost {result.team.cost:g},"
        f" lower bound {result.lower_bound:g} (gap {100 * (result.gap or 0):.2f} %),"
        f" {len(result.alternatives)} alternative(s)"
    )
    return 0
