"""What legal review works on: share links for reviewers and comments. The revisions they refer
to are recorded by the drafts app's write path."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from licensebuilder.drafts.models import Draft, Revision


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

    # Set on top-level comments by ``comments.threads_for``: the replies in their thread.
    thread_replies: list[Comment]

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
