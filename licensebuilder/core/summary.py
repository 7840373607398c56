"""What a reader would ask of any license, answered as data and as a one-page plain-language deed."""

from __future__ import annotations

from typing import Any

from . import spec as specs
from .library import default_library
from .text import join_words, md_escape

_SHARE_ALIKE_LEVEL = {"share_alike": "always", "share_alike_foundation": "foundation"}
_DISTRIBUTABLE = {"permitted", "attribution", "share_alike", "share_alike_foundation"}
_CREDITED = {"attribution", "share_alike", "share_alike_foundation"}
# Modifications of the model itself; the others build something new from it.
_MODIFYING = ("fine_tune_full", "fine_tune_head", "code_changes", "prompts")


def derivative_summary(policy: str, redistribution: bool) -> dict[str, Any]:
    return {
        "create": policy != "prohibited",
        "distribute": policy in _DISTRIBUTABLE and redistribution,
        "share_alike": _SHARE_ALIKE_LEVEL.get(policy, "never"),
        "attribution": policy in _CREDITED,
    }


def summarize(spec: dict[str, Any]) -> dict[str, Any]:
    grants, use, terms = spec["grants"], spec["use"], spec["terms"]
    derivatives = {
        key: derivative_summary(policy, grants["redistribution"]) for key, policy in spec["derivatives"].items()
    }
    elements = spec["elements"]
    return {
        "use": True,
        "commercial_use": grants["commercial_use"],
        "redistribute": grants["redistribution"],
        "sublicense": grants["sublicensing"],
        "use_restrictions": bool(use["restrictions"]),
        "research_protected": use["research_protected"],
        "patent_license": grants["patent_license"],
        "must_include_license": terms["include_license_copy"],
        "must_retain_notices": terms["attribution_notice"],
        "must_indicate_modifications": terms["indicate_modifications"],
        "share_alike_trigger": spec["share_alike"]["trigger"] if specs.uses_share_alike(spec) else None,
        "share_alike_release": list(spec["share_alike"]["release"]) if specs.uses_share_alike(spec) else [],
        "derivatives": derivatives,
        # The four freedoms as the essay maps them onto a model: weights and code (not the
        # training data) are what it takes to study and change a model.
        "freedoms": {
            "run": grants["commercial_use"] and not use["restrictions"],
            "study": all(elements[k] == "included" for k in ("weights", "inference_code", "training_code")),
            "redistribute": grants["redistribution"],
            "distribute_modified": grants["redistribution"] and all(derivatives[k]["distribute"] for k in _MODIFYING),
        },
    }


# -- the deed --------------------------------------------------------------------------------

_FREEDOM_TEXT = {
    "run": ("Run the model for any purpose", "commercial use is allowed and no use is restricted"),
    "study": ("Study how it works", "the weights, inference code and training code are all included"),
    "redistribute": ("Pass on copies", "copies may be redistributed"),
    "distribute_modified": (
        "Share modified versions",
        "fine-tunes, code changes and prompt changes may all be distributed",
    ),
}


def _policy_sentence(key: str, policy: str, redistribution: bool) -> str:
    label = specs.MODIFICATIONS[key][0]
    if policy == "prohibited":
        return f"**{label}**: not allowed."
    if policy == "no_distribution" or not redistribution:
        return f"**{label}**: allowed for your own use; you may not distribute the result."
    credit = (
        "say that the data was generated with the model"
        if key == "synthetic_data"
        else "credit the model and say what you changed"
    )
    return {
        "permitted": f"**{label}**: allowed, with no extra duty.",
        "attribution": f"**{label}**: allowed; {credit}.",
        "share_alike": f"**{label}**: allowed; the result must be shared under this license.",
        "share_alike_foundation": (
            f"**{label}**: allowed; a general-purpose result must be shared under this license, "
            "a task-specific one only needs credit."
        ),
    }[policy]


def render_deed(spec: dict[str, Any], summary: dict[str, Any] | None = None) -> str:
    """A one-page summary in plain language. It is not the license and says so."""
    summary = summary or summarize(spec)
    name, model = md_escape(spec["license"]["name"]), md_escape(spec["model"]["name"])
    lines = [f"# {name} {md_escape(spec['license']['version'])}: summary", ""]
    lines += [
        f"This is a plain-language summary of the license for {model}. It is not the license; "
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
        may.append("evaluate, probe and red-team the model for research, whatever the use restrictions say")
    lines += [f"- {item[0].upper()}{item[1:]}." for item in may]
    lines += ["", "## Changing the model", ""]
    lines += [
        f"- {_policy_sentence(key, policy, summary['redistribute'])}" for key, policy in spec["derivatives"].items()
    ]
    lines += ["", "## You must", ""]
    must = []
    if summary["must_include_license"]:
        must.append("include a copy of the license when you pass the model on")
    if summary["must_retain_notices"]:
        must.append("keep the licensor's notices and credit the model")
    if summary["must_indicate_modifications"]:
        must.append("say what you changed in a modified version")
    if summary["share_alike_trigger"]:
        trigger = (
            "distribute it or offer it as a service over a network"
            if summary["share_alike_trigger"] == "distribution_or_service"
            else "distribute it"
        )
        released = [specs.ELEMENTS[k][0].lower() for k in summary["share_alike_release"]]
        release = f", releasing its {join_words(released)}" if released else ""
        must.append(f"license a share-alike derivative under this license when you {trigger}{release}")
    if not must:
        must.append("follow the license's terms; it sets no notice duties")
    lines += [f"- {item[0].upper()}{item[1:]}." for item in must]
    if spec["use"]["restrictions"]:
        lines += ["", "## You may not use it", ""]
        catalogue_titles = _restriction_titles()
        for item in spec["use"]["restrictions"]:
            text = catalogue_titles.get(item, item) if isinstance(item, str) else md_escape(item["text"])
            lines.append(f"- {text}")
    lines += ["", "## Freedoms", ""]
    missing = _missing_freedoms(spec, summary)
    for key, (label, meaning) in _FREEDOM_TEXT.items():
        mark = "Yes" if summary["freedoms"][key] else "No"
        lines.append(f"- {label}: **{mark}** ({meaning if summary['freedoms'][key] else missing[key]})")
    return "\n".join(lines) + "\n"


def _missing_freedoms(spec: dict[str, Any], summary: dict[str, Any]) -> dict[str, str]:
    """Why each freedom that is missing is missing, in a few words."""
    why_run = []
    if not summary["commercial_use"]:
        why_run.append("commercial use is not allowed")
    if summary["use_restrictions"]:
        why_run.append("some uses are restricted")
    absent = [
        specs.ELEMENTS[k][0].lower()
        for k in ("weights", "inference_code", "training_code")
        if spec["elements"][k] != "included"
    ]
    closed = [specs.MODIFICATIONS[k][0].lower() for k in _MODIFYING if not summary["derivatives"][k]["distribute"]]
    return {
        "run": join_words(why_run),
        "study": f"the {join_words(absent)} {'is' if len(absent) == 1 else 'are'} not included",
        "redistribute": "the license does not allow passing on copies",
        "distribute_modified": f"these may not be distributed: {join_words(closed)}",
    }


def _restriction_titles() -> dict[str, str]:
    return {rid: r.title for rid, r in default_library().restrictions.items()}
