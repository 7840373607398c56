"""Revision history: revisions recorded by saves, folded per minute, named, opened, exported and
restored; newer clause wording offered, taken or declined; reviewers read but never change."""

import copy
import hashlib
import json
import secrets
from datetime import timedelta
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from licensebuilder.core.assemble import Document
from licensebuilder.core.complete import complete
from licensebuilder.core.render.markdown import fingerprint, render_markdown
from licensebuilder.drafts import outputs, revisions
from licensebuilder.drafts.models import Draft, Revision
from licensebuilder.review import access
from licensebuilder.review.models import ShareLink
from tests.factories import make_draft, step_data
from tests.helpers import pdf_text

pytestmark = pytest.mark.django_db

OLD_WORDS = "Older wording kept on purpose."


def fresh(draft):
    return Draft.objects.get(pk=draft.pk)


def save_step(client, draft, slug="derivatives", **changes):
    draft = fresh(draft)
    response = client.post(reverse("drafts:step", args=[draft.pk, slug]), step_data(draft, slug, **changes))
    assert response.status_code == 302, response.content.decode()[:500]
    return fresh(draft)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def url(draft, name, *args):
    return reverse(f"review:{name}", args=[draft.pk, *args])


def rows(draft):
    return list(Revision.objects.filter(draft=draft).order_by("number").values())


def age(revision, library_version="0.9.0"):
    """Make a revision look drafted with an older clause library: one clause worded differently,
    at a lower version of that clause."""
    data = copy.deepcopy(revision.document)
    clause = data["sections"][1]["clauses"][0]
    clause["body"] += " " + OLD_WORDS
    clause["version"] -= 1
    data["library_version"] = library_version
    markdown = render_markdown(Document.from_data(data))
    Revision.objects.filter(pk=revision.pk).update(
        document=data, markdown=markdown, fingerprint=fingerprint(markdown), library_version=library_version
    )
    return Revision.objects.get(pk=revision.pk), clause["title"]


@pytest.fixture
def drafted(user):
    draft = make_draft(user, title="Project Nightingale")
    revisions.ensure_revision(draft)
    return draft


@pytest.fixture
def share(drafted):
    token = secrets.token_urlsafe(32)
    ShareLink.objects.create(draft=drafted, label="Counsel", token_hash=access.token_hash(token))
    return token


def shared(token, name, *args):
    return reverse(f"review:shared-{name}", args=[token, *args])


# -- recording -------------------------------------------------------------------------------


def test_it_records_a_revision_when_a_step_is_saved(client_in, user, drafted):
    draft = save_step(client_in, drafted, distillation="prohibited")
    revision = draft.revisions.order_by("-number").first()
    assert revision.number == 2 and revision.kind == "edit"
    assert revision.spec == draft.spec and revision.spec["derivatives"]["distillation"] == "prohibited"
    built = outputs.build(complete(draft.spec))
    assert revision.markdown == built.markdown
    assert revision.fingerprint == hashlib.sha256(revision.markdown.encode("utf-8")).hexdigest()
    assert revision.library_version == outputs.library_version() != ""
    assert revision.author == user
    assert revision.summary.startswith("Distillation:")


def test_it_folds_saves_within_a_minute_and_starts_a_new_revision_after(client_in, drafted):
    start = timezone.now()
    with at(start):
        save_step(client_in, drafted, distillation="prohibited")
    with at(start + timedelta(seconds=40)):
        save_step(client_in, drafted, fine_tune_head="prohibited")
    assert drafted.revisions.count() == 2
    folded = drafted.revisions.get(number=2)
    assert folded.spec["derivatives"]["fine_tune_head"] == "prohibited"
    assert "Distillation" in folded.summary and "head" in folded.summary.lower()
    with at(start + timedelta(minutes=2)):
        draft = save_step(client_in, drafted, embeddings="prohibited")
    assert [r.number for r in draft.revisions.all()] == [3, 2, 1]
    assert draft.revisions.get(number=3).spec["derivatives"]["embeddings"] == "prohibited"


