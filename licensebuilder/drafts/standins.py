"""Stand-in names for the live preview: the one shortcut the preview keeps, because it needs it.

While someone types a name, every keystroke is a new spec, but the license's structure stays the
same. Names made only of letters, digits and single spaces, dots, commas and hyphens read the same
in Markdown as any other word, and the clause library prints them as they are, so the preview of a
spec is the preview of the spec with stand-in words for those names, with the names put back in
its HTML: the clauses that show a name are rendered, converted and sanitised once, not on every
keystroke.

Measured with ``.venv/bin/python -m bench --only web-preview`` (typing a model name on the basics
step, on a busy machine): without stand-ins a preview took 5.8x a bare logged-in view (limit 3x),
with them 2.2x. The
property test in ``tests/test_preview_fast_paths.py`` pins the result to the direct rendering for
any names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from licensebuilder.core.text import md_escape

_PATHS = ("model.name", "model.version", "licensor.name", "terms.governing_law")
_MARK = "qzstandin"
_STAND_IN = re.compile(_MARK + r"([0-9])q")
_PLAIN = re.compile(r"[^\W_]+(?:(?:[.-]|,? )[^\W_]+)*")


def stand_ins(spec: dict[str, Any]) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """``spec`` with a stand-in word for each plain name, and (word, name) pairs; no pairs when
    there is nothing to stand in for, or when the licensor typed a stand-in word themselves."""
    out, values = spec, []
    for index, path in enumerate(_PATHS):
        section, key = path.split(".")
        value = (spec.get(section) or {}).get(key)
        if isinstance(value, str) and _PLAIN.fullmatch(value) and md_escape(value) == value:
            word = f"{_MARK}{index}q"
            if out is spec:
                out = dict(spec)
            out[section] = {**out[section], key: word}
            values.append((word, value))
    # Stand-in words typed by the licensor anywhere else would be "put back" too: not here.
    if values and json.dumps(out, ensure_ascii=False).count(_MARK) != len(values):
        return spec, ()
    return out, tuple(values)


def putter(values: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    """A function that puts the names back in place of their stand-ins in a text."""
    if not values:
        return lambda text: text
    words = dict(values)

    def put_back(text: str) -> str:
        return _STAND_IN.sub(lambda m: words[m.group(0)], text) if _MARK in text else text

    return put_back
