"""Input that costs far more than its size: YAML alias bombs, deep nesting, huge numbers, huge
bodies. Each is refused before it is built, with a message naming the problem, in bounded memory:
400 on the web, exit 2 on the command line, 413 for a body over the size limit."""

import json
import tracemalloc

import pytest
from django.conf import global_settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from licensebuilder.core import bounded
from licensebuilder.core import spec as specs
from licensebuilder.drafts.models import Draft
from tests.factories import MINIMAL
from tests.helpers import run_license

HEADER = 'license: {name: x, version: "1"}\nlicensor: {name: x}\nmodel: {name: m}\n'


def alias_bomb(levels: int = 9) -> str:
    """Under 600 bytes; fully expanded, 9**levels strings (387 million for 9 levels)."""
    lines = [HEADER + 'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines)


def _refusal(text: str, filename: str) -> tuple[str, int]:
    """The problem the parser reports, and the peak memory (bytes) spent reaching it."""
    tracemalloc.start()
    try:
        specs.parse(text, filename=filename)
    except specs.SpecError as exc:
        (problem,) = exc.problems
        return f"{problem.path}: {problem.message}", tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    raise AssertionError("the input was accepted")


CASES = {
    "alias bomb": (alias_bomb(), "bomb.yaml", "file: defines the YAML anchor &l0 at line 4"),
    "alias without anchor": (HEADER + "x: *nowhere\n", "spec.yaml", "file: uses the YAML alias *nowhere"),
    "merge key": (HEADER + "a: &base {k: 1}\nb: {<<: *base}\n", "spec.yaml", "YAML anchor &base"),
    "deep YAML": (HEADER + "x: " + "[" * 100 + "]" * 100, "spec.yaml", "nested more than 32 levels deep"),
    "deeper YAML than the parser takes": (HEADER + "x: " + "[" * 5000 + "]" * 5000, "spec.yaml", "nesting depth"),
    "deep YAML block": (
        HEADER + "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n",
        "spec.yaml",
        "nested more than 32 levels deep",
    ),
    "deep JSON": ('{"x": ' + "[" * 5000 + "]" * 5000 + "}", "spec.json", "nested more than 32 levels deep at line 1"),
    "deep JSON past the recursion limit": ("[" * 100_000 + "]" * 100_000, "spec.json", "nested more than 32"),
    "5000-digit JSON integer": (
        json.dumps(MINIMAL)[:-1] + ', "spec_version": ' + "9" * 5000 + "}",
        "spec.json",
        "a number of 5000 digits",
    ),
    "5000-digit YAML integer": (HEADER + "spec_version: " + "9" * 5000 + "\n", "spec.yaml", "a number of 5000 digits"),
    "long JSON float": ('{"x": 1.' + "5" * 5000 + "}", "spec.json", "at most 30 digits"),
}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_costly_input_is_refused_naming_the_problem_in_bounded_memory(case):
    text, filename, expected = CASES[case]
    message, peak = _refusal(text, filename)
    assert expected in message
    assert peak < 8 * 1024 * 1024, f"{peak / 1e6:.1f} MB spent refusing {case}"


def test_the_same_values_written_out_are_still_read():
    # The control: nesting within the bound, numbers within the bound and plain YAML parse as before.
    text = HEADER + "spec_version: 1\n"
    assert specs.parse(text, filename="spec.yaml")["license"]["name"] == "x"
    nested = {"a": 1}
    for _ in range(bounded.MAX_DEPTH - 1):
        nested = {"a": nested}
    assert bounded.load_json(json.dumps(nested)) == nested
    assert bounded.load_yaml(json.dumps(nested)) == nested
    assert bounded.load_json('{"s": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')["s"].startswith("[[[")


def test_an_oversized_file_is_refused_by_size(tmp_path):
    text = HEADER + "# " + "x" * specs.MAX_SPEC_BYTES
    message, _ = _refusal(text, "big.yaml")
    assert message == "file: is larger than 256 KiB"


def test_the_command_line_exits_2_with_the_message(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb())
    done = run_license("check", path)
    assert done.returncode == 2
    assert "bomb.yaml: defines the YAML anchor &l0 at line 4" in done.stderr
    assert "Traceback" not in done.stderr


# -- the web ---------------------------------------------------------------------------------


def _upload(client, content, name):
    data = content.encode() if isinstance(content, str) else content
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("drafts:import"), {"file": file})


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["alias bomb", "deep JSON past the recursion limit", "5000-digit YAML integer"])
def test_the_import_page_answers_400_naming_the_problem(client_in, user, case):
    text, filename, expected = CASES[case]
    response = _upload(client_in, text, filename)
    assert response.status_code == 400
    assert expected.split(": ")[-1].replace("&", "&amp;") in response.content.decode()
    assert not Draft.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_a_body_over_the_limit_is_refused_before_it_is_read(client_in, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    response = _upload(client_in, b"x" * (100 * 1024), "spec.yaml")
    assert response.status_code == 413
    assert "64 KiB" in response.content.decode()


@pytest.mark.django_db
def test_a_huge_declared_length_is_refused_without_reading_anything(client_in):
    # The body is never read: a 500 MB upload would be turned away at its headers.
    response = client_in.generic(
        "POST",
        reverse("drafts:import"),
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="500000000",
    )
    assert response.status_code == 413


@pytest.fixture
def spooled(monkeypatch):
    """Every upload Django starts writing to a temporary file on disk."""
    names = []
    real_init = TemporaryUploadedFile.__init__

    def recording_init(self, name, *args, **kwargs):
        names.append(name)
        real_init(self, name, *args, **kwargs)

    monkeypatch.setattr(TemporaryUploadedFile, "__init__", recording_init)
    return names


@pytest.mark.django_db
def test_an_upload_over_the_file_limit_stops_without_touching_the_disk(client_in, settings, spooled):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024
    response = _upload(client_in, b"x" * (200 * 1024), "spec.yaml")
    assert response.status_code == 413
    assert spooled == []
    # Within the limit the same handler delivers the file.
    assert _upload(client_in, json.dumps(MINIMAL), "spec.json").status_code == 302


@pytest.mark.django_db
def test_django_default_handlers_would_have_spooled_it(client_in, settings, spooled):
    # The control for the test above: the recorder sees Django's spooling when it happens.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024
    settings.FILE_UPLOAD_HANDLERS = global_settings.FILE_UPLOAD_HANDLERS
    _upload(client_in, b"x" * (200 * 1024), "spec.yaml")
    assert spooled == ["spec.yaml"]


@pytest.mark.django_db
def test_a_form_body_over_the_limit_is_413_not_a_server_error(client_in, settings):
    settings.MAX_REQUEST_BYTES = 10 * 1024 * 1024
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 8 * 1024
    response = client_in.post(reverse("drafts:new"), {"preset": "x" * 20_000})
    assert response.status_code == 413
