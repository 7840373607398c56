"""Stand-in names for the live preview: the one shortcut the preview keeps, because it needs it.

While someone types a name, every keystroke is a new spec, but the license's structure stays the
same. Names made only of letters, digits and single spaces, dots, commas and hyphens read the same
in Markdown as any other word, so the preview of a spec is the preview of the spec with stand-in
words for those names, with the names put back in its HTML: the clauses that show a name are
rendered, converted and sanitised once, not on every keystroke.

That holds only where the clause library prints a name as it is (or upper-cased) and otherwise
only asks whether it was given: a name used in any other way (cut short, counted, compared,
passed on whole) is not stood in for (:func:`safe_paths`). The "Why is this here?" box quotes the
real answer, not the stand-in (:meth:`Names.value`), as it shortens long ones. A stand-in that
comes back in any other form than its own or upper-cased raises :class:`Doubt`, and the preview
is then rendered directly.

Measured with ``make bench ARGS="--only=web-preview --rounds=100"`` (typing a model name on the
basics step, on a busy machine): rendering names directly took 5.0x and 5.7x a bare logged-in view
(limit 3x), with stand-ins 2.6x and 2.9x. The property tests in
``tests/test_preview_fast_paths.py`` pin the result to the direct rendering for any names.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from jinja2 import meta, nodes

from licensebuilder.core.library import Library, default_library
from licensebuilder.core.sandbox import DICT_METHODS
from licensebuilder.core.text import md_escape

PATHS = ("model.name", "model.version", "licensor.name", "terms.governing_law")
# The answers that may hold a name: each of them, and the sections they are in.
HOLDING_NAMES = frozenset(PATHS) | {path.split(".")[0] for path in PATHS}
_MARK = "qzstandin"
_STAND_IN = re.compile(_MARK + r"[0-9]q", re.IGNORECASE)
_SMALL = re.compile(_MARK + r"[0-9]q")
_ANY_MARK = re.compile(_MARK, re.IGNORECASE)
_WORD, _CAPITALS = _MARK[2:], _MARK[2:].upper()
_PLAIN = re.compile(r"[^\W_]+(?:(?:[.-]|,? )[^\W_]+)*")


class Doubt(Exception):
    """A stand-in came back in a form it cannot be put back from for certain."""


def _plain(value: str) -> bool:
    return bool(_PLAIN.fullmatch(value)) and md_escape(value) == value


def _may_mark(text: str) -> bool:
    """Whether ``text`` holds the stand-in mark in any case. Its first two letters have no other
    case forms than their ASCII ones, so most texts are ruled out by four plain searches, each
    far faster than one case-blind search."""
    return any(pair in text for pair in ("qz", "qZ", "Qz", "QZ")) and bool(_ANY_MARK.search(text))


def may_hold(text: str) -> bool:
    """Whether ``text`` may hold a stand-in, whatever names they stand for (see ``Names.shown_in``)."""
    return _WORD in text or _CAPITALS in text


@dataclass(frozen=True)
class Names:
    """Stand-in words and the names they stand for."""

    words: dict[str, str] = field(default_factory=dict)

    def _name(self, match: re.Match[str]) -> str:
        found = match.group(0)
        name = self.words.get(found)
        if name is not None:
            return name
        name = self.words.get(found.lower())
        if name is not None and found == found.lower().upper() and _plain(name.upper()):
            return name.upper()  # a clause that prints the name in capitals
        raise Doubt(found)

    def shown_in(self, text: str) -> bool:
        """Whether ``text`` may hold a stand-in. Most texts (clauses that show no name) have none,
        and a plain search rules them out faster than a case-blind one: a stand-in comes back in
        small letters, in capitals, or capitalised, and each keeps one of the two words sought."""
        return bool(self.words) and may_hold(text)

    def put_back(self, text: str) -> str:
        """``text`` with the names in place of their stand-ins."""
        if not self.shown_in(text):
            return text
        # Stand-ins in small letters, found by a fast search; then, if anything like a stand-in
        # is left (in capitals, capitalised, or a name that holds the word), the careful way.
        out = _SMALL.sub(self._name, text)
        return _STAND_IN.sub(self._name, text) if self.shown_in(out) else out

    def value(self, value: Any) -> Any:
        """An answer as the spec with stand-ins has it, as the licensor gave it. A stand-in
        replaces a whole name, and no other text of the spec reads as one (see ``stand_ins``)."""
        if isinstance(value, str):
            return self.words.get(value, value)
        if isinstance(value, dict):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.value(item) for item in value]
        return value


NONE = Names()


def stand_ins(spec: dict[str, Any], library: Library | None = None) -> tuple[dict[str, Any], Names]:
    """``spec`` with a stand-in word for each plain name the library only prints, and the names;
    no names when there is nothing to stand in for, or when the licensor typed something that
    reads as a stand-in word themselves."""
    # A stand-in word typed by the licensor anywhere, in any case, would be "put back" too.
    if _may_mark(json.dumps(spec, ensure_ascii=False)):
        return spec, NONE
    safe = safe_paths(library or default_library())
    out, words = spec, {}
    for index, path in enumerate(PATHS):
        section, key = path.split(".")
        value = (spec.get(section) or {}).get(key)
        if path in safe and isinstance(value, str) and _plain(value):
            word = f"{_MARK}{index}q"
            if out is spec:
                out = dict(spec)
            out[section] = {**out[section], key: word}
            words[word] = value
    return out, Names(words)


# -- which names the library only prints -----------------------------------------------------

_checked: list[tuple[Library, frozenset[str]]] = []  # one library: the last one asked about


def safe_paths(library: Library) -> frozenset[str]:
    """The names of ``PATHS`` that every clause of ``library`` prints as they are (or through
    ``upper``) and otherwise only tests, in its ``when`` and its body with what it imports."""
    if _checked and _checked[0][0] is library:
        return _checked[0][1]
    unsafe: set[str] = set()
    pending = [t.source for t in library.clauses]
    pending += ["{% if " + t.when + " %}{% endif %}" for t in library.clauses if t.when]
    seen: set[str] = set()
    while pending:
        tree = library.env.parse(pending.pop())
        for name in meta.find_referenced_templates(tree):
            if name is None:
                unsafe.update(PATHS)  # a template named at run time: what it reads is unknown
            elif name not in seen and library.env.loader is not None:
                seen.add(name)
                pending.append(library.env.loader.get_source(library.env, name)[0])
        _visit(tree, "other", unsafe)
    result = frozenset(PATHS) - unsafe
    _checked[:] = [(library, result)]
    return result


def _dotted(node: nodes.Node) -> str | None:
    """``model.name`` for ``model.name``, ``model['name']`` and ``model.get('name')``."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        base = _dotted(node.node)
        return f"{base}.{node.attr}" if base else None
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        base = _dotted(node.node)
        return f"{base}.{node.arg.value}" if base else None
    if (
        isinstance(node, nodes.Call)
        and isinstance(node.node, nodes.Getattr)
        and node.node.attr == "get"
        and len(node.args) == 1
        and isinstance(node.args[0], nodes.Const)
        and not (node.kwargs or node.dyn_args or node.dyn_kwargs)
    ):
        base = _dotted(node.node.node)
        return f"{base}.{node.args[0].value}" if base else None
    return None


