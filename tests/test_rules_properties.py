"""The rules model over the whole spec space: no two clauses disagree, every clause says what it
does, and every rule is carried by words that are really in the license."""

import pytest
from hypothesis import given

from licensebuilder.core.assemble import assemble
from licensebuilder.core.library import default_library
from licensebuilder.core.presets import presets
from licensebuilder.core.rules import all_acts, rules_for
from tests.test_properties import valid_specs

LIB = default_library()


@pytest.mark.parametrize("clause", [c for c in LIB.clauses if c.section != "definitions"], ids=lambda c: c.key)
def test_every_clause_of_the_library_declares_rules_or_boilerplate(clause):
    assert clause.rules or clause.boilerplate, f"{clause.path}: add `rules:` to its front matter"


def _assert_sound(spec):
    doc = assemble(spec)
    model = rules_for(doc)
    assert not model.conflicts(), [str(c) for c in model.conflicts()]
    assert not model.undeclared, [c.key for c in model.undeclared]
    applying = {a.clause.id for a in model.applied}
    boilerplate = {c.id for c in doc.clauses() if c.section == "definitions" or c.id in _boilerplate_ids()}
    silent = [c.id for c in doc.clauses() if c.id not in applying | boilerplate]
    assert not silent, f"clauses with no rule that applies to this spec: {silent}"
    assert not model.misquoted(), [(a.clause.key, a.rule.quote) for a in model.misquoted()]
    present = {c.id: c.number for c in doc.clauses()}
    for act in all_acts():
        decision = model.decide(act)
        for source in decision.reasons:
            assert present.get(source.clause_id) == source.number, (act, source)
        for duty in model.duties(act):
            for source in duty.sources:
                assert present.get(source.clause_id) == source.number, (act, duty)
    return model


def _boilerplate_ids():
    return {c.id for c in LIB.clauses if c.boilerplate}


@given(valid_specs)
def test_no_two_assembled_clauses_disagree_and_every_rule_is_quoted_from_its_clause(spec):
    _assert_sound(spec)


@pytest.mark.parametrize("slug", sorted(presets()))
def test_every_preset_is_sound(slug):
    _assert_sound(presets()[slug].spec)
