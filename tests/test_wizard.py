"""The drafting wizard through Django's test client: every step without JavaScript, bad input,
autosave, the live preview and the version conflict."""

import re

import pytest
from django.urls import reverse

from licensebuilder.core import spec as specs
from licensebuilder.drafts import wizard
from licensebuilder.drafts.models import Draft
from tests.factories import make_draft, make_spec, step_data

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
FORM_STEPS = [s.slug for s in wizard.STEPS if s.form is not None]


def url(draft, slug, name="step"):
    return reverse(f"drafts:{name}", args=[draft.pk, slug])


def fresh(draft):
    return Draft.objects.get(pk=draft.pk)


# -- the pure parts --------------------------------------------------------------------------


def test_next_step_skips_share_alike_when_no_policy_needs_it():
    spec = make_spec(**{f"derivatives.{k}": "permitted" for k in specs.MODIFICATIONS})
    assert wizard.next_step(spec, "derivatives") == "terms"
    assert wizard.previous_step(spec, "terms") == "derivatives"
    assert "share_alike" not in [s.slug for s in wizard.applicable(spec)]


def test_next_step_includes_share_alike_when_a_policy_needs_it():
    spec = make_spec(**{"derivatives.distillation": "share_alike"})
    assert wizard.next_step(spec, "derivatives") == "share_alike"
    assert wizard.next_step(spec) == "basics"
    assert wizard.next_step(spec, "review") is None


def test_every_field_has_help_and_every_choice_a_reason():
    spec = make_spec()
    for step in wizard.STEPS:
        if step.form is None:
            continue
        form = step.form(spec=spec)
        for name, field in form.fields.items():
            assert field.help_text, f"{step.slug}.{name} has no help text"
            if name not in {"license_spdx_id", "model_version", "model_url", "governing_law"}:
                assert field.why or name in {"licensor_contact"}, f"{step.slug}.{name} has no Why?"


# -- each step without JavaScript ------------------------------------------------------------


@pytest.mark.parametrize("slug", [s.slug for s in wizard.STEPS])
def test_each_step_renders_a_full_page(client_in, draft, slug):
    response = client_in.get(url(draft, slug))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 id="step-heading" tabindex="-1">' in html
    assert 'aria-current="step"' in html
    assert 'id="preview"' in html
    assert "<html" in html  # a whole page, not a partial


@pytest.mark.parametrize("slug", FORM_STEPS)
def test_each_step_form_posts_without_javascript(client_in, draft, slug):
    html = client_in.get(url(draft, slug)).content.decode()
    assert f'action="{url(draft, slug)}"' in html
    assert 'name="version"' in html
    assert 'id="save-status"' in html and 'aria-live="polite"' in html
    # labelled fields: every visible input has a label or sits in a fieldset with a legend
    for match in re.finditer(r'<input type="(?:text|number)" name="(\w+)"[^>]*id="([\w-]+)"', html):
        assert f'for="{match.group(2)}"' in html


def test_saving_basics_moves_to_the_next_step_and_bumps_the_version(client_in, blank_draft):
    data = step_data(blank_draft, "basics", license_name="Acme Open Model License", licensor_name="Acme AI Ltd.",
                     model_name="Acme-7B", licensor_contact="legal@acme.example")  # fmt: skip
    response = client_in.post(url(blank_draft, "basics"), data)
    assert response.status_code == 302
    assert response["Location"] == url(blank_draft, "elements")
    draft = fresh(blank_draft)
    assert draft.spec["license"]["name"] == "Acme Open Model License"
    assert draft.spec["licensor"]["contact"] == "legal@acme.example"
    assert draft.version == blank_draft.version + 1
    assert "basics" in draft.done
    assert draft.title == "Acme Open Model License"  # an untitled draft takes the license name


