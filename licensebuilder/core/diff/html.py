"""The redline as HTML: a fragment and a page (through the Jinja2 templates beside this module), and a PDF.

Clause text goes through the same Markdown renderer as the license itself, with inserted text in
``<ins>`` and deleted text in ``<del>``, sanitised with the same allow-list; every other text of
the fragment is escaped as that allow-list's serialiser writes it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

from .. import cache
from ..render.html import convert, sanitize
from .choices import ChoiceChange
from .present import groups, heading, status_words, unchanged_note, where
from .redline import Redline, RedlineClause, Segment, new_text, old_text

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


# The fragment's markup is the template ``redline.html`` beside this module, one block per part a
# page may show alone; what it shows is computed here. Every text in it is escaped by ``_text``
# (the environment's finalize) or, in an attribute, ``_attr``, exactly as the allow-list's
# serialiser writes it, so the fragment is not sanitised as a whole (``tests/test_diff.py`` holds
# it to ``sanitize`` leaving it unchanged); the clause bodies are ``segments_html``, sanitised on
# their own.


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


# The fragment, whose every text must be escaped as the sanitiser writes it.
_ESCAPED_AS_THE_SANITISER = frozenset({"redline.html"})


class _Escaped(Markup):
    """Markup made from text this module escaped or sanitised: built as a plain string is, without
    Markup's checks (several hundred of them in a fragment)."""

    __slots__ = ()
    __new__ = str.__new__  # type: ignore[assignment]


def _attribute(value: object) -> Markup:
    return _Escaped(_attr(value))


_SIDES = {"both": ALL, "old": OLD, "new": NEW}


def _sanitised_html(segments: tuple[Segment, ...], side: str) -> Markup:
    """A clause's marked text, both sides or one: :func:`segments_html`, sanitised."""
    return _Escaped(segments_html(segments, _SIDES[side]))


def _links(change: ChoiceChange, red: Redline) -> list[tuple[bool, str | None, str]]:
    """The clauses a changed answer affects, each with whether it follows another in the list, its
    anchor (none if it is not in the redline) and its words."""
    out: list[tuple[bool, str | None, str]] = []
    for index, cid in enumerate(change.clauses):
        clause = red.clause(cid)
        out.append((index > 0, clause.clause.anchor if clause else None, where(red, cid)))
    return out


@pass_eval_context
def _finalize(eval_ctx: EvalContext, value: object) -> object:
    """Where autoescape is off (the fragment), every value printed is escaped as the sanitiser
    writes text, except Markup (see redline.html); elsewhere autoescape escapes it."""
    if eval_ctx.autoescape or isinstance(value, Markup):
        return value
    return _text(value)


_env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=lambda name: name not in _ESCAPED_AS_THE_SANITISER,  # noqa: S701 (redline.html: _finalize escapes)
    finalize=_finalize,
    undefined=StrictUndefined,
    trim_blocks=True,
    keep_trailing_newline=True,
)
# The fragment's helpers, as filters and tests: a template calls them directly, where it calls a
# global through its context (most of the fragment's time, with one call per clause or more).
_env.filters.update(
    attribute=_attribute,
    sanitised_html=_sanitised_html,
    groups=groups,
    status_words=status_words,
    unchanged_note=unchanged_note,
    links=_links,
)
_env.tests.update(
    unchanged_run=lambda group: isinstance(group, list),
    kept_together=keep_together,
)


@functools.cache
def _fragment() -> Template:
    """The fragment's template, compiled once."""
    return _env.get_template("redline.html")


def warm() -> None:
    """Compile the redline's templates (a process's first compare would: 25-50 ms)."""
    _fragment()
    _env.get_template("redline_page.html")


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
    context = {"red": red, "choices": choices, "view": view, "title": heading(red, labels), "blocks": blocks}
    return _fragment().render(context)


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
