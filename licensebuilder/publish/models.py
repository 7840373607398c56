"""Published licenses: a public name (the slug) and the versions published under it.

A published version keeps everything its page and downloads show (the assembled document, the
Markdown, its fingerprint and license.json) so that nothing done to the draft later, and no new
wording in the clause library, changes it. A withdrawn version keeps its row, so that its URL
answers 410 and is never given to anything else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from licensebuilder.core.assemble import Document
from licensebuilder.core.exports import Build, build_document
from licensebuilder.drafts.models import Draft
from licensebuilder.drafts.models.builds import CachedBuild

MAX_SLUG = 60
_VERSION_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_+")


class PublishError(ValueError):
    """Why a draft cannot be published, in words for its owner; ``field`` names what to change."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def base_slug(name: str) -> str:
    return slugify(name)[:MAX_SLUG].strip("-") or "license"


def check_version(version: str) -> None:
    if not version or len(version) > 40 or not set(version) <= _VERSION_CHARS or version.strip(".") != version:
        raise PublishError(
            "license.version",
            f"the version {version!r} cannot be part of a web address: use letters, digits, dots and "
            "hyphens, for example 1.0",
        )


class PublishedLicense(models.Model):
    """One public name, /l/<slug>/: held by one owner for every version they publish under it."""

    slug = models.SlugField(max_length=MAX_SLUG + 8, unique=True)
    base = models.SlugField(max_length=MAX_SLUG)  # the slug of the license name, before any suffix
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="published_licenses")
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "base"], name="one_public_name_per_owner_and_name")]

    def __str__(self) -> str:
        return self.slug

    def newest(self) -> Publication | None:
        return self.versions.filter(withdrawn__isnull=True).order_by("-published").first()

    @classmethod
    def for_owner(cls, owner: Any, name: str) -> PublishedLicense:
        """The owner's public name for licenses called ``name``; a new one, suffixed when the plain
        slug is someone else's."""
        base = base_slug(name)
        found = cls.objects.filter(owner=owner, base=base).first()
        if found:
            return found
        for n in range(1, 1000):
            slug = base if n == 1 else f"{base}-{n}"
            if cls.objects.filter(slug=slug).exists():
                continue
            try:
                with transaction.atomic():
                    return cls.objects.create(slug=slug, base=base, owner=owner)
            except IntegrityError:
                continue  # taken between the check and the insert
        raise PublishError("license.name", "too many licenses are published under this name; rename it")


class Publication(models.Model):
    license = models.ForeignKey(PublishedLicense, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=40)
    draft = models.ForeignKey(Draft, null=True, blank=True, on_delete=models.SET_NULL, related_name="publications")
    spec = models.JSONField()
    document = models.JSONField()  # core Document.to_data(): the text exactly as published
    markdown = models.TextField()
    fingerprint = models.CharField(max_length=64)
    license_json = models.TextField()
    published = models.DateTimeField(default=timezone.now)
    withdrawn = models.DateTimeField(null=True, blank=True)
    withdrawn_note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-published"]
        constraints = [models.UniqueConstraint(fields=["license", "version"], name="one_publication_per_version")]

    def __str__(self) -> str:
        return f"{self.license.slug} {self.version}"

    def get_absolute_url(self) -> str:
        return f"/l/{self.license.slug}/{self.version}/"

    @property
    def name(self) -> str:
        return self.spec["license"]["name"]

    def as_document(self) -> Document:
        return Document.from_data(self.document)

    def build(self, permalink: str | None = None) -> Build:
        """Every output of the text as published; nothing is assembled again."""
        # PDFs, the bundle's too, from the app's PDF store.
        return build_document(
            self.as_document(), permalink, kind=CachedBuild, markdown=self.markdown, json=self.license_json
        )

    @classmethod
    def publish(cls, draft: Draft, result: Build, owner: Any) -> Publication:
        """Publish ``result`` (the draft's text as it stands) under the owner's public name."""
        spec = result.spec
        version = spec["license"]["version"]
        check_version(version)
        public = PublishedLicense.for_owner(owner, spec["license"]["name"])
        existing = cls.objects.filter(license=public, version=version).first()
        if existing:
            state = "was published and withdrawn" if existing.withdrawn else "is already published"
            raise PublishError(
                "license.version",
                f"version {version} of this license {state} at {existing.get_absolute_url()}; a published "
                "version never changes: give the license a new version to publish it again",
            )
        try:
            with transaction.atomic():
                return cls.objects.create(
                    license=public,
                    version=version,
                    draft=draft,
                    spec=spec,
                    document=result.document.to_data(),
                    markdown=result.markdown,
                    fingerprint=result.fingerprint,
                    license_json=result.json,
                )
        except IntegrityError:
            raise PublishError("license.version", f"version {version} of this license was just published") from None

    def withdraw(self, note: str = "") -> None:
        if self.withdrawn is None:
            self.withdrawn = timezone.now()
            self.withdrawn_note = note.strip()[:500]
            self.save(update_fields=["withdrawn", "withdrawn_note"])
