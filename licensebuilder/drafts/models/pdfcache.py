"""Rendered PDFs, stored by content (see ``renders``)."""

from __future__ import annotations

from django.db import models


class PdfCache(models.Model):
    """Rendered PDFs by content: the same license.json and paper always lay out the same PDF.
    Written by the render workers alone; without the queue, PDFs are kept in a cache instead."""

    key = models.CharField(max_length=64, unique=True)  # sha256 of license.json and the paper size
    fingerprint = models.CharField(max_length=64)
    paper = models.CharField(max_length=10)
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "drafts"
        verbose_name = "cached PDF"

    def __str__(self) -> str:
        return f"{self.fingerprint[:12]} ({self.paper})"
