"""The contradictions a close reading found (issue 8, section 2), each on the spec that produced it:
now either resolved in the wording, which the test quotes, or flagged by `license check --strict`."""

import json
import re
from io import StringIO

from django.core.management import call_command

from licensebuilder.core.exports import build
from licensebuilder.core.library import default_library
from licensebuilder.core.presets import presets
from tests.conftest import make_spec

PRESETS = presets()


def _text(result, clause_id):
    return " ".join(result.document.clause(clause_id).body.split())


def _check(tmp_path, spec, *flags):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    out, err = StringIO(), StringIO()
    try:
        call_command("license", "check", str(path), *flags, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


# 1. Weights withheld, while the modification clauses grant rights in what is made from them.
def test_weights_withheld_make_every_weight_based_permission_depend_on_holding_them_lawfully(tmp_path):
    spec = make_spec(**{"elements.weights": "withheld", "derivatives.fine_tune_full": "attribution"})
    result = build(spec)
    weights = _text(result, "materials.weights")
    assert (
        "Every permission in this license to run, use, modify or build on the Model, and to Distribute or provide "
        "as a service anything that contains the Weights or is made with them, applies only to a copy of the "
        "Weights that You hold lawfully, under this license or another agreement with the Licensor, and only as "
        "far as that agreement allows."
    ) in weights
    answer = result.rules.answer("fine_tune_full", None, "distribute")
    assert answer.permitted == "depends" and "hold the Weights lawfully" in answer.depends_on
    assert {"derivatives.fine_tune_full", "materials.weights"} <= set(answer.reason_ids)
    assert "weights-withheld" in {f.code for f in result.findings}
    code, out = _check(tmp_path, spec, "--strict")
    assert code == 1 and "The weights are not released" in out


# 3. Use restrictions must reach distilled students and models trained on outputs, and every
# downstream agreement.
def test_use_restrictions_bind_distilled_and_synthetic_data_models_and_every_later_holder():
    result = build(PRESETS["responsible-use"].spec)
    restrictions = _text(result, "use.restrictions")
    assert (
        "including a model made by Distillation or trained by Synthetic Data Training, although such a model "
        "contains no part of the Model" in restrictions
    )
    assert "must require the recipient to pass them on in the same way to anyone who receives a copy from it" in (
        restrictions
    )
    number = result.document.clause("use.restrictions").number
    assert (
        f"treated as Derivatives for the purposes of this clause and of the restrictions on use in Section {number}, "
        "which bind them as they bind every other Derivative"
    ) in _text(result, "derivatives.synthetic_data")
    assert (
        "is not subject to these conditions; it remains subject to the terms this license sets for the kind of "
        f"Modification that produced it, and to the restrictions on use in Section {number}"
    ) in _text(result, "conditions.scope")
    assert "for the purposes of this clause only" not in result.markdown
    for mod in ("distillation", "synthetic_data"):
        for mode in ("distribute", "service"):
            duties = result.rules.answer(mod, None, mode).duties
            assert "restrictions_flow_down" in {d.kind for d in duties}, (mod, mode)


# 5. Prompt changes kept to private use: one rule on passing prompts on.
def test_private_use_only_prompts_have_one_rule_on_sharing_the_prompts_written():
    result = build(make_spec(**{"derivatives.prompts": "no_distribution"}))
    prompts = _text(result, "derivatives.prompts")
    assert "any part of it that You created or changed" not in prompts
    assert (
        "The prompts that You wrote are the one exception to this clause's limit on Distributing: You may publish "
        "or share them on their own, without any part of the Model, as long as they contain no part of the "
        "Essential Prompts."
    ) in prompts
    assert result.rules.answer("prompts", None, "distribute").permitted == "no"


# Also: the research safe harbour lifts the use restrictions only, not the non-commercial limit.
def test_protected_research_stays_within_the_non_commercial_limit():
    result = build(make_spec(**{"grants.commercial_use": False, "use.restrictions": ["weapons"]}))
    research = _text(result, "use.protected_research")
    assert "no restriction on use in this license" not in research
    restrictions, commercial = (result.document.clause(c).number for c in ("use.restrictions", "grant.commercial"))
    assert f"The restrictions on use in Section {restrictions} do not limit that permission." in research
    assert (
        "The other terms of this license still apply to such research, including the limit to non-commercial "
        f"purposes in Section {commercial}."
    ) in research
    assert result.rules.answer(None, None, "private", commercial=True).permitted == "no"


# Also: "modified or not" where no modified version may be passed on.
def test_redistribution_covers_modified_copies_only_where_a_modification_clause_allows_it():
    for spec in (
        PRESETS["no-derivatives"].spec,
        make_spec(**{f"derivatives.{m}": "prohibited" for m in presets()["permissive"].spec["derivatives"]}),
    ):
        grant = _text(build(spec), "grant.redistribution")
        assert "modified or not" not in grant
        assert "This permission covers only copies as the Licensor releases them: no clause of this license allows " \
            "You to Distribute a Derivative" in grant  # fmt: skip
    grant = _text(build(PRESETS["permissive"].spec), "grant.redistribution")
    assert (
        "A copy that You have changed is a Derivative: You may Distribute it only as far as the clause for the kind "
        "of Modification that produced it allows"
    ) in grant


# Also: "Provide as a Service" used without marking it as the defined term.
def test_no_clause_speaks_of_services_without_the_defined_term():
    for clause in default_library().clauses:
        prose = re.sub(
            r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\[\[[^\]]*\]\]|\"\*\*[^*]+\*\*\"", " ", clause.source, flags=re.S
        )
        assert not re.search(r"\b(provided?|providing)\b[^.]{0,12}\bas a service\b", prose, re.I), clause.path


# Also: the foundation rule said a narrow derivative owes "only the credit", forgetting the
# conditions on distribution that apply to every copy of the licensed materials.
def test_a_narrow_derivative_still_owes_the_conditions_on_distribution():
    result = build(PRESETS["foundation-share-alike"].spec)
    text = _text(result, "derivatives.fine_tune_full")
    assert "owe only the credit" not in text
    scope = result.document.clause("conditions.scope").number
    assert (
        "share-alike does not apply, and this clause asks only for the credit described below. The conditions of "
        f"Section {scope} and the clauses that follow it on Distributing the Licensed Materials still apply"
    ) in text
    duties = {d.kind for d in result.rules.answer("fine_tune_full", "narrow", "distribute").duties}
    assert {"attribution", "retain_notices", "include_license"} <= duties
