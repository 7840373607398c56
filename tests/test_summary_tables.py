"""The license.json summary and the deed of every preset, against tables written by hand from the
presets' YAML (clauses/presets/*.yaml) and the meaning of each key in the spec's schema
(core/schema/license-spec-v1.json) and questions.yaml."""

import json

import pytest

from licensebuilder.core.exports import build
from licensebuilder.core.presets import presets
from tests.conftest import make_spec

PRESETS = presets()
MODS = ("fine_tune_full", "fine_tune_head", "initialization", "distillation",
        "synthetic_data", "embeddings", "code_changes", "prompts")  # fmt: skip


def derivatives(*rows):
    """One (create, distribute, share_alike, attribution) row per modification, in MODS order."""
    return {
        mod: {"create": c, "distribute": d, "share_alike": s, "attribution": a}
        for mod, (c, d, s, a) in zip(MODS, rows, strict=True)
    }


OPEN = (True, True, "never", False)
CREDIT = (True, True, "never", True)
FOUND = (True, True, "foundation", True)
ALWAYS = (True, True, "always", True)
PRIVATE = (True, False, "never", False)
FREE = {"run": True, "study": True, "redistribute": True, "distribute_modified": True}
# What every preset shares (each YAML grants use, commercial use, redistribution, patents and
# protected research, and sets every notice term to true); each preset below overrides the rest.
BASE = {
    "use": True, "commercial_use": True, "redistribute": True, "sublicense": False,
    "use_restrictions": False, "research_protected": True, "patent_license": True,
    "must_include_license": True, "must_retain_notices": True, "must_indicate_modifications": True,
    "share_alike_trigger": None, "share_alike_release": [], "freedoms": FREE,
}  # fmt: skip

SUMMARIES = {
    "foundation-share-alike": {
        **BASE, "share_alike_trigger": "distribution", "share_alike_release": ["weights", "inference_code", "prompts"],
        "derivatives": derivatives(FOUND, CREDIT, OPEN, ALWAYS, CREDIT, OPEN, OPEN, FOUND),
    },
    "no-derivatives": {
        **BASE, "derivatives": derivatives(*[PRIVATE] * 8),
        "freedoms": {**FREE, "study": False, "distribute_modified": False},
    },
    "non-commercial-research": {
        **BASE, "commercial_use": False, "patent_license": False,
        "derivatives": derivatives(CREDIT, CREDIT, CREDIT, PRIVATE, CREDIT, CREDIT, CREDIT, OPEN),
        "freedoms": {**FREE, "run": False},
    },
    "permissive": {**BASE, "sublicense": True, "derivatives": derivatives(*[OPEN] * 8)},
    "responsible-use": {
        **BASE, "use_restrictions": True,
        "derivatives": derivatives(CREDIT, CREDIT, OPEN, CREDIT, CREDIT, OPEN, OPEN, OPEN),
        "freedoms": {**FREE, "run": False, "study": False},
    },
    "strong-copyleft": {
        **BASE, "share_alike_trigger": "distribution_or_service",
        "share_alike_release": ["weights", "inference_code", "training_code", "hyperparameters", "prompts"],
        "derivatives": derivatives(*[ALWAYS] * 8),
    },
}  # fmt: skip


@pytest.mark.parametrize("slug", sorted(SUMMARIES))
def test_the_summary_of_each_preset(slug):
    result = build(PRESETS[slug].spec)
    assert result.summary == SUMMARIES[slug]
    assert json.loads(result.json)["summary"] == SUMMARIES[slug]


NOTICES = (
    "- Keep the licensor's notices and credit the model every time you pass on the model, or anything made "
    "from it that contains part of it: this applies to every redistribution, whatever the rules above say "
    "about a particular change."
)
WARRANTY = "- No warranty: the model comes as it is, and you alone decide whether it suits your purpose."
CURE_30 = "- A breach ends your rights, but they come back if you put it right within 30 days of notice."
NO_ENDORSEMENT = "- Not suggest that the licensor made or endorses your derivative, product or service."
CREDITED = "allowed; credit the model and say what you changed."
NO_DUTY = "allowed, with no extra duty."
SERVED = "allowed for your own use; you may not distribute the result, but you may offer it to others as a service."

