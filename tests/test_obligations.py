"""What a licensee owes under each preset, written by hand from the preset's choices.

Each table below was filled in by reading the preset's YAML in licensebuilder/clauses/presets/ and what each
choice means (the policies as questions.yaml describes them; the conditions every preset turns on: a copy of
the license, the notices and a statement of changes on distribution, its naming rule, its share-alike trigger
and its use restrictions). Nothing here is computed by the code under test. A row is one
modification kind (or none); its three cells are private use, distribution and offering as a
service. A cell is "yes" or "no" followed by the duty kinds owed; a row given as a dict has one
triple for a Foundation Derivative and one for a Narrow Derivative.
"""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from licensebuilder.core.assemble import assemble
from licensebuilder.core.obligations import ask, obligations
from licensebuilder.core.presets import presets
from licensebuilder.core.render.markdown import render_markdown

MODS = (
    "fine_tune_full",
    "fine_tune_head",
    "initialization",
    "distillation",
    "synthetic_data",
    "embeddings",
    "code_changes",
    "prompts",
)
USES = ("private", "distribute", "service")

# Codes for the duty kinds, to keep the tables readable.
CODES = {
    "lic": "include_license",
    "notices": "retain_notices",
    "mods": "indicate_modifications",
    "credit": "attribution",
    "sa": "share_alike_license",
    "release": "release_elements",
    "provenance": "provenance_notice",
    "flow": "restrictions_flow_down",
    "naming": "naming",
}

# The model itself, unmodified, under a preset that names no restriction and forbids suggesting
# endorsement: notices kept in every copy; a copy of the license on distribution; no naming that
# suggests the licensor's endorsement when passing it on or serving it.
MODEL = ("yes notices", "yes lic notices naming", "yes naming")
# A modification that keeps the licensed materials in it (a fine-tune, a part reused, code or
# prompts changed), policy "permitted": the general conditions only.
KEEPS_PERMITTED = ("yes notices", "yes lic notices mods naming", "yes naming")
KEEPS_CREDIT = ("yes notices", "yes credit lic notices mods naming", "yes naming")
SHARE_ALIKE = ("yes notices", "yes sa release lic notices mods naming", "yes naming")
PRIVATE_ONLY = ("yes notices", "no", "yes naming")
# Training on generated data copies nothing of the model: only the policy's own duties apply.
SYNTHETIC_PERMITTED = ("yes", "yes naming", "yes naming")
SYNTHETIC_CREDIT = ("yes", "yes provenance naming", "yes naming")

