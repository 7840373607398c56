import hashlib
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensebuilder.core.exports import build
from licensebuilder.core.render.pdf import LocalFilesOnly
from tests.factories import make_spec
from tests.helpers import pdf_attachment_json, pdf_reader, pdf_structure_types, pdf_text


@pytest.fixture(scope="module")
def result():
    return build(make_spec(**{"terms.governing_law": "England and Wales"}))


@pytest.fixture(scope="module")
def pdf(result):
    return result.pdf()


def test_markdown_starts_with_the_license_name_and_numbers_every_clause(result):
    lines = result.markdown.splitlines()
    assert lines[0] == "# Acme Open Model License"
    headings = [line for line in lines if line.startswith("### ")]
    assert len(headings) == len(result.document.clauses())
    assert headings[0].startswith("### 1.1 ")


def test_the_fingerprint_is_the_sha256_of_the_markdown(result):
    assert result.fingerprint == hashlib.sha256(result.markdown.encode()).hexdigest()
    data = json.loads(result.json)
    assert data["fingerprint"]["value"] == result.fingerprint
    assert data["clause_library_version"] == result.document.library_version


def test_html_page_is_standalone_with_metadata_and_every_clause(result):
    page = result.html
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "<link" not in page
    assert '<meta name="author" content="Acme AI Ltd.">' in page
    for clause in result.document.clauses():
        assert f'data-clause-id="{clause.id}"' in page
    assert result.fingerprint in page


def test_html_fragment_has_a_contents_list_linking_to_sections(result):
    for section in result.document.sections:
        assert f'href="#{section.anchor}"' in result.fragment
        assert f'id="{section.anchor}"' in result.fragment


def test_the_pdf_reads_as_the_license(result, pdf):
    text = pdf_text(pdf)
    assert "Acme Open Model License" in text
    for clause in result.document.clauses()[:5]:
        assert clause.title in text
    assert "England and Wales" in text


def test_the_pdf_footer_carries_page_numbers_and_the_fingerprint(result, pdf):
    reader = pdf_reader(pdf)
    pages = len(reader.pages)
    assert pages >= 3
    last = reader.pages[-1].extract_text()
    assert f"Page {pages} of {pages}" in last
    assert result.fingerprint in reader.pages[1].extract_text().replace("\n", "")


def test_the_pdf_contents_page_gives_page_numbers(result, pdf):
    contents = pdf_reader(pdf).pages[0].extract_text() + pdf_reader(pdf).pages[1].extract_text()
    assert "Contents" in contents
    last_section = result.document.sections[-1]
    assert re.search(rf"{re.escape(last_section.title)}\W*\d+", contents)


def test_the_pdf_carries_metadata(pdf):
    meta = pdf_reader(pdf).metadata
    assert meta.title == "Acme Open Model License 1.0"
    assert meta.author == "Acme AI Ltd."
    assert "Acme-7B" in meta.subject
    assert "LicenseRef-Acme-Open-Model-License-1.0" in meta["/Keywords"]


def test_the_pdf_embeds_license_json(result, pdf):
    assert pdf_attachment_json(pdf) == json.loads(result.json)


def test_letter_and_a4_give_different_page_sizes(result, pdf):
    a4 = pdf_reader(pdf).pages[0].mediabox
    letter = pdf_reader(result.pdf(paper="letter")).pages[0].mediabox
    assert round(float(a4.width)) == 595 and round(float(a4.height)) == 842
    assert round(float(letter.width)) == 612 and round(float(letter.height)) == 792


def test_the_same_spec_gives_identical_outputs_and_pdf_text(result, pdf):
    again = build(make_spec(**{"terms.governing_law": "England and Wales"}))
    assert (again.markdown, again.html, again.json, again.deed) == (
        result.markdown,
        result.html,
        result.json,
        result.deed,
    )
    assert pdf_text(again.pdf()) == pdf_text(pdf)


