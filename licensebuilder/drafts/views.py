"""Accounts, the dashboard, the wizard with its live preview, and the exports.

Every view that takes a draft id looks the draft up with its owner, so another user's draft is a
404 before anything else happens. ``request.htmx`` decides between a full page and a partial;
every form and link also works as plain HTML.
"""

from __future__ import annotations

import json
import re
import secrets
from functools import cache, lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect, push_url

from licensebuilder.core import spec as specs
from licensebuilder.core.library import LibraryError
from licensebuilder.core.presets import presets
from licensebuilder.core.render.pdf import PAPER_SIZES
from licensebuilder.review import comments, revisions

from . import outputs, wizard
from .forms import ImportForm, RenameForm, SignupForm, complete, is_named
from .models import Draft

UNTITLED = "Untitled draft"
_EDITOR = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
_MAX_PENDING_VALUES = 60
_MAX_PENDING_CHARS = 4000


# -- helpers ---------------------------------------------------------------------------------


def _draft(request: HttpRequest, draft_id: int) -> Draft:
    """The draft if it is the user's own; a 404 otherwise, whoever else owns it."""
    return get_object_or_404(Draft, pk=draft_id, owner=request.user)


def _partial(request: HttpRequest, template: str, context: dict[str, Any], partial: str, status: int = 200):
    name = f"{template}#{partial}" if request.htmx and not request.htmx.boosted else template
    return render(request, name, context, status=status)


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _step_url(draft: Draft, slug: str) -> str:
    return reverse("drafts:step", args=[draft.pk, slug])


def _editor(request: HttpRequest) -> str:
    token = request.POST.get("editor", "")
    return token if _EDITOR.match(token) else secrets.token_urlsafe(9)


def _posted_version(request: HttpRequest) -> int | None:
    try:
        value = int(request.POST.get("version", ""))
    except ValueError:
        return None
    return value if value >= 0 else None


def _raw(form: Any, data: QueryDict) -> dict[str, list[str]]:
    """What was typed into a step, bounded, to keep while it is invalid."""
    out = {}
    for name in form.fields:
        values = [v[:_MAX_PENDING_CHARS] for v in data.getlist(name)[:_MAX_PENDING_VALUES]]
        if values:
            out[name] = values
    return out


