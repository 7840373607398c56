"""One form per step of the wizard. A form says which spec path each field answers and how the
field checks its input; its words (label, help, choices, "why") come from the vocabulary
(``clauses/questions.yaml``), through ``asked``, ``checkbox`` and ``radio``."""

from __future__ import annotations

from typing import Any

from django import forms

from licensebuilder.core import spec as specs
from licensebuilder.core import vocabulary

from .step_base import StepForm, asked, checkbox, radio


class BasicsForm(StepForm):
    license_name = asked("license.name", max_length=120)
    license_version = asked("license.version", max_length=20)
    license_spdx_id = asked("license.spdx_id", max_length=120, required=False)
    open_source_claim = checkbox("license.open_source_claim")
    licensor_name = asked("licensor.name", max_length=120)
    licensor_contact = asked("licensor.contact", max_length=254, required=False)
    model_name = asked("model.name", max_length=120)
    model_version = asked("model.version", max_length=40, required=False)
    model_url = asked("model.url", max_length=300, required=False)

    paths = {
        "license_name": "license.name",
        "license_version": "license.version",
        "license_spdx_id": "license.spdx_id",
        "open_source_claim": "license.open_source_claim",
        "licensor_name": "licensor.name",
        "licensor_contact": "licensor.contact",
        "model_name": "model.name",
        "model_version": "model.version",
        "model_url": "model.url",
    }


class ElementsForm(StepForm):
    paths = {key: f"elements.{key}" for key in specs.ELEMENTS}


ElementsForm.add_fields({key: radio(path) for key, path in ElementsForm.paths.items()})


class UseForm(StepForm):
    commercial_use = checkbox("grants.commercial_use")
    redistribution = checkbox("grants.redistribution")
    sublicensing = checkbox("grants.sublicensing")
    patent_license = checkbox("grants.patent_license")
    restrictions = asked(
        "use.restrictions",
        forms.MultipleChoiceField,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        # The catalogue's restrictions, read whenever the choices are.
        choices=lambda: [(rid, vocabulary.restriction_title(rid)) for rid in specs.restriction_ids()],
    )
    custom_restrictions = asked("use.custom_restrictions", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    research_protected = checkbox("use.research_protected")

    paths = {
        "commercial_use": "grants.commercial_use",
        "redistribution": "grants.redistribution",
        "sublicensing": "grants.sublicensing",
        "patent_license": "grants.patent_license",
        "restrictions": "use.restrictions",
        "research_protected": "use.research_protected",
    }
    # Not a spec path of its own: custom restrictions join ``use.restrictions`` (see ``write``).
    asks = {"custom_restrictions": "use.custom_restrictions"}

    @classmethod
    def initial_from(cls, spec: dict[str, Any]) -> dict[str, Any]:
        out = super().initial_from(spec)
        items = (spec.get("use") or {}).get("restrictions") or []
        out["restrictions"] = [r for r in items if isinstance(r, str)]
        out["custom_restrictions"] = "\n".join(r["text"] for r in items if isinstance(r, dict) and "text" in r)
        return out

    def clean_custom_restrictions(self) -> list[str]:
        lines = [" ".join(line.split()) for line in self.cleaned_data["custom_restrictions"].splitlines()]
        lines = [line for line in lines if line]
        for line in lines:
            if len(line) > 500:
                raise forms.ValidationError(f"Each restriction must be at most 500 characters; one has {len(line)}.")
            if specs.has_control_characters(line):
                raise forms.ValidationError(
                    "Restrictions must not contain control or bidirectional-override characters."
                )
        if len(set(lines)) != len(lines):
            raise forms.ValidationError("The same restriction is listed twice.")
        return lines

    def write(self, spec: dict[str, Any], data: dict[str, Any]) -> None:
        data = dict(data)
        if "restrictions" in data and "custom_restrictions" in data:
            order = specs.restriction_ids()
            chosen = sorted(data["restrictions"] or [], key=order.index)
            data["restrictions"] = chosen + [{"text": line} for line in data["custom_restrictions"] or []]
        else:
            data.pop("restrictions", None)
        super().write(spec, data)

    def _add_problem(self, problem: specs.Problem, refused: set[str]) -> None:
        on_item = problem.path.endswith("]") or ".text" in problem.path
        if problem.path.startswith("use.restrictions") and on_item:
            if "custom_restrictions" not in refused:
                self.add_error("custom_restrictions", f"A restriction {problem.message}.")
            return
        super()._add_problem(problem, refused)


class DerivativesForm(StepForm):
    paths = {key: f"derivatives.{key}" for key in specs.MODIFICATIONS}


DerivativesForm.add_fields({key: radio(path) for key, path in DerivativesForm.paths.items()})


class ShareAlikeForm(StepForm):
    trigger = radio("share_alike.trigger")
    release = asked(
        "share_alike.release",
        forms.MultipleChoiceField,
        choices=[(key, label) for key, (label, _) in specs.ELEMENTS.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    paths = {"trigger": "share_alike.trigger", "release": "share_alike.release"}

    def write(self, spec: dict[str, Any], data: dict[str, Any]) -> None:
        data = dict(data)
        if "release" in data:
            data["release"] = sorted(data["release"] or [], key=list(specs.ELEMENTS).index)
        super().write(spec, data)


class TermsForm(StepForm):
    include_license_copy = checkbox("terms.include_license_copy")
    attribution_notice = checkbox("terms.attribution_notice")
    indicate_modifications = checkbox("terms.indicate_modifications")
    naming = radio("terms.naming")
    termination_cure_days = asked(
        "terms.termination_cure_days",
        forms.IntegerField,
        min_value=0,
        max_value=365,
        error_messages={
            "required": "Give a number of days from 0 to 365 (0 ends the license at once).",
            "invalid": "Enter a whole number of days from 0 to 365, such as 30.",
            "min_value": "A number of days cannot be negative: enter 0 to 365 (0 ends the license at once).",
            "max_value": "Give at most 365 days.",
        },
    )
    outputs = radio("terms.outputs")
    governing_law = asked("terms.governing_law", max_length=200, required=False)
    venue = asked("terms.venue", max_length=200, required=False)
    liability_cap = asked("terms.liability_cap", max_length=200, required=False)

    paths = {name: f"terms.{name}" for name in (
        "include_license_copy", "attribution_notice", "indicate_modifications", "naming",
        "termination_cure_days", "outputs", "governing_law", "venue", "liability_cap",
    )}  # fmt: skip

    def write(self, spec: dict[str, Any], data: dict[str, Any]) -> None:
        data = dict(data)
        for key in ("governing_law", "venue", "liability_cap"):
            if key in data:
                data[key] = data[key] or ""
        super().write(spec, data)
