"""Review for legal teams: a diff of the *choices* and a clause-by-clause redline of the *text*.

Clauses are aligned by their stable ids, never by their numbers, so adding a clause early in the
license does not make every later clause look changed. Cross-references ("Section 6.2") are
compared by the clause they point at; a clause whose text differs only because the clauses it
cites were renumbered is reported unchanged. Inside a changed clause the redline is a word-level
diff whose segments rebuild both texts exactly: ``old_text`` (equal + delete) is the old body and
``new_text`` (equal + insert) the new one.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from . import vocabulary
from .assemble import Clause, Document, assemble
from .library import LibraryError
from .text import md_escape

Status = Literal["added", "removed", "moved", "changed", "unchanged"]
Op = Literal["equal", "insert", "delete"]
Segment = tuple[Op, str]

_TOKEN = re.compile(r"\\.|\s+|\w+|[^\w\s]")  # a Markdown escape stays one token
_CROSS_REF = re.compile(r"\bSections? \d+\.\d+(?:(?:, | and | or | to |–)\d+\.\d+)*")
_NUMBER = re.compile(r"\d+\.\d+")


# -- the choices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceChange:
    """One answer that differs, in words: ``Distillation: share-alike → prohibited``."""

    path: str
    label: str
    old: str
    new: str
    clauses: tuple[str, ...] = ()  # ids of the clauses whose presence or text this change affected
    action: str = ""  # for lists: "added 'Weapons'" — one change per item added or removed

    def __str__(self) -> str:
        return vocabulary.change_line(self.label, self.old, self.new, self.action)


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_leaves(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _set_path(spec: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``spec`` with one answer replaced. Only the dicts along ``path`` are copied: assembling
    never changes a spec, so the rest can be shared with the original."""
    out = dict(spec)
    target = out
    *parents, last = path.split(".")
    for part in parents:
        inner = target.get(part)
        target[part] = dict(inner) if isinstance(inner, dict) else {}
        target = target[part]
    if value is _MISSING:
        target.pop(last, None)
    else:
        target[last] = value
    return out


_MISSING = object()


def _raw_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str, str, Any]]:
    """(path, old words, new words, action, value to try) for each answer that differs."""
    old_leaves, new_leaves = _leaves(old), _leaves(new)
    paths = list(new_leaves) + [p for p in old_leaves if p not in new_leaves]
    out: list[tuple[str, str, str, str, Any]] = []
    for path in paths:
        before, after = old_leaves.get(path, _MISSING), new_leaves.get(path, _MISSING)
        if before == after:
            continue
        old_words = vocabulary.NOT_GIVEN if before is _MISSING else vocabulary.words(path, before)
        new_words = vocabulary.NOT_GIVEN if after is _MISSING else vocabulary.words(path, after)
        if isinstance(before, list) and isinstance(after, list):
            for item in before:
                if item not in after:
                    trial = [v for v in before if v != item]
                    action = f"removed {vocabulary.item_words(path, item)}"
                    out.append((path, old_words, new_words, action, trial))
            for item in after:
                if item not in before:
                    action = f"added {vocabulary.item_words(path, item)}"
                    out.append((path, old_words, new_words, action, [*before, item]))
            if not out or out[-1][0] != path:  # same items, new order
                out.append((path, old_words, new_words, "reordered", after))
            continue
        out.append((path, old_words, new_words, "", after))
    return out


def choice_words(old_spec: dict[str, Any], new_spec: dict[str, Any]) -> list[ChoiceChange]:
    """Each answer that differs, in words, without assembling anything (no affected clauses):
    cheap enough to describe every save."""
    return [
        ChoiceChange(path, vocabulary.label(path), old_words, new_words, (), action)
        for path, old_words, new_words, action, _value in _raw_changes(old_spec, new_spec)
    ]