def _querydict(raw: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in raw.items():
        if isinstance(values, list):
            data.setlist(name, [str(v) for v in values])
    return data


def _set_pending(draft: Draft, slug: str, raw: dict[str, list[str]] | None) -> None:
    pending = dict(Draft.objects.filter(pk=draft.pk).values_list("pending", flat=True).first() or {})
    if raw is None:
        pending.pop(slug, None)
    else:
        pending[slug] = raw
    Draft.objects.filter(pk=draft.pk).update(pending=pending)
    draft.pending = pending


def _lint_fields(spec: dict[str, Any]) -> dict[str, Any]:
    status, count, version = outputs.lint_status(spec, is_named(spec))
    return {"lint": status, "lint_count": count, "lint_library": version}


def _new_draft(
    owner: Any,
    spec: dict[str, Any],
    title: str = "",
    done: list[str] | None = None,
    *,
    kind: str = "created",
    summary: str = "",
) -> Draft:
    draft = Draft.objects.create(
        owner=owner,
        title=(title or spec["license"].get("name") or UNTITLED)[:200],
        spec=spec,
        done=done or [],
        **_lint_fields(spec),
    )
    revisions.record(draft, owner, kind, summary=summary)
    return draft


class _Saved:
    def __init__(self, draft: Draft | None, conflict: bool):
        self.draft, self.conflict = draft, conflict


def _save(draft: Draft, form: Any, slug: str, version: int | None, editor: str) -> _Saved:
    """Save a valid step. Refused when the page was made from an older version saved by someone else.

    The write is a conditional UPDATE on the version read just before, so two saves can never both
    succeed against the same version; the loser gets a conflict, not a silent overwrite.
    """
    for _ in range(3):
        current = Draft.objects.get(pk=draft.pk)
        own_run = editor == current.last_editor and version is not None and version >= current.editor_since
        if version != current.version and not own_run:
            # A stale page whose answers match what is saved anyway loses nothing: accept it.
            form_now = type(form)(form.data, spec=current.spec)
            if form_now.is_valid() and form_now.apply() == current.spec:
                return _Saved(current, conflict=False)
            return _Saved(current, conflict=True)
        form_now = type(form)(form.data, spec=current.spec)
        if not form_now.is_valid():  # cannot happen for the same data; be safe
            return _Saved(current, conflict=True)
        spec = form_now.apply()
        pending = {k: v for k, v in (current.pending or {}).items() if k != slug}
        done = list(dict.fromkeys([*current.done, slug]))
        if spec == current.spec and pending == current.pending and done == current.done:
            return _Saved(current, conflict=False)
        title = current.title
        if title in (UNTITLED, current.license_name) and spec["license"].get("name"):
            title = spec["license"]["name"][:200]
        updated = Draft.objects.filter(pk=current.pk, version=current.version).update(
            spec=spec,
            pending=pending,
            done=done,
            title=title,
            version=F("version") + 1,
            last_editor=editor,
            editor_since=current.editor_since if editor == current.last_editor else (version or 0),
            updated=timezone.now(),
            **_lint_fields(spec),
        )
        if updated:
            saved = Draft.objects.get(pk=current.pk)
            if saved.spec != current.spec:
                revisions.record(saved, saved.owner)
            return _Saved(saved, conflict=False)
    return _Saved(Draft.objects.get(pk=draft.pk), conflict=True)


def _bound_form(step: wizard.Step, draft: Draft) -> Any:
    """The step's form: what was typed and is still invalid if there is any, else the saved answers."""
    if step.form is None:
        return None
    raw = (draft.pending or {}).get(step.slug)
    if raw:
        form = step.form(_querydict(raw), spec=draft.spec)
        if form.is_valid():  # fixed meanwhile (e.g. by another step's answer): nothing is pending
            return step.form(spec=draft.spec)
        return form
    return step.form(spec=draft.spec)


def _nav(draft: Draft) -> list[tuple[wizard.Step, str]]:
    statuses = wizard.statuses(draft.spec, draft.done, draft.pending or {})
    return [(s, statuses.get(s.slug, "todo")) for s in wizard.applicable(draft.spec)]


def _error_summary(form: Any) -> list[tuple[str, str, str]]:
    """(anchor, label, message) for every error, in the order of the fields."""
    if form is None or not form.is_bound:
        return []
    out = [("", "This step", str(message)) for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            out.append((field.auto_id, str(field.label), str(message)))
    return out


def _answered(step: wizard.Step, spec_text: str, data: QueryDict) -> dict[str, Any] | None:
    """The saved spec (as its JSON text) with this step's posted answers, completed with placeholders
    as the preview builds it; None if the answers are invalid. Remembered: the preview is asked the
    same question many times while someone types."""
    fields = tuple((name, tuple(data.getlist(name))) for name in step.form.paths | _EXTRA_FIELDS.get(step.slug, {}))
    return _answered_cached(step.slug, spec_text, fields)


PREVIEW_PARTIAL = "drafts/step.html#preview"

# Fields that are not a spec path of their own but feed one (custom restrictions join the list).
_EXTRA_FIELDS = {"use": {"custom_restrictions": ""}}


@lru_cache(maxsize=256)
def _answered_cached(
    slug: str, spec_text: str, fields: tuple[tuple[str, tuple[str, ...]], ...]
) -> dict[str, Any] | None:
    data = QueryDict(mutable=True)
    for name, values in fields:
        data.setlist(name, list(values))
    form = wizard.BY_SLUG[slug].form(data, spec=json.loads(spec_text))
    # The form has validated the completed spec already: the preview needs no second validation.
    return form.completed if form.is_valid() else None


def _preview(
    spec: dict[str, Any], base: dict[str, str] | None, *, completed: bool = False
) -> tuple[outputs.Preview | None, str]:
    """The preview of ``spec``, completed and validated first unless ``completed`` says it is."""
    try:
        return outputs.cached_preview(spec if completed else complete(spec), base), ""
    except LibraryError as exc:
        return None, f"The clause library has a problem, so the license cannot be shown yet: {exc}"
    except specs.SpecError as exc:
        return None, "The answers cannot be turned into a license yet: " + "; ".join(map(str, exc.problems))


@cache
def _saved_spec_sql() -> str:
    """SQL for a draft's saved spec, by draft id and owner: written once, because building the same
    query with the ORM costs several times running it, on every preview request."""
    quote, meta = connection.ops.quote_name, Draft._meta
    spec, table = quote(meta.get_field("spec").column), quote(meta.db_table)
    pk, owner = quote(meta.pk.column), quote(meta.get_field("owner").column)
    # Only the model's own names go into the text, quoted; the ids are parameters.
    return f"SELECT {spec} FROM {table} WHERE {pk} = %s AND {owner} = %s"  # noqa: S608


def _saved_spec_text(draft_id: int, owner_id: Any) -> str | None:
    """The JSON text of the user's own draft's spec, as stored; None if there is no such draft."""
    with connection.cursor() as cursor:
        cursor.execute(_saved_spec_sql(), [draft_id, owner_id])
        row = cursor.fetchone()
    if row is None:
        return None
    value = row[0]
    if isinstance(value, bytes | str):
        return value.decode() if isinstance(value, bytes) else value
    return json.dumps(value, ensure_ascii=False)  # a driver that decodes JSON itself


def _step_context(
    request: HttpRequest,
    draft: Draft,
    step: wizard.Step,
    form: Any = None,
    *,
    base: dict[str, str] | None = None,
    conflict: dict[str, Any] | None = None,
    editor: str = "",
    previewing: bool = False,
) -> dict[str, Any]:
    if form is None:
        form = _bound_form(step, draft)
    spec = draft.spec
    if previewing and form is not None and form.is_bound and form.is_valid():
        spec = form.apply()
    preview, preview_error = _preview(spec, base)
    context = {
        "draft": draft,
        "step": step,
        "form": form,
        "errors": _error_summary(form),
        "steps": _nav(draft),
        "next_slug": wizard.next_step(draft.spec, step.slug),
        "previous_slug": wizard.previous_step(draft.spec, step.slug),
        "preview": preview,
        "preview_error": preview_error,
        "previewing": previewing,
        "conflict": conflict,
        "editor": editor or secrets.token_urlsafe(9),
        "named": is_named(draft.spec),
        "exports": outputs.EXPORTS,
        "papers": sorted(PAPER_SIZES),
        "newer_wording": revisions.upgrade_notice(draft),
    }
    if step.slug == "review":
        context.update(_review_context(draft))
    return context


def _review_context(draft: Draft) -> dict[str, Any]:
    try:
        result = outputs.build(complete(draft.spec))
        findings = result.findings
        deed = outputs.deed_html(result)
    except (LibraryError, specs.SpecError) as exc:
        return {"review_error": str(exc), "findings": [], "deed": ""}
    items = []
    for finding in findings:
        link = ""
        for path in finding.paths:
            target = wizard.field_for_path(path)
            slug = target[0] if target else wizard.step_for_path(path)
            if slug in {s.slug for s in wizard.applicable(draft.spec)}:
                link = _step_url(draft, slug) + (f"#field-{target[1]}" if target else "")
                step_title = wizard.BY_SLUG[slug].title
                break
        else:
            step_title = ""
        items.append({"finding": finding, "link": link, "step_title": step_title})
    return {"findings": items, "deed": deed, "review_error": ""}


def _conflict(draft: Draft, form: Any) -> dict[str, Any]:
    """Both versions of this step's answers, for the licensor to choose between."""
    mine = type(form)(form.data, spec=draft.spec)
    rows = wizard.differences(mine.apply(), draft.spec) if mine.is_valid() else []
    keep = [
        (name, value)
        for name in form.fields
        for value in form.data.getlist(name)
    ]  # fmt: skip
    return {"rows": rows, "keep": keep, "version": draft.version}


# -- pages -----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("drafts:dashboard")
    return render(request, "home.html")


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("drafts:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome! Start your first draft below.")
        return redirect("drafts:new")
    return render(request, "registration/signup.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    drafts = list(comments.with_open_counts(request.user.drafts.all()))
    current = outputs.library_version()
    for draft in drafts:
        if current and draft.lint_library != current:
            fields = _lint_fields(draft.spec)
            Draft.objects.filter(pk=draft.pk).update(**fields)
            for key, value in fields.items():
                setattr(draft, key, value)
    return render(request, "drafts/dashboard.html", {"drafts": drafts})


def _new_context(import_form: ImportForm | None = None, problems: list[Any] | None = None) -> dict[str, Any]:
    return {
        "presets": list(presets().values()),
        "import_form": import_form or ImportForm(),
        "problems": [
            (wizard.path_label(p.path) if p.path != "file" else "File", p.path, p.message) for p in problems or []
        ],
    }


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "drafts/new.html", _new_context())
    slug = request.POST.get("preset", "")
    if slug:
        preset = presets().get(slug)
        if preset is None:
            messages.error(request, "That preset does not exist. Choose one from the list.")
            return render(request, "drafts/new.html", _new_context(), status=400)
        # A preset's names are examples: the licensor starts from its choices and names their own.
        spec = {k: v for k, v in preset.spec.items()}
        spec["license"] = {k: v for k, v in spec["license"].items() if k not in ("name", "spdx_id")}
        spec["licensor"], spec["model"] = {}, {}
        draft = _new_draft(
            request.user,
            spec,
            title=f"{preset.title} draft",
            done=[],
            summary=f"Started from the {preset.title} preset",
        )
    else:
        draft = _new_draft(request.user, specs.defaults(), title=UNTITLED, summary="Started from scratch")
    return _redirect(request, _step_url(draft, "basics"))


@login_required
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
    draft = _new_draft(
        request.user, spec, done=answered, kind="import", summary=f"Imported from {name}" if name else ""
    )
    messages.success(request, f"Imported “{draft.title}”. Check each step, then export from the review.")
    return redirect(_step_url(draft, "review"))


@login_required
def resume(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    return redirect(_step_url(draft, wizard.first_unfinished(draft.spec, draft.done, draft.pending or {})))


@login_required
def rename(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    form = RenameForm(request.POST or None, initial={"title": draft.title})
    if request.method == "POST" and form.is_valid():
        Draft.objects.filter(pk=draft.pk).update(title=form.cleaned_data["title"])
        messages.success(request, "Draft renamed.")
        return _redirect(request, reverse("drafts:dashboard"))
    return render(request, "drafts/rename.html", {"draft": draft, "form": form}, status=400 if form.errors else 200)


@login_required
def duplicate(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    copy = Draft.objects.create(
        owner=request.user,
        title=f"Copy of {draft.title}"[:200],
        spec=draft.spec,
        pending=draft.pending,
        done=draft.done,
        lint=draft.lint,
        lint_count=draft.lint_count,
        lint_library=draft.lint_library,
    )
    revisions.record(copy, request.user, "duplicate", summary=f"Copied from “{draft.title}”")
    messages.success(request, f"Made “{copy.title}”.")
    return _redirect(request, reverse("drafts:dashboard"))


@login_required
def delete(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request, draft_id)
    if request.method == "POST":
        title = draft.title
        draft.delete()
        messages.success(request, f"Deleted “{title}”.")
        return _redirect(request, reverse("drafts:dashboard"))
    return render(request, "drafts/delete.html", {"draft": draft})


# -- the wizard ------------------------------------------------------------------------------


def _get_step(slug: str) -> wizard.Step:
    step = wizard.get_step(slug)
    if step is None:
        raise Http404("No such step")
    return step


@login_required
def step(request: HttpRequest, draft_id: int, slug: str) -> HttpResponse:
    draft = _draft(request, draft_id)
    current = _get_step(slug)
    if not current.condition(draft.spec):
        messages.info(request, f"{current.title} does not apply to your answers, so there is nothing to fill in.")
        return _redirect(request, _step_url(draft, wizard.next_step(draft.spec, slug) or "review"))
    if request.method == "POST" and current.form is not None:
        return _submit(request, draft, current)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    context = _step_context(request, draft, current)
    return _partial(request, "drafts/step.html", context, "wizard")


def _submit(request: HttpRequest, draft: Draft, current: wizard.Step) -> HttpResponse:
    form = current.form(request.POST, spec=draft.spec)
    editor = _editor(request)
    if not form.is_valid():
        _set_pending(draft, current.slug, _raw(form, request.POST))
        context = _step_context(request, draft, current, form, editor=editor)
        return _partial(request, "drafts/step.html", context, "wizard")
    saved = _save(draft, form, current.slug, _posted_version(request), editor)
    draft = saved.draft or draft
    if saved.conflict:
        context = _step_context(request, draft, current, form, conflict=_conflict(draft, form), editor=editor)
        return _partial(request, "drafts/step.html", context, "wizard", status=200 if request.htmx else 409)

    action = request.POST.get("action", "next")
    applicable = [s.slug for s in wizard.applicable(draft.spec)]
    goto = request.POST.get("goto", "")
    if goto in applicable:
        target = goto
    elif action == "back":
        target = wizard.previous_step(draft.spec, current.slug) or current.slug
    elif action == "save":
        target = current.slug
    else:
        target = wizard.next_step(draft.spec, current.slug) or "review"
    url = _step_url(draft, target)
    if not request.htmx:
        if target == current.slug:
            messages.success(request, "Saved.")
        return redirect(url)
    context = _step_context(request, draft, wizard.BY_SLUG[target], editor=editor)
    context["saved_note"] = "Saved."
    response = render(request, "drafts/step.html#wizard", context)
    return push_url(response, url)


@login_required
def autosave(request: HttpRequest, draft_id: int, slug: str) -> HttpResponse:
    """Saves a step as it is typed (htmx, debounced). Answers with out-of-band status updates only."""
    draft = _draft(request, draft_id)
    current = _get_step(slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if current.form is None or not current.condition(draft.spec):
        return HttpResponse(status=204)
    if not request.htmx:
        return _submit(request, draft, current)
    form = current.form(request.POST, spec=draft.spec)
    editor = _editor(request)
    context: dict[str, Any] = {"draft": draft, "step": current, "form": form, "editor": editor}
    if not form.is_valid():
        _set_pending(draft, current.slug, _raw(form, request.POST))
        context.update(status="invalid", errors=_error_summary(form))
        return render(request, "drafts/step.html#autosave", context)
    saved = _save(draft, form, current.slug, _posted_version(request), editor)
    context["draft"] = saved.draft
    if saved.conflict:
        context.update(status="conflict", conflict=_conflict(saved.draft, form), errors=[])
    else:
        context.update(status="saved", errors=[], saved_at=timezone.localtime(saved.draft.updated))
    context["steps"] = _nav(saved.draft)
    return render(request, "drafts/step.html#autosave", context)


@login_required
def preview(request: HttpRequest, draft_id: int, slug: str) -> HttpResponse:
    """The license as the form currently stands, validated but not saved."""
    if request.htmx:
        # Asked on every change while someone types: only the saved answers are loaded, as their
        # JSON text, which is also what the answers are remembered by.
        spec_text = _saved_spec_text(draft_id, request.user.pk)
        if spec_text is None:
            raise Http404("No such draft")
        current = _get_step(slug)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        base = outputs.parse_state(request.POST.get("preview_state", ""))
        completed = _answered(current, spec_text, request.POST) if current.form is not None else None
        if completed is not None:
            result, error = _preview(completed, base, completed=True)
        else:
            result, error = _preview(json.loads(spec_text), base)
        stale = current.form is not None and completed is None
        context = {"step": current, "preview": result, "preview_error": error, "stale": stale}
        # The partial reads nothing from the request, so it is rendered without one: the context
        # processors (user, messages, CSRF token) have nothing to add on every keystroke.
        return HttpResponse(render_to_string(PREVIEW_PARTIAL, context))
    draft = _draft(request, draft_id)
    current = _get_step(slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    base = outputs.parse_state(request.POST.get("preview_state", ""))
    form = current.form(request.POST, spec=draft.spec) if current.form is not None else None
    context = _step_context(request, draft, current, form, base=base, editor=_editor(request), previewing=True)
    return render(request, "drafts/step.html", context)


# -- exports ---------------------------------------------------------------------------------


@login_required
def export(request: HttpRequest, draft_id: int, fmt: str) -> HttpResponse:
    draft = _draft(request, draft_id)
    if fmt not in outputs.EXPORTS:
        raise Http404("No such format")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    paper, refused = outputs.paper_from(request)
    if refused is not None:
        return refused
    if not is_named(draft.spec):
        messages.error(request, "Name the license, the licensor and the model before exporting.")
        return redirect(_step_url(draft, "basics"))
    try:
        result = revisions.kept_build(draft) or outputs.build(complete(draft.spec))
        data = outputs.export(result, fmt, paper)
    except LibraryError as exc:
        return render(request, "drafts/export_error.html", {"draft": draft, "error": str(exc)}, status=503)
    return outputs.download(data, outputs.EXPORTS[fmt][1], outputs.download_name(draft.spec, fmt, paper))
