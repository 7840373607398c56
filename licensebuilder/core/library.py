"""The clause library: ``clauses/`` loaded, checked and compiled once per process.

Each clause file is YAML front matter between ``---`` lines and a Jinja2 body that produces
Markdown. Bodies run in a sandbox with undefined names as errors and every printed value escaped
for Markdown, so what a licensor typed is always data. See ``clauses/README.md`` for the format.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Template, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from . import lock as locks
from .rules_format import Rule, parse_rules
from .sandbox import make_environment
from .text import Trusted

# Shipped inside the package (package data), so an installed copy finds it too.
CLAUSES_DIR = Path(__file__).resolve().parents[1] / "clauses"

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_REQUIRED = ("id", "title", "version", "section", "order", "rationale")
_KNOWN = set(_REQUIRED) | {"when", "defines", "variant", "rules"}
SPEC_ROOTS = ("license", "licensor", "model", "elements", "grants", "use", "derivatives", "share_alike", "terms")


class LibraryError(Exception):
    """The clause library itself is broken: a bug to fix in ``clauses/``, not user error."""


@dataclass(frozen=True)
class SectionDef:
    id: str
    title: str
    order: int


@dataclass(frozen=True)
class Restriction:
    id: str
    title: str
    text: str


@dataclass
class ClauseTemplate:
    id: str
    variant: str | None
    title: str
    version: int
    section: str
    order: int
    when: str | None
    defines: tuple[str, ...]
    rationale: str
    path: Path
    source: str
    body: Template = field(repr=False)
    condition: Any = field(repr=False)
    # The dotted names the ``when`` expression reads: the clause's reasons for being there.
    condition_paths: tuple[str, ...] = ()
    # Every context name the body reads, its imported and included templates counted in.
    reads: frozenset[str] = frozenset()
    # The dotted names the body reads, its imported and included templates counted in ("*" when
    # it includes a template named at run time): what its render is cached by, and which answers
    # the choices diff says affect it.
    read_paths: tuple[str, ...] = ()
    # What the clause does in machine terms (see ``rules_format.py``): empty when it declares
    # nothing, which a test forbids; ``boilerplate`` when it regulates no act. A definition is
    # boilerplate unless it says otherwise.
    rules: tuple[Rule, ...] = ()
    boilerplate: bool = False
    # SHA-256 of the clause file and of every library file its wording is made of (see lock.py).
    digest: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}@{self.variant}" if self.variant else self.id


@dataclass
class Library:
    version: str  # derived from the lock: see lock.library_version
    sections: dict[str, SectionDef]
    clauses: list[ClauseTemplate]
    restrictions: dict[str, Restriction]
    env: SandboxedEnvironment = field(repr=False)
    directory: Path = CLAUSES_DIR
    locked: dict[str, locks.Entry] = field(default_factory=dict, repr=False)

    def lock_state(self) -> list[locks.Current]:
        return [locks.Current(c.key, c.path, c.version, c.digest) for c in self.clauses]

    def lock_problems(self) -> list[str]:
        """Where the clauses and ``library.lock`` disagree; empty when the lock keeps its promise."""
        return locks.problems(self.lock_state(), self.locked)

    @cached_property
    def restriction_values(self) -> dict[str, dict[str, Any]]:
        """Each restriction of the catalogue as clause templates read it, made once: the same
        library text for every license that lists it (a licensor's own are made per spec)."""
        return {
            r.id: {"id": r.id, "title": r.title, "text": Trusted(r.text), "custom": False}
            for r in self.restrictions.values()
        }

    def clause_versions(self) -> dict[str, int]:
        """Each clause's version by its key (``id`` or ``id@variant``)."""
        return {c.key: c.version for c in self.clauses}

    def definitions(self) -> dict[str, list[ClauseTemplate]]:
        """Definition clauses by the term they define (variants share a term)."""
        return self._definitions

    @cached_property
    def _definitions(self) -> dict[str, list[ClauseTemplate]]:
        out: dict[str, list[ClauseTemplate]] = {}
        for clause in self.clauses:
            if clause.section == "definitions":
                for term in clause.defines:
                    out.setdefault(term, []).append(clause)
        return out

    def ordered_sections(self) -> list[SectionDef]:
        return self._ordered_sections

    @cached_property
    def by_section(self) -> tuple[tuple[str, tuple[ClauseTemplate, ...]], ...]:
        """The clauses other than definitions, section by section, in the library's order."""
        out: dict[str, list[ClauseTemplate]] = {}
        for clause in self.clauses:
            if clause.section != "definitions":
                out.setdefault(clause.section, []).append(clause)
        return tuple((section, tuple(clauses)) for section, clauses in out.items())

    @cached_property
    def _ordered_sections(self) -> list[SectionDef]:
        return sorted(self.sections.values(), key=lambda s: s.order)

    def terms(self) -> set[str]:
        return {term for clause in self.clauses for term in clause.defines}

    @cached_property
    def rule_reads(self) -> tuple[str, ...]:
        """Every dotted name that some clause's rule expressions read (``grants.redistribution``,
        ``mods_with``, ``included.use.restrictions``): what, besides which clauses a license holds,
        its rules model can turn on."""
        found: dict[str, None] = {}
        for clause in self.clauses:
            for rule in clause.rules:
                for expression in (rule.when, rule.value, rule.mods, rule.elements):
                    if isinstance(expression, str) and expression:
                        found.update(dict.fromkeys(condition_paths(self.env, expression)))
        return tuple(found)


# The library's own YAML (front matter, index, catalogue) read by libyaml where PyYAML has it: the
# same safe subset, in less time (one load's CPU time 0.70 s -> 0.59 s, the best of four each).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)


def _paths_in(tree: nodes.Node) -> list[str]:
    """Dotted names read in a parsed template or expression: ``derivatives.distillation``, and
    ``included.x`` for a test of whether clause x is in the license."""
    found: list[str] = []

    def dotted(node: nodes.Node) -> str | None:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            base = dotted(node.node)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base = dotted(node.node)
            return f"{base}.{node.arg.value}" if base else None
        return None

    def visit(node: nodes.Node) -> None:
        # ``included('x')`` reads whether clause x is in the license: the path ``included.x``; and
        # ``mods_with('x')`` which modifications have the policy x: the path ``mods_with.x``.
        path: str | None
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in ("included", "mods_with")
            and len(node.args) == 1
            and isinstance(node.args[0], nodes.Const)
            and isinstance(node.args[0].value, str)
            and not (node.kwargs or node.dyn_args or node.dyn_kwargs)
        ):
            path = f"{node.node.name}.{node.args[0].value}"
        else:
            path = dotted(node)
        if path is not None:
            if path not in found:
                found.append(path)
            return
        for child in node.iter_child_nodes():
            visit(child)

    visit(tree)
    return found


