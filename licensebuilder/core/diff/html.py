"""The redline as HTML: a fragment, a page (through the Jinja2 template beside this module) and a PDF.

Clause text goes through the same Markdown renderer as the license itself, with inserted text in
``<ins>`` and deleted text in ``<del>``, sanitised with the same allow-list; every other text of
the fragment is escaped as that allow-list's serialiser writes it.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import cache
from ..document import Clause
from ..render.html import convert, sanitize
from .choices import ChoiceChange
from .present import groups, heading, status_words, unchanged_note, where
from .redline import Redline, RedlineClause, RedlineSection, Segment, new_text, old_text

ALL = ("equal", "insert", "delete")
OLD = ("equal", "delete")
NEW = ("equal", "insert")
BLOCKS = ("header", "choices", "text")

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


def segments_html(segments: tuple[Segment, ...], keep: tuple[str, ...] = ALL) -> str:
    """The kept segments as formatted HTML, through the same Markdown renderer as the license
    itself, with inserted text in ``<ins>`` and deleted text in ``<del>``; sanitised.

    ``keep=("equal", "delete")`` gives the old text, ``("equal", "insert")`` the new one."""
    key = (segments, keep)
    hit = cache.segment_html.get(key)
    if hit is not None:
        return hit
    rendered = _marks_to_tags(convert(_marked_markdown(segments, keep)))
    # No line breaks between blocks, so that a container with ``white-space: pre-wrap`` adds no gaps.
    return cache.segment_html.put(key, sanitize(_BETWEEN_BLOCKS.sub(r"\1", rendered)))


# How much of a printed page a clause takes, told from its text: lines of about this many
# characters (the print stylesheet's type across the page, or in one of the two columns) and a
# line between paragraphs. Measured on the redlines of every pair of presets, A4 and US Letter:
# a clause of at most this many lines fills at most four fifths of a page, which leaves room for
# the headings kept with it.
_CHARS_PER_LINE = {"inline": 90, "side_by_side": 36}
_LINES_KEPT_TOGETHER = 37


def keep_together(clause: RedlineClause, layout: str) -> bool:
    """Whether a clause is short enough to be kept on one page, laid out ``inline`` or
    ``side_by_side``. A longer one starts where it falls and goes on over the next page: pushed
    whole to a new page it would leave the page before it mostly empty, or holding nothing but
    the headings above it."""
    per_line = _CHARS_PER_LINE[layout]
    if layout == "side_by_side":
        sides = [old_text(clause), new_text(clause)]
    else:
        sides = ["".join(text for _op, text in clause.segments)]
    lines = max(sum(len(p) // per_line + 2 for p in side.split("\n\n") if p.strip()) for side in sides)
    return lines <= _LINES_KEPT_TOGETHER


# The fragment is written here rather than through a template: it is most of a compare's time
# otherwise. Every text in it goes through ``_text`` or ``_attr``, which escape it exactly as the
# allow-list's serialiser writes it (``tests/test_diff.py`` holds the fragment to ``sanitize``
# leaving it unchanged); the clause bodies are ``segments_html``, sanitised on their own.


def _text(value: object) -> str:
    """Text as the sanitiser writes it: ``&``, ``<``, ``>`` and no-break spaces escaped, line
    breaks as line feeds, no NUL."""
    text = str(value)
    if "\r" in text or "\x00" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.replace("&", "&amp;").replace("\u00a0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: object) -> str:
    """An attribute's value as the sanitiser writes it: :func:`_text` with ``"`` escaped too."""
    text = str(value)
    if "\r" in text or "\x00" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return _text(text).replace('"', "&quot;")


_LEGEND = (
    '<p class="redline-legend">Inserted text is <ins>underlined</ins>, deleted text <del>struck through</del>; '
    "runs of unchanged clauses are collapsed.</p>"
)


def _header(title: str) -> str:
    return f"<header><h1>Redline: {_text(title)}</h1>{_LEGEND}</header>\n"


def _choices(red: Redline, choices: list[ChoiceChange]) -> str:
    """Each changed answer, with links to the clauses it affects."""
    if not choices:
        return '<section class="redline-choices"><h2>Changes to the choices</h2><p>No answer changed.</p></section>\n'
    items = []
    for change in choices:
        item = f"<li>{_text(change)}"
        if change.clauses:
            links = []
            for cid in change.clauses:
                clause = red.clause(cid)
                links.append(
                    f'<a href="#{_attr(clause.clause.anchor)}">{_text(where(red, cid))}</a>' if clause else _text(cid)
                )
            item += f' <span class="redline-affects">(clauses: {", ".join(links)})</span>'
        items.append(item + "</li>")
    return f'<section class="redline-choices"><h2>Changes to the choices</h2><ul>{"".join(items)}</ul></section>\n'


def _status(c: RedlineClause) -> str:
    return f'<span class="redline-status">{_text(status_words(c))}</span>'


def _opening(c: RedlineClause, tag: str, layout: str) -> str:
    keep = " redline-keep" if keep_together(c, layout) else ""
    return (
        f'<{tag} class="redline-clause redline-{_attr(c.status)}{keep}" id="{_attr(c.clause.anchor)}" '
        f'data-clause-id="{_attr(c.id)}">'
    )


def _body(c: RedlineClause, keep: tuple[str, ...]) -> str:
    return f'<div class="redline-body">{segments_html(c.segments, keep)}</div>'


