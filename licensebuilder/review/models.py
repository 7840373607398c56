"""What legal review works on: share links for reviewers and comments. The revisions they refer
to are recorded by the drafts app's write path."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.utils import timezone

from licensebuilder.drafts.models import Draft, Revision

log = logging.getLogger(__name__)

# How long the last use of a share link is remembered.
LAST_USE_DAYS = 90


class ShareLink(models.Model):
    """A read-only link for a reviewer without an account. Only a hash of the token is stored.

    When it was last used is kept in the shared cache, not in its row: reading a draft through a
    link writes nothing to the database (no writes on GET), and the owner's "last used" is a hint
    of activity, which a cache that every web node shares keeps well enough."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="share_links")
    label = models.CharField(max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 hex of the token
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.draft})"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked is None and (self.expires is None or self.expires > now)

    @property
    def _use_key(self) -> str:
        # The token's hash names the link for good: a row id may come back after a rollback.
        return f"share-link-used:{self.token_hash}"

    def note_use(self, now: datetime) -> None:
        """Remember that the link was used ``now``."""
        try:
            cache.set(self._use_key, now.timestamp(), timeout=LAST_USE_DAYS * 86400)
        except Exception as exc:  # a cache that is down must not keep a reviewer from reading
            log.warning("last use of share link %s not noted: %s", self.pk, exc)

    @staticmethod
    def last_uses(links: Iterable[ShareLink]) -> dict[int, datetime]:
        """When each of ``links`` was last used, for those used in the last LAST_USE_DAYS days."""
        keys = {link._use_key: link.pk for link in links}
        try:
            found = cache.get_many(list(keys))
        except Exception as exc:  # the page still lists the links, without their last use
            log.warning("last uses of share links not read: %s", exc)
            return {}
        return {keys[key]: datetime.fromtimestamp(stamp, UTC) for key, stamp in found.items()}


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
