"""Accounts, the dashboard, starting, renaming, copying and deleting drafts, and the exports.
The wizard's pages are in ``wizard_views.py``.

Every view declares the methods it takes, so any other is a 405 before anything is looked up.
Every view that takes a draft id looks the draft up with its owner, so another user's draft is a
404 before anything else happens. ``request.htmx`` decides between a full page and a partial;
every form and link also works as plain HTML.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from licensebuilder.core import spec as specs
from licensebuilder.core import vocabulary
from licensebuilder.core.library import LibraryError
from licensebuilder.core.presets import presets

from . import outputs, revisions, wizard
from .forms import ImportForm, RenameForm
from .models import Draft
from .pages import draft_or_404, go, step_url


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("drafts:dashboard")
    return render(request, "home.html")


# Open reviewer comments per draft, counted in the dashboard's one query. The comments are the
# review app's; their reverse relation is reached by its name, so this app imports nothing of it.
_OPEN_COMMENTS = Count("comments", filter=Q(comments__parent__isnull=True, comments__resolved__isnull=True))


_PER_PAGE = 25
# What the dashboard shows of a draft (the spec for the model's name and a stale lint).
_LISTED = ("pk", "owner", "title", "spec", "updated", "lint", "lint_count", "lint_library")


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    # A page of drafts, then the open comments of that page alone: the cost of the page does not
    # grow with how many drafts the licensor, or the site, has.
    page = Paginator(Draft.objects.filter(owner_id=request.user.pk).only(*_LISTED), _PER_PAGE).get_page(
        request.GET.get("page")
    )
    ids = [d.pk for d in page]
    counts = dict(Draft.objects.filter(pk__in=ids).annotate(n=_OPEN_COMMENTS).values_list("pk", "n"))
    drafts = []
    for draft in page:
        draft.open_comments = counts.get(draft.pk, 0)
        drafts.append(draft.with_current_lint())
    return render(request, "drafts/dashboard.html", {"drafts": drafts, "page": page})


def _new_context(import_form: ImportForm | None = None, problems: list[Any] | None = None) -> dict[str, Any]:
    return {
        "presets": list(presets().values()),
        "import_form": import_form or ImportForm(),
        "problems": [
            (vocabulary.label(p.path) if p.path != "file" else "File", p.path, p.message) for p in problems or []
        ],
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "drafts/new.html", _new_context())
    slug = request.POST.get("preset", "")
    if slug:
        preset = presets().get(slug)
        if preset is None:
            messages.error(request, "That preset does not exist. Choose one from the list.")
            return render(request, "drafts/new.html", _new_context(), status=400)
        draft = Draft.objects.start(
            request.user,
            spec=preset.starting_spec(),
            title=f"{preset.title} draft",
            summary=f"Started from the {preset.title} preset",
        )
    else:
        draft = Draft.objects.start(request.user, spec=specs.defaults(), summary="Started from scratch")
    return go(request, step_url(draft, "basics"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])  # a GET goes to the page with the form
def import_spec(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return redirect("drafts:new")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "drafts/new.html", _new_context(form), status=400)
    upload = form.cleaned_data["file"]
    try:
        spec = specs.parse(upload.read(specs.MAX_SPEC_BYTES + 1), filename=upload.name or "")
    except specs.SpecError as exc:
        return render(request, "drafts/new.html", _new_context(form, exc.problems), status=400)
    answered = [s.slug for s in wizard.applicable(spec) if s.form is not None]
    name = (upload.name or "")[:80]
    summary = f"Imported from {name}" if name else ""
    draft = Draft.objects.start(request.user, spec=spec, kind="import", done=answered, summary=summary)
    messages.success(request, f"Imported “{draft.title}”. Check each step, then export from the review.")
    return redirect(step_url(draft, "review"))


@login_required
@require_safe
def resume(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_or_404(request, draft_id)
    return redirect(step_url(draft, wizard.first_unfinished(draft.spec, draft.done, draft.pending or {})))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def rename(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_or_404(request, draft_id)
    form = RenameForm(request.POST or None, initial={"title": draft.title})
    if request.method == "POST" and form.is_valid():
        draft.rename(form.cleaned_data["title"])
        messages.success(request, "Draft renamed.")
        return go(request, reverse("drafts:dashboard"))
    return render(request, "drafts/rename.html", {"draft": draft, "form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def duplicate(request: HttpRequest, draft_id: int) -> HttpResponse:
    copy = draft_or_404(request, draft_id).duplicate(request.user)
    messages.success(request, f"Made “{copy.title}”.")
    return go(request, reverse("drafts:dashboard"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = draft_or_404(request, draft_id)
    if request.method == "POST":
        title = draft.title
        draft.delete()
        messages.success(request, f"Deleted “{title}”.")
        return go(request, reverse("drafts:dashboard"))
    return render(request, "drafts/delete.html", {"draft": draft})


@login_required
@require_safe
def export(request: HttpRequest, draft_id: int, fmt: str) -> HttpResponse:
    draft = draft_or_404(request, draft_id)
    if fmt not in outputs.EXPORTS:
        raise Http404("No such format")
    paper, refused = outputs.paper_from(request)
    if refused is not None:
        return refused
    if not draft.is_named:
        messages.error(request, "Name the license, the licensor and the model before exporting.")
        return redirect(step_url(draft, "basics"))
    try:
        data = outputs.export(revisions.export_build(draft), fmt, paper)
    except LibraryError as exc:
        return render(request, "drafts/export_error.html", {"draft": draft, "error": str(exc)}, status=503)
    return outputs.download(data, outputs.EXPORTS[fmt][1], outputs.download_name(draft.spec, fmt, paper))
