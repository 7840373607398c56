"""One vocabulary: every question, answer, help and "why" text is read from clauses/questions.yaml,
so the wizard, History, the compare page, "Why is this here?" and the deed describe an answer in
the same words, and a question's help says what the license's definition says."""

import re

import pytest

from licensebuilder.core import diff, vocabulary
from licensebuilder.core import spec as specs
from licensebuilder.core.library import default_library
from licensebuilder.drafts import wizard
from licensebuilder.drafts.models.revision import summary_line
from tests.factories import make_spec

# Words too common to say anything about what a definition covers.
_COMMON = {
    "about", "after", "also", "and", "any", "are", "because", "been", "but", "can", "each", "every", "for",
    "from", "has", "have", "into", "its", "more", "only", "other", "such", "than", "that", "the",
    "their", "them", "then", "there", "this", "those", "under", "until", "what", "when", "where", "which",
    "while", "with", "within", "without", "you", "your",
}  # fmt: skip


def _stems(text: str) -> set[str]:
    """Content words, cut to five letters so that "updates" meets "updated" and "trains" "training"."""
    words = re.findall(r"[a-z][a-z-]+", text.lower().replace("'s", ""))
    return {w[:5] for w in words if len(w) >= 4 and w not in _COMMON}


def _definition_text(term: str) -> str:
    """The body of the clause that defines ``term``, its markup reduced to words."""
    clauses = [c for c in default_library().clauses if term in c.defines]
    assert len(clauses) == 1, f"{term}: defined by {len(clauses)} clauses"
    text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", clauses[0].source)
    return re.sub(r"\{\{\s*mod_term\('(\w+)'[^}]*\}\}", lambda m: specs.MODIFICATIONS[m[1]][0], text)


TERM_QUESTIONS = [q for q in vocabulary.vocabulary().questions.values() if q.term]


def test_the_questions_that_govern_a_defined_term_name_it():
    terms = {q.path: q.term for q in TERM_QUESTIONS}
    for key in specs.MODIFICATIONS:  # every kind of modification is a defined term of the license
        assert f"derivatives.{key}" in terms, key
    assert terms["use.research_protected"] == "Protected Research"
    defined = default_library().terms()
    for question in TERM_QUESTIONS:
        assert question.describes, f"{question.path}: a question with a term says what the term means"
        assert question.term in defined, question.path


@pytest.mark.parametrize("question", TERM_QUESTIONS, ids=lambda q: q.path)
def test_help_for_a_defined_term_says_only_what_its_definition_says(question):
    definition = _definition_text(question.term)
    strays = _stems(question.describes) - _stems(definition)
    assert not strays, f"{question.path}: “{question.describes}” says {sorted(strays)}, which the definition does not"


def test_the_check_catches_help_that_narrows_a_definition():
    # The help the full fine-tune once had: "most" of the weights, while the definition counts any
    # change to them and adapters too.
    old_help = "further training that updates all or most of the weights"
    assert _stems(old_help) - _stems(_definition_text("Full Fine-Tune")) == {"most"}


def test_full_fine_tune_help_counts_adapters_as_the_definition_does():
    form_help = vocabulary.question("derivatives.fine_tune_full").form_help
    assert "adapters" in form_help and "low-rank" in form_help
    assert "most of the weights" not in form_help


def test_history_compare_and_why_use_the_same_words_for_an_answer():
    old = make_spec(**{"share_alike.trigger": "distribution", "license.open_source_claim": False})
    new = make_spec(**{"share_alike.trigger": "distribution_or_service", "license.open_source_claim": True})
    lines = [str(c) for c in diff.choice_words(old, new)]
    assert "Share-alike applies: on distribution → on distribution or network use" in lines
    assert "Described as open source: no → yes" in lines
    assert wizard.reason_words("share_alike.trigger", "distribution_or_service") == (
        "Share-alike applies",
        "on distribution or network use",
    )
    assert wizard.reason_words("license.open_source_claim", True) == ("Described as open source", "yes")
    conflict = dict((label, (mine, theirs)) for label, mine, theirs in wizard.differences(new, old))
    assert conflict["Share-alike applies"] == ("on distribution or network use", "on distribution")


def test_history_lines_read_as_words():
    unnamed = make_spec()
    del unnamed["license"]["name"]
    named = make_spec(**{"license.name": "Acme Open Model License"})
    assert summary_line(unnamed, named) == "License name set to “Acme Open Model License”"
    assert summary_line(named, unnamed) == "License name removed (was “Acme Open Model License”)"
    cured = make_spec(**{"terms.termination_cure_days": 0})
    assert summary_line(make_spec(**{"terms.termination_cure_days": 30}), cured) == (
        "Cure period before termination: 30 days → automatic"
    )


def test_the_prompts_element_and_modification_are_told_apart():
    assert vocabulary.label("elements.prompts") == "Prompts (element)"
    assert vocabulary.label("derivatives.prompts") == "Prompts (modification)"
    assert vocabulary.label("derivatives.distillation") == "Distillation"


def test_every_step_field_is_worded_by_the_vocabulary_and_every_question_is_asked():
    asked = set()
    for step in wizard.STEPS:
        if step.form is None:
            continue
        form = step.form(spec=specs.defaults())
        for name, field in form.fields.items():
            path = form.paths.get(name) or form.asks.get(name)
            question = vocabulary.question(path)
            assert question is not None, f"{step.slug}.{name}"
            assert (field.label, field.help_text, field.why) == (question.form_label, question.form_help, question.why)
            asked.add(path)
    assert asked == set(vocabulary.vocabulary().questions)


def test_the_engine_tables_read_the_vocabulary():
    assert specs.ELEMENTS["weights"] == ("Weights", vocabulary.question("elements.weights").describes)
    assert specs.POLICIES["share_alike_foundation"] == "share-alike for foundation derivatives"
    assert list(specs.MODIFICATIONS) == [
        p.split(".")[1] for p in vocabulary.vocabulary().questions if p.startswith("derivatives.")
    ]


def test_the_deed_and_the_badge_describe_answers_in_the_vocabularys_words():
    from licensebuilder.core.exports import build
    from licensebuilder.core.snippets import share_alike_kind

    trigger = vocabulary.question("share_alike.trigger").answers
    for value in ("distribution", "distribution_or_service"):
        result = build(make_spec(**{"derivatives.distillation": "share_alike", "share_alike.trigger": value}))
        assert f"under this license when you {trigger[value].deed}," in result.deed
    assert "- Pass on copies: **Yes** (redistribution is allowed)" in result.deed
    assert "- Run the model for any purpose: **Yes** (commercial use is allowed and no use is restricted)" in (
        result.deed
    )
    foundation = build(make_spec(**{f"derivatives.{k}": "share_alike_foundation" for k in specs.MODIFICATIONS}))
    assert share_alike_kind(foundation.summary) == specs.POLICIES["share_alike_foundation"]
