"""NUL and other control characters in every text a person can send: a message at the field, never
a server error, and nothing stored. PostgreSQL refuses NUL in text and JSON columns where SQLite
stores it, so `make test` runs this module on both (tests/on_postgres.py)."""

import json
import re

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.urls import reverse

from licensebuilder.drafts import wizard
from licensebuilder.drafts.models import Revision
from licensebuilder.review.models import ShareLink
from tests.factories import PASSWORD, step_data
from tests.test_comments import _clauses

pytestmark = pytest.mark.django_db

CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\u202e"]
REFUSED = re.compile(r"Null characters are not allowed|control characters|control or bidirectional|valid email", re.I)

TEXT_FIELDS = [
    (step.slug, name)
    for step in wizard.STEPS
    if step.form is not None
    for name, field in step.form(spec={}).fields.items()
    if type(field) is forms.CharField
]
CHOICE_FIELDS = [
    (step.slug, name)
    for step in wizard.STEPS
    if step.form is not None
    for name, field in step.form(spec={}).fields.items()
    if type(field) is not forms.CharField
]


def _stored_text() -> str:
    """Every value of every table a request above could have written, as text."""
    tables = [t for t in connection.introspection.table_names() if t.startswith(("drafts_", "review_", "axes_"))]
    tables += ["auth_user"]
    out = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out.extend(_as_text(value) for row in cursor.fetchall() for value in row)
    return "\n".join(out)


def _as_text(value) -> str:
    """A column's value with JSON decoded, so that an escaped "\\u0000" counts as the NUL it is."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict):
        return " ".join(f"{_as_text(k)} {_as_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_as_text(v) for v in value)
    return str(value)


def _assert_refused(response, char):
    assert response.status_code < 500
    assert REFUSED.search(response.content.decode()), response.content.decode()[:3000]
    assert char not in _stored_text()


def _assert_refused_at(response, char, name):
    """A wizard step: the message is shown at the field itself."""
    assert response.status_code < 500
    html = response.content.decode()
    assert re.search(rf'id="field-{name}-errors"><p class="error-message">', html) or (
        # the autosave answer lists the problem in its summary instead
        f'href="#field-{name}-wrap"' in html
    ), html[:3000]
    assert char not in _stored_text()


def _assert_nothing_stored(response, char):
    assert response.status_code < 500
    assert char not in _stored_text()


@pytest.mark.parametrize("char", CONTROL, ids=repr)
@pytest.mark.parametrize(("slug", "name"), TEXT_FIELDS)
def test_a_wizard_text_field_refuses_it(client_in, draft, slug, name, char):
    url = reverse("drafts:step", args=[draft.pk, slug])
    _assert_refused_at(client_in.post(url, step_data(draft, slug, **{name: f"Acme{char}Model"})), char, name)
    autosave = reverse("drafts:autosave", args=[draft.pk, slug])
    response = client_in.post(autosave, step_data(draft, slug, **{name: f"Acme{char}Model"}), HTTP_HX_REQUEST="true")
    _assert_refused_at(response, char, name)
    preview = reverse("drafts:preview", args=[draft.pk, slug])
    data = step_data(draft, slug, **{name: f"Acme{char}Model"})
    _assert_nothing_stored(client_in.post(preview, data, HTTP_HX_REQUEST="true"), char)


@pytest.mark.parametrize(("slug", "name"), CHOICE_FIELDS)
def test_a_nul_in_a_choice_is_refused_not_stored(client_in, draft, slug, name):
    url = reverse("drafts:step", args=[draft.pk, slug])
    _assert_nothing_stored(client_in.post(url, step_data(draft, slug, **{name: "permitted\x00"})), "\x00")
    autosave = reverse("drafts:autosave", args=[draft.pk, slug])
    response = client_in.post(autosave, step_data(draft, slug, **{name: "x\x00"}), HTTP_HX_REQUEST="true")
    _assert_nothing_stored(response, "\x00")


@pytest.mark.parametrize("char", CONTROL, ids=repr)
def test_renaming_a_draft_refuses_it(client_in, draft, char):
    response = client_in.post(reverse("drafts:rename", args=[draft.pk]), {"title": f"My{char}draft"})
    _assert_refused(response, char)


@pytest.mark.parametrize("char", CONTROL, ids=repr)
def test_a_share_label_refuses_it(client_in, draft, char):
    response = client_in.post(reverse("review:shares", args=[draft.pk]), {"label": f"Counsel{char}"})
    _assert_refused(response, char)
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("char", CONTROL, ids=repr)
def test_a_revision_name_refuses_it(client_in, draft, char):
    client_in.post(reverse("drafts:step", args=[draft.pk, "basics"]), step_data(draft, "basics", model_name="B-1"))
    number = Revision.objects.filter(draft=draft).order_by("-number").values_list("number", flat=True).first()
    response = client_in.post(reverse("review:revision-name", args=[draft.pk, number]), {"name": f"Sent{char}"})
    _assert_refused(response, char)


@pytest.mark.parametrize("field", ["name", "body"])
@pytest.mark.parametrize("char", CONTROL, ids=repr)
def test_a_comment_refuses_it(client_in, draft, char, field):
    clause = _clauses(draft)[0]
    data = {"clause_id": clause.id, "name": "Bob", "body": "A note", field: f"A{char}B"}
    response = client_in.post(reverse("review:comment", args=[draft.pk]), data)
    _assert_refused(response, char)


@pytest.mark.parametrize("field", ["username", "email"])
@pytest.mark.parametrize("char", CONTROL, ids=repr)
def test_signing_up_refuses_it(field, char, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    data = {"username": "ada", "email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD}
    data[field] = data[field].replace("a", f"a{char}", 1)
    _assert_refused(Client().post(reverse("signup"), data), char)


@pytest.mark.parametrize("char", CONTROL, ids=repr)
def test_logging_in_with_it_is_a_refused_login_not_an_error(char, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    response = Client().post(reverse("login"), {"username": f"grace{char}", "password": "x"})
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert char not in _stored_text()
