"""Benchmarks of growth: pages against the size of the database and of a draft's history, render
workers against the number of PDFs they lay out, and cold starts against warm ones.

Every page is asked for as a browser asks (DEBUG off, signed in, CSRF enforced), and every verdict
is a ratio between two figures measured in the same run, except the memory row, whose limit the
issue states in megabytes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def spread(samples: list[float]) -> str:
    """Median with the range from the 10th to the 90th percentile, in ms."""
    ordered = sorted(samples)
    low, high = ordered[len(ordered) // 10], ordered[max(0, (len(ordered) * 9) // 10 - 1)]
    return f"{statistics.median(ordered) * 1000:.1f} ms (p10-p90 {low * 1000:.1f}-{high * 1000:.1f})"


def timed(fn, rounds: int) -> list[float]:
    fn()  # warm
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def browser():
    """A signed-in test client that sends CSRF tokens as a page does (they are enforced)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench-scale")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client, user


def _get(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


# -- history: 1 revision vs 500 ------------------------------------------------------------------


def bench_history(rounds: int) -> list[tuple[str, str, bool]]:
    from licensebuilder.core.presets import presets
    from licensebuilder.drafts.models import Draft

    client, user = browser()
    spec = presets()["responsible-use"].spec
    draft = Draft.objects.create(owner=user, spec=spec, title="history bench")
    first = draft.record_revision(user, "created")
    pages = {
        "History": f"/drafts/{draft.pk}/history/",
        "Compare": f"/drafts/{draft.pk}/compare/",
    }
    one = {name: timed(lambda url=url: _get(client, url), rounds) for name, url in pages.items()}
    model = type(first)
    fields = {f.attname: getattr(first, f.attname) for f in model._meta.concrete_fields if not f.primary_key}

    def grow_to(count: int) -> None:
        have = model.objects.filter(draft=draft).count()
        new = [model(**{**fields, "number": n, "name": f"Step {n}"}) for n in range(have + 1, count + 1)]
        model.objects.bulk_create(new)

    grow_to(50)  # a full page of History, and more revisions than Compare's selects offer
    full = {name: timed(lambda url=url: _get(client, url), rounds) for name, url in pages.items()}
    grow_to(500)
    many = {name: timed(lambda url=url: _get(client, url), rounds) for name, url in pages.items()}
    size = (len(first.markdown) + len(str(first.document))) // 1024
    rows = []
    # The verdicts compare pages showing the same rows: History lists 50 revisions a page and
    # Compare's selects the newest 12, so a draft with one revision shows fewer, and that figure
    # says what the rows cost, not how the page grows with the history.
    for name, base, label, verdict in (
        ("History", full["History"], "50 (a full page of rows either way)", True),
        ("Compare", full["Compare"], "50 (the newest 12 offered either way)", True),
        ("History", one["History"], "1 (50 rows shown vs 1: information)", False),
        ("Compare", one["Compare"], "1 (12 revisions offered vs 1: information)", False),
    ):
        ratio = statistics.median(many[name]) / statistics.median(base)
        rows.append(
            (
                f"web: {name} page of a draft with 500 revisions vs {label}; each revision ~{size} KB of text",
                f"{ratio:.2f}x{' (limit 1.2x)' if verdict else ''}; {spread(many[name])} vs {spread(base)}",
                ratio <= 1.2 or not verdict,
            )
        )
    return rows


# -- scale: 100,000 drafts vs an empty database ---------------------------------------------------


def bench_scale(rounds: int) -> list[tuple[str, str, bool]]:
    from django.contrib.auth import get_user_model

    from licensebuilder.core import spec as specs
    from licensebuilder.core.presets import presets
    from licensebuilder.drafts.models import Draft

    client, user = browser()
    spec = presets()["responsible-use"].spec
    Draft.objects.all().delete()
    mine = [Draft.objects.create(owner=user, spec=spec, title=f"Mine {n}") for n in range(20)]
    pages = {"dashboard": "/drafts/", "wizard step": f"/drafts/{mine[0].pk}/steps/derivatives/"}
    empty = {name: timed(lambda url=url: _get(client, url), rounds) for name, url in pages.items()}

    # 100,000 drafts: 5,000 more of this user's and 95,000 of 950 others'.
    others = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"scale-{n}", password="!") for n in range(950)]
    )
    small = specs.defaults()
    batch: list[Draft] = []
    owners = [user] * 4_980 + [o for o in others for _ in range(100)]
    for n, owner in enumerate(owners):
        batch.append(Draft(owner=owner, spec=small, title=f"Draft {n}", lint_library=""))
        if len(batch) == 5_000:
            Draft.objects.bulk_create(batch)
            batch = []
    Draft.objects.bulk_create(batch)
    Draft.objects.filter(pk=mine[0].pk).update(title="Mine 0")  # the newest again
    total = Draft.objects.count()
    full = {name: timed(lambda url=url: _get(client, url), rounds) for name, url in pages.items()}
    rows = []
    for name in pages:
        ratio = statistics.median(full[name]) / statistics.median(empty[name])
        rows.append(
            (
                f"web: {name} with {total:,} drafts in the database ({user.drafts.count():,} of them this user's) "
                "vs 20 drafts",
                f"{ratio:.2f}x (limit 1.5x); {spread(full[name])} vs {spread(empty[name])}",
                ratio <= 1.5,
            )
        )
    return rows


