"""Completing a spec that is still being written: the names not given yet become placeholders.

A draft can be previewed, linted and compared before the licensor has named the license, the
licensor and the model; the engine needs every name, so these placeholders stand in for them.
"""

from __future__ import annotations

import json
from typing import Any

from . import cache
from . import spec as specs

# What a blank draft shows in the preview until the licensor fills in the names.
PLACEHOLDERS = {"license": "[license name]", "licensor": "[licensor]", "model": "[model name]"}


def complete(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with placeholders for the names not given yet, validated: what the preview builds.

    Raises SpecError like the engine's validator. Results are remembered by the spec's canonical
    JSON (``cache.completed``): the preview asks for the same few specs over and over while someone
    types. Each call returns a new copy, which the caller may change freely.
    """
    return json.loads(_complete_json(spec or {}))


def _complete_json(spec: dict[str, Any]) -> str:
    """complete()'s result as JSON text, remembered in ``cache.completed``: each caller gets a fresh
    copy of it (json.loads), so none can change what another sees. The key sorts the answers' keys:
    the validator puts them in the schema's order, so the same answers in any order complete alike.

    A spec is completed answer by answer (``_by_answer``): the validator's rules each hold within
    one top-level answer, and an edit changes one, so the others are taken as they were made."""
    data = _with_placeholders(spec)
    answers = _answers(data)
    if answers is None:  # not a plain mapping of the schema's answers: the validator says what is wrong
        return _completed_text(data)
    key = "{" + ",".join(f"{_QUOTED[root]}:{text}" for root, _, text in answers) + "}"
    hit = cache.completed.get(key)
    if hit is not None:
        return hit
    made = _by_answer(answers)
    return cache.completed.put(key, made if made is not None else _completed_text(data))


# The JSON a key is made of: canonical (sorted keys, no spaces), as typed (no \u escapes).
_KEY_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_TEXT_JSON = json.JSONEncoder(ensure_ascii=False)  # what ``json.dumps(..., ensure_ascii=False)`` writes


def _answers(data: Any) -> list[tuple[str, Any, str]] | None:
    """Each top-level answer of ``data`` in the schema's order, with the answers a spec may leave
    out in their default, and each answer's key text; None if ``data`` has an answer the schema
    does not know, lacks one it requires, or holds what JSON cannot."""
    if type(data) is not dict or not _ROOTS.issuperset(data) or not _REQUIRED.issubset(data):
        return None
    out = []
    for root, default in _ORDER:
        value = data.get(root, default)
        if value is _NO_DEFAULT:
            continue
        try:
            out.append((root, value, _KEY_JSON.encode(value)))
        except (TypeError, ValueError):  # keys that cannot be sorted, values JSON cannot hold
            return None
    return out


def _by_answer(answers: list[tuple[str, Any, str]]) -> str | None:
    """The completed spec's JSON text, made of each answer's (``cache.completed_parts``); None when
    an answer is not valid (``validate`` then says why)."""
    parts = []
    for root, value, text in answers:
        key = (root, text)
        made = cache.completed_parts.get(key)
        if made is None:
            valid = specs.valid_part(root, value)
            if valid is None:
                return None
            made = cache.completed_parts.put(key, _TEXT_JSON.encode(valid))
        parts.append(f"{_QUOTED[root]}: {made}")
    return "{" + ", ".join(parts) + "}"


def _default(root: str) -> Any:
    try:
        return specs.default_answer(root)
    except KeyError:
        return _NO_DEFAULT


_NO_DEFAULT = object()
_ROOTS = frozenset(specs.schema()["properties"])
_REQUIRED = frozenset(specs.schema().get("required", ()))
# The schema's answers in its order, each with its default (what a spec without it is given).
_ORDER = tuple((root, _default(root)) for root in specs.schema()["properties"])
_QUOTED = {root: _KEY_JSON.encode(root) for root in _ROOTS}  # each answer's name as JSON writes it


def _completed_text(spec: Any) -> str:
    return json.dumps(specs.validate(spec), ensure_ascii=False)


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


def without_placeholders(done: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """``done`` (``complete(spec)``) without the placeholder names ``spec`` did not give. The
    sections left as they are are shared with ``done``."""
    out = dict(done)
    for section in PLACEHOLDERS:
        if not (spec.get(section) or {}).get("name"):
            out[section] = {k: v for k, v in done[section].items() if k != "name"}
    return out


def is_named(spec: dict[str, Any]) -> bool:
    """Whether the licensor has given every name a license needs."""
    return all((spec.get(section) or {}).get("name") for section in PLACEHOLDERS)
