"""The redline on paper: every page carries clause text, a clause is cut across pages only when it
is long and never under its heading, and nothing is set side by side that has only one side.

Read as a reviewer reads the PDF: the text of each page, in the order it is printed."""

import html
import io
import itertools
import re
from functools import cache

import pikepdf
import pytest

from licensebuilder.core.diff import compare, redline_html, redline_pdf, segments_html
from licensebuilder.core.diff.html import ALL, NEW, OLD
from licensebuilder.core.diff.present import status_words, unchanged_note
from licensebuilder.core.presets import presets
from tests.helpers import pdf_reader, pdf_structure_types

VIEWS = ["inline", "side_by_side"]


def _squeeze(text: str) -> str:
    """Text without white space: lines wrap differently on paper than in the source."""
    return re.sub(r"\s+", "", text)


def _plain(fragment: str) -> str:
    return _squeeze(html.unescape(re.sub(r"<[^>]+>", "", fragment)))


@cache
def _redline(old: str, new: str):
    everything = presets()
    return compare(everything[old].spec, everything[new].spec)


@cache
def _most_different_pair() -> tuple[str, str]:
    """The two presets whose texts differ in the most clauses: the longest redline there is."""

    def changed(pair):
        return sum(c.status != "unchanged" for c in _redline(*pair)[1].clauses())

    return max(itertools.combinations(sorted(presets()), 2), key=changed)


@cache
def _pdf(old: str, new: str, view: str) -> bytes:
    choices, red = _redline(old, new)
    return redline_pdf(red, choices, view)


@cache
def _pages(old: str, new: str, view: str) -> tuple[str, ...]:
    """The text of each page of the redline's PDF."""
    return tuple(_squeeze(page.extract_text()) for page in pdf_reader(_pdf(old, new, view)).pages)


def _layout(red, clause, view):
    """A section added or removed whole reads inline whatever the view: it has one side only."""
    section = next(s for s in red.sections if clause in s.clauses)
    return view if section.status == "present" else "inline"


def _headings(red, clause, view) -> list[str]:
    """How the clause's heading reads on paper: once inline, on each side when side by side."""
    if _layout(red, clause, view) == "inline":
        return [f"{clause.number} {clause.title} {status_words(clause)}"]
    sides = (("Before", clause.old), ("After", clause.new))
    return [f"{label}: {side.number} {side.title}" for label, side in sides if side]


def _furniture(red) -> list[str]:
    """What a page may hold besides the license's text: headings and the lines that count
    unchanged clauses, longest first."""
    lines = ["Before: —", "After: —"]  # the side of a clause added or removed
    for section in red.sections:
        lines.append(f"{section.number}. {section.title} — section {section.status}")
        lines.append(f"{section.number}. {section.title}")
        clauses = list(section.clauses)
        for clause in clauses:
            lines += _headings(red, clause, "inline") + _headings(red, clause, "side_by_side")
            lines.append(status_words(clause))
        for start, end in itertools.combinations(range(len(clauses) + 1), 2):
            if all(c.status == "unchanged" for c in clauses[start:end]):
                lines.append(unchanged_note(clauses[start:end]))
    return sorted({_squeeze(line) for line in lines}, key=len, reverse=True)


def _pages_with_only_headings(red, pages) -> list[str]:
    furniture = _furniture(red)
    empty = []
    for number, text in enumerate(pages, start=1):
        text = re.sub(r"Page\d+of\d+", "", text)
        for line in furniture:
            text = text.replace(line, "")
        if len(text) < 80:  # not a line of clause text
            empty.append(f"page {number} of {len(pages)}: {pages[number - 1][:160]!r}")
    return empty


