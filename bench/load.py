"""``make load``: 50 visitors for 60 s against two gunicorn nodes, PostgreSQL, Redis and a PDF render
worker, all on 127.0.0.1 (see bench/locustfile.py for what they do); then 50 logins at once.

Fails if any request failed or if the 95th percentile of the non-PDF requests is over 300 ms.
Each node runs LOAD_WORKERS gunicorn processes of LOAD_THREADS threads (default 2 and 4).
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.postgres import _psql, ensure_server
from tests.redis_server import RedisServer
from tests.stack import BIN, ROOT, Browser, Stack

P95_LIMIT_MS = 300


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def _table(times: list[tuple[str, float]], failures: dict[str, int], seconds: float) -> str:
    names = sorted({n for n, _ in times})
    rows = [f"{'request':<18} {'count':>6} {'fail':>5} {'median':>8} {'p95':>8} {'max':>8}"]
    for name in names:
        ms = [t for n, t in times if n == name]
        rows.append(
            f"{name:<18} {len(ms):>6} {failures.get(name, 0):>5} {_p(ms, 0.5):>6.0f}ms {_p(ms, 0.95):>6.0f}ms "
            f"{max(ms):>6.0f}ms"
        )
    everything = [t for _, t in times]
    rows.append(
        f"{'all':<18} {len(everything):>6} {sum(failures.values()):>5} {_p(everything, 0.5):>6.0f}ms "
        f"{_p(everything, 0.95):>6.0f}ms {max(everything):>6.0f}ms   ({len(everything) / seconds:.1f} requests/s)"
    )
    return "\n".join(rows)


def _failures(csv: Path) -> dict[str, int]:
    import csv as csvlib

    out: dict[str, int] = {}
    with csv.open() as f:
        for row in csvlib.DictReader(f):
            if row["Name"] != "Aggregated":
                out[row["Name"]] = int(row["Failure Count"])
    return out


def _logins(stack: Stack, count: int, hasher: str) -> list[float]:
    """``count`` accounts whose passwords are stored with ``hasher``, logging in all at once."""
    password = "login-load-" + secrets.token_hex(6)
    prefix = f"login-{hasher}-{secrets.token_hex(3)}"
    code = f"""
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
hashed = make_password({password!r}, hasher={hasher!r})
get_user_model().objects.bulk_create(
    [get_user_model()(username=f"{prefix}-{{i}}", password=hashed) for i in range({count})])
"""
    stack.manage("shell", "--no-imports", "-c", code)
    browsers = [Browser() for _ in range(count)]
    nodes = [base for base, _ in stack.nodes]
    for i, browser in enumerate(browsers):
        browser.get(nodes[i % len(nodes)] + "/accounts/login/")
    times: list[float] = [0.0] * count
    start = threading.Barrier(count)

    def login(i: int) -> None:
        url = nodes[i % len(nodes)] + "/accounts/login/"
        start.wait()
        t = time.perf_counter()
        reply = browsers[i].post(url, {"username": f"{prefix}-{i}", "password": password})
        times[i] = time.perf_counter() - t
        assert reply.status == 302, reply.status

    threads = [threading.Thread(target=login, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(prog="make load")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="lb-load-"))
    port = ensure_server()
    name = "lb_load_" + secrets.token_hex(4)
    password = secrets.token_hex(12)
    _psql(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    _psql(f"CREATE DATABASE {name} OWNER {name}")
    redis = RedisServer(work)
    redis.start()
    stack = Stack(work, f"postgres://{name}:{password}@127.0.0.1:{port}/{name}", redis.url)
    try:
        stack.prepare()
        workers, threads = int(os.environ.get("LOAD_WORKERS", "2")), int(os.environ.get("LOAD_THREADS", "4"))
        stack.start_node(workers, threads)
        stack.start_node(workers, threads)
        stack.start_workers(1)
        nodes = ",".join(base for base, _ in stack.nodes)
        print(f"load: {args.users} users for {args.seconds} s against {nodes} (+ PostgreSQL, Redis, 1 PDF worker)")
        env = {
            **os.environ,
            "LOAD_NODES": nodes,
            "LOAD_TIMES": str(work / "times.tsv"),
            "LOAD_MAIL": str(work / "mail"),
        }
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--users",
             str(args.users), "--spawn-rate", "10", "--run-time", f"{args.seconds}s", "--stop-timeout", "30",
             "--csv", str(work / "locust"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env=env, check=False, timeout=args.seconds + 300,
        )  # fmt: skip
        elapsed = time.monotonic() - started
        times = [(n, float(t)) for n, t in (line.split("\t") for line in (work / "times.tsv").read_text().splitlines())]
        failures = _failures(work / "locust_stats.csv")
        print(_table(times, failures, elapsed))
        non_pdf = [t for n, t in times if n != "pdf"]
        p95 = _p(non_pdf, 0.95)
        ok = sum(failures.values()) == 0 and p95 <= P95_LIMIT_MS
        print(
            f"{'PASS' if ok else 'FAIL'}  load: {sum(failures.values())} failed requests (limit 0); "
            f"p95 of non-PDF requests {p95:.0f} ms (limit {P95_LIMIT_MS} ms)"
        )
        argon2 = _logins(stack, args.users, "argon2")
        pbkdf2 = _logins(stack, args.users, "pbkdf2_sha256")
        fast, slow = _p(argon2, 0.95) * 1000, _p(pbkdf2, 0.95) * 1000
        print(
            f"INFO  {args.users} simultaneous logins, p95: Argon2id (m=19 MiB, t=2, p=1) {fast:.0f} ms "
            f"vs PBKDF2-SHA256 at Django's 1,000,000 iterations {slow:.0f} ms ({fast / slow:.2f}x)"
        )
        return 0 if ok else 1
    except Exception:
        print(stack.tail(), file=sys.stderr)
        raise
    finally:
        stack.stop()
        redis.stop()
        _psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        _psql(f"DROP ROLE IF EXISTS {name}")


if __name__ == "__main__":
    sys.exit(main())
