"""The license spec: parsing, validation, defaults and the JSON Schema.

A spec is a plain ``dict`` that has passed :func:`validate`: every key with a default is present
and keys are in schema order, so that two equal specs serialise equally. Optional keys without a
default (``licensor.contact``, ``model.version``, ``model.url``, ``license.spdx_id``) are absent
when not given; read them with ``.get``.
Everything downstream (assembly, summary, exports, the wizard) reads specs produced here.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import yaml
from jsonschema import Draft202012Validator

from . import vocabulary
from .bounded import MAX_DEPTH, UnsafeInput, load_json, load_yaml

SCHEMA_PATH = Path(__file__).parent / "schema" / "license-spec-v1.json"
MAX_SPEC_BYTES = 256 * 1024

# Labels in the order the wizard, the summary and every diff present them, from the vocabulary
# (clauses/questions.yaml): {key: (label, what it is)} and {answer: words}.
ELEMENTS: dict[str, tuple[str, str]] = vocabulary.described("elements")
AVAILABILITY: dict[str, str] = vocabulary.answer_words("elements")
MODIFICATIONS: dict[str, tuple[str, str]] = vocabulary.described("derivatives")
POLICIES: dict[str, str] = vocabulary.answer_words("derivatives")

SHARE_ALIKE_POLICIES = frozenset({"share_alike", "share_alike_foundation"})

_CONTROL = re.compile("[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a spec, at a dotted path such as ``derivatives.distillation``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class SpecError(ValueError):
    """A spec that cannot be used; ``problems`` holds one entry per mistake."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _inlined() -> dict[str, Any]:
    """A copy of the schema with every $ref replaced by its definition: the same rules, without
    resolving references on every value (most of validation's cost)."""

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: inline(v) for k, v in _resolve(node).items() if k != "$defs"}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_inlined())


@cache
def _quick_check(root: str | None = None) -> Any:
    """The schema (or its part for one top-level answer) compiled to Python: it only says yes or
    no, ten times faster. Its "no" is explained by the full validator, so every problem is still
    reported the same way."""

    def escape_dollars(node: Any) -> Any:
        # The compiler rewrites every unescaped "$" as an end-of-string anchor, even inside a
        # character class; an escaped "\$" means the same in a class and is left alone.
        if isinstance(node, dict):
            return {
                k: re.sub(r"(?<!\\)\$(?!$)", r"\\$", v) if k == "pattern" else escape_dollars(v)
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [escape_dollars(v) for v in node]
        return node

    node = _inlined() if root is None else _inlined()["properties"][root]
    return fastjsonschema.compile(escape_dollars(node), use_default=False, use_formats=False)


def _schema_errors(data: Any) -> list[Any]:
    try:
        _quick_check()(data)
        return []
    except fastjsonschema.JsonSchemaException:
        return sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])


def restriction_ids() -> list[str]:
    return list(schema()["$defs"]["restriction_id"]["enum"])


def uses_share_alike(spec: dict[str, Any]) -> bool:
    return any(policy in SHARE_ALIKE_POLICIES for policy in spec["derivatives"].values())


# -- parsing ---------------------------------------------------------------------------------


def parse(text: str | bytes, *, filename: str = "") -> dict[str, Any]:
    """Parse JSON or YAML text into a validated spec.

    A ``license.json`` export or a preset file is accepted too: its ``spec`` member is used.
    """
    if isinstance(text, bytes):
        if len(text) > MAX_SPEC_BYTES:
            raise SpecError([Problem("file", f"is larger than {MAX_SPEC_BYTES // 1024} KiB")])
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SpecError([Problem("file", "is not UTF-8 text")]) from None
    if len(text.encode("utf-8")) > MAX_SPEC_BYTES:
        raise SpecError([Problem("file", f"is larger than {MAX_SPEC_BYTES // 1024} KiB")])

    data = _parse_text(text, filename)
    if isinstance(data, dict) and isinstance(data.get("spec"), dict) and "license" not in data:
        data = data["spec"]  # a license.json export, or a preset file
    return validate(data)


def _parse_text(text: str, filename: str) -> Any:
    """JSON or YAML, read with bounded cost (see ``bounded``): no aliases, no deep nesting, no
    huge numbers."""
    try:
        return _parse_bounded(text, filename)
    except UnsafeInput as exc:
        raise SpecError([Problem("file", str(exc))]) from None


