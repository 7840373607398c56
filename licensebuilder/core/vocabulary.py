"""The words of the site: every question the wizard asks, what each answer is called, its help
and its "why", read from ``clauses/questions.yaml``. Forms, History, the compare page, "Why is
this here?", the conflict table and the deed all take their words from here, so one answer is
described the same way everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .library import CLAUSES_DIR, LibraryError, default_library

VOCABULARY_FILE = "questions.yaml"
NOT_GIVEN = "not given"
NONE = "none"


@dataclass(frozen=True)
class Answer:
    value: Any
    label: str  # as a choice on the form: "Share-alike for foundation derivatives"
    words: str  # in a sentence about the answer: "share-alike for foundation derivatives"
    help: str = ""
    short: str = ""
    deed: str = ""  # how the deed words it, where a sentence there needs other words


@dataclass(frozen=True)
class Question:
    path: str
    label: str
    ask: str = ""
    describes: str = ""
    term: str = ""
    help: str = ""
    why: str = ""
    unit: str = ""
    answers: dict[Any, Answer] = field(default_factory=dict)

    @property
    def form_label(self) -> str:
        return self.ask or self.label

    @property
    def form_help(self) -> str:
        """The hint under the field: what the thing asked about is, then the short help."""
        parts = [_sentence(self.describes) if self.describes else "", self.help]
        return " ".join(p for p in parts if p)

    def choices(self) -> list[tuple[Any, str]]:
        return [(a.value, a.label) for a in self.answers.values()]

    def choice_help(self) -> dict[str, str]:
        return {str(a.value): a.help for a in self.answers.values() if a.help}


@dataclass(frozen=True)
class Vocabulary:
    sections: dict[str, str]
    kinds: dict[str, str]
    questions: dict[str, Question]


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _answers(spec: Any, sets: dict[str, Any]) -> dict[Any, Answer]:
    if isinstance(spec, str):
        spec = sets[spec]
    out = {}
    for value, words in (spec or {}).items():
        if isinstance(words, dict):
            out[value] = Answer(value, str(words.get("label", words["words"])), words["words"], words.get("help", ""),
                                words.get("short", ""), words.get("deed", ""))  # fmt: skip
        else:
            out[value] = Answer(value, str(words), str(words))
    return out


def load(path: Path) -> Vocabulary:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LibraryError(f"{path}: {exc}") from None
    sets = data.get("answer_sets", {})
    questions = {}
    for qpath, q in data["questions"].items():
        known = {k: q[k] for k in ("label", "ask", "describes", "term", "help", "why", "unit") if k in q}
        questions[qpath] = Question(path=qpath, answers=_answers(q.get("answers"), sets), **known)
    return Vocabulary(sections=data["sections"], kinds=data.get("kinds", {}), questions=questions)


@cache
def vocabulary() -> Vocabulary:
    return load(CLAUSES_DIR / VOCABULARY_FILE)


def question(path: str) -> Question | None:
    return vocabulary().questions.get(path)


def questions_under(section: str) -> dict[str, Question]:
    """The questions of one section (``elements``, ``derivatives``...) by key, in file order."""
    prefix = section + "."
    return {p.removeprefix(prefix): q for p, q in vocabulary().questions.items() if p.startswith(prefix)}


@cache
def _shared_labels() -> frozenset[str]:
    seen: dict[str, int] = {}
    for q in vocabulary().questions.values():
        seen[q.label] = seen.get(q.label, 0) + 1
    return frozenset(label for label, n in seen.items() if n > 1)


def label(path: str) -> str:
    """What the answer at ``path`` is called. Two questions with the same label (the prompts as an
    element and as a modification) are told apart by their kind: "Prompts (modification)"."""
    path = path.removesuffix("[]")
    q = question(path)
    if q is None:
        return vocabulary().sections.get(path.split(".", 1)[0], path)
    if q.label in _shared_labels():
        kind = vocabulary().kinds.get(path.split(".", 1)[0])
        if kind:
            return f"{q.label} ({kind})"
    return q.label


def quote(text: str, limit: int = 80) -> str:
    text = re.sub(r"\s+", " ", text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"“{text}”"


def restriction_title(rid: str) -> str:
    try:
        restriction = default_library().restrictions.get(rid)
    except LibraryError:
        restriction = None
    return restriction.title if restriction else rid.replace("_", " ").capitalize()


def item_words(path: str, item: Any) -> str:
    """One item of a list answer, quoted."""
    path = path.removesuffix("[]")
    if isinstance(item, dict):
        return quote(str(item.get("text", "")))
    if path == "use.restrictions":
        return quote(restriction_title(str(item)))
    if path == "share_alike.release":
        element = question(f"elements.{item}")
        return quote(element.label if element else str(item))
    return quote(str(item))


def words(path: str, value: Any) -> str:
    """An answer as a reader would say it: "share-alike", "allowed", "30 days", “Acme-7B”."""
    path = path.removesuffix("[]")
    if value is None or value == "":
        return NOT_GIVEN
    if isinstance(value, list):
        return ", ".join(item_words(path, v) for v in value) or NONE
    if isinstance(value, dict):
        return item_words(path, value)
    q = question(path)
    if q is not None and not isinstance(value, list | dict):
        for key, answer in q.answers.items():
            if key == value and type(key) is type(value):
                return answer.words
    if isinstance(value, bool):
        return "yes" if value else "no"
    if q is not None and q.unit and isinstance(value, int):
        return f"{value} {q.unit}" + ("" if value == 1 else "s")
    if isinstance(value, str):
        return quote(value)
    return str(value)


def deed_words(path: str, value: Any) -> str:
    """An answer as the deed words it: its ``deed`` form where the yaml gives one, else its words."""
    q = question(path)
    for key, answer in (q.answers if q is not None else {}).items():
        if key == value and type(key) is type(value) and answer.deed:
            return answer.deed
    return words(path, value)


def change_line(label_text: str, old: str, new: str, action: str = "") -> str:
    """A change of one answer as a sentence: “License name set to “Acme…””, “Distillation:
    share-alike → prohibited”, “Use restrictions: added “Weapons””."""
    if action:
        return f"{label_text}: {action}"
    if old in (NOT_GIVEN, NONE):
        return f"{label_text} set to {new}"
    if new in (NOT_GIVEN, NONE):
        return f"{label_text} removed (was {old})"
    return f"{label_text}: {old} → {new}"


# -- the tables the engine reads (spec.ELEMENTS, spec.MODIFICATIONS ...) ---------------------------


def described(section: str) -> dict[str, tuple[str, str]]:
    """{key: (label, description)} of a section's questions, e.g. the elements of a model."""
    return {key: (q.label, q.describes) for key, q in questions_under(section).items()}


def terms(section: str = "") -> dict[str, str]:
    """{question: defined term} of the questions whose answer a defined term of the license
    governs (their ``term:``), by spec path, or by key within ``section`` when one is given."""
    if section:
        return {key: q.term for key, q in questions_under(section).items() if q.term}
    return {path: q.term for path, q in vocabulary().questions.items() if q.term}


def answer_words(section: str) -> dict[str, str]:
    """{value: words} of the answers every question of a section shares, e.g. the policies."""
    first = next(iter(questions_under(section).values()))
    return {str(a.value): a.words for a in first.answers.values()}