@pytest.mark.parametrize(
    ("slug", "changes", "path", "expected"),
    [
        ("elements", {"training_data": "withheld"}, "elements.training_data", "withheld"),
        ("use", {"commercial_use": None, "restrictions": ["weapons"], "custom_restrictions": "Ranking job applicants"},
         "use.restrictions", ["weapons", {"text": "Ranking job applicants"}]),
        ("derivatives", {"distillation": "prohibited"}, "derivatives.distillation", "prohibited"),
        ("share_alike", {"trigger": "distribution_or_service", "release": ["weights"]}, "share_alike.release",
         ["weights"]),
        ("terms", {"termination_cure_days": "0", "governing_law": "the laws of Ireland"}, "terms.governing_law",
         "the laws of Ireland"),
    ],
)  # fmt: skip
def test_each_step_saves_its_answers(client_in, draft, slug, changes, path, expected):
    response = client_in.post(url(draft, slug), step_data(draft, slug, **changes))
    assert response.status_code == 302
    assert specs.get_path(fresh(draft).spec, path) == expected
    specs.validate(fresh(draft).spec)  # what is stored is always a valid spec


def test_unchecking_a_box_saves_false(client_in, draft):
    client_in.post(url(draft, "use"), step_data(draft, "use", commercial_use=None))
    assert fresh(draft).spec["grants"]["commercial_use"] is False


def test_back_saves_and_goes_to_the_previous_step(client_in, draft):
    response = client_in.post(url(draft, "use"), {**step_data(draft, "use"), "action": "back"})
    assert response["Location"] == url(draft, "elements")


def test_step_navigation_saves_and_jumps(client_in, draft):
    response = client_in.post(url(draft, "use"), {**step_data(draft, "use", sublicensing="on"), "goto": "terms"})
    assert response["Location"] == url(draft, "terms")
    assert fresh(draft).spec["grants"]["sublicensing"] is True


def test_the_last_form_step_leads_to_the_review(client_in, draft):
    assert client_in.post(url(draft, "terms"), step_data(draft, "terms"))["Location"] == url(draft, "review")


def test_share_alike_is_skipped_when_not_needed(client_in, user):
    spec = make_spec(**{f"derivatives.{k}": "attribution" for k in specs.MODIFICATIONS})
    draft = make_draft(user, spec)
    response = client_in.post(url(draft, "derivatives"), step_data(draft, "derivatives"))
    assert response["Location"] == url(draft, "terms")
    response = client_in.get(url(draft, "share_alike"))
    assert response.status_code == 302 and response["Location"] == url(draft, "terms")
    nav = client_in.get(url(draft, "terms")).content.decode()
    assert 'value="share_alike"' not in nav


def test_step_navigation_shows_which_steps_are_complete(client_in, user):
    draft = make_draft(user, done=["basics", "elements"])
    html = client_in.get(url(draft, "use")).content.decode()
    assert "step-nav-item--complete" in html
    assert re.search(r'id="nav-basics".*?\(complete\)', html, re.S)
    assert re.search(r'id="nav-terms".*?\(not done yet\)', html, re.S)


def test_unknown_step_is_404(client_in, draft):
    assert client_in.get(f"/drafts/{draft.pk}/steps/nope/").status_code == 404
    assert client_in.post(f"/drafts/{draft.pk}/steps/nope/", {}).status_code == 404


def test_resume_goes_to_the_first_unfinished_step(client_in, user):
    draft = make_draft(user, done=["basics"])
    assert client_in.get(reverse("drafts:resume", args=[draft.pk]))["Location"] == url(draft, "elements")


# -- invalid input ---------------------------------------------------------------------------

