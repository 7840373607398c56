"""The wizard's pages: a step, saving it (submitted or autosaved as it is typed) and the live
preview of the license as the step's answers stand.

A step's answers are saved through ``Draft.save_answers``; what was typed and is still invalid is
kept with ``Draft.set_pending`` so that no work is lost.
"""

from __future__ import annotations

import json
import re
import secrets
from contextlib import suppress
from functools import cache, lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import push_url

from licensebuilder.core import spec as specs
from licensebuilder.core.complete import complete
from licensebuilder.core.library import LibraryError
from licensebuilder.core.render.pdf import PAPER_SIZES
from licensebuilder.drafts.htmx import htmx

from . import definitions, outputs, revisions, wizard
from .models import Draft
from .pages import draft_or_404, go, partial, step_url

_EDITOR = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
_MAX_PENDING_VALUES = 60
_MAX_PENDING_CHARS = 4000


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
    """What was typed into a step, bounded, to keep while it is invalid. Control characters, refused
    at their field, are kept as a visible mark: PostgreSQL cannot store a NUL in JSON at all."""
    out = {}
    for name in form.fields:
        values = [
            specs.mark_control_characters(v[:_MAX_PENDING_CHARS]) for v in data.getlist(name)[:_MAX_PENDING_VALUES]
        ]
        if values:
            out[name] = values
    return out


def _querydict(raw: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, values in raw.items():
        if isinstance(values, list):
            data.setlist(name, [str(v) for v in values])
    return data


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


def _field_name(anchor: str) -> str:
    """The field an error summary's anchor (``field-<name>``) points at."""
    return anchor.removeprefix("field-")


def _answered(step: wizard.Step, spec_text: str, data: QueryDict) -> tuple[dict[str, Any] | None, bool]:
    """The saved spec (as its JSON text) with this step's posted answers, completed with placeholders
    as the preview builds it, and whether every answer was valid. While some are not, the valid
    ones are applied and the others stay as saved (None if even that is no license). Remembered:
    the preview is asked the same question many times while someone types."""
    if step.form is None:
        return None, False
    fields = tuple((name, tuple(data.getlist(name))) for name in step.form.paths | _EXTRA_FIELDS.get(step.slug, {}))
    if len(spec_text) + sum(len(v) for _, values in fields for v in values) > _ANSWERED_KEY_MAX_CHARS:
        # Longer than any valid answers: worth no place in the cache, whose keys are posted text.
        return _answered_cached.__wrapped__(step.slug, spec_text, fields)
    return _answered_cached(step.slug, spec_text, fields)


PREVIEW_PARTIAL = "drafts/step.html#preview"

# Fields that are not a spec path of their own but feed one (custom restrictions join the list).
_EXTRA_FIELDS = {"use": {"custom_restrictions": ""}}


# The cache holds at most 256 entries of at most this many characters of key (the largest valid
# spec and answers are under 50,000) and a completed spec, smaller still: 16 MB of ASCII, 64 MB at
# worst, however large or many the posted answers.
_ANSWERED_KEY_MAX_CHARS = 64 * 1024


@lru_cache(maxsize=256)
def _answered_cached(
    slug: str, spec_text: str, fields: tuple[tuple[str, tuple[str, ...]], ...]
) -> tuple[dict[str, Any] | None, bool]:
    data = QueryDict(mutable=True)
    for name, values in fields:
        data.setlist(name, list(values))
    form_class = wizard.BY_SLUG[slug].form
    if form_class is None:
        return None, False
    form = form_class.checking(data, spec=json.loads(spec_text))
    try:
        # The form has validated the completed spec already: the preview needs no second validation.
        return (form.completed, True) if form.is_valid() else (form.valid_part, False)
    finally:
        # A form refers to itself through its bound fields. Let go of them, so the form is freed
        # as soon as this returns, not left for the garbage collector.
        form._bound_fields_cache.clear()  # type: ignore[attr-defined]  # Django's own, not in its stubs


def _preview(
    spec: dict[str, Any], base: dict[str, str] | None, *, completed: bool = False
) -> tuple[outputs.Preview | None, str]:
    """The preview of ``spec``, completed and validated first unless ``completed`` says it is."""
    try:
        return outputs.spec_preview(spec if completed else complete(spec), base), ""
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
    if form is not None and definitions.has_defined_questions(form):
        # Without a license to read them from, the questions stand without the definitions.
        with suppress(LibraryError, specs.SpecError):
            definitions.attach_definitions(form, draft.build().document)
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
        "named": draft.is_named,
        "exports": outputs.EXPORTS,
        "papers": sorted(PAPER_SIZES),
        "newer_wording": revisions.upgrade_notice(draft),
    }
    if step.slug == "review":
        context.update(_review_context(draft))
    return context


def _review_context(draft: Draft) -> dict[str, Any]:
    try:
        result = draft.build()
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
                link = step_url(draft, slug) + (f"#field-{target[1]}" if target else "")
                step_title = wizard.BY_SLUG[slug].title
                break
        else:
            step_title = ""
        items.append({"finding": finding, "link": link, "step_title": step_title})
    return {
        "findings": items,
        "deed": deed,
        "review_error": "",
        "unconfirmed": wizard.unconfirmed(draft.spec, draft.done),
    }


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


def _get_step(slug: str) -> wizard.Step:
    step = wizard.get_step(slug)
    if step is None:
        raise Http404("No such step")
    return step


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, draft_id: int, slug: str) -> HttpResponse:
    """A step's page, and the form of a step with answers posted back to it."""
    current = _get_step(slug)
    if current.form is None:
        return _review_step(request, draft_id, current)
    return _step(request, draft_id, current)


@require_safe
def _review_step(request: HttpRequest, draft_id: int, current: wizard.Step) -> HttpResponse:
    """The review has no answers to save: a POST is refused before the draft is looked up."""
    return _step(request, draft_id, current)


