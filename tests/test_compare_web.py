"""Comparing in the web app: revisions, drafts and presets, inline and side by side, the exports,
and what a reviewer holding a share link may and may not name."""

import re
import secrets

import pytest
from django.urls import reverse

from licensebuilder.review import access
from licensebuilder.review.models import Comment, ShareLink
from tests.factories import make_draft, make_spec

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script> **Bold** [x](javascript:alert(2))"


def _revise(draft, user, name="", **changes):
    """Change the draft's answers, save it and record a revision that later edits do not fold into."""
    for path, value in changes.items():
        target = draft.spec
        *parents, last = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    draft.save()
    return draft.record_revision(user, "edit", name=name or f"Step {draft.revisions.count() + 1}")


@pytest.fixture
def revised(user):
    """A draft with revision 1 (as made) and revision 2 (distillation prohibited)."""
    draft = make_draft(user)
    draft.record_revision(user, "created")
    _revise(draft, user, "Sent to counsel", **{"derivatives.distillation": "prohibited"})
    return draft


def _url(draft, **query):
    url = reverse("review:compare", args=[draft.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _export_url(draft, fmt, **query):
    return reverse("review:compare-export", args=[draft.pk, fmt]) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def _share(draft):
    token = secrets.token_urlsafe(32)
    ShareLink.objects.create(draft=draft, label="x", token_hash=access.token_hash(token))
    return token


def _shared_url(token, **query):
    url = reverse("review:shared-compare", args=[token])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _text(response):
    return response.content.decode()


# -- every kind of comparison -------------------------------------------------------------------


def test_it_compares_two_revisions_in_words_with_links_to_the_clauses(client_in, revised):
    response = client_in.get(_url(revised, a="rev-1", b="rev-2"))
    assert response.status_code == 200
    page = _text(response)
    assert "Distillation: share-alike → prohibited" in page
    assert 'href="#clause-derivatives-distillation"' in page
    assert 'id="clause-derivatives-distillation"' in page
    assert "1 answer differs · 2 clauses changed" in page
    assert re.search(r"Revision 2 — Sent to counsel — \d{1,2} \w{3} \d{4}", page)


def test_without_refs_it_compares_the_previous_revision_with_now(client_in, revised):
    response = client_in.get(_url(revised))
    assert response.status_code == 200
    assert response.context["refs"] == {"a": "rev-1", "b": "current"}
    assert "Distillation: share-alike → prohibited" in _text(response)


def test_a_draft_without_revisions_compares_now_with_now_and_records_nothing(client_in, user):
    draft = make_draft(user)  # answers that could not be worded when it was started
    assert not draft.revisions.exists()
    response = client_in.get(_url(draft))
    assert response.status_code == 200
    assert not draft.revisions.exists()  # a page only reads
    assert "Nothing differs: the answers and the text are the same." in _text(response)


def test_it_compares_the_draft_now_with_a_revision(client_in, user, revised):
    revised.spec["terms"]["outputs"] = "unaddressed"
    revised.save()  # saved, not yet recorded: "now" is the draft itself
    page = _text(client_in.get(_url(revised, a="rev-2", b="current")))
    assert "Outputs: no rights claimed → not addressed" in page
    assert "Distillation" not in page.split("Answers that differ")[1].split("The text, clause by clause")[0]
    assert "clause-outputs-unaddressed" in page and "added" in page and "removed" in page


def test_it_compares_two_drafts_of_the_same_owner(client_in, user):
    first = make_draft(user, title="First")
    second = make_draft(user, make_spec(**{"elements.training_data": "withheld"}), title="Second")
    response = client_in.get(_url(first, a=f"draft-{second.pk}", b="current"))
    assert response.status_code == 200
    page = _text(response)
    assert "Training data: withheld → described" in page
    assert "Draft: Second" in page
    assert '<optgroup label="Your other drafts">' in page


def test_it_compares_a_draft_with_a_preset(client_in, user):
    draft = make_draft(user)
    response = client_in.get(_url(draft, a="preset-permissive", b="current"))
    assert response.status_code == 200
    page = _text(response)
    assert "Preset: Permissive" in page
    assert "answers differ" in page or "answer differs" in page
    assert response.context["comparison"].old.spec["license"]["name"] != draft.spec["license"]["name"]


def test_comparing_something_with_itself_says_so_plainly(client_in, revised):
    page = _text(client_in.get(_url(revised, a="current", b="current")))
    assert "Nothing differs: the answers and the text are the same." in page
    assert "No answer differs." in page


# -- the redline --------------------------------------------------------------------------------


def test_a_changed_clause_shows_words_inserted_and_deleted(client_in, user):
    draft = make_draft(user, make_spec(**{"terms.governing_law": "the laws of Ireland"}))
    draft.record_revision(user, "created")
    _revise(draft, user, **{"terms.governing_law": "the laws of France"})
    page = _text(client_in.get(_url(draft, a="rev-1", b="rev-2")))
    assert "<del>Ireland</del><ins>France</ins>" in page
    assert "Governing law: “the laws of Ireland” → “the laws of France”" in page


def test_unchanged_clauses_are_collapsed_with_a_count(client_in, revised):
    response = client_in.get(_url(revised, a="rev-1", b="rev-2"))
    page = _text(response)
    notes = re.findall(r'<details class="compare-unchanged">\s*<summary>(\d+) unchanged clauses?</summary>', page)
    statuses = [c.status for c in response.context["comparison"].redline.clauses()]
    assert notes and sum(int(n) for n in notes) == statuses.count("unchanged") > 50


def test_renumbering_alone_is_not_reported(client_in, user):
    draft = make_draft(user, make_spec(**{"terms.include_license_copy": False}))
    draft.record_revision(user, "created")
    _revise(draft, user, **{"terms.include_license_copy": True})
    response = client_in.get(_url(draft, a="rev-1", b="rev-2"))
    page = _text(response)
    red = response.context["comparison"].redline
    cites_renumbered = red.clause("grant.reservation")  # its text differs only in a section number
    assert cites_renumbered.old.body != cites_renumbered.new.body
    assert re.search(r'class="compare-clause compare-clause--unchanged" id="clause-grant-reservation"', page)
    renumbered = [c for c in red.clauses() if c.renumbered and c.status == "unchanged"]
    assert renumbered
    for clause in renumbered:
        assert f'class="compare-clause compare-clause--unchanged" id="{clause.clause.anchor}"' in page
    assert "1 answer differs · 1 clause changed, 1 added" in page


def test_the_side_by_side_view_is_a_table_with_headers(client_in, revised):
    page = _text(client_in.get(_url(revised, a="rev-1", b="rev-2", view="side")))
    assert '<th scope="col">Before: Revision 1' in page
    assert '<th scope="col">After: Revision 2' in page
    assert '<th scope="colgroup" colspan="2">' in page
    assert "<del>" in page and "<ins>" in page
    assert 'id="view-side" checked' in page


def test_an_unknown_view_reads_as_inline(client_in, revised):
    response = client_in.get(_url(revised, a="rev-1", b="rev-2", view="sideways"))
    assert response.status_code == 200
    assert 'id="view-inline" checked' in _text(response)


def test_defined_terms_show_formatted_not_as_markdown(client_in, user):
    draft = make_draft(user, make_spec(**{"licensor.name": "Acme AI Ltd."}))
    draft.record_revision(user, "created")
    _revise(draft, user, **{"licensor.name": "Beta Labs"})
    page = _text(client_in.get(_url(draft, a="rev-1", b="rev-2")))
    assert "<strong>Licensor</strong>" in page
    assert "**" not in page


# -- comments beside the clauses ----------------------------------------------------------------


def test_threads_are_passed_when_this_draft_is_one_side(client_in, user, revised):
    Comment.objects.create(draft=revised, clause_id="derivatives.distillation", name="alice", body="Why?")
    response = client_in.get(_url(revised, a="rev-1", b="current"))
    assert response.context["show_threads"]
    assert [c.body for c in response.context["threads"]["derivatives.distillation"]] == ["Why?"]
    assert 'aria-label="Comments on' in _text(response)
    presets_only = client_in.get(_url(revised, a="preset-permissive", b="preset-strong-copyleft"))
    assert not presets_only.context["show_threads"]
    assert 'aria-label="Comments on' not in _text(presets_only)


# -- exports ------------------------------------------------------------------------------------


def test_the_exports_have_their_types_and_safe_file_names(client_in, revised):
    md = client_in.get(_export_url(revised, "md", a="rev-1", b="rev-2"))
    assert md.status_code == 200 and md["Content-Type"] == "text/markdown; charset=utf-8"
    assert md["Content-Disposition"] == 'attachment; filename="acme-open-model-license-1.0-compare-rev-1-rev-2.md"'
    text = md.content.decode()
    assert text.startswith("# Redline: Acme Open Model License 1.0: Revision 1")
    assert "Marking: {+inserted+} · [-deleted-]" in text
    assert "- Distillation: share-alike → prohibited" in text

    page = client_in.get(_export_url(revised, "html", a="rev-1", b="rev-2", view="side"))
    assert page["Content-Type"] == "text/html; charset=utf-8"
    assert page["Content-Disposition"].endswith('-compare-rev-1-rev-2.html"')
    assert "sandbox" in page["Content-Security-Policy"]
    assert page.content.startswith(b"<!DOCTYPE html>")
    assert b'<th><span class="redline-side">Before:</span>' in page.content

    pdf = client_in.get(_export_url(revised, "pdf", a="rev-1", b="current", paper="letter"))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].endswith('-compare-rev-1-current.pdf"')


def test_the_page_links_to_the_three_exports(client_in, revised):
    page = _text(client_in.get(_url(revised, a="rev-1", b="rev-2")))
    for fmt in ("html", "pdf", "md"):
        assert reverse("review:compare-export", args=[revised.pk, fmt]) + "?a=rev-1&amp;b=rev-2" in page


def test_exports_refuse_bad_input_with_a_message(client_in, revised):
    bad_ref = client_in.get(_export_url(revised, "md", a="rev-99", b="current"))
    assert bad_ref.status_code == 400 and bad_ref.content.decode() == "Compare from: no revision 99 in this draft"
    bad_paper = client_in.get(_export_url(revised, "pdf", a="rev-1", b="current", paper="A0"))
    assert bad_paper.status_code == 400 and b"paper: must be one of" in bad_paper.content
    assert client_in.get(_export_url(revised, "docx", a="rev-1", b="current")).status_code == 400


# -- user text stays text -----------------------------------------------------------------------


def test_hostile_names_stay_text_in_the_page_and_the_exports(client_in, user):
    draft = make_draft(user)
    draft.record_revision(user, "created")
    _revise(draft, user, name=HOSTILE, **{"license.name": HOSTILE})
    page = _text(client_in.get(_url(draft, a="rev-1", b="rev-2")))
    assert "<script>alert" not in page and 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    html = client_in.get(_export_url(draft, "html", a="rev-1", b="rev-2")).content.decode()
    assert "<script" not in html and 'href="javascript' not in html
    md = client_in.get(_export_url(draft, "md", a="rev-1", b="rev-2")).content.decode()
    assert "<script>" not in md and "](javascript" not in md
    assert r"\<script\>alert\(1\)\</script\> \*\*Bold\*\*" in md


# -- refs that name nothing to compare ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"a": "rev-99"}, "Compare from: no revision 99 in this draft"),
        ({"b": "rev-0"}, "Compare to: no revision 0 in this draft"),
        ({"a": "nonsense"}, "Compare from: “nonsense” is not something to compare; choose from the list"),
        ({"a": "preset-nope"}, "Compare from: no preset “nope”"),
        ({"b": "draft-999999"}, "Compare to: draft 999999 is not one of your drafts"),
        ({"a": "rev-" + "9" * 40}, "Compare from: “rev-99999999999999999999999999999999999…” is not something"),
    ],
)
def test_bad_refs_get_a_message_naming_the_field(client_in, revised, query, message):
    response = client_in.get(_url(revised, **query))
    assert response.status_code == 400
    assert message in _text(response)
    assert 'aria-invalid="true"' in _text(response)


