"""What the rules model answers for each preset, against tables written by hand from the presets'
YAML (clauses/presets/*.yaml), and how it reads a clause library whose clauses disagree."""

import shutil

import pytest

from licensebuilder.core.assemble import assemble
from licensebuilder.core.library import CLAUSES_DIR, load_library
from licensebuilder.core.lint import ERROR, lint
from licensebuilder.core.presets import presets
from licensebuilder.core.rules import Act, rules_for
from licensebuilder.core.rules_format import PROVISOS

PRESETS = presets()

# Duties that passing on a copy brings under every preset: terms.include_license_copy,
# attribution_notice and indicate_modifications are all true, and naming is a duty.
COPY = {"include_license", "retain_notices", "indicate_modifications", "naming"}
SHARE = {"share_alike_license", "release_elements"}
# A copy of the model as released has no changes to state.
AS_RELEASED = COPY - {"indicate_modifications"}

# (modification, result, mode, commercial) -> (permitted, duty kinds)
ANSWERS = {
    "foundation-share-alike": [
        ((None, None, "private", True), "yes", {"retain_notices"}),
        ((None, None, "distribute", True), "yes", AS_RELEASED),
        (("fine_tune_full", "foundation", "distribute", False), "yes", COPY | SHARE),
        (("fine_tune_full", "narrow", "distribute", False), "yes", COPY | {"attribution"}),
        # trigger: distribution, so serving a foundation fine-tune does not bring share-alike
        (("fine_tune_full", "foundation", "service", True), "yes", {"naming"}),
        (("distillation", "narrow", "distribute", True), "yes", COPY | SHARE),
        (("synthetic_data", "narrow", "distribute", False), "yes", {"provenance_notice", "naming"}),
        (("initialization", "foundation", "distribute", False), "yes", COPY),
        (("prompts", "narrow", "service", True), "yes", {"naming"}),
    ],
    "no-derivatives": [
        ((None, None, "distribute", True), "yes", AS_RELEASED),
        (("fine_tune_full", "narrow", "private", True), "yes", {"retain_notices"}),
        (("fine_tune_full", "foundation", "distribute", False), "no", set()),
        (("distillation", "narrow", "distribute", False), "no", set()),
        # trigger: distribution, so a private-use-only derivative may still be served
        (("prompts", "narrow", "service", True), "yes", {"naming"}),
        (("synthetic_data", "foundation", "private", False), "yes", set()),
    ],
    "non-commercial-research": [
        ((None, None, "private", True), "no", set()),
        ((None, None, "private", False), "yes", {"retain_notices"}),
        (("fine_tune_head", "narrow", "distribute", False), "yes", COPY | {"attribution"}),
        (("fine_tune_head", "narrow", "distribute", True), "no", set()),
        (("distillation", "foundation", "distribute", False), "no", set()),
        (("distillation", "foundation", "service", False), "yes", {"naming"}),
        (("prompts", "foundation", "distribute", False), "yes", COPY),
        (("synthetic_data", "narrow", "distribute", False), "yes", {"provenance_notice", "naming"}),
    ],
    "permissive": [
        (("fine_tune_full", "foundation", "distribute", True), "yes", COPY),
        (("synthetic_data", "foundation", "distribute", True), "yes", {"naming"}),
        (("code_changes", "narrow", "service", True), "yes", {"naming"}),
        ((None, None, "service", True), "yes", {"naming"}),
    ],
    "responsible-use": [
        ((None, None, "distribute", True), "yes", AS_RELEASED | {"restrictions_flow_down"}),
        ((None, None, "service", True), "yes", {"naming", "restrictions_flow_down"}),
        (("fine_tune_full", "narrow", "distribute", True), "yes", COPY | {"attribution", "restrictions_flow_down"}),
        (("distillation", "narrow", "distribute", True), "yes", COPY | {"attribution", "restrictions_flow_down"}),
        (("synthetic_data", "foundation", "distribute", True), "yes",
         {"provenance_notice", "restrictions_flow_down", "naming"}),
        (("synthetic_data", "narrow", "service", True), "yes", {"restrictions_flow_down", "naming"}),
    ],
    "strong-copyleft": [
        # trigger: distribution_or_service, so serving brings share-alike and its notices
        (("fine_tune_head", "narrow", "service", True), "yes", COPY | SHARE),
        (("synthetic_data", "narrow", "distribute", False), "yes", COPY | SHARE),
        (("code_changes", "foundation", "private", False), "yes", {"retain_notices"}),
        ((None, None, "service", True), "yes", {"naming"}),
        ((None, None, "distribute", True), "yes", AS_RELEASED),
    ],
}  # fmt: skip


