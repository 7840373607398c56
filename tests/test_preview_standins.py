"""The live preview reuses one rendering for every keystroke of a name; what it shows must be
exactly what rendering the spec directly shows, whatever the names are."""

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licensebuilder.core import spec as specs
from licensebuilder.core.assemble import assemble
from licensebuilder.core.presets import presets
from licensebuilder.drafts import outputs

_word = st.text(st.characters(categories=["L", "Nd"]), min_size=1, max_size=8)
_joiner = st.sampled_from([" ", ".", "-", ", ", ","])
plain_names = st.builds(
    lambda first, rest: first + "".join(j + w for j, w in rest), _word, st.lists(st.tuples(_joiner, _word), max_size=4)
)
any_names = st.one_of(
    plain_names,
    st.text(min_size=1, max_size=40).map(str.strip).filter(bool),
    st.sampled_from(["*Bold* name", "1. Model", "A & B", "qzstandin0q", "x_y_z", "Model `code`", "a  b", "7B"]),
)


def _direct(spec, base):
    return outputs.preview(assemble(spec), base)


@pytest.mark.parametrize("slug", sorted(presets()))
@settings(max_examples=25, deadline=None)
@given(model=any_names, licensor=any_names, version=st.one_of(st.none(), plain_names), law=any_names)
def test_the_preview_with_names_put_back_equals_the_direct_rendering(slug, model, licensor, version, law):
    spec = copy.deepcopy(presets()[slug].spec)
    spec["model"]["name"], spec["licensor"]["name"], spec["terms"]["governing_law"] = model, licensor, law
    if version is not None:
        spec["model"]["version"] = version
    try:
        spec = specs.validate(spec)
    except specs.SpecError:
        return  # names the spec refuses never reach the preview
    base = outputs.parse_state(outputs.state_of(assemble(presets()[slug].spec)))
    fast, direct = outputs.cached_preview(spec, base), _direct(spec, base)
    assert fast.html == direct.html
    assert (fast.state, fast.added, fast.changed, fast.removed) == (
        direct.state,
        direct.added,
        direct.changed,
        direct.removed,
    )


def test_typing_a_name_marks_the_clauses_that_show_it_as_changed():
    spec = copy.deepcopy(presets()["responsible-use"].spec)
    before = outputs.cached_preview(spec, None)
    spec["model"]["name"] = "Typed Model 2"
    after = outputs.cached_preview(spec, outputs.parse_state(before.state))
    assert "Typed Model 2" in after.html and after.changed >= 2
    assert "qzstandin" not in after.html and "qzstandin" not in after.state
