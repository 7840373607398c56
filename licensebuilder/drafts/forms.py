"""Forms: accounts, drafts, and one form per wizard step.

A step form reads its initial values from a spec and writes its answers back into a copy of it
(``apply``). Django checks each field; the engine's validator then checks the spec as a whole,
and every problem it reports is shown at the field it belongs to.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm

from licensebuilder.core import spec as specs
from licensebuilder.core.library import LibraryError, default_library

# What a blank draft shows in the preview until the licensor fills in the names.
PLACEHOLDERS = {"license": "[license name]", "licensor": "[licensor]", "model": "[model name]"}


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with placeholders for the names not given yet, validated: what the preview builds.

    Raises SpecError like the engine's validator. Results are remembered by the spec's JSON text:
    the preview asks for the same few specs over and over while someone types.
    """
    return json.loads(_complete_json(spec or {}))


# complete()'s results as JSON text, by the JSON text of the spec completed: each caller gets a
# fresh copy of a result (json.loads), so none can change what another sees.
_COMPLETED: dict[str, str] = {}
_COMPLETED_MAX = 512


def _complete_json(spec: dict[str, Any]) -> str:
    key = json.dumps(spec, ensure_ascii=False)
    text = _COMPLETED.get(key)
    if text is None:
        text = json.dumps(specs.validate(_with_placeholders(spec)), ensure_ascii=False)
        if len(_COMPLETED) >= _COMPLETED_MAX:
            _COMPLETED.clear()
        _COMPLETED[key] = text
    return text


def _with_placeholders(spec: Any) -> Any:
    """``spec`` with a placeholder for each name not given. Only the sections that get one are new
    dicts; the rest is shared, which is safe because the validator builds its own copy."""
    if not isinstance(spec, dict):
        return spec  # the validator says what is wrong with it
    data = dict(spec)
    for section, placeholder in PLACEHOLDERS.items():
        part = data.get(section, {})
        if isinstance(part, dict) and not part.get("name"):
            data[section] = {**part, "name": placeholder}
    return data


def is_named(spec: dict[str, Any]) -> bool:
    """Whether the licensor has given every name a license needs."""
    return all((spec.get(section) or {}).get("name") for section in PLACEHOLDERS)


@cache
def _restriction_titles() -> dict[str, str]:
    try:
        return {rid: r.title for rid, r in default_library().restrictions.items()}
    except LibraryError:
        return {}


def restriction_title(rid: str) -> str:
    return _restriction_titles().get(rid) or rid.replace("_", " ").capitalize()


# -- accounts and drafts ---------------------------------------------------------------------


class SignupForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)


class RenameForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, help_text="Only you see this title; it is not the license name."
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Give the draft a title.")
        if specs.has_control_characters(title):
            raise forms.ValidationError("The title must not contain control or bidirectional-override characters.")
        return title


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Spec or license.json file",
        help_text=f"JSON or YAML, at most {specs.MAX_SPEC_BYTES // 1024} KiB. "
        "A license.json exported from licensebuilder works too.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > specs.MAX_SPEC_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size // 1024} KiB; the limit is {specs.MAX_SPEC_BYTES // 1024} KiB."
            )
        return upload


# -- wizard steps ----------------------------------------------------------------------------


