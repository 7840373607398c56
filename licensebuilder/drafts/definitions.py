"""The defined terms beside the wizard's questions: a question's help must not say other than the
license's definition does, so the definition itself, as the draft words it, is shown beside it."""

from __future__ import annotations

import re
from typing import Any

from licensebuilder.core import vocabulary
from licensebuilder.core.assemble import Document

# The questions whose answers a defined term of the license governs, by spec path. Which term
# governs which question is the `term:` of the question in clauses/questions.yaml.
QUESTION_TERMS: dict[str, str] = vocabulary.terms()
_SENTENCE_END = re.compile(r"[.:](?=\s|$)")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_TRAILING_LIST = re.compile(r",? (?:for example|including|such as|namely):$")


def first_sentence(body: str) -> str:
    """A definition's first sentence as plain text: “Term” means ... ."""
    paragraph = body.strip().split("\n\n", 1)[0]
    text = " ".join(_MD_ESCAPE.sub(r"\1", re.sub(r'"\*\*(.+?)\*\*"', r"“\1”", paragraph)).replace("**", "").split())
    end = _SENTENCE_END.search(text)
    sentence = text[: end.end()] if end else text
    if sentence.endswith(":"):
        # A definition that goes on with a list: its lead-in, closed, or marked as continuing.
        sentence = _TRAILING_LIST.sub(".", sentence)
        sentence = sentence if sentence.endswith(".") else sentence + " …"
    return sentence


def has_defined_questions(form: Any) -> bool:
    """Whether a defined term governs any question of ``form`` (only then is the license read)."""
    return any(getattr(field, "path", "") in QUESTION_TERMS for field in form.fields.values())


def attach_definitions(form: Any, doc: Document) -> None:
    """Give each field of ``form`` that a defined term governs the first sentence of its definition
    in ``doc`` (``field.definition``), as the license the licensor is drafting words it."""
    sentences = {term: first_sentence(c.body) for c in doc.clauses() for term in c.defines}
    for field in form.fields.values():
        term = QUESTION_TERMS.get(getattr(field, "path", ""))
        field.definition = sentences.get(term, "") if term else ""
