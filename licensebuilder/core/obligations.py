"""The licensee's question, "may I do this, and what do I owe?", answered from the rules model.

This module adds no legal meaning of its own: :func:`licensebuilder.core.rules.rules_for` decides,
from the clauses assembled for the license, and this module states that answer in the shape that
``manage.py license obligations`` prints and the web page shows::

    {"permitted": "yes" | "no" | "uncertain",
     "duties": [{"kind": K, "elements": [...], "clause": "6.2", "quote": "..."}],
     "reasons": [{"clause": "...", "quote": "..."}]}

``elements`` appears on duties that name elements (``release_elements``). An uncertain answer also
carries ``depends_on`` (what decides it, in words) and, where the answer turns on the kind of
result, ``alternatives`` (the answer for each kind); a duty that arises only in some cases carries
``provided`` (the fact it turns on).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .assemble import Document
from .rules import Answer, Duty, Source, rules_for
from .rules_format import MODES, MODIFICATION_KINDS, PROVISOS, RESULTS

USES = MODES
NONE = "none"
_PERMITTED = {"yes": "yes", "no": "no", "depends": "uncertain"}
DISCLAIMER = "This is information about the license's text, not legal advice."


class QuestionError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class Question:
    modification: str | None  # None: the model as released, unmodified
    result: str | None  # foundation | narrow | None (not known)
    use: str
    commercial: bool = False


def ask(modification: str | None, result: str | None, use: str | None, commercial: bool = False) -> Question:
    """A question from raw values, checked; a QuestionError names the first value that is wrong."""
    mod = None if modification in (None, "", NONE) else modification
    if mod is not None and mod not in MODIFICATION_KINDS:
        raise QuestionError("modification", f"{modification!r} is not one of {NONE}, {', '.join(MODIFICATION_KINDS)}")
    if result in ("", None):
        result = None
    elif result not in RESULTS:
        raise QuestionError("result", f"{result!r} is not one of {', '.join(RESULTS)}")
    elif mod is None:
        raise QuestionError("result", "applies only to a modification; the model as released has no result kind")
    if not use:
        raise QuestionError("use", f"say how the model is used: one of {', '.join(USES)}")
    if use not in USES:
        raise QuestionError("use", f"{use!r} is not one of {', '.join(USES)}")
    return Question(mod, result, use, bool(commercial))


def _cite(source: Source) -> dict[str, str]:
    return {"clause": source.number, "quote": source.quote}


def _duty(duty: Duty) -> dict[str, Any]:
    first = duty.sources[0]
    out: dict[str, Any] = {"kind": duty.kind}
    if duty.elements:
        out["elements"] = list(duty.elements)
    out.update(_cite(first))
    if duty.provided:
        out["provided"] = PROVISOS[duty.provided]
    return out


def _data(answer: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {
        "permitted": _PERMITTED[answer.permitted],
        "duties": [_duty(d) for d in answer.duties],
        "reasons": [_cite(s) for s in dict.fromkeys(answer.reasons)],
    }
    if answer.depends_on:
        out["depends_on"] = answer.depends_on
    if answer.alternatives:
        out["alternatives"] = {key: _data(alt) for key, alt in answer.alternatives.items()}
    return out


def obligations(doc: Document, question: Question) -> dict[str, Any]:
    """The answer to ``question`` under the license ``doc``, as data."""
    answer = rules_for(doc).answer(question.modification, question.result, question.use, question.commercial)
    return _data(answer)


# -- as text, for a terminal ----------------------------------------------------------------

_VERDICT = {
    "yes": "Permitted.",
    "no": "Not permitted.",
    "uncertain": "It depends.",
}


def _duty_line(duty: dict[str, Any]) -> str:
    elements = f" ({', '.join(duty['elements'])})" if duty.get("elements") else ""
    provided = f" [only depending on {duty['provided']}]" if duty.get("provided") else ""
    return f'  - {duty["kind"]}{elements}{provided}: section {duty["clause"]}: "{duty["quote"]}"'


def _text_lines(data: dict[str, Any], indent: str = "") -> list[str]:
    lines = [indent + _VERDICT[data["permitted"]]]
    if data.get("depends_on"):
        lines.append(f"{indent}It turns on {data['depends_on']}.")
    if data["duties"]:
        lines.append(indent + ("Duties in every case:" if data.get("alternatives") else "Duties:"))
        lines += [indent + _duty_line(d) for d in data["duties"]]
    elif data["permitted"] != "no":
        lines.append(indent + "No duties.")
    if data["reasons"]:
        lines.append(indent + "Because:")
        lines += [f'{indent}  - section {r["clause"]}: "{r["quote"]}"' for r in data["reasons"]]
    for key, alternative in (data.get("alternatives") or {}).items():
        lines.append(f"{indent}If it is a {key.capitalize()} Derivative:")
        lines += _text_lines(alternative, indent + "    ")
    return lines


def render_text(data: dict[str, Any]) -> str:
    return "\n".join([*_text_lines(data), "", DISCLAIMER]) + "\n"