def _parse_bounded(text: str, filename: str) -> Any:
    stripped = text.lstrip()
    looks_json = filename.lower().endswith(".json") or stripped.startswith(("{", "["))
    if looks_json:
        try:
            return load_json(text)
        except json.JSONDecodeError as exc:
            raise SpecError(
                [Problem("file", f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]
            ) from None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "could not be read"
        raise SpecError([Problem("file", f"is not valid YAML: {problem}{where}")]) from None


# -- validation ------------------------------------------------------------------------------


def validate(data: Any) -> dict[str, Any]:
    """Return the normalised spec with defaults filled in, or raise :class:`SpecError`."""
    if not isinstance(data, dict):
        raise SpecError([Problem("spec", "must be a mapping of keys to values")])
    key_problems: list[Problem] = []
    data = _normalise(data, key_problems)  # a new tree: the caller's data is never changed
    problems = key_problems + [_problem(err) for err in _schema_errors(data)]
    if problems:
        raise SpecError(_unique(problems))
    return _ordered(schema(), _fill_defaults(schema(), data))


def valid_part(root: str, value: Any) -> Any:
    """One top-level answer (``root``, a key of the schema's properties) as :func:`validate` makes
    it within a whole spec: normalised, completed with its defaults and in the schema's order;
    None when validate() would find a problem in it (it is the one to say which). Every rule of the
    schema holds within one top-level answer, so a spec is valid when each of its answers is."""
    problems: list[Problem] = []
    try:
        data = _normalise({root: value}, problems)
        _quick_check(root)(data[root])
    except (SpecError, fastjsonschema.JsonSchemaException):
        return None
    if problems:
        return None
    node = schema()["properties"][root]
    return _ordered(node, _fill_defaults(node, data[root]))


def _normalise(data: dict[Any, Any], problems: list[Problem]) -> dict[str, Any]:
    """Forgive what people type: surrounding spaces, YAML numbers for versions.

    A key that is not text (YAML reads ``1:``, ``true:``, ``~:`` or a date as a number, a boolean,
    null or a date) is reported in ``problems`` and left out, so that the schema sees only text
    keys; nesting past MAX_DEPTH is refused here too, for data that did not come through
    :func:`parse`."""

    def walk(value: Any, path: tuple[str | int, ...]) -> Any:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, dict | list) and len(path) >= MAX_DEPTH:
            raise SpecError([Problem(_dotted(path), f"is nested more than {MAX_DEPTH} levels deep")])
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if isinstance(k, str):
                    out[k] = v.strip() if isinstance(v, str) else walk(v, (*path, k))
                else:
                    problems.append(Problem(_dotted(path), f"key {_show_key(k)} is not text"))
            return out
        if isinstance(value, list):
            return [v.strip() if isinstance(v, str) else walk(v, (*path, i)) for i, v in enumerate(value)]
        return value

    data = walk(data, ())
    for section in ("license", "model"):
        part = data.get(section)
        if (
            isinstance(part, dict)
            and isinstance(part.get("version"), int | float)
            and not isinstance(part.get("version"), bool)
        ):
            part["version"] = str(part["version"])
    return data


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: dict[str, Problem] = {}
    for p in problems:
        seen.setdefault(str(p), p)
    return list(seen.values())


def _dotted(path: Any) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{_key_text(part)}" if out else _key_text(part))
    return out or "spec"


def _key_text(key: str) -> str:
    """A key as a path shows it: as typed, unless control characters or its length would make the
    message unreadable (or rewrite a terminal); then quoted, escaped and cut short."""
    return _show(key) if has_control_characters(key) or len(key) > 60 else key


def _show_key(key: Any) -> str:
    """A key that is not text as the file had it: 1, true, null, 2024-01-01."""
    if key is None or isinstance(key, bool | int | float):
        return json.dumps(key)
    return _show(str(key)) if has_control_characters(str(key)) else str(key)[:60]


_TYPE_WORDS = {
    "boolean": "must be true or false",
    "string": "must be text",
    "integer": "must be a whole number",
    "array": "must be a list",
    "object": "must be a mapping of keys to values",
}


