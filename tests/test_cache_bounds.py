"""The live preview is asked many times while someone types, and remembers answers by the text
posted. Posting many large, unique answers must not grow a worker's memory without bound."""

import gc
import tracemalloc

import pytest
from django.urls import reverse

from licensebuilder.drafts import wizard_views
from tests.factories import step_data

pytestmark = pytest.mark.django_db


def _preview(client, draft, text):
    data = step_data(draft, "use", custom_restrictions=text)
    return client.post(reverse("drafts:preview", args=[draft.pk, "use"]), data, HTTP_HX_REQUEST="true")


def test_large_unique_previews_leave_no_trace_in_memory(client_in, draft):
    wizard_views._answered_cached.cache_clear()
    _preview(client_in, draft, "warm up")
    tracemalloc.start()
    try:
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        for n in range(20):
            response = _preview(client_in, draft, f"{n} " + "x" * 300_000)  # unique, ~300 KB each
            assert response.status_code == 200
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # Kept, they would be 20 x 300 KB = 6 MB at least.
    assert grown < 2_000_000, f"{grown / 1e6:.1f} MB kept after 20 large previews"


def test_ordinary_previews_are_still_remembered(client_in, draft):
    wizard_views._answered_cached.cache_clear()
    for _ in range(3):
        assert _preview(client_in, draft, "Not for weapons").status_code == 200
    info = wizard_views._answered_cached.cache_info()
    assert info.hits >= 2 and info.currsize == 1
