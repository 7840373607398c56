"""The choices diff: each answer that differs between two specs, in words, with the clauses it affects.

An answer affects a clause when the clause reads it: its ``when`` expression or its body names the
answer's path (see ``ClauseTemplate.condition_paths`` and ``read_paths``), or the clause is a
definition whose term a clause affected by the answer started or stopped using, or it tests
``included()`` on a clause the answer added or removed. Nothing is re-assembled: what each clause
reads is known from its template.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import spec as specs
from .. import vocabulary
from ..assemble import assemble
from ..document import Document
from ..library import SPEC_ROOTS, ClauseTemplate, Library, default_library
from .redline import Redline, redline


@dataclass(frozen=True)
class ChoiceChange:
    """One answer that differs, in words: ``Distillation: share-alike → prohibited``."""

    path: str
    label: str
    old: str
    new: str
    clauses: tuple[str, ...] = ()  # ids of the clauses whose presence or text this change affected
    action: str = ""  # for lists: "added 'Weapons'" — one change per item added or removed

    def __str__(self) -> str:
        return vocabulary.change_line(self.label, self.old, self.new, self.action)


def _leaves(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, sub in value.items():
            out.update(_leaves(sub, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


_MISSING = object()


def _raw_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(path, old words, new words, action) for each answer that differs; a list gives one
    change per item added or removed."""
    old_leaves, new_leaves = _leaves(old), _leaves(new)
    paths = list(new_leaves) + [p for p in old_leaves if p not in new_leaves]
    out: list[tuple[str, str, str, str]] = []
    for path in paths:
        before, after = old_leaves.get(path, _MISSING), new_leaves.get(path, _MISSING)
        if before == after:
            continue
        old_words = vocabulary.NOT_GIVEN if before is _MISSING else vocabulary.words(path, before)
        new_words = vocabulary.NOT_GIVEN if after is _MISSING else vocabulary.words(path, after)
        if isinstance(before, list) and isinstance(after, list):
            for item in before:
                if item not in after:
                    out.append((path, old_words, new_words, f"removed {vocabulary.item_words(path, item)}"))
            for item in after:
                if item not in before:
                    out.append((path, old_words, new_words, f"added {vocabulary.item_words(path, item)}"))
            if not out or out[-1][0] != path:  # same items, new order
                out.append((path, old_words, new_words, "reordered"))
            continue
        out.append((path, old_words, new_words, ""))
    return out


def choice_words(old_spec: dict[str, Any], new_spec: dict[str, Any]) -> list[ChoiceChange]:
    """Each answer that differs, in words, without assembling anything (no affected clauses):
    cheap enough to describe every save."""
    return [
        ChoiceChange(path, vocabulary.label(path), old_words, new_words, (), action)
        for path, old_words, new_words, action in _raw_changes(old_spec, new_spec)
    ]


# Names in the template context that stand for answers elsewhere in the spec: what they read.
_DERIVED_READS = {
    "any_share_alike": ("derivatives",),
    "any_foundation": ("derivatives",),
    "any_attribution": ("derivatives",),
    "any_distributable": ("derivatives",),
    "mods_with": ("derivatives",),
    "restrictions": ("use.restrictions",),
    "spdx_id": ("license.name", "license.version", "license.spdx_id"),
}


def _answer_path(name: str, schema: dict[str, Any]) -> str:
    """A dotted name as far as it names an answer in the spec's schema: ``elements.items`` (a
    method) reads all of ``elements``."""
    node = schema
    parts: list[str] = []
    for part in name.split("."):
        properties = node.get("properties") or {}
        if part not in properties:
            break
        parts.append(part)
        node = properties[part]
    return ".".join(parts)


def _reads_of(template: ClauseTemplate, schema: dict[str, Any]) -> tuple[frozenset[str], frozenset[str]]:
    """What a clause template reads, in its ``when`` and its body: the answer paths ("" for all
    of them), and the clauses whose presence it tests with ``included`` ("*": any)."""
    paths: set[str] = set()
    includes: set[str] = set()
    for name in (*template.condition_paths, *template.read_paths):
        root, _, rest = name.partition(".")
        if root == "included":
            includes.add(rest or "*")
        elif root in _DERIVED_READS:
            paths.update(_DERIVED_READS[root])
        elif name == "*":
            paths.add("")  # reads what only running it tells: every answer
        elif root in SPEC_ROOTS:
            paths.add(_answer_path(name, schema))
    return frozenset(paths), frozenset(includes)


