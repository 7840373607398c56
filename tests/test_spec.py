import json

import pytest

from licensebuilder.core import spec as specs
from tests.factories import MINIMAL, make_spec


def problems(data):
    with pytest.raises(specs.SpecError) as exc:
        specs.validate(data)
    return [str(p) for p in exc.value.problems]


def with_(path, value):
    data = json.loads(json.dumps(MINIMAL))
    target = data
    *parents, last = path.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[last] = value
    return data


def test_it_fills_every_default():
    spec = specs.validate(MINIMAL)
    assert spec["derivatives"]["distillation"] == "share_alike"
    assert spec["elements"]["reproducibility"] == "withheld"
    assert spec["share_alike"]["release"] == ["weights", "inference_code", "prompts"]
    assert spec["terms"]["termination_cure_days"] == 30
    assert list(spec) == [
        "spec_version",
        "license",
        "licensor",
        "model",
        "elements",
        "grants",
        "use",
        "derivatives",
        "share_alike",
        "terms",
    ]


def test_it_names_the_field_and_the_allowed_values_for_a_bad_policy():
    assert problems(with_("derivatives.distillation", "maybe")) == [
        "derivatives.distillation: 'maybe' is not one of permitted, attribution, share_alike, "
        "share_alike_foundation, no_distribution, prohibited"
    ]


def test_it_reports_one_line_per_problem():
    data = with_("grants.commercial_use", "yes")
    data["elements"] = {"weights": "open"}
    data["licensor"] = {}
    lines = problems(data)
    assert "grants.commercial_use: must be true or false" in lines
    assert "elements.weights: 'open' is not one of included, described, withheld" in lines
    assert "licensor.name: is required" in lines
    assert len(lines) == 3


def test_it_suggests_the_key_that_was_meant():
    assert problems(with_("terms.namings", "free")) == ["terms.namings: is not a known key (did you mean 'naming'?)"]


@pytest.mark.parametrize("name", ["A" * 121, "two\nlines", "tab\there", "evil\u202eflip", "zero\u200bwidth"])
def test_it_refuses_names_that_are_too_long_or_hold_control_characters(name):
    [line] = problems(with_("model.name", name))
    assert line.startswith("model.name: ")


def test_it_allows_names_of_exactly_120_characters():
    assert specs.validate(with_("model.name", "A" * 120))["model"]["name"] == "A" * 120


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://x.example/a", "https://", "http://a b.example"]
)
def test_it_accepts_only_http_urls(url):
    assert problems(with_("model.url", url)) == [
        "model.url: must be an http:// or https:// URL with a host name and no spaces"
    ]


@pytest.mark.parametrize("contact", ["legal@acme.example", "https://acme.example/legal"])
def test_it_accepts_an_email_or_url_contact(contact):
    assert specs.validate(with_("licensor.contact", contact))["licensor"]["contact"] == contact


@pytest.mark.parametrize("contact", ["legal", "legal@", "@acme.example", "legal@acme", "mailto:legal@acme.example"])
def test_it_refuses_a_contact_that_is_neither(contact):
    assert problems(with_("licensor.contact", contact)) == [
        "licensor.contact: must be an e-mail address or an http(s):// URL"
    ]


def test_it_checks_restriction_ids_against_the_catalogue():
    data = with_("use.restrictions", ["weapons", "nonsense", {"text": "to grade exams"}, {"txt": "x"}])
    lines = problems(data)
    assert lines[0].startswith("use.restrictions[1]: 'nonsense' is not one of illegal_activity, ")
    assert lines[1] == "use.restrictions[3].txt: is not a known key (did you mean 'text'?)"


def test_it_refuses_an_unknown_element_in_the_share_alike_release():
    assert problems(with_("share_alike.release", ["weights", "dataset"]))[0].startswith(
        "share_alike.release[1]: 'dataset' is not one of weights, "
    )


def test_it_bounds_the_cure_period():
    assert problems(with_("terms.termination_cure_days", 400)) == ["terms.termination_cure_days: must be at most 365"]
    assert problems(with_("terms.termination_cure_days", -1)) == ["terms.termination_cure_days: must be at least 0"]