@pytest.mark.parametrize(
    ("slug", "question", "permitted", "kinds"),
    [(slug, q, p, k) for slug, rows in ANSWERS.items() for q, p, k in rows],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_each_preset_answers_as_its_yaml_says(slug, question, permitted, kinds):
    doc = assemble(PRESETS[slug].spec)
    answer = rules_for(doc).answer(*question)
    assert answer.permitted == permitted, answer.reasons
    assert {d.kind for d in answer.duties} == kinds
    numbers = {c.id: c.number for c in doc.clauses()}
    assert answer.reasons, "every answer cites the clauses that decide it"
    for source in answer.reasons + tuple(s for d in answer.duties for s in d.sources):
        assert numbers[source.clause_id] == source.number
        assert source.quote in " ".join(doc.clause(source.clause_id).body.split())


def test_release_duty_names_the_elements_the_preset_lists():
    answer = rules_for(assemble(PRESETS["strong-copyleft"].spec)).answer("prompts", "narrow", "distribute")
    (release,) = [d for d in answer.duties if d.kind == "release_elements"]
    assert release.elements == ("weights", "inference_code", "training_code", "hyperparameters", "prompts")
    assert {"derivatives.prompts", "share_alike.release"} <= set(release.clause_ids)


def test_an_answer_depends_on_the_kind_of_derivative_where_the_text_does():
    model = rules_for(assemble(PRESETS["foundation-share-alike"].spec))
    answer = model.answer("fine_tune_full", None, "distribute")
    assert answer.permitted == "yes" and answer.depends_on == PROVISOS["result"]
    assert "share_alike_license" in {d.kind for d in answer.alternatives["foundation"].duties}
    assert "share_alike_license" not in {d.kind for d in answer.duties}
    # Distillation is share-alike whatever the student is: nothing depends on its kind.
    assert model.answer("distillation", None, "distribute").depends_on is None


def test_duties_for_models_that_may_hold_no_part_of_the_weights_say_so():
    answer = rules_for(assemble(PRESETS["permissive"].spec)).answer("distillation", None, "distribute")
    conditional = {d.kind: d.provided for d in answer.duties}
    assert conditional["include_license"] == "contains_materials"
    assert conditional["naming"] is None


@pytest.mark.parametrize(
    ("slug", "act", "permitted"),
    [
        ("non-commercial-research", Act("commercial_use"), "no"),
        ("non-commercial-research", Act("patent_license"), "no"),
        ("non-commercial-research", Act("research"), "yes"),
        ("permissive", Act("sublicense"), "yes"),
        ("foundation-share-alike", Act("sublicense"), "no"),
        ("responsible-use", Act("restricted_use"), "no"),
        ("permissive", Act("restricted_use"), "no"),  # nothing permits it, and nothing restricts it either
    ],
)
def test_acts_beyond_modifications(slug, act, permitted):
    assert rules_for(assemble(PRESETS[slug].spec)).decide(act).permitted == permitted


def test_the_reservation_of_rights_explains_what_nothing_grants():
    decision = rules_for(assemble(PRESETS["permissive"].spec)).decide(Act("restricted_use"))
    assert [s.clause_id for s in decision.reasons] == ["grant.reservation"]


def test_a_library_whose_clauses_disagree_gives_a_lint_error(tmp_path):
    # The copyright grant without "subject to the terms of this license" would clash with every
    # prohibited modification.
    shutil.copytree(CLAUSES_DIR, tmp_path / "clauses")
    path = tmp_path / "clauses" / "grant" / "copyright.md"
    path.write_text(path.read_text().replace("yields_to: '*', ", ""))
    library = load_library(tmp_path / "clauses")
    doc = assemble(
        dict(
            PRESETS["no-derivatives"].spec,
            derivatives={**PRESETS["no-derivatives"].spec["derivatives"], "prompts": "prohibited"},
        ),
        library,
    )
    model = rules_for(doc, library)
    assert model.conflicts()
    findings = [f for f in lint(doc, model) if f.code == "clauses-conflict"]
    assert findings and all(f.severity == ERROR for f in findings)
    assert "disagree on making and using a foundation derivative made by prompts" in findings[0].message