def _related(path: str, read: str) -> bool:
    """Whether changing the answer at ``path`` can change what reading ``read`` gives."""
    return read == "" or path == read or path.startswith(read + ".") or read.startswith(path + ".")


class _Attribution:
    """Which differing clauses each changed answer affects: those whose template, on either side,
    reads it in its ``when`` or its body; then clauses brought in or out by others: a definition
    whose term an affected clause started or stopped using, and a clause that tests ``included``
    on an affected clause that came or went."""

    def __init__(self, old_doc: Document, new_doc: Document, differing: list[str], library: Library):
        templates = {t.key: t for t in library.clauses}
        schema = specs.schema()
        self.old = {c.id: c for c in old_doc.clauses()}
        self.new = {c.id: c for c in new_doc.clauses()}
        self.differing = differing
        self.reads: dict[str, frozenset[str] | None] = {}  # None: its template is gone from the library
        self.includes: dict[str, frozenset[str]] = {}
        for cid in differing:
            sides = [
                _reads_of(templates[clause.key], schema)
                for clause in (self.old.get(cid), self.new.get(cid))
                if clause is not None and clause.key in templates
            ]
            self.reads[cid] = frozenset().union(*(r[0] for r in sides)) if sides else None
            self.includes[cid] = frozenset().union(*(r[1] for r in sides)) if sides else frozenset()
        # Each answer path read, by its first part, with the clauses reading it; and the clauses
        # that read every answer (or whose template is gone).
        readers: dict[str, set[str]] = {}
        self.reads_all: set[str] = set()
        for cid, reads in self.reads.items():
            if reads is None or "" in reads:
                self.reads_all.add(cid)
                continue
            for read in reads:
                readers.setdefault(read, set()).add(cid)
        self.by_root: dict[str, list[tuple[str, set[str]]]] = {}
        for read, cids in readers.items():
            self.by_root.setdefault(read.split(".", 1)[0], []).append((read, cids))
        # The clauses on one side only; and the terms each differing clause started or stopped using.
        self.came_or_went = {cid for cid in differing if (cid in self.old) != (cid in self.new)}
        self.uses_changed = {
            cid: set(self.old[cid].uses if cid in self.old else ()) ^ set(self.new[cid].uses if cid in self.new else ())
            for cid in differing
        }
        self.defines = {cid: frozenset((self.new.get(cid) or self.old[cid]).defines) for cid in self.came_or_went}
        # Only a clause that tests ``included`` or that came or went can be brought in by another.
        self.bringable = [cid for cid in differing if self.includes[cid] or cid in self.came_or_went]

    def affected(self, path: str) -> set[str]:
        root = path.split(".", 1)[0]
        touched = {cid for read, cids in self.by_root.get(root, ()) if _related(path, read) for cid in cids}
        touched |= self.reads_all
        while True:
            came_or_went = touched & self.came_or_went
            # The terms that some touched clause started or stopped using.
            terms = set().union(*(self.uses_changed[user] for user in touched))
            more = {cid for cid in self.bringable if cid not in touched and self._brought(cid, came_or_went, terms)}
            if not more:
                return touched
            touched |= more

    def _brought(self, cid: str, came_or_went: set[str], terms: set[str]) -> bool:
        includes = self.includes[cid]
        if came_or_went and ("*" in includes or includes & came_or_went):
            return True
        if cid not in self.came_or_went:
            return False  # on both sides: nothing brought it in or out
        return not self.defines[cid].isdisjoint(terms)


def choices_diff(
    old_spec: dict[str, Any],
    new_spec: dict[str, Any],
    *,
    old_doc: Document | None = None,
    new_doc: Document | None = None,
    redline_: Redline | None = None,
    library: Library | None = None,
) -> list[ChoiceChange]:
    """Each answer that differs between two specs, in words, with the differing clauses it affects
    (in the redline's order)."""
    old_doc = old_doc or assemble(old_spec, library)
    new_doc = new_doc or assemble(new_spec, library)
    red = redline_ or redline(old_doc, new_doc)
    differing = [c.id for c in red.clauses() if c.status != "unchanged"]
    attribution = _Attribution(old_doc, new_doc, differing, library or default_library())
    changes = []
    for path, old_words, new_words, action in _raw_changes(old_spec, new_spec):
        affected = attribution.affected(path)
        changes.append(
            ChoiceChange(
                path, vocabulary.label(path), old_words, new_words, tuple(c for c in differing if c in affected), action
            )
        )
    return changes
