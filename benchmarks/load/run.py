"""`make load`: locust, headless, on loopback, against `make serve` on PostgreSQL with the national data.

Steps: prepare the plan and the burst event; start `make serve` on 127.0.0.1:$LOAD_PORT (production
settings, plain HTTP); wait for /sante/; read pages at 1, 10 and 50 users (LOAD_SECONDS each); the
burst: BURST users log in and register at once for PLACES places; check the database (exactly PLACES
confirmed, the rest wait-listed); stop the server; print a Markdown table (also var/load/report.md).

Needs DATABASE_URL=postgres://… with `meute demo_load --scale national` loaded.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "load"
LOCUST = str(Path(sys.executable).parent / "locust")


def _env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("MEUTE_ENV", "production")
    env.setdefault("MEUTE_SECRET_KEY", "load-test-only-" + "x" * 50)
    env.setdefault("MEUTE_SSL_REDIRECT", "0")
    env.setdefault("MEUTE_LOG_LEVEL", "WARNING")
    env.setdefault("MEUTE_REQUEST_LOG_LEVEL", "WARNING")
    env.setdefault("MEUTE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    # A mail server that refuses every connection: confirmations wait in the outbox, as with SMTP down.
    env.setdefault("MEUTE_EMAIL_HOST", "127.0.0.1")
    env.setdefault("MEUTE_EMAIL_PORT", "8499")
    env.setdefault("MEUTE_EMAIL_TLS", "0")
    env["PORT"] = str(port)
    env["MEUTE_PIDFILE"] = str(OUT / "gunicorn.pid")
    return env


def _wait_ready(port: int, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante/", timeout=2):
                return
        except Exception:
            time.sleep(0.5)
    raise SystemExit("load: the server did not answer /sante/ in time")


def _locust(port: int, user_class: str, users: int, seconds: int, name: str) -> dict[str, str]:
    prefix = OUT / name
    subprocess.run(
        [
            LOCUST,
            "-f",
            str(ROOT / "benchmarks" / "load" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            user_class,
        ],
        cwd=ROOT,
        env={**os.environ, "MEUTE_LOAD_PLAN": str(OUT / "plan.json")},
        check=False,
        stdout=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv") as f:
        rows = {r["Name"]: r for r in csv.DictReader(f)}
    return rows


def _row(label: str, r: dict[str, str]) -> str:
    return (
        f"| {label} | {r['Request Count']} | {r['Failure Count']} | {float(r['50%']):.0f} | {float(r['95%']):.0f} "
        f"| {float(r['99%']):.0f} | {float(r['Max Response Time']):.0f} | {float(r['Requests/s']):.1f} |"
    )


def main() -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the clean-up below on TERM as well
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8450")))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "30")))
    parser.add_argument("--users", default=os.environ.get("LOAD_USERS", "1,10,50"))
    parser.add_argument("--burst", type=int, default=int(os.environ.get("LOAD_BURST", "200")))
    parser.add_argument("--places", type=int, default=int(os.environ.get("LOAD_PLACES", "50")))
    parser.add_argument(
        "--burst-seconds",
        type=int,
        default=int(os.environ.get("LOAD_BURST_SECONDS", "180")),
        help="time left to the burst: every log-in hashes a password (PBKDF2), the slow part",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("load: set DATABASE_URL=postgres://… (the national data set on PostgreSQL)")
    OUT.mkdir(parents=True, exist_ok=True)
    env = _env(args.port)
    os.environ.update(
        {k: env[k] for k in ("MEUTE_ENV", "MEUTE_SECRET_KEY", "MEUTE_SSL_REDIRECT", "MEUTE_TASKS_BACKEND")}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    sys.path.insert(0, str(ROOT))
    from benchmarks.load import prepare

    plan = prepare.main(OUT / "plan.json", places=args.places)
    server_log = (OUT / "server.log").open("w")
    worker_log = (OUT / "worker.log").open("w")
    server = subprocess.Popen(
        ["make", "-s", "serve"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=server_log,
        stderr=server_log,
    )
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "meute"), "worker"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=worker_log,
        stderr=worker_log,
    )
    lines = [
        f"Measured {dt.date.today().isoformat()} on {platform.node()} ({os.cpu_count()} cores, "
        f"{platform.processor() or platform.machine()}), PostgreSQL on 127.0.0.1, gunicorn "
        f"{os.environ.get('MEUTE_WEB_WORKERS') or 'default'} workers, {args.seconds} s per step.",
        "",
        "| step | requests | failures | p50 ms | p95 ms | p99 ms | max ms | requests/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    try:
        _wait_ready(args.port)
        for users in [int(u) for u in args.users.split(",") if u]:
            rows = _locust(args.port, "ReadUser", users, args.seconds, f"read_{users}")
            lines.append(_row(f"read mix, {users} users", rows["Aggregated"]))
            search = rows.get("/reseaux/?q=")
            if search:
                lines.append(_row(f"  directory search, {users} users", search))
        rows = _locust(args.port, "BurstUser", args.burst, args.burst_seconds, "burst")
        for name in ("log-in", "register"):
            if name in rows:
                lines.append(_row(f"burst {args.burst} users: {name}", rows[name]))
    finally:
        for process in (server, worker):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, worker):
            process.wait(timeout=60)
    from meute.events.models import Registration, RegistrationStatus

    regs = Registration.objects.filter(event_id=plan["burst_event"])
    confirmed = regs.filter(status=RegistrationStatus.CONFIRMED).count()
    waitlisted = regs.filter(status=RegistrationStatus.WAITLISTED).count()
    lines += [
        "",
        f"Burst: {args.burst} people for {args.places} places: {confirmed} confirmed, {waitlisted} wait-listed.",
    ]
    report = "\n".join(lines)
    (OUT / "report.md").write_text(report + "\n")
    print(report)
    return 0 if confirmed == min(args.places, args.burst) else 1


if __name__ == "__main__":
    sys.exit(main())
