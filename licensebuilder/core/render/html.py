"""HTML from the canonical Markdown: python-markdown with raw HTML off, then an nh3 allow-list.

The fragment is what the web app shows; the page wraps it with metadata and its own CSS. Both are
made of the same per-clause Markdown chunks that make up ``LICENSE.md``.
"""

from __future__ import annotations

import functools
import html
import re
import threading
from pathlib import Path

import markdown
import nh3

from .. import cache
from ..document import Clause, Document, Section
from ..text import ESCAPABLE
from .markdown import clause_heading, fingerprint, header_markdown, render_markdown, section_heading

# The license's own stylesheets, shipped with the package: the page embeds the screen one, the PDF
# links the print one (the only files its fetcher serves), and the web app serves both as static
# files (settings.STATICFILES_DIRS).
STATIC_DIR = Path(__file__).resolve().parent / "static"
SCREEN_CSS = STATIC_DIR / "license" / "license.css"
PRINT_CSS = STATIC_DIR / "license" / "print.css"

_ALLOWED_TAGS = {
    "article", "header", "nav", "section", "footer", "div", "span",
    "h1", "h2", "h3", "h4", "p", "ol", "ul", "li", "a", "strong", "em", "code", "br", "hr",
    # the redline (core/diff.py)
    "ins", "del", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "*": {"class", "id", "data-clause-id", "aria-label", "lang"},
    "a": {"href"},
    "td": {"colspan"},
}

# Constructs that could turn text into markup or a fetch; our Markdown never needs them.
_DISABLED_PREPROCESSORS = ("html_block",)
_DISABLED_BLOCK = ("reference",)
_DISABLED_INLINE = (
    "html", "autolink", "automail", "link", "image_link", "image_reference",
    "reference", "short_reference", "short_image_ref",
)  # fmt: skip

_local = threading.local()


def _converter() -> markdown.Markdown:
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(output_format="html")
        for name in _DISABLED_PREPROCESSORS:
            md.preprocessors.deregister(name, strict=False)
        for name in _DISABLED_BLOCK:
            md.parser.blockprocessors.deregister(name, strict=False)
        for name in _DISABLED_INLINE:
            md.inlinePatterns.deregister(name, strict=False)
        # Accept every escape the text escaper writes, as CommonMark does.
        md.ESCAPED_CHARS = sorted(set(md.ESCAPED_CHARS) | set(ESCAPABLE))
        _local.md = md
    return md


def convert(text: str) -> str:
    """One chunk of Markdown (a heading, a clause) as HTML, not yet sanitised."""
    md = _converter()
    try:
        return md.convert(text)
    finally:
        md.reset()


def safe_html(text: str) -> str:
    """One chunk of Markdown as sanitised HTML, remembered by the chunk (``cache.markdown_html``):
    most clauses are unchanged from one edit to the next, so an edit re-converts only what it
    touched. A sanitised chunk is balanced markup with every ``<`` of its text escaped, so chunks
    joined with markup of our own (escaped as it is written) stay as safe as each one.

    A chunk made only of plain paragraphs and one-line headings is converted paragraph by
    paragraph, each remembered likewise: Markdown reads such paragraphs each on its own, and an
    edit that changes one (a name typed) converts that one again, not the whole clause."""
    hit = cache.markdown_html.get(text)
    if hit is not None:
        return hit
    blocks = [block + "\n" for block in text.strip("\n").split("\n\n")]
    if len(blocks) < 2 or not all(map(_on_its_own, blocks)):
        return cache.markdown_html.put(text, sanitize(convert(text)))
    known = [cache.markdown_html.get(block) for block in blocks]
    if any(known):  # an edit of a chunk met before: the paragraphs it changed alone
        made = "\n".join(html or safe_html(block) for block, html in zip(blocks, known, strict=True))
        return cache.markdown_html.put(text, made)
    # Met for the first time: converted whole (at one conversion's cost), each paragraph's part
    # remembered for the edits to come. Each part is one element, and no text of a sanitised part
    # can hold a "<": where an element starts a line, the next paragraph's begins.
    made = sanitize(convert(text))
    parts = _PARTS.split(made)
    if len(parts) == len(blocks):
        for block, part in zip(blocks, parts, strict=True):
            cache.markdown_html.put(block, part)
    return cache.markdown_html.put(text, made)


_PARTS = re.compile(r"\n(?=<(?:p|h[1-6])>)")


# What can start a block, or a line of one, other than a plain paragraph: indentation, headings,
# quotes, list markers, rules, setext underlines, fences, tables, raw markup, numbered lists.
_NOT_PLAIN = re.compile(r"(?:^|\n)[ \t#>*+\-=_|`~<\d]")
_HEADING = re.compile(r"#{1,6} [^\n]*")


def _on_its_own(block: str) -> bool:
    """Whether a block between blank lines (and its line break) converts the same alone as among
    the others: a plain paragraph, or a heading of one line."""
    block = block.rstrip("\n")
    return bool(block) and (bool(_HEADING.fullmatch(block)) or not _NOT_PLAIN.search(block))


