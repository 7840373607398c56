"""The live preview is asked many times while someone types, and remembers answers by the text
posted. Posting many large, unique answers must not grow a worker's memory without bound; nor
must loading the clause library again and again (the tests do) grow anything kept at module level."""

import gc
import sys
import tracemalloc

import pytest
from django.urls import reverse

from licensebuilder.core import cache
from licensebuilder.core.assemble import assemble
from licensebuilder.core.library import CLAUSES_DIR, load_library
from licensebuilder.core.rules import rules_for
from licensebuilder.core.summary import summary_of
from licensebuilder.drafts import wizard_views
from tests.factories import make_spec, step_data


def _preview(client, draft, text):
    data = step_data(draft, "use", custom_restrictions=text)
    return client.post(reverse("drafts:preview", args=[draft.pk, "use"]), data, HTTP_HX_REQUEST="true")


@pytest.mark.django_db
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


@pytest.mark.django_db
def test_ordinary_previews_are_still_remembered(client_in, draft):
    wizard_views._answered_cached.cache_clear()
    for _ in range(3):
        assert _preview(client_in, draft, "Not for weapons").status_code == 200
    info = wizard_views._answered_cached.cache_info()
    assert info.hits >= 2 and info.currsize == 1


# Module-level structures that are bounded some other way than by being an LRU: what each
# template reads is kept for at most 8192 templates, then started afresh (cache.template_paths).
_BOUNDED_ELSEWHERE = {"licensebuilder.core.cache._paths"}


def _module_structures() -> dict[str, int]:
    """The size of every module-level dict, list and set in the package, and of every unbounded
    ``functools`` cache; the bounded LRUs of ``core/cache.py`` are left out (they bound themselves)."""
    sizes: dict[str, int] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("licensebuilder") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            key = f"{name}.{attr}"
            if key in _BOUNDED_ELSEWHERE or isinstance(value, cache.LRU):
                continue
            if isinstance(value, dict | list | set):
                sizes[key] = len(value)
            elif callable(getattr(value, "cache_info", None)) and getattr(value, "__module__", None) == name:
                info = value.cache_info()
                if info.maxsize is None:
                    sizes[key] = info.currsize
    return sizes


def _load_and_use_the_library() -> None:
    library = load_library(CLAUSES_DIR)
    spec = make_spec(**{"derivatives.distillation": "permitted"})
    doc = assemble(spec, library)
    model = rules_for(doc, library)
    model.conflicts()
    model.answer("fine_tune_head", None, "service", commercial=True)
    summary_of(doc, lambda: model)


def test_loading_the_library_again_and_again_grows_no_module_level_structure():
    # What lives as long as a library (compiled rule expressions, the acts each rule covers)
    # is held by the library, so it goes when the library does.
    for _ in range(2):
        _load_and_use_the_library()
    before = _module_structures()
    for _ in range(6):
        _load_and_use_the_library()
    after = _module_structures()
    grown = {key: (before.get(key, 0), size) for key, size in after.items() if size > before.get(key, 0)}
    assert grown == {}, f"grew with each library load: {grown}"
