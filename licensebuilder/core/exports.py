"""Every output of one spec, each computed once: what the command line and the web app export."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from . import spec as specs
from .assemble import Document, assemble
from .lint import Finding, lint
from .render.html import render_fragment, render_page
from .render.json import render_json
from .render.markdown import fingerprint, render_markdown
from .render.pdf import render_pdf
from .rules import RulesModel, rules_for
from .snippets import Snippet, model_card_header, snippets
from .summary import render_deed, summary_of

FORMATS = ("md", "html", "pdf", "json", "summary")


@dataclass
class Build:
    spec: dict[str, Any]
    # The license's public address once it is published: the model card and NOTICE point there.
    permalink: str | None = None

    @cached_property
    def document(self) -> Document:
        return assemble(self.spec)

    @cached_property
    def markdown(self) -> str:
        return render_markdown(self.document)

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint(self.markdown)

    @cached_property
    def html(self) -> str:
        return render_page(self.document, markdown_text=self.markdown, fragment=self.fragment, digest=self.fingerprint)

    @cached_property
    def fragment(self) -> str:
        return render_fragment(self.document)

    @cached_property
    def json(self) -> str:
        return render_json(self.document, self.markdown, self.summary, self.fingerprint)

    @cached_property
    def rules(self) -> RulesModel:
        return rules_for(self.document)

    @cached_property
    def summary(self) -> dict[str, Any]:
        return summary_of(self.document, lambda: self.rules)

    @cached_property
    def deed(self) -> str:
        return render_deed(self.document, self.summary, self.rules)

    @cached_property
    def findings(self) -> list[Finding]:
        return lint(self.document, self.rules)

    def pdf(self, paper: str = "a4", fetcher: Any = None) -> bytes:
        return render_pdf(
            self.document, markdown_text=self.markdown, license_json=self.json, paper=paper, fetcher=fetcher
        )

    @cached_property
    def notice(self) -> str:
        spec = self.spec
        model = spec["model"]["name"] + (f" {spec['model']['version']}" if spec["model"].get("version") else "")
        lines = [
            f"{model}",
            f"Licensed by {spec['licensor']['name']} under the {spec['license']['name']} "
            f"{spec['license']['version']} ({specs.spdx_id(spec)}).",
        ]
        if spec["model"].get("url"):
            lines.append(f"Source: {spec['model']['url']}")
        if spec["licensor"].get("contact"):
            lines.append(f"Contact: {spec['licensor']['contact']}")
        if self.permalink:
            lines.append(f"License: {self.permalink}")
        lines += [
            "",
            "This notice must be kept in every copy of the model and of any derivative that is "
            "distributed, together with a copy of the license (LICENSE.md)."
            if spec["terms"]["attribution_notice"]
            else "Keep this notice with copies of the model so that recipients know its license.",
            f"License fingerprint (SHA-256 of LICENSE.md): {self.fingerprint}",
        ]
        return "\n".join(lines) + "\n"

    @cached_property
    def model_card(self) -> str:
        return model_card_header(self.spec, self.permalink)

    def snippets(self, badge_url: str | None = None) -> list[Snippet]:
        return snippets(self.spec, self.notice, self.permalink, badge_url)

    def output(self, fmt: str, paper: str = "a4") -> str | bytes:
        if fmt == "md":
            return self.markdown
        if fmt == "html":
            return self.html
        if fmt == "json":
            return self.json
        if fmt == "summary":
            return self.deed
        if fmt == "pdf":
            return self.pdf(paper)
        raise ValueError(f"format: {fmt!r} is not one of {', '.join(FORMATS)}")

    def bundle(self, paper: str = "a4") -> dict[str, bytes]:
        """The release bundle: the files a model release ships with its license."""
        return {
            "LICENSE.md": self.markdown.encode("utf-8"),
            "LICENSE.html": self.html.encode("utf-8"),
            "LICENSE.pdf": self.pdf(paper),
            "license.json": self.json.encode("utf-8"),
            "NOTICE": self.notice.encode("utf-8"),
            "model-card.yml": self.model_card.encode("utf-8"),
        }


def build(spec: dict[str, Any], permalink: str | None = None) -> Build:
    return Build(spec, permalink)


B = TypeVar("B", bound=Build)


def build_document(
    document: Document,
    permalink: str | None = None,
    *,
    kind: type[B] = Build,  # type: ignore[assignment]
    **made: Any,
) -> B:
    """Every output of an already assembled document (a revision's or a publication's kept text):
    nothing re-assembled. ``kind`` is the Build class to make (the web app's reads PDFs from its
    store); ``made`` are outputs already made and kept, by name (``markdown``, ``json``), used as
    they are."""
    unknown = [name for name in made if not isinstance(getattr(kind, name, None), cached_property)]
    if unknown:
        raise TypeError(f"not an output of a Build: {', '.join(unknown)}")
    result = kind(document.spec, permalink)
    result.__dict__.update(made, document=document)
    return result
