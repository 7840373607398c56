from licensebuilder.core.exports import build
from licensebuilder.core.presets import presets
from tests.factories import make_spec


def codes(**overrides):
    return {f.code for f in build(make_spec(**overrides)).findings}


def _warnings(spec):
    """Errors and warnings: a note (an empty governing law) points at a gap but fails no check."""
    return [f for f in build(spec).findings if f.severity != "note"]


def test_the_default_spec_is_clean(spec):
    assert _warnings(spec) == []


def test_every_preset_is_clean():
    for slug, preset in presets().items():
        assert _warnings(preset.spec) == [], slug


def test_share_alike_asking_for_weights_the_licensor_withholds():
    finding = next(
        f for f in build(make_spec(**{"elements.weights": "withheld"})).findings if f.code == "share-alike-asks-more"
    )
    assert "elements.weights" in finding.paths and finding.fix


def test_private_use_only_while_redistribution_is_refused_anyway():
    assert "no-distribution-redundant" in codes(
        **{"grants.redistribution": False, "derivatives.distillation": "no_distribution"}
    )


def test_use_restrictions_with_an_open_source_claim():
    assert "open-source-with-restrictions" in codes(
        **{"license.open_source_claim": True, "use.restrictions": ["weapons"]}
    )
    assert "open-source-with-restrictions" not in codes(**{"use.restrictions": ["weapons"]})


def test_distillation_more_lenient_than_fine_tuning_is_a_loophole():
    assert "distillation-loophole" in codes(
        **{"derivatives.fine_tune_full": "share_alike", "derivatives.distillation": "permitted"}
    )


def test_share_alike_on_head_fine_tunes_but_not_prompts_is_a_loophole():
    assert "prompting-loophole" in codes(
        **{
            "derivatives.fine_tune_head": "share_alike",
            "derivatives.prompts": "permitted",
            "derivatives.fine_tune_full": "share_alike",
        }
    )


def test_sublicensing_without_redistribution():
    assert "sublicense-without-redistribution" in codes(**{"grants.sublicensing": True, "grants.redistribution": False})


def _finding(code, **overrides):
    return next(f for f in build(make_spec(**overrides)).findings if f.code == code)


def test_share_alike_without_redistribution_says_what_really_happens():
    never = _finding("share-alike-without-redistribution", **{"grants.redistribution": False})
    assert "share-alike can never apply" in never.message
    served = _finding(
        "share-alike-without-redistribution",
        **{"grants.redistribution": False, "share_alike.trigger": "distribution_or_service"},
    )
    assert "applies only when one is offered as a service" in served.message
    assert "no derivative can ever be shared" not in served.message + never.message


def test_weights_that_are_only_described_are_flagged_like_withheld_ones():
    finding = _finding("weights-withheld", **{"elements.weights": "described"})
    assert "holds under another agreement" in finding.message and finding.paths == ("elements.weights",)
