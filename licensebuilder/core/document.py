"""The Document: what assembly makes of a spec and every renderer formats.

Structured data in the manner of Common Form: sections of clauses with stable ids, numbers derived
from their position, defined terms collected and each clause's reason for being there recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from . import spec as specs


@dataclass(frozen=True)
class Reason:
    """One answer that selected a clause: a spec path and the value it had."""

    path: str
    value: Any

    def __str__(self) -> str:
        return f"{self.path} = {_show(self.value)}"


@dataclass(frozen=True)
class Clause:
    id: str
    variant: str | None
    title: str
    number: str
    body: str  # Markdown: terms unmarked, references resolved, user text escaped
    defines: tuple[str, ...]
    uses: tuple[str, ...]
    why: tuple[Reason, ...]
    used_by: tuple[str, ...]  # for definitions: the clauses that use the term
    rationale: str
    version: int
    section: str

    @property
    def anchor(self) -> str:
        return "clause-" + self.id.replace(".", "-").replace("_", "-")

    @property
    def key(self) -> str:
        return f"{self.id}@{self.variant}" if self.variant else self.id


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    number: str
    clauses: tuple[Clause, ...]

    @property
    def anchor(self) -> str:
        return "section-" + self.id.replace("_", "-")

    @cached_property
    def text_size(self) -> int:
        """Characters of its clauses' titles and text, with a little for each clause: roughly what
        holding it costs (a cache of documents counts a section taken over once per document)."""
        return sum(len(c.body) + len(c.title) + 200 for c in self.clauses)


@dataclass(frozen=True)
class Document:
    spec: dict[str, Any]
    sections: tuple[Section, ...]
    library_version: str
    terms: dict[str, str] = field(default_factory=dict)  # term -> id of the defining clause

    @property
    def title(self) -> str:
        return self.spec["license"]["name"]

    @property
    def version(self) -> str:
        return self.spec["license"]["version"]

    @property
    def spdx_id(self) -> str:
        return specs.spdx_id(self.spec)

    def clauses(self) -> list[Clause]:
        return [clause for section in self.sections for clause in section.clauses]

    def clause(self, clause_id: str) -> Clause | None:
        return next((c for c in self.clauses() if c.id == clause_id), None)

    def to_data(self) -> dict[str, Any]:
        """The document as plain JSON data: what a revision keeps so that its text never changes
        when the clause library does."""
        return {
            "spec": self.spec,
            "library_version": self.library_version,
            "terms": dict(self.terms),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "number": s.number,
                    "clauses": [
                        {
                            "id": c.id,
                            "variant": c.variant,
                            "title": c.title,
                            "number": c.number,
                            "body": c.body,
                            "defines": list(c.defines),
                            "uses": list(c.uses),
                            "why": [[r.path, r.value] for r in c.why],
                            "used_by": list(c.used_by),
                            "rationale": c.rationale,
                            "version": c.version,
                            "section": c.section,
                        }
                        for c in s.clauses
                    ],
                }
                for s in self.sections
            ],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Document:
        """The inverse of :meth:`to_data`."""
        sections = tuple(
            Section(
                id=s["id"],
                title=s["title"],
                number=s["number"],
                clauses=tuple(
                    Clause(
                        id=c["id"],
                        variant=c["variant"],
                        title=c["title"],
                        number=c["number"],
                        body=c["body"],
                        defines=tuple(c["defines"]),
                        uses=tuple(c["uses"]),
                        why=tuple(Reason(path, value) for path, value in c["why"]),
                        used_by=tuple(c["used_by"]),
                        rationale=c["rationale"],
                        version=c["version"],
                        section=c["section"],
                    )
                    for c in s["clauses"]
                ),
            )
            for s in data["sections"]
        )
        return cls(data["spec"], sections, data["library_version"], dict(data.get("terms") or {}))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)