def choices_diff(
    old_spec: dict[str, Any],
    new_spec: dict[str, Any],
    *,
    old_doc: Document | None = None,
    new_doc: Document | None = None,
    redline_: Redline | None = None,
) -> list[ChoiceChange]:
    """Each answer that differs between two specs, in words, with the clauses it affected.

    A change affects a clause when applying that change alone to the old spec adds, removes or
    rewrites the clause, or when the clause's recorded reasons name the changed answer; only
    clauses that differ between the two documents are listed.
    """
    old_doc = old_doc or assemble(old_spec)
    new_doc = new_doc or assemble(new_spec)
    red = redline_ or redline(old_doc, new_doc)
    differing = [c.id for c in red.clauses() if c.status != "unchanged"]
    # Only clauses that differ between the two documents can be listed, so only they are compared.
    wanted = set(differing)
    old_numbers = _numbers(old_doc)
    old_clauses = {c.id: c for c in old_doc.clauses() if c.id in wanted}
    old_bodies = {cid: (c.title, _normalised(c.body, old_numbers)) for cid, c in old_clauses.items()}
    reasons: dict[str, set[str]] = {}
    for clause in [*old_doc.clauses(), *new_doc.clauses()]:
        reasons.setdefault(clause.id, set()).update(r.path for r in clause.why)

    changes = []
    for path, old_words, new_words, action, trial_value in _raw_changes(old_spec, new_spec):
        touched = {
            cid
            for cid, paths in reasons.items()
            if any(p == path or p.startswith(path + ".") or path.startswith(p + ".") for p in paths)
        }
        try:
            trial = assemble(_set_path(old_spec, path, trial_value))
        except (LibraryError, KeyError, TypeError, ValueError):
            trial = None  # this change cannot stand alone; the recorded reasons must do
        if trial is not None:
            numbers = _numbers(trial)
            same_numbers = numbers == old_numbers
            present = set()
            for clause in trial.clauses():
                if clause.id not in wanted:
                    continue
                present.add(clause.id)
                before = old_clauses.get(clause.id)
                same_words = before is not None and before.title == clause.title and before.body == clause.body
                if same_words and (same_numbers or not _CROSS_REF.search(clause.body)):
                    continue  # the very same words, citing the very same clauses
                if old_bodies.get(clause.id) != (clause.title, _normalised(clause.body, numbers)):
                    touched.add(clause.id)
            touched |= {cid for cid in old_clauses if cid not in present}
        affected = tuple(cid for cid in differing if cid in touched)
        changes.append(ChoiceChange(path, vocabulary.label(path), old_words, new_words, affected, action))
    return changes


# -- the redline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedlineClause:
    id: str
    status: Status
    old: Clause | None
    new: Clause | None
    segments: tuple[Segment, ...]
    renumbered: bool = False

    @property
    def clause(self) -> Clause:
        return self.new or self.old  # type: ignore[return-value]

    @property
    def number(self) -> str:
        return self.clause.number

    @property
    def title(self) -> str:
        return self.clause.title


@dataclass(frozen=True)
class RedlineSection:
    id: str
    title: str
    number: str
    clauses: tuple[RedlineClause, ...]
    status: Literal["present", "added", "removed"] = "present"


@dataclass(frozen=True)
class Redline:
    old: Document
    new: Document
    sections: tuple[RedlineSection, ...] = field(default=())

    def clauses(self) -> list[RedlineClause]:
        return [c for s in self.sections for c in s.clauses]

    def clause(self, clause_id: str) -> RedlineClause | None:
        return next((c for c in self.clauses() if c.id == clause_id), None)

    @property
    def changed(self) -> bool:
        return any(c.status != "unchanged" for c in self.clauses())


def new_text(clause: RedlineClause) -> str:
    return "".join(text for op, text in clause.segments if op != "delete")


def old_text(clause: RedlineClause) -> str:
    return "".join(text for op, text in clause.segments if op != "insert")


def _numbers(doc: Document) -> dict[str, str]:
    return {c.number: c.id for c in doc.clauses()}


def _normalised(body: str, numbers: dict[str, str]) -> str:
    """The body with each cross-referenced number replaced by the id of the clause it cites."""

    def each(match: re.Match[str]) -> str:
        return _NUMBER.sub(lambda m: "\x00" + numbers.get(m.group(0), m.group(0)) + "\x00", match.group(0))

    return _CROSS_REF.sub(each, body)


