"""/sante/: is this web process able to serve? The database answers, and a worker is alive."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from meute.operations.heartbeat import heartbeat_age, worker_needed


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """200 when everything is fine, 503 otherwise, with a JSON body saying what failed.

    Open to anyone (a load balancer asks it) and telling nothing private:
    whether the database answers, how long it took, and the age of the
    newest worker heartbeat.
    """
    body: dict[str, object] = {}
    ok = True
    start = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 1)}
    except Exception as exc:  # any database failure is what this endpoint reports
        ok = False
        body["database"] = {"ok": False, "error": type(exc).__name__}
    if not worker_needed():
        body["worker"] = {"ok": True, "needed": False}
    elif body["database"]["ok"]:  # type: ignore[index]
        age = heartbeat_age()
        alive = age is not None and age <= settings.MEUTE_HEARTBEAT_MAX_AGE
        ok = ok and alive
        body["worker"] = {
            "ok": alive,
            "needed": True,
            "heartbeat_age_s": None if age is None else round(age, 1),
        }
    else:
        body["worker"] = {"ok": False, "needed": True, "heartbeat_age_s": None}
    body["status"] = "ok" if ok else "fail"
    return JsonResponse(body, status=200 if ok else 503)
