"""Properties over the whole spec space: every valid spec builds, cleanly and reproducibly."""

import json
import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from licensebuilder.core import spec as specs
from licensebuilder.core.exports import build
from licensebuilder.core.lint import ERROR
from tests.helpers import pdf_text

# Names with Markdown punctuation but without template or marker characters, so that any such
# character in an output can only have leaked from the clause library.
_alphabet = st.characters(
    min_codepoint=32, max_codepoint=0x2FF, blacklist_characters="{}[]%\x7f", blacklist_categories=("Cc",)
)
names = st.text(_alphabet, min_size=1, max_size=120).map(str.strip).filter(bool)
restriction = st.one_of(st.sampled_from(specs.restriction_ids()), st.builds(lambda t: {"text": t}, names))

spec_data = st.fixed_dictionaries(
    {
        "license": st.fixed_dictionaries(
            {"name": names, "version": st.from_regex(r"\A[0-9][0-9.]{0,5}\Z"), "open_source_claim": st.booleans()}
        ),
        "licensor": st.fixed_dictionaries(
            {"name": names},
            optional={"contact": st.sampled_from(["legal@acme.example", "https://acme.example/legal"])},
        ),
        "model": st.fixed_dictionaries(
            {"name": names},
            optional={"version": st.from_regex(r"\A[0-9a-z.]{1,10}\Z"), "url": st.just("https://m.example/x")},
        ),
        "elements": st.fixed_dictionaries(
            {k: st.sampled_from(["included", "described", "withheld"]) for k in specs.ELEMENTS}
        ),
        "grants": st.fixed_dictionaries(
            {k: st.booleans() for k in ("commercial_use", "redistribution", "sublicensing", "patent_license")}
        ),
        "use": st.fixed_dictionaries(
            {"restrictions": st.lists(restriction, max_size=4), "research_protected": st.booleans()}
        ),
        "derivatives": st.fixed_dictionaries({k: st.sampled_from(list(specs.POLICIES)) for k in specs.MODIFICATIONS}),
        "share_alike": st.fixed_dictionaries(
            {
                "trigger": st.sampled_from(["distribution", "distribution_or_service"]),
                "release": st.lists(st.sampled_from(list(specs.ELEMENTS)), unique=True, max_size=9),
            }
        ),
        "terms": st.fixed_dictionaries(
            {
                "include_license_copy": st.booleans(),
                "attribution_notice": st.booleans(),
                "indicate_modifications": st.booleans(),
                "naming": st.sampled_from(["free", "no_endorsement", "prefix_required"]),
                "termination_cure_days": st.integers(0, 365),
                "outputs": st.sampled_from(["no_claim", "unaddressed"]),
                "governing_law": st.one_of(st.just(""), names.map(lambda s: s[:200])),
            }
        ),
    }
)
valid_specs = spec_data.map(specs.validate)

_LEAKS = re.compile(r"\{\{|\{%|%\}|\}\}|\[\[|\]\]|\x00|\bNone\b|\bundefined\b")


@given(valid_specs)
def test_every_valid_spec_builds_without_leaks_and_with_every_term_defined_and_used(spec):
    result = build(spec)
    user_text = json.dumps(spec, ensure_ascii=False)
    for output in (result.markdown, result.html, result.deed):
        for leak in _LEAKS.findall(output):
            assert leak in user_text, f"{leak!r} leaked into an output"
    errors = [f for f in result.findings if f.severity == ERROR]
    assert not errors, errors
    assert json.loads(result.json)["spec"] == spec


@given(valid_specs)
def test_building_twice_gives_identical_text(spec):
    first, second = build(spec), build(json.loads(json.dumps(spec)))
    assert (first.markdown, first.html, first.json, first.deed) == (
        second.markdown,
        second.html,
        second.json,
        second.deed,
    )


