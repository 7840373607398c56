"""Web benchmarks: the live preview against a bare view, and the PDF cache."""

from __future__ import annotations

import itertools
import random
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from licensebuilder.core import cache
from licensebuilder.core import spec as specs


def _client_and_draft():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from licensebuilder.core.presets import presets
    from licensebuilder.drafts.models import Draft

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    spec = presets()["responsible-use"].spec
    draft = Draft.objects.create(owner=user, spec=spec, title="bench")
    return client, draft


def _typing(base: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Basics step: the model's name changes on every request, as while someone types it."""
    for i in itertools.count():
        yield {**base, "model_name": f"Bench Model {i}"}


def _choosing(base: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Derivatives step: one policy changes on every request, a random walk through the matrix
    (6^8 states, so a spec seldom comes back and caches of whole results seldom help)."""
    rng = random.Random(7)
    state = dict(base)
    while True:
        key = rng.choice(list(specs.MODIFICATIONS))
        state[key] = rng.choice([p for p in specs.POLICIES if p != state.get(key)])
        yield dict(state)


def bench_preview(rounds: int) -> list[tuple[str, str, bool]]:
    return [_bench_preview("basics", _typing, rounds), _bench_preview("derivatives", _choosing, rounds)]


def _bench_preview(slug: str, edits: Callable[[dict[str, Any]], Iterator[dict[str, Any]]], rounds: int):
    from django.test import override_settings

    from bench.forms import form_fields, preview_state
    from bench.scale import spread

    with override_settings(ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"]):
        client, draft = _client_and_draft()
        # As a browser: the step page's form as it stands, the preview state the page carries, the
        # CSRF token from the cookie in the header htmx sends it in (and checked).
        page = client.get(f"/drafts/{draft.pk}/steps/{slug}/").content.decode()
        fields: dict[str, Any] = {}
        for name, value in form_fields(page):
            fields.setdefault(name, []).append(value)
        state = {"preview_state": preview_state(page) or ""}
        url = f"/drafts/{draft.pk}/steps/{slug}/preview/"
        posts = edits({k: v if len(v) > 1 else v[0] for k, v in fields.items()})
        headers = {"HX-Request": "true", "X-CSRFToken": client.cookies["csrftoken"].value}

        def bare() -> None:
            assert client.get("/bench/bare/").status_code == 200

        def send() -> float:
            """One preview, timed as the bare row is: the request alone. The browser's part,
            encoding the form and reading the state back out of the reply, is done untimed."""
            # Sent as a browser's htmx sends a form: URL-encoded, not multipart.
            body = urlencode({**next(posts), **state}, doseq=True)
            replies: list[bytes] = []

            def preview() -> None:
                response = client.post(url, body, content_type="application/x-www-form-urlencoded", headers=headers)
                assert response.status_code == 200, response.status_code
                replies.append(response.content)

            took = _time(preview)
            assert b"clause" in replies[0]
            state["preview_state"] = preview_state(replies[0].decode()) or state["preview_state"]
            return took

        send(), bare()
        a, b = [], []
        for _ in range(rounds):
            a.append(send())
            b.append(_time(bare))
    median, baseline = statistics.median(a), statistics.median(b)
    ratio = median / baseline
    return (
        f"web: preview request on the {slug} step (validate + assemble + render partial) vs bare logged-in view",
        f"{ratio:.2f}x (limit 3x); {spread(a)} vs {spread(b)}",
        ratio <= 3,
    )


def bench_pdf_cache(rounds: int) -> list[tuple[str, str, bool]]:
    from django.test import override_settings

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        return _pdf_cache(rounds)


def _pdf_cache(rounds: int) -> list[tuple[str, str, bool]]:
    from django.core.cache import caches

    from licensebuilder.drafts import renders
    from licensebuilder.drafts.models import builds

    client, draft = _client_and_draft()
    url = f"/drafts/{draft.pk}/export/pdf/"

    def export():
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), response.status_code

    first, second = [], []
    for _ in range(rounds):
        caches[renders.PDFS].clear()
        builds.BUILDS.clear()
        cache.documents.clear()
        first.append(_time(export))
        second.append(_time(export))
    ratio = statistics.median(second) / statistics.median(first)
    return [
        (
            "web: second PDF export of an unchanged draft vs the first",
            f"{ratio * 100:.2f}% (limit 5%); {statistics.median(second) * 1000:.1f} ms vs "
            f"{statistics.median(first) * 1000:.0f} ms",
            ratio <= 0.05,
        )
    ]


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
