"""The live preview reuses what an edit leaves unchanged (clause renders, sanitised HTML of each
clause's heading and body); what it shows must be exactly what rendering the spec directly shows,
whatever the names are."""

import copy
import json
import re
import shutil

import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from licensebuilder.core import spec as specs
from licensebuilder.core.assemble import assemble
from licensebuilder.core.library import default_library
from licensebuilder.core.presets import presets
from licensebuilder.drafts import outputs, standins, wizard

_word = st.text(st.characters(categories=["L", "Nd"]), min_size=1, max_size=8)
_joiner = st.sampled_from([" ", ".", "-", ", ", ","])
plain_names = st.builds(
    lambda first, rest: first + "".join(j + w for j, w in rest), _word, st.lists(st.tuples(_joiner, _word), max_size=4)
)
# Longer than the 80 characters a quoted answer is cut to in "Why is this here?".
long_plain_names = st.builds(lambda words: " ".join(words), st.lists(_word, min_size=12, max_size=30))
# Letters whose capitals are longer, not letters, or look like a stand-in word's.
_casing = st.text(st.sampled_from("ßﬁŉΐǆſKıiIxq0"), min_size=1, max_size=6)
any_names = st.one_of(
    plain_names,
    long_plain_names,
    _casing,
    st.text(min_size=1, max_size=40).map(str.strip).filter(bool),
    st.sampled_from(["*Bold* name", "1. Model", "A & B", "qzstandin0q", "x_y_z", "Model `code`", "a  b", "7B"]),
    st.sampled_from(["QZSTANDIN0Q", "Qzstandin1q", "qzſtandin2q", "qzstandin9q", "QzStAnDiN"]),
)


def _direct(spec, base, library=None):
    """The preview made the plain way: every clause body rendered afresh, each clause's whole
    Markdown converted and sanitised at once, no cache."""
    doc = assemble(spec, library, cached=False)
    direct = outputs.preview(doc, base)
    for clause in doc.clauses():
        why = tuple(wizard.reason_words(r.path, r.value) for r in clause.why)
        assert _as_sent(_reference_clause_html(clause, why)) in direct.html, clause.id
    return direct


