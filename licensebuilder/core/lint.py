"""Checks on an assembled license: its defined terms, its structure and the choices behind it.

Term checks are exact because clause templates mark every use of a defined term. Conflict checks
read the rules model of the assembled clauses (``rules.py``): clauses that disagree, duties that can
never arise or ask for what the licensor does not release. Choice checks report answers that leave
an obvious way around the licensor's intent, each with the spec paths involved and a suggested fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import spec as specs
from .document import Document
from .rules import Act, RulesModel, rules_for
from .rules_format import MODIFICATION_KINDS, RESULTS

ERROR, WARNING, NOTE = "error", "warning", "note"  # a note points at a gap; it never fails a check


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    fix: str
    paths: tuple[str, ...]

    def __str__(self) -> str:
        where = ", ".join(self.paths) or "license"
        return f"{self.severity}: {where}: {self.message} Fix: {self.fix}"


def lint(doc: Document, model: RulesModel | None = None) -> list[Finding]:
    model = model or rules_for(doc)
    return check_document(doc) + check_rules(model) + check_choices(doc.spec) + check_drafting(doc.spec)


def check_document(doc: Document) -> list[Finding]:
    findings: list[Finding] = []
    used = {term for clause in doc.clauses() for term in clause.uses}
    defined = set(doc.terms)
    for term in sorted(used - defined):
        users = [c.number for c in doc.clauses() if term in c.uses]
        findings.append(
            Finding("term-undefined", ERROR, f'"{term}" is used in {", ".join(users)} but never defined.',
                    "Add a definition of the term to the clause library.", ())
        )  # fmt: skip
    for term in sorted(defined - used):
        findings.append(
            Finding("term-unused", ERROR, f'"{term}" is defined but never used.',
                    "Remove the definition or use the term.", ())
        )  # fmt: skip
    for section in doc.sections:
        if not section.clauses or not any(c.body.strip() for c in section.clauses):
            findings.append(
                Finding("empty-section", ERROR, f"Section {section.number} ({section.title}) is empty.",
                        "Remove the section or give it a clause.", ())
            )  # fmt: skip
    return findings


def _label(key: str) -> str:
    return specs.MODIFICATIONS[key][0]


def check_rules(model: RulesModel) -> list[Finding]:
    """What the assembled clauses say, read together: where they disagree or ask the impossible."""
    out: list[Finding] = []

    def warn(code: str, message: str, fix: str, *paths: str) -> None:
        out.append(Finding(code, WARNING, message, fix, paths))

    for conflict in model.conflicts():
        first, second = conflict.sides
        out.append(
            Finding("clauses-conflict", ERROR,
                    f"Clauses {_numbers(first)} and {_numbers(second)} disagree on {_act_words(conflict.act)} "
                    f"({conflict.subject}), and neither says which prevails.",
                    "Change one of the answers that selected these clauses, or report the clause library.", ())
        )  # fmt: skip
    released = [e for a in model.declared("requires", "release_elements") for e in a.elements]
    for element in dict.fromkeys(released):
        if not model.includes(element):
            label = specs.ELEMENTS[element][0]
            availability = model.doc.spec["elements"][element]
            warn(
                "share-alike-asks-more",
                f"Share-alike derivatives must release their {label.lower()}, "
                f"but you {availability} your own {label.lower()}.",
                f"Include the {label.lower()} in your release, or drop it from what derivatives must release.",
                "share_alike.release", f"elements.{element}",
            )  # fmt: skip
    shared = model.declared("requires", "share_alike_license")
    if shared and not released:
        warn(
            "share-alike-releases-nothing",
            "Share-alike applies, but derivatives need not release any element: only the license would carry over.",
            "Choose at least the weights (and usually the inference code) under what derivatives must release.",
            "share_alike.release",
        )
    mods = sorted({m for a in shared for m in a.mods}, key=MODIFICATION_KINDS.index)
    if shared and not any(_yes(model, m, "distribute") for m in mods):
        served = [
            m for m in mods if any(_shared_when_served(model, m, r) for r in RESULTS) and _yes(model, m, "service")
        ]
        message = (
            "Share-alike derivatives may not be distributed, so share-alike applies only when one is offered "
            "as a service, and then only through its duties towards the service's users."
            if served
            else "Share-alike derivatives may not be distributed and the license does not count offering one as a "
            "service, so share-alike can never apply."
        )
        warn(
            "share-alike-without-redistribution", message,
            "Allow redistribution, or replace share-alike policies with 'private use only'.",
            "grants.redistribution", "derivatives",
        )  # fmt: skip
    passing_on = model.decide(Act("model", mode="distribute"))
    refused = passing_on.permitted == "no" and "grant.redistribution" in {s.clause_id for s in passing_on.reasons}
    for mod in MODIFICATION_KINDS if refused else ():
        own = [
            a
            for a in model.declared("forbids", "derivative")
            if a.clause.id == f"derivatives.{mod}" and "distribute" in a.rule.modes and mod in a.mods
        ]
        if own and model.answer(mod, None, "private").permitted != "no":
            warn(
                "no-distribution-redundant",
                f"{_label(mod)} is limited to private use, but the license refuses all redistribution anyway.",
                "Either allow redistribution of the model, or set this modification to 'permitted'; "
                "the result is the same and the license reads more simply.",
                f"derivatives.{mod}", "grants.redistribution",
            )  # fmt: skip
    if (
        model.decide(Act("sublicense")).permitted == "yes"
        and model.decide(Act("model", mode="distribute")).permitted != "yes"
    ):
        warn(
            "sublicense-without-redistribution",
            "Sublicensing is granted, but redistribution is not: there is nothing to sublicense.",
            "Allow redistribution, or turn sublicensing off.",
            "grants.sublicensing", "grants.redistribution",
        )  # fmt: skip
    if "lawful_weights" in model.decide(Act("model", mode="private")).provisos and _distributes(model):
        warn(
            "weights-withheld",
            "The weights are not released, so every permission that needs them reaches only weights a licensee "
            "holds under another agreement: the license covers little a recipient could run or redistribute.",
            "Include the weights, or treat this as a license for the code only.",
            "elements.weights",
        )
    prompts_shared = any(
        d.kind == "share_alike_license"
        for r in RESULTS
        for d in model.duties(Act("derivative", "prompts", r, "distribute"))
    )
    if prompts_shared and not model.includes("prompts") and model.doc.spec["elements"]["prompts"] == "withheld":
        warn(
            "prompt-share-alike-own-withheld",
            "Prompt changes must be shared alike, but you withhold your own essential prompts.",
            "Include your essential prompts, or relax the policy on prompt changes.",
            "derivatives.prompts", "elements.prompts",
        )  # fmt: skip
    return out


def _numbers(sources: tuple[Any, ...]) -> str:
    return ", ".join(s.number for s in sources)


def _act_words(act: Act) -> str:
    if act.kind == "derivative":
        mode = {"private": "making and using", "distribute": "distributing", "service": "offering as a service"}
        return f"{mode[act.mode or 'private']} a {act.result} derivative made by {_label(act.mod or '').lower()}"
    if act.kind == "model":
        return {"private": "using the model", "distribute": "passing on copies", "service": "serving the model"}[
            act.mode or "private"
        ]
    return act.kind.replace("_", " ")


def _yes(model: RulesModel, mod: str, mode: str) -> bool:
    return any(model.decide(Act("derivative", mod, r, mode)).permitted == "yes" for r in RESULTS)


def _shared_when_served(model: RulesModel, mod: str, result: str) -> bool:
    return any(d.kind == "share_alike_license" for d in model.duties(Act("derivative", mod, result, "service")))


def _distributes(model: RulesModel) -> bool:
    return model.decide(Act("model", mode="distribute")).permitted == "yes"


def check_choices(spec: dict[str, Any]) -> list[Finding]:
    """Answers that leave an obvious way around the licensor's intent."""
    out: list[Finding] = []
    elements, grants, derivatives = spec["elements"], spec["grants"], spec["derivatives"]

    def warn(code: str, message: str, fix: str, *paths: str) -> None:
        out.append(Finding(code, WARNING, message, fix, paths))

    claim = spec["license"]["open_source_claim"]
    if claim and spec["use"]["restrictions"]:
        warn(
            "open-source-with-restrictions",
            "You describe the license as open source, but it restricts how the model may be used; "
            "open source means use for any purpose.",
            "Remove the use restrictions, or stop describing the license as open source.",
            "license.open_source_claim",
            "use.restrictions",
        )
    if claim and not grants["commercial_use"]:
        warn(
            "open-source-non-commercial",
            "You describe the license as open source, but commercial use is refused.",
            "Allow commercial use, or stop describing the license as open source.",
            "license.open_source_claim",
            "grants.commercial_use",
        )
    if claim and any(p in {"no_distribution", "prohibited"} for p in derivatives.values()):
        warn(
            "open-source-no-modified-versions",
            "You describe the license as open source, but some modified versions may not be distributed.",
            "Allow every kind of modification to be distributed, or stop describing the license as open source.",
            "license.open_source_claim",
            "derivatives",
        )
    if claim and (elements["weights"] != "included" or elements["inference_code"] != "included"):
        warn(
            "open-source-without-weights",
            "You describe the license as open source, but the weights or the inference code are not included; "
            "without both nobody can run or study the model.",
            "Include the weights and the inference code.",
            "license.open_source_claim",
            "elements.weights",
            "elements.inference_code",
        )
    _loopholes(spec, warn)
    return out


