"""gunicorn's configuration for `make serve` (`gunicorn -c meute/gunicorn.conf.py`).

Workers: 2 × cores + 1, at most 9 (MEUTE_WEB_WORKERS overrides). The app is
imported once by the master and forked (`preload_app`): workers start at once
and share the scientific libraries' memory. A graceful reload on new code is
therefore gunicorn's re-exec: `make reload` sends USR2 (a new master on the new
code, with its workers), then QUIT to the old master, whose workers finish their
requests first. `kill -HUP` reloads the configuration only.
Requests are logged by Meute itself (one JSON line each), so gunicorn's access
log is off.
"""

from __future__ import annotations

import os
import sys

# Fail with one clear line before forking anything (the settings would, in each worker).
if (
    os.environ.get("MEUTE_ENV", "development") == "production"
    and len(os.environ.get("MEUTE_SECRET_KEY", "")) < 50
):
    sys.exit(
        "meute: MEUTE_SECRET_KEY is required when MEUTE_ENV=production (50+ random characters; "
        "see README 'Configuration')"
    )

wsgi_app = "meute.wsgi:application"
bind = os.environ.get("MEUTE_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("MEUTE_WEB_WORKERS") or min(2 * (os.cpu_count() or 1) + 1, 9))
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("MEUTE_WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle a worker now and then, so a slow leak never grows; jitter keeps them from restarting together.
max_requests = 5000
max_requests_jitter = 500
pidfile = os.environ.get(
    "MEUTE_PIDFILE", os.path.join(os.environ.get("MEUTE_VAR_DIR", "var"), "gunicorn.pid")
)
accesslog = None
errorlog = "-"
loglevel = os.environ.get("MEUTE_GUNICORN_LOG_LEVEL", "info")
proc_name = "meute"


def when_ready(server: object) -> None:
    """In the master, before forking: import every view, so no worker's first request pays for
    importing the engine's scientific libraries (seconds on a busy machine, past the timeout)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018
