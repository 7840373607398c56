"""Completing a draft's answers with placeholders: remembered in a bounded cache by the answers'
canonical JSON, and every caller given its own copy of the result."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from licensebuilder.core import cache
from licensebuilder.core import spec as specs
from licensebuilder.core.complete import PLACEHOLDERS, _with_placeholders, complete
from tests.test_properties import spec_data


def _answers():
    return {"model": {"name": "Acme-7B"}, "use": {"restrictions": ["weapons"]}}


def test_changing_a_completed_spec_does_not_change_what_the_next_caller_gets():
    first = complete(_answers())
    expected = json.dumps(first)
    first["model"]["name"] = "changed"
    first["use"]["restrictions"].append("surveillance")
    first["licensor"].clear()
    first["terms"] = None
    second = complete(_answers())
    assert json.dumps(second) == expected
    assert second is not first and second["use"] is not first["use"]


def test_the_same_answers_in_another_order_complete_alike_and_are_remembered_once():
    cache.completed.clear()
    answers = _answers()
    reordered = {"use": answers["use"], "model": answers["model"]}
    assert json.dumps(complete(answers)) == json.dumps(complete(reordered))
    assert len(cache.completed) == 1
    assert complete(answers)["licensor"]["name"] == PLACEHOLDERS["licensor"]


def test_the_completed_specs_kept_are_bounded():
    cache.completed.clear()
    for n in range(cache.completed.max_entries + 20):
        complete({"model": {"name": f"Model {n}"}})
    assert len(cache.completed) == cache.completed.max_entries
    assert cache.completed.bytes <= cache.completed.max_bytes


# -- answer by answer, as the whole spec is validated -------------------------------------------------

_odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.just("  padded  "),
    st.lists(st.text(max_size=6), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=2),
)


@st.composite
def _edited_specs(draw):
    """A valid spec, then a few edits a draft can hold: answers left out, names blank or padded,
    versions typed as numbers, a value of the wrong kind anywhere, a key the schema does not know."""
    spec = json.loads(json.dumps(draw(spec_data)))
    for _ in range(draw(st.integers(0, 3))):
        root = draw(st.sampled_from([*sorted(spec), "unknown"]))
        edit = draw(st.sampled_from(["drop", "blank name", "pad", "number version", "odd value", "odd key"]))
        part = spec.get(root)
        if edit == "drop":
            spec.pop(root, None)
        elif edit == "blank name" and isinstance(part, dict) and "name" in part:
            part["name"] = draw(st.sampled_from(["", "   "]))
        elif edit == "pad" and isinstance(part, dict) and part:
            key = draw(st.sampled_from(sorted(part)))
            if isinstance(part[key], str):
                part[key] = f"  {part[key]} "
        elif edit == "number version" and isinstance(part, dict) and "version" in part:
            part["version"] = draw(st.sampled_from([1, 2.5, True]))
        elif edit == "odd value":
            if isinstance(part, dict) and part:
                part[draw(st.sampled_from(sorted(part)))] = draw(_odd_values)
            else:
                spec[root] = draw(_odd_values)
        elif edit == "odd key" and isinstance(part, dict):
            part[draw(st.sampled_from(["extra", "Name", " name"]))] = draw(_odd_values)
    return spec


def _whole(spec):
    """complete() the plain way: the whole spec validated at once."""
    try:
        return json.dumps(specs.validate(_with_placeholders(spec)), ensure_ascii=False)
    except specs.SpecError as exc:
        return [str(p) for p in exc.problems]


def _by_answer(spec):
    try:
        return json.dumps(complete(spec), ensure_ascii=False)
    except specs.SpecError as exc:
        return [str(p) for p in exc.problems]


@settings(max_examples=300, deadline=None)
@given(_edited_specs(), st.booleans())
def test_completing_answer_by_answer_gives_what_validating_the_whole_spec_gives(spec, warm):
    """complete() takes each top-level answer as it was last completed: the same text, in the same
    order, or the same problems, as validating the whole spec at once, cold or warm."""
    if not warm:
        cache.clear()
    assert _by_answer(spec) == _whole(spec)
    edited = json.loads(json.dumps(spec))
    if isinstance(edited.get("derivatives"), dict) and edited["derivatives"]:
        key = sorted(edited["derivatives"])[0]
        edited["derivatives"][key] = "prohibited"  # one answer changed, the others as they were
        assert _by_answer(edited) == _whole(edited)