def test_it_trims_spaces_and_reads_yaml_numbers_as_versions():
    spec = specs.parse("license: {name: '  Acme License ', version: 2.1}\nlicensor: {name: A}\nmodel: {name: M}\n")
    assert spec["license"] == {"name": "Acme License", "version": "2.1", "open_source_claim": False}


def test_it_derives_the_spdx_id_without_storing_it():
    spec = specs.validate(MINIMAL)
    assert "spdx_id" not in spec["license"]
    assert specs.spdx_id(spec) == "LicenseRef-Acme-Open-Model-License-1.0"
    assert specs.spdx_id(specs.validate(with_("license.spdx_id", "LicenseRef-Mine"))) == "LicenseRef-Mine"


def test_it_reads_json_and_yaml_and_license_json():
    as_json = specs.parse(json.dumps(MINIMAL))
    as_yaml = specs.parse(
        "license: {name: Acme Open Model License, version: '1.0'}\n"
        "licensor: {name: Acme AI Ltd., contact: legal@acme.example}\n"
        "model: {name: Acme-7B, version: '1.0', url: 'https://acme.example/acme-7b'}\n"
    )
    assert as_json == as_yaml
    exported = json.dumps({"fingerprint": {"value": "x"}, "spec": as_json, "summary": {}})
    assert specs.parse(exported) == as_json


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"license": ', "file: is not valid JSON: Expecting value at line 1, column 13"),
        ("license: [unclosed", "file: is not valid YAML:"),
        ("- a\n- b\n", "spec: must be a mapping of keys to values"),
        ("", "spec: must be a mapping of keys to values"),
    ],
)
def test_it_explains_unreadable_files(text, message):
    with pytest.raises(specs.SpecError) as exc:
        specs.parse(text)
    assert str(exc.value).startswith(message)


def test_it_refuses_oversized_files():
    with pytest.raises(specs.SpecError, match="file: is larger than 256 KiB"):
        specs.parse(b"#" * (300 * 1024))


def test_the_schema_is_valid_json_schema():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(specs.schema())


def test_validation_never_changes_the_callers_data():
    import copy

    data = make_spec(**{"license.version": 2, "licensor.name": "  Acme  ", "use.restrictions": ["weapons"]})
    before = copy.deepcopy(data)
    specs.validate(data)
    assert data == before


# -- keys that are not text, and other shapes a spec cannot have -------------------------------

HEADER = "license: {name: L}\nlicensor: {name: Acme}\n"


def parse_problems(text, filename="spec.yaml"):
    with pytest.raises(specs.SpecError) as exc:
        specs.parse(text, filename=filename)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEADER + "model: {name: M}\n1: x\n", "spec: key 1 is not text"),
        (HEADER + "model: {name: M, 1: x}\n", "model: key 1 is not text"),
        (HEADER + "model: {name: M}\nderivatives: {true: permitted}\n", "derivatives: key true is not text"),
        (HEADER + "model: {name: M}\nderivatives: {on: permitted}\n", "derivatives: key true is not text"),
        (HEADER + "model: {name: M, ~: x}\n", "model: key null is not text"),
        (HEADER + "model: {name: M, 1.5: x}\n", "model: key 1.5 is not text"),
        (HEADER + "model: {name: M, -3: x}\n", "model: key -3 is not text"),
        (HEADER + "model: {name: M, 2024-01-01: x}\n", "model: key 2024-01-01 is not text"),
        (HEADER + "model: {name: M}\nuse: {restrictions: [{1: x}]}\n", "use.restrictions[0]: key 1 is not text"),
        (HEADER + "model: {name: M}\nx: {y: [{z: {7: v}}]}\n", "x.y[0].z: key 7 is not text"),
        (HEADER + "model:\n  name: M\n  1: x\n", "model: key 1 is not text"),
    ],
)
def test_it_reports_a_yaml_key_that_is_not_text_at_its_path(text, expected):
    assert expected in parse_problems(text)