@lru_cache(maxsize=4096)
def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments that rebuild ``old`` (equal + delete) and ``new`` (equal + insert)."""
    if old == new:
        return (("equal", new),) if new else ()
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    # The common head and tail need no matching; the matcher is quadratic in what remains.
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    out: list[Segment] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    middle = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
    opcodes = [("equal", 0, head, 0, head)] if head else []
    opcodes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle.get_opcodes()]
    if tail:
        opcodes.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    # Words that merely happen to match inside a rewritten passage ("in", "or", a space) read
    # better as part of the rewrite: fold an equal run of at most one word between two changes.
    blocks: list[tuple[str, str, str]] = []  # (kind, old text, new text)
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        inner = 0 < index < len(opcodes) - 1
        if tag == "equal" and not (inner and len(re.findall(r"\w+", old_part)) <= 1 and len(a[i1:i2]) <= 3):
            blocks.append(("equal", old_part, new_part))
        elif blocks and blocks[-1][0] == "change":
            blocks[-1] = ("change", blocks[-1][1] + old_part, blocks[-1][2] + new_part)
        else:
            blocks.append(("change", old_part, new_part))
    for kind, old_part, new_part in blocks:
        if kind == "equal":
            add("equal", old_part)
        else:
            add("delete", old_part)
            add("insert", new_part)
    return tuple(out)


def _in_order(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids of the common clauses that keep their relative order (a longest common subsequence)."""
    matcher = difflib.SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    return {cid for block in matcher.get_matching_blocks() for cid in old_ids[block.a : block.a + block.size]}


def redline(old_doc: Document, new_doc: Document) -> Redline:
    """Clauses of two documents aligned by id, in the new document's order, with removed
    clauses kept where they were."""
    old_by_id = {c.id: c for c in old_doc.clauses()}
    new_by_id = {c.id: c for c in new_doc.clauses()}
    old_numbers, new_numbers = _numbers(old_doc), _numbers(new_doc)
    common_old = [cid for cid in old_by_id if cid in new_by_id]
    common_new = [cid for cid in new_by_id if cid in old_by_id]
    kept_order = _in_order(common_old, common_new)

    def entry(cid: str) -> RedlineClause:
        old, new = old_by_id.get(cid), new_by_id.get(cid)
        if old is None:
            return RedlineClause(cid, "added", None, new, word_diff("", new.body))  # type: ignore[union-attr]
        if new is None:
            return RedlineClause(cid, "removed", old, None, word_diff(old.body, ""))
        segments = word_diff(old.body, new.body)
        same = old.title == new.title and _normalised(old.body, old_numbers) == _normalised(new.body, new_numbers)
        status: Status
        if not same:
            status = "changed"
        elif old.section != new.section or cid not in kept_order:
            status = "moved"
        else:
            status = "unchanged"
        return RedlineClause(cid, status, old, new, segments, renumbered=old.number != new.number)

    # Sections: the new document's order, sections that disappeared after their old predecessor.
    section_ids = [s.id for s in new_doc.sections]
    for index, section in enumerate(old_doc.sections):
        if section.id not in section_ids:
            before = [s.id for s in old_doc.sections[:index] if s.id in section_ids]
            section_ids.insert(section_ids.index(before[-1]) + 1 if before else 0, section.id)
    old_sections = {s.id: s for s in old_doc.sections}
    new_sections = {s.id: s for s in new_doc.sections}

    sections = []
    for sid in section_ids:
        ids = [c.id for c in new_sections[sid].clauses] if sid in new_sections else []
        if sid in old_sections:
            old_ids = [c.id for c in old_sections[sid].clauses]
            for index, cid in enumerate(old_ids):
                if cid in new_by_id:
                    continue
                before = [p for p in old_ids[:index] if p in ids]
                ids.insert(ids.index(before[-1]) + 1 if before else 0, cid)
        source = new_sections.get(sid) or old_sections[sid]
        status: Literal["present", "added", "removed"] = (
            "present" if sid in new_sections and sid in old_sections else "added" if sid in new_sections else "removed"
        )
        sections.append(RedlineSection(sid, source.title, source.number, tuple(entry(cid) for cid in ids), status))
    return Redline(old_doc, new_doc, tuple(sections))


def compare(old_spec: dict[str, Any], new_spec: dict[str, Any]) -> tuple[list[ChoiceChange], Redline]:
    """The choices diff and the redline of two specs, each document assembled once."""
    old_doc, new_doc = assemble(old_spec), assemble(new_spec)
    red = redline(old_doc, new_doc)
    return choices_diff(old_spec, new_spec, old_doc=old_doc, new_doc=new_doc, redline_=red), red


# -- rendering ------------------------------------------------------------------------------------


def _where(red: Redline, cid: str) -> str:
    clause = red.clause(cid)
    return f"{clause.number} {clause.title}" if clause else cid


