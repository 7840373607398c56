"""``/healthz``: whether this node can serve, for a load balancer or an orchestrator.

Each check returns nothing when all is well and raises when not. The database and the cache are
always checked; more checks are named in the HEALTH_CHECKS setting as ``{"name": "dotted.path"}``:
the PDF queue's, when PDFs are rendered by workers (REDIS_URL set).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

log = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def check_cache() -> None:
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise RuntimeError("a value written to the cache could not be read back")
    finally:
        cache.delete(key)


def check_pdf_queue() -> None:
    """Redis answers, and at least one live worker serves the PDF queue (else renders would only
    wait): one whose heartbeats still come, not merely one still registered."""
    from redis import Redis
    from rq import Queue

    from licensebuilder.drafts import renders

    connection = Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    queue = Queue(renders.QUEUE, connection=connection)
    connection.ping()
    if not renders.live_workers(connection):
        raise RuntimeError(f"no live worker serves the {queue.name} queue ({queue.count} renders waiting)")


def _checks() -> dict[str, Callable[[], None]]:
    checks: dict[str, Callable[[], None]] = {"database": check_database, "cache": check_cache}
    for name, path in getattr(settings, "HEALTH_CHECKS", {}).items():
        checks[name] = import_string(path)
    return checks


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    for name, check in _checks().items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:
            log.error("health check %s failed", name, exc_info=exc, extra={"event": "health_check_failed"})
            # The details (host names, for example) go to the log, not to whoever asks.
            results[name] = {"ok": False, "error": type(exc).__name__}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    ok = all(result["ok"] for result in results.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": results}, status=200 if ok else 503)
