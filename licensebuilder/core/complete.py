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
    the validator puts them in the schema's order, so the same answers in any order complete alike."""
    try:
        key = json.dumps(spec, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    except TypeError:  # keys that cannot be sorted or values JSON cannot hold: the validator says what is wrong
        return _completed_text(spec)
    return cache.completed.get_or_make(key, lambda: _completed_text(spec))


def _completed_text(spec: dict[str, Any]) -> str:
    return json.dumps(specs.validate(_with_placeholders(spec)), ensure_ascii=False)


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