_STRICTNESS = {
    "permitted": 0, "attribution": 1, "share_alike_foundation": 2,
    "share_alike": 3, "no_distribution": 4, "prohibited": 5,
}  # fmt: skip


def _loopholes(spec: dict[str, Any], warn: Any) -> None:
    derivatives = spec["derivatives"]
    full = _STRICTNESS[derivatives["fine_tune_full"]]
    # Distillation copies what the model does more wholesale than fine-tuning it; a laxer rule
    # for distillation lets anyone avoid the fine-tuning terms by distilling instead.
    if _STRICTNESS[derivatives["distillation"]] < full and full >= _STRICTNESS["share_alike_foundation"]:
        warn(
            "distillation-loophole",
            "Distillation is treated more leniently than a full fine-tune, so a licensee can avoid the "
            "fine-tuning terms by distilling the model instead.",
            "Give distillation at least the policy of full fine-tunes.",
            "derivatives.distillation", "derivatives.fine_tune_full",
        )  # fmt: skip
    # A result reached by prompting can often be reached by fine-tuning the head instead, and the
    # other way round: share-alike on one and not the other invites the cheaper route.
    head = _STRICTNESS[derivatives["fine_tune_head"]]
    if (
        head >= _STRICTNESS["share_alike"]
        and _STRICTNESS[derivatives["prompts"]] < _STRICTNESS["share_alike_foundation"]
    ):
        warn(
            "prompting-loophole",
            "Head-only fine-tunes must be shared alike, but prompt changes need not be; a licensee can "
            "often reach the same result by prompting instead.",
            "Apply share-alike to head-only fine-tunes only for foundation derivatives, or also to prompt changes.",
            "derivatives.fine_tune_head", "derivatives.prompts",
        )  # fmt: skip
    if _STRICTNESS[derivatives["initialization"]] > full:
        warn(
            "initialisation-stricter-than-fine-tune",
            "Using the weights only as a starting point is treated more strictly than a full fine-tune, "
            "although it keeps less of the model.",
            "Give initialisation use a policy no stricter than full fine-tunes.",
            "derivatives.initialization", "derivatives.fine_tune_full",
        )  # fmt: skip
    if _STRICTNESS[derivatives["fine_tune_head"]] > full:
        warn(
            "head-stricter-than-full",
            "Head-only fine-tunes are treated more strictly than full fine-tunes, "
            "although they change less of the model.",
            "Give head-only fine-tunes a policy no stricter than full fine-tunes.",
            "derivatives.fine_tune_head", "derivatives.fine_tune_full",
        )  # fmt: skip