def _visit(node: nodes.Node, how: str, unsafe: set[str]) -> None:
    """Mark in ``unsafe`` each name of ``PATHS`` read otherwise than printed (``how`` is
    "print") or tested for being given ("test")."""
    path = _dotted(node)
    if path is not None:  # a whole chain of names: nothing else below it
        parts = path.split(".")
        for name in PATHS:
            section = name.split(".")[0]
            if path == name and how not in ("print", "test"):
                unsafe.add(name)
            elif path.startswith(name + ".") or (parts[0] == section and (len(parts) == 1 or parts[1] in DICT_METHODS)):
                unsafe.add(name)  # a method of the name, or its section passed on or read otherwise
        return
    if isinstance(node, nodes.Output):
        for printed in node.nodes:
            _visit(printed, "print", unsafe)
    elif isinstance(node, nodes.If | nodes.CondExpr):
        # The test asks whether a name was given; a conditional expression prints what it picks.
        for name, value in node.iter_fields():
            _visit_field(value, "test" if name == "test" else how if name in ("expr1", "expr2") else "other", unsafe)
    elif isinstance(node, nodes.And | nodes.Or):
        _visit(node.left, how, unsafe)
        _visit(node.right, how, unsafe)
    elif isinstance(node, nodes.Not):
        _visit(node.node, "test", unsafe)
    elif isinstance(node, nodes.Filter) and node.name == "upper" and how == "print" and node.node is not None:
        _visit(node.node, "print", unsafe)
    else:
        for child in node.iter_child_nodes():
            _visit(child, "other", unsafe)


def _visit_field(value: Any, how: str, unsafe: set[str]) -> None:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, nodes.Node):
            _visit(item, how, unsafe)
