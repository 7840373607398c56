"""Recording revisions: every save that changes a draft's answers, with bursts of saves folded
together so that the history reads as a list of meaningful steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from licensebuilder.core import diff
from licensebuilder.core.assemble import Document
from licensebuilder.core.exports import Build
from licensebuilder.core.library import LibraryError
from licensebuilder.core.spec import SpecError
from licensebuilder.drafts import outputs
from licensebuilder.drafts.forms import complete
from licensebuilder.drafts.models import Draft

from .models import LibraryChoice, Revision

# Saves by the same person within this long of a revision's first save are folded into it.
COALESCE_WINDOW = timedelta(seconds=60)
_SUMMARY_ITEMS = 3


def summary_line(old_spec: dict[str, Any] | None, new_spec: dict[str, Any]) -> str:
    """One line saying what changed: the first few answers, then how many more."""
    if old_spec is None:
        return ""
    changes = [str(c) for c in diff.choice_words(old_spec, new_spec)]
    if not changes:
        return "No change to the answers"
    line = "; ".join(changes[:_SUMMARY_ITEMS])
    if len(changes) > _SUMMARY_ITEMS:
        line += f"; and {len(changes) - _SUMMARY_ITEMS} more"
    return line[:300]


def _rendered(spec: dict[str, Any]) -> tuple[dict[str, Any], str, str, str]:
    result = outputs.build(complete(spec))
    return result.document.to_data(), result.markdown, result.fingerprint, result.document.library_version


def record(draft: Draft, author: Any, kind: str = "edit", *, name: str = "", summary: str = "") -> Revision | None:
    """Record the draft's current answers as a revision, folding an edit into the open revision
    of the same author's current burst. Returns the revision, or None when the answers did not
    change or cannot be rendered (a clause library problem: the draft itself is still saved)."""
    try:
        document, markdown, fingerprint, library_version = _rendered(draft.spec)
    except (LibraryError, SpecError):
        return None
    now = timezone.now()
    author = author if getattr(author, "is_authenticated", False) else None
    with transaction.atomic():
        # Locks the draft row so two saves never take the same revision number.
        Draft.objects.select_for_update().filter(pk=draft.pk).values_list("pk").first()
        latest = draft.revisions.order_by("-number").first()
        if latest is not None and latest.spec == draft.spec and kind == "edit":
            return None
        if (
            kind == "edit"
            and latest is not None
            and latest.kind == "edit"
            and not latest.name
            and latest.author_id == (author.pk if author else None)
            and latest.library_version == library_version
            and now - latest.created < COALESCE_WINDOW
            and not latest.comments_exist()
        ):
            before = draft.revisions.filter(number__lt=latest.number).order_by("-number").first()
            if before is not None and before.spec == draft.spec:
                latest.delete()  # edited back to where the burst began: nothing to record
                return before
            latest.spec, latest.document, latest.markdown = draft.spec, document, markdown
            latest.fingerprint, latest.library_version, latest.last_edit = fingerprint, library_version, now
            latest.summary = summary_line(before.spec if before else None, draft.spec)
            latest.save()
            return latest
        return Revision.objects.create(
            draft=draft,
            number=(latest.number + 1) if latest else 1,
            kind=kind,
            spec=draft.spec,
            document=document,
            markdown=markdown,
            fingerprint=fingerprint,
            library_version=library_version,
            author=author,
            name=name[:120],
            summary=(summary or summary_line(latest.spec if latest else None, draft.spec))[:300],
            created=now,
            last_edit=now,
        )


def document_of(revision: Revision) -> Document:
    """The text exactly as the revision was drafted, whatever the clause library says today."""
    return Document.from_data(revision.document)


def build_of(revision: Revision) -> Build:
    """Every output of the revision's kept text: nothing re-assembled, the stored Markdown as it
    is (so the fingerprint is the stored one), PDFs from the shared cache."""
    document = document_of(revision)
    result = outputs.CachedBuild(document.spec)
    result.__dict__.update(document=document, markdown=revision.markdown)
    return result


def ensure_revision(draft: Draft) -> Revision | None:
    """The newest revision, recording the first one for a draft made before revisions existed."""
    return draft.revisions.order_by("-number").first() or record(draft, draft.owner, "created")


# -- clause-library upgrades -------------------------------------------------------------------


@dataclass
class Upgrade:
    """The newest revision's kept text against the same answers worded by today's library."""

    revision: Revision
    library_version: str  # today's
    redline: diff.Redline
    kept: bool  # the owner chose to keep the wording they have

    @property
    def count(self) -> int:
        return sum(1 for c in self.redline.clauses() if c.status != "unchanged")


def _kept_choice(draft: Draft, revision: Revision, library_version: str) -> bool:
    return LibraryChoice.objects.filter(
        draft=draft, library_version=library_version, kept=True, revision=revision
    ).exists()


def library_upgrade(draft: Draft) -> Upgrade | None:
    """What today's clause library would change in the newest revision's text; None when that text
    was drafted with today's library, or today's library cannot word these answers."""
    current = outputs.library_version()
    latest = draft.revisions.order_by("-number").first()
    if not current or latest is None or latest.library_version == current:
        return None
    try:
        today = outputs.build(complete(latest.spec)).document
    except (LibraryError, SpecError):
        return None
    red = diff.redline(document_of(latest), today)
    return Upgrade(latest, current, red, _kept_choice(draft, latest, current))


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
    revision = record(draft, author, "upgrade", summary=f"Clause wording updated to library {upgrade.library_version}")
    if revision is not None:
        LibraryChoice.objects.create(
            draft=draft, library_version=upgrade.library_version, kept=False, revision=revision
        )
    return revision


def _kept_revision(draft: Draft) -> Revision | None:
    current = outputs.library_version()
    latest = draft.revisions.order_by("-number").first()
    if not current or latest is None or latest.library_version == current or latest.spec != draft.spec:
        return None
    return latest if _kept_choice(draft, latest, current) else None


def kept_document(draft: Draft) -> Document | None:
    """The text the owner chose to keep over today's clause library, while the answers have not
    changed since; None when the draft's text is simply today's."""
    revision = _kept_revision(draft)
    return document_of(revision) if revision is not None else None


def kept_build(draft: Draft) -> Build | None:
    """Every output of ``kept_document``'s text, for the draft's own exports; or None."""
    revision = _kept_revision(draft)
    return build_of(revision) if revision is not None else None
