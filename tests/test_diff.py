"""Review for legal teams: the choices diff, the clause-by-clause redline and ``license diff``."""

import difflib
import hashlib
import json
import os
import re
from dataclasses import replace
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from licensebuilder.core import spec as specs
from licensebuilder.core.assemble import assemble
from licensebuilder.core.diff import (
    ChoiceChange,
    compare,
    match,
    new_text,
    old_text,
    redline,
    redline_html,
    redline_markdown,
    redline_page,
    segments_html,
    word_diff,
)
from licensebuilder.core.presets import presets
from licensebuilder.core.render.html import sanitize
from tests.factories import make_spec
from tests.helpers import pdf_text
from tests.helpers import run_license as run
from tests.test_properties import spec_data, valid_specs


def _statuses(red):
    return {c.id: c.status for c in red.clauses() if c.status != "unchanged"}


def _assert_rebuilds(red):
    for clause in red.clauses():
        assert new_text(clause) == (clause.new.body if clause.new else "")
        assert old_text(clause) == (clause.old.body if clause.old else "")


# -- the redline ------------------------------------------------------------------------------


def test_one_word_changed_is_one_deletion_and_one_insertion():
    spec = make_spec(**{"terms.governing_law": "the laws of Ireland"})
    doc = assemble(spec)
    clause = doc.clause("general.governing_law")
    assert "Ireland" in clause.body
    edited = doc.sections
    new_clause = replace(clause, body=clause.body.replace("Ireland", "France"))
    new_doc = replace(
        doc,
        sections=tuple(
            replace(s, clauses=tuple(new_clause if c.id == clause.id else c for c in s.clauses)) for s in edited
        ),
    )
    red = redline(doc, new_doc)
    assert _statuses(red) == {"general.governing_law": "changed"}
    changes = [seg for seg in red.clause("general.governing_law").segments if seg[0] != "equal"]
    assert changes == [("delete", "Ireland"), ("insert", "France")]
    _assert_rebuilds(red)
    assert "[-Ireland-]{+France+}" in redline_markdown(red, [])
    html = redline_html(red, [])
    assert "<del>Ireland</del><ins>France</ins>" in html


def test_word_diff_rebuilds_both_texts():
    old, new = "You may (a) copy it, and run it.", "You may (b) copy it twice, and sell it.\n\nDone."
    segments = word_diff(old, new)
    assert "".join(t for op, t in segments if op != "insert") == old
    assert "".join(t for op, t in segments if op != "delete") == new


def test_a_clause_added_and_one_removed_are_reported_in_place():
    choices, red = compare(make_spec(), make_spec(**{"terms.outputs": "unaddressed"}))
    assert _statuses(red) == {
        "outputs.no_claim": "removed",
        "outputs.unaddressed": "added",
        "termination.effect": "changed",
    }
    outputs = next(s for s in red.sections if s.id == "outputs")
    assert [c.id for c in outputs.clauses] == ["outputs.no_claim", "outputs.unaddressed"]
    assert red.clause("outputs.unaddressed").segments[0][0] == "insert"
    assert red.clause("outputs.no_claim").segments[0][0] == "delete"
    _assert_rebuilds(red)
    assert [str(c) for c in choices] == ["Outputs: no rights claimed → not addressed"]
    assert set(choices[0].clauses) == {"outputs.no_claim", "outputs.unaddressed", "termination.effect"}


def test_renumbering_alone_is_not_a_change():
    # Requiring a copy of the license adds a clause early in the conditions: later clauses and
    # the cross-references to them are renumbered, and only the clauses whose words changed show.
    old = assemble(make_spec(**{"terms.include_license_copy": False}))
    new = assemble(make_spec(**{"terms.include_license_copy": True}))
    red = redline(old, new)
    assert _statuses(red) == {"conditions.license_copy": "added", "grant.redistribution": "changed"}
    renumbered = [c for c in red.clauses() if c.status == "unchanged" and c.renumbered]
    assert renumbered
    only_numbers = red.clause("grant.reservation")
    assert only_numbers.status == "unchanged"
    assert only_numbers.old.body != only_numbers.new.body
    assert re.sub(r"\d+\.\d+", "#", only_numbers.old.body) == re.sub(r"\d+\.\d+", "#", only_numbers.new.body)
    _assert_rebuilds(red)
    text = redline_markdown(red, [])
    assert f"{only_numbers.number} {only_numbers.title} —" not in text
    assert "unchanged clauses" in text


