"""Spec -> Document: clauses selected by their conditions, ordered, numbered, cross-referenced.

A Document is structured data in the manner of Common Form: sections of clauses with stable ids,
numbers derived from their position, defined terms collected and each clause's reason for being
there recorded. Renderers only format it.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from . import spec as specs
from .library import SPEC_ROOTS, ClauseTemplate, Library, LibraryError, default_library
from .text import Trusted, join_words

_MARKER = re.compile(r"\\.|\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]")
_REF = re.compile("\x00ref:([a-z0-9_.]+)\x00")

# The defined term each modification type is known by in the license text.
MODIFICATION_TERMS: dict[str, str] = {
    "fine_tune_full": "Full Fine-Tune",
    "fine_tune_head": "Head-Only Fine-Tune",
    "initialization": "Initialisation Use",
    "distillation": "Distillation",
    "synthetic_data": "Synthetic Data Training",
    "embeddings": "Component Use",
    "code_changes": "Code Change",
    "prompts": "Prompt Change",
}


@dataclass(frozen=True)
class Reason:
    """One answer that selected a clause: a spec path and the value it had."""

    path: str
    value: Any

    def __str__(self) -> str:
        return f"{self.path} = {_show(self.value)}"


@dataclass(frozen=True)
class Clause:
    id: str
    variant: str | None
    title: str
    number: str
    body: str  # Markdown: terms unmarked, references resolved, user text escaped
    defines: tuple[str, ...]
    uses: tuple[str, ...]
    why: tuple[Reason, ...]
    used_by: tuple[str, ...]  # for definitions: the clauses that use the term
    rationale: str
    version: int
    section: str

    @property
    def anchor(self) -> str:
        return "clause-" + self.id.replace(".", "-").replace("_", "-")

    @property
    def key(self) -> str:
        return f"{self.id}@{self.variant}" if self.variant else self.id


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    number: str
    clauses: tuple[Clause, ...]

    @property
    def anchor(self) -> str:
        return "section-" + self.id.replace("_", "-")


@dataclass(frozen=True)
class Document:
    spec: dict[str, Any]
    sections: tuple[Section, ...]
    library_version: str
    terms: dict[str, str] = field(default_factory=dict)  # term -> id of the defining clause

    @property
    def title(self) -> str:
        return self.spec["license"]["name"]

    @property
    def version(self) -> str:
        return self.spec["license"]["version"]

    @property
    def spdx_id(self) -> str:
        return specs.spdx_id(self.spec)

    def clauses(self) -> list[Clause]:
        return [clause for section in self.sections for clause in section.clauses]

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses() if c.id == clause_id), None)

    def to_data(self) -> dict[str, Any]:
        """The document as plain JSON data: what a revision keeps so that its text never changes
        when the clause library does."""
        return {
            "spec": self.spec,
            "library_version": self.library_version,
            "terms": dict(self.terms),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "number": s.number,
                    "clauses": [
                        {
                            "id": c.id,
                            "variant": c.variant,
                            "title": c.title,
                            "number": c.number,
                            "body": c.body,
                            "defines": list(c.defines),
                            "uses": list(c.uses),
                            "why": [[r.path, r.value] for r in c.why],
                            "used_by": list(c.used_by),
                            "rationale": c.rationale,
                            "version": c.version,
                            "section": c.section,
                        }
                        for c in s.clauses
                    ],
                }
                for s in self.sections
            ],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Document:
        """The inverse of :meth:`to_data`."""
        sections = tuple(
            Section(
                id=s["id"],
                title=s["title"],
                number=s["number"],
                clauses=tuple(
                    Clause(
                        id=c["id"],
                        variant=c["variant"],
                        title=c["title"],
                        number=c["number"],
                        body=c["body"],
                        defines=tuple(c["defines"]),
                        uses=tuple(c["uses"]),
                        why=tuple(Reason(path, value) for path, value in c["why"]),
                        used_by=tuple(c["used_by"]),
                        rationale=c["rationale"],
                        version=c["version"],
                        section=c["section"],
                    )
                    for c in s["clauses"]
                ),
            )
            for s in data["sections"]
        )
        return cls(data["spec"], sections, data["library_version"], dict(data.get("terms") or {}))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


# -- the template context --------------------------------------------------------------------


class _Context:
    """Everything a clause body or condition can read: the spec and a few pure helpers."""

    def __init__(self, spec: dict[str, Any], library: Library):
        self.spec = spec
        self.library = library
        self.selected: set[str] = set()
        derivatives = spec["derivatives"]
        self.derived: dict[str, tuple[Any, tuple[str, ...]]] = {
            "any_share_alike": (
                specs.uses_share_alike(spec),
                tuple(f"derivatives.{k}" for k, v in derivatives.items() if v in specs.SHARE_ALIKE_POLICIES),
            ),
            "any_foundation": (
                "share_alike_foundation" in derivatives.values(),
                tuple(f"derivatives.{k}" for k, v in derivatives.items() if v == "share_alike_foundation"),
            ),
            "any_attribution": (
                any(v in {"attribution", "share_alike_foundation"} for v in derivatives.values()),
                tuple(
                    f"derivatives.{k}" for k, v in derivatives.items() if v in {"attribution", "share_alike_foundation"}
                ),
            ),
            "any_distributable": (
                any(v not in {"no_distribution", "prohibited"} for v in derivatives.values()),
                tuple(f"derivatives.{k}" for k, v in derivatives.items() if v not in {"no_distribution", "prohibited"}),
            ),
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
        out = []
        for item in self.spec["use"]["restrictions"]:
            if isinstance(item, str):
                r = self.library.restrictions[item]
                out.append({"id": r.id, "title": r.title, "text": Trusted(r.text), "custom": False})
            else:
                out.append({"id": None, "title": None, "text": item["text"], "custom": True})
        return out

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
                out.extend(Reason(p, specs.get_path(self.spec, p)) for p in self.derived[root][1])
            elif root in SPEC_ROOTS:
                try:
                    out.append(Reason(path, specs.get_path(self.spec, path)))
                except (KeyError, TypeError):
                    out.append(Reason(root, self.spec[root]))
        unique: dict[str, Reason] = {}
        for reason in out:
            unique.setdefault(reason.path, reason)
        return tuple(unique.values())


# -- assembly --------------------------------------------------------------------------------


@dataclass
class _Rendered:
    template: ClauseTemplate
    plan: _Plan
    body: str
    uses: tuple[str, ...]
    # The clauses the body refers to, and the body with their numbers filled in, by those numbers.
    targets: tuple[str, ...] = ()
    resolved: dict[tuple[str, ...], str] = field(default_factory=dict)


def _unmark(text: str) -> tuple[str, tuple[str, ...]]:
    uses: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)  # an escape such as \[ stays as it is
        term = match.group(1).strip()
        if term not in uses:
            uses.append(term)
        return match.group(2) or term

    return _MARKER.sub(replace, text), tuple(uses)


# Rendered clauses by what their templates read: an edit re-renders only the clauses that read
# the answers it changed. Keys hold the template's identity (kept alive in ``_PLANS``), so a
# reloaded library never hits.
_RENDERED: OrderedDict[tuple[Any, ...], _Rendered] = OrderedDict()
_RENDERED_MAX = 16384
_RENDER_LOCK = threading.Lock()
# Helpers whose result depends on more than their arguments.
_HELPER_READS = {"mods_with": ("derivatives",), "included": ("__selected__",)}
# A body that calls ``mods_with`` only with constants is keyed on those calls' results instead of
# on every derivative policy: the names of those parts of a key, and the calls they stand for.
_MODS_WITH_CALLS: dict[str, tuple[Any, ...]] = {}


class _Prints(dict):
    """Per assembly: the parts of cache keys, each computed when a key first needs it.

    ``name`` is a context value as JSON; ``"\x01" + path`` is the value at a dotted path, as
    precisely as a template names it (see ``_path_value``). Being a dict that fills itself, a
    template's whole key is one C-level ``itemgetter`` call over it."""

    def __init__(self, values: dict[str, Any]):
        super().__init__()
        self.values = values

    def __missing__(self, name: str) -> str:
        if name[:1] == "\x01":
            text = _path_value(name[1:], self.values, self)
        elif name[:1] == "\x02":
            text = "\x1f".join(self.values["mods_with"](*_MODS_WITH_CALLS[name]))
        else:
            value = self.values.get(name)
            text = "" if value is None or callable(value) else json.dumps(value, sort_keys=True, default=str)
        self[name] = text
        return text


