"""Who is looking at a draft: its owner (signed in) or a reviewer holding a share link.

Every review page takes an ``Access``. The owner's pages live under ``/drafts/<id>/...`` and a
reviewer's under ``/s/<token>/...``; ``access.url(name, ...)`` gives the right one, so templates
never build either by hand. A reviewer's access can never edit anything.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from licensebuilder.drafts.models import Draft

from .models import ShareLink

# Share-link tokens are secrets.token_urlsafe(32): 43 characters, 256 bits.
TOKEN_BYTES = 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class Access:
    draft: Draft
    link: ShareLink | None = None
    token: str = ""

    @property
    def is_owner(self) -> bool:
        return self.link is None

    @property
    def can_edit(self) -> bool:
        return self.link is None

    @property
    def title(self) -> str:
        """What the draft is called on review pages: the owner's own title for the owner; for a
        reviewer the license's name, since the title is the owner's private label."""
        if self.link is None:
            return self.draft.title
        return self.draft.license_name or "an unnamed license"

    def url(self, name: str, *args: Any) -> str:
        """The URL of review page ``name`` for whoever is looking: ``review:<name>`` for the owner,
        ``review:shared-<name>`` for a reviewer."""
        if self.link is None:
            return reverse(f"review:{name}", args=[self.draft.pk, *args])
        return reverse(f"review:shared-{name}", args=[self.token, *args])


def owner_access(request: HttpRequest, draft_id: int) -> Access:
    """The signed-in owner's access; 404 for anyone else's draft."""
    return Access(get_object_or_404(Draft, pk=draft_id, owner=request.user))


def shared_access(request: HttpRequest, token: str) -> Access:
    """A reviewer's access through a live share link. A token that is unknown, expired or revoked
    gets the same 404 as any other missing page: nothing says which it was."""
    if not (20 <= len(token) <= 100):
        raise Http404("No such page")
    digest = token_hash(token)
    link = ShareLink.objects.select_related("draft").filter(token_hash=digest).first()
    now = timezone.now()
    if link is None or not hmac.compare_digest(link.token_hash, digest) or not link.is_live(now):
        raise Http404("No such page")
    link.note_use(now)
    return Access(link.draft, link, token)


def private(response: HttpResponse, referrer: str = "no-referrer") -> HttpResponse:
    """Headers for every page reached through a share link: the token in its URL must not leak to
    other sites through the Referer header, and no shared cache may keep the page."""
    response["Referrer-Policy"] = referrer
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


View = Callable[..., HttpResponse]

# The methods a review view takes, declared where it is wired to its URL. A request with any other
# method is refused with 405 before the draft or the share link is looked up, so the answer says
# nothing about whether either exists.
SAFE = ("GET", "HEAD")  # read-only pages and downloads
FORM = ("GET", "HEAD", "POST")  # a page with the form that posts to it
POST = ("POST",)  # an action, posted from another page


def owner_view(view: View, methods: Sequence[str]) -> View:
    """``view(request, access, ...)`` for the signed-in owner of ``draft_id``, taking ``methods`` alone."""

    @login_required
    @require_http_methods(list(methods))
    @wraps(view)
    def wrapper(request: HttpRequest, draft_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, owner_access(request, draft_id), *args, **kwargs)

    return wrapper


def shared_view(view: View, methods: Sequence[str]) -> View:
    """``view(request, access, ...)`` for a reviewer holding the share link ``token``, taking
    ``methods`` alone. Every answer, the 404 for a dead token and the 405 included, carries the
    private headers."""

    @require_http_methods(list(methods))
    def checked(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, shared_access(request, token), *args, **kwargs)

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = checked(request, token, *args, **kwargs)
        except Http404:
            response = render(request, "404.html", status=404)
        return private(response)

    return wrapper


def both(view: View, methods: Sequence[str]) -> tuple[View, View]:
    """The owner's and the reviewer's version of one view."""
    return owner_view(view, methods), shared_view(view, methods)