INVALID = [
    ("basics", {"license_name": "", "licensor_contact": "not a contact"}, ["license_name", "licensor_contact"],
     "not a contact"),
    ("basics", {"model_url": "javascript:alert(1)"}, ["model_url"], "javascript:alert(1)"),
    ("basics", {"license_version": "1 0"}, ["license_version"], "1 0"),
    ("elements", {"weights": "maybe"}, ["weights"], None),
    ("use", {"custom_restrictions": "x" * 501}, ["custom_restrictions"], "x" * 501),
    ("use", {"restrictions": ["not_a_restriction"]}, ["restrictions"], None),
    ("derivatives", {"distillation": "sometimes"}, ["distillation"], None),
    ("share_alike", {"trigger": "always", "release": ["souls"]}, ["trigger", "release"], None),
    ("terms", {"termination_cure_days": "999", "governing_law": "a\u202eb"}, ["termination_cure_days", "governing_law"],
     "999"),
]  # fmt: skip


@pytest.mark.parametrize(("slug", "changes", "fields", "typed"), INVALID)
def test_invalid_input_is_kept_and_shown_at_the_fields(client_in, draft, slug, changes, fields, typed):
    before = fresh(draft)
    response = client_in.post(url(draft, slug), step_data(draft, slug, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'role="alert"' in html
    for name in fields:
        assert f'href="#field-{name}-wrap"' in html  # summary links to the field
        assert re.search(rf'id="field-{name}-errors"><p class="error-message">', html), name
    if typed:
        assert f'value="{typed}"' in html or f"{typed}</textarea>" in html
    after = fresh(draft)
    assert after.spec == before.spec and after.version == before.version  # nothing valid was overwritten
    assert after.pending[slug]
    # A reload shows the same typed input and errors.
    again = client_in.get(url(draft, slug)).content.decode()
    assert 'id="error-summary"' in again
    if typed:
        assert typed in again
    assert "step-nav-item--problems" in again


def test_fixing_the_input_clears_what_was_pending(client_in, draft):
    client_in.post(url(draft, "basics"), step_data(draft, "basics", license_name=""))
    assert "basics" in fresh(draft).pending
    client_in.post(url(draft, "basics"), step_data(draft, "basics", license_name="Fixed License"))
    after = fresh(draft)
    assert "basics" not in after.pending
    assert after.spec["license"]["name"] == "Fixed License"


def test_typed_markup_stays_text(client_in, draft):
    evil = '<script>alert("x")</script>'
    client_in.post(url(draft, "basics"), step_data(draft, "basics", license_name=evil, licensor_contact="bad"))
    html = client_in.get(url(draft, "basics")).content.decode()
    assert evil not in html
    assert "&lt;script&gt;" in html


def test_a_garbage_version_is_a_conflict_not_a_crash(client_in, draft):
    data = {**step_data(draft, "use", sublicensing="on"), "version": "abc"}
    response = client_in.post(url(draft, "use"), data)
    assert response.status_code == 409
    assert fresh(draft).spec["grants"]["sublicensing"] is False


# -- the version conflict --------------------------------------------------------------------


def test_a_stale_save_is_refused_and_shows_both_versions(client_in, draft):
    stale = step_data(draft, "derivatives", distillation="prohibited")  # tab A opened at version 1
    client_in.post(url(draft, "derivatives"), step_data(draft, "derivatives", distillation="permitted"))  # tab B
    assert fresh(draft).version == 2

    response = client_in.post(url(draft, "derivatives"), stale)
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed somewhere else" in html
    assert "Your version" in html and "Saved version" in html
    assert re.search(r"Distillation</th><td class=\"mine\">prohibited</td>"
                     r"<td class=\"theirs\">permitted</td>", html)  # fmt: skip
    assert 'id="keep-mine"' in html and 'id="take-saved"' in html
    assert fresh(draft).spec["derivatives"]["distillation"] == "permitted"  # no silent overwrite

    # "Keep mine" posts the same answers against the current version.
    keep = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html.split('id="conflict"')[1]))
    assert keep["version"] == "2" and keep["distillation"] == "prohibited"
    response = client_in.post(url(draft, "derivatives"), keep)
    assert response.status_code == 302
    assert fresh(draft).spec["derivatives"]["distillation"] == "prohibited"
    assert fresh(draft).version == 3