def condition_paths(env: SandboxedEnvironment, expression: str) -> tuple[str, ...]:
    """The spec keys a ``when`` expression reads, e.g. ``('derivatives.distillation',)``."""
    return tuple(_paths_in(env.parse("{{ " + expression + " }}")))


def _source_of(env: SandboxedEnvironment, name: str) -> str:
    """The source of a template that a clause imports or includes."""
    if env.loader is None:
        raise LibraryError(f"{name}: the clause library has no loader for imported templates")
    source, _, _ = env.loader.get_source(env, name)
    return source


def body_paths(env: SandboxedEnvironment, source: str, seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Every dotted name a body reads, through the templates it imports or includes too, and "*"
    for a template it names only at run time. A name that is really a local variable reads the
    same for every spec, so it only makes a cache key longer, never wrong."""
    tree = env.parse(source)
    found = _paths_in(tree)
    for name in meta.find_referenced_templates(tree):
        if name is None:
            return (*found, "*")
        if name in seen:
            continue
        other = _source_of(env, name)
        found += [p for p in body_paths(env, other, seen | {name}) if p not in found]
    return tuple(found)


def context_reads(env: SandboxedEnvironment, source: str, seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """The names a template takes from its context, including through templates it imports
    or includes (with context). Assembly keys its cache of rendered clauses on these."""
    tree = env.parse(source)
    names = set(meta.find_undeclared_variables(tree))
    for name in meta.find_referenced_templates(tree):
        if name is None:  # a dynamic name: be safe and say the clause reads everything
            return frozenset({"*"})
        if name in seen:
            continue
        other = _source_of(env, name)
        names |= context_reads(env, other, seen | {name})
    return frozenset(names)


def _parse_clause(
    env: SandboxedEnvironment, path: Path, sections: dict[str, SectionDef], directory: Path
) -> ClauseTemplate:
    text = path.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise LibraryError(f"{path}: no YAML front matter between '---' lines")
    try:
        meta = _yaml(match.group(1)) or {}
    except yaml.YAMLError as exc:
        raise LibraryError(f"{path}: front matter is not valid YAML: {exc}") from None
    missing = [key for key in _REQUIRED if key not in meta]
    if missing:
        raise LibraryError(f"{path}: front matter lacks {', '.join(missing)}")
    unknown = set(meta) - _KNOWN
    if unknown:
        raise LibraryError(f"{path}: unknown front matter keys {', '.join(sorted(unknown))}")
    if not _ID.match(str(meta["id"])):
        raise LibraryError(f"{path}: id {meta['id']!r} is not lower-case dotted words")
    if meta["section"] not in sections:
        raise LibraryError(f"{path}: section {meta['section']!r} is not in library.yaml")
    source = match.group(2).strip() + "\n"
    when = meta.get("when")
    rules: tuple[Rule, ...] | None = ()
    if "rules" in meta:
        try:
            rules = parse_rules(meta["rules"])
            for rule in rules or ():
                expressions = (rule.when, rule.value, rule.mods, rule.elements)
                for expression in expressions:
                    if isinstance(expression, str) and expression:
                        env.compile_expression(expression, undefined_to_none=False)
        except Exception as exc:  # RuleFormatError, or a syntax error in a rule's expression
            raise LibraryError(f"{path}: rules: {exc}") from None
    elif meta["section"] == "definitions":
        rules = None
    try:
        body = env.from_string(source)
        condition = env.compile_expression(str(when), undefined_to_none=False) if when else None
    except Exception as exc:  # a template syntax error names the file
        raise LibraryError(f"{path}: {exc}") from None
    reads = context_reads(env, source)
    return ClauseTemplate(
        id=meta["id"],
        variant=meta.get("variant"),
        title=str(meta["title"]),
        version=int(meta["version"]),
        section=meta["section"],
        order=int(meta["order"]),
        when=str(when) if when else None,
        defines=tuple(meta.get("defines") or ()),
        rationale=" ".join(str(meta["rationale"]).split()),
        path=path,
        source=source,
        body=body,
        condition=condition,
        condition_paths=condition_paths(env, str(when)) if when else (),
        reads=reads,
        read_paths=body_paths(env, source),
        rules=rules or (),
        boilerplate=rules is None,
        digest=locks.clause_digest(directory, env, path, reads),
    )


def load_library(directory: Path | str = CLAUSES_DIR, *, lock_required: bool = True) -> Library:
    """The library in ``directory``. Its version comes from ``library.lock``; without a lock (only
    while writing the first one: ``lock_required=False``) the version is derived from the clauses
    as they stand."""
    directory = Path(directory)
    try:
        index = _yaml((directory / "library.yaml").read_text(encoding="utf-8"))
        catalogue = _yaml((directory / "restrictions.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LibraryError(f"{directory}: {exc}") from None
    sections = {s["id"]: SectionDef(id=s["id"], title=s["title"], order=i) for i, s in enumerate(index["sections"])}
    restrictions = {
        r["id"]: Restriction(id=r["id"], title=r["title"], text=" ".join(r["text"].split())) for r in catalogue
    }
    env = make_environment(directory)
    clauses = [_parse_clause(env, path, sections, directory) for path in sorted(directory.glob("*/*.md"))]
    keys: dict[str, Path] = {}
    for clause in clauses:
        if clause.key in keys:
            raise LibraryError(f"{clause.path}: clause {clause.key} also defined in {keys[clause.key]}")
        keys[clause.key] = clause.path
    try:
        locked = locks.read(directory)
    except locks.LockError as exc:
        if lock_required:
            raise LibraryError(str(exc)) from None
        locked = {c.key: locks.Entry(c.version, c.digest) for c in clauses}
    return Library(
        version=locks.library_version(locked),
        sections=sections,
        clauses=sorted(clauses, key=lambda c: (sections[c.section].order, c.order, c.id, c.variant or "")),
        restrictions=restrictions,
        env=env,
        directory=directory,
        locked=locked,
    )


@cache
def default_library() -> Library:
    return load_library(CLAUSES_DIR)
