"""Load scenarios for `make load` (benchmarks/load/run.py): read pages, and a log-in + register burst.

`ReadUser` mixes directory searches, network pages and event pages (weights 3:2:2).
`BurstUser` logs in once with its own account, registers for the burst event once, and stops.
The plan (slugs, event ids, accounts) comes from var/load/plan.json, written by prepare.py.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, task
from locust.exception import StopUser

PLAN: dict[str, Any] = json.loads(Path(os.environ.get("MEUTE_LOAD_PLAN", "var/load/plan.json")).read_text())
_accounts = itertools.count()


def _plain_cookies(user: HttpUser) -> None:
    # Production cookies are Secure; this run speaks plain HTTP on loopback, so let them through.
    for cookie in user.client.cookies:
        cookie.secure = False


class ReadUser(HttpUser):
    wait_time = between(0, 0.05)

    @task(3)
    def directory_search(self) -> None:
        self.client.get(f"/reseaux/?q={random.choice(PLAN['words'])}", name="/reseaux/?q=")

    @task(2)
    def network_page(self) -> None:
        self.client.get(f"/reseaux/{random.choice(PLAN['slugs'])}/", name="/reseaux/<slug>/")

    @task(2)
    def event_page(self) -> None:
        self.client.get(f"/evenements/{random.choice(PLAN['events'])}/", name="/evenements/<id>/")


class BurstUser(HttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        email = PLAN["accounts"][next(_accounts) % len(PLAN["accounts"])]
        self.client.get("/comptes/connexion/", name="login page")
        _plain_cookies(self)
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/comptes/connexion/",
            data={"username": email, "password": PLAN["password"], "csrfmiddlewaretoken": token},
            allow_redirects=False,
            name="log-in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"log-in answered {response.status_code}")
        _plain_cookies(self)

    @task
    def register(self) -> None:
        token = self.client.cookies.get("csrftoken", "")
        self.client.post(
            f"/evenements/{PLAN['burst_event']}/inscription/",
            data={"csrfmiddlewaretoken": token},
            headers={"X-CSRFToken": token},
            allow_redirects=False,
            name="register",
        )
        raise StopUser()
