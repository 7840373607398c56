"""Builds of a spec, shared by every request that asks for the same spec.

Everything is computed by the engine; this module only remembers results. A build is keyed by the
canonical JSON of its spec, a PDF by the digest of its license.json and paper size, so a result is
reused exactly when the engine would produce the same bytes again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any, ClassVar

from licensebuilder.core.complete import complete, is_named
from licensebuilder.core.exports import Build
from licensebuilder.core.library import LibraryError, default_library


class CachedBuild(Build):
    """A Build whose PDFs come from the app's PDF source (``outputs.cached_pdf``: stored by content,
    rendered in the request or by a render worker), so the bundle reuses them too. The source sits
    above the models; the drafts app connects it when it starts (``apps.py``)."""

    pdf_source: ClassVar[Callable[[Build, str], bytes] | None] = None

    def pdf(self, paper: str = "a4", fetcher: Any = None) -> bytes:
        source = type(self).pdf_source
        if fetcher is not None or source is None:
            return super().pdf(paper, fetcher)
        return source(self, paper)


@lru_cache(maxsize=128)
def build_from_json(canonical: str) -> CachedBuild:
    return CachedBuild(json.loads(canonical))


def build(spec: dict[str, Any]) -> CachedBuild:
    """The engine's Build of a validated spec, shared by every request that asks for the same spec."""
    return build_from_json(json.dumps(spec, ensure_ascii=False, separators=(",", ":")))


def build_answers(answers: dict[str, Any]) -> CachedBuild:
    """The Build of a draft's answers, the names not given yet shown as placeholders.

    Raises SpecError when the answers do not validate and LibraryError when the clause library
    cannot word them."""
    return build(complete(answers))


def lint_fields(answers: dict[str, Any]) -> dict[str, Any]:
    """A draft's lint fields for these answers: status, number of findings, library version."""
    try:
        result = build_answers(answers)
        findings = [f for f in result.findings if f.severity != "note"]  # a note is not a warning
        version = result.document.library_version
    except (LibraryError, ValueError):
        return {"lint": "unknown", "lint_count": 0, "lint_library": ""}
    if not is_named(answers):
        status = "incomplete"
    elif any(f.severity == "error" for f in findings):
        status = "errors"
    else:
        status = "warnings" if findings else "clean"
    return {"lint": status, "lint_count": len(findings), "lint_library": version}


def library_version() -> str:
    try:
        return default_library().version
    except LibraryError:
        return ""
