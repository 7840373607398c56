"""What legal review works on: revisions that never change, share links for reviewers, comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from licensebuilder.drafts.models import Draft


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

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
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
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.draft} r{self.number}" + (f" “{self.name}”" if self.name else "")

    def comments_exist(self) -> bool:
        return self.comments.exists()


class ShareLink(models.Model):
    """A read-only link for a reviewer without an account. Only a hash of the token is stored."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the token
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.draft})"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked is None and (self.expires is None or self.expires > now)


class Comment(models.Model):
    """A remark on one clause of a draft, by its owner or by a reviewer holding a share link."""

    MAX_LENGTH = 2000

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    clause_id = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    link = models.ForeignKey(ShareLink, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    name = models.CharField(max_length=80)  # as typed by a reviewer, or the owner's username
    body = models.TextField(max_length=MAX_LENGTH)
    created = models.DateTimeField(default=timezone.now)
    resolved = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["draft", "clause_id"])]

    def __str__(self) -> str:
        return f"{self.name} on {self.clause_id}"


class LibraryChoice(models.Model):
    """What the owner decided when the clause library gained newer wording: keep the text a
    revision was drafted with (``kept``), or take the new wording (recorded as a new revision)."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="library_choices")
    library_version = models.CharField(max_length=40)  # the newer library the decision was about
    kept = models.BooleanField(default=True)
    # The revision whose text was kept: an edit after the decision makes a newer one, with new wording.
    revision = models.ForeignKey(Revision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["draft", "library_version"])]

    def __str__(self) -> str:
        return f"{self.draft}: {'kept' if self.kept else 'updated'} for library {self.library_version}"