def test_the_fetcher_serves_our_static_files_and_refuses_everything_else(tmp_path):
    fetcher = LocalFilesOnly()
    from licensebuilder.core.render.html import PRINT_CSS, SCREEN_CSS, STATIC_DIR

    for css in (PRINT_CSS, SCREEN_CSS):
        assert fetcher.fetch(css.as_uri()).read()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    root = Path(__file__).resolve().parents[1]
    for url in [
        outside.as_uri(),
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.com/a.png",
        PRINT_CSS.as_uri().replace("license/print.css", "../html.py"),  # a file beside the stylesheets' folder
        (STATIC_DIR / "license" / ".." / ".." / "pdf.py").as_uri(),
        (root / "pyproject.toml").as_uri(),
        (root / "static" / "app" / "app.css").as_uri(),  # the site's own stylesheet is not the license's
        "data:text/plain,hi",
    ]:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_the_deed_summarises_in_plain_language(result):
    deed = result.deed
    assert deed.startswith("# Acme Open Model License 1.0: summary")
    assert "It is not the license" in deed
    assert "**Distillation**: allowed; the result must be shared under this license." in deed


def test_notice_and_model_card_for_a_release(result):
    assert "Licensed by Acme AI Ltd. under the Acme Open Model License 1.0" in result.notice
    assert result.fingerprint in result.notice
    assert result.model_card == (
        "license: other\nlicense_name: acme-open-model-license-1.0\nlicense_link: LICENSE.md\n"
    )


def test_the_deed_says_why_a_freedom_is_missing():
    deed = build(
        make_spec(
            **{
                "grants.commercial_use": False,
                "elements.training_code": "withheld",
                "derivatives.fine_tune_full": "no_distribution",
            }
        )
    ).deed
    assert "Run the model for any purpose: **No** (commercial use is not allowed)" in deed
    assert "Study how it works: **No** (the training code is not included)" in deed
    assert "Share modified versions: **No** (these may not be distributed: full fine-tune)" in deed
    assert "**Synthetic data**: allowed; say that the data was generated with the model." in deed


def test_the_pdf_is_tagged_with_its_language_and_a_structure_tree(pdf):
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert str(root.Lang) == "en"
        assert bool(root.MarkInfo.Marked) is True
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True  # readers show the title, not a file name
        types = pdf_structure_types(root.StructTreeRoot.K)
        assert "/H1" in types and types.count("/H3") >= 20  # the title and every clause heading
        assert types.count("/P") >= 50
        # Every page's content is reachable from the tree, in reading order.
        assert "/ParentTree" in root.StructTreeRoot


def _escaped_one_by_one(text):
    """The escaping of inline punctuation written out character by character: the reference the
    escaper's translation table must agree with."""
    from licensebuilder.core.text import _INLINE

    return "".join("\\" + ch if ch in _INLINE else ch for ch in re.sub(r"\s+", " ", text))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.text(st.sampled_from("aZé7 .,'/@:-_#&*\t1)ß"))))
def test_user_text_is_escaped_as_character_by_character(text):
    from licensebuilder.core.text import _ENTITY_START, _LINE_START, _ORDERED_LIST, md_escape

    expected = _ENTITY_START.sub("&amp;", _escaped_one_by_one(text))
    expected = "\\" + expected if expected[:1] in _LINE_START else expected
    assert md_escape(text) == _ORDERED_LIST.sub(r"\1\\\2", expected)


@pytest.mark.parametrize(
    "chunk",
    [
        "1. first\n\n2. second\n",  # one loose list, not two
        "- one\n\n- two\n",
        "> quoted\n\n> on\n",
        "Text\n\n    code\n\nmore\n",
        "Title\n=====\n\nText\n",
        "A line\n\n* item\n\n  continued\n",
        "Plain one.\n\nPlain two, with **bold** and a \\* star.\n",
        "# Heading\n\nVersion 1 · `code`\n\nLicensor: X  \nModel: Y\n",
    ],
)
def test_markdown_is_converted_apart_only_where_it_reads_the_same_apart(chunk):
    from licensebuilder.core import cache
    from licensebuilder.core.render.html import convert, safe_html, sanitize

    cache.clear()
    assert safe_html(chunk) == sanitize(convert(chunk))
