"""The clause library as its authors must keep it."""

import re

import pytest

from licensebuilder.core import spec as specs
from licensebuilder.core.assemble import MODIFICATION_TERMS
from licensebuilder.core.library import default_library

LIB = default_library()


def test_the_restriction_catalogue_matches_the_schema_and_has_at_least_twelve_entries():
    assert list(LIB.restrictions) == specs.restriction_ids()
    assert len(LIB.restrictions) >= 12
    for restriction in LIB.restrictions.values():
        assert restriction.title and len(restriction.text) > 20


@pytest.mark.parametrize("mod", list(specs.MODIFICATIONS))
def test_every_modification_has_a_clause_for_every_policy(mod):
    variants = {c.variant for c in LIB.clauses if c.id == f"derivatives.{mod}"}
    assert variants == set(specs.POLICIES)


def test_each_modification_term_is_defined():
    assert set(MODIFICATION_TERMS.values()) <= LIB.terms()


def test_foundation_and_narrow_derivatives_are_defined():
    assert {"Foundation Derivative", "Narrow Derivative", "Derivative"} <= LIB.terms()


def test_every_section_of_the_index_has_clauses():
    used = {c.section for c in LIB.clauses}
    assert used == set(LIB.sections)


@pytest.mark.parametrize("clause", LIB.clauses, ids=lambda c: c.key)
def test_every_clause_explains_itself_to_the_licensor(clause):
    assert len(clause.rationale) >= 80, "a rationale of a couple of sentences"
    assert clause.title.strip()


def _prose(source: str) -> str:
    source = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S)
    source = re.sub(r"\[\[[^\]]*\]\]", " ", source)
    return re.sub(r'"\*\*[^*]+\*\*"', " ", source)


@pytest.mark.parametrize("clause", LIB.clauses, ids=lambda c: c.key)
def test_every_use_of_a_defined_term_is_marked(clause):
    prose = _prose(clause.source)
    unmarked = [t for t in [*LIB.terms(), "Your"] if re.search(rf"(?<![\w-]){re.escape(t)}(s|'s)?(?![\w-])", prose)]
    assert not unmarked, f"{clause.path}: mark these with [[...]] (bin/mark-terms does it): {unmarked}"


@pytest.mark.parametrize("clause", LIB.clauses, ids=lambda c: c.key)
def test_clauses_use_modern_drafting(clause):
    assert not re.search(r"\bshall\b", clause.source, re.I)
    assert "<" not in _prose(clause.source), "no raw HTML in clause bodies"


def test_loading_the_library_parses_each_file_once(monkeypatch):
    """A worker's first request used to pay for each clause parsed four times and every shared
    template re-parsed for each clause importing it; now every source is parsed once per load."""
    from collections import Counter

    from jinja2.parser import Parser

    from licensebuilder.core.assemble import assemble
    from licensebuilder.core.library import CLAUSES_DIR, load_library

    parsed: Counter[str] = Counter()
    real_init = Parser.__init__

    def remember(self, environment, source, *args, **kwargs):
        real_init(self, environment, source, *args, **kwargs)
        parsed[source] += 1

    monkeypatch.setattr(Parser, "__init__", remember)
    library = load_library(CLAUSES_DIR)
    shared = [p for p in CLAUSES_DIR.rglob("*.md") if p not in {c.path for c in library.clauses}]
    assert len(library.clauses) > 100 and shared  # clause files, and templates they import
    assert all(parsed[c.source] == 1 for c in library.clauses), "a clause body parsed more than once"
    assert all(parsed[p.read_text(encoding="utf-8")] <= 1 for p in shared), "a shared template parsed twice"
    assert not [source[:60] for source, n in parsed.items() if n > 1]
    # Clauses render from those trees, the shared templates included, with no further parse.
    before = sum(parsed.values())
    from licensebuilder.core.presets import presets

    assert assemble(presets()["responsible-use"].spec, library, cached=False).clauses
    assert sum(parsed.values()) - before <= len(shared)


# -- the clause sandbox reads answers and namespaces as Jinja's own sandbox does --------------


@pytest.mark.parametrize(
    "source, expected",
    [
        ("{{ answers.trigger }}", "distribution"),
        ("{{ answers['trigger'] }}", "distribution"),
        # A key named like a dict method is read as the method, as the sandbox reads it.
        ("{{ answers.items is callable }}", "yes"),
        ("{{ answers.missing is defined }}", "no"),
        ("{% set ns = namespace(found=[]) %}{% set ns.found = ns.found + [1] %}{{ ns.found | length }}", "1"),
        ("{% set ns = namespace(x=1) %}{{ ns.y is defined }}", "no"),
    ],
)
def test_the_clause_sandbox_reads_values_as_jinjas_sandbox_does(tmp_path, source, expected):
    from jinja2.sandbox import SandboxedEnvironment

    from licensebuilder.core.sandbox import _finalize, make_environment

    values = {"answers": {"trigger": "distribution", "items": "an answer called items"}}
    ours = make_environment(tmp_path).from_string(source).render(values)
    theirs = SandboxedEnvironment(finalize=_finalize).from_string(source).render(values)
    assert ours == theirs == expected


@pytest.mark.parametrize(
    "source",
    [
        "{% set ns = namespace(x=1) %}{{ ns._Namespace__attrs }}",
        "{{ answers.__class__.__subclasses__() }}",
        "{% set ns = namespace(f='{0.__class__}'.format) %}{{ ns.f(answers) }}",
    ],
)
def test_the_clause_sandbox_still_refuses_internals(tmp_path, source):
    from jinja2.exceptions import SecurityError, UndefinedError

    from licensebuilder.core.sandbox import make_environment

    with pytest.raises((SecurityError, UndefinedError)):
        make_environment(tmp_path).from_string(source).render({"answers": {"trigger": "distribution"}})


def test_a_call_of_mods_with_reads_one_policy_or_every_one():
    # ``mods_with('x')`` reads which modifications have the policy x, and a render is remembered by
    # that list; called with anything else, it reads every policy.
    from licensebuilder.core import cache
    from licensebuilder.core.assemble import _Context
    from licensebuilder.core.library import condition_paths
    from tests.factories import make_spec

    library = default_library()
    values = _Context(make_spec(**{"derivatives.distillation": "share_alike"}), library).values()

    def reads(expression):
        return cache.read_paths(condition_paths(library.env, expression), values)

    assert reads("mods_with('share_alike')") == ("mods_with.share_alike",)
    assert cache.key_part("mods_with.share_alike", values) == cache.key_part("x", {"x": ["distillation"]})
    assert reads("mods_with(share_alike.trigger)") == ("derivatives", "share_alike.trigger")
    assert reads("mods_with('share_alike', 'attribution')") == ("derivatives",)
