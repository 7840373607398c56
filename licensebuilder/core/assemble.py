"""Spec -> Document: clauses selected by their conditions, ordered, numbered, cross-referenced.

Read top to bottom, :func:`assemble` is the whole algorithm: select the clauses whose ``when``
holds, render their bodies, bring in the definitions of the terms they use, number everything and
resolve cross-references. Rendering bodies is most of the cost, so it goes through
``cache.clause_renders`` (see ``core/cache.py``), and each step takes over from the thread's last
assembly what reads no answer that changed (``reuse.Reuse``: a section's choice, its bodies, its
clauses). ``assemble(spec, cached=False)`` does every step afresh, and the tests pin the two to
the same result.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import cache
from . import spec as specs
from .document import Clause, Document, Reason, Section
from .library import SPEC_ROOTS, ClauseTemplate, Library, LibraryError, default_library
from .reuse import Readers, Reuse
from .text import Trusted, join_words

__all__ = ["MODIFICATION_TERMS", "Clause", "Document", "Reason", "Section", "assemble"]

_MARKER = re.compile(r"\\.|\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]")
_REF = re.compile("\x00ref:([a-z0-9_.]+)\x00")
_BLANK_LINES = re.compile(r"\n\n\n+")  # three line breaks or more (a literal start: found fast)

# The defined term each modification type is known by in the license text: its question's `term:`
# in clauses/questions.yaml (spec.py reads the vocabulary; this module reads it through spec).
MODIFICATION_TERMS: dict[str, str] = specs.vocabulary.terms("derivatives")


# -- the template context --------------------------------------------------------------------


_DERIVED_FROM = "derivatives"  # the answers every derived name of the context is worked out from

# What each name of the context worked out from the spec reads of it: the name reads differently
# only where that does (the library, which also goes into some, is the same for a whole thread).
_SOURCES = {
    "spdx_id": "license",
    "restrictions": "use.restrictions",
    "mods_with": _DERIVED_FROM,
    **dict.fromkeys(("any_share_alike", "any_foundation", "any_attribution", "any_distributable"), _DERIVED_FROM),
}


def _any(derivatives: dict[str, Any], test: Callable[[Any], bool]) -> tuple[bool, tuple[str, ...]]:
    """Whether any modification's policy passes ``test``, and the paths of those whose does."""
    paths = tuple(f"{_DERIVED_FROM}.{key}" for key, policy in derivatives.items() if test(policy))
    return bool(paths), paths


class _Context:
    """Everything a clause body or condition can read: the spec and a few pure helpers."""

    def __init__(self, spec: dict[str, Any], library: Library):
        self.spec = spec
        self.library = library
        self.selected: set[str] = set()
        self._derived_made: dict[str, tuple[Reason, ...]] = {}
        derivatives = spec[_DERIVED_FROM]
        # Each derived name: its value, and the policies it stands for (its reasons).
        self.derived: dict[str, tuple[Any, tuple[str, ...]]] = {
            "any_share_alike": _any(derivatives, specs.SHARE_ALIKE_POLICIES.__contains__),
            "any_foundation": _any(derivatives, "share_alike_foundation".__eq__),
            "any_attribution": _any(derivatives, {"attribution", "share_alike_foundation"}.__contains__),
            "any_distributable": _any(derivatives, lambda policy: policy not in {"no_distribution", "prohibited"}),
        }

    def values(self) -> dict[str, Any]:
        ctx: dict[str, Any] = {root: self.spec[root] for root in SPEC_ROOTS}
        ctx.update({name: value for name, (value, _) in self.derived.items()})
        ctx.update(
            spdx_id=specs.spdx_id(self.spec),
            restrictions=self._restrictions(),
            ref=self.ref,
            included=self.included,
            term=self.term,
            mod_term=self.mod_term,
            mods_with=self.mods_with,
            element_names=self.element_names,
            element_label=self.element_label,
            mod_label=self.mod_label,
            join=self.join,
        )
        return ctx

    def _restrictions(self) -> list[dict[str, Any]]:
        listed = self.library.restriction_values
        return [
            listed[item] if isinstance(item, str) else {"id": None, "title": None, "text": item["text"], "custom": True}
            for item in self.spec["use"]["restrictions"]
        ]

    # Helpers called from templates. Their results are library text, so they are Trusted.
    def ref(self, clause_id: str) -> Trusted:
        return Trusted(f"\x00ref:{clause_id}\x00")

    def included(self, clause_id: str) -> bool:
        return clause_id in self.selected

    def term(self, name: str, surface: str | None = None) -> Trusted:
        return Trusted(f"[[{name}|{surface}]]" if surface else f"[[{name}]]")

    def mod_term(self, key: str, plural: bool = False) -> Trusted:
        name = MODIFICATION_TERMS[key]
        return self.term(name, name + "s" if plural else None)

    def mods_with(self, *policies: str) -> list[str]:
        return [k for k, v in self.spec["derivatives"].items() if v in policies]

    def element_label(self, key: str) -> Trusted:
        return Trusted(specs.ELEMENTS[key][0].lower())

    def mod_label(self, key: str) -> Trusted:
        return Trusted(specs.MODIFICATIONS[key][0].lower())

    def element_names(self, keys: list[str], conjunction: str = "and") -> Trusted:
        return Trusted(join_words([f"the {specs.ELEMENTS[k][0].lower()}" for k in keys], conjunction))

    def join(self, items: list[str], conjunction: str = "and") -> Trusted:
        return Trusted(join_words([str(i) for i in items], conjunction))

    def reasons(self, template: ClauseTemplate) -> tuple[Reason, ...]:
        out: list[Reason] = []
        for path in template.condition_paths:
            root = path.split(".", 1)[0]
            if root in self.derived:
                out.extend(self._derived_reasons(root))
            elif root in SPEC_ROOTS:
                try:
                    out.append(Reason(path, specs.get_path(self.spec, path)))
                except (KeyError, TypeError):
                    out.append(Reason(root, self.spec[root]))
        if len(out) < 2:
            return tuple(out)
        unique: dict[str, Reason] = {}
        for reason in out:
            unique.setdefault(reason.path, reason)
        return tuple(unique.values())

    def _derived_reasons(self, root: str) -> tuple[Reason, ...]:
        """The policies a derived name stands for, as reasons: worked out once per assembly, each
        reason made once (``cache.policy_reasons``: a policy is one of a few words)."""
        made = self._derived_made.get(root)
        if made is None:
            made = self._derived_made[root] = tuple(
                cache.policy_reason(path, specs.get_path(self.spec, path), Reason) for path in self.derived[root][1]
            )
        return made


