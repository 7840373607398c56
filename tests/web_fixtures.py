"""Fixtures for the web app's tests: users, logged-in clients, drafts and step data."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from licensebuilder.drafts import wizard
from licensebuilder.drafts.models import Draft
from tests.conftest import make_spec

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


@pytest.fixture
def user(db):
    return make_user("alice")


@pytest.fixture
def other_user(db):
    return make_user("mallory")


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def draft(user):
    return make_draft(user)


@pytest.fixture
def blank_draft(user):
    from licensebuilder.core import spec as specs

    return Draft.objects.create(owner=user, title="Untitled draft", spec=specs.defaults())
