"""Drafts started before signing up: kept in the session, made real drafts at sign-up or log-in.

The session holds only which preset each draft starts from (a slug and a title), at most
``MAX_TRIAL_DRAFTS`` of them, so a visitor without an account cannot grow a session without bound.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from licensebuilder.core.presets import Preset, presets
from licensebuilder.drafts.models import Draft

SESSION_KEY = "trial_drafts"
MAX_TRIAL_DRAFTS = 3
MAX_TITLE = 120


class TrialFull(Exception):
    """The session already holds as many drafts as it may."""


def trial_drafts(request: HttpRequest) -> list[dict[str, str]]:
    """The drafts this browser started, each a preset that still exists."""
    stored = request.session.get(SESSION_KEY) or []
    known = presets()
    return [d for d in stored if isinstance(d, dict) and d.get("preset") in known][:MAX_TRIAL_DRAFTS]


def add_trial_draft(request: HttpRequest, slug: str) -> dict[str, str]:
    drafts = trial_drafts(request)
    if len(drafts) >= MAX_TRIAL_DRAFTS:
        raise TrialFull
    entry = {"preset": slug, "title": f"{presets()[slug].title} draft"[:MAX_TITLE]}
    request.session[SESSION_KEY] = [*drafts, entry]
    return entry


def start_draft(user: Any, preset: Preset) -> Draft:
    """A draft of ``user``'s own from the preset's choices; the names are left for them to give."""
    return Draft.objects.start(
        user,
        spec=preset.starting_spec(),
        title=f"{preset.title} draft",
        summary=f"Started from the {preset.title} preset",
    )


@receiver(user_logged_in, dispatch_uid="publish.keep_trial_drafts")
def keep_trial_drafts(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Whoever signs up or logs in keeps the drafts this browser started without an account."""
    if request is None or not hasattr(request, "session"):
        return
    drafts = trial_drafts(request)
    request.session.pop(SESSION_KEY, None)
    for entry in drafts:
        start_draft(user, presets()[entry["preset"]])
    if drafts and hasattr(request, "_messages"):
        titles = ", ".join(entry["title"] for entry in drafts)
        messages.success(request, f"Kept the draft{'s' if len(drafts) > 1 else ''} you started: {titles}.")
