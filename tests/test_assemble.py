import re

import pytest

from licensebuilder.core import spec as specs
from licensebuilder.core.assemble import Reason, assemble
from licensebuilder.core.render.markdown import render_markdown
from tests.factories import make_spec


def test_it_numbers_sections_and_clauses_in_order(spec):
    doc = assemble(spec)
    assert [s.number for s in doc.sections] == [str(i) for i in range(1, len(doc.sections) + 1)]
    for section in doc.sections:
        assert [c.number for c in section.clauses] == [
            f"{section.number}.{i}" for i in range(1, len(section.clauses) + 1)
        ]
    assert doc.sections[0].id == "definitions"


def test_it_records_why_a_clause_is_there():
    doc = assemble(make_spec(**{"derivatives.distillation": "prohibited"}))
    clause = doc.clause("derivatives.distillation")
    assert clause.variant == "prohibited"
    assert Reason("derivatives.distillation", "prohibited") in clause.why


def test_a_policy_change_keeps_the_clause_id_and_swaps_its_wording():
    before = assemble(make_spec(**{"derivatives.distillation": "permitted"})).clause("derivatives.distillation")
    after = assemble(make_spec(**{"derivatives.distillation": "prohibited"})).clause("derivatives.distillation")
    assert before.number == after.number
    assert before.body != after.body


def test_definitions_come_in_only_for_terms_the_license_uses():
    foundation = assemble(make_spec(**{"derivatives.fine_tune_full": "share_alike_foundation"}))
    assert "Foundation Derivative" in foundation.terms and "Narrow Derivative" in foundation.terms
    everything_permitted = make_spec(**{f"derivatives.{k}": "permitted" for k in foundation.spec["derivatives"]})
    permissive = assemble(everything_permitted)
    assert "Foundation Derivative" not in permissive.terms
    assert permissive.clause("share_alike.trigger") is None


def test_definitions_are_sorted_by_term(spec):
    definitions = assemble(spec).sections[0].clauses
    terms = [c.defines[0].lower() for c in definitions]
    assert terms == sorted(terms)


def test_every_definition_says_which_clauses_use_it(spec):
    doc = assemble(spec)
    for clause in doc.sections[0].clauses:
        assert clause.used_by, clause.id
        for user in clause.used_by:
            assert doc.clause(user) is not None


def test_cross_references_become_clause_numbers(spec):
    doc = assemble(spec)
    text = render_markdown(doc)
    assert "\x00" not in text
    for number in re.findall(r"Section (\d+\.\d+)", text):
        assert any(c.number == number for c in doc.clauses()), number


def test_share_alike_service_trigger_changes_the_text():
    by_distribution = assemble(make_spec(**{"share_alike.trigger": "distribution"}))
    by_service = assemble(make_spec(**{"share_alike.trigger": "distribution_or_service"}))
    assert by_distribution.clause("share_alike.trigger").body != by_service.clause("share_alike.trigger").body
    assert "Provide as a Service" in by_service.terms


def test_every_preset_renders_the_same_after_any_other_as_from_scratch():
    # Clause renders and conditions are cached by the answers each template reads; going from
    # one preset to another changes many answers at once, so a stale entry would show here.
    from licensebuilder.core import cache
    from licensebuilder.core.presets import presets

    specs = [p.spec for p in presets().values()]
    cache.clear()
    cold = [render_markdown(assemble(s)) for s in specs]
    for before in specs:
        for spec, expected in zip(specs, cold, strict=True):
            assemble(before)
            assert render_markdown(assemble(spec)) == expected


def test_a_clause_chosen_by_any_share_alike_cites_the_policies_of_this_spec_not_of_an_earlier_one():
    # "Why is this here?" names the policies behind a derived answer; two specs with the same derived
    # answer but different policies behind it must each cite their own.
    from licensebuilder.core import cache

    cache.clear()
    prompts = make_spec(**{"derivatives.prompts": "share_alike"})
    distillation = make_spec(**{"derivatives.distillation": "share_alike"})
    assert Reason("derivatives.prompts", "share_alike") in assemble(prompts).clause("share_alike.scope").why
    why = assemble(distillation).clause("share_alike.scope").why
    assert Reason("derivatives.distillation", "share_alike") in why
    assert Reason("derivatives.prompts", "share_alike") not in why


# -- outputs of a document already assembled ------------------------------------------------


def test_the_outputs_of_a_kept_document_are_those_of_its_spec_without_assembling_again(monkeypatch):
    from licensebuilder.core import exports

    spec = make_spec()
    fresh = exports.build(spec, "https://example.org/l/x/1.0/")
    document = fresh.document

    def no_assembly(*args, **kwargs):
        raise AssertionError("assembled again")

    monkeypatch.setattr(exports, "assemble", no_assembly)
    kept = exports.build_document(document, "https://example.org/l/x/1.0/")
    assert kept.document is document
    assert (kept.markdown, kept.json, kept.notice) == (fresh.markdown, fresh.json, fresh.notice)
    stored = exports.build_document(document, markdown="stored text\n")
    assert stored.markdown == "stored text\n"  # what was kept is used as it is
    with pytest.raises(TypeError, match="not an output"):
        exports.build_document(document, pdf=b"%PDF")  # a method, not a kept output


