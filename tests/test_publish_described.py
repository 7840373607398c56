"""What a screen reader reads with the controls of the publish and review pages: the help and the
errors shown beside a control are named by its ``aria-describedby``, and every id named there is
on the page exactly once. Checked on each page that carries such a form (the Review step with its
published versions to withdraw, "What do I owe?", the review, its history, comparison and share
links), as the page is served and with its forms refused, parsed as in test_wizard_described."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from licensebuilder.core.complete import complete
from licensebuilder.drafts import outputs
from licensebuilder.drafts.models import Draft
from licensebuilder.publish.models import Publication
from tests.factories import make_draft, make_spec
from tests.test_wizard_described import Node, parse, reference_problems

pytestmark = pytest.mark.django_db

# What the templates write beside a control: its help, its errors (one element holding them all,
# or each message on its own).
DESCRIBING = {"help", "field-errors", "error-message"}
CONTROLS = {"input", "select", "textarea"}
_URL = re.compile(r'id="share-url"[^>]*value="http://testserver/s/([A-Za-z0-9_-]+)/"')


def _hidden(node: Node) -> bool:
    return any("hidden" in n.attrs or n.attrs.get("aria-hidden") == "true" for n in (node, *node.ancestors()))


def _described_by(node: Node) -> list[str]:
    return node.attrs.get("aria-describedby", "").split()


def _is_scope(node: Node) -> bool:
    return node.tag in {"form", "fieldset", "section"} or "field" in node.classes


def _controls(scope: Node, node: Node) -> list[Node]:
    """The controls beside ``node``: those in its scope, except those of another form."""
    forms = {id(a) for a in node.ancestors() if a.tag == "form"}
    return [
        c
        for c in scope.walk()
        if c.tag in CONTROLS
        and c.attrs.get("type") != "hidden"
        and not _hidden(c)
        and all(id(a) in forms for a in c.ancestors() if a.tag == "form")
    ]


def unreferenced_descriptions(page: Node) -> list[str]:
    """Each help or error shown beside a control that the control does not name, and how many
    were checked.

    What is beside a control: the help or error's scope is its nearest field wrapper (``.field``),
    fieldset, form or section, and the controls beside it are those in that scope, less those in
    another form. A question of choices (a ``fieldset.field``) names it on the fieldset; otherwise
    each control names it. Messages inside a ``.field-errors`` are named through it. Help with no
    control beside it (a note on a section of links or buttons) is not checked."""
    out, checked = [], 0
    for node in page.walk():
        if not node.classes & DESCRIBING or _hidden(node):
            continue
        if "error-message" in node.classes and any("field-errors" in a.classes for a in node.ancestors()):
            continue
        scope = next((a for a in node.ancestors() if _is_scope(a)), None)
        controls = _controls(scope, node) if scope is not None else []
        if not controls:
            continue
        checked += 1
        ref = node.attrs.get("id")
        if not ref:
            out.append(f"{node!r} has no id for a control to name")
        elif scope.tag == "fieldset" and "field" in scope.classes:
            if ref not in _described_by(scope):
                out.append(f"{scope!r} does not name {ref!r}")
        else:
            out += [f"{c!r} does not name {ref!r}" for c in controls if ref not in _described_by(c)]
    return out, checked


def _problems(response, name: str) -> tuple[list[str], int]:
    assert response.status_code in (200, 400), (name, response.status_code)
    page = parse(response.content.decode())
    unnamed, checked = unreferenced_descriptions(page)
    return [f"{name}: {p}" for p in reference_problems(page) + unnamed], checked


def _check(pages: dict[str, object]) -> None:
    problems, unchecked = [], []
    for name, response in pages.items():
        found, checked = _problems(response, name)
        problems += found
        if not checked:
            unchecked.append(name)
    assert problems == []
    assert unchecked == [], "no help or error beside a control on these pages: the checks above checked none"


@pytest.fixture
def published(client_in, user):
    """A draft whose versions 1.0 and 2.0 are published (two withdraw forms on its Review step)."""
    draft = make_draft(user, make_spec(**{"derivatives.distillation": "share_alike_foundation"}))
    assert client_in.post(reverse("publish:publish", args=[draft.pk])).status_code == 302
    spec = draft.spec
    spec["license"]["version"] = "2.0"
    Draft.objects.filter(pk=draft.pk).update(spec=spec)
    assert client_in.post(reverse("publish:publish", args=[draft.pk])).status_code == 302
    return Draft.objects.get(pk=draft.pk)


def test_the_review_step_and_what_do_i_owe(client_in, published):
    review = client_in.get(reverse("drafts:step", args=[published.pk, "review"]))
    html = review.content.decode()
    for publication in Publication.objects.filter(draft=published):
        assert f'id="withdraw-note-{publication.pk}"' in html
    owe = f"{Publication.objects.filter(draft=published).first().get_absolute_url()}owe/"
    asked = client_in.get(owe)
    assert 'name="result"' in asked.content.decode()
    _check(
        {
            "review step": review,
            "owe": asked,
            "owe refused": client_in.get(owe, {"modification": "telepathy", "result": "maybe", "use": "teleport"}),
        }
    )


def test_the_review_pages_of_the_owner(client_in, published):
    published.record_revision(published.owner, "created")
    clause = outputs.build(complete(published.spec)).document.clauses()[0]
    shares = reverse("review:shares", args=[published.pk])
    _check(
        {
            "read": client_in.get(reverse("review:read", args=[published.pk])),
            "comment refused": client_in.post(
                reverse("review:comment", args=[published.pk]), {"clause_id": clause.id, "body": "   "}
            ),
            "history": client_in.get(reverse("review:history", args=[published.pk])),
            "name refused": client_in.post(
                reverse("review:revision-name", args=[published.pk, 1]), {"name": "x" * 121}
            ),
            "compare refused": client_in.get(reverse("review:compare", args=[published.pk]) + "?a=rev-99"),
            "shares": client_in.get(shares),
            "share refused": client_in.post(shares, {"label": "", "expires_in": "soon"}),
            "share made": client_in.post(shares, {"label": "Counsel"}),
        }
    )


def test_the_review_pages_of_a_reviewer(client, client_in, published):
    created = client_in.post(reverse("review:shares", args=[published.pk]), {"label": "Counsel"})
    token = _URL.search(created.content.decode()).group(1)
    client.logout()
    clause = outputs.build(complete(published.spec)).document.clauses()[0]
    _check(
        {
            "shared read": client.get(reverse("review:shared-read", args=[token])),
            "shared comment refused": client.post(
                reverse("review:shared-comment", args=[token]), {"clause_id": clause.id, "name": "", "body": "   "}
            ),
            "shared owe refused": client.get(f"/s/{token}/owe/", {"modification": "telepathy", "use": "teleport"}),
        }
    )


def test_the_check_finds_help_its_control_does_not_name():
    page = parse(
        '<form><label for="n">Note</label><input id="n" name="note"><p class="help">Help</p></form>'
        '<fieldset class="field"><legend>Q</legend><p class="error-message" id="q-error">Wrong</p>'
        '<input type="radio" name="q" aria-describedby="q-error"></fieldset>'
        '<div class="field"><div class="field-errors" id="f-errors"><p class="error-message">Wrong</p></div>'
        '<input id="f" aria-describedby="f-errors"></div>'
    )
    assert unreferenced_descriptions(page) == (
        [
            "<p id=None class='help'> has no id for a control to name",
            "<fieldset id=None class='field'> does not name 'q-error'",
        ],
        3,
    )


def test_the_check_leaves_help_beside_no_control_alone():
    """Help on a section whose controls are all in forms of their own is not theirs to name."""
    page = parse(
        '<section><p class="help">About these versions</p>'
        '<form><input id="n" aria-describedby="n-help"><p class="help" id="n-help">Help</p></form></section>'
    )
    assert unreferenced_descriptions(page) == ([], 1)