def _clauses_cut_badly(red, pages, view) -> tuple[list[str], list[str]]:
    """(clauses cut across pages, those of them cut although short or cut from their heading)."""
    first = next(n for n, page in enumerate(pages) if "Changestothetext" in page)
    # From "Changes to the text" on: the list of changed choices names clauses too.
    pages = ["" for _ in pages[:first]] + [pages[first].split("Changestothetext", 1)[1], *pages[first + 1 :]]
    page_size = sorted(len(page) for page in pages)[len(pages) // 2]  # what a full page holds
    changed = [c for c in red.clauses() if c.status != "unchanged"]
    cut, bad = [], []
    for index, clause in enumerate(changed):
        heading = _squeeze(_headings(red, clause, view)[0])
        found = [(n, page.index(heading)) for n, page in enumerate(pages) if heading in page]
        if not found:
            bad.append(f"{clause.number} {clause.title}: no heading")
            continue
        number, start = found[0]
        following = _squeeze(_headings(red, changed[index + 1], view)[0]) if index + 1 < len(changed) else ""
        end = pages[number].find(following, start + len(heading)) if following else -1
        on_its_page = pages[number][start : end if end > 0 else None]
        keeps = [OLD, NEW] if _layout(red, clause, view) == "side_by_side" else [ALL]
        sides = [side for side in (_plain(segments_html(clause.segments, keep)) for keep in keeps) if side]
        if not all(side[:30] in on_its_page for side in sides):
            bad.append(f"{clause.number} {clause.title}: heading at the foot of page {number + 1}, text on the next")
        elif not all(side[-30:] in on_its_page for side in sides):
            cut.append(clause.number)
            space = len(sides) * max(map(len, sides))  # side by side, the longer side sets the height
            if space < page_size / 2:
                bad.append(
                    f"{clause.number} {clause.title} ({space} characters, a page holds {page_size}) "
                    f"is cut across pages {number + 1} and {number + 2}"
                )
    return cut, bad


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("new", sorted(set(presets()) - {"permissive"}))
def test_every_page_carries_clause_text(new, view):
    """From the permissive preset to each other one: page breaks fall in many places."""
    red = _redline("permissive", new)[1]
    assert _pages_with_only_headings(red, _pages("permissive", new, view)) == []


@pytest.mark.parametrize("view", VIEWS)
def test_a_clause_is_cut_across_pages_only_when_it_is_long_and_never_under_its_heading(view):
    red = _redline(*_most_different_pair())[1]
    pages = _pages(*_most_different_pair(), view)
    assert len(pages) > 10  # long enough for page breaks to fall everywhere
    assert _pages_with_only_headings(red, pages) == []
    cut, bad = _clauses_cut_badly(red, pages, view)
    assert bad == []
    # Long clauses are cut where they fall rather than leaving a page mostly empty; they are few.
    assert len(cut) < len([c for c in red.clauses() if c.status != "unchanged"]) / 4


def test_what_is_set_side_by_side_has_two_sides():
    choices, red = _redline(*_most_different_pair())
    assert any(s.status != "present" for s in red.sections), "the longest redline adds or removes a section"
    page = redline_html(red, choices, "side_by_side")
    for section in red.sections:
        part = page.split(f"<h3>{html.escape(section.number)}. ", 1)[1].split("</section>", 1)[0]
        tables = re.findall(r"<table.*?</table>", part, re.S)
        if section.status != "present":  # added or removed whole: its text across the page
            assert not tables and 'class="redline-body"' in part, section.title
        for table in tables:
            assert _plain(table.split("</thead>", 1)[1]), f"{section.title}: a table with no text"


def test_the_redline_pdf_is_tagged_with_its_language_and_a_structure_tree():
    """For a screen reader: the language, headings, and each clause set side by side a table
    with header cells."""
    pair = _most_different_pair()
    red = _redline(*pair)[1]
    with pikepdf.open(io.BytesIO(_pdf(*pair, "side_by_side"))) as document:
        root = document.Root
        assert str(root.Lang) == "en"
        assert bool(root.MarkInfo.Marked) is True
        types = pdf_structure_types(root.StructTreeRoot.K)
    side_by_side = [c for s in red.sections if s.status == "present" for c in s.clauses if c.status != "unchanged"]
    assert types.count("/H1") == 1 and types.count("/H2") == 2
    assert types.count("/Table") >= len(side_by_side)  # a table cut across pages is one a page
    assert types.count("/TH") >= 2 * len(side_by_side)
