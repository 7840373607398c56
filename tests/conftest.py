import os

import pytest
from hypothesis import HealthCheck, settings

from licensebuilder.core import spec as specs
from licensebuilder.drafts.models import Draft
from tests.factories import make_draft, make_spec, make_user

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "default")


@pytest.fixture(autouse=True)
def _fresh_shared_cache():
    """Each test starts with empty caches: counts kept there (PDF renders a minute, comments a
    minute, lockouts) and the PDFs laid out belong to the test that made them, whatever order the
    tests run in."""
    yield
    from django.conf import settings as django_settings
    from django.core.cache import caches

    for alias in django_settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def spec():
    return make_spec()


# -- the web app: users, logged-in clients and drafts ------------------------------------------


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
    return Draft.objects.create(owner=user, title="Untitled draft", spec=specs.defaults())


def pytest_sessionfinish(session, exitstatus):
    # In CI a skipped test is a test that did not run: browser and PostgreSQL tests must not
    # pass by skipping, so any skip fails the run.
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped and exitstatus == 0:
        reporter.write_line(f"CI: {skipped} test(s) skipped; every test must run in CI", red=True)
        session.exitstatus = 1


@pytest.fixture
def pdf_layouts(monkeypatch):
    """The paper size of every PDF laid out during the test, in order (``renders.write_pdf`` counted)."""
    from licensebuilder.drafts import renders

    calls = []
    original = renders.write_pdf

    def counting(page, paper="a4", **kwargs):
        calls.append(paper)
        return original(page, paper=paper, **kwargs)

    monkeypatch.setattr(renders, "write_pdf", counting)
    return calls
