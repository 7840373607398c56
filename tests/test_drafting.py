"""The drafting of the license text: each gap a reader found, and the words that now close it."""

import re

from licensebuilder.core.exports import build
from licensebuilder.core.lint import NOTE, WARNING
from licensebuilder.core.presets import presets
from licensebuilder.core.render.html import PRINT_CSS, SCREEN_CSS
from tests.factories import make_spec

SHARE_ALIKE = {"derivatives.fine_tune_full": "share_alike"}


def text(**overrides):
    return build(make_spec(**overrides)).markdown


def clause(doc_or_overrides, clause_id):
    doc = build(make_spec(**doc_or_overrides)).document if isinstance(doc_or_overrides, dict) else doc_or_overrides
    found = doc.clause(clause_id)
    return found.body if found else None


def one_line(body):
    return re.sub(r"\s+", " ", body)


def findings(**overrides):
    return {f.code: f for f in build(make_spec(**overrides)).findings}


# -- section 2, item 2: no redistribution with a service trigger -------------------------------


def test_without_redistribution_a_service_trigger_asks_only_for_licensing_and_notice():
    spec = {**SHARE_ALIKE, "grants.redistribution": False, "share_alike.trigger": "distribution_or_service"}
    doc = build(make_spec(**spec)).document
    assert doc.clause("share_alike.release") is None, "no release duty that the no-redistribution clause forbids"
    trigger = one_line(doc.clause("share_alike.trigger").body)
    assert "share-alike never requires or allows You to do so" in trigger
    assert "You must not make its weights, code or other elements available to them" in trigger
    same = one_line(doc.clause("share_alike.same_license").body)
    assert "to every person who uses it through Your service, under this license" in same
    assert "give each person who receives a copy" not in same


def test_the_lint_says_what_really_happens_without_redistribution():
    service = findings(
        **SHARE_ALIKE, **{"grants.redistribution": False, "share_alike.trigger": "distribution_or_service"}
    )["share-alike-without-redistribution"]
    assert "no derivative can ever be shared" not in service.message
    assert "share-alike applies only when one is offered as a service" in service.message
    assert "only through its duties towards the service's users" in service.message
    distribution = findings(**SHARE_ALIKE, **{"grants.redistribution": False})["share-alike-without-redistribution"]
    assert "share-alike can never apply" in distribution.message


# -- section 2, item 4: liability ---------------------------------------------------------------


def test_liability_is_limited_to_the_greatest_extent_and_capped_when_asked():
    body = one_line(clause({}, "disclaimer.liability"))
    assert "smallest extent" not in body
    assert "it is limited to the greatest extent that law allows." in body
    assert "in any case limited to" not in body
    capped = one_line(clause({"terms.liability_cap": "EUR 100 *in total*"}, "disclaimer.liability"))
    assert "total liability for all claims together is in any case limited to EUR 100 \\*in total\\*." in capped


# -- section 2, item 6: sublicensing with share-alike ---------------------------------------------


def test_sublicensing_is_subject_to_share_alike_and_linted():
    doc = build(make_spec(**SHARE_ALIKE, **{"grants.sublicensing": True})).document
    body = one_line(doc.clause("grant.sublicensing").body)
    number = doc.clause("share_alike.same_license").number
    assert f"Sublicensing is subject to Section {number}." in body
    assert "cannot be used to give fewer rights in such a Derivative than share-alike requires" in body
    finding = findings(**SHARE_ALIKE, **{"grants.sublicensing": True})["sublicensing-with-share-alike"]
    assert finding.severity == WARNING and "grants.sublicensing" in finding.paths
    permissive = {
        **presets()["permissive"].spec,
        "grants": {**presets()["permissive"].spec["grants"], "sublicensing": True},
    }
    assert "sublicensing-with-share-alike" not in {f.code for f in build(permissive).findings}
    plain = build(permissive).document.clause("grant.sublicensing").body
    assert "subject to Section" not in plain


# -- also: "Section", and an empty release list ---------------------------------------------------


def test_section_means_a_clause_with_two_part_numbers_and_a_part_with_one():
    body = one_line(clause({}, "general.interpretation"))
    assert '"Section" followed by a number with two parts, such as "Section 6.2", refers to the clause' in body
    assert '"this Section" in a clause, refer to the whole of the numbered part' in body
    assert "refers to a numbered clause of this license" not in body


