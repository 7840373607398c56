"""The rules model of a license: what its assembled clauses permit, forbid and require, act by act.

Each clause declares its rules in its front matter (``rules_format.py`` describes the format). The
model of a license is computed from the clauses assembled for it, never from the spec alone, so
that it says what the text says::

    model = rules_for(doc)
    answer = model.answer("fine_tune_head", "narrow", "service", commercial=True)
    answer.permitted      # 'yes' | 'no' | 'depends'
    answer.depends_on     # what the text turns on, in words, or None
    answer.duties         # (Duty(kind, elements, sources, provided), ...)
    answer.reasons        # (Source(clause_id, number, title, quote), ...): the rules that decide it

``model.decide(Act(...))`` answers one act, ``model.conflicts()`` lists the acts on which two
clauses disagree with no declared precedence, ``model.declared(effect, subject)`` gives the rules
of one kind that apply (the summary and the deed read those), and ``model.misquoted()`` the rules
whose quote is not in their clause's text. Precedence: a permission and a prohibition of the same
act meet; a rule that ``yields_to`` the other's clause (or ``"*"``), or meets a rule that
``prevails``, gives way; if neither gives way, the act is in conflict. An act no clause permits is
not permitted (the licensor keeps every right not granted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .assemble import Clause, Document, _Context
from .library import Library, default_library
from .rules_format import ACTS, MODAL_ACTS, MODES, MODIFICATION_KINDS, PROVISOS, RESULTS, Rule


@dataclass(frozen=True)
class Act:
    kind: str  # one of rules_format.ACTS
    mod: str | None = None
    result: str | None = None
    mode: str | None = None

    def __str__(self) -> str:
        return "/".join(p for p in (self.kind, self.mod, self.result, self.mode) if p)


def all_acts() -> list[Act]:
    acts = [Act("model", mode=mode) for mode in MODES]
    acts += [Act("derivative", m, r, mode) for m in MODIFICATION_KINDS for r in RESULTS for mode in MODES]
    return acts + [Act(kind) for kind in ACTS if kind not in MODAL_ACTS]


@dataclass(frozen=True)
class Source:
    """A clause of the license and the words in it that carry a rule."""

    clause_id: str
    number: str
    title: str
    quote: str


@dataclass(frozen=True)
class Duty:
    kind: str  # one of rules_format.DUTIES
    elements: tuple[str, ...]
    sources: tuple[Source, ...]
    provided: str | None = None  # PROVISOS key: the duty arises only where this holds

    @property
    def clause_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.clause_id for s in self.sources))


@dataclass(frozen=True)
class Decision:
    permitted: str  # 'yes' | 'no' | 'conflict'
    provisos: tuple[str, ...]  # PROVISOS keys a 'yes' turns on
    reasons: tuple[Source, ...]


@dataclass(frozen=True)
class Answer:
    """``permitted`` is 'depends' when the permission itself turns on ``depends_on``; a permitted
    act whose duties alone turn on something keeps 'yes', with ``depends_on`` saying what, the
    duties common to every case, and each case in ``alternatives``."""

    permitted: str  # 'yes' | 'no' | 'depends'
    depends_on: str | None
    duties: tuple[Duty, ...]
    reasons: tuple[Source, ...]
    alternatives: dict[str, Answer] = field(default_factory=dict)

    @property
    def reason_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.clause_id for s in self.reasons))


@dataclass(frozen=True)
class Conflict:
    act: Act
    subject: str  # 'permission' or the duty kind
    sides: tuple[tuple[Source, ...], tuple[Source, ...]]

    def __str__(self) -> str:
        def names(sources: tuple[Source, ...]) -> str:
            return ", ".join(f"{s.number} ({s.clause_id})" for s in sources)

        return f"{self.act}: {self.subject}: {names(self.sides[0])} against {names(self.sides[1])}"


@dataclass(frozen=True)
class Applied:
    """A rule of an assembled clause whose ``when`` holds, its expressions evaluated."""

    rule: Rule
    clause: Clause
    mods: tuple[str, ...]
    elements: tuple[str, ...]
    value: Any

    @cached_property
    def source(self) -> Source:
        return Source(self.clause.id, self.clause.number, self.clause.title, self.rule.quote)

    def acts(self) -> tuple[Act, ...]:
        """Every act the rule covers."""
        hit = self.rule.covered.get(self.mods)
        if hit is None:
            rule = self.rule
            if rule.act == "derivative":
                hit = tuple(
                    Act("derivative", m, r, mode) for m in self.mods for r in rule.results for mode in rule.modes
                )
            elif rule.act == "model":
                hit = tuple(Act("model", mode=mode) for mode in rule.modes)
            else:
                hit = (Act(rule.act),) if rule.act else ()
            rule.covered[self.mods] = hit
        return hit

    def matches(self, act: Act) -> bool:
        rule = self.rule
        if rule.act != act.kind:
            return False
        if act.kind in ("model", "derivative") and act.mode not in rule.modes:
            return False
        return act.kind != "derivative" or (act.mod in self.mods and act.result in rule.results)

    def yields(self, other: Applied) -> bool:
        mine, theirs = self.rule, other.rule
        if other.rule.prevails and not mine.prevails:
            return True
        return other.clause.id in mine.yields_to or ("*" in mine.yields_to and "*" not in theirs.yields_to)


def _sources(applied: list[Applied]) -> tuple[Source, ...]:
    return tuple(dict.fromkeys(a.source for a in applied))


class RulesModel:
    def __init__(self, doc: Document, library: Library):
        self.doc = doc
        context = _Context(doc.spec, library)
        context.selected = {c.id for c in doc.clauses()}
        values = context.values()
        templates = {t.key: t for t in library.clauses}
        memo: dict[str, Any] = {}  # many rules share an expression: each is evaluated once

        def evaluate(expression: str) -> Any:
            if expression not in memo:
                memo[expression] = _evaluate(library, expression, values)
            return memo[expression]

        self.undeclared: list[Clause] = []  # assembled clauses that declare no rule
        self.applied: list[Applied] = []
        for clause in doc.clauses():
            template = templates.get(clause.key)
            if template is None or (not template.rules and not template.boilerplate):
                self.undeclared.append(clause)
                continue
            for rule in template.rules:
                if rule.when and not evaluate(rule.when):
                    continue
                mods = tuple(evaluate(rule.mods)) if isinstance(rule.mods, str) else rule.mods
                elements = tuple(evaluate(rule.elements)) if isinstance(rule.elements, str) else rule.elements
                value = evaluate(rule.value) if rule.value else None
                self.applied.append(Applied(rule, clause, mods, elements, value))
        # Each rule filed under every act it covers: deciding an act is then one look-up.
        self._by_act: dict[tuple[str, Act], list[Applied]] = {}
        for a in self.applied:
            for act in a.acts():
                self._by_act.setdefault((a.rule.effect, act), []).append(a)
        self._duties: dict[Act, tuple[Duty, ...]] = {}

    # -- reading the declared rules ------------------------------------------------------------

    def declared(self, effect: str, subject: str | None = None) -> list[Applied]:
        return [a for a in self.applied if a.rule.effect == effect and (subject is None or a.rule.subject == subject)]

    def fact(self, name: str) -> Applied | None:
        return next(iter(self.declared("states", name)), None)

    def includes(self, element: str) -> bool:
        return bool(self.declared("includes", element))

    def misquoted(self) -> list[Applied]:
        return [a for a in self.applied if _squash(a.rule.quote) not in _squash(a.clause.body)]

    # -- deciding acts -------------------------------------------------------------------------

    def _matching(self, effect: str, act: Act) -> list[Applied]:
        return list(self._by_act.get((effect, act), ()))

    def decide(self, act: Act) -> Decision:
        return self._decisions[act] if act in self._decisions else self._decide(act)

    @cached_property
    def _decisions(self) -> dict[Act, Decision]:
        return {act: self._decide(act) for act in all_acts()}

    def _decide(self, act: Act) -> Decision:
        permits, forbids = self._matching("permits", act), self._matching("forbids", act)
        standing_permits = [p for p in permits if not any(p.yields(f) for f in forbids)]
        standing_forbids = [f for f in forbids if not any(f.yields(p) for p in permits)]
        if (standing_permits and standing_forbids) or (permits and forbids and not standing_permits + standing_forbids):
            return Decision("conflict", (), _sources(permits + forbids))
        if standing_forbids:
            return Decision("no", (), _sources(standing_forbids))
        if standing_permits:
            provisos = tuple(dict.fromkeys(a.rule.provided for a in self._matching("conditions", act)))
            conditions = self._matching("conditions", act)
            return Decision("yes", provisos, _sources(standing_permits + conditions))  # type: ignore[arg-type]
        reserved = self.fact("rights_reserved")
        return Decision("no", (), (reserved.source,) if reserved else ())

    def duties(self, act: Act) -> tuple[Duty, ...]:
        """The duties that doing ``act`` brings, whether or not it is permitted."""
        if act not in self._duties:
            self._duties[act] = self._find_duties(act)
        return self._duties[act]

    def _find_duties(self, act: Act) -> tuple[Duty, ...]:
        waivers = self._matching("waives", act)
        grouped: dict[tuple[str, tuple[str, ...]], list[Applied]] = {}
        for a in self._matching("requires", act):
            if any(a.yields(w) for w in waivers if w.rule.subject == a.rule.subject):
                continue
            grouped.setdefault((a.rule.subject, a.elements), []).append(a)
        # A duty that one clause imposes outright is not made conditional by another's proviso.
        return tuple(
            Duty(kind, elements, _sources(group), None if None in provisos else provisos[0])
            for (kind, elements), group in grouped.items()
            for provisos in [[a.rule.provided for a in group]]
        )

    def conflicts(self) -> list[Conflict]:
        found: list[Conflict] = []
        for act, decision in self._decisions.items():
            if decision.permitted == "conflict":
                permits, forbids = self._matching("permits", act), self._matching("forbids", act)
                found.append(Conflict(act, "permission", (_sources(permits), _sources(forbids))))
            for waiver in self._matching("waives", act):
                required = [a for a in self._matching("requires", act) if a.rule.subject == waiver.rule.subject]
                clash = [a for a in required if not a.yields(waiver) and not waiver.yields(a)]
                if clash:
                    found.append(Conflict(act, waiver.rule.subject, (_sources(clash), (waiver.source,))))
        return found

    # -- the licensee's question ---------------------------------------------------------------

    def answer(self, modification: str | None, result: str | None, mode: str, commercial: bool = False) -> Answer:
        """May I do this, and what do I owe? ``modification`` None means the model as released."""
        if modification is not None and result is None:
            cases = {r: self.answer(modification, r, mode, commercial) for r in RESULTS}
            first, second = cases.values()
            if first == second:
                return first
            common = tuple(d for d in first.duties if d in second.duties)
            reasons = tuple(dict.fromkeys(first.reasons + second.reasons))
            permitted = first.permitted if first.permitted == second.permitted else "depends"
            return Answer(permitted, PROVISOS["result"], common, reasons, cases)
        act = Act("model", mode=mode) if modification is None else Act("derivative", modification, result, mode)
        decision = self.decide(act)
        if decision.permitted == "conflict":
            return Answer("depends", "which of the clauses that disagree prevails", (), decision.reasons)
        if decision.permitted == "no":
            return Answer("no", None, (), decision.reasons)
        reasons = decision.reasons
        if commercial:
            commercial_use = self.decide(Act("commercial_use"))
            if commercial_use.permitted != "yes":
                return Answer("no", None, (), commercial_use.reasons)
            reasons += commercial_use.reasons
        depends_on = "; and ".join(PROVISOS[p] for p in decision.provisos) or None
        return Answer("depends" if depends_on else "yes", depends_on, self.duties(act), reasons)


def _squash(text: str) -> str:
    return " ".join(text.replace("\\", "").split())


def _evaluate(library: Library, expression: str, values: dict[str, Any]) -> Any:
    # The library's environment compiles each expression once and keeps it while the library lives.
    return library.env.compile_expression(expression, undefined_to_none=False)(**values)


def rules_for(doc: Document, library: Library | None = None) -> RulesModel:
    """The rules model of an assembled license."""
    return RulesModel(doc, library or default_library())
