"""Starting points: specs in ``clauses/presets/`` with a title and a plain description."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import spec as specs
from .library import CLAUSES_DIR

PRESETS_DIR = CLAUSES_DIR / "presets"


@dataclass(frozen=True)
class Preset:
    slug: str
    title: str
    description: str
    spec: dict[str, Any]

    def starting_spec(self) -> dict[str, Any]:
        """The preset's choices for a new draft: its names are examples, so the licensor gives their own."""
        spec = copy.deepcopy(self.spec)
        spec["license"] = {k: v for k, v in spec["license"].items() if k not in ("name", "spdx_id")}
        spec["licensor"], spec["model"] = {}, {}
        return spec


def load_preset(path: Path) -> Preset:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Preset(
        slug=path.stem,
        title=data["title"],
        description=" ".join(data["description"].split()),
        spec=specs.validate(data["spec"]),
    )


@cache
def presets() -> dict[str, Preset]:
    return {p.stem: load_preset(p) for p in sorted(PRESETS_DIR.glob("*.yaml"))}
