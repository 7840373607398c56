"""Snippets a model release pastes into its files: the model-card header, a README section,
the NOTICE, the SPDX line, and the badge those point at.

Every value a licensor typed is escaped for where it lands: YAML through the YAML dumper,
Markdown through :func:`md_escape`, SVG through XML escaping. Links are the app's own URLs,
passed in by the caller; an unpublished license links to the LICENSE.md shipped beside it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import yaml

from . import spec as specs
from .text import md_escape

LOCAL_LINK = "LICENSE.md"

# What the badge's right half says, by the strongest share-alike a license asks for: the words of
# the policy (questions.yaml), as the wizard and the deed say it.
SHARE_ALIKE_KINDS = {
    "always": specs.POLICIES["share_alike"],
    "foundation": specs.POLICIES["share_alike_foundation"],
    "never": "no share-alike",
}


@dataclass(frozen=True)
class Snippet:
    key: str  # a stable id for the page and its tests
    title: str
    filename: str  # where the snippet goes in a release
    text: str


def hub_license_name(spec: dict[str, Any]) -> str:
    """The lower-case identifier a model hub shows for a license that is not on its list."""
    ident = specs.spdx_id(spec).removeprefix("LicenseRef-").lower()
    return re.sub(r"[^a-z0-9.]+", "-", ident).strip("-") or "license"


def share_alike_kind(summary: dict[str, Any]) -> str:
    """How far share-alike reaches, in words: the badge's second half."""
    levels = {entry["share_alike"] for entry in summary["derivatives"].values()}
    level = "always" if "always" in levels else "foundation" if "foundation" in levels else "never"
    kind = SHARE_ALIKE_KINDS[level]
    if level != "never" and summary.get("share_alike_trigger") == "distribution_or_service":
        kind += ", also as a service"
    return kind


def model_card_header(spec: dict[str, Any], permalink: str | None = None) -> str:
    data = {"license": "other", "license_name": hub_license_name(spec), "license_link": permalink or LOCAL_LINK}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def spdx_line(spec: dict[str, Any]) -> str:
    return f"SPDX-License-Identifier: {specs.spdx_id(spec)}\n"


def readme_section(spec: dict[str, Any], permalink: str | None = None, badge_url: str | None = None) -> str:
    name = md_escape(f"{spec['license']['name']} {spec['license']['version']}")
    link = permalink or LOCAL_LINK
    lines = ["## License", ""]
    if badge_url:
        lines += [f"[![License: {name}]({badge_url})]({link})", ""]
    model = md_escape(spec["model"]["name"])
    licensor = md_escape(spec["licensor"]["name"])
    lines.append(
        f"{model} is made available by {licensor} under the [{name}]({link}) (SPDX identifier `{specs.spdx_id(spec)}`)."
    )
    if permalink:
        lines += [
            "",
            "Before you fine-tune, distil, redistribute or serve it, see what the license asks of you: "
            f"[what do I owe?]({permalink}owe/)",
        ]
    return "\n".join(lines) + "\n"


def snippets(
    spec: dict[str, Any], notice: str, permalink: str | None = None, badge_url: str | None = None
) -> list[Snippet]:
    """The snippets for one license, in the order a release engineer meets the files."""
    return [
        Snippet(
            "model-card",
            "Model card header (Hugging Face)",
            "README.md front matter",
            model_card_header(spec, permalink),
        ),
        Snippet("readme", "README section", "README.md", readme_section(spec, permalink, badge_url)),
        Snippet("notice", "NOTICE", "NOTICE", notice),
        Snippet("spdx", "SPDX identifier", "source file headers", spdx_line(spec)),
    ]


# -- the badge -------------------------------------------------------------------------------

_BADGE_MAX_CHARS = 48
_CHAR_WIDTH = 6.6  # average advance of an 11px sans-serif glyph, enough to size the box
_PAD = 6


def _badge_text(value: str) -> str:
    text = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C")
    text = " ".join(text.split())
    if len(text) > _BADGE_MAX_CHARS:
        text = text[: _BADGE_MAX_CHARS - 1].rstrip() + "…"
    return text


def _attr(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


def _width(text: str) -> int:
    return round(len(text) * _CHAR_WIDTH) + 2 * _PAD


def badge_svg(label: str, value: str) -> str:
    """A flat two-part badge: the license name on the left, its share-alike kind on the right."""
    left, right = _badge_text(label), _badge_text(value)
    lw, rw = _width(left), _width(right)
    total = lw + rw
    title = f"{left}: {right}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{_attr(title)}">'
        f"<title>{xml_escape(title)}</title>"
        f'<rect width="{lw}" height="20" fill="#3b3f46"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="#2f6f4f"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{_PAD}" y="14">{xml_escape(left)}</text>'
        f'<text x="{lw + _PAD}" y="14">{xml_escape(right)}</text>'
        "</g></svg>\n"
    )
