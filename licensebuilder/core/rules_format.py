"""The ``rules:`` key of a clause's front matter: what the clause does, in machine terms.

A clause declares either ``rules: boilerplate`` (it regulates no act and imposes no duty) or a
list of rules. Each rule has exactly one effect key:

- ``permits: ACT`` / ``forbids: ACT``: the clause allows or refuses an act;
- ``requires: DUTY`` with ``for: ACT``: doing the act brings the duty;
- ``waives: DUTY`` with ``for: ACT``: the clause says the duty does not arise for the act;
- ``conditions: ACT`` with ``provided: PROVISO``: where the act is permitted, it is so only if the
  proviso holds (the answer then depends on it);
- ``includes: ELEMENT`` / ``excludes: ELEMENT``: the element is (not) part of the licensed materials;
- ``states: FACT`` with an optional ``value`` expression: a fact the deed reports (no warranty, ...).

Acts (see ``ACTS``): ``model`` (the licensed materials as released) and ``derivative`` (the result
of a modification) are narrowed by ``modes`` (private | distribute | service) and, for derivatives,
by ``mods`` (the eight modification kinds, or an expression such as ``mods_with('share_alike')``)
and ``results`` (foundation | narrow); the others (``commercial_use``, ``sublicense``,
``patent_license``, ``research``, ``restricted_use``) stand alone. Every rule may carry a ``when``
expression over the spec, read like a clause's ``when``; ``yields_to`` (clause ids, or ``"*"`` for
every other clause) and ``prevails: true`` declare precedence; ``provided`` names a fact about the
licensee on which a permission or duty turns (``PROVISOS``). ``quote`` is the verbatim phrase of the
clause's rendered text that carries the rule. This module only parses; ``rules.py`` evaluates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MODIFICATION_KINDS = (
    "fine_tune_full",
    "fine_tune_head",
    "initialization",
    "distillation",
    "synthetic_data",
    "embeddings",
    "code_changes",
    "prompts",
)
RESULTS = ("foundation", "narrow")
MODES = ("private", "distribute", "service")
MODAL_ACTS = ("model", "derivative")
ACTS = (*MODAL_ACTS, "commercial_use", "sublicense", "patent_license", "research", "restricted_use")
DUTIES = (
    "include_license",
    "retain_notices",
    "indicate_modifications",
    "attribution",
    "share_alike_license",
    "release_elements",
    "provenance_notice",
    "restrictions_flow_down",
    "naming",
)
ELEMENT_KEYS = (
    "weights",
    "inference_code",
    "training_code",
    "preprocessing_code",
    "training_data",
    "initial_weights",
    "hyperparameters",
    "reproducibility",
    "prompts",
)
FACTS = (
    "rights_reserved",
    "no_use_limits",
    "no_warranty",
    "liability_excluded",
    "cure_days",
    "outputs_unclaimed",
    "outputs_unaddressed",
    "governing_law",
    "share_alike_scope",
    "classification",
    "rules_combine",
    "conditions_scope",
    "survival",
)
# What a permission or a duty may turn on, in the words an answer gives.
PROVISOS = {
    "lawful_weights": "whether You hold the Weights lawfully, under this license or another agreement",
    "contains_materials": "whether the Derivative contains any part of the Licensed Materials",
    "result": "whether the Derivative is a Foundation Derivative or a Narrow Derivative",
}
EFFECTS = ("permits", "forbids", "conditions", "requires", "waives", "includes", "excludes", "states")
_KEYS = set(EFFECTS) | {"for", "mods", "results", "modes", "when", "quote", "yields_to", "prevails", "provided"}
_KEYS |= {"elements", "value"}


class RuleFormatError(ValueError):
    """A ``rules:`` entry that does not follow the format; the loader names the file."""


@dataclass(frozen=True)
class Rule:
    effect: str  # one of EFFECTS
    subject: str  # the act, duty kind, element or fact the effect names
    act: str | None  # for requires/waives: the act the duty attaches to; permits/forbids: = subject
    mods: tuple[str, ...] | str  # a tuple of kinds, or an expression giving a list of them
    results: tuple[str, ...]
    modes: tuple[str, ...]
    when: str | None
    quote: str
    yields_to: tuple[str, ...] = ()
    prevails: bool = False
    provided: str | None = None
    elements: tuple[str, ...] | str = ()  # release_elements: a tuple, or an expression
    value: str | None = None  # states: an expression giving the fact's value
    # The acts the rule covers, by the modification kinds it was applied to (see
    # ``rules.Applied.acts``): worked out once per rule, and gone with the library that holds it.
    covered: dict[tuple[str, ...], tuple[Any, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @property
    def is_act_rule(self) -> bool:
        return self.act is not None


def _names(value: Any, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else list(value or ())
    bad = [item for item in items if item not in allowed]
    if bad:
        raise RuleFormatError(f"{what} {bad!r} not among {', '.join(allowed)}")
    return tuple(items)


def parse_rule(data: Any) -> Rule:
    if not isinstance(data, dict):
        raise RuleFormatError(f"a rule must be a mapping, not {data!r}")
    unknown = set(data) - _KEYS
    if unknown:
        raise RuleFormatError(f"unknown rule keys {', '.join(sorted(unknown))}")
    effects = [key for key in EFFECTS if key in data]
    if len(effects) != 1:
        raise RuleFormatError(f"a rule needs exactly one of {', '.join(EFFECTS)}; got {effects or 'none'}")
    effect = effects[0]
    subject = str(data[effect])
    quote = " ".join(str(data.get("quote") or "").split())
    if not quote:
        raise RuleFormatError(f"rule {effect}: {subject} has no quote")
    if effect in {"permits", "forbids", "conditions"}:
        act = _names(subject, ACTS, "act")[0]
    elif effect in {"requires", "waives"}:
        _names(subject, DUTIES, "duty")
        if "for" not in data:
            raise RuleFormatError(f"rule {effect}: {subject} needs `for:` (the act that brings the duty)")
        act = _names(data["for"], ACTS, "act")[0]
    elif effect in {"includes", "excludes"}:
        _names(subject, ELEMENT_KEYS, "element")
        act = None
    else:
        _names(subject, FACTS, "fact")
        act = None
    mods_raw = data.get("mods")
    mods: tuple[str, ...] | str = (
        str(mods_raw) if isinstance(mods_raw, str) and mods_raw not in MODIFICATION_KINDS
        else _names(mods_raw, MODIFICATION_KINDS, "modification") if mods_raw is not None
        else MODIFICATION_KINDS
    )  # fmt: skip
    if (mods_raw is not None or "results" in data) and act != "derivative":
        raise RuleFormatError(f"rule {effect}: {subject}: mods and results apply only to the act `derivative`")
    if "modes" in data and act not in MODAL_ACTS:
        raise RuleFormatError(f"rule {effect}: {subject}: modes apply only to the acts `model` and `derivative`")
    elements_raw = data.get("elements", ())
    elements = (
        str(elements_raw) if isinstance(elements_raw, str) and elements_raw not in ELEMENT_KEYS
        else _names(elements_raw, ELEMENT_KEYS, "element")
    )  # fmt: skip
    provided = data.get("provided")
    if provided is not None and provided not in PROVISOS:
        raise RuleFormatError(f"provided {provided!r} not among {', '.join(PROVISOS)}")
    if effect == "conditions" and provided is None:
        raise RuleFormatError(f"rule conditions: {subject} needs `provided:`")
    yields = data.get("yields_to") or ()
    return Rule(
        effect=effect,
        subject=subject,
        act=act,
        mods=mods,
        results=_names(data.get("results", RESULTS), RESULTS, "result"),
        modes=_names(data.get("modes", MODES), MODES, "mode"),
        when=str(data["when"]) if data.get("when") else None,
        quote=quote,
        yields_to=(yields,) if isinstance(yields, str) else tuple(str(y) for y in yields),
        prevails=bool(data.get("prevails", False)),
        provided=provided,
        elements=elements,
        value=str(data["value"]) if "value" in data else None,
    )


def parse_rules(data: Any) -> tuple[Rule, ...] | None:
    """The ``rules:`` value of a clause: None for ``boilerplate``, else at least one rule."""
    if data == "boilerplate":
        return None
    if not isinstance(data, list) or not data:
        raise RuleFormatError("`rules:` must be `boilerplate` or a non-empty list of rules")
    return tuple(parse_rule(item) for item in data)
