"""Review for legal teams: a diff of the *choices* and a clause-by-clause redline of the *text*.

One stage per module: ``choices`` (which answers differ, in words, and which clauses each
affects), ``redline`` (the clauses of two documents aligned, with word-level diffs whose
matcher is ``match``), then the renderings ``markdown`` and ``html`` (HTML fragment and page
through templates, and PDF).
"""

from __future__ import annotations

from typing import Any

from ..assemble import assemble
from .choices import ChoiceChange, choice_words, choices_diff
from .html import redline_html, redline_page, redline_pdf, segments_html
from .markdown import redline_markdown
from .present import status_words
from .redline import Redline, RedlineClause, RedlineSection, Segment, new_text, old_text, redline, word_diff

__all__ = [
    "ChoiceChange",
    "Redline",
    "RedlineClause",
    "RedlineSection",
    "Segment",
    "choice_words",
    "choices_diff",
    "compare",
    "new_text",
    "old_text",
    "redline",
    "redline_html",
    "redline_markdown",
    "redline_page",
    "redline_pdf",
    "segments_html",
    "status_words",
    "word_diff",
]


def compare(old_spec: dict[str, Any], new_spec: dict[str, Any]) -> tuple[list[ChoiceChange], Redline]:
    """The choices diff and the redline of two specs, each document assembled once."""
    old_doc, new_doc = assemble(old_spec), assemble(new_spec)
    red = redline(old_doc, new_doc)
    return choices_diff(old_spec, new_spec, old_doc=old_doc, new_doc=new_doc, redline_=red), red
