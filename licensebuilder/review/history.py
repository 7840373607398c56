"""Revision history: every recorded version of a draft, to read and export by its owner and by a
reviewer; naming, restoring and taking newer clause wording are the owner's alone.

A revision's text is the one it was drafted with: its pages and exports are made from the stored
document and Markdown, never from today's clause library.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe

from licensebuilder.core import diff
from licensebuilder.core import spec as specs
from licensebuilder.core.complete import is_named
from licensebuilder.core.library import LibraryError
from licensebuilder.core.render.html import render_fragment
from licensebuilder.drafts import outputs, revisions
from licensebuilder.drafts.models import Draft, Revision

from .access import FORM, SAFE, Access, both, owner_view

_PER_PAGE = 50
_FORMATS = ("md", "html", "pdf", "json")
_MAX_CHANGES_SHOWN = 12


class NameForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=120,
        required=False,
        help_text="For example “Sent to counsel 3 March”. Leave empty to remove the name.",
        error_messages={
            "max_length": "A name can be at most %(limit_value)d characters long (this one has %(show_value)d)."
        },
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if specs.has_control_characters(name):
            raise forms.ValidationError("A name must not contain control or bidirectional-override characters.")
        return name


# -- helpers ---------------------------------------------------------------------------------


def _name_form(revision: Revision, data: Any = None) -> NameForm:
    return NameForm(data, initial={"name": revision.name}, auto_id=f"revision-{revision.number}-%s")


def _title(access: Access) -> str:
    """What the page calls the draft. A reviewer sees the license's name: the draft's own title is
    the owner's private label."""
    if access.is_owner:
        return access.draft.title
    return access.draft.license_name or "an unnamed license"


def _revision_or_404(draft: Draft, number: int) -> Revision:
    return get_object_or_404(Revision.objects.select_related("author"), draft=draft, number=number)


def _base(access: Access, **context: Any) -> dict[str, Any]:
    return {"access": access, "draft": access.draft, "draft_title": _title(access), **context}


def _page_query(request: HttpRequest) -> str:
    page = request.GET.get("page", "")
    return f"?page={page}" if page.isdigit() and page != "1" else ""


def _history_page(
    request: HttpRequest, access: Access, failed: tuple[int, NameForm] | None = None, status: int = 200
) -> HttpResponse:
    draft = access.draft
    # The list shows no revision's text: leave the kept answers, document and Markdown in the database.
    listed = draft.revisions.select_related("author").defer("spec", "document", "markdown").order_by("-number")
    page = Paginator(listed, _PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page)
    # Each row links to the revision before it: the next row's, and for the last row one more number.
    numbers = [revision.number for revision in shown]
    if shown:
        below = draft.revisions.filter(number__lt=numbers[-1]).order_by("-number")
        numbers += below.values_list("number", flat=True)[:1]
    previous = dict(pairwise(numbers))
    rows = []
    for revision in shown:
        form = None
        if access.is_owner:
            form = failed[1] if failed and failed[0] == revision.number else _name_form(revision)
        rows.append({"revision": revision, "previous": previous.get(revision.number), "form": form})
    errors = []
    if failed:
        for field in failed[1]:
            errors += [(f"{field.auto_id}", f"Name of revision {failed[0]}", str(m)) for m in field.errors]
    context = _base(
        access,
        rows=rows,
        page=page,
        page_query=_page_query(request),
        errors=errors,
        newer_wording=revisions.upgrade_notice(draft) if access.is_owner else 0,
    )
    return render(request, "review/history.html", context, status=status)


def _neighbours(draft: Draft, number: int) -> tuple[int | None, int | None]:
    older = draft.revisions.filter(number__lt=number).order_by("-number").values_list("number", flat=True).first()
    newer = draft.revisions.filter(number__gt=number).order_by("number").values_list("number", flat=True).first()
    return older, newer


def _text_html(revision: Revision) -> SafeString:
    # render_fragment sanitises its output with the allow-list; user text inside it is escaped.
    return mark_safe(render_fragment(revision.text()))


def _export_name(revision: Revision, fmt: str, paper: str) -> str:
    return outputs.download_name(revision.spec, fmt, paper, extra=f"-r{revision.number}")


def _unusable(spec: dict[str, Any]) -> str:
    """Why today's clause library cannot word these answers, or an empty string."""
    try:
        outputs.build_answers(spec)
    except LibraryError as exc:
        return f"The clause library has a problem: {exc}"
    except specs.SpecError as exc:
        return "These answers are no longer accepted: " + "; ".join(map(str, exc.problems))
    return ""


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    try:
        return [str(change) for change in diff.choice_words(old, new)]
    except LibraryError:
        return []


def _upgrade_redline(upgrade: revisions.Upgrade) -> SafeString:
    """The redline of the wording alone. The answers are the same on both sides, so its heading
    and its (empty) list of changed answers are left out; the rest is the sanitised fragment."""
    return mark_safe(diff.redline_html(upgrade.redline, [], blocks=("text",)))


