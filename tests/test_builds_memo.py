"""The builds every request shares (``models.builds``): remembered by their spec, bounded in number
and in the bytes of the texts they hold, and emptied with the engine's caches."""

import json

import pytest

from licensebuilder.core import cache
from licensebuilder.core.complete import complete
from licensebuilder.core.presets import presets
from licensebuilder.drafts.models import builds
from tests.factories import make_spec

TEXTS = ("markdown", "html", "fragment", "json", "deed", "notice", "model_card")


def _largest_spec(n: int = 0) -> dict:
    """A spec whose every text answer is as long as the schema allows (``n`` tells them apart)."""
    return make_spec(
        **{
            "license.name": f"{n} " + "N" * 110,
            "license.spdx_id": "LicenseRef-" + "s" * 109,
            "license.version": "v" * 20,
            "licensor.name": "L" * 120,
            "licensor.contact": "https://" + "c" * 230 + ".example",
            "model.name": "M" * 120,
            "model.version": "V" * 40,
            "model.url": "https://" + "u" * 280 + ".example",
            "terms.governing_law": "G" * 200,
            "terms.venue": "W" * 200,
            "terms.liability_cap": "C" * 200,
            "share_alike.narrow_evaluation": "E" * 200,
            "derivatives.distillation": "share_alike",
            "use.restrictions": [{"text": f"{i} " + "x" * 495} for i in range(40)],
        }
    )


@pytest.fixture(autouse=True)
def _cold_caches():
    cache.clear()
    yield
    cache.clear()


def test_a_build_asked_for_again_is_the_same_object():
    spec = make_spec()
    first = builds.build(spec)
    assert builds.build(json.loads(json.dumps(spec))) is first


def test_many_large_builds_stay_under_the_byte_bound():
    made = [builds.build(_largest_spec(n)) for n in range(200)]  # texts not asked for: nothing is assembled
    memo = builds.BUILDS
    assert 0 < memo.bytes <= memo.max_bytes
    # The bytes bound them, before the count does: fewer are kept than the entries allowed.
    assert 64 < len(memo) < memo.max_entries
    assert builds.build(_largest_spec(199)) is made[199]  # the latest are kept
    assert builds.build(_largest_spec(0)) is not made[0]  # the first were let go


def test_ordinary_builds_are_bounded_by_their_number_as_before():
    for n in range(200):
        builds.build(make_spec(**{"model.version": str(n)}))
    assert len(builds.BUILDS) == builds.BUILDS.max_entries == 128
    assert builds.BUILDS.bytes <= builds.BUILDS.max_bytes


@pytest.mark.parametrize(
    "spec",
    [pytest.param(lambda p=p: complete(p.starting_spec()), id=slug) for slug, p in presets().items()]
    + [pytest.param(_largest_spec, id="largest")],
)
def test_the_size_counted_for_a_build_covers_the_texts_it_comes_to_hold(spec):
    key = json.dumps(spec(), ensure_ascii=False, separators=(",", ":"))
    build = builds.build_from_json(key)
    held = sum(len(getattr(build, name)) for name in TEXTS)
    counted = builds._build_size(key, build)
    assert held <= counted < 2 * held


def test_clearing_the_engine_caches_empties_it():
    spec = make_spec()
    first = builds.build(spec)
    cache.clear()
    assert builds.build(spec) is not first