@given(valid_specs)
def test_the_summary_agrees_with_the_spec_and_the_text(spec):
    result = build(spec)
    summary = result.summary
    assert summary["commercial_use"] == spec["grants"]["commercial_use"]
    assert summary["use_restrictions"] == bool(spec["use"]["restrictions"])
    doc = result.document
    for key, policy in spec["derivatives"].items():
        entry = summary["derivatives"][key]
        assert doc.clause(f"derivatives.{key}").variant == policy
        assert entry["create"] == (policy != "prohibited")
        assert entry["share_alike"] == {"share_alike": "always", "share_alike_foundation": "foundation"}.get(
            policy, "never"
        )
        if entry["distribute"]:
            assert spec["grants"]["redistribution"] and policy not in ("no_distribution", "prohibited")
        assert entry["attribution"] == (policy in ("attribution", "share_alike", "share_alike_foundation"))
    assert (doc.clause("share_alike.trigger") is not None) == (summary["share_alike_trigger"] is not None)
    assert (doc.clause("use.restrictions") is not None) == summary["use_restrictions"]


@settings(max_examples=4)
@given(valid_specs)
def test_every_valid_spec_gives_a_pdf_with_its_text(spec):
    result = build(spec)
    text = pdf_text(result.pdf())
    last = result.document.clauses()[-1]
    assert last.title in text


@given(valid_specs, valid_specs)
def test_rendering_after_another_spec_equals_rendering_from_scratch(first, second):
    # Clause renders and conditions are cached by what each template reads; a stale hit would show here.
    from licensebuilder.core import cache
    from licensebuilder.core.assemble import assemble

    build(first).markdown
    warm = build(second)
    assert warm.document == assemble(second, cached=False)  # the cached path is the plain one
    cache.clear()
    assert build(second).markdown == warm.markdown


def _answers(spec):
    """Every answer of a spec: (root, key) pairs."""
    return [(root, key) for root, value in spec.items() if isinstance(value, dict) for key in value]


@given(valid_specs, valid_specs, st.randoms(use_true_random=False))
def test_assembling_one_changed_answer_after_another_equals_assembling_afresh(first, second, rng):
    # An assembly takes from the thread's last one whatever reads the same answers (cache.Reuse):
    # walking from one spec to another an answer at a time, as a licensor does, each license must
    # be the one made from nothing, its HTML too.
    from licensebuilder.core import cache
    from licensebuilder.core.assemble import assemble
    from licensebuilder.core.render.html import render_fragment

    current = json.loads(json.dumps(first))
    build(current).fragment
    steps = _answers(second)
    rng.shuffle(steps)
    for root, key in steps[:8]:
        if key not in second[root]:
            continue
        current = json.loads(json.dumps(current))
        current[root][key] = second[root][key]
        current = specs.validate(current)
        warm = build(current)
        assert warm.document == assemble(current, cached=False)
        assert warm.fragment == render_fragment(assemble(current, cached=False))
    cache.clear()
    assert build(current).markdown == warm.markdown


@given(valid_specs, valid_specs)
def test_a_remembered_summary_is_the_one_worked_out_afresh(first, second):
    # The summary is remembered by the clauses held and the values the rules read; a key that missed
    # something the rules turn on would give the first spec's summary for the second here.
    from licensebuilder.core.assemble import assemble
    from licensebuilder.core.summary import summarize

    build(first).summary
    renamed = {**second, "license": {**second["license"], "name": "Another name"}}
    build(renamed).summary
    assert build(second).summary == summarize(assemble(second, cached=False))


@given(valid_specs)
def test_license_json_is_its_data_indented_by_two_spaces(spec):
    # Written member by member, each remembered by its compact JSON: the same text as the data
    # written whole with Python's own indentation, and the same data read back.
    from licensebuilder.core.render.json import license_data

    result = build(spec)
    data = license_data(result.document, result.markdown, result.summary)
    assert result.json == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert json.loads(result.json) == data


@given(valid_specs)
def test_the_html_sanitised_chunk_by_chunk_is_what_sanitising_the_whole_gives(spec):
    # Each chunk is sanitised on its own and the page joins them with markup of our own: the
    # allow-list must find nothing to change in the whole.
    from licensebuilder.core.render.html import sanitize

    fragment = build(spec).fragment
    assert sanitize(fragment) == fragment


def test_a_remembered_summary_follows_what_the_rules_read_with_the_same_clauses():
    # The same clauses, release duties over different elements: the summary must say which.
    from licensebuilder.core.presets import presets

    spec = presets()["strong-copyleft"].spec
    fewer = {**spec, "share_alike": {**spec["share_alike"], "release": ["weights"]}}
    wide, narrow = build(spec), build(fewer)
    assert [c.key for c in wide.document.clauses()] == [c.key for c in narrow.document.clauses()]
    assert wide.summary["share_alike_release"] == spec["share_alike"]["release"]
    assert narrow.summary["share_alike_release"] == ["weights"]


