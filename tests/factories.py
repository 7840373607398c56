"""What tests are made of: specs, users, drafts and what a browser posts for a step. The
fixtures made from them (``spec``, ``user``, ``client_in``, ``draft`` ...) are in ``conftest.py``."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth import get_user_model

from licensebuilder.core import spec as specs
from licensebuilder.drafts import wizard
from licensebuilder.drafts.models import Draft

MINIMAL = {
    "license": {"name": "Acme Open Model License", "version": "1.0"},
    "licensor": {"name": "Acme AI Ltd.", "contact": "legal@acme.example"},
    "model": {"name": "Acme-7B", "version": "1.0", "url": "https://acme.example/acme-7b"},
}


def make_spec(**overrides):
    """A valid spec: MINIMAL with dotted-path overrides.

    make_spec(**{"derivatives.distillation": "prohibited"})
    """
    data = copy.deepcopy(MINIMAL)
    data = specs.validate(data)
    for path, value in overrides.items():
        target = data
        *parents, last = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value
    return specs.validate(data)


PASSWORD = "a-long-enough-passphrase-42"


def make_user(username: str = "alice"):
    return get_user_model().objects.create_user(username=username, password=PASSWORD)


def make_draft(owner, spec: dict[str, Any] | None = None, **fields: Any) -> Draft:
    spec = spec if spec is not None else make_spec()
    fields.setdefault("title", spec.get("license", {}).get("name") or "Untitled draft")
    fields.setdefault("done", [s.slug for s in wizard.STEPS if s.form is not None])
    return Draft.objects.create(owner=owner, spec=copy.deepcopy(spec), **fields)


def step_data(draft: Draft, slug: str, **changes: Any) -> dict[str, Any]:
    """What a browser would post for a step: the saved answers, the version, and ``changes``."""
    step = wizard.BY_SLUG[slug]
    form = step.form(spec=draft.spec)
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            continue
        else:
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    data["version"] = str(draft.version)
    return data
