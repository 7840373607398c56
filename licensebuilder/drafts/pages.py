"""What every page of the drafts app does the same way: find the user's own draft, answer htmx
with a partial or a client redirect, and link to a step."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from licensebuilder.drafts.htmx import htmx

from .models import Draft


def draft_or_404(request: HttpRequest, draft_id: int) -> Draft:
    """The draft if it is the user's own; a 404 otherwise, whoever else owns it."""
    return get_object_or_404(Draft, pk=draft_id, owner=request.user)


def partial(request: HttpRequest, template: str, context: dict[str, Any], name: str, status: int = 200):
    """The whole page, or only the partial ``name`` of it for an htmx request."""
    template = f"{template}#{name}" if htmx(request) and not htmx(request).boosted else template
    return render(request, template, context, status=status)


def go(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that htmx follows as a whole page too."""
    return HttpResponseClientRedirect(url) if htmx(request) else redirect(url)


def step_url(draft: Draft, slug: str) -> str:
    return reverse("drafts:step", args=[draft.pk, slug])