def _fingerprints(values: dict[str, Any], selected: set[str]) -> _Prints:
    out = _Prints(values)
    out["__selected__"] = ",".join(sorted(selected))
    return out


def _getter(names: tuple[str, ...]) -> Callable[[_Prints], Any]:
    """The parts of a key named ``names``, read from an assembly's prints in one call."""
    if not names:
        return lambda prints: ()
    return itemgetter(*names)  # one name: the part itself; several: a tuple; either is a fine key


@dataclass(frozen=True)
class _Plan:
    """What a template's cache keys are made of, worked out once per template."""

    template: ClauseTemplate
    render_key: Callable[[_Prints], Any] | None  # None: the body reads something unknowable; never cached
    condition_key: Callable[[_Prints], Any] | None  # None: the condition is not cached
    # The parts that decide the template's reasons (see ``_Context.reasons``).
    reasons_key: Callable[[_Prints], Any]


_PLANS: dict[int, tuple[ClauseTemplate, _Plan]] = {}


def _plan(template: ClauseTemplate, values: dict[str, Any]) -> _Plan:
    entry = _PLANS.get(id(template))
    if entry is not None and entry[0] is template:
        return entry[1]

    def varies(path: str) -> bool:
        # Every assembly's context has the same names, and its helpers are always callables: a
        # path into a helper, or a name that is not in the context (a template's own variable),
        # gives the same part of a key in every assembly, so it is left out of the key.
        value = values.get(path.split(".", 1)[0])
        return value is not None and not callable(value)

    helper_sources: tuple[str, ...] = ()
    for name in sorted(template.reads & _HELPER_READS.keys()):
        if name == "mods_with" and template.mods_with_calls is not None:
            for args in template.mods_with_calls:
                part = "\x02" + repr(args)
                _MODS_WITH_CALLS[part] = args
                helper_sources += (part,)
        else:
            helper_sources += _HELPER_READS[name]
    condition_parts = tuple("\x01" + p for p in template.condition_paths if varies(p))
    # A name that is not a part of the spec is derived from the derivative policies (see
    # ``_Context.derived``), and its reasons are those policies: the whole of ``derivatives``.
    derived = any(p.split(".", 1)[0] not in SPEC_ROOTS for p in template.condition_paths)
    plan = _Plan(
        template=template,
        render_key=(
            None
            if "*" in template.reads
            else _getter(tuple("\x01" + p for p in template.read_paths if varies(p)) + helper_sources)
        ),
        condition_key=(
            _getter(condition_parts)
            if "*" not in template.when_reads and not (template.when_reads & _HELPER_READS.keys())
            else None
        ),
        reasons_key=_getter(condition_parts + (("derivatives",) if derived else ())),
    )
    _PLANS[id(template)] = (template, plan)  # the template is kept, so its id is never reused
    return plan


