"""The canonical Markdown of a Document: deterministic, and the source of every other output."""

from __future__ import annotations

import hashlib

from ..document import Clause, Document, Section
from ..text import md_escape


def header_markdown(doc: Document) -> str:
    spec = doc.spec
    lines = [f"# {md_escape(doc.title)}", ""]
    lines.append(f"Version {md_escape(doc.version)} · SPDX identifier `{doc.spdx_id}`")
    lines.append("")
    licensor = f"Licensor: {md_escape(spec['licensor']['name'])}"
    if spec["licensor"].get("contact"):
        licensor += f" ({md_escape(spec['licensor']['contact'])})"
    lines.append(licensor + "  ")
    model = f"Model: {md_escape(spec['model']['name'])}"
    if spec["model"].get("version"):
        model += f", version {md_escape(spec['model']['version'])}"
    if spec["model"].get("url"):
        model += f" ({md_escape(spec['model']['url'])})"
    lines.append(model)
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