def status_words(c: RedlineClause) -> str:
    if c.status == "moved":
        return f"moved from {c.old.number}" if c.old else "moved"  # type: ignore[union-attr]
    if c.status == "removed":
        return "removed"
    if c.status == "changed" and c.old and c.new and c.old.title != c.new.title:
        return f"changed (was “{c.old.title}”)"
    return c.status


def _unchanged_note(run: list[RedlineClause]) -> str:
    span = run[0].number if len(run) == 1 else f"{run[0].number}–{run[-1].number}"
    return f"{len(run)} unchanged clause{'' if len(run) == 1 else 's'} ({span})"


def _groups(section: RedlineSection) -> list[RedlineClause | list[RedlineClause]]:
    """Clauses of a section with runs of unchanged clauses collapsed into lists."""
    out: list[RedlineClause | list[RedlineClause]] = []
    for clause in section.clauses:
        if clause.status == "unchanged":
            if out and isinstance(out[-1], list):
                out[-1].append(clause)
            else:
                out.append([clause])
        else:
            out.append(clause)
    return out


def _heading(red: Redline, labels: tuple[str, str] | None = None) -> str:
    """What is compared with what: the licenses, and where each text comes from when known."""
    old, new = f"{red.old.title} {red.old.version}", f"{red.new.title} {red.new.version}"
    if labels is None:
        return f"{old} → {new}"
    if old == new:
        return f"{new}: {labels[0]} → {labels[1]}"
    return f"{old} ({labels[0]}) → {new} ({labels[1]})"


_MD_MARKS = {"equal": ("", ""), "insert": ("{+", "+}"), "delete": ("[-", "-]")}


def redline_markdown(red: Redline, choices: list[ChoiceChange], *, labels: tuple[str, str] | None = None) -> str:
    """The redline as Markdown-like text, marked the way ``git diff --word-diff`` marks words.

    Marking convention:
    - ``{+text+}`` was inserted, ``[-text-]`` was deleted; everything else is unchanged text;
    - an added clause is one insertion, a removed clause one deletion;
    - runs of unchanged clauses are collapsed into a line "N unchanged clauses (from-to)";
      a clause whose text differs only in the numbers of the sections it cites is unchanged;
    - numbers are those of the new license; removed clauses carry their old number;
    - the license text keeps its own Markdown (``**Defined Term**``, backslash escapes); names
      and answers in the title and the list of choices are escaped, so they stay text.
    """
    lines = [f"# Redline: {md_escape(_heading(red, labels))}", ""]
    lines.append(
        "Marking: {+inserted+} · [-deleted-] · runs of unchanged clauses are collapsed. "
        "Inserted text is between {+ and +}, deleted text between [- and -]; "
        "everything else is unchanged."
    )
    lines += ["", "## Changes to the choices", ""]
    if not choices:
        lines.append("No answer changed.")
    for change in choices:
        affected = ", ".join(_where(red, cid) for cid in change.clauses)
        lines.append(f"- {md_escape(str(change))}" + (f" (clauses: {affected})" if affected else ""))
    lines += ["", "## Changes to the text", ""]
    if not red.changed:
        lines += [f"No clause changed ({len(red.clauses())} unchanged clauses).", ""]
        return "\n".join(lines)
    for section in red.sections:
        suffix = f" — section {section.status}" if section.status != "present" else ""
        lines += [f"### {section.number}. {section.title}{suffix}", ""]
        for group in _groups(section):
            if isinstance(group, list):
                lines += [f"_{_unchanged_note(group)}_", ""]
                continue
            lines += [f"#### {group.number} {group.title} — {status_words(group)}", ""]
            body = "".join(f"{_MD_MARKS[op][0]}{text}{_MD_MARKS[op][1]}" for op, text in group.segments)
            lines += [body, ""]
    return "\n".join(lines)


# Private-use characters that mark where an insertion or a deletion starts and ends while the
# marked Markdown goes through the Markdown renderer; text never contains them (see _plain).
_MARKS = {"insert": ("\ue000", "\ue001"), "delete": ("\ue002", "\ue003")}
_MARK_CHARS = re.compile("[\ue000-\ue003]")
_MARK_TAGS = {"\ue000": "ins", "\ue002": "del"}
_HTML_PARTS = re.compile(r"(<[^>]*>|[\ue000-\ue003])")
# What opens a block at the start of a line (list item, heading, quote): a mark goes after it.
_BETWEEN_BLOCKS = re.compile(r"(</?(?:p|ul|ol|li|h\d|blockquote)>)\n+(?=<)")
_BLOCK_PREFIX = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+)*")


