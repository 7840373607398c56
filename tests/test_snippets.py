"""Snippets for a release: the model-card header, README section, NOTICE, SPDX line and badge."""

import xml.etree.ElementTree as ET

import yaml

from licensebuilder.core.exports import build
from licensebuilder.core.presets import presets
from licensebuilder.core.snippets import badge_svg, share_alike_kind
from tests.factories import make_spec

PERMALINK = "https://models.example/l/acme-open-model-license/1.0/"
SVG = "{http://www.w3.org/2000/svg}"


def test_the_model_card_header_links_to_the_permalink_once_published():
    result = build(make_spec(), permalink=PERMALINK)
    header = yaml.safe_load(result.model_card)
    assert header == {
        "license": "other",
        "license_name": "acme-open-model-license-1.0",
        "license_link": PERMALINK,
    }
    assert yaml.safe_load(result.bundle()["model-card.yml"]) == header


def test_an_unpublished_model_card_links_to_the_shipped_license_file():
    assert yaml.safe_load(build(make_spec()).model_card)["license_link"] == "LICENSE.md"


def test_the_notice_names_the_permalink_only_when_published():
    assert f"License: {PERMALINK}" in build(make_spec(), permalink=PERMALINK).notice
    assert "License: http" not in build(make_spec()).notice


def test_every_snippet_is_offered_in_release_order():
    found = build(make_spec(), permalink=PERMALINK).snippets(badge_url=PERMALINK + "badge.svg")
    assert [s.key for s in found] == ["model-card", "readme", "notice", "spdx"]
    by_key = {s.key: s.text for s in found}
    assert by_key["spdx"] == "SPDX-License-Identifier: LicenseRef-Acme-Open-Model-License-1.0\n"
    assert f"[![License: Acme Open Model License 1.0]({PERMALINK}badge.svg)]({PERMALINK})" in by_key["readme"]
    assert f"({PERMALINK}owe/)" in by_key["readme"]


def test_names_that_look_like_markdown_stay_text_in_the_readme_and_yaml():
    spec = make_spec(**{"license.name": "Evil](https://x.example) <b>", "model.name": "M* [x]"})
    result = build(spec, permalink=PERMALINK)
    readme = next(s.text for s in result.snippets() if s.key == "readme")
    assert "https://x.example)" not in readme.replace("\\)", "")
    assert "Evil\\]\\(https://x.example\\) \\<b\\>" in readme
    assert "M\\* \\[x\\]" in readme
    assert yaml.safe_load(result.model_card)["license_link"] == PERMALINK


def test_the_badge_shows_the_name_and_share_alike_kind_as_text():
    svg = badge_svg('Acme <Open> & "Model" License 1.0', "share-alike")
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ['Acme <Open> & "Model" License 1.0', "share-alike"]
    assert root.get("aria-label") == 'Acme <Open> & "Model" License 1.0: share-alike'
    assert "<Open>" not in svg


def test_a_long_name_is_shortened_and_the_badge_grows_with_its_text():
    short = ET.fromstring(badge_svg("A", "no share-alike"))
    long = ET.fromstring(badge_svg("A" * 200, "no share-alike"))
    label = next(long.iter(f"{SVG}text")).text
    assert label.endswith("…") and len(label) < 60
    assert int(long.get("width")) > int(short.get("width"))


def test_share_alike_kind_follows_the_strongest_policy():
    kinds = {slug: share_alike_kind(build(p.spec).summary) for slug, p in presets().items()}
    assert kinds["permissive"] == "no share-alike"
    assert kinds["no-derivatives"] == "no share-alike"
    # Distillation is plain share-alike in this preset, so the strongest kind is share-alike.
    assert kinds["foundation-share-alike"] == "share-alike"
    assert kinds["strong-copyleft"] == "share-alike, also as a service"
    only_foundation = make_spec(**{"derivatives.distillation": "attribution"})
    assert share_alike_kind(build(only_foundation).summary) == "share-alike for foundation derivatives"