_LIBRARY_PLANS: dict[int, tuple[Library, tuple[_Plan, ...]]] = {}


def _plans(library: Library, values: dict[str, Any]) -> tuple[_Plan, ...]:
    """The plans of ``library.clauses``, in their order: looked up once per library, not once per
    template in every assembly."""
    entry = _LIBRARY_PLANS.get(id(library))
    if entry is not None and entry[0] is library:
        return entry[1]
    plans = tuple(_plan(template, values) for template in library.clauses)
    _LIBRARY_PLANS[id(library)] = (library, plans)  # the library is kept, so its id is never reused
    return plans


def _render_cached(plan: _Plan, values: dict[str, Any], prints: _Prints) -> _Rendered:
    template = plan.template
    key = (id(template), plan.render_key(prints)) if plan.render_key is not None else None
    if key is not None:
        with _RENDER_LOCK:
            hit = _RENDERED.get(key)
            if hit is not None:
                _RENDERED.move_to_end(key)
                return hit
    rendered = _render(plan, values)
    if key is not None:
        with _RENDER_LOCK:
            _RENDERED[key] = rendered
            while len(_RENDERED) > _RENDERED_MAX:
                _RENDERED.popitem(last=False)
    return rendered


def clear_render_cache() -> None:
    with _RENDER_LOCK:
        _RENDERED.clear()
        _SELECTED.clear()
        _CLAUSES.clear()
        _REASONS.clear()