def _plain(text: str) -> str:
    return _MARK_CHARS.sub("\ufffd", text)


def _marked_markdown(segments: tuple[Segment, ...], keep: tuple[str, ...]) -> str:
    """The Markdown of the kept segments with each insertion or deletion wrapped in marks, line
    by line, so that no mark spans two blocks and none hides the start of a block."""
    out: list[str] = []
    at_line_start = True
    for op, text in segments:
        if op not in keep:
            continue
        text = _plain(text)
        if op == "equal":
            out.append(text)
        else:
            opening, closing = _MARKS[op]
            for index, line in enumerate(text.split("\n")):
                if index:
                    out.append("\n")
                    at_line_start = True
                prefix = _BLOCK_PREFIX.match(line).group(0) if at_line_start else ""  # type: ignore[union-attr]
                content = line[len(prefix) :]
                out.append(prefix + (f"{opening}{content}{closing}" if content.strip() else content))
                at_line_start = False
        if text:
            at_line_start = text.endswith("\n")
    return "".join(out)


def _marks_to_tags(rendered: str) -> str:
    """Marks turned into ``<ins>``/``<del>`` around text only: a change that starts inside bold
    text and ends after it becomes two runs, so the tags always nest."""
    out: list[str] = []
    tag = ""  # "ins" or "del" while inside a change
    for part in _HTML_PARTS.split(rendered):
        if not part:
            continue
        if part in _MARK_TAGS:
            tag = _MARK_TAGS[part]
        elif len(part) == 1 and _MARK_CHARS.match(part):
            tag = ""
        elif part.startswith("<") or not tag or not part.strip():
            out.append(part)
        else:
            out.append(f"<{tag}>{part}</{tag}>")
    return "".join(out)


@lru_cache(maxsize=4096)
def segments_html(segments: tuple[Segment, ...], keep: tuple[str, ...] = ("equal", "insert", "delete")) -> str:
    """The kept segments as formatted HTML, through the same Markdown renderer as the license
    itself, with inserted text in ``<ins>`` and deleted text in ``<del>``; sanitised.

    ``keep=("equal", "delete")`` gives the old text, ``("equal", "insert")`` the new one."""
    from .render.html import markdown_to_html, sanitize

    rendered = _marks_to_tags(markdown_to_html(_marked_markdown(segments, keep)))
    # No line breaks between blocks, so that a container with ``white-space: pre-wrap`` adds no gaps.
    return sanitize(_BETWEEN_BLOCKS.sub(r"\1", rendered))


def _marked(segments: tuple[Segment, ...], keep: tuple[str, ...] = ("equal", "insert", "delete")) -> str:
    return segments_html(tuple(segments), keep)


def _clause_link(red: Redline, cid: str) -> str:
    clause = red.clause(cid)
    if clause is None:
        return html.escape(cid)
    return f'<a href="#{html.escape(clause.clause.anchor)}">{html.escape(_where(red, cid))}</a>'


def _choices_html(red: Redline, choices: list[ChoiceChange]) -> str:
    if not choices:
        return '<section class="redline-choices"><h2>Changes to the choices</h2><p>No answer changed.</p></section>'
    items = []
    for change in choices:
        affected = ", ".join(_clause_link(red, cid) for cid in change.clauses)
        note = f' <span class="redline-affects">(clauses: {affected})</span>' if affected else ""
        items.append(f"<li>{html.escape(str(change))}{note}</li>")
    return f'<section class="redline-choices"><h2>Changes to the choices</h2><ul>{"".join(items)}</ul></section>'


