import copy
import os

import pytest
from hypothesis import HealthCheck, settings

from licensebuilder.core import spec as specs

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "default")

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


@pytest.fixture
def spec():
    return make_spec()


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
