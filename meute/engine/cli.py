"""Command line of the engine: ``meute relevance|schedule|plan|replan|link``.

Each sub-command reads JSON files in the formats of docs/formats.md and writes
one; its report (quality figures, bounds, notes) goes to standard error. Bad input prints one line naming the problem and exits with status 2; an
infeasible request prints its explanation and exits with status 3; never a
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

    p = sub.add_parser("link", help="member lists (CSV, XLSX, ODS) -> file,row,person CSV")
    p.add_argument("files", nargs="+")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--review", help="write the uncertain pairs, with their match weights, to this CSV")
    p.add_argument("--decisions", help="CSV file_a,row_a,file_b,row_b,same|split of known decisions")
    p.add_argument("--threshold", type=float, default=None, help="match probability that joins two rows")
    p.add_argument("--seed", type=int, default=0)
    return parser


def _read_bytes(path: str, limit: int) -> bytes:
    try:
        if Path(path).stat().st_size > limit:
            raise EngineInputError(f"{Path(path).name}: over the {limit // 2**20} MB limit")
        return Path(path).read_bytes()
    except OSError as exc:
        raise EngineInputError(f"{path}: cannot read ({exc.strerror})") from exc


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it: never half a file."""
    target = Path(path)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(target)


def _link(args: argparse.Namespace) -> int:
    import time

    from meute.engine.linkage.command import link_files
    from meute.engine.linkage.read import MAX_BYTES

    started = time.perf_counter()
    files = [(Path(f).name, _read_bytes(f, MAX_BYTES)) for f in args.files]
    decisions = _read_bytes(args.decisions, MAX_BYTES).decode("utf-8-sig") if args.decisions else None
    run = link_files(files, decisions_csv=decisions, threshold=args.threshold, seed=args.seed)
    write_atomic(args.output, run.people_csv)
    if args.review:
        write_atomic(args.review, run.review_csv)
    for line in run.report:
        say(line)
    say(f"link: written to {args.output} in {time.perf_counter() - started:.2f} s")
    return 0


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
        if args.command == "link":
            return _link(args)
        if args.command == "replan":
            from meute.engine import replan

            return replan.run_cli(args)
        from meute.engine import slots

        return slots.run_cli(args)
    except EngineInputError as exc:
        print(f"meute {args.command}: {exc}", file=sys.stderr)
        return 2
    except InfeasibleError as exc:
        print(f"meute {args.command}: infeasible: {exc}", file=sys.stderr)
        return 3