def test_a_stale_save_with_the_same_answers_is_not_a_conflict(client_in, draft):
    stale = step_data(draft, "terms")
    client_in.post(url(draft, "use"), step_data(draft, "use", sublicensing="on"))
    response = client_in.post(url(draft, "terms"), stale)
    assert response.status_code == 302
    assert fresh(draft).spec["grants"]["sublicensing"] is True


def test_an_editor_may_follow_its_own_autosaves(client_in, draft):
    """A submit sent while the page's own autosave was in flight carries the older version."""
    editor = "tab-one-abcdef"
    data = {**step_data(draft, "use", sublicensing="on"), "editor": editor}
    assert client_in.post(url(draft, "use", "autosave"), data, **HTMX).status_code == 200
    assert fresh(draft).version == 2
    data.pop("patent_license")
    response = client_in.post(url(draft, "use"), data)
    assert response.status_code == 302
    assert fresh(draft).version == 3
    # ...but another editor with the same old version is refused.
    other = {**data, "editor": "tab-two-abcdef"}
    other.pop("sublicensing")
    assert client_in.post(url(draft, "use"), other).status_code == 409


# -- htmx: partial swaps, autosave, preview --------------------------------------------------


def test_htmx_submit_swaps_in_the_next_step_and_pushes_its_url(client_in, draft):
    response = client_in.post(url(draft, "elements"), step_data(draft, "elements"), **HTMX)
    assert response.status_code == 200
    assert response["HX-Push-Url"] == url(draft, "use")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="wizard"')
    assert "<html" not in html


def test_htmx_get_returns_the_wizard_partial(client_in, draft):
    html = client_in.get(url(draft, "review"), **HTMX).content.decode()
    assert html.lstrip().startswith('<div id="wizard"')


def test_autosave_saves_and_updates_the_version_out_of_band(client_in, draft):
    response = client_in.post(
        url(draft, "basics", "autosave"), step_data(draft, "basics", model_name="Acme-8B"), **HTMX
    )
    html = response.content.decode()
    assert 'id="save-status" hx-swap-oob="innerHTML">Saved' in html
    assert 'name="version" id="field-version" value="2" hx-swap-oob="true"' in html
    assert fresh(draft).spec["model"]["name"] == "Acme-8B"


def test_autosave_keeps_invalid_typing(client_in, draft):
    data = step_data(draft, "basics", model_url="ftp://nope")
    html = client_in.post(url(draft, "basics", "autosave"), data, **HTMX).content.decode()
    assert "Not saved" in html
    assert 'id="field-model_url-errors"' in html and "error-message" in html
    assert fresh(draft).pending["basics"]["model_url"] == ["ftp://nope"]
    assert "ftp://nope" in client_in.get(url(draft, "basics")).content.decode()


def test_autosave_refuses_a_stale_version(client_in, draft):
    stale = step_data(draft, "terms", naming="free")
    client_in.post(url(draft, "terms"), step_data(draft, "terms", naming="prefix_required"))
    html = client_in.post(url(draft, "terms", "autosave"), stale, **HTMX).content.decode()
    assert "Not saved — this draft was changed" in html
    assert 'id="keep-mine"' in html
    assert fresh(draft).spec["terms"]["naming"] == "prefix_required"
    # The page must stay on the version it was made from: moving it on would let the next
    # keystroke's autosave overwrite what the other tab saved.
    assert 'id="field-version"' not in html


def test_an_invalid_autosave_does_not_move_the_page_to_a_new_version(client_in, draft):
    data = step_data(draft, "basics", model_url="ftp://nope")
    html = client_in.post(url(draft, "basics", "autosave"), data, **HTMX).content.decode()
    assert "Not saved" in html
    assert 'id="field-version"' not in html