def test_another_users_draft_is_a_message_not_data(client_in, revised, other_user):
    theirs = make_draft(other_user, make_spec(**{"license.name": "Mallory Secret License"}), title="Secret plans")
    response = client_in.get(_url(revised, a=f"draft-{theirs.pk}", b="current"))
    assert response.status_code == 400
    page = _text(response)
    assert f"Compare from: draft {theirs.pk} is not one of your drafts" in page
    assert "Mallory" not in page and "Secret plans" not in page


def test_it_only_answers_get(client_in, revised):
    assert client_in.post(_url(revised)).status_code == 405


# -- a reviewer with a share link ---------------------------------------------------------------


def test_a_reviewer_compares_revisions_and_presets(client, revised):
    token = _share(revised)
    response = client.get(_shared_url(token, a="rev-1", b="rev-2"))
    assert response.status_code == 200
    assert "Distillation: share-alike → prohibited" in _text(response)
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"
    preset = client.get(_shared_url(token, a="preset-permissive", b="current"))
    assert preset.status_code == 200 and "Preset: Permissive" in _text(preset)
    export = client.get(reverse("review:shared-compare-export", args=[token, "md"]) + "?a=rev-1&b=rev-2")
    assert export.status_code == 200 and export["Referrer-Policy"] == "no-referrer"


def test_a_reviewer_cannot_name_or_see_the_owners_other_drafts(client, user, revised):
    other = make_draft(user, make_spec(**{"license.name": "Unreleased Thing"}), title="Unreleased plans")
    token = _share(revised)
    listed = _text(client.get(_shared_url(token)))
    assert "Your other drafts" not in listed and "Unreleased" not in listed and f"draft-{other.pk}" not in listed
    for ref in (f"draft-{other.pk}", "draft-999999"):
        response = client.get(_shared_url(token, a="rev-1", b=ref))
        assert response.status_code == 400
        page = _text(response)
        assert "Compare to: not available" in page
        assert "Unreleased" not in page
    export = client.get(reverse("review:shared-compare-export", args=[token, "md"]) + f"?b=draft-{other.pk}")
    assert export.status_code == 400 and b"Unreleased" not in export.content
    # The shared draft itself may be named.
    assert client.get(_shared_url(token, a="rev-1", b=f"draft-{revised.pk}")).status_code == 200


def test_a_dead_share_link_is_a_404(client, revised):
    assert client.get(_shared_url("x" * 43)).status_code == 404