def _render(plan: _Plan, values: dict[str, Any]) -> _Rendered:
    template = plan.template
    try:
        raw = template.body.render(values)
    except Exception as exc:
        raise LibraryError(f"{template.path}: {type(exc).__name__}: {exc}") from None
    # Collapse the blank lines that conditional blocks leave behind.
    raw = re.sub(r"\n{3,}", "\n\n", raw).strip()
    body, uses = _unmark(raw)
    return _Rendered(template, plan, body, uses, tuple(dict.fromkeys(_REF.findall(body))))


_SELECTED: dict[tuple[Any, ...], bool] = {}
_CLAUSES: dict[tuple[Any, ...], tuple[_Rendered, Clause]] = {}
_REASONS: dict[tuple[Any, ...], tuple[Reason, ...]] = {}


def _path_value(path: str, values: dict[str, Any], prints: _Prints) -> str:
    """The value at ``path``, as precisely as a template names it: a clause about distillation
    is keyed on ``derivatives.distillation``, not on every derivative policy. A path that does
    not lead to a value (a method, a local variable) stands for its whole root."""
    root, _, rest = path.partition(".")
    value = values.get(root)
    for part in rest.split(".") if rest else ():
        if not isinstance(value, dict) or part not in value:
            value = None
            break
        value = value[part]
    if value is None:
        return "p" + prints[root]
    if callable(value):
        return "f"
    if isinstance(value, str):
        return "s" + value
    return "j" + json.dumps(value, sort_keys=True, default=str)


def _select(plan: _Plan, values: dict[str, Any], prints: _Prints) -> bool:
    template = plan.template
    if template.condition is None:
        return True
    condition_key = plan.condition_key
    key = (id(template), condition_key(prints)) if condition_key is not None else None
    if key is not None:
        hit = _SELECTED.get(key)
        if hit is not None:
            return hit
    try:
        result = bool(template.condition(**values))
    except Exception as exc:
        raise LibraryError(f"{template.path}: condition {template.when!r}: {exc}") from None
    if key is not None:
        if len(_SELECTED) > _RENDERED_MAX:
            _SELECTED.clear()
        _SELECTED[key] = result
    return result


def _reasons(plan: _Plan, context: _Context, prints: _Prints) -> tuple[Reason, ...]:
    """``context.reasons(template)``, remembered by the answers it reads: the same tuple each time."""
    key = (id(plan.template), plan.reasons_key(prints))
    hit = _REASONS.get(key)
    if hit is None:
        if len(_REASONS) >= _RENDERED_MAX:
            _REASONS.clear()
        hit = _REASONS[key] = context.reasons(plan.template)
    return hit