def test_preview_validates_without_saving_and_marks_changed_clauses(client_in, draft):
    page = client_in.get(url(draft, "use")).content.decode()
    state = re.search(r'name="preview_state" form="step-form" value="([^"]*)"', page).group(1)
    data = {**step_data(draft, "use", commercial_use=None), "preview_state": state}
    response = client_in.post(url(draft, "use", "preview"), data, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="preview"')
    assert "clause--changed" in html or "clause--added" in html
    assert "Your last change" in html
    assert fresh(draft).spec["grants"]["commercial_use"] is True  # not saved
    assert fresh(draft).version == draft.version


def test_preview_without_changes_marks_nothing(client_in, draft):
    page = client_in.get(url(draft, "derivatives")).content.decode()
    state = re.search(r'name="preview_state" form="step-form" value="([^"]*)"', page).group(1)
    data = {**step_data(draft, "derivatives"), "preview_state": state}
    html = client_in.post(url(draft, "derivatives", "preview"), data, **HTMX).content.decode()
    assert "clause--changed" not in html and "clause--added" not in html


def test_preview_lists_removed_clauses(client_in, user):
    draft = make_draft(user, make_spec(**{"use.restrictions": ["weapons"]}))
    page = client_in.get(url(draft, "use")).content.decode()
    state = re.search(r'name="preview_state" form="step-form" value="([^"]*)"', page).group(1)
    data = {**step_data(draft, "use", restrictions=[]), "preview_state": state}
    html = client_in.post(url(draft, "use", "preview"), data, **HTMX).content.decode()
    assert "removed" in html and "<del>" in html


def test_preview_with_invalid_input_shows_the_valid_answers_and_the_saved_ones_for_the_rest(client_in, draft):
    data = step_data(draft, "basics", license_name="", model_name="Acme-8B")
    html = client_in.post(url(draft, "basics", "preview"), data, **HTMX).content.decode()
    assert "except those that need fixing" in html
    assert "Acme Open Model License" in html  # the refused name: as saved
    assert "Acme-8B" in html  # the valid answer: as typed


def test_preview_button_without_javascript_renders_a_full_page(client_in, draft):
    data = step_data(draft, "basics", license_name="Preview Only License")
    response = client_in.post(url(draft, "basics", "preview"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "not saved" in html
    assert "Preview Only License" in html
    assert fresh(draft).spec["license"]["name"] == "Acme Open Model License"


def test_preview_of_a_blank_draft_uses_placeholders(client_in, blank_draft):
    html = client_in.get(url(blank_draft, "basics")).content.decode()
    assert "[license name]" in html or "\\[license name\\]" in html


def test_each_clause_says_why_it_is_here(client_in, user):
    draft = make_draft(user, make_spec(**{"terms.naming": "prefix_required"}))
    html = client_in.get(url(draft, "terms")).content.decode()
    assert "Why is this here?" in html
    assert "Names of derivatives: <strong>prefix required</strong>" in html


def test_preview_rejects_a_get(client_in, draft):
    assert client_in.get(url(draft, "use", "preview")).status_code == 405


# -- review ----------------------------------------------------------------------------------


def test_review_links_each_warning_to_the_step_that_fixes_it(client_in, user):
    spec = make_spec(**{"derivatives.fine_tune_full": "share_alike", "derivatives.distillation": "permitted"})
    draft = make_draft(user, spec)
    html = client_in.get(url(draft, "review")).content.decode()
    assert "Distillation is treated more leniently" in html
    assert f'href="{url(draft, "derivatives")}#field-distillation"' in html


def test_review_shows_summary_text_and_exports(client_in, draft):
    html = client_in.get(url(draft, "review")).content.decode()
    assert "You may" in html and "You must" in html
    assert "Freedoms" in html
    assert 'id="export-md"' in html and 'id="export-pdf-a4"' in html and 'id="export-bundle-letter"' in html
    assert 'class="license"' in html


def test_review_of_an_unnamed_draft_offers_no_exports(client_in, blank_draft):
    html = client_in.get(url(blank_draft, "review")).content.decode()
    assert 'id="export-md"' not in html
    assert "before you export" in html


def test_each_radio_button_and_checkbox_is_written_as_the_widget_templates_write_it():
    """The step pages write choice inputs directly (``option_tag``): the markup must stay the
    one Django's widget templates make, for every choice of every step, checked or not, and
    for a form sent back with wrong answers."""
    from licensebuilder.drafts.templatetags.drafts_extras import option_tag

    spec = make_spec()
    compared = 0
    for step in wizard.STEPS:
        if step.form is None:
            continue
        fresh_form = step.form(spec=spec)
        wrong = {name: "not-a-choice" for name in fresh_form.fields}
        for form in (fresh_form, step.form(wrong, spec=spec)):
            form.is_valid()
            for field in form:
                if field.widget_type not in ("radioselect", "checkboxselectmultiple"):
                    continue
                for choice in field:
                    assert str(option_tag(choice)) == str(choice.tag()), (step.slug, field.name)
                    compared += 1
    assert compared > 100


@pytest.mark.parametrize(("slug", "section"), [("derivatives", "derivatives"), ("elements", "elements")])
def test_the_legend_words_each_answer_as_the_vocabulary_does(client_in, draft, slug, section):
    """The legend above a matrix is the answers' labels and help from questions.yaml, so the page
    and the yaml cannot drift apart."""
    from django.utils.html import escape

    from licensebuilder.core import vocabulary

    html = client_in.get(url(draft, slug)).content.decode()
    legend = html.split('<dl class="legend-list">', 1)[1].split("</dl>", 1)[0]
    answers = next(iter(vocabulary.questions_under(section).values())).answers.values()
    expected = [(escape(a.label), escape(a.help)) for a in answers]
    assert re.findall(r"<div><dt>(.*?)</dt><dd>(.*?)</dd></div>", legend) == expected
    assert all(help_text for _, help_text in expected)


def _term_questions():
    """(step, field name, question) for every question of a step whose answer a defined term governs."""
    from licensebuilder.core import vocabulary

    out = []
    for step in wizard.STEPS:
        if step.form is None:
            continue
        form = step.form(spec=make_spec())
        for name in form.fields:
            question = vocabulary.question(form.paths.get(name) or form.asks.get(name))
            if question is not None and question.term:
                out.append((step.slug, name, question))
    return out


TERM_QUESTIONS = _term_questions()


def test_every_question_with_a_term_is_on_a_step():
    from licensebuilder.core import vocabulary

    assert {q.path for _, _, q in TERM_QUESTIONS} == set(vocabulary.terms())
    assert {"elements.prompts", "use.research_protected"} <= {q.path for _, _, q in TERM_QUESTIONS}


@pytest.mark.parametrize(("slug", "name", "question"), [pytest.param(*t, id=t[2].path) for t in TERM_QUESTIONS])
def test_the_definition_of_a_questions_term_is_shown_beside_it(client_in, draft, slug, name, question):
    """A question's `term:` in questions.yaml is enough for the license's definition of that term
    to be quoted beside the question on its step, as the license being drafted words it."""
    from django.utils.html import escape

    from licensebuilder.drafts import definitions

    doc = draft.build().document
    (clause,) = [c for c in doc.clauses() if question.term in c.defines]
    sentence = definitions.first_sentence(clause.body)
    assert sentence.startswith(f"“{question.term}” means")
    html = client_in.get(url(draft, slug)).content.decode()
    beside = html.split(f'id="field-{name}-wrap"', 1)[1].split("-wrap", 1)[0]
    assert f'id="field-{name}_definition"><span class="definition-label">The license says:</span> ' in beside
    assert escape(sentence) in beside


def test_no_definition_is_quoted_for_a_term_the_license_does_not_use(client_in, user):
    draft = make_draft(user, make_spec(**{"use.research_protected": False}))
    html = client_in.get(url(draft, "use")).content.decode()
    assert 'id="field-research_protected-wrap"' in html
    assert 'id="field-research_protected_definition"' not in html
