"""``make bench``: speed as medians and ratios against a baseline measured in the same run.

Each benchmark alternates the subject and its baseline so that machine noise hits both alike.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "licensebuilder.settings")
# As in production: DEBUG off (no query log, no debug pages), plain HTTP on the test client.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-" + "b" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("SECURE_COOKIES", "0")


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternate(subject: Callable[[], object], baseline: Callable[[], object], rounds: int) -> tuple[float, float]:
    subject(), baseline()  # warm both
    a, b = [], []
    for _ in range(rounds):
        a.append(_time(subject))
        b.append(_time(baseline))
    return statistics.median(a), statistics.median(b)


def bench_engine(rounds: int) -> list[tuple[str, str, bool]]:
    from licensebuilder.core.exports import build
    from licensebuilder.core.presets import presets
    from licensebuilder.core.render.html import convert

    largest = max(presets().values(), key=lambda p: len(build(p.spec).markdown))
    text = build(largest.spec).markdown

    names = (f"{largest.spec['license']['name']} {i}" for i in itertools.count())

    def ours():
        # A new license name every round, as when a licensor edits an answer: the output is new
        # each time, while clauses the edit does not touch reuse their converted HTML.
        spec = {**largest.spec, "license": {**largest.spec["license"], "name": next(names)}}
        result = build(spec)
        return result.markdown, result.html, result.json

    def baseline():
        return convert(text)  # uncached: one full conversion

    median, base = alternate(ours, baseline, rounds)
    return [
        (
            f"engine: md+html+json of '{largest.slug}' (warm), median",
            f"{median * 1000:.2f} ms (limit 10 ms); {median / base:.2f}x python-markdown converting the same text once "
            f"({base * 1000:.2f} ms)",
            median <= 0.010,
        )
    ]


def bench_pdf(rounds: int) -> list[tuple[str, str, bool]]:
    from weasyprint import HTML, Attachment

    from licensebuilder.core.exports import build
    from licensebuilder.core.presets import presets
    from licensebuilder.core.render.html import STATIC_DIR
    from licensebuilder.core.render.pdf import LocalFilesOnly, html_for_pdf, paper_stylesheet

    largest = max(presets().values(), key=lambda p: len(build(p.spec).markdown))
    result = build(largest.spec)
    page = html_for_pdf(result.document, result.markdown)

    def ours():
        return build(largest.spec).pdf()

    attachment = result.json.encode("utf-8")

    def direct():
        # WeasyPrint alone on the same page, stylesheet and license.json attachment.
        fetcher = LocalFilesOnly()
        return HTML(string=page, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=fetcher).write_pdf(
            stylesheets=[paper_stylesheet("a4", fetcher)],
            attachments=[Attachment(string=attachment, name="license.json", url_fetcher=fetcher)],
        )

    median, base = alternate(ours, direct, rounds)
    ratio = median / base
    return [
        (
            "pdf: spec -> PDF vs WeasyPrint on the same final HTML, CSS and attachment",
            f"{ratio:.3f}x (limit 1.2x); {median * 1000:.0f} ms vs {base * 1000:.0f} ms",
            ratio <= 1.2,
        )
    ]


def bench_compare(rounds: int) -> list[tuple[str, str, bool]]:
    from licensebuilder.core import cache, diff
    from licensebuilder.core.exports import build
    from licensebuilder.core.presets import presets

    # The two presets whose answers differ most.
    pairs = [(a, b) for a in presets().values() for b in presets().values() if a.slug < b.slug]
    old, new = max(pairs, key=lambda p: len(diff.choices_diff(p[0].spec, p[1].spec)))

    def ours():
        changes, red = diff.compare(old.spec, new.spec)
        return diff.redline_html(red, changes)

    def baseline():
        return build(new.spec).html

    median, base = alternate(ours, baseline, rounds)

    def cold():
        cache.clear()  # every cache of the engine empty: both licenses assembled from nothing
        return ours()

    def cold_baseline():
        cache.clear()
        return build(new.spec).html

    cold_median, cold_base = alternate(cold, cold_baseline, max(5, rounds // 4))
    return [
        (
            f"compare: choices diff + HTML redline of '{old.slug}' vs '{new.slug}', median",
            f"{median * 1000:.1f} ms (limit 10 ms); {median / base:.1f}x building the new license's HTML",
            median <= 0.010,
        ),
        (
            "compare: the same with every engine cache empty (cold), median",
            f"{cold_median * 1000:.1f} ms (limit 25 ms); {cold_median / cold_base:.1f}x building the new "
            f"license's HTML cold ({cold_base * 1000:.1f} ms)",
            cold_median <= 0.025,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "40")))
    parser.add_argument("--only", help="run only benchmarks whose name starts with this")
    args = parser.parse_args()

    import tempfile

    # A throwaway database, so that benchmarks never touch the development one.
    workdir = tempfile.mkdtemp(prefix="lb-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.test.utils import override_settings

    override_settings(ALLOWED_HOSTS=["testserver"]).enable()  # the test client's host name
    from bench.scale import bench_cold, bench_history, bench_render_memory, bench_scale
    from bench.web import bench_pdf_cache, bench_preview

    benches = {
        "engine": bench_engine,
        "pdf": bench_pdf,
        "web-preview": bench_preview,
        "web-pdf-cache": bench_pdf_cache,
        "compare": bench_compare,
        "cold": lambda rounds: bench_cold(3),
        "history": bench_history,
        "scale": bench_scale,
        "memory": lambda rounds: bench_render_memory(int(os.environ.get("BENCH_RENDERS", "500"))),
    }
    failed = False
    for name, fn in benches.items():
        if args.only and not name.startswith(args.only):
            continue
        rounds = max(5, args.rounds // 4) if "pdf" in name else args.rounds
        for label, figure, ok in fn(rounds):
            failed |= not ok
            print(f"{'PASS' if ok else 'FAIL'}  {label}: {figure}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
