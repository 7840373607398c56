"""Recording revisions: every save that changes a draft's answers, with bursts of saves folded
together so that the history reads as a list of meaningful steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from licensebuilder.core import diff
from licensebuilder.core.assemble import Document
from licensebuilder.core.exports import Build, build_document
from licensebuilder.core.library import LibraryError
from licensebuilder.core.spec import SpecError
from licensebuilder.drafts import outputs
from licensebuilder.drafts.forms import complete
from licensebuilder.drafts.models import Draft

from .models import Revision

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


def record(
    draft: Draft, author: Any, kind: str = "edit", *, name: str = "", summary: str = ""
) -> Revision | None:
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
    return build_document(document_of(revision))


def ensure_revision(draft: Draft) -> Revision | None:
    """The newest revision, recording the first one for a draft made before revisions existed."""
    return draft.revisions.order_by("-number").first() or record(draft, draft.owner, "created")
