"""Try it without an account: the presets as a gallery, each one's deed and full text, "what do
I owe?" against it, and drafts started from it that are kept at sign-up."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from licensebuilder.core.exports import Build, build
from licensebuilder.core.presets import Preset, presets
from licensebuilder.core.render.html import demote_headings, render_fragment, safe_html
from licensebuilder.core.snippets import share_alike_kind

from . import owe as owe_page
from . import trial


def _preset(slug: str) -> Preset:
    found = presets().get(slug)
    if found is None:
        raise Http404("No such preset")
    return found


@lru_cache(maxsize=16)
def _build(slug: str) -> Build:
    return build(_preset(slug).spec)


def icons(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """The deed at a glance: each mark says yes, no or how, always with its words."""
    freedoms = summary["freedoms"]
    kind = share_alike_kind(summary)
    marks = [
        ("commercial", summary["commercial_use"], "Commercial use"),
        ("redistribute", summary["redistribute"], "Pass on copies"),
        ("modified", freedoms["distribute_modified"], "Share modified versions"),
    ]
    out = [{"key": key, "state": "yes" if ok else "no", "text": text, "negated": not ok} for key, ok, text in marks]
    out.append({"key": "share-alike", "state": "no" if kind == "no share-alike" else "some", "text": kind.capitalize()})
    restricted = summary["use_restrictions"]
    out.append(
        {
            "key": "restrictions",
            "state": "no" if restricted else "yes",
            "text": "Use restrictions" if restricted else "Any purpose",
        }
    )
    return out


def _one_line(description: str) -> str:
    first, _, _ = description.partition(". ")
    return first.rstrip(".") + "."


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    cards = [
        {
            "preset": p,
            "line": _one_line(p.description),
            "icons": icons(_build(slug).summary),
        }
        for slug, p in presets().items()
    ]
    context = {"cards": cards, "trial": trial.trial_drafts(request), "max_trial": trial.MAX_TRIAL_DRAFTS}
    return render(request, "publish/gallery.html", context)


@lru_cache(maxsize=16)
def _texts(slug: str) -> tuple[SafeString, SafeString]:
    result = _build(slug)
    deed = mark_safe(demote_headings(safe_html(result.deed), 2))  # sanitised just now
    return deed, mark_safe(demote_headings(render_fragment(result.document), 1))  # render_fragment sanitises


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    preset = _preset(slug)
    deed, text = _texts(slug)
    context = {
        "preset": preset,
        "deed": deed,
        "text": text,
        "icons": icons(_build(slug).summary),
        "trial": trial.trial_drafts(request),
        "max_trial": trial.MAX_TRIAL_DRAFTS,
    }
    return render(request, "publish/preset.html", context)


@require_GET
def owe(request: HttpRequest, slug: str) -> HttpResponse:
    preset = _preset(slug)
    context = {"title": preset.title, "model_name": preset.spec["model"]["name"]}
    return owe_page.answer_page(request, _build(slug).document, "publish/owe.html", context, f"/try/{slug}/")


@require_POST
def start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a draft from a preset: at once for a signed-in user, in the session otherwise."""
    preset = _preset(slug)
    if request.user.is_authenticated:
        draft = trial.start_draft(request.user, preset)
        return redirect("drafts:step", draft.pk, "basics")
    try:
        trial.add_trial_draft(request, slug)
    except trial.TrialFull:
        messages.error(
            request,
            f"This browser already holds {trial.MAX_TRIAL_DRAFTS} drafts: sign up to keep them and start more.",
        )
        return redirect("publish:gallery")
    messages.success(
        request, f"Started a draft from “{preset.title}”. Sign up to name it and edit it: it will be kept."
    )
    return redirect("publish:gallery")