# -- assembly --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rendered:
    """A clause body as its template renders it: terms unmarked, references not yet resolved."""

    template: ClauseTemplate
    body: str
    uses: tuple[str, ...]  # the defined terms it uses, in order
    # The body cut at its cross-references: text, target clause id, text, ... (empty: it has none).
    pieces: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()  # the ids of the clauses it refers to, in order (``pieces[1::2]``)

    @property
    def text_size(self) -> int:
        return len(self.body)


def _unmark(text: str) -> tuple[str, tuple[str, ...]]:
    uses: dict[str, None] = {}

    def replace(match: re.Match[str]) -> str:
        term, surface = match.groups()
        if term is None:
            return match.group(0)  # an escape such as \[ stays as it is
        term = term.strip()
        uses[term] = None
        return surface or term

    return _MARKER.sub(replace, text) if "[[" in text else text, tuple(uses)


def _render(template: ClauseTemplate, values: dict[str, Any]) -> _Rendered:
    try:
        raw = template.body.render(values)
    except Exception as exc:
        raise LibraryError(f"{template.path}: {type(exc).__name__}: {exc}") from None
    # Collapse the blank lines that conditional blocks leave behind.
    body, uses = _unmark(_BLANK_LINES.sub("\n\n", raw).strip())
    pieces = tuple(_REF.split(body)) if "\x00ref:" in body else ()
    return _Rendered(template, body, uses, pieces, pieces[1::2])


def _render_cached(template: ClauseTemplate, values: dict[str, Any], reuse: Reuse) -> _Rendered:
    if "*" in template.read_paths:
        return _render(template, values)  # what it reads is known only when it runs
    last = reuse.last
    if last is not None and template.id not in reuse.stale[1]:
        kept = last.renders.get(id(template))
        if kept is not None and kept.template is template:
            reuse.renders[id(template)] = kept
            return kept
    paths = cache.template_paths(template.read_paths, values)
    key = cache.render_key(template, paths, values, reuse.selected or (), reuse.parts)
    hit = cache.clause_renders.get(key)
    rendered = hit if hit is not None and hit.template is template else None
    if rendered is None:
        rendered = cache.clause_renders.put(key, _render(template, values))
    reuse.renders[id(template)] = rendered
    return rendered


def _applies(template: ClauseTemplate, values: dict[str, Any]) -> bool:
    if template.condition is None:
        return True
    try:
        return bool(template.condition(**values))
    except Exception as exc:
        raise LibraryError(f"{template.path}: condition {template.when!r}: {exc}") from None