# -- render workers: memory over many renders ----------------------------------------------------


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def bench_render_memory(renders: int) -> list[tuple[str, str, bool]]:
    """A render worker's resident memory before and after ``renders`` PDFs of the largest preset."""
    from redis import Redis
    from rq import Queue

    from licensebuilder.core.exports import build
    from licensebuilder.core.presets import presets
    from licensebuilder.core.render.pdf import html_for_pdf
    from licensebuilder.drafts import renders as render_jobs
    from licensebuilder.drafts.models import PdfCache
    from tests.redis_server import RedisServer

    largest = max(presets().values(), key=lambda p: len(build(p.spec).markdown))
    result = build(largest.spec)
    page = html_for_pdf(result.document, result.markdown)
    attachments = {"license.json": result.json.encode("utf-8")}
    server = RedisServer(Path(tempfile.mkdtemp(prefix="lb-bench-redis-")))
    server.start()
    env = {**os.environ, "REDIS_URL": server.url}
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "rqworker", render_jobs.QUEUE, "--worker-class",
         "licensebuilder.drafts.renders.RenderWorker"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        queue = Queue(render_jobs.QUEUE, connection=Redis.from_url(server.url))
        PdfCache.objects.filter(key__startswith="bench-").delete()

        def run(first: int, count: int) -> float:
            start = time.perf_counter()
            for n in range(first, first + count):
                queue.enqueue(render_jobs.render, f"bench-{n}", page, "a4", attachments, "", result_ttl=0)
            while PdfCache.objects.filter(key__startswith="bench-").count() < first + count:
                if worker.poll() is not None:
                    raise RuntimeError("the render worker stopped")
                time.sleep(0.2)
            return time.perf_counter() - start

        run(0, 5)  # warm: the first renders load what every later one reuses
        before = _rss_mb(worker.pid)
        seconds = run(5, renders)
        after = _rss_mb(worker.pid)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.stop()
        PdfCache.objects.filter(key__startswith="bench-").delete()
    growth = (after - before) * 500 / renders
    return [
        (
            f"memory: render worker RSS growth over {renders} PDF renders (each in a work horse of its own), "
            "per 500 renders",
            f"{growth:+.1f} MB (limit 20 MB); {before:.0f} MB -> {after:.0f} MB; {seconds / renders * 1000:.0f} ms "
            "per render through the queue",
            growth <= 20,
        )
    ]


# -- cold start ---------------------------------------------------------------------------------

_COLD = """
import os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "licensebuilder.settings")
t0 = time.perf_counter()
from licensebuilder.core.exports import build
from licensebuilder.core.presets import presets
from licensebuilder.core import diff
specs = presets()
t1 = time.perf_counter()
largest = max(specs.values(), key=lambda p: len(p.spec.get("grants", {})) + len(str(p.spec)))
build(largest.spec).html
t2 = time.perf_counter()
pairs = [(a, b) for a in specs.values() for b in specs.values() if a.slug < b.slug]
old, new = max(pairs, key=lambda p: len(diff.choices_diff(p[0].spec, p[1].spec)))
changes, red = diff.compare(old.spec, new.spec)
diff.redline_html(red, changes)
t3 = time.perf_counter()
build({**largest.spec, "license": {**largest.spec["license"], "name": "Warm"}}).html
t4 = time.perf_counter()
changes, red = diff.compare(old.spec, new.spec)
diff.redline_html(red, changes)
t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)
"""


def bench_cold(runs: int) -> list[tuple[str, str, bool]]:
    """Fresh processes: loading the clause library, the first build and the first compare (empty
    caches), beside the same work warm in the same process."""
    figures: list[list[float]] = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", _COLD], cwd=ROOT, capture_output=True, text=True, check=True)
        figures.append([float(x) for x in out.stdout.split()])
    columns = zip(*figures, strict=True)
    load, build_cold, compare_cold, build_warm, compare_warm = (statistics.median(col) for col in columns)
    return [
        (
            f"cold: a fresh process loading the clause library and presets (median of {runs})",
            f"{load * 1000:.0f} ms (information: paid once in gunicorn's master with preload_app, not per worker)",
            True,
        ),
        (
            "cold: first build (md+html) in a fresh process vs a warm build of another spec",
            f"{build_cold * 1000:.0f} ms vs {build_warm * 1000:.1f} ms ({build_cold / build_warm:.1f}x, information)",
            True,
        ),
        (
            "cold: first compare with empty caches vs the same compare warm",
            f"{compare_cold * 1000:.0f} ms vs {compare_warm * 1000:.1f} ms ({compare_cold / compare_warm:.1f}x, "
            "information)",
            True,
        ),
    ]
