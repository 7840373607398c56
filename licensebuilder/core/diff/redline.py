"""The redline: two documents' clauses aligned by id, each with a word-level diff.

Clauses are aligned by their stable ids, never by their numbers, so adding a clause early in the
license does not make every later clause look changed. Cross-references ("Section 6.2") are
compared by the clause they point at; a clause whose text differs only because the clauses it
cites were renumbered is reported unchanged. Inside a changed clause the redline is a word-level
diff whose segments rebuild both texts exactly: ``old_text`` (equal + delete) is the old body and
``new_text`` (equal + insert) the new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from .. import cache
from ..document import Clause, Document
from .match import common_head, encoded, matching_blocks, opcodes

Status = Literal["added", "removed", "moved", "changed", "unchanged"]
Op = Literal["equal", "insert", "delete"]
Segment = tuple[Op, str]

_TOKEN = re.compile(r"\\.|\s+|\w+|[^\w\s]")  # a Markdown escape stays one token
# A citation of numbered clauses. One in quotation marks is an example of the notation, not a
# citation (general.interpretation: 'such as "Section 6.2"'): whatever clause has that number, the
# text reads the same.
_CROSS_REF = re.compile(r"(?<![\"“])\bSections? \d+\.\d+(?:(?:, | and | or | to |–)\d+\.\d+)*")
_NUMBER = re.compile(r"\d+\.\d+")
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


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

    @property
    def changed(self) -> bool:
        return any(c.status != "unchanged" for c in self.clauses)


@dataclass(frozen=True)
class Redline:
    old: Document
    new: Document
    sections: tuple[RedlineSection, ...] = field(default=())

    def clauses(self) -> list[RedlineClause]:
        return [c for s in self.sections for c in s.clauses]

    def clause(self, clause_id: str) -> RedlineClause | None:
        return self._by_id.get(clause_id)

    @cached_property
    def _by_id(self) -> dict[str, RedlineClause]:
        return {c.id: c for c in self.clauses()}

    @property
    def changed(self) -> bool:
        return any(s.changed for s in self.sections)


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


def _cited(body: str) -> list[str]:
    """The numbers of the sections a body cites, in order."""
    return [number for ref in _CROSS_REF.findall(body) for number in _NUMBER.findall(ref)]


def _reads_the_same(old: Clause, new: Clause, old_numbers: dict[str, str], new_numbers: dict[str, str]) -> bool:
    """Whether two versions of a clause read the same, each section they cite compared by the
    clause it points at: their bodies :func:`_normalised` are equal, worked out without
    normalising where the bodies cite nothing, or are the same text."""
    if old.title != new.title:
        return False
    if "Section" not in old.body and "Section" not in new.body:
        return old.body == new.body
    if old.body == new.body:
        return all(old_numbers.get(n, n) == new_numbers.get(n, n) for n in _cited(old.body))
    return _normalised(old.body, old_numbers) == _normalised(new.body, new_numbers)


def _cached_word_diff(old: str, new: str) -> tuple[Segment, ...]:
    hit = cache.word_diffs.get((old, new))
    return hit if hit is not None else cache.word_diffs.put((old, new), word_diff(old, new))


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments that rebuild ``old`` (equal + delete) and ``new`` (equal + insert)."""
    if old == new:
        return (("equal", new),) if new else ()
    if not old or not new:
        return (("insert", new),) if new else (("delete", old),)
    # What the texts share at their start and end is not even cut into tokens (see _same_ends).
    start, old_end, new_end = _same_ends(old, new)
    a, b = _TOKEN.findall(old, start, old_end), _TOKEN.findall(new, start, new_end)
    code_a, code_b = encoded(a, b)  # one character a token
    # The common head and tail need no matching; the matcher is quadratic in what remains.
    head = common_head(code_a, code_b)
    tail = common_head(code_a[head:][::-1], code_b[head:][::-1])
    # (kind, old text, new text, tokens of the old text) for the head, each opcode and the tail.
    parts: list[tuple[str, str, str, int]] = []
    if start or head:
        parts.append(("equal", old[:start] + "".join(a[:head]), "", head))
    for tag, i1, i2, j1, j2 in _opcodes(a, b, code_a[head : len(a) - tail], code_b[head : len(b) - tail], head, head):
        parts.append((tag, "".join(a[i1:i2]), "".join(b[j1:j2]), i2 - i1))
    if tail or old_end < len(old):
        parts.append(("equal", "".join(a[len(a) - tail :]) + old[old_end:], "", tail))
    out: list[Segment] = []

    def add(op: Op, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    # Words that merely happen to match inside a rewritten passage ("in", "or", a space) read
    # better as part of the rewrite: fold an equal run of at most one word between two changes.
    blocks: list[tuple[str, str, str]] = []  # (kind, old text, new text)
    last = len(parts) - 1
    for index, (tag, old_part, new_part, tokens) in enumerate(parts):
        inner = 0 < index < last
        if tag == "equal" and not (inner and tokens <= 3 and len(_WORD.findall(old_part)) <= 1):
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


# How many spaces _same_ends looks at for one followed by a word, before it settles for less.
_TRIES = 8


def _same_ends(old: str, new: str) -> tuple[int, int, int]:
    """``(start, old_end, new_end)``: the two texts' tokens before ``start`` are the same, and so
    are those of ``old[old_end:]`` and ``new[new_end:]``. Each is where a word starts after a
    space, among the characters the texts share at their start or at their end: whatever came
    before, a token ends with that space and the word starts the next, and the same characters
    from there on are cut into the same tokens. Where there is no such place, the whole text is
    cut into tokens."""
    same_start = common_head(old, new)
    same_end = min(common_head(old[::-1], new[::-1]), min(len(old), len(new)) - same_start)
    start, space = 0, same_start - 1  # a space before the last shared character
    for _ in range(_TRIES):
        space = old.rfind(" ", 0, space) if space > 0 else -1
        if space < 0:
            break
        if _WORD_CHAR.match(old, space + 1):
            start = space + 1
            break
    old_end, space = len(old), len(old) - same_end - 1
    for _ in range(_TRIES):
        space = old.find(" ", space + 1)
        if space < 0 or space + 1 >= len(old):
            break
        if _WORD_CHAR.match(old, space + 1):
            old_end = space + 1
            break
    return start, old_end, old_end + len(new) - len(old)


# Above this many token pairs, two passages are aligned word by word first (see ``_opcodes``).
_LONG = 20_000


def _opcodes(
    tokens_a: list[str], tokens_b: list[str], a: str, b: str, at_a: int, at_b: int
) -> list[tuple[str, int, int, int, int]]:
    """The matcher's opcodes for two runs of tokens (``a`` and ``b``, one character a token, the
    runs of ``tokens_a`` and ``tokens_b`` that start at ``at_a`` and ``at_b``), offset to where
    they start. The matcher is quadratic in what it compares, and a clause rewritten at length (a
    policy's variant for another's) is hundreds of tokens a side, a third of them spaces: such
    passages are first aligned by words, each with the spaces after it, and only the runs that
    differ are then aligned token by token. What is unchanged is found either way; a change may
    start before a space instead of after it."""
    if len(a) * len(b) <= _LONG:
        return _fine_opcodes(a, b, at_a, at_b)
    words_a, starts_a = _words(tokens_a[at_a : at_a + len(a)])
    words_b, starts_b = _words(tokens_b[at_b : at_b + len(b)])
    out: list[tuple[str, int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in opcodes(words_a, words_b):
        a1, a2, b1, b2 = starts_a[i1], starts_a[i2], starts_b[j1], starts_b[j2]
        if tag == "equal":
            out.append(("equal", a1 + at_a, a2 + at_a, b1 + at_b, b2 + at_b))
            continue
        # A differing run, aligned token by token; one with no word in common that is long
        # itself has only spaces and stops in common, and is rewritten as a whole.
        if (a2 - a1) * (b2 - b1) > _LONG:
            out.append((tag, a1 + at_a, a2 + at_a, b1 + at_b, b2 + at_b))
            continue
        for op in _fine_opcodes(a[a1:a2], b[b1:b2], a1 + at_a, b1 + at_b):
            if out and out[-1][0] == op[0] == "equal":
                out[-1] = ("equal", out[-1][1], op[2], out[-1][3], op[4])
            else:
                out.append(op)
    return out


def _fine_opcodes(a: str, b: str, at_a: int, at_b: int) -> list[tuple[str, int, int, int, int]]:
    return [(tag, i1 + at_a, i2 + at_a, j1 + at_b, j2 + at_b) for tag, i1, i2, j1, j2 in opcodes(a, b)]


def _words(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Each token with the spaces after it, and where each such word starts (and the end)."""
    words: list[str] = []
    starts: list[int] = []
    for index, token in enumerate(tokens):
        if words and token.isspace() and not words[-1].isspace():
            words[-1] += token
        else:
            words.append(token)
            starts.append(index)
    starts.append(len(tokens))
    return words, starts


def _in_order(old_ids: list[str], new_ids: list[str]) -> set[str]:
    """Ids of the common clauses that keep their relative order (a longest common subsequence)."""
    return {cid for i, _j, size in matching_blocks(old_ids, new_ids) for cid in old_ids[i : i + size]}


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
            return RedlineClause(cid, "added", None, new, _cached_word_diff("", new.body))  # type: ignore[union-attr]
        if new is None:
            return RedlineClause(cid, "removed", old, None, _cached_word_diff(old.body, ""))
        segments = _cached_word_diff(old.body, new.body)
        status: Status
        if not _reads_the_same(old, new, old_numbers, new_numbers):
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