def _as_sent(html):
    """HTML as the preview sends it: characters beyond ASCII as numeric character references."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in html)


def _named(slug, model, licensor, version, law):
    """A preset with these names, validated; None for names the spec refuses (they never reach
    the preview)."""
    spec = copy.deepcopy(presets()[slug].spec)
    spec["model"]["name"], spec["licensor"]["name"], spec["terms"]["governing_law"] = model, licensor, law
    if version is not None:
        spec["model"]["version"] = version
    try:
        return specs.validate(spec)
    except specs.SpecError:
        return None


@pytest.mark.parametrize("slug", sorted(presets()))
@settings(max_examples=25, deadline=None)
@given(model=any_names, licensor=any_names, version=st.one_of(st.none(), plain_names), law=any_names)
def test_the_preview_while_typing_names_equals_the_direct_rendering(slug, model, licensor, version, law):
    spec = _named(slug, model, licensor, version, law)
    if spec is None:
        return
    base = outputs.parse_state(outputs.state_of(assemble(presets()[slug].spec)))
    fast, direct = outputs.spec_preview(spec, base), _direct(spec, base)
    assert fast.html == direct.html
    assert (fast.state, fast.added, fast.changed, fast.removed) == (
        direct.state,
        direct.added,
        direct.changed,
        direct.removed,
    )


# A library whose clauses also print names in capitals (as a disclaimer in capitals would), cut
# short, or tested by length: the first can still stand in, the others cannot.
_ODD_USES = (
    "\n\n**THE MODEL {{ model.name|upper }} IS OFFERED BY {{ licensor.name|upper }} AS IT IS.**"
    "{% if terms.governing_law|length > 12 %} (A long governing law.){% endif %}"
    "{% if model.get('version') %} Version {{ model.version[:3] }}.{% endif %}"
)


@pytest.fixture(scope="module")
def odd_library(tmp_path_factory):
    from licensebuilder.core.library import CLAUSES_DIR, load_library

    directory = tmp_path_factory.mktemp("library") / "clauses"
    shutil.copytree(CLAUSES_DIR, directory)
    warranty = directory / "disclaimer" / "warranty.md"
    warranty.write_text(warranty.read_text(encoding="utf-8").rstrip("\n") + _ODD_USES + "\n", encoding="utf-8")
    return load_library(directory)


def test_names_stand_in_only_where_every_clause_prints_them_as_they_are(odd_library):
    assert standins.safe_paths(odd_library) == {"model.name", "licensor.name"}
    assert standins.safe_paths(default_library()) == set(standins.PATHS)
    spec = copy.deepcopy(presets()["non-commercial-research"].spec)
    spec["model"]["version"] = "2.5"
    assert set(standins.stand_ins(spec)[1].words.values()) == {
        spec["model"]["name"],
        spec["model"]["version"],
        spec["licensor"]["name"],
        spec["terms"]["governing_law"],
    }


@settings(max_examples=40, deadline=None)
@given(model=any_names, licensor=any_names, version=st.one_of(st.none(), plain_names), law=any_names)
def test_names_printed_in_capitals_or_cut_short_preview_as_the_direct_rendering(
    odd_library, model, licensor, version, law
):
    spec = _named("non-commercial-research", model, licensor, version, law)
    if spec is None:
        return
    base = outputs.parse_state(outputs.state_of(assemble(presets()["responsible-use"].spec, odd_library)))
    fast, direct = outputs.spec_preview(spec, base, odd_library), _direct(spec, base, odd_library)
    assert fast.html == direct.html
    assert (fast.state, fast.changed) == (direct.state, direct.changed)


def test_a_name_in_capitals_is_put_back_in_capitals(odd_library):
    spec = copy.deepcopy(presets()["non-commercial-research"].spec)
    spec["model"]["name"] = "Straße 7b"
    spec = specs.validate(spec)
    stand_in, names = standins.stand_ins(spec, odd_library)
    assert "Straße 7b" in names.words.values()
    # Put back without falling back to the direct rendering: Doubt would be raised here.
    html = outputs.preview(assemble(stand_in, odd_library), None, names).html
    assert "THE MODEL STRASSE 7B IS OFFERED BY" in html and _as_sent("Straße 7b") in html
    assert html == _direct(spec, None, odd_library).html


def test_a_stand_in_that_comes_back_in_another_case_is_not_put_back():
    names = standins.Names({"qzstandin0q": "Acme"})
    assert names.put_back("the qzstandin0q model, THE QZSTANDIN0Q MODEL") == "the Acme model, THE ACME MODEL"
    for odd in ("Qzstandin0q", "qzstandin0Q", "qzstandin1q"):
        with pytest.raises(standins.Doubt):
            names.put_back(f"the {odd} model")


def test_typing_a_name_marks_the_clauses_that_show_it_as_changed():
    spec = copy.deepcopy(presets()["responsible-use"].spec)
    before = outputs.spec_preview(spec, None)
    spec["model"]["name"] = "Typed Model 2"
    after = outputs.spec_preview(spec, outputs.parse_state(before.state))
    assert "Typed Model 2" in after.html and after.changed >= 2


# -- the preview's other shortcuts give what the direct way gives --------------------------------


def _reference_clause_html(clause, why):
    """A clause's preview HTML made directly, with no cache and no stand-in number."""
    from django.utils.html import format_html

    from licensebuilder.core.render.html import convert, sanitize
    from licensebuilder.core.render.markdown import clause_markdown

    text = sanitize(convert(clause_markdown(clause)))
    if why:
        reasons = "".join(format_html("<li>{}: <strong>{}</strong></li>", label, value) for label, value in why)
        reasons = f"<p>Included because of these answers:</p><ul>{reasons}</ul>"
    else:
        reasons = "<p>Every license built here has this clause.</p>"
    rationale = format_html("<p>{}</p>", clause.rationale) if clause.rationale else ""
    return f'{text}<details class="clause-why"><summary>Why is this here?</summary>{reasons}{rationale}</details>'


@pytest.mark.parametrize("slug", sorted(presets()))
def test_clause_html_made_in_two_blocks_equals_the_direct_conversion(slug):
    doc = assemble(presets()[slug].spec)
    for clause in doc.clauses():
        why = tuple(wizard.reason_words(r.path, r.value) for r in clause.why)
        made = outputs._clause_text_html(clause) + outputs._why_html(why, clause.rationale)
        assert made == _reference_clause_html(clause, why), clause.id
        # Renumbered: the body's HTML is reused under any number.
        for number in ("1.1", "12.34", "7"):
            moved = copy.copy(clause)
            object.__setattr__(moved, "number", number)
            made = outputs._clause_text_html(moved) + outputs._why_html(why, clause.rationale)
            assert made == _reference_clause_html(moved, why)


