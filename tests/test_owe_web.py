""" "What do I owe?" on the web: a public GET form on every published license and preset."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from licensebuilder.publish.models import Publication
from tests.factories import make_draft, make_spec

pytestmark = pytest.mark.django_db

NARROW_DISTILLED = {"modification": "distillation", "result": "narrow", "use": "distribute"}


def _published(client, user, **overrides):
    spec = make_spec(**{"derivatives.distillation": "share_alike_foundation", **overrides})
    draft = make_draft(user, spec)
    client.force_login(user)
    client.post(reverse("publish:publish", args=[draft.pk]))
    client.logout()
    return Publication.objects.get(draft=draft)


def _duties(page: str) -> list[tuple[str, str, str]]:
    """(kind, clause number, quote) of each duty the page lists."""
    found = re.findall(
        r'<li class="duty" data-kind="([a-z_]+)">.*?<p>“(.*?)”</p><footer>Section <a href="[^"]*">([0-9.]+)</a>',
        page,
        re.S,
    )
    return [(kind, number, html_lib.unescape(quote)) for kind, quote, number in found]


def test_the_page_asks_the_questions_and_quotes_the_licenses_own_tests(client, user):
    publication = _published(client, user)
    page = client.get(f"{publication.get_absolute_url()}owe/").content.decode()
    assert "What do I owe under Acme Open Model License 1.0?" in page
    assert "not legal advice" in page
    for name in ("modification", "result", "use", "commercial"):
        assert f'name="{name}"' in page
    # The Narrow Derivative definition, in the license's own words.
    assert "can be stated in advance in a sentence or two" in page
    assert 'method="get"' in page and 'hx-get="' in page


def test_a_narrow_distilled_classifier_owes_credit_citing_the_clause(client, user):
    publication = _published(client, user)
    response = client.get(f"{publication.get_absolute_url()}owe/", NARROW_DISTILLED)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="verdict verdict--yes"' in page
    duties = _duties(page)
    kinds = {kind for kind, _, _ in duties}
    assert "attribution" in kinds and "share_alike_license" not in kinds
    markdown = publication.markdown.replace("\\", "")
    headings = set(re.findall(r"^### ([0-9.]+) ", publication.markdown, re.M))
    for _, number, quote in duties:
        assert number in headings
        assert " ".join(quote.split()) in " ".join(markdown.split())


def test_the_same_question_for_a_general_purpose_student_owes_share_alike(client, user):
    publication = _published(client, user)
    page = client.get(f"{publication.get_absolute_url()}owe/", {**NARROW_DISTILLED, "result": "foundation"})
    kinds = {kind for kind, _, _ in _duties(page.content.decode())}
    assert {"share_alike_license", "release_elements"} <= kinds


def test_not_knowing_the_kind_shows_what_decides_it_and_both_cases(client, user):
    publication = _published(client, user)
    page = client.get(f"{publication.get_absolute_url()}owe/", {**NARROW_DISTILLED, "result": ""}).content.decode()
    assert "It turns on whether the Derivative is a Foundation Derivative or a Narrow Derivative" in page
    assert 'id="if-foundation"' in page and 'id="if-narrow"' in page


def test_a_forbidden_act_says_no_and_quotes_why(client, user):
    publication = _published(client, user, **{"derivatives.distillation": "prohibited"})
    page = client.get(f"{publication.get_absolute_url()}owe/", NARROW_DISTILLED).content.decode()
    assert 'class="verdict verdict--no"' in page
    assert "Why not" in page and "<footer>Section <a" in page


def test_htmx_gets_only_the_answer(client, user):
    publication = _published(client, user)
    response = client.get(f"{publication.get_absolute_url()}owe/", NARROW_DISTILLED, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="owe-answer" id="owe-answer"')
    assert "<html" not in page and "verdict--yes" in page


def test_bad_input_is_named_and_is_not_an_error_page(client, user):
    publication = _published(client, user)
    response = client.get(f"{publication.get_absolute_url()}owe/", {"modification": "telepathy", "use": "teleport"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Modification: Select a valid choice." in page and "Use: Select a valid choice." in page


def test_a_withdrawn_license_has_no_answers(client, user):
    publication = _published(client, user)
    publication.withdraw("gone")
    assert client.get(f"{publication.get_absolute_url()}owe/", NARROW_DISTILLED).status_code == 410


def test_presets_answer_without_an_account(client):
    response = client.get("/try/no-derivatives/owe/", {"modification": "fine_tune_full", "use": "distribute"})
    assert response.status_code == 200
    assert 'class="verdict verdict--no"' in response.content.decode()
    private = client.get("/try/no-derivatives/owe/", {"modification": "fine_tune_full", "use": "private"})
    assert 'class="verdict verdict--yes"' in private.content.decode()


def test_a_license_without_the_foundation_line_does_not_ask_about_it(client):
    page = client.get("/try/permissive/owe/").content.decode()
    assert 'name="result"' not in page


def test_a_reviewer_asks_on_a_share_link_and_nothing_leaks(client, user):
    draft = make_draft(user, make_spec(**{"derivatives.distillation": "share_alike_foundation"}))
    client.force_login(user)
    created = client.post(reverse("review:shares", args=[draft.pk]), {"label": "Counsel"}).content.decode()
    token = re.search(r'id="share-url"[^>]*value="http://testserver/s/([A-Za-z0-9_-]+)/"', created).group(1)
    client.logout()
    assert f'href="/s/{token}/owe/"' in client.get(f"/s/{token}/").content.decode()
    response = client.get(f"/s/{token}/owe/", NARROW_DISTILLED)
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert 'class="verdict verdict--yes"' in page
    assert {kind for kind, _, _ in _duties(page)} >= {"attribution"}
    assert f'href="/s/{token}/read/#clause-' in page
    assert client.get("/s/not-a-real-token-but-long-enough/owe/").status_code == 404
