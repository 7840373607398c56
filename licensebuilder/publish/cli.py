"""What ``manage.py license publish`` and ``license unpublish`` do. A ValueError carries a
``field: message`` line for bad input."""

from __future__ import annotations

from django.conf import settings

from licensebuilder.drafts.models import Draft

from . import publishing
from .models import Publication, PublishError


def permalink(publication: Publication) -> str:
    return settings.SITE_URL + publication.get_absolute_url()


def publish(draft_id: str) -> str:
    try:
        number = int(draft_id)
    except ValueError:
        raise ValueError(f"DRAFT_ID: {draft_id!r} is not a draft number") from None
    draft = Draft.objects.filter(pk=number).select_related("owner").first()
    if draft is None:
        raise ValueError(f"DRAFT_ID: there is no draft {number}")
    try:
        publication = publishing.publish(draft)
    except PublishError as exc:
        raise ValueError(f"{exc.field}: {exc.message}") from None
    return f"published {publication.name} {publication.version} at {permalink(publication)}"


def unpublish(slug: str, version: str, note: str = "") -> str:
    publication = Publication.objects.filter(license__slug=slug, version=version).first()
    if publication is None:
        raise ValueError(f"VERSION: no version {version!r} of a license {slug!r} is published")
    if publication.withdrawn:
        return f"{slug} {version} was already withdrawn on {publication.withdrawn:%Y-%m-%d}"
    publication.withdraw(note)
    return f"withdrew {slug} {version}: {permalink(publication)} now answers 410 Gone"
