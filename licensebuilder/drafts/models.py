"""A draft is one licensor's spec in progress; its version counter guards against lost updates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


def _empty_dict() -> dict[str, Any]:
    return {}


def _empty_list() -> list[str]:
    return []


class Draft(models.Model):
    LINT_CHOICES = [
        ("incomplete", "Incomplete"),
        ("clean", "No warnings"),
        ("warnings", "Warnings"),
        ("errors", "Errors"),
        ("unknown", "Not checked"),
    ]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(max_length=200)
    # Always a spec that validates once the names still missing are filled with placeholders:
    # see wizard.complete(). What a licensor typed that does not validate lives in `pending`.
    spec = models.JSONField(default=_empty_dict)
    # Invalid step input kept until it is fixed: {step slug: {field name: [raw values]}}.
    pending = models.JSONField(default=_empty_dict, blank=True)
    # Steps whose answers have been saved and were valid.
    done = models.JSONField(default=_empty_list, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The editor (one page in one tab) that made the last saves, and the version its run of saves
    # started from: a save based on an older version is only accepted from that same editor.
    last_editor = models.CharField(max_length=32, blank=True, default="")
    editor_since = models.PositiveIntegerField(default=0)
    lint = models.CharField(max_length=12, choices=LINT_CHOICES, default="unknown")
    lint_count = models.PositiveIntegerField(default=0)
    lint_library = models.CharField(max_length=40, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-id"]
        indexes = [models.Index(fields=["owner", "-updated"])]

    def __str__(self) -> str:
        return self.title

    @property
    def model_name(self) -> str:
        return (self.spec.get("model") or {}).get("name") or ""

    @property
    def license_name(self) -> str:
        return (self.spec.get("license") or {}).get("name") or ""


class PdfCache(models.Model):
    """Rendered PDFs by content: the same license.json and paper always lay out the same PDF."""

    key = models.CharField(max_length=64, unique=True)  # sha256 of license.json and the paper size
    fingerprint = models.CharField(max_length=64)
    paper = models.CharField(max_length=10)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "cached PDF"

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} ({self.paper})"
