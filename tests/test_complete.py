"""Completing a draft's answers with placeholders: remembered in a bounded cache by the answers'
canonical JSON, and every caller given its own copy of the result."""

import json

from licensebuilder.core import cache
from licensebuilder.core.complete import PLACEHOLDERS, complete


def _answers():
    return {"model": {"name": "Acme-7B"}, "use": {"restrictions": ["weapons"]}}


def test_changing_a_completed_spec_does_not_change_what_the_next_caller_gets():
    first = complete(_answers())
    expected = json.dumps(first)
    first["model"]["name"] = "changed"
    first["use"]["restrictions"].append("surveillance")
    first["licensor"].clear()
    first["terms"] = None
    second = complete(_answers())
    assert json.dumps(second) == expected
    assert second is not first and second["use"] is not first["use"]


def test_the_same_answers_in_another_order_complete_alike_and_are_remembered_once():
    cache.completed.clear()
    answers = _answers()
    reordered = {"use": answers["use"], "model": answers["model"]}
    assert json.dumps(complete(answers)) == json.dumps(complete(reordered))
    assert len(cache.completed) == 1
    assert complete(answers)["licensor"]["name"] == PLACEHOLDERS["licensor"]


def test_the_completed_specs_kept_are_bounded():
    cache.completed.clear()
    for n in range(cache.completed.max_entries + 20):
        complete({"model": {"name": f"Model {n}"}})
    assert len(cache.completed) == cache.completed.max_entries
    assert cache.completed.bytes <= cache.completed.max_bytes