class StepForm(forms.Form):
    """A step of the wizard. ``paths`` maps each field to the spec key it answers."""

    do_not_call_in_templates = True  # templates test `step.form`; never instantiate it there
    paths: dict[str, str] = {}
    why: dict[str, str] = {}
    # Radio choices' one-line explanations, by field: {field: {value: text}}.
    choice_help: dict[str, dict[str, str]] = {}

    def __init__(self, *args: Any, spec: dict[str, Any], **kwargs: Any):
        kwargs.setdefault("initial", self.initial_from(spec))
        kwargs.setdefault("auto_id", "field-%s")
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.result: dict[str, Any] | None = None
        self.completed: dict[str, Any] | None = None
        for name, field in self.fields.items():
            field.why = self.why.get(name, "")
            field.choice_help = self.choice_help.get(name, {})
            field.path = self.paths.get(name, "")
            if not field.widget.use_fieldset:
                # Help and errors are read with the field; radio groups get this on their fieldset.
                field.widget.attrs["aria-describedby"] = f"field-{name}_helptext field-{name}-errors"

    @classmethod
    def add_fields(cls, fields: dict[str, forms.Field]) -> None:
        """Add fields made from the engine's labels (one per element or modification type), once,
        to the fields every form of this class starts from."""
        cls.base_fields.update(fields)
        cls.declared_fields.update(fields)

    @classmethod
    def initial_from(cls, spec: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for name, path in cls.paths.items():
            try:
                out[name] = specs.get_path(spec, path)
            except (KeyError, TypeError):
                continue
        return out

    def write(self, spec: dict[str, Any], data: dict[str, Any]) -> None:
        """Put the cleaned answers into ``spec`` (a copy the form owns)."""
        for name, path in self.paths.items():
            if name not in data:
                continue  # a field Django already refused keeps its saved value for the whole-spec check
            *parents, last = path.split(".")
            target = spec
            for part in parents:
                target = target.setdefault(part, {})
            value = data.get(name)
            if (
                value in ("", None)
                and not self.fields[name].required
                and not isinstance(self.fields[name], forms.BooleanField)
            ):
                target.pop(last, None)  # an optional text left empty is simply absent
            else:
                target[last] = value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Check the whole spec even when some fields failed already, so every problem shows at once.
        refused = set(self.errors)
        candidate = _writable(self.spec, self.paths.values())
        self.write(candidate, {k: v for k, v in data.items() if k not in refused})
        try:
            done = complete(candidate)
        except specs.SpecError as exc:
            for problem in exc.problems:
                self._add_problem(problem, refused)
            return data
        if refused:
            return data
        # What the preview builds, and the licensor's own values (no placeholders), normalised as
        # the engine would: one validation serves both.
        self.completed = done
        self.result = _without_placeholders(done, candidate)
        return data

    def _add_problem(self, problem: specs.Problem, refused: set[str]) -> None:
        best = ""
        for name, path in self.paths.items():
            if (
                problem.path == path or problem.path.startswith(path + ".") or problem.path.startswith(path + "[")
            ) and len(path) > len(self.paths.get(best, "")):
                best = name
        if best in refused:
            return  # Django's own message for this field is clearer
        label = self.fields[best].label if best else problem.path
        message = f"{label} {problem.message}." if not best else f"This {problem.message}."
        self.add_error(best or None, message.replace("..", "."))

    def apply(self) -> dict[str, Any]:
        """The draft's spec with this step's answers; only valid after ``is_valid()``."""
        assert self.result is not None
        return self.result


def _writable(spec: dict[str, Any], paths: Any) -> dict[str, Any]:
    """A copy of ``spec`` that ``write`` may change at ``paths``: the dicts on the way to each path
    are copies, everything else is shared with ``spec`` and only read. Far cheaper than a deep copy,
    which the live preview would make on every change."""
    out = dict(spec)
    copied = {id(out)}
    for path in paths:
        target = out
        for part in path.split(".")[:-1]:
            child = target.get(part)
            if not isinstance(child, dict):
                break  # ``write`` puts a new dict here (or fails as it would on any copy)
            if id(child) not in copied:
                child = target[part] = dict(child)
                copied.add(id(child))
            target = child
    return out


def _without_placeholders(done: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """``done`` (``complete(spec)``) without the placeholder names ``spec`` did not give. The
    sections left as they are are shared with ``done``."""
    out = dict(done)
    for section in PLACEHOLDERS:
        if not (spec.get(section) or {}).get("name"):
            out[section] = {k: v for k, v in done[section].items() if k != "name"}
    return out


class _RadioField(forms.ChoiceField):
    """A radio group whose choices are fixed when the class is made: every form copies its fields,
    and copying the choices (as Django does for choices that may change) is most of the cost of
    making a step's form, which the live preview does on every change."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _RadioField:
        # Shallow copies made directly, without copy.copy()'s generic __reduce_ex__ machinery.
        result = _shallow(self)
        memo[id(self)] = result
        result.widget = _shallow(self.widget)
        result.widget.attrs = dict(self.widget.attrs)
        result.error_messages = dict(self.error_messages)
        result.validators = self.validators[:]
        return result


def _shallow(obj: Any) -> Any:
    """What copy.copy() makes of a plain object: a new instance sharing a copy of its attributes."""
    out = object.__new__(type(obj))
    out.__dict__.update(obj.__dict__)
    return out


def _radio(choices: list[tuple[str, str]], label: str, help_text: str = "") -> forms.ChoiceField:
    return _RadioField(choices=choices, widget=forms.RadioSelect, label=label, help_text=help_text)


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + "."


def _yes(label: str, help_text: str) -> forms.BooleanField:
    return forms.BooleanField(required=False, label=label, help_text=help_text)


class BasicsForm(StepForm):
    license_name = forms.CharField(
        label="License name", max_length=120, help_text="What your license is called, e.g. “Acme Open Model License”."
    )
    license_version = forms.CharField(
        label="License version", max_length=20, help_text="Raise it whenever you change the terms, e.g. 1.0, then 1.1."
    )
    license_spdx_id = forms.CharField(
        label="SPDX identifier",
        max_length=120,
        required=False,
        help_text="Leave it empty and one is made from the name and version, e.g. LicenseRef-Acme-1.0.",
    )
    open_source_claim = _yes(
        "I will describe this model as open source",
        "The review then warns you about any choice that contradicts that description.",
    )
    licensor_name = forms.CharField(
        label="Licensor",
        max_length=120,
        help_text="The person or organisation that holds the rights and grants the license.",
    )
    licensor_contact = forms.CharField(
        label="Contact",
        max_length=254,
        required=False,
        help_text="An e-mail address or an https:// link for questions about the license.",
    )
    model_name = forms.CharField(
        label="Model name", max_length=120, help_text="The model this license covers, e.g. Acme-7B."
    )
    model_version = forms.CharField(
        label="Model version", max_length=40, required=False, help_text="The release this license comes with, e.g. 1.0."
    )
    model_url = forms.CharField(
        label="Model web page", max_length=300, required=False, help_text="An http(s):// link to the release."
    )

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
    why = {
        "license_name": "Terms written for ordinary software do not say what happens when someone fine-tunes or "
        "distills a model, so a model license usually gets a name of its own. The name is how people and release "
        "tools will refer to these terms.",
        "license_version": "Licensors revise their terms between releases. A version number lets anyone tell which "
        "terms came with which copy of the model.",
        "license_spdx_id": "Package indexes and model hubs read SPDX identifiers. Licenses outside the official SPDX "
        "list use an identifier that starts with LicenseRef-.",
        "open_source_claim": "The word “open” is stretched a great deal when it comes to AI models. Open source "
        "carries a long-standing meaning from free software: anyone may run the program for any purpose, study and "
        "change it, and share copies and changed versions. If you intend to use the term, the review checks your "
        "answers against those freedoms, for example that no use is restricted and the weights are included.",
        "licensor_name": "Only whoever holds the rights in the model can license it. Recipients need to know who "
        "grants them their permissions and whose notices to keep.",
        "licensor_contact": "People who want to ask about the terms, or report a problem with the model, need a way "
        "to reach you.",
        "model_name": "The license covers one model and what is released with it; the name ties the terms to it.",
    }


AVAILABILITY_CHOICES = [
    ("included", "Included"),
    ("described", "Described"),
    ("withheld", "Withheld"),
]
AVAILABILITY_HELP = {
    "included": "released under this license",
    "described": "documented (sources, datasheet, links) but not released",
    "withheld": "neither released nor documented",
}

ELEMENT_WHY = {
    "weights": "The weights and the code that runs them are what let people run and study a model: feed it inputs "
    "whose answers are known, look at gradients and intermediate values. A license that withholds the weights "
    "covers little that anyone can use.",
    "inference_code": "Weights are only numbers; the computation is visible in the inference code. With it anyone can "
    "check that each layer does what it says. Weights without it are hard to run and harder to trust.",
    "training_code": "Changing a model in practice means updating its weights with new examples. The training code is "
    "what makes that possible for others.",
    "preprocessing_code": "The filters and transformations applied to raw data shape what the model learns. Describing "
    "them lets others judge the data pipeline even where the data itself cannot be shared.",
    "training_data": "Large training sets usually contain material you have no right to pass on, and are often "
    "shared only as links that break over time. The data also says less about how a trained model behaves than "
    "testing the model does, and nobody needs it to modify the model. Describing the sources is a common middle "
    "ground.",
    "initial_weights": "Many models start from another model's weights; others start from random values that a seed "
    "can reproduce. Saying which helps anyone retrace the training.",
    "hyperparameters": "Coarse settings such as batch size, learning rate and schedule cost little to publish and let "
    "others train comparable models.",
    "reproducibility": "Exact reproduction needs every random seed, the order in which parallel steps ran and the full "
    "environment. That information often is not even recorded, so withholding it is normal and rarely holds anyone "
    "back.",
    "prompts": "In a generative model the system and context prompts can be as much part of the working model as its "
    "code. Sharing the prompts the model needs to work as intended is in the spirit of sharing source code; "
    "everyday inputs are not meant here.",
}


class ElementsForm(StepForm):
    paths = {key: f"elements.{key}" for key in specs.ELEMENTS}
    why = ELEMENT_WHY
    choice_help = {key: AVAILABILITY_HELP for key in specs.ELEMENTS}


ElementsForm.add_fields(
    {
        key: _radio(AVAILABILITY_CHOICES, label, _sentence(description))
        for key, (label, description) in specs.ELEMENTS.items()
    }
)


class UseForm(StepForm):
    commercial_use = _yes("Allow commercial use", "Anyone may use the model in paid products and services.")
    redistribution = _yes("Allow redistribution", "Anyone may pass on copies of the model to others.")
    sublicensing = _yes(
        "Allow sublicensing",
        "Recipients may grant others rights of their own. Usually not needed: everyone gets this license directly.",
    )
    patent_license = _yes("Grant a patent license", "You license the patents of yours that the model necessarily uses.")
    restrictions = forms.MultipleChoiceField(
        label="Uses that are not allowed",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick the uses to forbid. Leave all unticked to allow any purpose.",
    )
    custom_restrictions = forms.CharField(
        label="Other uses that are not allowed",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line, in plain words, e.g. “Ranking job applicants”.",
    )
    research_protected = _yes(
        "Protect research",
        "Evaluation, interpretability work (gradients, activations) and red-teaming or jailbreak research stay "
        "allowed whatever the restrictions say.",
    )

    paths = {
        "commercial_use": "grants.commercial_use",
        "redistribution": "grants.redistribution",
        "sublicensing": "grants.sublicensing",
        "patent_license": "grants.patent_license",
        "restrictions": "use.restrictions",
        "research_protected": "use.research_protected",
    }
    why = {
        "commercial_use": "Running a program for any purpose is the first of the software freedoms. Refusing "
        "commercial use keeps the model out of products and services, and a license that does so is not open source.",
        "redistribution": "Passing on copies helps others and is one of the four freedoms. Without it every user "
        "has to come to you, and no modified version can be shared either.",
        "sublicensing": "Each recipient already receives this license from you directly, so sublicensing is rarely "
        "needed. Allowing it lets a distributor put its own terms on top, which some commercial partners ask for.",
        "patent_license": "Without a patent grant a licensor could allow copying under copyright and still sue under a "
        "patent. Most modern open licenses include one.",
        "restrictions": "Model licenses increasingly list forbidden purposes. Copyright is a blunt tool for limiting "
        "use: such rules are hard to enforce, many of these uses are unlawful anyway, and any purpose restriction "
        "means the license is no longer open source in the usual sense. Choose only what you mean to enforce.",
        "custom_restrictions": "Write a restriction of your own in plain words. It appears in the license exactly as "
        "you type it.",
        "research_protected": "Running a model is also how people come to understand it: testing it on examples with "
        "known answers, looking at gradients and intermediate outputs, deliberately trying to make it misbehave or "
        "get around its guardrails. That research is how problems are found, and broadly written restrictions could "
        "otherwise forbid it.",
    }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["restrictions"].choices = [(rid, restriction_title(rid)) for rid in specs.restriction_ids()]

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


POLICY_CHOICES = [(key, label[0].upper() + label[1:]) for key, label in specs.POLICIES.items()]
POLICY_HELP = {
    "permitted": "anyone may do it and share the result, with no extra duty",
    "attribution": "allowed; the result must credit your model and say what was changed",
    "share_alike": "allowed; a shared result must carry this license and release the elements you choose",
    "share_alike_foundation": "share-alike when the result is a general-purpose model; only credit when it is "
    "task-specific",
    "no_distribution": "may be made and used privately, but not passed on",
    "prohibited": "not allowed at all",
}
POLICY_SHORT = {
    "permitted": "Permitted",
    "attribution": "Attribution",
    "share_alike": "Share-alike",
    "share_alike_foundation": "Share-alike for foundation",
    "no_distribution": "Private use only",
    "prohibited": "Prohibited",
}

DERIVATIVE_WHY = {
    "fine_tune_full": "A full fine-tune can turn your model into another broadly capable model (a chat model built "
    "on a base model, say) or into a narrow tool trained on confidential data. Sharing back the first kind gives "
    "the community a new general-purpose model; the second helps nobody else. Share-alike for foundation "
    "derivatives asks only the first kind to be shared.",
    "fine_tune_head": "Training a new output head on frozen weights usually makes a narrow, task-specific system. "
    "Requiring it to be shared seldom helps others, and the same result can often be reached by prompting the "
    "model instead, which makes such a requirement easy to avoid.",
    "initialization": "When your weights are only the starting point and further training overwrites them, little "
    "of your model survives in the result. Most licensors permit this.",
    "distillation": "Distillation copies what the model does into another model more or less wholesale. That is "
    "closer to copying than to building something new, so asking for share-alike is reasonable; a laxer rule than "
    "for fine-tunes would let people escape your fine-tuning terms by distilling instead.",
    "synthetic_data": "Training a new model on this model's outputs resembles training on any other data, and it is "
    "unclear whether a copyright license can govern it at all. For a narrow model there is little to gain; only a "
    "broad effort to reproduce the model's abilities comes close to copying it.",
    "embeddings": "Reusing the embeddings, or an encoder or decoder, inside another system takes one part of the "
    "model for a different job, such as indexing documents. Licensors usually permit it or ask for credit.",
    "code_changes": "Changing sampling, scaling or other settings that are not stored in the weights adapts how the "
    "model is used without retraining it. Heavy duties here would burden ordinary deployments.",
    "prompts": "Prompts are an integral part of many generative models, and changing them can alter behaviour as much "
    "as a fine-tune: a licensee might prompt instead of fine-tuning just to avoid share-alike. Custom prompts often "
    "hold confidential business details, though, so many licensors ask only general-purpose results to be shared.",
}


class DerivativesForm(StepForm):
    paths = {key: f"derivatives.{key}" for key in specs.MODIFICATIONS}
    why = DERIVATIVE_WHY
    choice_help = {key: POLICY_HELP for key in specs.MODIFICATIONS}


DerivativesForm.add_fields(
    {
        key: _radio(POLICY_CHOICES, label, _sentence(description))
        for key, (label, description) in specs.MODIFICATIONS.items()
    }
)


ELEMENT_CHOICES = [(key, label) for key, (label, _) in specs.ELEMENTS.items()]


class ShareAlikeForm(StepForm):
    trigger = _radio(
        [
            ("distribution", "When the derivative is distributed"),
            ("distribution_or_service", "When it is distributed or offered to others over a network"),
        ],
        "When does share-alike apply?",
        "Offering over a network covers a derivative served as an API or an online service.",
    )
    release = forms.MultipleChoiceField(
        label="What a share-alike derivative must release",
        choices=ELEMENT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Usually the weights, the inference code and the essential prompts.",
    )

    paths = {"trigger": "share_alike.trigger", "release": "share_alike.release"}
    why = {
        "trigger": "Many models are never handed over at all: they are used through a service. If share-alike applies "
        "only on distribution, a derivative offered as an API need never be shared. Including network use closes "
        "that gap, but asks more of everyone who deploys a derivative.",
        "release": "Share-alike only helps others if they get what it takes to run, study and change the derivative: "
        "its weights and inference code, and the prompts it needs. Demanding the training data is often impossible "
        "because of third parties' rights, and adds little to anyone's ability to use or modify the model.",
    }

    def write(self, spec: dict[str, Any], data: dict[str, Any]) -> None:
        data = dict(data)
        if "release" in data:
            data["release"] = sorted(data["release"] or [], key=list(specs.ELEMENTS).index)
        super().write(spec, data)


class TermsForm(StepForm):
    include_license_copy = _yes(
        "Copies must come with this license", "Whoever passes the model on includes the license."
    )
    attribution_notice = _yes(
        "Keep notices and credit the model", "Your copyright and attribution notices stay in every copy."
    )
    indicate_modifications = _yes(
        "Modified versions say what changed", "Whoever shares a changed version marks it as changed."
    )
    naming = _radio(
        [
            ("free", "Free"),
            ("no_endorsement", "No endorsement"),
            ("prefix_required", "Keep the model's name as a prefix"),
        ],
        "Names of derivatives",
        "How derivatives may be named.",
    )
    termination_cure_days = forms.IntegerField(
        label="Days to fix a breach",
        min_value=0,
        max_value=365,
        help_text="How long someone who breaks the terms has to put it right before the license ends. "
        "0 ends it at once.",
    )
    outputs = _radio(
        [("no_claim", "You claim no rights in outputs"), ("unaddressed", "The license says nothing about outputs")],
        "Outputs of the model",
        "Text, images or other results people generate with the model.",
    )
    governing_law = forms.CharField(
        label="Governing law",
        max_length=200,
        required=False,
        help_text="For example “the laws of England and Wales”.",
    )

    paths = {name: f"terms.{name}" for name in (
        "include_license_copy", "attribution_notice", "indicate_modifications", "naming",
        "termination_cure_days", "outputs", "governing_law",
    )}  # fmt: skip
    choice_help = {
        "naming": {
            "free": "derivatives may use any name",
            "no_endorsement": "any name, but no suggestion that you endorse the derivative",
            "prefix_required": "derivative names start with your model's name, so their origin is plain",
        },
        "outputs": {
            "no_claim": "users own what they make, as far as the law allows",
            "unaddressed": "left to the law and to other agreements",
        },
    }
    why = {
        "include_license_copy": "A recipient can only follow terms they can read. Passing on the license with every "
        "copy keeps it attached to the model as it travels.",
        "attribution_notice": "Credit is what most licensors ask for in return, and notices tell every recipient where "
        "the model came from.",
        "indicate_modifications": "People judging a changed model need to know it is not your original, so that your "
        "model is not blamed for changes you did not make.",
        "naming": "Names carry reputation. Requiring a prefix makes a derivative's origin plain; forbidding "
        "endorsement stops others from implying you stand behind their work.",
        "termination_cure_days": "A period to cure treats honest mistakes kindly: the license ends only if a breach is "
        "not fixed in time. Automatic termination is stricter and can catch people out.",
        "outputs": "Whether anyone owns model outputs is unsettled. Saying you claim none reassures users that "
        "what they create is theirs to use.",
        "governing_law": "Naming a law settles which courts' rules interpret the license. Leave it empty if unsure.",
    }

    def write(self, spec: dict[str, Any], data: dict[str, Any]) -> None:
        data = dict(data)
        if "governing_law" in data:
            data["governing_law"] = data["governing_law"] or ""
        super().write(spec, data)