# -- drafting gaps: terms a reader would find missing or unsafe --------------------------------

# Words by which a custom restriction makes the licensee's duties depend on terms the licensor can
# change later, which a licensee cannot know when accepting the license.
_CHANGEABLE = re.compile(
    r"from time to time|as (?:may be )?(?:amended|updated|notified|revised|changed)\b|"
    r"at (?:its|our|the licensor's) (?:sole )?discretion",
    re.I,
)


def check_drafting(spec: dict[str, Any]) -> list[Finding]:
    """Drafting gaps and risky combinations that leave the text weaker than it should be."""
    out: list[Finding] = []
    grants, terms = spec["grants"], spec["terms"]
    if grants["sublicensing"] and specs.uses_share_alike(spec):
        out.append(
            Finding(
                "sublicensing-with-share-alike",
                WARNING,
                "Sublicensing is allowed while some modifications are share-alike: a sublicense could otherwise "
                "give fewer rights in a share-alike derivative than this license does. The license makes "
                "sublicensing subject to the share-alike section, so such derivatives cannot be sublicensed "
                "on narrower terms.",
                "Turn sublicensing off, or keep it knowing that it adds nothing for share-alike derivatives.",
                ("grants.sublicensing", "derivatives"),
            )
        )
    for index, item in enumerate(spec["use"]["restrictions"]):
        if isinstance(item, dict) and (changeable := _CHANGEABLE.search(item.get("text", ""))):
            out.append(
                Finding(
                    "changeable-terms",
                    WARNING,
                    "A custom use restriction refers to terms that can change after the license is accepted "
                    f"('{changeable.group(0)}'): a licensee cannot know what it agreed to, "
                    "and a court may refuse to enforce it.",
                    "State the restriction in full in the license, or refer to a dated, fixed version of the "
                    "other document.",
                    (f"use.restrictions[{index}]",),
                )
            )
    if not terms["governing_law"]:
        out.append(
            Finding(
                "governing-law-missing",
                NOTE,
                "No governing law is named, so a court hearing a dispute will decide which law applies "
                "to the license, and its terms may be read differently from one country to another.",
                "Name the governing law (and, if you wish, the courts that hear disputes).",
                ("terms.governing_law",),
            )
        )
    return out