def test_naming_a_revision_closes_it_to_folding(client_in, drafted):
    start = timezone.now()
    with at(start):
        save_step(client_in, drafted, distillation="prohibited")
        client_in.post(url(drafted, "revision-name", 2), {"name": "Sent to counsel 3 March"})
    with at(start + timedelta(seconds=10)):
        save_step(client_in, drafted, fine_tune_head="prohibited")
    named = drafted.revisions.get(number=2)
    assert named.name == "Sent to counsel 3 March"
    assert named.spec["derivatives"]["fine_tune_head"] != "prohibited"
    assert drafted.revisions.get(number=3).spec["derivatives"]["fine_tune_head"] == "prohibited"


def test_a_draft_started_in_the_browser_has_its_first_revision_before_any_page_is_opened(client_in):
    response = client_in.post(reverse("drafts:new"), {"start": "blank"})
    assert response.status_code == 302
    draft = Draft.objects.get()
    first = draft.revisions.get()
    assert first.number == 1 and first.kind == "created" and first.spec == draft.spec
    assert "Revision 1" in client_in.get(url(draft, "history")).content.decode()


# -- the history page ------------------------------------------------------------------------


def test_the_history_lists_revisions_newest_first_with_names_and_summaries(client_in, drafted):
    start = timezone.now()
    with at(start):
        save_step(client_in, drafted, distillation="prohibited")
    with at(start + timedelta(minutes=5)):
        save_step(client_in, drafted, embeddings="attribution")
    Revision.objects.filter(draft=drafted, number=2).update(name="Sent to counsel 3 March")
    page = client_in.get(url(drafted, "history")).content.decode()
    assert page.index('id="revision-3"') < page.index('id="revision-2"') < page.index('id="revision-1"')
    assert "“Sent to counsel 3 March”" in page
    assert "Distillation: share-alike → prohibited" in page
    assert "<time datetime=" in page
    compare = reverse("review:compare", args=[drafted.pk])
    assert f"{compare}?a=rev-2&amp;b=rev-3" in page
    # The newest revision is the draft as it is now: comparing the two would show nothing.
    assert f"{compare}?a=rev-3&amp;b=current" not in page
    assert f"{compare}?a=rev-2&amp;b=current" in page
    assert url(drafted, "revision", 2) in page
    assert url(drafted, "revision-name", 2) in page and url(drafted, "revision-restore", 2) in page