def test_an_empty_release_list_has_no_release_clause_and_says_so_once():
    doc = build(make_spec(**SHARE_ALIKE, **{"share_alike.release": []})).document
    assert doc.clause("share_alike.release") is None
    assert (
        "Releasing the share-alike materials"
        not in build(make_spec(**SHARE_ALIKE, **{"share_alike.release": []})).markdown
    )
    assert "does not require You to release any particular element" in doc.clause("share_alike.trigger").body
    assert "Share-Alike Materials" not in doc.terms


# -- section 3: acceptance and contract -----------------------------------------------------------


def test_use_is_acceptance_and_the_terms_bind_where_no_copyright_subsists():
    body = one_line(clause({}, "grant.acceptance"))
    assert body.startswith("You accept this license by using, copying, modifying or Distributing")
    assert "bind You as an agreement between You and the Licensor" in body
    assert "whether or not copyright, database rights or any other exclusive right subsists in the Weights" in body
    assert "on training other models with it" in body


# -- section 3: share-alike mechanics -------------------------------------------------------------


def test_release_lasts_three_years_after_the_last_distribution_and_reaches_later_holders():
    body = one_line(clause(SHARE_ALIKE, "share_alike.release"))
    assert "for as long as You Distribute the Derivative, and for three years after You last do so" in body
    assert "to anyone who holds a copy of it that You Distributed and asks You for them" in body


def test_an_adapter_may_point_to_the_upstream_release():
    body = one_line(clause(SHARE_ALIKE, "share_alike.release"))
    assert (
        "You need not supply again any part of the Licensed Materials that the Derivative uses without change" in body
    )
    assert "the Weights where the Derivative is an adapter" in body


def test_third_party_training_data_is_released_only_as_far_as_the_licensee_may():
    spec = {**SHARE_ALIKE, "share_alike.release": ["weights", "training_data"], "elements.training_data": "included"}
    body = one_line(clause(spec, "share_alike.release"))
    assert "release that material only as far as the terms under which You hold it allow" in body
    assert "only as far as" not in one_line(clause(SHARE_ALIKE, "share_alike.release"))


def test_later_versions_compatibility_and_conflicting_obligations():
    body = one_line(clause(SHARE_ALIKE, "share_alike.compatibility"))
    assert "Only the Licensor may publish new versions of this license" in body
    assert "similar in spirit to this version" in body
    assert "list of other licenses that it recognises as compatible" in body
    assert "If You cannot Distribute a Derivative so as to meet this license and that other obligation" in body
    assert "You may not Distribute it at all" in body


def test_a_share_alike_derivative_gets_its_own_model_schedule():
    body = one_line(clause(SHARE_ALIKE, "share_alike.same_license"))
    assert "This license consists of generic terms and a model schedule." in body
    assert "The model schedule of a Derivative names You as the licensor of what You contributed to it" in body
    assert "the Licensor, the Model and the Licensed Materials mean the licensor, the model and the materials" in body


def test_contributors_grant_a_patent_license_only_where_the_licensor_does():
    granted = one_line(clause(SHARE_ALIKE, "share_alike.same_license"))
    assert "You grant each person who receives it from You a patent license in Your contributions" in granted
    refused = one_line(clause({**SHARE_ALIKE, "grants.patent_license": False}, "share_alike.same_license"))
    assert "patent license" not in refused


# -- section 3: foundation and narrow ---------------------------------------------------------------

FOUNDATION = {"derivatives.fine_tune_full": "share_alike_foundation"}


def test_objective_safe_harbours_and_a_named_evaluation():
    body = one_line(clause(FOUNDATION, "derivatives.classification"))
    assert "(a) restricted output: whatever input it is given, its Output is limited to a fixed set" in body
    assert "(b) documented intended use: before You first Distribute it" in body
    assert "evaluation:" not in body
    spec = {**FOUNDATION, "share_alike.narrow_evaluation": "MMLU_5-shot", "share_alike.narrow_threshold": 40}
    named = one_line(clause(spec, "derivatives.classification"))
    assert "(b) evaluation: on MMLU\\_5-shot, run in the same way for both, it scores less than 40 percent" in named
    assert "(c) documented intended use" in named


def test_pre_clearance_is_deemed_given_after_the_deadline_and_the_burden_stays():
    body = one_line(clause(FOUNDATION, "derivatives.classification"))
    assert "If the Licensor neither confirms nor refuses, giving its reasons, within 30 days" in body
    assert "the Derivative as described is treated as a Narrow Derivative" in body
    assert "whoever claims that a Derivative is a Narrow Derivative must be able to show that it is" in body