def test_the_same_words_citing_another_clause_are_a_change():
    # Two clauses trade numbers: a clause whose words are the same but whose "Section N.M" now
    # points at the other one reads differently; one that cites nothing is unchanged.
    doc = assemble(make_spec())
    citing = next(c for c in doc.clauses() if re.search(r"\bSection \d+\.\d+", c.body))
    cited = re.search(r"\bSection (\d+\.\d+)", citing.body).group(1)
    first = next(c for c in doc.clauses() if c.number == cited)
    second = next(c for c in doc.clauses() if c.section == first.section and c.id != first.id)
    numbers = {first.id: second.number, second.id: first.number}
    swapped = replace(
        doc,
        sections=tuple(
            replace(s, clauses=tuple(replace(c, number=numbers.get(c.id, c.number)) for c in s.clauses))
            for s in doc.sections
        ),
    )
    red = redline(doc, swapped)
    assert red.clause(citing.id).status == "changed"
    assert red.clause(citing.id).segments == (("equal", citing.body),)
    plain = next(c for c in doc.clauses() if "Section" not in c.body and c.id not in numbers)
    assert red.clause(plain.id).status == "unchanged"


def test_a_section_number_quoted_as_an_example_is_not_a_citation():
    # general.interpretation explains the notation with 'such as "Section 6.2"': when another
    # clause comes to have that number, the interpretation clause still reads the same.
    permitted = {f"derivatives.{k}": "permitted" for k in make_spec()["derivatives"]}
    old = make_spec(**permitted)
    new = make_spec(**{**permitted, "derivatives.prompts": "share_alike"})
    old_doc, new_doc = assemble(old), assemble(new)
    example = re.search(r'"Section (\d+\.\d+)"', old_doc.clause("general.interpretation").body).group(1)
    owner = {c.number: c.id for c in old_doc.clauses()}.get(example)
    assert owner != {c.number: c.id for c in new_doc.clauses()}.get(example)  # the example's number moved
    assert redline(old_doc, new_doc).clause("general.interpretation").status == "unchanged"


def test_sections_disappearing_keep_their_place():
    permitted = {k: "permitted" for k in make_spec()["derivatives"]}
    old = assemble(make_spec())
    new = assemble(make_spec(derivatives=permitted))
    red = redline(old, new)
    assert [s.id for s in red.sections] == [s.id for s in old.sections]
    share_alike = next(s for s in red.sections if s.id not in {x.id for x in new.sections})
    assert share_alike.status == "removed"
    assert all(c.status == "removed" for c in share_alike.clauses)
    _assert_rebuilds(red)


def test_a_policy_change_swaps_the_clause_variant():
    old = make_spec()
    new = make_spec(**{"derivatives.distillation": "prohibited"})
    assert old["derivatives"]["distillation"] == "share_alike"
    choices, red = compare(old, new)
    assert [str(c) for c in choices] == ["Distillation: share-alike → prohibited"]
    assert choices[0].path == "derivatives.distillation"
    assert "derivatives.distillation" in choices[0].clauses
    clause = red.clause("derivatives.distillation")
    assert clause.status == "changed"
    assert clause.old.variant == "share_alike" and clause.new.variant == "prohibited"
    _assert_rebuilds(red)
    assert "Distillation: share-alike → prohibited" in redline_markdown(red, choices)


def test_choices_are_described_in_words():
    old = make_spec(**{"elements.training_data": "withheld"})
    new = make_spec(
        **{
            "elements.training_data": "described",
            "grants.commercial_use": False,
            "use.restrictions": ["weapons", {"text": "No robots"}],
            "license.name": "Beta License",
        }
    )
    choices, _ = compare(old, new)
    words = [str(c) for c in choices]
    assert "License name: “Acme Open Model License” → “Beta License”" in words
    assert "Training data: withheld → described" in words
    assert "Commercial use: allowed → not allowed" in words
    assert "Use restrictions: added “No robots”" in words
    assert any(re.fullmatch(r"Use restrictions: added “Weapons.*”", w) for w in words)