def test_a_step_form_completes_its_spec_as_complete_does():
    from licensebuilder.core import complete as completion

    spec = copy.deepcopy(presets()["responsible-use"].spec)
    spec["model"] = {}  # a name still missing: completed with a placeholder
    step = wizard.BY_SLUG["derivatives"]
    data = {name: value for name, value in step.form(spec=spec).initial.items()}
    data["distillation"] = "share_alike"
    form = step.form(data, spec=spec)
    assert form.is_valid(), form.errors
    assert form.completed == completion.complete(form.apply())
    assert json.dumps(form.completed) == json.dumps(completion.complete(form.apply()))  # same key order too
    assert "name" not in form.apply()["model"] and form.completed["model"]["name"] == completion.PLACEHOLDERS["model"]
    assert spec["derivatives"]["distillation"] != "share_alike"  # the saved spec is left as it was


def _posted(step, spec, rng):
    """What a browser might post on a step: each field as shown, or changed to another choice, to
    nothing or to text no field takes."""
    data = {}
    for name, field in step.form(spec=spec).fields.items():
        shown = step.form(spec=spec).initial.get(name)
        choices = [str(value) for value, _ in getattr(field, "choices", [])]
        options = [shown, "", "<no such answer>", "x" * 600, *choices[:4]]
        value = rng.choice(options)
        data[name] = ([value] if value else []) if isinstance(field, forms.MultipleChoiceField) else value
    return data


@settings(max_examples=60, deadline=None)
@given(st.randoms(use_true_random=False))
def test_a_form_that_only_checks_answers_finds_what_a_shown_form_finds(rng):
    # The live preview checks answers with the class's own fields (``StepForm.checking``), not
    # copies: the same problems and the same completed spec, and the fields left as they were.
    spec = copy.deepcopy(presets()["responsible-use"].spec)
    for step in wizard.STEPS:
        if step.form is None:
            continue
        before = {name: dict(vars(field)) for name, field in step.form.base_fields.items()}
        data = _posted(step, spec, rng)
        shown, checked = step.form(data, spec=spec), step.form.checking(data, spec=spec)
        assert checked.is_valid() == shown.is_valid()
        assert checked.errors == shown.errors
        assert (checked.completed, checked.valid_part) == (shown.completed, shown.valid_part)
        assert {name: dict(vars(field)) for name, field in step.form.base_fields.items()} == before


@pytest.mark.django_db
def test_the_preview_partial_renders_the_same_without_the_request(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.shortcuts import render
    from django.template.loader import render_to_string

    from licensebuilder.drafts import wizard_views

    spec = copy.deepcopy(presets()["responsible-use"].spec)
    before = outputs.spec_preview(spec, None)
    spec["derivatives"]["distillation"] = "prohibited"
    after = outputs.spec_preview(spec, outputs.parse_state(before.state))
    request = rf.post("/")
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    step = wizard.BY_SLUG["derivatives"]
    for preview, error, stale in [(before, "", False), (after, "", True), (None, "A problem", False)]:
        context = {"step": step, "preview": preview, "preview_error": error, "stale": stale}
        with_request = render(request, wizard_views.PREVIEW_PARTIAL, context).content.decode()
        assert render_to_string(wizard_views.PREVIEW_PARTIAL, context) == with_request


_MARKED = re.compile(r'<section class="clause clause--(added|changed)" id="[^"]*" data-clause-id="([^"]+)"')


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(sorted(presets())), st.randoms(use_true_random=False))
def test_a_walk_of_previews_marks_exactly_the_clauses_changed_since_the_last(slug, rng):
    # The preview takes over whole sections of the last one (cache.Reuse lends the very same
    # section); each preview must still mark every clause whose text differs from the state the
    # page sent, and no other, and its HTML must be the one made from nothing.
    spec = copy.deepcopy(presets()[slug].spec)
    state = None
    for _ in range(12):
        spec = copy.deepcopy(spec)
        key = rng.choice(sorted(specs.MODIFICATIONS))
        spec["derivatives"][key] = rng.choice(sorted(specs.POLICIES))
        try:
            spec = specs.validate(spec)
        except specs.SpecError:
            continue
        base = outputs.parse_state(state) if state else None
        shown = outputs.spec_preview(spec, base)
        plain = assemble(spec, cached=False)
        digests = dict(item.split(":") for item in outputs.state_of(plain).split())
        expected = {
            cid: ("added" if cid not in base else "changed")
            for cid, digest in digests.items()
            if base is not None and base.get(cid) != digest
        }
        assert dict((cid, mark) for mark, cid in _MARKED.findall(shown.html)) == expected
        assert (shown.added, shown.changed) == (
            sum(m == "added" for m in expected.values()),
            sum(m == "changed" for m in expected.values()),
        )
        assert shown.state == outputs.state_of(plain)
        assert shown.html == outputs.preview(assemble(spec, cached=False), base).html
        state = shown.state


