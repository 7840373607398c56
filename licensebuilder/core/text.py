"""Escaping user text so that it stays text in Markdown, whoever renders that Markdown.

The canonical Markdown is read by our own renderer (python-markdown, with the extra escapes
registered in :mod:`licensebuilder.core.render.html`) and by CommonMark renderers on code hosts
and model hubs. A backslash before any ASCII punctuation is an escape in CommonMark; we register
the same characters with python-markdown, so one escaping serves both.
"""

from __future__ import annotations

import re

# Punctuation that can start or end inline structure anywhere on a line.
_INLINE = set("\\`*_[]<>|~{}!()")
# An ampersand that starts a character reference would be decoded by every Markdown renderer;
# writing it as a reference itself keeps "&amp;" as the four characters the licensor typed.
_ENTITY_START = re.compile(r"&(?=#?\w+;)")
# Punctuation that only means something at the start of a line.
_LINE_START = set("#-+=>:")
_ORDERED_LIST = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")

# Every character the escaper may put a backslash before; the HTML renderer registers these.
ESCAPABLE = sorted(_INLINE | _LINE_START | {".", ")"})

_BACKSLASHED = str.maketrans({ch: "\\" + ch for ch in _INLINE})  # each inline character, escaped
_SPACES = re.compile(r"\s+")
# Most names need no escaping at all: a letter, then letters, digits and a few marks that mean
# nothing in Markdown but at the start of a line, with single spaces between.
_NOTHING_TO_ESCAPE = re.compile(r"[^\W\d_](?:[^\W_]|[.,'/@:-]| (?! ))*")


class Trusted(str):
    """Markdown written by the clause library itself (references, term lists): not escaped."""


def md_escape(value: object) -> str:
    """Escape ``value`` for use inside a Markdown paragraph or heading.

    User text has no line breaks (the spec refuses them), so only inline structure and the
    structure a value could start when it opens a line need escaping.
    """
    if isinstance(value, Trusted):
        return str(value)
    text = "" if value is None else str(value)
    if _NOTHING_TO_ESCAPE.fullmatch(text):
        return text
    out = _SPACES.sub(" ", text).translate(_BACKSLASHED)
    out = _ENTITY_START.sub("&amp;", out)
    if out[:1] in _LINE_START:
        out = "\\" + out
    out = _ORDERED_LIST.sub(r"\1\\\2", out)
    return out


def join_words(items: list[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (plain English, no Oxford comma)."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
