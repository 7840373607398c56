"""Revisions: a draft as it stood, recorded by every save that changes its answers, with bursts of
saves folded together so that the history reads as a list of meaningful steps.

The tables keep the names they were created with (``review_revision``, ``review_librarychoice``):
these models moved here from the review app so that the write path records its own revisions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from licensebuilder.core import diff
from licensebuilder.core.assemble import Document
from licensebuilder.core.library import LibraryError
from licensebuilder.core.spec import SpecError

from .builds import CachedBuild, build_answers

if TYPE_CHECKING:
    from .draft import Draft

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


class RevisionManager(models.Manager["Revision"]):
    def record(
        self, draft: Draft, author: Any, kind: str = "edit", *, name: str = "", summary: str = ""
    ) -> Revision | None:
        """Record the draft's current answers as a revision, folding an edit into the open revision
        of the same author's current burst. Returns the revision, or None when the answers did not
        change or cannot be rendered (a clause library problem: the draft itself is still saved)."""
        try:
            result = build_answers(draft.spec)
        except (LibraryError, SpecError):
            return None
        document, markdown = result.document.to_data(), result.markdown
        fingerprint, library_version = result.fingerprint, result.document.library_version
        now = timezone.now()
        author = author if getattr(author, "is_authenticated", False) else None
        with transaction.atomic():
            # Locks the draft row so two saves never take the same revision number.
            type(draft).objects.select_for_update().filter(pk=draft.pk).values_list("pk").first()
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
            return self.create(
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


class Revision(models.Model):
    """A draft as it stood: its answers and the exact text they produced with the clause library
    of the day. Only the newest revision of a burst of edits is still open (see ``record``);
    once closed, nothing about a revision changes except its name."""

    KIND_CHOICES = [
        ("created", "Created"),
        ("edit", "Edited"),
        ("import", "Imported"),
        ("duplicate", "Duplicated"),
        ("restore", "Restored"),
        ("upgrade", "Clause wording updated"),
    ]

    draft = models.ForeignKey("drafts.Draft", on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()  # 1, 2, 3 ... within the draft
    kind = models.CharField(max_length=12, choices=KIND_CHOICES, default="edit")
    spec = models.JSONField()
    document = models.JSONField()  # core Document.to_data(): the text as drafted
    markdown = models.TextField()  # canonical LICENSE.md
    fingerprint = models.CharField(max_length=64)
    library_version = models.CharField(max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=120, blank=True, default="")
    summary = models.CharField(max_length=300, blank=True, default="")  # one line: what changed
    created = models.DateTimeField(default=timezone.now)
    last_edit = models.DateTimeField(default=timezone.now)  # the last save folded into it

    objects = RevisionManager()

    class Meta:
        app_label = "drafts"
        db_table = "review_revision"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.draft} r{self.number}" + (f" “{self.name}”" if self.name else "")

    def comments_exist(self) -> bool:
        # Comments belong to the review app; the reverse relation is reached by its name only.
        return self.comments.exists()  # type: ignore[attr-defined]

    def text(self) -> Document:
        """The text exactly as the revision was drafted, whatever the clause library says today."""
        return Document.from_data(self.document)

    def build(self) -> CachedBuild:
        """Every output of the revision's kept text: nothing re-assembled, the stored Markdown as it
        is (so the fingerprint is the stored one), PDFs from the shared cache."""
        document = self.text()
        result = CachedBuild(document.spec)
        result.__dict__.update(document=document, markdown=self.markdown)
        return result


class LibraryChoice(models.Model):
    """What the owner decided when the clause library gained newer wording: keep the text a
    revision was drafted with (``kept``), or take the new wording (recorded as a new revision)."""

    draft = models.ForeignKey("drafts.Draft", on_delete=models.CASCADE, related_name="library_choices")
    library_version = models.CharField(max_length=40)  # the newer library the decision was about
    kept = models.BooleanField(default=True)
    # The revision whose text was kept: an edit after the decision makes a newer one, with new wording.
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "drafts"
        db_table = "review_librarychoice"
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["draft", "library_version"], name="review_libr_draft_i_c7f6a7_idx")]

    def __str__(self) -> str:
        return f"{self.draft}: {'kept' if self.kept else 'updated'} for library {self.library_version}"