def test_comparing_a_spec_with_itself_reports_no_change():
    spec = make_spec()
    choices, red = compare(spec, spec)
    assert choices == []
    assert not red.changed
    assert "No answer changed." in redline_markdown(red, choices)


def test_hostile_names_stay_text_in_the_redline():
    old = make_spec()
    new = make_spec(**{"license.name": "<script>alert(1)</script>", "use.restrictions": [{"text": "<img src=x>"}]})
    choices, red = compare(old, new)
    for view in ("inline", "side_by_side"):
        html = redline_html(red, choices, view)
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x&gt;" in html
    page = redline_page(red, choices)
    assert "<script" not in page
    assert "<title>Redline: Acme Open Model License 1.0 → &lt;script&gt;" in page


def test_side_by_side_shows_old_and_new_columns_headed_by_the_clause():
    choices, red = compare(make_spec(), make_spec(**{"derivatives.distillation": "prohibited"}))
    html = redline_html(red, choices, "side_by_side")
    assert (
        '<thead><tr><th><span class="redline-side">Before:</span> 5.5 Distillation</th>'
        '<th><span class="redline-side">After:</span> 5.5 Distillation <span class="redline-status">changed</span>'
    ) in html
    assert "<del>" in html and "<ins>" in html


def test_side_by_side_sets_out_only_the_clauses_that_changed():
    choices, red = compare(make_spec(), make_spec(**{"derivatives.distillation": "prohibited"}))
    html = redline_html(red, choices, "side_by_side")
    changed = [c for c in red.clauses() if c.status != "unchanged"]
    assert html.count("<table ") == len(changed) == 2
    # The sections left as they were are one line each, not an empty table.
    assert re.search(r"<h3>10\. [^<]*</h3>\s*<p class=\"redline-unchanged\">\d+ unchanged clauses? \(10\.1", html)


def test_the_html_redline_shows_formatted_text_not_markdown():
    old = make_spec(**{"licensor.name": "Acme AI Ltd.", "terms.governing_law": "the laws of *Utopia*"})
    new = make_spec(**{"licensor.name": "Beta Labs", "terms.governing_law": "the laws of *Erewhon*"})
    choices, red = compare(old, new)
    assert red.clause("definitions.licensor").status == "changed"
    for view in ("inline", "side_by_side"):
        html = redline_html(red, choices, view)
        assert "<strong>Licensor</strong>" in html
        assert "**" not in html and "\\" not in html
        assert "<em>" not in html  # the asterisks typed by the licensor stay asterisks
        assert ("*<del>Utopia</del><ins>Erewhon</ins>*" if view == "inline" else "*<del>Utopia</del>*") in html
        assert not re.search("[\ue000-\ue003]", html)
    inline = redline_html(red, choices)
    assert "<del>Acme AI Ltd.</del>" in inline and "<ins>Beta Labs</ins>" in inline


def test_marks_never_straddle_formatting_or_paragraphs():
    old = 'Intro.\n\n"**Code Change**" means (a) one; and\n\n(b) two.'
    new = 'Intro.\n\n"**Code Changes**" means (a) one;\n\n(b) two; and\n\n(c) three.'
    html = segments_html(word_diff(old, new))
    assert html.count("<p>") == 4
    assert "<strong>Code <del>Change</del><ins>Changes</ins></strong>" in html
    assert "<p><ins>(c) three</ins>.</p>" in html
    # Every <ins> and <del> holds text only, so the tags always nest.
    assert not re.search(r"<(ins|del)>[^<]*<(?!/\1>)", html)
    assert segments_html(word_diff(old, new), ("equal", "delete")).count("<ins>") == 0
    assert "<p>(c) three.</p>" not in segments_html(word_diff(old, new), ("equal", "delete"))


def test_presets_redline_as_formatted_html():
    all_presets = list(presets().values())
    for first, second in zip(all_presets, all_presets[1:] + all_presets[:1], strict=True):
        choices, red = compare(first.spec, second.spec)
        for view in ("inline", "side_by_side"):
            html = redline_html(red, choices, view)
            assert "**" not in html and "<strong>" in html
            assert not re.search(r"<(ins|del)>[^<]*<(?!/\1>)", html)
            assert sanitize(html) == html  # nothing in it that the allow-list would change


