"""One form per step of the wizard: its questions, their help and why each matters."""

from __future__ import annotations

from typing import Any

from django import forms

from licensebuilder.core import spec as specs

from .step_base import StepForm, checkbox, radio, restriction_title, sentence


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
    open_source_claim = checkbox(
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
        key: radio(AVAILABILITY_CHOICES, label, sentence(description))
        for key, (label, description) in specs.ELEMENTS.items()
    }
)


class UseForm(StepForm):
    commercial_use = checkbox("Allow commercial use", "Anyone may use the model in paid products and services.")
    redistribution = checkbox("Allow redistribution", "Anyone may pass on copies of the model to others.")
    sublicensing = checkbox(
        "Allow sublicensing",
        "Recipients may grant others rights of their own. Usually not needed: everyone gets this license directly.",
    )
    patent_license = checkbox(
        "Grant a patent license", "You license the patents of yours that the model necessarily uses."
    )
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
    research_protected = checkbox(
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
        key: radio(POLICY_CHOICES, label, sentence(description))
        for key, (label, description) in specs.MODIFICATIONS.items()
    }
)


ELEMENT_CHOICES = [(key, label) for key, (label, _) in specs.ELEMENTS.items()]


class ShareAlikeForm(StepForm):
    trigger = radio(
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
    include_license_copy = checkbox(
        "Copies must come with this license", "Whoever passes the model on includes the license."
    )
    attribution_notice = checkbox(
        "Keep notices and credit the model", "Your copyright and attribution notices stay in every copy."
    )
    indicate_modifications = checkbox(
        "Modified versions say what changed", "Whoever shares a changed version marks it as changed."
    )
    naming = radio(
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
    outputs = radio(
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