EXPECTED = {
    # Every policy permitted; trigger distribution; naming no_endorsement; no restrictions.
    "permissive": {
        "none": MODEL,
        "fine_tune_full": KEEPS_PERMITTED,
        "fine_tune_head": KEEPS_PERMITTED,
        "initialization": KEEPS_PERMITTED,
        "distillation": KEEPS_PERMITTED,
        "synthetic_data": SYNTHETIC_PERMITTED,
        "embeddings": KEEPS_PERMITTED,
        "code_changes": KEEPS_PERMITTED,
        "prompts": KEEPS_PERMITTED,
    },
    # fine_tune_full and prompts share-alike for foundation derivatives; fine_tune_head and
    # synthetic_data attribution; distillation share-alike; the rest permitted.
    "foundation-share-alike": {
        "none": MODEL,
        "fine_tune_full": {"foundation": SHARE_ALIKE, "narrow": KEEPS_CREDIT},
        "fine_tune_head": KEEPS_CREDIT,
        "initialization": KEEPS_PERMITTED,
        "distillation": SHARE_ALIKE,
        "synthetic_data": SYNTHETIC_CREDIT,
        "embeddings": KEEPS_PERMITTED,
        "code_changes": KEEPS_PERMITTED,
        "prompts": {"foundation": SHARE_ALIKE, "narrow": KEEPS_CREDIT},
    },
    # Every policy no_distribution; trigger distribution, so serving is still allowed.
    "no-derivatives": {
        "none": MODEL,
        **{mod: PRIVATE_ONLY for mod in MODS if mod != "synthetic_data"},
        "synthetic_data": ("yes", "no", "yes naming"),
    },
    # Attribution everywhere but distillation (private only) and prompts (permitted); derivative
    # names must start with the model's name, a rule for derivatives only; non-commercial.
    "non-commercial-research": {
        "none": ("yes notices", "yes lic notices", "yes"),
        "fine_tune_full": KEEPS_CREDIT,
        "fine_tune_head": KEEPS_CREDIT,
        "initialization": KEEPS_CREDIT,
        "distillation": PRIVATE_ONLY,
        "synthetic_data": SYNTHETIC_CREDIT,
        "embeddings": KEEPS_CREDIT,
        "code_changes": KEEPS_CREDIT,
        "prompts": KEEPS_PERMITTED,
    },
    # Use restrictions passed on to every recipient and every user of a service; fine-tunes,
    # distillation and synthetic data credit the model, the rest permitted.
    "responsible-use": {
        "none": ("yes notices", "yes lic notices naming flow", "yes naming flow"),
        "fine_tune_full": ("yes notices", "yes credit lic notices mods naming flow", "yes naming flow"),
        "fine_tune_head": ("yes notices", "yes credit lic notices mods naming flow", "yes naming flow"),
        "initialization": ("yes notices", "yes lic notices mods naming flow", "yes naming flow"),
        "distillation": ("yes notices", "yes credit lic notices mods naming flow", "yes naming flow"),
        "synthetic_data": ("yes", "yes provenance naming flow", "yes naming flow"),
        "embeddings": ("yes notices", "yes lic notices mods naming flow", "yes naming flow"),
        "code_changes": ("yes notices", "yes lic notices mods naming flow", "yes naming flow"),
        "prompts": ("yes notices", "yes lic notices mods naming flow", "yes naming flow"),
    },
    # Share-alike everywhere, triggered by distribution and by offering as a service.
    "strong-copyleft": {
        "none": MODEL,
        **{
            mod: ("yes notices", "yes sa release lic notices mods naming", "yes sa release lic notices mods naming")
            for mod in MODS
            if mod != "synthetic_data"
        },
        "synthetic_data": ("yes", "yes sa release lic notices mods naming", "yes sa release lic notices mods naming"),
    },
}


def _cell(text: str) -> tuple[str, set[str]]:
    verdict, *codes = text.split()
    return verdict, {CODES[c] for c in codes}


def _cases():
    for slug, rows in EXPECTED.items():
        for mod, row in rows.items():
            for r, result in enumerate(("foundation", "narrow")):
                if mod == "none" and r:
                    continue
                cells = row[result] if isinstance(row, dict) else row
                for use, cell in zip(USES, cells, strict=True):
                    yield pytest.param(
                        slug, mod, None if mod == "none" else result, use, cell, id=f"{slug}-{mod}-{result}-{use}"
                    )


@pytest.fixture(scope="module")
def documents():
    out = {}
    for slug, preset in presets().items():
        doc = assemble(preset.spec)
        out[slug] = (doc, render_markdown(doc))
    return out


def test_the_tables_cover_every_preset_and_modification():
    assert set(EXPECTED) == set(presets())
    for rows in EXPECTED.values():
        assert set(rows) == {"none", *MODS}


@pytest.mark.parametrize(("slug", "mod", "result", "use", "cell"), list(_cases()))
def test_each_presets_answer_matches_its_choices(documents, slug, mod, result, use, cell):
    doc, markdown = documents[slug]
    data = obligations(doc, ask(mod, result, use))
    verdict, kinds = _cell(cell)
    assert data["permitted"] == verdict
    assert {d["kind"] for d in data["duties"]} == kinds
    if verdict == "no":
        assert data["reasons"], "a refusal says why"
    _assert_cited(markdown, data)


def _assert_cited(markdown: str, data: dict) -> None:
    """Every cited clause is a heading of the license and every quote is in its text."""
    numbers = set(re.findall(r"^### ([0-9]+\.[0-9]+) ", markdown, re.M))
    text = " ".join(markdown.replace("\\", "").split())
    for item in data["duties"] + data["reasons"]:
        assert item["clause"] in numbers, item
        assert " ".join(item["quote"].split()) in text, item
    if data["duties"] and any(d["kind"] == "release_elements" for d in data["duties"]):
        release = next(d for d in data["duties"] if d["kind"] == "release_elements")
        assert release["elements"], "the elements to release are named"