def test_the_markdown_redline_keeps_names_as_text():
    old = make_spec()
    new = make_spec(**{"license.name": "<b>[x](javascript:1)</b> *y*"})
    choices, red = compare(old, new)
    text = redline_markdown(red, choices)
    assert "<b>" not in text and "](javascript" not in text
    assert "\\<b\\>\\[x\\]\\(javascript:1\\)\\</b\\> \\*y\\*" in text
    assert text.splitlines()[2].startswith("Marking: {+inserted+} · [-deleted-]")


# -- properties ---------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_specs)
def test_any_spec_compared_with_itself_has_no_change(spec):
    choices, red = compare(spec, spec)
    assert choices == []
    assert all(c.status == "unchanged" for c in red.clauses())
    _assert_rebuilds(red)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_specs, valid_specs)
def test_the_redline_rebuilds_both_texts_for_any_pair(old, new):
    choices, red = compare(old, new)
    _assert_rebuilds(red)
    old_ids = [c.id for c in assemble(old).clauses()]
    new_ids = [c.id for c in assemble(new).clauses()]
    assert sorted(c.id for c in red.clauses()) == sorted(set(old_ids) | set(new_ids))
    shown = [c.id for c in red.clauses() if c.status != "removed"]
    assert shown == new_ids  # the new document's order
    for change in choices:
        assert set(change.clauses) <= {c.id for c in red.clauses() if c.status != "unchanged"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_specs, valid_specs, st.text(max_size=30), st.text(max_size=30))
def test_the_html_redline_holds_only_what_the_allow_list_leaves(old, new, before, after):
    """The fragment is not sanitised as a whole: every name, answer and label in it must already
    be escaped as the sanitiser would write it."""
    choices, red = compare(old, new)
    for view in ("inline", "side_by_side"):
        for blocks in (("header", "choices", "text"), ("text",)):
            html = redline_html(red, choices, view, labels=(before, after), blocks=blocks)
            assert sanitize(html) == html


def test_labels_with_markup_quotes_and_line_breaks_stay_text_in_the_redline():
    choices, red = compare(make_spec(), make_spec(**{"licensor.name": 'Beta & "Sons" <i>'}))
    html = redline_html(red, choices, labels=("<b>one</b>\r\nx\u00a0&amp;", "it's \x00two"))
    assert "<b>" not in html and "<i>" not in html
    assert "Redline: Acme Open Model License 1.0: &lt;b&gt;one&lt;/b&gt;\nx&nbsp;&amp;amp; → it's two</h1>" in html
    assert 'Beta &amp; "Sons" &lt;i&gt;' in html
    assert sanitize(html) == html


# The fragment's exact bytes, by digest: every ordered pair of presets and a redline whose every
# name, number, status and answer is hostile, in both views, whole and as the text block alone,
# with no labels and with labels holding markup, quotes, CR LF, NUL and no-break spaces.
# UPDATE_GOLDEN=1 rewrites the digests; a change to them is a change to the HTML.
REDLINE_DIGESTS = Path(__file__).parent / "golden" / "redline-digests.json"
_HOSTILE = "\"q\" 's' <i>&\r\n\x00\u00a0\r>{{ x }}"
_LABELS = {"none": None, "hostile": ("<b>one</b>\r\nx\u00a0&amp;", _HOSTILE)}


def _hostile_redline(red):
    """The redline with hostile names, numbers and statuses everywhere, the statuses cycling
    through every one (a status outside them too) and some clauses on one side only."""
    statuses = ["moved", "removed", "changed", "added", "unchanged", _HOSTILE]

    def hostile(clause, index):
        return replace(clause, id=f"{clause.id}{_HOSTILE}{index}", title=clause.title + _HOSTILE, number=_HOSTILE)

    sections = []
    for index, section in enumerate(red.sections):
        clauses = []
        for at, c in enumerate(section.clauses):
            old = None if at % 4 == 1 else c.old or c.new
            new = None if at % 4 == 2 else c.new or c.old
            old = old and replace(old, title=old.title + " (old)")
            status = statuses[(index + at) % len(statuses)]
            clauses.append(
                replace(
                    c, id=c.id + _HOSTILE, status=status, old=old and hostile(old, at), new=new and hostile(new, at)
                )
            )
        status = ["present", "added", "removed", _HOSTILE][index % 4]
        sections.append(
            replace(section, title=section.title + _HOSTILE, number=_HOSTILE, status=status, clauses=tuple(clauses))
        )
    license_ = {**red.new.spec["license"], "name": _HOSTILE, "version": _HOSTILE}
    return replace(red, sections=tuple(sections), new=replace(red.new, spec={**red.new.spec, "license": license_}))