_any_value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=30),
    st.sampled_from(["", " ", "included", "share_alike", "a@b", "a@b.example", "http://x", "https://x.example/$?a=1",
                     "ftp://x", "1.0", "LicenseRef-x", "x\u202e", "\u0000", "weapons", "LicenseRef-$"]),
    st.lists(st.sampled_from(["weapons", "training_data", "x", 3]), max_size=3),
    st.just({}),
)  # fmt: skip


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


@settings(max_examples=300, deadline=None)
@given(spec_data, st.data())
def test_the_quick_schema_check_agrees_with_the_full_validator(spec, data):
    """The compiled check decides alone whether a spec is valid; it must never accept what the
    full validator refuses, nor refuse what it accepts."""
    for _ in range(data.draw(st.integers(0, 3))):
        path = data.draw(st.sampled_from([p for p in _paths(spec) if p]))
        target = spec
        for part in path[:-1]:
            target = target[part]
        if data.draw(st.booleans()) and isinstance(target, dict):
            target.pop(path[-1])
        else:
            target[path[-1]] = data.draw(_any_value)
    if data.draw(st.booleans()):
        spec = {**spec, data.draw(st.sampled_from(["extra", "license"])): data.draw(_any_value)}
    quick_ok = True
    try:
        specs._quick_check()(spec)
    except Exception:
        quick_ok = False
    assert quick_ok == (not list(specs._validator().iter_errors(spec)))


# What YAML reads as a key that is not text: 1:, -3:, 1.5:, true:, on:, ~:, 2024-01-01:.
_keys_not_text = st.one_of(
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(),
)


def _at(value, path):
    for part in path:
        value = value[part]
    return value


class _WithoutAliases(yaml.SafeDumper):
    """Writes a value drawn twice (the same object) out twice: parsing refuses YAML aliases."""

    def ignore_aliases(self, data):
        return True


@given(spec_data, st.data())
def test_a_key_that_is_not_text_anywhere_is_a_problem_at_its_path_never_a_crash(spec, data):
    mappings = [path for path in _paths(spec) if isinstance(_at(spec, path), dict)]
    chosen = data.draw(st.lists(st.sampled_from(mappings), min_size=1, max_size=3))
    for path in chosen:
        _at(spec, path)[data.draw(_keys_not_text)] = data.draw(_any_value)
    expected = {specs._dotted(path) for path in chosen}
    as_yaml = yaml.dump(spec, Dumper=_WithoutAliases, sort_keys=False, allow_unicode=True)
    for attempt in (lambda: specs.validate(spec), lambda: specs.parse(as_yaml, filename="spec.yaml")):
        with pytest.raises(specs.SpecError) as exc:
            attempt()
        reported = {p.path for p in exc.value.problems if re.fullmatch(r"key \S+ is not text", p.message)}
        assert reported == expected


@given(valid_specs)
def test_markdown_converted_paragraph_by_paragraph_is_what_converting_it_whole_gives(spec):
    # A chunk of plain paragraphs is converted one paragraph at a time (render.html.safe_html);
    # every chunk of every output must come out as the whole chunk converted at once would.
    from licensebuilder.core import cache
    from licensebuilder.core.render.html import convert, safe_html, sanitize
    from licensebuilder.core.render.markdown import clause_heading, header_markdown

    result = build(spec)
    chunks = [header_markdown(result.document), result.deed]
    chunks += [text for c in result.document.clauses() for text in (clause_heading(c), c.body + "\n")]
    cache.clear()
    for chunk in chunks:
        assert safe_html(chunk) == sanitize(convert(chunk))  # met first: converted whole
        # Edited in its first or its last paragraph, as typing does: made from the parts kept.
        first, _, rest = chunk.partition("\n\n")
        for edited in (f"{first} Typed.\n\n{rest}" if rest else None, chunk.rstrip("\n") + " Typed.\n"):
            if edited is not None and not first.startswith("#"):
                assert safe_html(edited) == sanitize(convert(edited))