def clause_html(clause: Clause) -> str:
    """A clause's Markdown (heading and body) as sanitised HTML. The two are separate blocks,
    converted apart: a clause that was only renumbered reuses its converted body."""
    return safe_html(clause_heading(clause)) + "\n" + safe_html(clause.body + "\n")


def clause_section(clause: Clause) -> str:
    """A clause's section of the license's HTML. A clause an assembly took over from the last one
    (``reuse.Reuse``) is the very same object: its section is found by it, without reading its
    text again (``cache.clause_sections``)."""
    hit = cache.clause_sections.get(id(clause))
    if hit is not None and hit[0] is clause:
        return hit[1]
    made = (
        f'<section class="clause" id="{clause.anchor}" data-clause-id="{_attr(clause.id)}">'
        f"{clause_html(clause)}</section>"
    )
    cache.clause_sections.put(id(clause), (clause, made))
    return made


def section_html(section: Section) -> str:
    """A section of the license's HTML, found by the section itself where an assembly took it over
    whole from the last one (``reuse.Reuse``), as ``clause_section`` finds a clause."""
    hit = cache.clause_sections.get(id(section))
    if hit is not None and hit[0] is section:
        return hit[1]
    made = "\n".join(
        [
            f'<section class="license-section" id="{section.anchor}">',
            safe_html(section_heading(section)),
            *map(clause_section, section.clauses),
            "</section>",
        ]
    )
    cache.clause_sections.put(id(section), (section, made))
    return made


def sanitize(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=set(),
        link_rel=None,
        strip_comments=True,
    )


def demote_headings(fragment: str, levels: int) -> str:
    """Sanitised HTML with every heading ``levels`` lower, for a page that has its own title.
    Only tags are rewritten: text in a sanitised fragment cannot contain a literal ``<h``."""
    for level in range(6 - levels, 0, -1):
        fragment = fragment.replace(f"<h{level}", f"<h{level + levels}").replace(
            f"</h{level}>", f"</h{level + levels}>"
        )
    return fragment


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def toc_html(doc: Document) -> str:
    items = "".join(
        f'<li><a href="#{section.anchor}">{section.number}. {html.escape(section.title)}</a></li>'
        for section in doc.sections
    )
    return f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>'


def render_fragment(doc: Document, *, toc: bool = True) -> str:
    parts = [
        '<article class="license" lang="en" id="license">',
        f'<header class="license-header">{safe_html(header_markdown(doc))}</header>',
    ]
    if toc:
        parts.append(toc_html(doc))
    parts.extend(map(section_html, doc.sections))
    parts.append("</article>")
    # Sanitised chunk by chunk (``safe_html``); the markup around them is ours, its values escaped.
    return "\n".join(parts)


def _meta(doc: Document) -> str:
    spec = doc.spec
    keywords = ", ".join(["AI model license", spec["model"]["name"], doc.spdx_id])
    subject = f"License for the {spec['model']['name']} AI model"
    return (
        f"<title>{html.escape(doc.title)} {html.escape(doc.version)}</title>\n"
        f'<meta name="author" content="{_attr(spec["licensor"]["name"])}">\n'
        f'<meta name="description" content="{_attr(subject)}">\n'
        f'<meta name="keywords" content="{_attr(keywords)}">\n'
    )


@functools.cache
def _screen_css() -> str:
    """The screen stylesheet the page embeds, read once."""
    return SCREEN_CSS.read_text(encoding="utf-8")


def render_page(
    doc: Document, *, markdown_text: str | None = None, fragment: str | None = None, digest: str | None = None
) -> str:
    """A standalone HTML document with its own CSS and the fingerprint in the footer (``digest``,
    when the caller has it already)."""
    if digest is None:
        digest = fingerprint(markdown_text if markdown_text is not None else render_markdown(doc))
    css = _screen_css()
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{_meta(doc)}<style>\n{css}</style>\n</head>\n<body>\n"
        f"{fragment if fragment is not None else render_fragment(doc)}\n"
        f'<footer class="fingerprint">Fingerprint (SHA-256 of the Markdown text): <code>{digest}</code>'
        f" · clause library {html.escape(doc.library_version)}</footer>\n"
        "</body>\n</html>\n"
    )


def render_print_page(doc: Document, *, markdown_text: str, paper: str = "a4") -> str:
    """The HTML the PDF is laid out from: a title block, contents with page numbers, print CSS."""
    digest = fingerprint(markdown_text)
    spec = doc.spec
    title_block = (
        '<div class="title-page">'
        f'<p class="running-title">{html.escape(doc.title)} {html.escape(doc.version)}</p>'
        f'<p class="fingerprint-string">SHA-256 {digest}</p>'
        f'<p class="licensor">{html.escape(spec["licensor"]["name"])}</p>'
        "</div>"
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en" class="paper-{_attr(paper)}">\n<head>\n<meta charset="utf-8">\n'
        f"{_meta(doc)}"
        '<link rel="stylesheet" href="license/print.css">\n'
        "</head>\n<body>\n"
        f"{title_block}\n{render_fragment(doc)}\n"
        f'<footer class="fingerprint">Fingerprint (SHA-256 of the Markdown text): {digest}'
        f" · clause library {html.escape(doc.library_version)}</footer>\n"
        "</body>\n</html>\n"
    )
