"""``license.json``: the spec, its summary, the fingerprint and the clause-library version."""

from __future__ import annotations

import json
from typing import Any

from ..document import Document
from ..summary import summarize
from .markdown import fingerprint

FORMAT_VERSION = 1


def license_data(doc: Document, markdown_text: str, summary: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "license_json_version": FORMAT_VERSION,
        "name": doc.title,
        "version": doc.version,
        "spdx_id": doc.spdx_id,
        "fingerprint": {"algorithm": "sha256", "of": "LICENSE.md", "value": fingerprint(markdown_text)},
        "clause_library_version": doc.library_version,
        "clauses": [{"id": c.id, "number": c.number, "version": c.version} for c in doc.clauses()],
        "spec": doc.spec,
        "summary": summary if summary is not None else summarize(doc),
    }


def render_json(doc: Document, markdown_text: str, summary: dict[str, Any] | None = None) -> str:
    return json.dumps(license_data(doc, markdown_text, summary), ensure_ascii=False, indent=2) + "\n"
