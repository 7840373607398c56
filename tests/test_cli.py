"""``manage.py license``: what a release pipeline sees, exit codes included. The commands run in
this process through ``call_command``; one test runs ``manage.py`` as a pipeline would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import MINIMAL
from tests.helpers import pdf_attachment_json, pdf_text
from tests.helpers import run_license as run

ROOT = Path(__file__).resolve().parents[1]


def run_process(*args, stdin=None):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "licensebuilder.settings"}
    return subprocess.run(
        [sys.executable, "manage.py", "license", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        env=env,
        timeout=300,
    )


@pytest.fixture
def spec_file(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(MINIMAL))
    return path


def test_build_prints_markdown_to_stdout(spec_file):
    out = run("build", spec_file)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("# Acme Open Model License\n")


def test_build_reads_yaml_from_stdin():
    out = run("build", "-", "--format", "json", stdin="license: {name: Piped}\nlicensor: {name: L}\nmodel: {name: M}\n")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["spec"]["license"]["name"] == "Piped"


def test_a_pipeline_runs_manage_py_with_a_spec_on_stdin_and_bad_input_exits_2():
    piped = "license: {name: Piped}\nlicensor: {name: L}\nmodel: {name: M}\n"
    out = run_process("build", "-", "--format", "json", stdin=piped)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["spec"]["license"]["name"] == "Piped"
    refused = run_process("check", "-", stdin="license: [")
    assert refused.returncode == 2 and "stdin: is not valid YAML" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_build_writes_a_pdf_only_to_a_file(spec_file, tmp_path):
    refused = run("build", spec_file, "--format", "pdf")
    assert refused.returncode == 2
    assert "-o: a PDF needs an output file" in refused.stderr
    target = tmp_path / "LICENSE.pdf"
    out = run("build", spec_file, "--format", "pdf", "--paper", "letter", "-o", target)
    assert out.returncode == 0, out.stderr
    assert "Acme Open Model License" in pdf_text(target.read_bytes())


def test_bundle_writes_the_release_files(spec_file, tmp_path):
    out = run("bundle", spec_file, "-o", tmp_path / "release")
    assert out.returncode == 0, out.stderr
    files = sorted(p.name for p in (tmp_path / "release").iterdir())
    assert files == ["LICENSE.html", "LICENSE.md", "LICENSE.pdf", "NOTICE", "license.json", "model-card.yml"]
    release = tmp_path / "release"
    data = json.loads((release / "license.json").read_text())
    assert pdf_attachment_json((release / "LICENSE.pdf").read_bytes()) == data
    assert data["fingerprint"]["value"] in (release / "NOTICE").read_text()
    assert "license: other" in (release / "model-card.yml").read_text()


def test_check_is_clean_for_a_good_spec(spec_file):
    out = run("check", spec_file, "--strict")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "valid, no warnings" in out.stdout


def test_check_reports_warnings_and_fails_only_when_strict(tmp_path):
    data = {**MINIMAL, "elements": {"weights": "withheld"}}
    path = tmp_path / "warn.yaml"
    path.write_text(json.dumps(data))
    lenient = run("check", path)
    assert lenient.returncode == 0
    assert "share_alike.release" in lenient.stdout
    strict = run("check", path, "--strict")
    assert strict.returncode == 1


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (None, "missing.json", "missing.json: no such file"),
        ('{"license": {', "bad.json", "bad.json: is not valid JSON: Expecting property name enclosed in double quotes"),
        ("license: [", "bad.yaml", "bad.yaml: is not valid YAML:"),
        (
            json.dumps({**MINIMAL, "derivatives": {"distillation": "maybe"}}),
            "schema.json",
            "derivatives.distillation: 'maybe' is not one of permitted, attribution, share_alike, "
            "share_alike_foundation, no_distribution, prohibited",
        ),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_bad_input_exits_2_with_a_message_and_no_traceback(tmp_path, content, name, expected, command):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    out = run(command, path)
    assert out.returncode == 2
    assert expected in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_presets_are_listed_and_clean():
    out = run("presets")
    assert out.returncode == 0, out.stderr
    assert "foundation-share-alike" in out.stdout
    assert out.stdout.count("(0 finding(s))") >= 6


NOT_TEXT_KEY = "license: {name: L}\nlicensor: {name: Acme}\nmodel: {name: M, 1: x}\nderivatives: {true: permitted}\n"


@pytest.mark.parametrize(
    "command",
    [
        ["build", "{spec}"],
        ["check", "{spec}"],
        ["bundle", "{spec}", "-o", "{out}"],
        ["diff", "{good}", "{spec}"],
        ["diff", "{spec}", "{good}"],
        ["obligations", "{spec}", "--modification", "none", "--use", "private"],
    ],
    ids=["build", "check", "bundle", "diff new", "diff old", "obligations"],
)
def test_a_key_that_is_not_text_exits_2_naming_the_field_without_a_traceback(tmp_path, spec_file, command):
    bad = tmp_path / "keys.yaml"
    bad.write_text(NOT_TEXT_KEY)
    args = [a.format(spec=bad, good=spec_file, out=tmp_path / "out") for a in command]
    out = run(*args)
    assert out.returncode == 2
    assert "model: key 1 is not text" in out.stderr
    assert "derivatives: key true is not text" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    assert not (tmp_path / "out").exists()


def test_a_key_that_is_not_text_on_stdin_exits_2():
    refused = run("check", "-", stdin=NOT_TEXT_KEY)
    assert refused.returncode == 2
    assert "model: key 1 is not text" in refused.stderr
    assert "Traceback" not in refused.stderr