def assemble(spec: dict[str, Any], library: Library | None = None) -> Document:
    """Build the Document for a validated spec."""
    library = library or default_library()
    context = _Context(spec, library)
    values = context.values()
    prints = _fingerprints(values, set())

    chosen: dict[str, _Plan] = {}
    for plan in _plans(library, values):
        template = plan.template
        if template.section == "definitions" or not _select(plan, values, prints):
            continue
        if template.id in chosen:
            raise LibraryError(f"{template.path}: clause {template.id} selected twice for one spec")
        chosen[template.id] = plan
    context.selected = set(chosen)

    prints["__selected__"] = ",".join(sorted(context.selected))
    rendered = {cid: _render_cached(plan, values, prints) for cid, plan in chosen.items()}

    # Definitions come in only for terms the license uses, including terms used by definitions.
    # Clauses are taken in turn, each with all the terms it uses, and a definition joins the end
    # of the line when first needed: the order of ``defined`` and of each term's users follows.
    definitions = library.definitions()
    defined: dict[str, _Rendered] = {}
    used_by: dict[str, dict[str, None]] = {}  # term -> the ids of the clauses using it, in order
    pending = deque(rendered.values())
    while pending:
        r = pending.popleft()
        user = r.template.id
        for term in r.uses:
            users = used_by.get(term)
            if users is None:
                users = used_by[term] = {}
            users[user] = None
            if term in defined or term not in definitions:
                continue
            candidates = [p for p in (_plan(t, values) for t in definitions[term]) if _select(p, values, prints)]
            if len(candidates) != 1:
                raise LibraryError(f"term {term!r}: {len(candidates)} definitions apply to this spec")
            defined[term] = _render_cached(candidates[0], values, prints)
            pending.append(defined[term])

    # Numbers first, so that each clause is made once, with its references already resolved.
    by_section: dict[str, list[_Rendered]] = {}
    for r in rendered.values():
        by_section.setdefault(r.template.section, []).append(r)
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

    def resolve(text: str, owner: str) -> str:
        def number_of(match: re.Match[str]) -> str:
            target = match.group(1)
            if target not in numbers:
                raise LibraryError(f"clause {owner} refers to {target}, which this license does not contain")
            return numbers[target]

        return _REF.sub(number_of, text) if "\x00" in text else text

    def clause(r: _Rendered, section_id: str) -> Clause:
        t = r.template
        number = numbers[t.id]
        if not r.targets:
            body = r.body
        else:
            key = tuple(numbers.get(target, "") for target in r.targets)
            body = r.resolved.get(key) or r.resolved.setdefault(key, resolve(r.body, t.id))
        why = _reasons(r.plan, context, prints)
        used = tuple(dict.fromkeys(u for term in t.defines for u in used_by.get(term, ()))) if t.defines else ()
        # The same clause as last time is the same object: what is made from it downstream (its
        # HTML in the preview) can be remembered by identity.
        key = (id(r), number, section_id, body, used)
        hit = _CLAUSES.get(key)
        if hit is not None and hit[0] is r and (hit[1].why is why or hit[1].why == why):
            return hit[1]
        made = Clause(
            id=t.id,
            variant=t.variant,
            title=t.title,
            number=number,
            body=body,
            defines=t.defines,
            uses=r.uses,
            why=why,
            used_by=used,
            rationale=t.rationale,
            version=t.version,
            section=section_id,
        )
        if len(_CLAUSES) >= _RENDERED_MAX:
            _CLAUSES.clear()
        _CLAUSES[key] = (r, made)
        return made

    final_sections = tuple(
        Section(section_def.id, section_def.title, number, tuple([clause(r, section_def.id) for r in members]))
        for section_def, number, members in layout
    )
    terms = {term: r.template.id for term, r in defined.items()}
    for r in rendered.values():
        for term in r.template.defines:
            terms.setdefault(term, r.template.id)
    return Document(spec=spec, sections=final_sections, library_version=library.version, terms=terms)
