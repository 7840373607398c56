"""Trying it without an account: the presets as a gallery, each with its deed and full text."""

import html
import re
from importlib.resources import files

import pytest

from licensebuilder.core.presets import presets

pytestmark = pytest.mark.django_db


def _icons(page: str, slug: str) -> dict[str, str]:
    """{icon: "state: words"} of one preset's card."""
    card = page[page.index(f'id="preset-{slug}"') :].split('class="card gallery-card"')[0]
    found = re.findall(
        r'data-icon="([\w-]+)" data-state="(\w+)">.*?<span class="deed-icon-text">(.*?)</span></li>', card
    )
    return {key: f"{state}: {re.sub(r'<[^>]+>', '', text)}" for key, state, text in found}


def test_every_preset_is_in_the_gallery_with_one_line_and_its_icons(client):
    page = client.get("/try/").content.decode()
    for slug, preset in presets().items():
        assert f'href="/try/{slug}/">{preset.title}</a>' in page
    assert _icons(page, "permissive") == {
        "commercial": "yes: Commercial use",
        "redistribute": "yes: Pass on copies",
        "modified": "yes: Share modified versions",
        "share-alike": "no: No share-alike",
        "restrictions": "yes: Any purpose",
    }
    assert _icons(page, "non-commercial-research")["commercial"] == "no: Not allowed: Commercial use"
    assert _icons(page, "strong-copyleft")["share-alike"] == "some: Share-alike, also as a service"
    assert _icons(page, "responsible-use")["restrictions"] == "no: Use restrictions"
    assert _icons(page, "no-derivatives")["modified"] == "no: Not allowed: Share modified versions"


def test_the_home_page_points_visitors_to_the_gallery(client):
    assert 'href="/try/" id="try-link"' in client.get("/").content.decode()


def test_a_preset_shows_its_deed_and_full_text_without_an_account(client):
    page = client.get("/try/foundation-share-alike/").content.decode()
    assert "In plain language" in page and 'class="deed"' in page
    assert 'id="clause-derivatives-classification"' in page
    assert 'href="/try/foundation-share-alike/owe/"' in page


def test_an_unknown_preset_is_404(client):
    assert client.get("/try/nothing/").status_code == 404
    assert client.get("/try/nothing/owe/").status_code == 404


# Words that point the reader at a text the product never shows them.
_OUTSIDE_SOURCES = re.compile(r"\b(essay|article|the paper|the author)s?\b", re.IGNORECASE)


def test_preset_and_question_texts_speak_of_the_license_not_of_a_text_the_user_never_saw(client):
    for slug, preset in presets().items():
        page = html.unescape(re.sub(r"<[^>]+>", " ", client.get(f"/try/{slug}/").content.decode()))
        assert preset.description in page
        assert not _OUTSIDE_SOURCES.search(page), slug
    questions = files("licensebuilder.clauses").joinpath("questions.yaml").read_text(encoding="utf-8")
    assert not _OUTSIDE_SOURCES.findall(questions)
