"""``{% release_panel draft %}``: the wizard's Review step shows the snippets for a release and
the draft's published versions, without the drafts app knowing about publishing."""

from __future__ import annotations

from typing import Any

from django import template

from licensebuilder.core.complete import is_named
from licensebuilder.core.library import LibraryError
from licensebuilder.core.spec import SpecError

from ..models import Publication
from ..publishing import current_build

register = template.Library()


@register.inclusion_tag("publish/_release_panel.html", takes_context=True)
def release_panel(context: dict[str, Any], draft: Any) -> dict[str, Any]:
    request = context["request"]
    publications = list(Publication.objects.filter(draft=draft).select_related("license").order_by("-published"))
    out: dict[str, Any] = {"draft": draft, "publications": publications, "named": is_named(draft.spec)}
    if not out["named"]:
        return out
    try:
        result = current_build(draft)
        fingerprint = result.fingerprint
    except (LibraryError, SpecError):
        return out
    # The snippets point at the permalink only when it publishes exactly this text.
    live = next((p for p in publications if not p.withdrawn and p.fingerprint == fingerprint), None)
    if live is not None:
        link = request.build_absolute_uri(live.get_absolute_url())
        result = live.build(link)
        out["snippets"] = result.snippets(badge_url=link + "badge.svg")
    else:
        out["snippets"] = result.snippets()
    out["live"] = live
    out["version"] = result.spec["license"]["version"]
    return out