def _redline_cases():
    all_presets = presets()
    for first in all_presets.values():
        for second in all_presets.values():
            yield f"{first.slug} -> {second.slug}", *compare(first.spec, second.spec)
    choices, red = compare(
        make_spec(), make_spec(**{"derivatives.distillation": "prohibited", "licensor.name": 'B & "C" <i>'})
    )
    hostile = _hostile_redline(red)
    affected = (*[c.id for c in hostile.clauses()[:3]], "no.such" + _HOSTILE)
    choices = [*choices, ChoiceChange("x", _HOSTILE, _HOSTILE, "", affected, _HOSTILE)]
    yield "hostile", choices, hostile


def test_the_html_redline_is_byte_for_byte_as_recorded():
    digests = {}
    for name, choices, red in _redline_cases():
        for view in ("inline", "side_by_side"):
            for blocks in (("header", "choices", "text"), ("text",)):
                for labels_name, labels in _LABELS.items():
                    html = redline_html(red, choices, view, labels=labels, blocks=blocks)
                    key = f"{name} | {view} | {'+'.join(blocks)} | labels {labels_name}"
                    digests[key] = hashlib.sha256(html.encode()).hexdigest()
                    assert sanitize(html) == html, key
    if os.environ.get("UPDATE_GOLDEN"):
        REDLINE_DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    recorded = json.loads(REDLINE_DIGESTS.read_text(encoding="utf-8"))
    assert sorted(digests) == sorted(recorded)
    assert [key for key in digests if digests[key] != recorded[key]] == []


_items = st.lists(st.integers(0, 4), max_size=40)


@settings(max_examples=400, deadline=None)
@given(_items, _items, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6), _items), max_size=4))
def test_the_matcher_finds_the_blocks_difflib_finds(a, other, edits):
    """Of the longest common runs, the first in the old text and then the first in the new: the
    same opcodes as difflib's matcher, whether the new text is an edit of the old or unrelated."""
    edited = list(a)
    for at, cut, inserted in edits:
        edited[at : at + cut] = inserted
    for b in (other, edited):
        expected = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        assert match.opcodes(a, b) == expected
        assert match.opcodes("".join(map(chr, a)), "".join(map(chr, b))) == expected


def _word_diff_as_specified(old, new):
    """The word diff read plainly: both texts cut into tokens, the tokens they start and end with
    in common set aside, the rest through difflib's matcher, and an equal run of at most one word
    (three tokens) between two changes part of the change around it."""
    token = re.compile(r"\\.|\s+|\w+|[^\w\s]")
    a, b = token.findall(old), token.findall(new)
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    matcher = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
    opcodes = [("equal", 0, head, 0, head)] if head else []
    opcodes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    if tail:
        opcodes.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    blocks = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        inner = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (inner and i2 - i1 <= 3 and len(re.findall(r"\w+", old_part)) <= 1):
            blocks.append([("equal", old_part)])
        elif blocks and blocks[-1][0][0] != "equal":
            blocks[-1] = [("delete", blocks[-1][0][1] + old_part), ("insert", blocks[-1][1][1] + new_part)]
        else:
            blocks.append([("delete", old_part), ("insert", new_part)])
    out = []
    for op, text in (segment for block in blocks for segment in block if segment[1]):
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))
    return tuple(out)


_text = st.text(st.sampled_from([" ", " ", "a", "b", "\\", "\n", "-", "é", "\t", "\u00a0", "_", "1", "."]), max_size=60)


@settings(max_examples=500, deadline=None)
@given(_text, _text, _text, _text)
def test_the_word_diff_is_the_plain_one_however_much_the_texts_share(head, old, new, tail):
    """The shared start and end of two texts are not cut into tokens (a token ends at a space
    before a word whatever came before it); the segments are those of the plain word diff."""
    old, new = head + old + tail, head + new + tail
    assert word_diff(old, new) == _word_diff_as_specified(old, new)