DEEDS = {
    "foundation-share-alike": [
        "- **Full fine-tune**: allowed; a general-purpose result must be shared under this license; "
        "for a task-specific one, credit the model and say what you changed.",
        f"- **Head-only fine-tune**: {CREDITED}",
        f"- **Use as initialisation**: {NO_DUTY}",
        "- **Distillation**: allowed; the result must be shared under this license.",
        "- **Synthetic data**: allowed; say that the data was generated with the model.",
        f"- **Embeddings and parts**: {NO_DUTY}",
        "- **Prompts**: allowed; a general-purpose result must be shared under this license; "
        "for a task-specific one, credit the model and say what you changed.",
        "- Include a copy of the license when you pass the model on.",
        NOTICES,
        "- License a share-alike derivative under this license when you distribute it, "
        "releasing its weights, inference code and prompts.",
        NO_ENDORSEMENT, CURE_30, WARRANTY,
    ],
    "no-derivatives": [
        *[f"- **{label}**: {SERVED}" for label in ("Full fine-tune", "Distillation", "Synthetic data", "Prompts")],
        "- Include a copy of the license when you pass the model on.",
        NOTICES, CURE_30, WARRANTY,
        "- Share modified versions: **No** (these may not be distributed: full fine-tune, head-only fine-tune, "
        "code changes and prompts)",
    ],
    "non-commercial-research": [
        "- Use and run the model for non-commercial purposes only.",
        "- Evaluate, probe and red-team the model for research, within the limit to non-commercial purposes.",
        f"- **Full fine-tune**: {CREDITED}",
        f"- **Distillation**: {SERVED}",
        f"- **Prompts**: {NO_DUTY}",
        "- Start the name of any derivative you share with “Example-Research-1B”.",
        "- No patent license: if you need one of the licensor's patents, you must get it separately.",
        "- No cure period: any breach ends your rights at once and for good.",
        WARRANTY,
        "- Run the model for any purpose: **No** (commercial use is not allowed)",
    ],
    "permissive": [
        "- Pass on copies and sublicense them.",
        "- Rely on the licensor's patents that the model necessarily uses.",
        *[f"- **{label}**: {NO_DUTY}" for label in ("Full fine-tune", "Distillation", "Synthetic data", "Prompts")],
        NOTICES, NO_ENDORSEMENT, CURE_30, WARRANTY,
    ],
    "responsible-use": [
        "- Evaluate, probe and red-team the model for research, whatever the use restrictions say.",
        f"- **Distillation**: {CREDITED}",
        "- Bind anyone who gets the model or a derivative from you to the use restrictions, distilled models and "
        "models trained on its outputs included, and forbid those uses to the users of any service.",
        "## You may not use it",
        "- Run the model for any purpose: **No** (some uses are restricted)",
        "- Study how it works: **No** (the training code is not included)",
        WARRANTY,
    ],
    "strong-copyleft": [
        *[
            f"- **{label}**: allowed; the result must be shared under this license, also when you only offer it "
            "as a service."
            for label in ("Full fine-tune", "Synthetic data", "Prompts")
        ],
        "- License a share-alike derivative under this license when you distribute it or offer it as a service "
        "over a network, releasing its weights, inference code, training code, hyperparameters and prompts.",
        NOTICES, CURE_30, WARRANTY,
    ],
}  # fmt: skip

# Lines a preset's deed must not carry.
NOT_IN_DEEDS = {
    "foundation-share-alike": ["No patent license", "No cure period", "You may not use it", "only needs credit"],
    "no-derivatives": ["must be shared", "nor offer it"],
    "non-commercial-research": ["whatever the use restrictions say", "Rely on the licensor's patents"],
    "permissive": ["must be shared", "Bind anyone"],
    "responsible-use": ["must be shared", "No patent license"],
    "strong-copyleft": ["No cure period", "sublicense them"],
}


@pytest.mark.parametrize("slug", sorted(DEEDS))
def test_the_deed_of_each_preset(slug):
    deed = build(PRESETS[slug].spec).deed
    lines = deed.splitlines()
    for expected in DEEDS[slug]:
        assert expected in lines, expected
    for absent in NOT_IN_DEEDS[slug]:
        assert absent not in deed


def test_a_private_use_only_derivative_is_not_offered_as_a_service_when_serving_counts_as_passing_on():
    deed = build(
        make_spec(**{"derivatives.fine_tune_full": "no_distribution", "share_alike.trigger": "distribution_or_service"})
    ).deed
    assert (
        "- **Full fine-tune**: allowed for your own use; you may not distribute the result, "
        "nor offer it to others as a service."
    ) in deed.splitlines()


def test_the_deed_says_when_the_weights_must_come_from_elsewhere():
    deed = build(make_spec(**{"elements.weights": "withheld"})).deed
    assert (
        "- The weights are not part of this release: everything above that needs them applies only to weights " in deed
    )