def _applies_cached(template: ClauseTemplate, values: dict[str, Any], reuse: Reuse) -> bool:
    if template.condition is None:
        return True
    last = reuse.last
    if last is not None and template.id not in reuse.stale[0]:
        kept = last.conditions.get(id(template))
        if kept is not None and kept[0] is template:
            reuse.conditions[id(template)] = kept
            return kept[1]
    paths = cache.template_paths(template.condition_paths, values)
    key = cache.render_key(template, paths, values, reuse.selected or (), reuse.parts)
    hit = cache.conditions.get(key)
    result = hit if hit is not None else cache.conditions.put(key, _applies(template, values))
    entry = last.conditions.get(id(template)) if last is not None else None
    if entry is None or entry[0] is not template or entry[1] != result:
        entry = (template, result)  # otherwise the last one's, which says the same
    reuse.conditions[id(template)] = entry
    return result


def _define_terms(
    rendered: dict[str, _Rendered],
    definitions: dict[str, list[ClauseTemplate]],
    applies: Callable[[ClauseTemplate], bool],
    render: Callable[[ClauseTemplate], _Rendered],
) -> tuple[dict[str, _Rendered], dict[str, list[str]]]:
    """The definitions the license needs, by term, and the ids of the clauses using each term.
    Definitions come in only for terms the license uses, including terms used by definitions:
    clauses are taken in turn, each with the terms it uses (each named once), and a definition
    joins the end of the line when first needed. The order of ``defined`` and of users follows."""
    defined: dict[str, _Rendered] = {}
    used_by: dict[str, list[str]] = {}  # term -> the ids of the clauses using it, in order
    line = list(rendered.values())  # a definition joins its end when its term is first used
    joined: dict[int, _Rendered] = {}  # the definitions in the line, by template
    for r in line:
        clause_id = r.template.id
        for term in r.uses:
            users = used_by.get(term)
            if users is None:  # the term's first use: its definition joins the line
                users = used_by[term] = []
                if term in definitions:
                    candidates = [t for t in definitions[term] if applies(t)]
                    if len(candidates) != 1:
                        raise LibraryError(f"term {term!r}: {len(candidates)} definitions apply to this spec")
                    if id(candidates[0]) not in joined:  # a definition of several terms is made, and joins, once
                        line.append(joined.setdefault(id(candidates[0]), render(candidates[0])))
                    defined[term] = joined[id(candidates[0])]
            users.append(clause_id)
    return defined, used_by


def assemble(spec: dict[str, Any], library: Library | None = None, *, cached: bool = True) -> Document:
    """Build the Document for a validated spec."""
    library = library or default_library()
    if not cached:
        return _assemble(spec, library, cached=False)
    text, texts = cache.spec_texts(spec)  # key order matters
    key = (id(library), text)
    hit = cache.documents.get(key)
    if hit is not None and hit[0] is library:
        return hit[1]
    # The document keeps its own copy of the spec: what the caller does to theirs later cannot change it.
    document = _assemble(json.loads(text), library, cached=True, texts=texts)
    cache.documents.put(key, (library, document))
    return document


