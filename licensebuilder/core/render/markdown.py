"""The canonical Markdown of a Document: deterministic, and the source of every other output."""

from __future__ import annotations

import hashlib

from .. import cache
from ..document import Clause, Document, Section
from ..text import md_escape


def header_markdown(doc: Document) -> str:
    """The license's title block. Remembered by what it shows (``cache.headers``): every preview
    of a draft shows the same one."""
    licensor, model = doc.spec["licensor"], doc.spec["model"]
    shown = (
        doc.title,
        doc.version,
        doc.spdx_id,
        licensor["name"],
        licensor.get("contact"),
        model["name"],
        model.get("version"),
        model.get("url"),
    )
    hit = cache.headers.get(shown)
    return hit if hit is not None else cache.headers.put(shown, _header(*shown))


def _header(
    title: str,
    version: str,
    spdx_id: str,
    licensor: str,
    contact: str | None,
    model: str,
    model_version: str | None,
    url: str | None,
) -> str:
    lines = [f"# {md_escape(title)}", ""]
    lines.append(f"Version {md_escape(version)} · SPDX identifier `{spdx_id}`")
    lines.append("")
    lines.append(f"Licensor: {md_escape(licensor)}" + (f" ({md_escape(contact)})" if contact else "") + "  ")
    line = f"Model: {md_escape(model)}"
    if model_version:
        line += f", version {md_escape(model_version)}"
    if url:
        line += f" ({md_escape(url)})"
    lines.append(line)
    return "\n".join(lines) + "\n"


def section_heading(section: Section) -> str:
    return f"## {section.number}. {section.title}\n"


def clause_heading(clause: Clause) -> str:
    return f"### {clause.number} {clause.title}\n"


def clause_markdown(clause: Clause) -> str:
    """One clause: its numbered heading and its body. The HTML renders exactly these chunks."""
    return f"{clause_heading(clause)}\n{clause.body}\n"


def render_markdown(doc: Document) -> str:
    parts = [header_markdown(doc)]
    for section in doc.sections:
        parts.append(section_heading(section))
        parts.extend(clause_markdown(clause) for clause in section.clauses)
    return "\n".join(parts)


def fingerprint(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()
