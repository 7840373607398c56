"""Publishing a draft: its text as it stands now, checked, under its owner's public name."""

from __future__ import annotations

from licensebuilder.core.exports import Build
from licensebuilder.core.lint import ERROR
from licensebuilder.drafts import revisions
from licensebuilder.drafts.models import Draft

from .models import Publication, PublishError


def current_build(draft: Draft) -> Build:
    """The draft's text as it stands: its newest revision's, or built from its answers."""
    return revisions.export_build(draft)


def publish(draft: Draft) -> Publication:
    """Publish the draft's current text (its newest revision's, when it has one)."""
    if not draft.is_named:
        raise PublishError("basics", "name the license, the licensor and the model first")
    if draft.pending:
        raise PublishError("pending", "some steps have answers that still need fixing")
    result = current_build(draft)
    errors = [f for f in result.findings if f.severity == ERROR]
    if errors:
        raise PublishError("lint", f"the license has {len(errors)} error(s) to fix on the Review step")
    return Publication.publish(draft, result, draft.owner)