def _inline(c: RedlineClause) -> str:
    """A changed clause with its marked text."""
    heading = f"<h4>{_text(c.number)} {_text(c.title)} {_status(c)}</h4>"
    return f"{_opening(c, 'div', 'inline')}{heading}{_body(c, ALL)}</div>"


def _side(c: RedlineClause, label: str, side: Clause | None, with_status: bool) -> str:
    """One side's heading of a clause set side by side: its number and title in that text, and
    the status on the side that says it (the new one, or the old one of a clause removed)."""
    where_ = f"{_text(side.number)} {_text(side.title)}" if side else "—"
    return f'<span class="redline-side">{label}:</span> {where_}{" " + _status(c) if with_status else ""}'


def _table(c: RedlineClause) -> str:
    """A changed clause, the old text beside the new: a table of its own whose header row is the
    clause's heading on each side, so that on paper a page break falls between clauses, and a
    clause longer than a page repeats its heading on the next."""
    before = _side(c, "Before", c.old, not c.new)
    after = _side(c, "After", c.new, c.new is not None)
    old = _body(c, OLD) if c.old else ""
    new = _body(c, NEW) if c.new else ""
    return (
        f"{_opening(c, 'table', 'side_by_side')}<thead><tr><th>{before}</th><th>{after}</th></tr></thead>"
        f"<tbody><tr><td>{old}</td><td>{new}</td></tr></tbody></table>"
    )


def _section(section: RedlineSection, view: str) -> str:
    """A section of the text: runs of unchanged clauses as one line, each other clause marked.
    Side by side only where a section has two sides: one added or removed whole is its text
    across the page, not a table with one side empty."""
    unchanged = "" if section.changed else " redline-section-unchanged"
    suffix = f" — section {_text(section.status)}" if section.status != "present" else ""
    parts = [
        f'<section class="redline-section redline-section-{_attr(section.status)}{unchanged}">'
        f"<h3>{_text(section.number)}. {_text(section.title)}{suffix}</h3>"
    ]
    clause_html = _inline if view == "inline" or section.status != "present" else _table
    for group in groups(section):
        if isinstance(group, list):
            parts.append(f'<p class="redline-unchanged">{_text(unchanged_note(group))}</p>')
        else:
            parts.append(clause_html(group))
    parts.append("</section>\n")
    return "".join(parts)


def _changes_to_text(red: Redline, view: str) -> str:
    opening = '<section class="redline-text"><h2>Changes to the text</h2>\n'
    if not red.changed:
        return f"{opening}<p>No clause changed ({len(red.clauses())} unchanged clauses).</p>\n</section>\n"
    return opening + "".join(_section(section, view) for section in red.sections) + "</section>\n"


def redline_html(
    red: Redline,
    choices: list[ChoiceChange],
    view: str = "inline",
    *,
    labels: tuple[str, str] | None = None,
    blocks: tuple[str, ...] = BLOCKS,
) -> str:
    """An HTML fragment: the choices, then the text with ``<ins>``/``<del>``, as the allow-list
    leaves it. ``blocks`` names the parts to show: ``("text",)`` is the changes to the text alone."""
    if view not in ("inline", "side_by_side"):
        raise ValueError(f"view: {view!r} is not one of inline, side_by_side")
    parts = [f'<article class="redline redline-{view}" lang="en">\n']
    if "header" in blocks:
        parts.append(_header(heading(red, labels)))
    if "choices" in blocks:
        parts.append(_choices(red, choices))
    if "text" in blocks:
        parts.append(_changes_to_text(red, view))
    parts.append("</article>")
    return "".join(parts)


_CSS = """
/* On screen; on paper the type is the license's own (print.css). */
@media screen {
  body { font: 16px/1.5 Georgia, serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #111; }
}
ins { background: #dff5df; text-decoration: underline; }
del { background: #fbe0e0; text-decoration: line-through; }
.redline-body p { margin: 0 0 .6em; }
.redline-status, .redline-affects, .redline-unchanged { color: #555; font-style: italic; font-size: .9em; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
td, th { border: 1px solid #ccc; padding: .4rem; vertical-align: top; text-align: left; }
/* On paper a clause is not cut in two unless it is longer than a page, and a heading, or the
   line that counts the unchanged clauses before one, stays with what follows it. */
.redline-keep, .redline-unchanged { break-inside: avoid; }
h1, h2, h3, h4, .redline-legend, p.redline-unchanged:not(:last-child) { break-after: avoid; }
/* A section left as it was is one line: it goes with what comes before it, not onto a page of
   its own. */
.redline-section-unchanged { break-before: avoid; }
"""


_env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    keep_trailing_newline=True,
)


def redline_page(
    red: Redline,
    choices: list[ChoiceChange],
    view: str = "inline",
    *,
    print_css: bool = False,
    labels: tuple[str, str] | None = None,
) -> str:
    """A standalone HTML page with the redline and its own CSS."""
    return _env.get_template("redline_page.html").render(
        title=heading(red, labels),
        print_css=print_css,
        css=Markup(_CSS),  # noqa: S704 (a constant)
        fragment=Markup(redline_html(red, choices, view, labels=labels)),  # noqa: S704 (escaped and sanitised)
    )


def redline_pdf(
    red: Redline,
    choices: list[ChoiceChange],
    view: str = "inline",
    paper: str = "a4",
    *,
    labels: tuple[str, str] | None = None,
) -> bytes:
    from ..render.pdf import write_pdf

    return write_pdf(redline_page(red, choices, view, print_css=True, labels=labels), paper=paper)
