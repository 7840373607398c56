"""Starting points: specs in ``clauses/presets/`` with a title and a plain description."""

from __future__ import annotations

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
