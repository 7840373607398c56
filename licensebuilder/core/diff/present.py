"""What every rendering of a redline says in words: headings, statuses, runs of unchanged clauses."""

from __future__ import annotations

from .redline import Redline, RedlineClause, RedlineSection


def where(red: Redline, cid: str) -> str:
    clause = red.clause(cid)
    return f"{clause.number} {clause.title}" if clause else cid


def status_words(c: RedlineClause) -> str:
    if c.status == "moved":
        return f"moved from {c.old.number}" if c.old else "moved"
    if c.status == "removed":
        return "removed"
    if c.status == "changed" and c.old and c.new and c.old.title != c.new.title:
        return f"changed (was “{c.old.title}”)"
    return c.status


def unchanged_note(run: list[RedlineClause]) -> str:
    span = run[0].number if len(run) == 1 else f"{run[0].number}–{run[-1].number}"
    return f"{len(run)} unchanged clause{'' if len(run) == 1 else 's'} ({span})"


def groups(section: RedlineSection) -> list[RedlineClause | list[RedlineClause]]:
    """Clauses of a section with runs of unchanged clauses collapsed into lists."""
    out: list[RedlineClause | list[RedlineClause]] = []
    for clause in section.clauses:
        if clause.status == "unchanged":
            if out and isinstance(out[-1], list):
                out[-1].append(clause)
            else:
                out.append([clause])
        else:
            out.append(clause)
    return out


def heading(red: Redline, labels: tuple[str, str] | None = None) -> str:
    """What is compared with what: the licenses, and where each text comes from when known."""
    old, new = f"{red.old.title} {red.old.version}", f"{red.new.title} {red.new.version}"
    if labels is None:
        return f"{old} → {new}"
    if old == new:
        return f"{new}: {labels[0]} → {labels[1]}"
    return f"{old} ({labels[0]}) → {new} ({labels[1]})"