def test_input_output_pairs_are_distillation_and_the_de_minimis_share_is_optional():
    doc = build(make_spec()).document
    distillation = one_line(doc.clause("definitions.distillation").body)
    assert "is always Distillation and never Synthetic Data Training" in distillation
    synthetic = one_line(doc.clause("definitions.synthetic_data_training").body)
    assert "other than as the target a model learns to produce from the input" in synthetic
    assert "percent" not in synthetic
    small = one_line(clause({"terms.synthetic_data_de_minimis": 5}, "definitions.synthetic_data_training"))
    assert "makes up no more than 5 percent of the training data" in small


# -- section 3: termination ---------------------------------------------------------------------------


def test_cure_reinstatement_and_notice():
    body = one_line(clause({}, "termination.breach"))
    assert "if the Licensor does not notify You of the breach within 60 days after You cure it" in body
    assert "it is the first breach of this license of which the Licensor has notified You" in body
    assert "within 30 days after You receive that notice" in body
    doc = build(make_spec()).document
    assert f"is given as Section {doc.clause('general.notices').number} provides" in body
    notices = one_line(doc.clause("general.notices").body)
    assert "A notice to the Licensor is given at legal@acme.example" in notices


def test_restrictions_release_duties_and_the_narrow_duty_survive_termination():
    spec = presets()["responsible-use"].spec
    doc = build(spec).document
    body = one_line(doc.clause("termination.effect").body)
    assert f"the restrictions on use in Section {doc.clause('use.restrictions').number}" in body
    doc = build(make_spec(**FOUNDATION)).document
    body = one_line(doc.clause("termination.effect").body)
    assert f"duty under Section {doc.clause('share_alike.release').number} to keep the Share-Alike Materials" in body
    assert f"duty under Section {doc.clause('derivatives.classification').number} to answer" in body


# -- section 3: boilerplate ---------------------------------------------------------------------------


def test_disclaimers_are_conspicuous_in_markdown_html_and_print():
    result = build(make_spec())
    assert '**The Licensed Materials and the Model are provided "as is"' in result.markdown
    assert "**To the greatest extent the applicable law allows, the Licensor is not liable" in result.markdown
    html = result.output("html")
    assert '<strong>The Licensed Materials and the Model are provided "as is"' in html
    for css in (SCREEN_CSS, PRINT_CSS):
        sheet = css.read_text(encoding="utf-8")
        assert '.clause[data-clause-id^="disclaimer."] strong' in sheet
        assert '.clause[data-clause-id="disclaimer.warranty"]' in sheet


def test_a_redistributor_offers_a_warranty_only_on_its_own_account():
    body = one_line(clause({}, "disclaimer.own_terms"))
    assert "only on Your own behalf and on Your own responsibility, never on behalf of the Licensor" in body
    assert "indemnify the Licensor" in body
    assert clause({"grants.redistribution": False}, "disclaimer.own_terms") is None


def test_contributions_assignment_and_export_control():
    doc = build(make_spec()).document
    assert "is licensed by You to the Licensor and to every recipient" in one_line(
        doc.clause("general.contributions").body
    )
    assert "You may not assign or otherwise transfer this license" in doc.clause("general.assignment").body
    assert "export control and sanctions laws" in doc.clause("general.export_control").body


def test_venue_beside_governing_law():
    body = one_line(
        clause({"terms.governing_law": "Ireland", "terms.venue": "the courts of Dublin"}, "general.governing_law")
    )
    assert body.startswith("This license is governed by the laws of Ireland")
    assert (
        "Any dispute arising out of or in connection with this license is to be heard by the courts of Dublin" in body
    )
    only_venue = one_line(clause({"terms.venue": "the courts of Dublin"}, "general.governing_law"))
    assert only_venue.startswith("Any dispute") and "governed by" not in only_venue


def test_an_empty_governing_law_is_a_note_that_fails_no_check():
    finding = findings()["governing-law-missing"]
    assert finding.severity == NOTE and finding.paths == ("terms.governing_law",)
    assert "governing-law-missing" not in findings(**{"terms.governing_law": "Ireland"})


def test_a_custom_restriction_on_changeable_terms_is_flagged():
    changing = [{"text": "You must follow our acceptable use policy as updated from time to time."}]
    finding = findings(**{"use.restrictions": changing})["changeable-terms"]
    assert finding.paths == ("use.restrictions[0]",) and "('as updated')" in finding.message
    fixed = [{"text": "You must follow the acceptable use policy dated 1 May 2026."}]
    assert "changeable-terms" not in findings(**{"use.restrictions": fixed})


def test_patent_retaliation_covers_derivatives_and_outputs():
    body = one_line(clause({}, "grant.patent"))
    assert "alleging that the Model, any part of the Licensed Materials, any Derivative or any Output" in body
    assert clause({"grants.patent_license": False}, "grant.patent") != body
