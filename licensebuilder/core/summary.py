"""What a reader would ask of any license, answered as data and as a one-page plain-language deed.

Both are read from the rules model of the assembled license (``rules.py``), so that they say what
the clauses say; only names and labels come from the spec.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from . import cache, vocabulary
from . import spec as specs
from .assemble import Document, _Context
from .library import default_library
from .rules import Act, RulesModel, rules_for
from .rules_format import MODIFICATION_KINDS, RESULTS
from .text import join_words, md_escape

# Modifications of the model itself; the others build something new from it.
_MODIFYING = ("fine_tune_full", "fine_tune_head", "code_changes", "prompts")
# The elements it takes to study and change a model (the training data is not needed).
_STUDY = ("weights", "inference_code", "training_code")
# Duties by which a modification's own clause credits the model (the summary's `attribution`).
_CREDITS = {"attribution", "provenance_notice", "share_alike_license"}


def _yes(model: RulesModel, act: Act) -> bool:
    return model.decide(act).permitted == "yes"


def _derivative(model: RulesModel, mod: str) -> dict[str, Any]:
    shared = {
        result: any(d.kind == "share_alike_license" for d in model.duties(Act("derivative", mod, result, "distribute")))
        for result in RESULTS
    }
    own = f"derivatives.{mod}"
    credits = any(
        d.kind in _CREDITS and own in d.clause_ids
        for result in RESULTS
        for mode in ("distribute", "service")
        for d in model.duties(Act("derivative", mod, result, mode))
    )
    return {
        "create": any(_yes(model, Act("derivative", mod, r, "private")) for r in RESULTS),
        "distribute": any(_yes(model, Act("derivative", mod, r, "distribute")) for r in RESULTS),
        "share_alike": "always" if all(shared.values()) else "foundation" if shared["foundation"] else "never",
        "attribution": credits,
    }


def _general_duty(model: RulesModel, kind: str) -> bool:
    """A duty that passing on or keeping copies of the model itself brings."""
    return any(d.kind == kind for mode in ("private", "distribute") for d in model.duties(Act("model", mode=mode)))


def _marks_changes(model: RulesModel) -> bool:
    """Whether every changed version of the model (the modifications of the model itself) must say
    what was changed when it is passed on, or kept where nothing may be passed on."""
    mode = "distribute" if _yes(model, Act("model", mode="distribute")) else "private"
    return all(
        any(d.kind == "indicate_modifications" for d in model.duties(Act("derivative", mod, result, mode)))
        for mod in _MODIFYING
        for result in RESULTS
    )


def summary_of(doc: Document, model: Callable[[], RulesModel] | None = None) -> dict[str, Any]:
    """:func:`summarize`, remembered by what decides it: which clauses the license holds and the
    values their rules read (``Library.rule_reads``). Names and other words typed never enter the
    rules, so editing them finds the summary already worked out. ``model`` gives the rules model
    when it is needed (a caller that already has one passes it)."""
    library = default_library()
    context = _Context(doc.spec, library)
    values = context.values()
    selected = {clause.id for clause in doc.clauses()}
    paths = cache.read_paths(library.rule_reads, values)
    key = (
        id(library),
        tuple(sorted(clause.key for clause in doc.clauses())),
        cache.render_key(library, paths, values, selected),
    )
    hit = cache.summaries.get(key)
    if hit is not None and hit[0] is library:
        return json.loads(hit[1])  # a copy of its own for every caller
    summary = summarize(doc, model() if model is not None else None)
    cache.summaries.put(key, (library, json.dumps(summary)))
    return summary


def summarize(doc: Document, model: RulesModel | None = None) -> dict[str, Any]:
    model = model or rules_for(doc)
    derivatives = {key: _derivative(model, key) for key in MODIFICATION_KINDS}
    share_alike_modes = {mode for a in model.declared("requires", "share_alike_license") for mode in a.rule.modes}
    trigger = (
        "distribution_or_service"
        if "service" in share_alike_modes
        else "distribution"
        if "distribute" in share_alike_modes
        else None
    )
    release: list[str] = []
    for applied in model.declared("requires", "release_elements"):
        release += [e for e in applied.elements if e not in release]
    restricted = bool(model.declared("forbids", "restricted_use"))
    commercial = _yes(model, Act("commercial_use"))
    redistribute = _yes(model, Act("model", mode="distribute"))
    return {
        "use": _yes(model, Act("model", mode="private")),
        "commercial_use": commercial,
        "redistribute": redistribute,
        "sublicense": _yes(model, Act("sublicense")),
        "use_restrictions": restricted,
        "research_protected": _yes(model, Act("research")),
        "patent_license": _yes(model, Act("patent_license")),
        "must_include_license": _general_duty(model, "include_license"),
        "must_retain_notices": _general_duty(model, "retain_notices"),
        "must_indicate_modifications": _marks_changes(model),
        "share_alike_trigger": trigger,
        "share_alike_release": release if trigger else [],
        "derivatives": derivatives,
        # The four freedoms mapped onto a model: weights and code (not the training data) are what
        # it takes to study and change a model.
        "freedoms": {
            "run": commercial and not restricted,
            "study": all(model.includes(k) for k in _STUDY),
            "redistribute": redistribute,
            "distribute_modified": redistribute and all(derivatives[k]["distribute"] for k in _MODIFYING),
        },
    }


# -- the deed --------------------------------------------------------------------------------


def _answer_is(path: str, value: Any) -> str:
    """An answer as History and the compare page word it, in a sentence: “commercial use is allowed”."""
    return f"{vocabulary.label(path).lower()} is {vocabulary.words(path, value)}"


def _labels(section: str, keys: tuple[str, ...]) -> str:
    """“weights, inference code and training code”: questions of a section by their labels."""
    return join_words([vocabulary.questions_under(section)[k].label.lower() for k in keys])


_INCLUDED = specs.AVAILABILITY["included"]
_FREEDOM_TEXT = {
    "run": ("Run the model for any purpose", f"{_answer_is('grants.commercial_use', True)} and no use is restricted"),
    "study": ("Study how it works", f"the {_labels('elements', _STUDY)} are all {_INCLUDED}"),
    "redistribute": ("Pass on copies", _answer_is("grants.redistribution", True)),
    "distribute_modified": (
        "Share modified versions",
        f"these may all be distributed: {_labels('derivatives', _MODIFYING)}",
    ),
}


def _kinds(model: RulesModel, mod: str, result: str, mode: str) -> set[str]:
    return {d.kind for d in model.duties(Act("derivative", mod, result, mode))}


def _policy_sentence(model: RulesModel, key: str) -> str:
    label = specs.MODIFICATIONS[key][0]
    create = model.answer(key, None, "private")
    if create.permitted == "no":
        return f"**{label}**: not allowed."
    if model.answer(key, None, "distribute").permitted == "no":
        service = model.answer(key, None, "service").permitted != "no"
        return f"**{label}**: allowed for your own use; you may not distribute the result" + (
            ", but you may offer it to others as a service." if service else ", nor offer it to others as a service."
        )
    foundation, narrow = (_kinds(model, key, r, "distribute") for r in RESULTS)
    served = _kinds(model, key, "foundation", "service")
    also = ", also when you only offer it as a service" if "share_alike_license" in served else ""
    credit = (
        "say that the data was generated with the model"
        if "provenance_notice" in narrow
        else "credit the model and say what you changed"
    )
    if "share_alike_license" in narrow:
        return f"**{label}**: allowed; the result must be shared under this license{also}."
    if "share_alike_license" in foundation:
        return (
            f"**{label}**: allowed; a general-purpose result must be shared under this license{also}; "
            f"for a task-specific one, {credit}."
        )
    if narrow & {"attribution", "provenance_notice"}:
        return f"**{label}**: allowed; {credit}."
    return f"**{label}**: allowed, with no extra duty."


def _bullets(items: list[str]) -> list[str]:
    return [f"- {item[0].upper()}{item[1:]}." for item in items]


def render_deed(doc: Document, summary: dict[str, Any] | None = None, model: RulesModel | None = None) -> str:
    """A one-page summary in plain language. It is not the license and says so."""
    spec = doc.spec
    model = model or rules_for(doc)
    summary = summary or summarize(doc, model)
    name, model_name = md_escape(spec["license"]["name"]), md_escape(spec["model"]["name"])
    lines = [f"# {name} {md_escape(spec['license']['version'])}: summary", ""]
    lines += [
        f"This is a plain-language summary of the license for {model_name}. It is not the license; "
        "where they differ, the license text governs.",
        "",
        "## You may",
        "",
    ]
    may = ["use and run the model" + ("" if summary["commercial_use"] else " for non-commercial purposes only")]
    if summary["redistribute"]:
        may.append("pass on copies" + (" and sublicense them" if summary["sublicense"] else ""))
    if summary["patent_license"]:
        may.append("rely on the licensor's patents that the model necessarily uses")
    if summary["research_protected"]:
        research = "evaluate, probe and red-team the model for research"
        if summary["use_restrictions"]:
            research += ", whatever the use restrictions say"
        if not summary["commercial_use"]:
            research += ", within the limit to non-commercial purposes"
        may.append(research)
    lines += _bullets(may)
    lines += ["", "## Changing the model", ""]
    lines += [f"- {_policy_sentence(model, key)}" for key in MODIFICATION_KINDS]
    lines += ["", "## You must", ""]
    lines += _bullets(_duties(model, summary, model_name))
    if spec["use"]["restrictions"]:
        lines += ["", "## You may not use it", ""]
        catalogue_titles = _restriction_titles()
        for item in spec["use"]["restrictions"]:
            text = catalogue_titles.get(item, item) if isinstance(item, str) else md_escape(item["text"])
            lines.append(f"- {text}")
    lines += ["", "## Good to know", ""]
    lines += _bullets(_good_to_know(model, summary))
    lines += ["", "## Freedoms", ""]
    missing = _missing_freedoms(model, summary)
    for key, (label, meaning) in _FREEDOM_TEXT.items():
        mark = "Yes" if summary["freedoms"][key] else "No"
        lines.append(f"- {label}: **{mark}** ({meaning if summary['freedoms'][key] else missing[key]})")
    return "\n".join(lines) + "\n"


def _duties(model: RulesModel, summary: dict[str, Any], model_name: str) -> list[str]:
    passed_on = {d.kind for d in model.duties(Act("model", mode="distribute"))} if summary["redistribute"] else set()
    kept = {d.kind for d in model.duties(Act("model", mode="private"))}
    must = []
    if "include_license" in passed_on:
        must.append("include a copy of the license when you pass the model on")
    elif "include_license" in kept:
        must.append("keep a copy of the license with every copy of the model you make")
    if "retain_notices" in passed_on:
        must.append(
            "keep the licensor's notices and credit the model every time you pass on the model, or anything "
            "made from it that contains part of it: this applies to every redistribution, whatever the rules "
            "above say about a particular change"
        )
    elif "retain_notices" in kept:
        must.append("keep the licensor's notices in every copy of the model you make")
    if summary["must_indicate_modifications"]:
        must.append("say what you changed in a modified version")
    if summary["share_alike_trigger"]:
        trigger = vocabulary.deed_words("share_alike.trigger", summary["share_alike_trigger"])
        released = [specs.ELEMENTS[k][0].lower() for k in summary["share_alike_release"]]
        release = f", releasing its {join_words(released)}" if released else ""
        must.append(f"license a share-alike derivative under this license when you {trigger}{release}")
    if model.declared("requires", "restrictions_flow_down"):
        must.append(
            "bind anyone who gets the model or a derivative from you to the use restrictions, distilled models "
            "and models trained on its outputs included, and forbid those uses to the users of any service"
        )
    naming = {a.clause.variant for a in model.declared("requires", "naming")}
    if "prefix_required" in naming:
        must.append(f"start the name of any derivative you share with “{model_name}”")
    elif "no_endorsement" in naming:
        must.append("not suggest that the licensor made or endorses your derivative, product or service")
    if not must:
        must.append("follow the license's terms; it sets no notice duties")
    return must


def _good_to_know(model: RulesModel, summary: dict[str, Any]) -> list[str]:
    notes = []
    if "lawful_weights" in model.decide(Act("model", mode="private")).provisos:
        notes.append(
            "the weights are not part of this release: everything above that needs them applies only to "
            "weights you hold lawfully, under this license or another agreement with the licensor"
        )
    if not summary["patent_license"]:
        notes.append("no patent license: if you need one of the licensor's patents, you must get it separately")
    cure = model.fact("cure_days")
    if cure is not None and cure.value == 0:
        notes.append("no cure period: any breach ends your rights at once and for good")
    elif cure is not None:
        days = f"{cure.value} day{'s' if cure.value != 1 else ''}"
        notes.append(f"a breach ends your rights, but they come back if you put it right within {days} of notice")
    if model.fact("no_warranty"):
        notes.append("no warranty: the model comes as it is, and you alone decide whether it suits your purpose")
    if model.fact("liability_excluded"):
        notes.append("the licensor is not liable for losses from using the model, as far as the law allows")
    return notes


def _missing_freedoms(model: RulesModel, summary: dict[str, Any]) -> dict[str, str]:
    """Why each freedom that is missing is missing, in a few words."""
    why_run = []
    if not summary["commercial_use"]:
        why_run.append(_answer_is("grants.commercial_use", False))
    if summary["use_restrictions"]:
        why_run.append("some uses are restricted")
    absent = [specs.ELEMENTS[k][0].lower() for k in _STUDY if not model.includes(k)]
    closed = [specs.MODIFICATIONS[k][0].lower() for k in _MODIFYING if not summary["derivatives"][k]["distribute"]]
    return {
        "run": join_words(why_run),
        "study": f"the {join_words(absent)} {'is' if len(absent) == 1 else 'are'} not {_INCLUDED}",
        "redistribute": _answer_is("grants.redistribution", False),
        "distribute_modified": f"these may not be distributed: {join_words(closed)}",
    }


def _restriction_titles() -> dict[str, str]:
    return {rid: r.title for rid, r in default_library().restrictions.items()}