def _state_item_by_item(text):
    """The preview state read the plain way: split at white space, each item whole or not at all."""
    if not text or len(text) > 20_000:
        return None
    items = (re.fullmatch(r"([a-z][a-z0-9_.]{0,80}):([0-9a-f]{10})", item) for item in text.split())
    return {m.group(1): m.group(2) for m in items if m} or None


_state_items = st.from_regex(r"[a-z][a-z0-9_.]{0,12}:[0-9a-f]{10}", fullmatch=True)
_state_text = st.lists(
    st.one_of(
        _state_items,
        st.text(st.sampled_from("ab1_.:0f9 \t\nZ-")),
        # an item with something before or after it that makes it no item
        st.tuples(st.text(st.sampled_from("aZ0f:-_"), min_size=1, max_size=3), _state_items).map("".join),
        st.tuples(_state_items, st.text(st.sampled_from("aZ0f:-_"), min_size=1, max_size=3)).map("".join),
    ),
    max_size=12,
).map(lambda items: " ".join(items))


@settings(max_examples=300, deadline=None)
@given(st.one_of(_state_text, st.text()))
def test_a_preview_state_is_read_as_item_by_item(text):
    assert outputs.parse_state(text) == _state_item_by_item(text)


def test_the_preview_is_sent_in_ascii_and_reads_as_typed():
    """Sent on every change: all in ASCII, so the reply is sent as it is, never encoded again
    character by character; names and quoted answers beyond ASCII read exactly as typed."""
    from html import unescape

    from django.template.loader import render_to_string

    from licensebuilder.drafts import wizard_views

    spec = copy.deepcopy(presets()["responsible-use"].spec)
    spec["model"]["name"], spec["licensor"]["name"] = "Modèle Ünï", "Société “Ω” Labs"
    spec = specs.validate(spec)
    before = outputs.spec_preview(spec, None)
    spec["derivatives"]["distillation"] = "prohibited"
    after = outputs.spec_preview(spec, outputs.parse_state(before.state))
    for preview in (before, after):
        context = {"step": wizard.BY_SLUG["derivatives"], "preview": preview, "preview_error": "", "stale": "partial"}
        sent = render_to_string(wizard_views.PREVIEW_PARTIAL, context)
        assert sent.isascii()
        read = unescape(sent)
        assert "Modèle Ünï" in read and "Société “Ω” Labs" in read
        assert "“Illegal activity”" in read  # a restriction quoted in "Why is this here?"
        assert "Choose “Preview” under the questions" in read
    assert after.changed >= 1


# The stand-in mark with each letter in any of the forms a case-blind search takes for it.
_FORMS = {"q": "qQ", "z": "zZ", "s": "sSſ", "t": "tT", "a": "aA", "n": "nN", "d": "dD", "i": "iIİı"}
_marks = st.tuples(*(st.sampled_from(_FORMS[c]) for c in standins._MARK)).map("".join)
_mark_like = st.text(st.sampled_from("".join(_FORMS.values()) + "x "), max_size=14)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        _marks, _mark_like, st.text(), st.tuples(st.text(), st.one_of(_marks, _mark_like), st.text()).map("".join)
    )
)
def test_a_typed_stand_in_mark_is_found_in_any_case(text):
    assert standins._may_mark(text) == bool(standins._ANY_MARK.search(text))
    assert standins._may_mark(text.replace(" ", "")) == bool(standins._ANY_MARK.search(text.replace(" ", "")))
