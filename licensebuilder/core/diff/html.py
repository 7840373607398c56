"""The redline as HTML (through the Jinja2 templates beside this module), as a page and as a PDF.

Clause text goes through the same Markdown renderer as the license itself, with inserted text in
``<ins>`` and deleted text in ``<del>``; the whole fragment is sanitised with the same allow-list.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
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


_env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    keep_trailing_newline=True,
)
_env.globals.update(
    groups=groups,
    unchanged_note=unchanged_note,
    status_words=status_words,
    where=where,
    keep_together=keep_together,
    marked=lambda segments, keep: Markup(segments_html(tuple(segments), keep)),  # noqa: S704 (sanitised)
    ALL=ALL,
    OLD=OLD,
    NEW=NEW,
)


def redline_html(
    red: Redline,
    choices: list[ChoiceChange],
    view: str = "inline",
    *,
    labels: tuple[str, str] | None = None,
    blocks: tuple[str, ...] = BLOCKS,
) -> str:
    """An HTML fragment: the choices, then the text with ``<ins>``/``<del>``, sanitised. ``blocks``
    names the parts to show: ``("text",)`` is the changes to the text alone."""
    if view not in ("inline", "side_by_side"):
        raise ValueError(f"view: {view!r} is not one of inline, side_by_side")
    context = {"red": red, "choices": choices, "view": view, "title": heading(red, labels), "blocks": blocks}
    return sanitize(_env.get_template("redline.html").render(context)).strip()


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
        fragment=Markup(redline_html(red, choices, view, labels=labels)),  # noqa: S704 (sanitised)
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