def test_commercial_use_of_a_non_commercial_model_is_not_permitted(documents):
    doc, markdown = documents["non-commercial-research"]
    data = obligations(doc, ask("fine_tune_head", "narrow", "service", commercial=True))
    assert data["permitted"] == "no" and data["duties"] == []
    assert any("non-commercial" in r["quote"] for r in data["reasons"])
    _assert_cited(markdown, data)
    assert obligations(doc, ask("fine_tune_head", "narrow", "service"))["permitted"] == "yes"


def test_an_unknown_kind_of_result_says_what_decides_it(documents):
    doc, _ = documents["foundation-share-alike"]
    data = obligations(doc, ask("fine_tune_full", None, "distribute"))
    assert "Foundation Derivative or a Narrow Derivative" in data["depends_on"]
    assert set(data["alternatives"]) == {"foundation", "narrow"}
    assert "share_alike_license" in {d["kind"] for d in data["alternatives"]["foundation"]["duties"]}
    assert "share_alike_license" not in {d["kind"] for d in data["duties"]}


def test_release_names_the_elements_the_preset_chose(documents):
    doc, _ = documents["strong-copyleft"]
    data = obligations(doc, ask("distillation", "narrow", "service"))
    release = next(d for d in data["duties"] if d["kind"] == "release_elements")
    assert release["elements"] == ["weights", "inference_code", "training_code", "hyperparameters", "prompts"]


# -- the command line ------------------------------------------------------------------------


def _call(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("license", "obligations", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def spec_file(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(presets()["foundation-share-alike"].spec))
    return str(path)


def test_the_command_answers_in_json(spec_file):
    code, out, _ = _call(
        spec_file, "--modification", "fine_tune_head", "--result", "narrow", "--use", "distribute", "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"permitted", "duties", "reasons"}
    assert data["permitted"] == "yes"
    assert {d["kind"] for d in data["duties"]} == {CODES[c] for c in ["credit", "lic", "notices", "mods", "naming"]}
    assert all(set(d) == {"kind", "clause", "quote"} for d in data["duties"])


def test_the_command_reads_a_license_json_too(spec_file, tmp_path):
    license_json = tmp_path / "license.json"
    call_command("license", "build", spec_file, "--format", "json", "-o", str(license_json))
    args = ("--modification", "distillation", "--use", "distribute", "--format", "json")
    assert json.loads(_call(str(license_json), *args)[1]) == json.loads(_call(spec_file, *args)[1])


def test_the_command_answers_in_text_for_people(spec_file):
    code, out, _ = _call(spec_file, "--modification", "none", "--use", "distribute")
    assert code == 0
    assert out.startswith("Permitted.\nDuties:\n")
    assert re.search(r'- include_license: section \d+\.\d+: ".+"', out)
    assert out.rstrip().endswith("not legal advice.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--use", "private"), "--modification: required"),
        (("--modification", "telepathy", "--use", "private"), "--modification: 'telepathy' is not one of none,"),
        (("--modification", "distillation"), "--use: say how the model is used"),
        (("--modification", "distillation", "--use", "broadcast"), "--use: 'broadcast' is not one of"),
        (("--modification", "distillation", "--result", "huge", "--use", "private"), "--result: 'huge' is not one of"),
        (
            ("--modification", "none", "--result", "narrow", "--use", "private"),
            "--result: applies only to a modification",
        ),
        (("--modification", "none", "--use", "private", "--format", "xml"), "--format: 'xml' is not one of json, text"),
    ],
)
def test_bad_arguments_exit_2_naming_the_argument(spec_file, args, message):
    code, out, err = _call(spec_file, *args)
    assert code == 2 and out == ""
    assert err.startswith(message)


def test_an_unreadable_license_exits_2_naming_the_file(tmp_path):
    code, _, err = _call(str(tmp_path / "missing.json"), "--modification", "none", "--use", "private")
    assert code == 2 and "missing.json: no such file" in err