def test_it_reports_every_key_that_is_not_text_and_the_other_problems_too():
    lines = parse_problems("1: x\nlicense: {name: L, 2: y}\nlicensor: {false: z}\nmodel: {3: M}\n")
    for expected in [
        "spec: key 1 is not text",
        "license: key 2 is not text",
        "licensor: key false is not text",
        "model: key 3 is not text",
        "licensor.name: is required",
        "model.name: is required",
    ]:
        assert expected in lines


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**MINIMAL, 1: "x"}, "spec: key 1 is not text"),
        ({**MINIMAL, None: "x"}, "spec: key null is not text"),
        ({**MINIMAL, (1, 2): "x"}, "spec: key (1, 2) is not text"),
        (with_("model", {"name": "M", 1: "x"}), "model: key 1 is not text"),
        (with_("derivatives", {True: "permitted"}), "derivatives: key true is not text"),
        (with_("share_alike", {"release": ["weights"], 0.5: 1}), "share_alike: key 0.5 is not text"),
        (with_("use.restrictions", ["weapons", {"text": "x", 9: "y"}]), "use.restrictions[1]: key 9 is not text"),
    ],
)
def test_validation_reports_a_key_that_is_not_text(data, expected):
    assert expected in problems(data)


def test_json_keys_are_always_text_so_a_number_is_an_unknown_key_there():
    # JSON has no keys but text: {"1": ...} is the key "1", and {1: ...} is not JSON at all.
    text = json.dumps({**MINIMAL, "model": {"name": "M", 1: "x"}})
    assert parse_problems(text, "spec.json") == ["model.1: is not a known key (expected one of name, version, url)"]
    assert parse_problems('{1: "x"}', "spec.json") == [
        "file: is not valid JSON: Expecting property name enclosed in double quotes at line 1, column 2"
    ]


def test_validation_never_changes_the_callers_data_with_keys_that_are_not_text():
    data = with_("model", {"name": "M", 1: "x"})
    problems(data)
    assert data["model"] == {"name": "M", 1: "x"}


@pytest.mark.parametrize(
    ("text", "filename"),
    [("42\n", "s.yaml"), ("true\n", "s.yaml"), ("just words\n", "s.yaml"), ("[1, 2]", "s.json"), ('"x"', "s.json")],
)
def test_a_spec_that_is_not_a_mapping_is_refused(text, filename):
    assert parse_problems(text, filename) == ["spec: must be a mapping of keys to values"]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\u202e"])
def test_a_key_with_a_control_character_is_shown_escaped(char):
    for lines in (problems({**MINIMAL, f"mod{char}el": 1}), parse_problems(json.dumps({**MINIMAL, f"x{char}": 1}))):
        assert len(lines) == 1 and "is not a known key" in lines[0]
        assert not specs.has_control_characters(lines[0])
    assert problems({**MINIMAL, "mod\x00el": 1})[0].startswith("'mod\\x00el': is not a known key")


def test_a_very_long_key_is_cut_short_in_the_message():
    (line,) = problems({**MINIMAL, "k" * 100_000: 1})
    assert len(line) < 300 and "is not a known key" in line


def test_deep_nesting_given_to_validation_directly_is_refused_not_a_recursion_error():
    nested = "x"
    for _ in range(5000):
        nested = {"a": nested}
    (line,) = problems({**MINIMAL, "deep": nested})
    assert line.endswith("is nested more than 32 levels deep") and line.startswith("deep.a.a.")
    shallow = "x"
    for _ in range(30):
        shallow = [shallow]
    assert problems({**MINIMAL, "deep": shallow}) == [
        "deep: is not a known key (expected one of spec_version, license, licensor, model, elements, grants, use, "
        "derivatives, share_alike, terms)"
    ]


def test_a_yaml_date_where_a_choice_belongs_is_named_not_a_crash():
    text = HEADER + "model: {name: M}\nderivatives: {distillation: 2024-01-01}\n"
    (line,) = parse_problems(text)
    assert line.startswith('derivatives.distillation: "2024-01-01" is not one of permitted,')
