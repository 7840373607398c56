"""Golden files: the exact Markdown and HTML of every preset. UPDATE_GOLDEN=1 rewrites them."""

import os
from pathlib import Path

import pytest

from licensebuilder.core.exports import build
from licensebuilder.core.presets import presets
from tests.helpers import pdf_attachment_json, pdf_text

GOLDEN = Path(__file__).parent / "golden"
PRESETS = presets()


def test_there_are_at_least_six_presets():
    assert len(PRESETS) >= 6


@pytest.mark.parametrize("slug", sorted(PRESETS))
@pytest.mark.parametrize("ext", ["md", "html"])
def test_preset_output_matches_its_golden_file(slug, ext):
    result = build(PRESETS[slug].spec)
    actual = result.markdown if ext == "md" else result.html
    path = GOLDEN / f"{slug}.{ext}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"run UPDATE_GOLDEN=1 pytest {__file__} to create {path.name}"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", sorted(PRESETS))
def test_preset_pdf_has_its_text_and_license_json(slug):
    result = build(PRESETS[slug].spec)
    pdf = result.pdf()
    text = pdf_text(pdf).replace("\n", " ")
    for clause in result.document.clauses():
        assert clause.title in text
    assert pdf_attachment_json(pdf)["fingerprint"]["value"] == result.fingerprint
