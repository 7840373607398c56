"""``license.json``: the spec, its summary, the fingerprint and the clause-library version."""

from __future__ import annotations

import json
from typing import Any

from .. import cache
from ..document import Document
from ..summary import summarize
from .markdown import fingerprint

FORMAT_VERSION = 1


def license_data(
    doc: Document, markdown_text: str, summary: dict[str, Any] | None = None, digest: str | None = None
) -> dict[str, Any]:
    """What ``license.json`` holds; ``digest`` is the Markdown's fingerprint, when the caller has it."""
    return {
        "license_json_version": FORMAT_VERSION,
        "name": doc.title,
        "version": doc.version,
        "spdx_id": doc.spdx_id,
        "fingerprint": {"algorithm": "sha256", "of": "LICENSE.md", "value": digest or fingerprint(markdown_text)},
        "clause_library_version": doc.library_version,
        "clauses": [{"id": c.id, "number": c.number, "version": c.version} for c in doc.clauses()],
        "spec": doc.spec,
        "summary": summary if summary is not None else summarize(doc),
    }


def render_json(
    doc: Document, markdown_text: str, summary: dict[str, Any] | None = None, digest: str | None = None
) -> str:
    """``license.json``: :func:`license_data` indented by two spaces. Python indents JSON with its
    pure-Python encoder, so each member is indented once and remembered by its compact JSON (the
    fast encoder's), which an edit of a name leaves as it was for the clauses and the summary."""
    data = license_data(doc, markdown_text, summary, digest)
    members = (f"  {json.dumps(key)}: {_indented(value)}" for key, value in data.items())
    return "{\n" + ",\n".join(members) + "\n}\n"


def _indented(value: Any) -> str:
    """``value`` as JSON indented by two spaces, one level in: what ``json.dumps(..., indent=2)``
    writes for it as a member of an object (its strings hold no line break, only ``\\n``). A
    mapping is written member by member, each remembered likewise: an edit of one answer of the
    spec indents that answer's part again, not the whole spec."""
    if not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    key = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    hit = cache.json_texts.get(key)
    if hit is None:
        if isinstance(value, dict) and len(value) > 1:
            members = (
                f"    {json.dumps(name, ensure_ascii=False)}: {_indented(item).replace(_BREAK, _DEEPER)}"
                for name, item in value.items()
            )
            made = "{\n" + ",\n".join(members) + "\n  }"
        else:
            made = json.dumps(value, ensure_ascii=False, indent=2).replace(_BREAK, _DEEPER)
        hit = cache.json_texts.put(key, made)
    return hit


_BREAK, _DEEPER = "\n", "\n  "  # a line of a member one level deeper starts two spaces further in
