"""The wizard: a list of steps ``(slug, form, condition)`` and pure functions over a spec.

Nothing here touches the database or the request: the views ask which steps apply to a spec,
which comes next, and how to describe an answer in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from licensebuilder.core import spec as specs
from licensebuilder.core import vocabulary

from . import step_forms
from .step_base import StepForm


def _always(spec: dict[str, Any]) -> bool:
    return True


def _needs_share_alike(spec: dict[str, Any]) -> bool:
    return specs.uses_share_alike(spec)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[StepForm] | None
    condition: Callable[[dict[str, Any]], bool]
    intro: str = ""


STEPS: list[Step] = [
    Step("basics", "Basics", step_forms.BasicsForm, _always,
         "Name the license, the licensor who grants it and the model it covers."),
    Step("elements", "Elements", step_forms.ElementsForm, _always,
         "A model is more than its weights. For each part, choose whether it is released under this license, "
         "only described, or withheld."),
    Step("use", "Use", step_forms.UseForm, _always,
         "What anyone may do with the model as you release it, and which uses, if any, are off limits."),
    Step("derivatives", "Derivatives", step_forms.DerivativesForm, _always,
         "A model can be changed in very different ways. Choose a policy for each kind of modification."),
    Step("share_alike", "Share-alike", step_forms.ShareAlikeForm, _needs_share_alike,
         "Some of your policies ask derivatives to be shared alike. Say when that applies and what must be released."),
    Step("terms", "Terms", step_forms.TermsForm, _always,
         "The conditions that come with every copy: notices, names, breaches, outputs."),
    Step("review", "Review", None, _always,
         "Check the warnings, read the summary and the full text, and export."),
]  # fmt: skip

BY_SLUG = {step.slug: step for step in STEPS}


def get_step(slug: str) -> Step | None:
    return BY_SLUG.get(slug)


def applicable(spec: dict[str, Any]) -> list[Step]:
    """The steps that apply to ``spec``, in order."""
    return [step for step in STEPS if step.condition(spec)]


def next_step(spec: dict[str, Any], after: str | None = None) -> str | None:
    """The slug of the step that follows ``after`` for this spec (the first step if ``after`` is None)."""
    slugs = [step.slug for step in STEPS]
    start = slugs.index(after) + 1 if after in slugs else 0
    for step in STEPS[start:]:
        if step.condition(spec):
            return step.slug
    return None


def previous_step(spec: dict[str, Any], before: str) -> str | None:
    slugs = [step.slug for step in STEPS]
    end = slugs.index(before) if before in slugs else 0
    for step in reversed(STEPS[:end]):
        if step.condition(spec):
            return step.slug
    return None


def first_unfinished(spec: dict[str, Any], done: list[str], pending: dict[str, Any]) -> str:
    """Where to resume a draft: the first step with problems or not yet answered, else the review."""
    for step in applicable(spec):
        if step.form is not None and (step.slug in pending or step.slug not in done):
            return step.slug
    return "review"


def statuses(spec: dict[str, Any], done: list[str], pending: dict[str, Any]) -> dict[str, str]:
    """Each applicable step's state: ``complete``, ``problems`` or ``todo``."""
    out = {}
    for step in applicable(spec):
        if step.slug in pending:
            out[step.slug] = "problems"
        elif step.form is None:
            others = [s for s in out.values()]
            out[step.slug] = "complete" if all(s == "complete" for s in others) else "todo"
        else:
            out[step.slug] = "complete" if step.slug in done else "todo"
    return out


@dataclass(frozen=True)
class Unconfirmed:
    """A step that applies but was never saved: its answers are what the license says without the
    licensor having seen them."""

    step: Step
    answers: list[tuple[str, str, bool]]  # (question, answer in words, whether it is the default)


def unconfirmed(spec: dict[str, Any], done: list[str]) -> list[Unconfirmed]:
    """The applicable steps with questions that were never saved, each with its answers in words."""
    defaults = specs.defaults()
    out = []
    for step in applicable(spec):
        if step.form is None or step.slug in done:
            continue
        answers = []
        for path in dict.fromkeys(step.form.paths.values()):
            value, default = _at(spec, path), _at(defaults, path)
            answers.append((vocabulary.label(path), vocabulary.words(path, value), value == default))
        out.append(Unconfirmed(step, answers))
    return out


def _at(spec: dict[str, Any], path: str) -> Any:
    try:
        return specs.get_path(spec, path)
    except (KeyError, TypeError):
        return None


# -- answers in words ------------------------------------------------------------------------

ROOT_STEP = {
    "license": "basics",
    "licensor": "basics",
    "model": "basics",
    "elements": "elements",
    "grants": "use",
    "use": "use",
    "derivatives": "derivatives",
    "share_alike": "share_alike",
    "terms": "terms",
}


def step_for_path(path: str) -> str:
    return ROOT_STEP.get(path.split(".", 1)[0].split("[", 1)[0], "basics")


def field_for_path(path: str) -> tuple[str, str] | None:
    """The (step slug, field name) that answers a spec path, if a single field does."""
    slug = step_for_path(path)
    step = BY_SLUG[slug]
    if step.form is None:
        return None
    best = None
    for name, field_path in _all_paths(step.form).items():
        if path == field_path or path.startswith(field_path + ".") or path.startswith(field_path + "["):
            best = name
    return (slug, best) if best else None


def _all_paths(form: type[StepForm]) -> dict[str, str]:
    return dict(form.paths)


def reason_words(path: str, value: Any) -> tuple[str, str]:
    return vocabulary.label(path), vocabulary.words(path, value)


def flatten(spec: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Leaf answers by dotted path; lists are kept whole."""
    out: dict[str, Any] = {}
    for key, value in spec.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def differences(mine: dict[str, Any], theirs: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(label, my answer, their answer) for every answer that differs, in spec order."""
    a, b = flatten(mine), flatten(theirs)
    paths = list(dict.fromkeys([*a, *b]))
    return [
        (vocabulary.label(p), vocabulary.words(p, a.get(p)), vocabulary.words(p, b.get(p)))
        for p in paths
        if a.get(p) != b.get(p) and p != "spec_version"
    ]