def redline_html(
    red: Redline, choices: list[ChoiceChange], view: str = "inline", *, labels: tuple[str, str] | None = None
) -> str:
    """An HTML fragment: the choices, then the text with ``<ins>``/``<del>``, sanitised."""
    from .render.html import sanitize

    if view not in ("inline", "side_by_side"):
        raise ValueError(f"view: {view!r} is not one of inline, side_by_side")
    parts = [
        f'<article class="redline redline-{view}" lang="en">',
        f"<header><h1>Redline: {html.escape(_heading(red, labels))}</h1>"
        '<p class="redline-legend">Inserted text is <ins>underlined</ins>, deleted text '
        "<del>struck through</del>; runs of unchanged clauses are collapsed.</p></header>",
        _choices_html(red, choices),
        '<section class="redline-text"><h2>Changes to the text</h2>',
    ]
    if not red.changed:
        parts.append(f"<p>No clause changed ({len(red.clauses())} unchanged clauses).</p>")
    else:
        for section in red.sections:
            suffix = f" — section {section.status}" if section.status != "present" else ""
            parts.append(
                f'<section class="redline-section redline-section-{section.status}">'
                f"<h3>{html.escape(section.number)}. {html.escape(section.title)}{html.escape(suffix)}</h3>"
            )
            parts.append(_section_inline(section) if view == "inline" else _section_table(section))
            parts.append("</section>")
    parts += ["</section>", "</article>"]
    return sanitize("\n".join(parts))


def _clause_heading(c: RedlineClause, tag: str = "h4") -> str:
    return (
        f"<{tag}>{html.escape(c.number)} {html.escape(c.title)} "
        f'<span class="redline-status">{html.escape(status_words(c))}</span></{tag}>'
    )


def _section_inline(section: RedlineSection) -> str:
    out = []
    for group in _groups(section):
        if isinstance(group, list):
            out.append(f'<p class="redline-unchanged">{html.escape(_unchanged_note(group))}</p>')
            continue
        out.append(
            f'<div class="redline-clause redline-{group.status}" id="{html.escape(group.clause.anchor)}" '
            f'data-clause-id="{html.escape(group.id)}">'
            f'{_clause_heading(group)}<div class="redline-body">{_marked(group.segments)}</div></div>'
        )
    return "".join(out)


def _section_table(section: RedlineSection) -> str:
    if all(c.status == "unchanged" for c in section.clauses):
        # Nothing to set side by side: a line, not a table of one row (a page of its own in a PDF).
        return f'<p class="redline-unchanged">{html.escape(_unchanged_note(list(section.clauses)))}</p>'
    rows = ["<table><thead><tr><th>Before</th><th>After</th></tr></thead><tbody>"]
    for group in _groups(section):
        if isinstance(group, list):
            rows.append(
                f'<tr class="redline-unchanged"><td colspan="2">{html.escape(_unchanged_note(group))}</td></tr>'
            )
            continue
        before = _marked(group.segments, ("equal", "delete")) if group.old else ""
        after = _marked(group.segments, ("equal", "insert")) if group.new else ""
        rows.append(
            f'<tr class="redline-clause redline-{group.status}" id="{html.escape(group.clause.anchor)}" '
            f'data-clause-id="{html.escape(group.id)}">'
            f'<td colspan="2">{_clause_heading(group, "strong")}</td></tr>'
            f'<tr class="redline-{group.status}"><td><div class="redline-body">{before}</div></td>'
            f'<td><div class="redline-body">{after}</div></td></tr>'
        )
    rows.append("</tbody></table>")
    return "".join(rows)


_CSS = """
body { font: 16px/1.5 Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
ins { background: #dff5df; text-decoration: underline; }
del { background: #fbe0e0; text-decoration: line-through; }
.redline-body p { margin: 0 0 .6em; }
.redline-status, .redline-affects, .redline-unchanged { color: #555; font-style: italic; font-size: .9em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border: 1px solid #ccc; padding: .4rem; vertical-align: top; text-align: left; }
"""


def redline_page(
    red: Redline,
    choices: list[ChoiceChange],
    view: str = "inline",
    *,
    print_css: bool = False,
    labels: tuple[str, str] | None = None,
) -> str:
    """A standalone HTML page with the redline and its own CSS."""
    link = '<link rel="stylesheet" href="license/print.css">\n' if print_css else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Redline: {html.escape(_heading(red, labels))}</title>\n{link}<style>{_CSS}</style>\n</head>\n<body>\n"
        f"{redline_html(red, choices, view, labels=labels)}\n</body>\n</html>\n"
    )


def redline_pdf(
    red: Redline,
    choices: list[ChoiceChange],
    view: str = "inline",
    paper: str = "a4",
    *,
    labels: tuple[str, str] | None = None,
) -> bytes:
    from .render.pdf import write_pdf

    return write_pdf(redline_page(red, choices, view, print_css=True, labels=labels), paper=paper)