def _problem(err: Any) -> Problem:
    path = _dotted(err.absolute_path)
    kind = err.validator
    sub = err.schema if isinstance(err.schema, dict) else {}
    if kind == "required":
        missing = err.message.split("'")[1]
        return Problem(f"{path}.{missing}" if path != "spec" else missing, "is required")
    if kind == "additionalProperties":
        allowed = list(sub.get("properties", {}))
        extra = sorted(set(err.instance) - set(allowed))
        key = extra[0] if extra else "?"
        hint = difflib.get_close_matches(key, allowed, n=1)
        suffix = f" (did you mean '{hint[0]}'?)" if hint else f" (expected one of {', '.join(allowed)})"
        shown = _key_text(key)
        return Problem(f"{path}.{shown}" if path != "spec" else shown, f"is not a known key{suffix}")
    if kind == "enum":
        return Problem(path, f"{_show(err.instance)} is not one of {', '.join(map(str, err.validator_value))}")
    if kind == "const":
        return Problem(path, f"must be {err.validator_value}")
    if kind == "type":
        expected = err.validator_value if isinstance(err.validator_value, str) else err.validator_value[0]
        return Problem(path, _TYPE_WORDS.get(expected, f"must be of type {expected}"))
    if kind == "minLength":
        return Problem(path, "must not be empty")
    if kind == "maxLength":
        return Problem(path, f"must be at most {err.validator_value} characters (it has {len(err.instance)})")
    if kind in ("minimum", "maximum"):
        word = "at least" if kind == "minimum" else "at most"
        return Problem(path, f"must be {word} {err.validator_value}")
    if kind == "maxItems":
        return Problem(path, f"must have at most {err.validator_value} entries")
    if kind == "uniqueItems":
        return Problem(path, "lists the same entry twice")
    if kind == "anyOf" and err.context:
        # Report the branch the value was evidently aiming at, not the alternatives it missed.
        if isinstance(err.instance, dict):
            aimed = [e for e in err.context if e.validator != "type" and e.validator != "enum"]
            if aimed:
                return _problem(aimed[0])
        enum = [e for e in err.context if e.validator == "enum" and isinstance(err.instance, str)]
        if enum:
            return _problem(enum[0])
    custom = sub.get(f"x-error-{kind}")
    if custom:
        return Problem(path, custom)
    return Problem(path, err.message)


def _show(value: Any) -> str:
    # default=str: YAML also reads dates and bytes, which JSON has no words for.
    text = repr(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


# -- defaults --------------------------------------------------------------------------------


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its ``$ref`` followed: merged once for each node of the schema (every
    validation walks the same few nodes)."""
    ref = node.get("$ref")
    if not ref:
        return node
    hit = _resolved.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    target = schema()["$defs"][ref.rsplit("/", 1)[-1]]
    merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    if len(_resolved) >= 256:  # only the schema's own nodes come here: a few dozen
        _resolved.clear()
    _resolved[id(node)] = (node, merged)
    return merged


# Each ``$ref`` node of the schema, by its identity, with the node it resolves to; an entry holds
# its node, so no other object takes its identity.
_resolved: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def _fill_defaults(node: dict[str, Any], value: Any) -> Any:
    node = _resolve(node)
    if node.get("type") == "object" and isinstance(value, dict):
        for key, sub in node.get("properties", {}).items():
            sub = _resolve(sub)
            if key not in value and "default" in sub:
                value[key] = copy.deepcopy(sub["default"])
            if key in value:
                value[key] = _fill_defaults(sub, value[key])
    return value


def _ordered(node: dict[str, Any], value: Any) -> Any:
    node = _resolve(node)
    if node.get("type") == "object" and isinstance(value, dict):
        props = node.get("properties", {})
        return {k: _ordered(props[k], value[k]) for k in props if k in value}
    return value


def default_answer(root: str) -> Any:
    """What a spec without the top-level answer ``root`` is given; KeyError if it must have one."""
    return copy.deepcopy(_resolve(schema()["properties"][root])["default"])


def defaults() -> dict[str, Any]:
    """The spec a blank draft starts from (names left empty for the licensor to fill)."""
    spec = _fill_defaults(schema(), {"license": {}, "licensor": {}, "model": {}})
    return _ordered(schema(), spec)


def derive_spdx_id(name: str, version: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-.") or "License"
    ver = re.sub(r"[^A-Za-z0-9.]+", "-", version).strip("-.")
    return f"LicenseRef-{slug}-{ver}" if ver else f"LicenseRef-{slug}"


def spdx_id(spec: dict[str, Any]) -> str:
    """The licence's SPDX id: the licensor's own, or one derived from name and version."""
    lic = spec["license"]
    return lic.get("spdx_id") or derive_spdx_id(lic["name"], lic["version"])


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def mark_control_characters(text: str) -> str:
    """``text`` with each control or bidirectional-override character other than a tab or a line
    break replaced by U+FFFD, a visible mark: for showing back input that was refused."""
    return _CONTROL.sub(lambda m: m.group() if m.group() in "\t\n\r" else "\ufffd", text)


def canonical_json(spec: dict[str, Any]) -> str:
    return json.dumps(spec, ensure_ascii=False, indent=2) + "\n"


def get_path(spec: dict[str, Any], path: str) -> Any:
    value: Any = spec
    for part in path.split("."):
        value = value[part]
    return value