# -- the command line ---------------------------------------------------------------------------


def _write_specs(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(make_spec()))
    new.write_text(json.dumps(make_spec(**{"derivatives.distillation": "prohibited"})))
    return old, new


def test_cli_diff_prints_the_choices_and_the_redline(tmp_path):
    old, new = _write_specs(tmp_path)
    out = run("diff", old, new)
    assert out.returncode == 0, out.stderr
    assert "- Distillation: share-alike → prohibited" in out.stdout
    assert "{+" in out.stdout and "[-" in out.stdout


def test_cli_diff_writes_html_and_pdf(tmp_path):
    old, new = _write_specs(tmp_path)
    out = run("diff", old, new, "--format", "html", "--view", "side_by_side")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("<!DOCTYPE html>") and "<del>" in out.stdout
    refused = run("diff", old, new, "--format", "pdf")
    assert refused.returncode == 2
    assert "-o: a PDF needs an output file" in refused.stderr
    target = tmp_path / "redline.pdf"
    out = run("diff", old, new, "--format", "pdf", "-o", target)
    assert out.returncode == 0, out.stderr
    assert "Distillation: share-alike" in pdf_text(target.read_bytes())


def test_cli_diff_reports_bad_input_without_a_traceback(tmp_path):
    old, _ = _write_specs(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("license: {name: X}\nderivatives: {distillation: maybe}\n")
    missing = run("diff", old, tmp_path / "missing.json")
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"{tmp_path / 'missing.json'}: no such file"
    invalid = run("diff", broken, old)
    assert invalid.returncode == 2
    assert "derivatives.distillation: 'maybe' is not one of" in invalid.stderr
    assert "Traceback" not in invalid.stderr + missing.stderr


def test_presets_compare_cleanly():
    all_presets = list(presets().values())
    for first in all_presets:
        for second in all_presets:
            choices, red = compare(first.spec, second.spec)
            _assert_rebuilds(red)
            assert bool(choices) == (first.spec != second.spec)


_GONE = object()  # an answer not given


def _answers(spec, prefix=""):
    """Each answer of a spec by its dotted path; a list is one answer."""
    if isinstance(spec, dict):
        out = {}
        for key, value in spec.items():
            out.update(_answers(value, f"{prefix}.{key}" if prefix else key))
        return out
    return {prefix: spec}


def _with_answer(spec, path, value):
    """A copy of ``spec`` with the answer at ``path`` set to ``value`` (removed for _GONE)."""
    out = json.loads(json.dumps(spec))
    *parents, last = path.split(".")
    node = out
    for part in parents:
        node = node.setdefault(part, {})
    if value is _GONE:
        node.pop(last, None)
    else:
        node[last] = json.loads(json.dumps(value))
    return out


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(spec_data, spec_data, st.data())
def test_every_clause_that_differs_is_attributed_to_the_one_answer_that_changed(first, other, data):
    """Compared without assembling again, each changed answer is given the clauses it affects from
    what their templates read: none may be missed. Two specs that differ in one answer: every clause
    present on one side only, or whose text differs, is among that answer's clauses."""
    old_answers, other_answers = _answers(first), _answers(other)
    differing = sorted(
        p for p in {*old_answers, *other_answers} if old_answers.get(p, _GONE) != other_answers.get(p, _GONE)
    )
    assume(differing)
    path = data.draw(st.sampled_from(differing), label="answer changed")
    try:
        old, new = specs.validate(first), specs.validate(_with_answer(first, path, other_answers.get(path, _GONE)))
    except specs.SpecError:
        assume(False)
    old_validated, new_validated = _answers(old), _answers(new)
    changed = {
        p for p in {*old_validated, *new_validated} if old_validated.get(p, _GONE) != new_validated.get(p, _GONE)
    }
    assume(changed)
    assert len(changed) == 1, f"changing {path} changed {sorted(changed)}"
    choices, red = compare(old, new)
    affected = set().union(*(change.clauses for change in choices))
    # Present on one side only, or reading differently: other words, or the same words citing
    # another clause (numbers that only follow a renumbering are no difference).
    differ = {c.id for c in red.clauses() if c.status in ("added", "removed", "changed")}
    assert differ - affected == set(), f"changing {path}: clauses that differ but are not attributed to it"
