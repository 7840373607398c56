"""Builds of a spec, shared by every request that asks for the same spec.

Everything is computed by the engine; this module only remembers results. A build is keyed by the
canonical JSON of its spec, a PDF by the digest of its license.json and paper size, so a result is
reused exactly when the engine would produce the same bytes again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from licensebuilder.core.cache import LRU
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


# What a build holds once its texts are asked for: the Markdown, the HTML page and the fragment
# inside it, license.json, the deed. They are made after the build is remembered, so its size is
# counted ahead from its spec: the texts of the presets' licenses come to 150-210 KB, and what is
# typed in an answer shows up some 5 to 10 times across them (a name more often than a restriction).
# The estimate is above what the build comes to hold (tests/test_builds_memo.py checks it for the
# presets and for a spec whose every answer is as long as the schema allows).
TEXTS_BASE = 256 * 1024
TEXTS_PER_SPEC_BYTE = 8


def _build_size(key: Hashable, value: CachedBuild) -> int:
    return TEXTS_BASE + TEXTS_PER_SPEC_BYTE * len(str(key))  # the key is the spec's JSON


# Builds by the canonical JSON of their spec: at most 128, as before, and at most 40 MiB of texts
# counted so, which is room for about 150 builds of the presets' size but only 90 of the largest
# specs. It is one of the engine's LRUs, so ``cache.clear()`` empties it with the others.
BUILDS: LRU[CachedBuild] = LRU(max_entries=128, max_bytes=40 * 2**20, size=_build_size)


def build_from_json(canonical: str) -> CachedBuild:
    return BUILDS.get_or_make(canonical, lambda: CachedBuild(json.loads(canonical)))


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