def _upgrade_page(request: HttpRequest, access: Access, upgrade: revisions.Upgrade | None, status: int = 200):
    context = _base(
        access,
        upgrade=upgrade,
        count=upgrade.count if upgrade else 0,
        redline=_upgrade_redline(upgrade) if upgrade and upgrade.count else "",
        library_version=outputs.library_version(),
        latest=access.draft.revisions.order_by("-number").first(),
    )
    return render(request, "review/upgrade.html", context, status=status)


# -- pages -----------------------------------------------------------------------------------


def _history(request: HttpRequest, access: Access) -> HttpResponse:
    return _history_page(request, access)


def _revision(request: HttpRequest, access: Access, number: int) -> HttpResponse:
    revision = _revision_or_404(access.draft, number)
    older, newer = _neighbours(access.draft, number)
    context = _base(
        access,
        revision=revision,
        text=_text_html(revision),
        older=older,
        newer=newer,
        named=is_named(revision.spec),
        formats=[(fmt, outputs.EXPORTS[fmt][0]) for fmt in _FORMATS],
    )
    return render(request, "review/revision.html", context)


def _revision_export(request: HttpRequest, access: Access, number: int, fmt: str) -> HttpResponse:
    revision = _revision_or_404(access.draft, number)
    if fmt not in _FORMATS:
        raise Http404("No such format")
    paper, refused = outputs.paper_from(request)
    if refused is not None:
        return refused
    if not is_named(revision.spec):
        messages.error(request, "This revision cannot be exported: the license, the licensor or the model had no name.")
        return redirect(access.url("revision", number))
    data = outputs.export(revision.build(), fmt, paper)
    return outputs.download(data, outputs.EXPORTS[fmt][1], _export_name(revision, fmt, paper))


def _restore(request: HttpRequest, access: Access, number: int) -> HttpResponse:
    draft = access.draft
    revision = _revision_or_404(draft, number)
    if request.method != "POST":
        changes = _changes(draft.spec, revision.spec)
        context = _base(
            access,
            revision=revision,
            changes=changes[:_MAX_CHANGES_SHOWN],
            more=max(0, len(changes) - _MAX_CHANGES_SHOWN),
            library_version=outputs.library_version(),
            problem=_unusable(revision.spec),
        )
        return render(request, "review/restore_confirm.html", context)
    history_url = access.url("history")
    problem = _unusable(revision.spec)
    if problem:
        messages.error(request, f"Revision {number} cannot be restored. {problem}")
        return redirect(history_url)
    if revision.spec == draft.spec:
        messages.info(request, f"The draft already has the answers of revision {number}: there was nothing to restore.")
        return redirect(history_url)
    restored = draft.restore(revision, request.user)
    summary = f"Restored revision {number}" + (f" “{revision.name}”" if revision.name else "")
    note = f" It is now revision {restored.number}." if restored else ""
    messages.success(request, f"{summary}.{note} Nothing earlier was changed.")
    return redirect(history_url)


def _name_revision(request: HttpRequest, access: Access, number: int) -> HttpResponse:
    revision = _revision_or_404(access.draft, number)
    history_url = access.url("history") + _page_query(request)
    if request.method != "POST":
        return redirect(f"{history_url}#revision-{number}")
    form = _name_form(revision, request.POST)
    if not form.is_valid():
        return _history_page(request, access, failed=(number, form), status=400)
    name = form.cleaned_data["name"]
    # A revision's name is the one thing about it that may change.
    Revision.objects.filter(pk=revision.pk).update(name=name)
    if name:
        messages.success(request, f"Revision {number} is now named “{name}”.")
    elif revision.name:
        messages.success(request, f"Revision {number} no longer has a name.")
    return redirect(f"{history_url}#revision-{number}")


def _upgrade(request: HttpRequest, access: Access) -> HttpResponse:
    draft = access.draft
    upgrade = revisions.library_upgrade(draft)
    if request.method != "POST":
        return _upgrade_page(request, access, upgrade)
    if upgrade is None or not upgrade.count:
        messages.info(request, "The draft's text already has the clause library's current wording.")
        return redirect(access.url("history"))
    action = request.POST.get("action", "")
    if action == "accept":
        revision = revisions.accept_wording(draft, upgrade, request.user)
        if revision is None:
            messages.error(request, "The new wording could not be made: the clause library has a problem.")
        else:
            messages.success(
                request, f"Clause wording updated to library {upgrade.library_version}: revision {revision.number}."
            )
        return redirect(access.url("history"))
    if action == "keep":
        revisions.keep_wording(draft, upgrade)
        messages.success(
            request, f"Kept the wording of revision {upgrade.revision.number}. Its text is what the draft exports."
        )
        return redirect(access.url("history"))
    messages.error(request, "Action: choose “Use the new wording” or “Keep the wording I have”.")
    return _upgrade_page(request, access, upgrade, status=400)


history = both(_history, SAFE)
revision = both(_revision, SAFE)
revision_export = both(_revision_export, SAFE)
# A GET shows the form (naming: goes back to it on the history page); a POST does it.
restore = owner_view(_restore, FORM)
name_revision = owner_view(_name_revision, FORM)
upgrade = owner_view(_upgrade, FORM)