def test_the_history_escapes_names(client_in, drafted):
    client_in.post(url(drafted, "revision-name", 1), {"name": "<script>alert(1)</script>"})
    page = client_in.get(url(drafted, "history")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1" * 40])
def test_any_page_number_shows_a_page(client_in, drafted, page):
    assert client_in.get(url(drafted, "history") + f"?page={page}").status_code == 200


# -- naming ----------------------------------------------------------------------------------


def test_a_name_is_stripped_and_an_empty_one_clears_it(client_in, drafted):
    response = client_in.post(url(drafted, "revision-name", 1), {"name": "  Sent   to counsel  "})
    assert response.status_code == 302 and response["Location"].endswith("#revision-1")
    assert drafted.revisions.get(number=1).name == "Sent to counsel"
    client_in.post(url(drafted, "revision-name", 1), {"name": "   "})
    assert drafted.revisions.get(number=1).name == ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("x" * 121, "at most 120 characters long (this one has 121)"),
        ("Sent\u202eto counsel", "control or bidirectional"),
    ],
)
def test_an_invalid_name_is_refused_at_the_field_and_kept(client_in, drafted, typed, message):
    response = client_in.post(url(drafted, "revision-name", 1), {"name": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Name of revision 1: " in page and message in page
    assert 'href="#revision-1-name"' in page and 'aria-invalid="true"' in page
    assert f'value="{typed}"' in page
    assert drafted.revisions.get(number=1).name == ""


def test_naming_needs_a_post_and_an_existing_revision(client_in, drafted):
    assert client_in.get(url(drafted, "revision-name", 1)).status_code == 302
    assert client_in.post(url(drafted, "revision-name", 99), {"name": "x"}).status_code == 404


# -- a revision's page and exports -----------------------------------------------------------


def test_a_revision_shows_the_text_it_was_drafted_with(client_in, drafted):
    old, _title = age(drafted.revisions.get(number=1))
    page = client_in.get(url(drafted, "revision", 1)).content.decode()
    assert OLD_WORDS in page
    assert old.fingerprint in page and "0.9.0" in page
    for fmt in ("md", "html", "pdf", "json"):
        assert url(drafted, "revision-export", 1, fmt) in page


def test_unknown_revisions_and_formats_are_404(client_in, drafted):
    assert client_in.get(url(drafted, "revision", 2)).status_code == 404
    assert client_in.get(url(drafted, "revision-export", 2, "md")).status_code == 404
    assert client_in.get(url(drafted, "revision-export", 1, "exe")).status_code == 404
    assert client_in.get(url(drafted, "revision-export", 1, "bundle")).status_code == 404


def test_revision_exports_keep_the_revision_s_text(client_in, drafted):
    old, _title = age(drafted.revisions.get(number=1))
    response = client_in.get(url(drafted, "revision-export", 1, "md"))
    assert response.status_code == 200 and response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == old.markdown and OLD_WORDS in old.markdown
    assert response["Content-Disposition"] == 'attachment; filename="acme-open-model-license-1.0-r1.md"'

    html = client_in.get(url(drafted, "revision-export", 1, "html"))
    assert OLD_WORDS in html.content.decode() and "sandbox" in html["Content-Security-Policy"]

    data = json.loads(client_in.get(url(drafted, "revision-export", 1, "json")).content)
    assert data["fingerprint"]["value"] == old.fingerprint and data["clause_library_version"] == "0.9.0"

    pdf = client_in.get(url(drafted, "revision-export", 1, "pdf"))
    assert pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="acme-open-model-license-1.0-r1.pdf"'
    assert "Older wording" in pdf_text(pdf.content)


def test_a_revision_export_refuses_a_bad_paper_size(client_in, drafted):
    response = client_in.get(url(drafted, "revision-export", 1, "pdf") + "?paper=napkin")
    assert response.status_code == 400 and b"paper" in response.content


# -- restoring -------------------------------------------------------------------------------


def test_restore_asks_first(client_in, drafted):
    save_step(client_in, drafted, distillation="prohibited")
    response = client_in.get(url(drafted, "revision-restore", 1))
    page = response.content.decode()
    assert response.status_code == 200 and "Restore revision 1" in page
    assert "Distillation: prohibited → share-alike" in page
    assert fresh(drafted).spec["derivatives"]["distillation"] == "prohibited"


def test_restore_makes_a_new_revision_and_changes_nothing_earlier(client_in, drafted):
    start = timezone.now()
    with at(start):
        save_step(client_in, drafted, distillation="prohibited")
    Revision.objects.filter(draft=drafted, number=1).update(name="Sent to counsel")
    before = rows(drafted)
    draft_before = fresh(drafted)
    with at(start + timedelta(minutes=3)):
        response = client_in.post(url(drafted, "revision-restore", 1))
    assert response.status_code == 302 and response["Location"] == url(drafted, "history")
    draft = fresh(drafted)
    assert draft.spec == before[0]["spec"] and draft.version == draft_before.version + 1
    assert draft.done == draft_before.done
    after = rows(drafted)
    assert after[:2] == before
    restored = after[2]
    assert restored["number"] == 3 and restored["kind"] == "restore" and restored["spec"] == before[0]["spec"]
    assert restored["summary"] == "Restored revision 1 “Sent to counsel”"
    page = client_in.get(url(drafted, "history")).content.decode()
    assert "Restored revision 1" in page


def test_a_page_opened_before_a_restore_cannot_overwrite_it(client_in, drafted):
    stale = save_step(client_in, drafted, distillation="prohibited")
    client_in.post(url(drafted, "revision-restore", 1))
    data = step_data(stale, "derivatives", fine_tune_head="prohibited")
    response = client_in.post(reverse("drafts:step", args=[drafted.pk, "derivatives"]), data)
    assert response.status_code == 409
    assert fresh(drafted).spec["derivatives"]["fine_tune_head"] != "prohibited"


def test_restoring_the_answers_the_draft_has_changes_nothing(client_in, drafted):
    response = client_in.post(url(drafted, "revision-restore", 1), follow=True)
    assert "nothing to restore" in response.content.decode()
    assert drafted.revisions.count() == 1


# -- newer clause wording --------------------------------------------------------------------


def test_the_notice_counts_clauses_with_newer_wording(client_in, drafted):
    assert revisions.upgrade_notice(drafted) == 0
    _old, title = age(drafted.revisions.get(number=1))
    assert revisions.upgrade_notice(drafted) == 1
    banner = render_to_string("review/_upgrade_banner.html", {"draft": drafted, "newer_wording": 1})
    assert "1 clause has newer wording — see what changed" in banner and url(drafted, "upgrade") in banner
    assert render_to_string("review/_upgrade_banner.html", {"draft": drafted, "newer_wording": 0}).strip() == ""
    page = client_in.get(url(drafted, "upgrade")).content.decode()
    assert "1 clause has newer wording" in page and title in page
    assert f"<del> {OLD_WORDS}</del>" in page
    assert "Use the new wording" in page and "Keep the wording I have" in page


def test_the_notice_compares_clause_versions_not_library_strings(client_in, drafted):
    revision = drafted.revisions.get(number=1)
    Revision.objects.filter(pk=revision.pk).update(library_version="0.9.0")
    assert revisions.upgrade_notice(drafted) == 0, "another library string alone is not newer wording"
    _old, title = age(drafted.revisions.get(number=1))
    upgrade = revisions.library_upgrade(drafted)
    assert [(c.title, c.old_version, c.new_version) for c in upgrade.newer] == [
        (title, upgrade.newer[0].new_version - 1, upgrade.newer[0].new_version)
    ]
    page = client_in.get(url(drafted, "upgrade")).content.decode()
    new = upgrade.newer[0].new_version
    assert f"{title}: version {new - 1} → {new}" in page


def test_accepting_newer_wording_records_a_revision(client_in, user, drafted):
    age(drafted.revisions.get(number=1))
    response = client_in.post(url(drafted, "upgrade"), {"action": "accept"})
    assert response.status_code == 302
    newest = drafted.revisions.order_by("-number").first()
    version = outputs.library_version()
    assert newest.number == 2 and newest.kind == "upgrade" and newest.author == user
    assert newest.summary == f"Clause wording updated to library {version}"
    assert newest.library_version == version and OLD_WORDS not in newest.markdown
    assert OLD_WORDS in drafted.revisions.get(number=1).markdown
    assert revisions.upgrade_notice(drafted) == 0


def test_keeping_the_wording_hides_the_notice_and_keeps_the_text(client_in, drafted):
    age(drafted.revisions.get(number=1))
    assert revisions.kept_document(drafted) is None
    response = client_in.post(url(drafted, "upgrade"), {"action": "keep"})
    assert response.status_code == 302
    assert revisions.upgrade_notice(drafted) == 0 and drafted.revisions.count() == 1
    kept = revisions.kept_document(drafted)
    assert kept is not None and kept.sections[1].clauses[0].body.endswith(OLD_WORDS)
    assert OLD_WORDS in revisions.kept_build(drafted).markdown
    page = client_in.get(url(drafted, "upgrade")).content.decode()
    assert "You chose to keep" in page and "Keep the wording I have" not in page


def test_a_new_library_version_brings_the_notice_back(client_in, drafted):
    age(drafted.revisions.get(number=1))
    client_in.post(url(drafted, "upgrade"), {"action": "keep"})
    with mock.patch.object(revisions, "library_version", return_value="9.9.9"):
        assert revisions.upgrade_notice(drafted) == 1


def test_an_edit_after_keeping_is_worded_by_today_s_library(client_in, drafted):
    age(drafted.revisions.get(number=1))
    client_in.post(url(drafted, "upgrade"), {"action": "keep"})
    save_step(client_in, drafted, distillation="prohibited")
    assert revisions.kept_document(drafted) is None and revisions.upgrade_notice(drafted) == 0


def test_an_unknown_upgrade_action_is_refused_by_name(client_in, drafted):
    age(drafted.revisions.get(number=1))
    response = client_in.post(url(drafted, "upgrade"), {"action": "explode"})
    assert response.status_code == 400 and "Action: choose" in response.content.decode()
    assert drafted.revisions.count() == 1


def test_the_upgrade_page_says_when_there_is_nothing_newer(client_in, drafted):
    response = client_in.get(url(drafted, "upgrade"))
    assert response.status_code == 200 and "Clause wording is up to date" in response.content.decode()
    client_in.post(url(drafted, "upgrade"), {"action": "accept"})
    assert drafted.revisions.count() == 1


# -- reviewers -------------------------------------------------------------------------------


def test_a_reviewer_reads_the_history_and_a_revision_without_any_form(client, drafted, share):
    for page_url in (shared(share, "history"), shared(share, "revision", 1)):
        response = client.get(page_url)
        assert response.status_code == 200
        assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "private, no-store"
        page = response.content.decode()
        assert "as a guest; nothing here can be changed" in page
        assert "<form" not in page and "Project Nightingale" not in page
        assert f"/drafts/{drafted.pk}/" not in page
    history = client.get(shared(share, "history")).content.decode()
    assert shared(share, "revision", 1) in history
    assert shared(share, "compare") in history  # one revision: it is the draft now, so no "Compare with now"
    assert "b=current" not in history


def test_a_reviewer_downloads_a_revision(client, drafted, share):
    response = client.get(shared(share, "revision-export", 1, "md"))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert response.content.decode() == drafted.revisions.get(number=1).markdown


def test_a_dead_link_is_a_private_404(client, drafted, share):
    ShareLink.objects.update(revoked=timezone.now())
    response = client.get(shared(share, "history"))
    assert response.status_code == 404 and response["Referrer-Policy"] == "no-referrer"


def test_owner_only_actions_have_no_shared_twin(share):
    for name, args in (("revision-restore", [1]), ("revision-name", [1]), ("upgrade", [])):
        with pytest.raises(NoReverseMatch):
            reverse(f"review:shared-{name}", args=[share, *args])


@pytest.mark.parametrize(
    ("name", "args", "data"),
    [("revision-restore", [1], {}), ("revision-name", [1], {"name": "x"}), ("upgrade", [], {"action": "accept"})],
)
def test_owner_only_actions_need_the_owner(client, other_user, drafted, share, name, args, data):
    before = rows(drafted)
    target = url(drafted, name, *args)
    response = client.post(target, data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(other_user)
    assert client.post(target, data).status_code == 404
    assert client.get(target).status_code == 404
    assert rows(drafted) == before


@pytest.mark.parametrize("number", ["0", "99999999999999999999999"])
def test_any_revision_number_in_a_url_is_a_404_not_an_error(client_in, drafted, share, number):
    base = url(drafted, "history")
    for path in (f"{base}{number}/", f"{base}{number}/export/md/", shared(share, "history") + f"{number}/"):
        assert client_in.get(path).status_code == 404
    assert client_in.post(f"{base}{number}/name/", {"name": "x"}).status_code == 404
    assert client_in.post(f"{base}{number}/restore/").status_code == 404


def test_the_admin_shows_revisions_share_links_and_comments_read_only(client, user, django_user_model):
    from licensebuilder.review.models import Comment, ShareLink

    draft = make_draft(user)
    revision = revisions.ensure_revision(draft)
    link = ShareLink.objects.create(draft=draft, label="Counsel", token_hash="0" * 64)
    comment = Comment.objects.create(draft=draft, clause_id="grant.license", name="Ann", body="Hm.")
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-enough-passphrase-42")
    client.force_login(admin)
    for model, obj in (("drafts_revision", revision), ("review_sharelink", link), ("review_comment", comment)):
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:{model}_change", args=[obj.pk])).content.decode()
        assert 'name="_save"' not in page, model
    assert "0" * 64 not in client.get(reverse("admin:review_sharelink_change", args=[link.pk])).content.decode()


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize(("name", "args"), [("revision-restore", [1]), ("revision-name", [1]), ("upgrade", [])])
def test_restoring_naming_and_upgrading_take_only_get_and_post_refused_before_the_lookup(
    client_in, drafted, name, args, method
):
    for draft_id in (drafted.pk, drafted.pk + 1000):  # the owner's draft, and one that does not exist
        response = getattr(client_in, method)(reverse(f"review:{name}", args=[draft_id, *args]), "name=Gone")
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD, POST", (name, draft_id)
    revision = drafted.revisions.get()
    assert revision.name == "" and drafted.revisions.count() == 1


@pytest.mark.parametrize("name", ["history", "revision", "revision-export"])
def test_the_read_only_pages_refuse_a_post_before_the_lookup(client, client_in, drafted, share, name):
    args = {"history": [], "revision": [1], "revision-export": [1, "md"]}[name]
    for draft_id in (drafted.pk, drafted.pk + 1000):
        response = client_in.post(reverse(f"review:{name}", args=[draft_id, *args]))
        assert response.status_code == 405 and response["Allow"] == "GET, HEAD", (name, draft_id)
    for token in (share, "x" * 43):
        response = client.post(shared(token, name, *args))
        assert response.status_code == 405 and response["Cache-Control"] == "private, no-store", (name, token)