def _assemble(spec: dict[str, Any], library: Library, *, cached: bool, texts: dict[str, str] | None = None) -> Document:
    context = _Context(spec, library)
    values = context.values()
    # What this thread's last assembly worked out, for the templates that read the same answers
    # (each answer compared by its text, and each name worked out from answers by theirs).
    readers = Readers.of(library, values, context.derived) if cached else None
    reuse = Reuse(library, values, readers, texts or {}, _SOURCES) if readers else None

    def applies(template: ClauseTemplate) -> bool:
        return _applies_cached(template, values, reuse) if reuse else _applies(template, values)

    # Section by section (a section none of whose conditions reads a changed answer chooses as
    # it did last time), the clauses whose ``when`` holds.
    chosen: dict[str, ClauseTemplate] = {}
    picks: list[tuple[str, list[ClauseTemplate]]] = []
    for section_id, templates in library.by_section:
        picked = reuse.choice(section_id, templates, applies) if reuse else [t for t in templates if applies(t)]
        picks.append((section_id, picked))
        for template in picked:
            if template.id in chosen:
                raise LibraryError(f"{template.path}: clause {template.id} selected twice for one spec")
            chosen[template.id] = template
    context.selected = set(chosen)
    if reuse:
        reuse.choose(frozenset(chosen))

    def render(template: ClauseTemplate) -> _Rendered:
        return _render_cached(template, values, reuse) if reuse else _render(template, values)

    # Their bodies, section by section likewise.
    rendered: dict[str, _Rendered] = {}
    for section_id, picked in picks:
        bodies = reuse.bodies_of(section_id, picked, render) if reuse else [render(t) for t in picked]
        rendered.update(zip([t.id for t in picked], bodies, strict=True))

    kept_terms = reuse.kept_terms(rendered) if reuse else None
    if kept_terms is not None:
        defined, used_by = kept_terms  # the same bodies as last time, using the same terms
    else:
        defined, used_by = _define_terms(rendered, library.definitions(), applies, render)
    if reuse:
        reuse.terms = (defined, used_by)

    # Numbers first, so that each clause is made once, with its references already resolved.
    by_section: dict[str, list[_Rendered]] = {}
    for r in rendered.values():
        members = by_section.get(r.template.section)
        if members is None:
            members = by_section[r.template.section] = []
        members.append(r)
    layout: list[tuple[Any, str, list[_Rendered]]] = []
    numbers: dict[str, str] = {}
    for section_def in library.ordered_sections():
        if section_def.id == "definitions":
            members = sorted({id(r): r for r in defined.values()}.values(), key=lambda r: r.template.defines[0].lower())
        else:
            members = by_section.get(section_def.id, [])
        if not members:
            continue
        number = str(len(layout) + 1)
        for index, r in enumerate(members, start=1):
            numbers[r.template.id] = f"{number}.{index}"
        layout.append((section_def, number, members))

    def resolve(r: _Rendered) -> str:
        """The body with each cross-reference replaced by the number of the clause it names."""
        if not r.pieces:
            return r.body
        parts = list(r.pieces)
        for i in range(1, len(parts), 2):
            if parts[i] not in numbers:
                raise LibraryError(f"clause {r.template.id} refers to {parts[i]}, which this license does not contain")
            parts[i] = numbers[parts[i]]
        return "".join(parts)

    def users(t: ClauseTemplate) -> tuple[str, ...]:
        """For a definition: the clauses that use the terms it defines, in order."""
        if len(t.defines) == 1:
            return tuple(used_by.get(t.defines[0], ()))
        return tuple(dict.fromkeys(u for term in t.defines for u in used_by.get(term, ())))

    def make(r: _Rendered, section_id: str) -> Clause:
        t = r.template
        return Clause(
            id=t.id,
            variant=t.variant,
            title=t.title,
            number=numbers[t.id],
            body=resolve(r),
            defines=t.defines,
            uses=r.uses,
            why=context.reasons(t),
            used_by=users(t) if t.defines else (),
            rationale=t.rationale,
            version=t.version,
            section=section_id,
        )

    last = reuse.last if reuse else None
    if reuse:
        reuse.numbers, reuse.used_by = numbers, used_by
    # Every clause where it was, each definition used by the same clauses: most edits.
    placed_alike = last is not None and numbers == last.numbers and used_by == last.used_by
    # Whether the answers the derived names stand for may have changed (``_Context.derived``).
    derived_changed = reuse is not None and reuse.changed(_DERIVED_FROM)

    def kept(r: _Rendered) -> tuple[_Rendered, Clause] | None:
        """The last assembly's clause of this very body, with it, if its place, the numbers it
        cites, its reasons and, for a definition, its users are as they were."""
        t = r.template
        entry = last.clauses.get(id(t)) if last is not None and reuse else None
        if last is None or reuse is None or entry is None or entry[0] is not r:
            return None
        before = entry[1]
        if not placed_alike and (
            before.number != numbers[t.id]
            or before.used_by != (users(t) if t.defines else ())
            or (r.cites and any(numbers[ref] != last.numbers.get(ref) for ref in r.cites))
        ):
            return None
        # Its reasons quote what its condition reads (a derived answer may stand for other policies now).
        quoted = t.id in reuse.stale[0] or (derived_changed and t.id in reuse.readers.derived)
        return None if quoted and before.why != context.reasons(t) else entry

    def clause(r: _Rendered, section_id: str) -> Clause:
        if reuse is None:
            return make(r, section_id)
        entry = kept(r) or (r, make(r, section_id))
        reuse.clauses[id(r.template)] = entry
        return entry[1]

    def section(section_def: Any, number: str, members: list[_Rendered]) -> Section:
        if reuse is None:
            return Section(section_def.id, section_def.title, number, tuple(make(r, section_def.id) for r in members))
        # Every clause of it kept (see ``kept``): the very same section. Or all but some definitions.
        same = reuse.kept_section(section_def.id, number, members, numbers, used_by, derived_changed, context.reasons)
        if isinstance(same, Section):
            return same
        clauses = tuple(
            c or clause(r, section_def.id) for r, c in zip(members, same or [None] * len(members), strict=True)
        )
        made = Section(section_def.id, section_def.title, number, clauses)
        reuse.keep_section(made, members)
        return made

    sections = tuple(section(section_def, number, members) for section_def, number, members in layout)
    terms = {term: r.template.id for term, r in defined.items()}
    for r in rendered.values():
        for term in r.template.defines:
            terms.setdefault(term, r.template.id)
    if reuse:
        reuse.finish()
    return Document(spec=spec, sections=sections, library_version=library.version, terms=terms)
