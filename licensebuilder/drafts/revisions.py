"""A draft's revisions beyond recording them (that is the write path's, in ``models``): the newest
one for a comment to point at, and what to do when the clause library gains newer wording."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from licensebuilder.core import diff
from licensebuilder.core.assemble import Document
from licensebuilder.core.exports import Build
from licensebuilder.core.library import LibraryError
from licensebuilder.core.spec import SpecError

from .models import Draft, LibraryChoice, Revision
from .models.builds import build_answers, library_version


def ensure_revision(draft: Draft) -> Revision | None:
    """The newest revision, recording one if the draft has none (its answers could not be worded
    when it was started): for a write that must point at a revision, a comment. Pages only read."""
    return draft.revisions.order_by("-number").first() or draft.record_revision(draft.owner, "created")


@dataclass(frozen=True)
class NewerClause:
    """A clause of the draft's text that today's library words anew: its version then and now
    (None where the clause is new to the text, or no longer in it)."""

    id: str
    number: str
    title: str
    old_version: int | None
    new_version: int | None


@dataclass
class Upgrade:
    """The newest revision's kept text against the same answers worded by today's library."""

    revision: Revision
    library_version: str  # today's
    redline: diff.Redline
    kept: bool  # the owner chose to keep the wording they have
    newer: tuple[NewerClause, ...] = ()

    @property
    def count(self) -> int:
        return len(self.newer)


def _kept_choice(draft: Draft, revision: Revision, version: str) -> bool:
    return LibraryChoice.objects.filter(draft=draft, library_version=version, kept=True, revision=revision).exists()


def newer_clauses(red: diff.Redline) -> tuple[NewerClause, ...]:
    """The clauses whose wording today's library changed, judged clause by clause: a clause counts
    when its version (or variant) differs from the one the text was drafted with, or when the
    library added or dropped it for these answers, and its text for this draft really differs.
    A clause renumbered only because another one came or went is not newer wording."""
    out = []
    for c in red.clauses():
        if c.status == "unchanged":
            continue
        old, new = c.old, c.new
        if old is not None and new is not None and old.variant == new.variant and new.version <= old.version:
            continue  # the answers or the numbering moved it, not newer wording
        out.append(NewerClause(c.id, c.number, c.title, old.version if old else None, new.version if new else None))
    return tuple(out)


def _newest_worded_by_another_library(draft: Draft, current: str) -> Revision | None:
    """The draft's newest revision if an earlier clause library worded it; None in the usual case,
    told from its library version alone, without loading the revision's text."""
    newest = draft.revisions.order_by("-number")
    version = newest.values_list("library_version", flat=True).first()
    if not current or version is None or version == current:
        return None
    return newest.first()


def library_upgrade(draft: Draft) -> Upgrade | None:
    """What today's clause library would change in the newest revision's text, clause by clause;
    None when no clause of that text has newer wording, or today's library cannot word these
    answers."""
    current = library_version()
    latest = _newest_worded_by_another_library(draft, current)
    if latest is None:
        return None
    try:
        today = build_answers(latest.spec).document
    except (LibraryError, SpecError):
        return None
    red = diff.redline(latest.text(), today)
    newer = newer_clauses(red)
    if not newer:
        return None
    return Upgrade(latest, current, red, _kept_choice(draft, latest, current), newer)


def upgrade_notice(draft: Draft) -> int:
    """How many clauses have newer wording, for the banner: 0 when none, or when the owner chose
    to keep the wording they have for today's library."""
    upgrade = library_upgrade(draft)
    return 0 if upgrade is None or upgrade.kept else upgrade.count


def keep_wording(draft: Draft, upgrade: Upgrade) -> LibraryChoice:
    return LibraryChoice.objects.create(
        draft=draft, library_version=upgrade.library_version, kept=True, revision=upgrade.revision
    )


def accept_wording(draft: Draft, upgrade: Upgrade, author: Any) -> Revision | None:
    """Record the draft's answers worded by today's library as a new revision."""
    summary = f"Clause wording updated to library {upgrade.library_version}"
    revision = draft.record_revision(author, "upgrade", summary=summary)
    if revision is not None:
        LibraryChoice.objects.create(
            draft=draft, library_version=upgrade.library_version, kept=False, revision=revision
        )
    return revision


def _kept_revision(draft: Draft) -> Revision | None:
    current = library_version()
    latest = _newest_worded_by_another_library(draft, current)
    if latest is None or latest.spec != draft.spec:
        return None
    return latest if _kept_choice(draft, latest, current) else None


def kept_document(draft: Draft) -> Document | None:
    """The text the owner chose to keep over today's clause library, while the answers have not
    changed since; None when the draft's text is simply today's."""
    revision = _kept_revision(draft)
    return revision.text() if revision is not None else None


def kept_build(draft: Draft) -> Build | None:
    """Every output of ``kept_document``'s text, for the draft's own exports; or None."""
    revision = _kept_revision(draft)
    return revision.build() if revision is not None else None


def export_build(draft: Draft) -> Build:
    """What the draft exports: the kept text if the owner chose to keep it, else today's."""
    return kept_build(draft) or draft.build()
