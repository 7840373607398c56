"""Each thread's last assembly, for the next one (``Reuse``).

A licensor changes one answer at a time, so most of what an assembly works out is what the last
one worked out. This module finds which templates read an answer that changed (``Readers``,
``Reuse.stale``) and lends the rest: conditions, rendered bodies, clauses and whole sections.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from . import cache
from .cache import key_part

_MISSING = object()

_last = threading.local()  # each thread's last assembly: see ``Reuse``


@dataclass(frozen=True)
class Readers:
    """For one clause library, by the answers templates read (see :func:`read_paths`): the ids of
    the templates whose condition reads each, and of those whose body does; the ids of those whose
    reasons a derived answer gives (``any_share_alike`` stands for several policies), and of the
    definitions."""

    conditions: dict[str, frozenset[str]]
    bodies: dict[str, frozenset[str]]
    derived: frozenset[str]
    definitions: frozenset[str]

    @classmethod
    def of(cls, library: Any, values: dict[str, Any], derived: Collection[str]) -> Readers:
        """Which templates of ``library`` read each answer, worked out once per library (kept in
        ``cache.readers``). ``values`` is an assembly's template context, ``derived`` the names
        in it worked out from other answers."""
        hit = cache.readers.get(id(library))
        if hit is not None and hit[0] is library:
            return hit[1]
        conditions: dict[str, set[str]] = {}
        bodies: dict[str, set[str]] = {}
        for t in library.clauses:
            for path in cache.read_paths(t.condition_paths, values):
                conditions.setdefault(path, set()).add(t.id)
            for path in cache.read_paths(t.read_paths, values):
                bodies.setdefault(path, set()).add(t.id)
        readers = cls(
            conditions={path: frozenset(ids) for path, ids in conditions.items()},
            bodies={path: frozenset(ids) for path, ids in bodies.items()},
            derived=frozenset(i for path, ids in conditions.items() if path.split(".")[0] in derived for i in ids),
            definitions=frozenset(t.id for t in library.clauses if t.section == "definitions"),
        )
        cache.readers.put(id(library), (library, readers))
        return readers

    @property
    def size(self) -> int:
        return 256 * (len(self.conditions) + len(self.bodies)) + 64 * (len(self.derived) + len(self.definitions))

    @cached_property
    def by_root(self) -> tuple[dict[str, tuple[tuple[str, frozenset[str]], ...]], ...]:
        """``conditions`` and ``bodies`` grouped by the root of each path (``included`` left out:
        what reads it is for ``Reuse.choose``), so that a root that did not change is passed over
        whole."""
        out = []
        for readers in (self.conditions, self.bodies):
            grouped: dict[str, list[tuple[str, frozenset[str]]]] = {}
            for path, ids in readers.items():
                root = path.split(".", 1)[0]
                if root != "included":
                    grouped.setdefault(root, []).append((path, ids))
            out.append({root: tuple(entries) for root, entries in grouped.items()})
        return tuple(out)


class Reuse:
    """One assembly's results, and what it can take from the same thread's last assembly of the
    same library. A licensor changes one answer at a time, so most clauses read exactly what they
    read last time: their condition, their rendered body and the clause itself are taken as they
    were, section by section where a whole section reads nothing that changed, with no key built
    and no cache consulted. Only the templates reading an answer that changed (``stale``) go by
    key to the caches of ``core/cache.py``.

    A thread keeps one assembly, the last; it holds no earlier one (``finish``)."""

    def __init__(
        self,
        library: Any,
        values: dict[str, Any],
        readers: Readers,
        texts: dict[str, str] | None = None,
        sources: dict[str, str] | None = None,
    ):
        last = getattr(_last, "assembly", None)
        fits = last is not None and last.library is library and last.generation == cache.generation
        self.last: Reuse | None = last if fits else None
        self.library, self.values, self.generation = library, values, cache.generation
        # Each answer's JSON text, as the assembly's key was written (``cache.spec_texts``); and for
        # each name worked out from the answers, the answer it is worked out from.
        self.texts, self.sources = texts or {}, sources or {}
        self.parts: dict[str, Any] = {}  # path -> key part, each worked out once
        self._roots: dict[str, bool] = {}  # root -> whether anything under it changed
        self.selected: Collection[str] | None = None  # the clauses chosen, once they are
        # By template (its identity: variants of a clause share its id), each entry holding the
        # template, or what names it, so that an entry is only ever taken for that very template.
        self.conditions: dict[int, tuple[Any, bool]] = {}  # (template, whether its ``when`` holds)
        self.renders: dict[int, Any] = {}  # its rendered body
        self.clauses: dict[int, tuple[Any, Any]] = {}  # (rendered body, clause)
        # By section id: its templates, those chosen, their entries of ``conditions`` and the ids
        # of its templates; and those chosen, their bodies, the bodies by template, the ids of
        # those chosen and whether any of them reads what only rendering tells.
        self.choices: dict[str, tuple[Any, list[Any], dict[int, tuple[Any, bool]], frozenset[str]]] = {}
        self.bodies: dict[str, tuple[list[Any], list[Any], dict[int, Any], frozenset[str], bool]] = {}
        # By section id: its rendered bodies, the section, its entries of ``clauses``, the ids of
        # the templates it was made from, the clauses they cite and the terms they define.
        self.sections: dict[str, tuple[Any, ...]] = {}
        self.numbers: dict[str, str] = {}  # clause id -> its number
        self.used_by: dict[str, list[str]] = {}  # defined term -> the ids of its users
        self.terms: tuple[dict[str, Any], dict[str, list[str]]] | None = None  # (defined, used_by)
        self.rendered: tuple[Any, ...] = ()  # the bodies of the clauses chosen, in order
        # The ids of the templates whose condition, and whose body, reads an answer that is not as
        # it was (``readers``: for each, which templates read each answer); all without a last.
        self.readers = readers
        conditions, bodies = readers.by_root
        self.stale: tuple[Collection[str], Collection[str]] = (
            (self._changed(conditions), self._changed(bodies)) if self.last else (_EVERY, _EVERY)
        )

    def _changed(self, by_root: dict[str, tuple[tuple[str, frozenset[str]], ...]]) -> set[str]:
        last = self.last
        assert last is not None
        stale: set[str] = set()
        for root, readers in by_root.items():
            if self._differs(root):
                # An answer whose text changed reads differently as a whole; a name worked out
                # from one (``sources``: ``any_share_alike``) only if its value does.
                whole = root not in self.sources
                for path, ids in readers:
                    if (whole and path == root) or self.part(path) != last.part(path):
                        stale.update(ids)
        return stale

    def changed(self, root: str) -> bool:
        """Whether anything under ``root`` may not be as it was (always, with no last assembly)."""
        return self.last is None or self._differs(root)

    def choice(self, section_id: str, templates: tuple[Any, ...], applies: Callable[[Any], bool]) -> list[Any]:
        """The templates of a section whose condition ``applies``: those the last assembly chose,
        when none of their conditions reads an answer that changed."""
        last = self.last
        entry = last.choices.get(section_id) if last is not None else None
        if entry is not None and entry[0] is templates and entry[3].isdisjoint(self.stale[0]):
            self.conditions.update(entry[2])
            self.choices[section_id] = entry
            return entry[1]
        picked = [t for t in templates if applies(t)]
        entries = {id(t): self.conditions[id(t)] for t in templates if id(t) in self.conditions}
        self.choices[section_id] = (templates, picked, entries, frozenset(t.id for t in templates))
        return picked

    def bodies_of(self, section_id: str, picked: list[Any], render: Callable[[Any], Any]) -> list[Any]:
        """The bodies of a section's chosen templates, as ``render`` makes them: those the last
        assembly rendered, when it chose the same templates and none of their bodies reads an
        answer that changed (``included`` among them)."""
        last = self.last
        entry = last.bodies.get(section_id) if last is not None else None
        if entry is not None:
            before, bodies, renders, ids, unknown = entry
            if (
                not unknown
                and (before is picked or (len(before) == len(picked) and all(map(operator.is_, before, picked))))
                and ids.isdisjoint(self.stale[1])
            ):
                self.renders.update(renders)
                self.bodies[section_id] = entry
                return bodies
        bodies = [render(t) for t in picked]
        self.bodies[section_id] = (
            picked,
            bodies,
            {id(r.template): r for r in bodies},
            frozenset(t.id for t in picked),
            any("*" in t.read_paths for t in picked),  # what it reads is known only when it renders
        )
        return bodies

    def kept_section(
        self,
        section_id: str,
        number: str,
        members: list[Any],
        numbers: dict[str, str],
        used_by: dict[str, list[str]],
        derived_changed: bool,
        reasons: Callable[[Any], Any],
    ) -> Any:
        """The last assembly's section of this id, when each of its clauses would be kept: the
        section has the same number and the very same bodies, none of whose conditions reads an
        answer that changed; the clauses they cite have the numbers they had; the terms they
        define are used by the same clauses. When only the last is not so (some definitions are
        used by other clauses now), its clauses in order, None for each such definition; None
        when the section must be made clause by clause."""
        last = self.last
        entry = last.sections.get(section_id) if last is not None else None
        if last is None or entry is None:
            return None
        bodies, section, clauses, ids, cites, terms = entry
        if (
            section.number != number
            or len(bodies) != len(members)
            or not all(map(operator.is_, bodies, members))
            or not ids.isdisjoint(self.stale[0])
            or (
                derived_changed and not ids.isdisjoint(self.readers.derived) and not self._quote_alike(clauses, reasons)
            )
            or any(numbers[ref] != last.numbers.get(ref) for ref in cites)
        ):
            return None
        used_otherwise = {term for term in terms if used_by.get(term) != last.used_by.get(term)}
        if not used_otherwise:
            self.clauses.update(clauses)
            self.sections[section_id] = entry
            return section
        out: list[Any] = []
        for r, clause in zip(bodies, section.clauses, strict=True):
            if used_otherwise.isdisjoint(r.template.defines):
                self.clauses[id(r.template)] = clauses[id(r.template)]  # (r, clause)
                out.append(clause)
            else:
                out.append(None)
        return out

    def _quote_alike(self, clauses: dict[int, tuple[Any, Any]], reasons: Callable[[Any], Any]) -> bool:
        """Whether each of these clauses whose reasons quote a derived answer (``any_share_alike``
        stands for the policies that make it so) gives the reasons it gave."""
        derived = self.readers.derived
        return all(reasons(r.template) == clause.why for r, clause in clauses.values() if r.template.id in derived)

    def keep_section(self, section: Any, members: list[Any]) -> None:
        """Remember a section made anew, with its clauses (already in ``clauses``)."""
        clauses = {id(r.template): self.clauses[id(r.template)] for r in members}
        entry = self.last.sections.get(section.id) if self.last is not None else None
        if entry is not None and len(entry[0]) == len(members) and all(map(operator.is_, entry[0], members)):
            # Made of the very same bodies (some definitions are used by other clauses now): the
            # ids, citations and terms of the last one's.
            self.sections[section.id] = (entry[0], section, clauses, *entry[3:])
            return
        self.sections[section.id] = (
            tuple(members),
            section,
            clauses,
            frozenset(r.template.id for r in members),
            tuple(dict.fromkeys(ref for r in members for ref in r.cites)),
            tuple(term for r in members for term in r.template.defines),
        )

    def _differs(self, root: str) -> bool:
        """Whether anything under ``root`` is not as it was: most answers are, and are ruled out
        by comparing each root once."""
        differs = self._roots.get(root)
        if differs is None:
            last = self.last
            assert last is not None
            source = self.sources.get(root, root)
            text = self.texts.get(source)
            if text is not None and source in last.texts:
                differs = text != last.texts[source]
            else:
                differs = self.part(source) != last.part(source)
            self._roots[root] = differs
        return differs

    def choose(self, selected: Collection[str]) -> None:
        """The clauses are chosen: from now on, what reads ``included`` reads them."""
        self.selected = selected
        last = self.last
        if last is None or last.selected == selected:
            return
        for readers, stale in zip((self.readers.conditions, self.readers.bodies), self.stale, strict=True):
            assert isinstance(stale, set)
            for path, ids in readers.items():
                if path == "included" or (
                    path.startswith("included.") and (path[9:] in selected) != (path[9:] in (last.selected or ()))
                ):
                    stale.update(ids)

    def kept_terms(self, rendered: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]] | None:
        """The last assembly's definitions and their users (see ``assemble._define_terms``), when
        the license is made of bodies of the same templates, in the same order, using the same
        terms in the same order (the bodies themselves may read differently), and no definition
        reads an answer that changed. Their conditions and bodies are carried over with them."""
        last = self.last
        self.rendered = tuple(rendered.values())
        if (
            last is None
            or last.terms is None
            or len(self.rendered) != len(last.rendered)
            or not all(map(_same_terms, self.rendered, last.rendered))
            or not all(map(self.readers.definitions.isdisjoint, self.stale))
        ):
            return None
        for key, (template, applies) in last.conditions.items():
            if template.section == "definitions":
                self.conditions[key] = (template, applies)
        defined = last.terms[0]
        for r in defined.values():
            self.renders[id(r.template)] = r
        return last.terms

    def part(self, path: str) -> Any:
        part = self.parts.get(path, _MISSING)
        if part is _MISSING:
            part = self.parts[path] = key_part(path, self.values)
        return part

    def finish(self) -> None:
        self.last = None  # the next assembly reuses this one, never the one before it
        _last.assembly = self


def _same_terms(a: Any, b: Any) -> bool:
    """Whether two rendered bodies are of the same template and use the same terms, in order."""
    return a is b or (a.template is b.template and a.uses == b.uses)


class _Every:
    """Every template id: what an assembly with nothing to reuse treats as stale."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERY: Any = _Every()