def _step(request: HttpRequest, draft_id: int, current: wizard.Step) -> HttpResponse:
    draft = draft_or_404(request, draft_id)
    if not current.condition(draft.spec):
        messages.info(request, f"{current.title} does not apply to your answers, so there is nothing to fill in.")
        return go(request, step_url(draft, wizard.next_step(draft.spec, current.slug) or "review"))
    if request.method == "POST":
        return _submit(request, draft, current)
    context = _step_context(request, draft, current)
    return partial(request, "drafts/step.html", context, "wizard")


def _submit(request: HttpRequest, draft: Draft, current: wizard.Step) -> HttpResponse:
    if current.form is None:  # callers submit only steps with a form
        raise Http404("This step has no answers to save")
    form = current.form(request.POST, spec=draft.spec)
    editor = _editor(request)
    if not form.is_valid():
        draft.set_pending(current.slug, _raw(form, request.POST))
        context = _step_context(request, draft, current, form, editor=editor)
        return partial(request, "drafts/step.html", context, "wizard")
    saved = draft.save_answers(form.onto, editor=editor, based_on_version=_posted_version(request), step=current.slug)
    draft = saved.draft
    if saved.conflict:
        context = _step_context(request, draft, current, form, conflict=_conflict(draft, form), editor=editor)
        return partial(request, "drafts/step.html", context, "wizard", status=200 if htmx(request) else 409)

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
    url = step_url(draft, target)
    if not htmx(request):
        if target == current.slug:
            messages.success(request, "Saved.")
        return redirect(url)
    context = _step_context(request, draft, wizard.BY_SLUG[target], editor=editor)
    context["saved_note"] = "Saved."
    response = render(request, "drafts/step.html#wizard", context)
    return push_url(response, url)


@login_required
@require_POST
def autosave(request: HttpRequest, draft_id: int, slug: str) -> HttpResponse:
    """Saves a step as it is typed (htmx, debounced). Answers with out-of-band status updates only."""
    draft = draft_or_404(request, draft_id)
    current = _get_step(slug)
    if current.form is None or not current.condition(draft.spec):
        return HttpResponse(status=204)
    if not htmx(request):
        return _submit(request, draft, current)
    form = current.form(request.POST, spec=draft.spec)
    editor = _editor(request)
    context: dict[str, Any] = {"draft": draft, "step": current, "form": form, "editor": editor}
    if not form.is_valid():
        draft.set_pending(current.slug, _raw(form, request.POST))
        # Only the fields typed into on this page are reported: the others are not wrong, only not
        # reached yet. A whole-step problem (no field of its own) is always reported.
        # Without the page's list of touched fields, every problem is reported.
        sent = request.POST.get("touched")
        touched = None if sent is None else set(sent.split()) & set(form.fields)
        errors = [e for e in _error_summary(form) if touched is None or not e[0] or _field_name(e[0]) in touched]
        still = 0 if touched is None else sum(1 for name in form.errors if name != "__all__" and name not in touched)
        context.update(status="invalid", errors=errors, touched=touched, still_needed=still)
        return render(request, "drafts/step.html#autosave", context)
    saved = draft.save_answers(form.onto, editor=editor, based_on_version=_posted_version(request), step=current.slug)
    context["draft"] = saved.draft
    if saved.conflict:
        context.update(status="conflict", conflict=_conflict(saved.draft, form), errors=[])
    else:
        context.update(status="saved", errors=[], saved_at=timezone.localtime(saved.draft.updated))
    context["steps"] = _nav(saved.draft)
    return render(request, "drafts/step.html#autosave", context)


@login_required
@require_POST
def preview(request: HttpRequest, draft_id: int, slug: str) -> HttpResponse:
    """The license as the form currently stands, validated but not saved."""
    if htmx(request):
        # Asked on every change while someone types: only the saved answers are loaded, as their
        # JSON text, which is also what the answers are remembered by.
        spec_text = _saved_spec_text(draft_id, request.user.pk)
        if spec_text is None:
            raise Http404("No such draft")
        current = _get_step(slug)
        base = outputs.parse_state(request.POST.get("preview_state", ""))
        completed, valid = _answered(current, spec_text, request.POST) if current.form is not None else (None, True)
        if completed is not None:
            result, error = _preview(completed, base, completed=True)
        else:
            result, error = _preview(json.loads(spec_text), base)
        # "partial": the valid answers shown, the others as saved; "saved": only the saved answers.
        stale = "" if valid else ("partial" if completed is not None else "saved")
        context = {"step": current, "preview": result, "preview_error": error, "stale": stale}
        # The partial reads nothing from the request, so it is rendered without one: the context
        # processors (user, messages, CSRF token) have nothing to add on every keystroke.
        return HttpResponse(render_to_string(PREVIEW_PARTIAL, context))
    draft = draft_or_404(request, draft_id)
    current = _get_step(slug)
    base = outputs.parse_state(request.POST.get("preview_state", ""))
    form = current.form(request.POST, spec=draft.spec) if current.form is not None else None
    context = _step_context(request, draft, current, form, base=base, editor=_editor(request), previewing=True)
    return render(request, "drafts/step.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, draft_id: int) -> HttpResponse:
    """The licensor keeps the answers of the steps they never opened, as the Review lists them."""
    draft = draft_or_404(request, draft_id)
    steps = [u.step.slug for u in wizard.unconfirmed(draft.spec, draft.done)]
    if steps:
        draft.confirm_steps(steps)
        titles = ", ".join(wizard.BY_SLUG[slug].title for slug in steps)
        messages.success(request, f"Kept the answers of {titles} as they are.")
    return go(request, step_url(draft, "review") + "#export-heading")
