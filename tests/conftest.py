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