_PROBES = {  # each in a section of its own, whose other clauses read neither answer
    # Chosen by a derived answer that stays true while the policies behind it change.
    "general/probe_derived.md": "id: general.probe_derived\nsection: general\nwhen: any_share_alike\n",
    # Chosen by a policy that can change without the clause leaving the license.
    "disclaimer/probe_policy.md": (
        "id: disclaimer.probe_policy\nsection: disclaimer\nwhen: derivatives.prompts != 'prohibited'\n"
    ),
}


@pytest.fixture
def probe_library(tmp_path):
    """The clause library with two clauses whose text reads no answer but whose conditions do:
    an edit can change their reasons and nothing else."""
    import shutil

    from licensebuilder.core.library import CLAUSES_DIR, load_library

    directory = tmp_path / "clauses"
    shutil.copytree(CLAUSES_DIR, directory)
    for name, head in _PROBES.items():
        body = "This clause says the same whatever the answers."
        (directory / name).write_text(
            f"---\n{head}title: Probe\nversion: 1\norder: 99\nrationale: A probe.\n---\n{body}\n"
        )
    return load_library(directory, lock_required=False)


@pytest.mark.parametrize(
    ("first", "second", "probe"),
    [
        (  # share-alike moves from one modification to another: any_share_alike stays true
            {"derivatives.prompts": "share_alike", "derivatives.distillation": "attribution"},
            {"derivatives.prompts": "attribution", "derivatives.distillation": "share_alike"},
            "general.probe_derived",
        ),
        (  # the policy the condition reads changes, the clause stays
            {"derivatives.prompts": "attribution"},
            {"derivatives.prompts": "permitted"},
            "disclaimer.probe_policy",
        ),
    ],
)
def test_a_clause_kept_word_for_word_still_gives_the_reasons_of_the_new_answers(probe_library, first, second, probe):
    # An assembly takes over whole sections of the last one (cache.Reuse) when their clauses read
    # as they did; "Why is this here?" must still quote the answers as they are now.
    before, after = make_spec(**first), make_spec(**second)
    assemble(before, probe_library)
    warm = assemble(after, probe_library)
    assert warm == assemble(after, probe_library, cached=False)
    assert warm.clause(probe).why == assemble(after, probe_library, cached=False).clause(probe).why


def test_walking_each_policy_through_every_value_gives_the_license_made_afresh():
    # The share-alike trigger lists the modifications with each share-alike policy: it is made
    # again only when those lists change, and every step of the walk must read as made afresh.
    from licensebuilder.core import cache

    cache.clear()
    spec = make_spec(**{"derivatives.fine_tune_full": "share_alike", "derivatives.distillation": "prohibited"})
    for key in list(spec["derivatives"]):
        for policy in [*sorted(specs.POLICIES), spec["derivatives"][key]]:
            spec = {**spec, "derivatives": {**spec["derivatives"], key: policy}}
            assert assemble(spec) == assemble(spec, cached=False), (key, policy)


def test_the_share_alike_trigger_is_made_again_only_when_its_lists_change(monkeypatch):
    from licensebuilder.core import assemble as assembly
    from licensebuilder.core import cache

    first = make_spec(**{"derivatives.fine_tune_full": "share_alike", "derivatives.distillation": "prohibited"})
    # Distillation moves between policies the trigger does not list, then joins the share-alike list.
    walk = [{**first, "derivatives": {**first["derivatives"], "distillation": policy}} for policy in
            ("attribution", "permitted", "prohibited", "share_alike")]  # fmt: skip
    fresh = [assemble(spec, cached=False).clause("share_alike.trigger") for spec in walk]
    made = []
    render = assembly._render

    def counting(template, values):
        if template.id == "share_alike.trigger":
            made.append(template)
        return render(template, values)

    monkeypatch.setattr(assembly, "_render", counting)
    cache.clear()
    assemble(first)
    assert len(made) == 1
    shown = [assemble(spec).clause("share_alike.trigger") for spec in walk]
    assert shown == fresh
    assert len(made) == 2  # the same text served the first three steps
    assert "Distillation" not in shown[0].body and "Distillation" in shown[-1].body


@pytest.fixture(scope="module")
def two_term_library(tmp_path_factory):
    # A definition may define several terms: here Weights also defines "Parameters", which the
    # warranty disclaimer uses beside terms of its own.
    import shutil

    from licensebuilder.core.library import CLAUSES_DIR, load_library

    directory = tmp_path_factory.mktemp("library") / "clauses"
    shutil.copytree(CLAUSES_DIR, directory)
    weights = directory / "definitions" / "weights.md"
    weights.write_text(
        weights.read_text(encoding="utf-8").replace("defines: [Weights]", "defines: [Weights, Parameters]")
    )
    warranty = directory / "disclaimer" / "warranty.md"
    warranty.write_text(warranty.read_text(encoding="utf-8").rstrip("\n") + " The [[Parameters]] too.\n")
    return load_library(directory)


def test_a_definition_of_two_terms_lists_each_user_once(two_term_library):
    spec = make_spec()
    doc = assemble(spec, two_term_library)
    assert doc == assemble(spec, two_term_library, cached=False)
    weights = doc.clause("definitions.weights")
    assert weights.defines == ("Weights", "Parameters")
    assert "disclaimer.warranty" in weights.used_by
    assert len(weights.used_by) == len(set(weights.used_by))
