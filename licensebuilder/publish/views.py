"""The public pages of a published license, and the owner's publish and withdraw actions.

Public pages need no account and read only the published row: what they show was fixed when the
version was published. A withdrawn version answers 410 Gone with the licensor's note.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from licensebuilder.core.render.html import demote_headings, render_fragment, safe_html
from licensebuilder.core.snippets import badge_svg, share_alike_kind
from licensebuilder.drafts import outputs, revisions
from licensebuilder.drafts.models import Draft
from licensebuilder.review.access import SAFE, Access, shared_view

from . import owe as owe_page
from . import publishing
from .models import Publication, PublishedLicense, PublishError

# Published text never changes, so shared caches may keep it; withdrawal is the one change,
# and a short lifetime bounds how long a withdrawn version is still served from a cache.
_PUBLIC_CACHE = "public, max-age=300"
_SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"
_DOWNLOADS = {
    # suffix: (export format, file name suffix)
    "license.md": ("md", ".md"),
    "license.html": ("html", ".html"),
    "license.pdf": ("pdf", ".pdf"),
    "license.json": ("json", ".license.json"),
    "bundle.zip": ("bundle", "-bundle.zip"),
}


def _last_withdrawn(public: PublishedLicense) -> Publication:
    """The latest version of a license none of whose versions is still published."""
    last = public.versions.order_by("-published").first()
    if last is None:  # a license is created with its first version, so this is a broken row
        raise Http404("No such publication")
    return last


def _gone(request: HttpRequest, publication: Publication) -> HttpResponse:
    newer = publication.license.newest()
    context = {"publication": publication, "newer": newer}
    return render(request, "publish/gone.html", context, status=410)


def _find(slug: str, version: str) -> Publication:
    return get_object_or_404(Publication.objects.select_related("license"), license__slug=slug, version=version)


def permalink(request: HttpRequest, publication: Publication) -> str:
    return request.build_absolute_uri(publication.get_absolute_url())


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = _PUBLIC_CACHE
    return response


@lru_cache(maxsize=64)
def _page_html(publication_id: int, fingerprint: str) -> tuple[SafeString, SafeString]:
    """The deed and the full text of one published version: computed once per process."""
    publication = Publication.objects.get(pk=publication_id)
    result = publication.build()
    deed = mark_safe(demote_headings(safe_html(result.deed), 2))  # sanitised just now
    text = mark_safe(demote_headings(render_fragment(result.document), 1))  # render_fragment sanitises
    return deed, text


def _page_context(request: HttpRequest, publication: Publication) -> dict[str, Any]:
    link = permalink(request, publication)
    result = publication.build(link)
    deed, text = _page_html(publication.pk, publication.fingerprint)
    badge = request.build_absolute_uri(f"/l/{publication.license.slug}/{publication.version}/badge.svg")
    versions = publication.license.versions.order_by("-published")
    return {
        "publication": publication,
        "spec": publication.spec,
        "deed": deed,
        "text": text,
        "permalink": link,
        "snippets": result.snippets(badge_url=badge),
        "versions": versions,
        "newest": publication.license.newest(),
        "papers": ("a4", "letter"),
    }


@require_GET
def latest(request: HttpRequest, slug: str) -> HttpResponse:
    public = get_object_or_404(PublishedLicense, slug=slug)
    newest = public.newest()
    if newest is None:
        return _gone(request, _last_withdrawn(public))
    return redirect(newest.get_absolute_url())


@require_GET
def page(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    publication = _find(slug, version)
    if publication.withdrawn:
        return _gone(request, publication)
    if request.get_preferred_type(["text/html", "application/json"]) == "application/json":
        response = HttpResponse(publication.license_json, content_type="application/json")
    else:
        response = render(request, "publish/page.html", _page_context(request, publication))
    response["Vary"] = "Accept"
    return _public(response)


@require_GET
def download(request: HttpRequest, slug: str, version: str, name: str) -> HttpResponse:
    if name not in _DOWNLOADS:
        raise Http404("No such download")
    publication = _find(slug, version)
    if publication.withdrawn:
        return _gone(request, publication)
    fmt, suffix = _DOWNLOADS[name]
    paper, refused = outputs.paper_from(request)
    if refused is not None:
        return refused
    result = publication.build(permalink(request, publication))
    if fmt == "json":
        data: str | bytes = publication.license_json
    elif fmt == "md":
        data = publication.markdown
    elif fmt in ("pdf", "bundle"):
        data = outputs.export(result, fmt, paper)
    else:
        data = result.html
    filename = (
        outputs.file_stem(publication.spec)
        + (f"-{paper}" if fmt in ("pdf", "bundle") and paper != "a4" else "")
        + suffix
    )
    response = outputs.download(data, outputs.EXPORTS[fmt][1], filename)
    if fmt in ("json", "md"):
        response["Content-Disposition"] = response["Content-Disposition"].replace("attachment", "inline", 1)
    return _public(response)


@require_GET
def badge(request: HttpRequest, slug: str, version: str | None = None) -> HttpResponse:
    if version is None:
        public = get_object_or_404(PublishedLicense, slug=slug)
        publication = public.newest()
        if publication is None:
            return _gone(request, _last_withdrawn(public))
    else:
        publication = _find(slug, version)
        if publication.withdrawn:
            return _gone(request, publication)
    result = publication.build()
    label = f"{publication.name} {publication.version}"
    response = HttpResponse(badge_svg(label, share_alike_kind(result.summary)), content_type="image/svg+xml")
    response["Content-Security-Policy"] = _SVG_CSP
    return _public(response)


@require_GET
def owe(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    publication = _find(slug, version)
    if publication.withdrawn:
        return _gone(request, publication)
    context = {"title": f"{publication.name} {publication.version}", "model_name": publication.spec["model"]["name"]}
    response = owe_page.answer_page(
        request, publication.as_document(), "publish/owe.html", context, publication.get_absolute_url()
    )
    response["Vary"] = "HX-Request"
    return _public(response)


def _shared_owe(request: HttpRequest, access: Access) -> HttpResponse:
    """The same questions on a share link: a reviewer asks what the draft would ask of licensees."""
    result = revisions.export_build(access.draft)
    context = {"title": access.title, "model_name": access.draft.model_name or "the model"}
    return owe_page.answer_page(request, result.document, "publish/owe.html", context, access.url("read"))


shared_owe = shared_view(_shared_owe, SAFE)


# -- the owner's actions ---------------------------------------------------------------------


@login_required
@require_POST
def publish(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = get_object_or_404(Draft, pk=draft_id, owner=request.user)
    try:
        publication = publishing.publish(draft)
    except PublishError as exc:
        messages.error(request, f"Not published: {exc.message}.")
        return redirect("drafts:step", draft.pk, "review")
    messages.success(request, f"Published version {publication.version} at {permalink(request, publication)}")
    return redirect(publication.get_absolute_url())


@login_required
@require_POST
def withdraw(request: HttpRequest, slug: str, version: str) -> HttpResponse:
    publication = _find(slug, version)
    if publication.license.owner_id != request.user.pk:
        raise Http404("No such publication")
    publication.withdraw(request.POST.get("note", ""))
    messages.success(request, f"Version {publication.version} is withdrawn; its address now says so.")
    if publication.draft_id:
        return redirect("drafts:step", publication.draft_id, "review")
    return redirect("drafts:dashboard")
