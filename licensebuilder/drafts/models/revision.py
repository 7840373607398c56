"""Revisions: a draft as it stood, recorded by every save that changes its answers, with bursts of
saves folded together so that the history reads as a list of meaningful steps.

The tables keep the names they were created with (``review_revision``, ``review_librarychoice``):
these models moved here from the review app so that the write path records its own revisions.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from licensebuilder.core import diff
from licensebuilder.core.assemble import Document
from licensebuilder.core.exports import build_document

from .builds import CachedBuild

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


class Revision(models.Model):
    """A draft as it stood: its answers and the exact text they produced with the clause library
    of the day. Only the newest revision of a burst of edits is still open (see
    ``Draft.record_revision``);
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

    class Meta:
        app_label = "drafts"
        db_table = "review_revision"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.draft} r{self.number}" + (f" “{self.name}”" if self.name else "")

    def comments_exist(self) -> bool:
        # Comments belong to the review app; the reverse relation is reached by its name only.
        return self.comments.exists()

    def text(self) -> Document:
        """The text exactly as the revision was drafted, whatever the clause library says today."""
        return Document.from_data(self.document)

    def build(self) -> CachedBuild:
        """Every output of the revision's kept text: nothing re-assembled, the stored Markdown as it
        is (so the fingerprint is the stored one), PDFs from the shared cache."""
        return build_document(self.text(), kind=CachedBuild, markdown=self.markdown)


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
