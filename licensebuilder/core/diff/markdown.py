"""The redline as Markdown-like text, marked the way ``git diff --word-diff`` marks words."""

from __future__ import annotations

from ..text import md_escape
from .choices import ChoiceChange
from .present import groups, heading, status_words, unchanged_note, where
from .redline import Redline

_MD_MARKS = {"equal": ("", ""), "insert": ("{+", "+}"), "delete": ("[-", "-]")}


def redline_markdown(red: Redline, choices: list[ChoiceChange], *, labels: tuple[str, str] | None = None) -> str:
    """The redline as Markdown-like text, marked the way ``git diff --word-diff`` marks words.

    Marking convention:
    - ``{+text+}`` was inserted, ``[-text-]`` was deleted; everything else is unchanged text;
    - an added clause is one insertion, a removed clause one deletion;
    - runs of unchanged clauses are collapsed into a line "N unchanged clauses (from-to)";
      a clause whose text differs only in the numbers of the sections it cites is unchanged;
    - numbers are those of the new license; removed clauses carry their old number;
    - the license text keeps its own Markdown (``**Defined Term**``, backslash escapes); names
      and answers in the title and the list of choices are escaped, so they stay text.
    """
    lines = [f"# Redline: {md_escape(heading(red, labels))}", ""]
    lines.append(
        "Marking: {+inserted+} · [-deleted-] · runs of unchanged clauses are collapsed. "
        "Inserted text is between {+ and +}, deleted text between [- and -]; "
        "everything else is unchanged."
    )
    lines += ["", "## Changes to the choices", ""]
    if not choices:
        lines.append("No answer changed.")
    for change in choices:
        affected = ", ".join(where(red, cid) for cid in change.clauses)
        lines.append(f"- {md_escape(str(change))}" + (f" (clauses: {affected})" if affected else ""))
    lines += ["", "## Changes to the text", ""]
    if not red.changed:
        lines += [f"No clause changed ({len(red.clauses())} unchanged clauses).", ""]
        return "\n".join(lines)
    for section in red.sections:
        suffix = f" — section {section.status}" if section.status != "present" else ""
        lines += [f"### {section.number}. {section.title}{suffix}", ""]
        for group in groups(section):
            if isinstance(group, list):
                lines += [f"_{unchanged_note(group)}_", ""]
                continue
            lines += [f"#### {group.number} {group.title} — {status_words(group)}", ""]
            body = "".join(f"{_MD_MARKS[op][0]}{text}{_MD_MARKS[op][1]}" for op, text in group.segments)
            lines += [body, ""]
    return "\n".join(lines)
