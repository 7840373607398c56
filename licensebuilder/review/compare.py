"""Comparing two texts of a license: the choices that differ and a clause-by-clause redline.

Either side is named by a ref in the query string: ``current`` (the draft as it is now),
``rev-N`` (revision N of this draft, with the text it was drafted with), ``draft-ID`` (another of
the owner's drafts, for the owner only) or ``preset-SLUG``. A ref that names nothing this visitor
may see is a message on the form, never a 404 of the page: a reviewer learns nothing about the
owner's other drafts, not even whether one exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from licensebuilder.core import diff
from licensebuilder.core.assemble import Document
from licensebuilder.core.complete import complete
from licensebuilder.core.library import LibraryError
from licensebuilder.core.presets import presets
from licensebuilder.core.render.pdf import PAPER_SIZES
from licensebuilder.core.spec import SpecError
from licensebuilder.drafts import outputs, renders
from licensebuilder.drafts.models import Draft, Revision

from .access import SAFE, Access, both
from .comments import threads_for

FIELDS = {"a": "Compare from", "b": "Compare to"}
VIEWS = {"inline": "inline", "side": "side_by_side"}
EXPORTS = {
    # format: (label, content type, file extension)
    "html": ("HTML", "text/html; charset=utf-8", "html"),
    "pdf": ("PDF", "application/pdf", "pdf"),
    "md": ("Markdown", "text/markdown; charset=utf-8", "md"),
}
_REF = re.compile(r"^(?:current|rev-(\d{1,9})|draft-(\d{1,12})|preset-([a-z0-9][a-z0-9_-]{0,79}))$")
_MAX_OTHER_DRAFTS = 200
_MAX_REVISIONS = 12  # newest revisions offered in the selects
_INLINE = ("equal", "insert", "delete")
_OLD = ("equal", "delete")
_NEW = ("equal", "insert")


class _BadRef(Exception):
    """A ref that cannot be compared; the message is shown as it is."""


@dataclass
class Side:
    ref: str
    label: str
    spec: dict[str, Any]
    document: Document
    own: bool  # this draft, now or in one of its revisions


@dataclass
class Comparison:
    old: Side
    new: Side
    choices: list[diff.ChoiceChange]
    redline: diff.Redline

    @property
    def labels(self) -> tuple[str, str]:
        return self.old.label, self.new.label


# -- the two sides ----------------------------------------------------------------------------


def _revision_label(rev: Revision) -> str:
    parts = [f"Revision {rev.number}"]
    if rev.name:
        parts.append(rev.name)
    parts.append(dateformat.format(timezone.localtime(rev.created), "j M Y"))
    return " — ".join(parts)


def _built(spec: dict[str, Any]) -> tuple[dict[str, Any], Document]:
    completed = complete(spec)
    return completed, outputs.build(completed).document


def _current(access: Access, ref: str) -> Side:
    try:
        spec, document = _built(access.draft.spec)
    except SpecError as exc:
        raise _BadRef(f"the draft's answers cannot be assembled ({exc})") from exc
    return Side(ref, "Now", spec, document, own=True)


def _revision(access: Access, ref: str, number: int) -> Side:
    rev = access.draft.revisions.filter(number=number).first()
    if rev is None:
        raise _BadRef(f"no revision {number} in this draft")
    try:
        document = rev.text()
    except (KeyError, TypeError, ValueError) as exc:
        raise _BadRef(f"revision {number} cannot be read") from exc
    try:
        spec = complete(rev.spec)
    except SpecError:
        spec = document.spec  # answers from before today's rules: the text it was drafted with still holds them
    return Side(ref, _revision_label(rev), spec, document, own=True)


def _other_draft(access: Access, ref: str, draft_id: int) -> Side:
    if draft_id == access.draft.pk:
        return _current(access, ref)
    if not access.is_owner:
        raise _BadRef("not available")
    other = Draft.objects.filter(pk=draft_id, owner_id=access.draft.owner_id).first()
    if other is None:
        raise _BadRef(f"draft {draft_id} is not one of your drafts")
    try:
        spec, document = _built(other.spec)
    except SpecError as exc:
        raise _BadRef(f"the answers of “{other.title}” cannot be assembled") from exc
    return Side(ref, f"Draft: {other.title}", spec, document, own=False)


def _preset(ref: str, slug: str) -> Side:
    preset = presets().get(slug)
    if preset is None:
        raise _BadRef(f"no preset “{slug}”")
    spec, document = _built(preset.spec)
    return Side(ref, f"Preset: {preset.title}", spec, document, own=False)


def _side(access: Access, ref: str) -> Side:
    match = _REF.match(ref)
    if match is None:
        shown = ref if len(ref) <= 40 else ref[:39] + "…"
        raise _BadRef(f"“{shown}” is not something to compare; choose from the list")
    revision, draft_id, slug = match.groups()
    if revision is not None:
        return _revision(access, ref, int(revision))
    if draft_id is not None:
        return _other_draft(access, ref, int(draft_id))
    if slug is not None:
        return _preset(ref, slug)
    return _current(access, ref)


def _defaults(access: Access) -> tuple[str, str]:
    """The newest change: the revision before the newest one (or the only one) against now."""
    numbers = list(access.draft.revisions.order_by("-number").values_list("number", flat=True)[:2])
    return (f"rev-{numbers[-1]}" if numbers else "current"), "current"


def _compare_sides(old: Side, new: Side) -> Comparison:
    red = diff.redline(old.document, new.document)
    try:
        choices = diff.choices_diff(old.spec, new.spec, old_doc=old.document, new_doc=new.document, redline_=red)
    except (LibraryError, KeyError, TypeError, ValueError):
        # Answers from an older format cannot be re-assembled one by one: the words still say
        # what changed, without the clauses each change affected.
        choices = diff.choice_words(old.spec, new.spec)
    return Comparison(old, new, choices, red)


def _comparison(request: HttpRequest, access: Access) -> tuple[dict[str, str], Comparison | None, dict[str, str]]:
    """(refs, comparison, errors by field) for the query string."""
    default_a, default_b = _defaults(access)
    refs = {
        "a": request.GET.get("a", "").strip() or default_a,
        "b": request.GET.get("b", "").strip() or default_b,
    }
    sides: dict[str, Side] = {}
    errors: dict[str, str] = {}
    for name, ref in refs.items():
        try:
            sides[name] = _side(access, ref)
        except _BadRef as exc:
            errors[name] = f"{FIELDS[name]}: {exc}"
    if errors:
        return refs, None, errors
    return refs, _compare_sides(sides["a"], sides["b"]), errors


def _view(request: HttpRequest) -> str:
    """``inline`` or ``side``; anything else reads as the default, inline."""
    value = request.GET.get("view", "inline")
    return value if value in VIEWS else "inline"


# -- what the page shows ----------------------------------------------------------------------


def _options(access: Access, refs: dict[str, str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The choices of both selects, grouped. Other drafts are listed for their owner alone.

    Revisions: the newest ones and those chosen now, so that the page costs the same however long
    the history; any older one is compared from the History page's links."""
    chosen = [int(m.group(1)) for ref in refs.values() if (m := _REF.match(ref or "")) and m.group(1)]
    listed = access.draft.revisions.only("draft", "number", "name", "created").order_by("-number")
    newest = list(listed[:_MAX_REVISIONS])
    shown = {rev.number for rev in newest}
    missing = [number for number in chosen if number not in shown]
    older = list(listed.filter(number__in=missing)) if missing else []
    own = [("current", "Now")] + [(f"rev-{rev.number}", _revision_label(rev)) for rev in newest + older]
    groups = [("This draft", own)]
    if access.is_owner:
        others = Draft.objects.filter(owner_id=access.draft.owner_id).exclude(pk=access.draft.pk)
        drafts = [(f"draft-{d.pk}", f"Draft: {d.title}") for d in others.only("pk", "title")[:_MAX_OTHER_DRAFTS]]
        if drafts:
            groups.append(("Your other drafts", drafts))
    groups.append(("Presets", [(f"preset-{p.slug}", f"Preset: {p.title}") for p in presets().values()]))
    return groups


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _summary(comparison: Comparison) -> str:
    """ "4 answers differ · 6 clauses changed, 2 added, 1 removed", or plainly that nothing does."""
    choices = len(comparison.choices)
    statuses: list[str] = [c.status for c in comparison.redline.clauses()]
    counts = [(statuses.count(s), s) for s in ("changed", "added", "removed", "moved") if statuses.count(s)]
    if not choices and not counts:
        return "Nothing differs: the answers and the text are the same."
    answers = _plural(choices, "answer differs", "answers differ") if choices else "No answer differs"
    if not counts:
        return f"{answers} · the text is the same"
    (first, status), rest = counts[0], counts[1:]
    text = [f"{_plural(first, 'clause', 'clauses')} {status}", *(f"{n} {s}" for n, s in rest)]
    return f"{answers} · " + ", ".join(text)


def _entry(clause: diff.RedlineClause) -> dict[str, Any]:
    """One clause of the redline, its text as HTML for each view."""
    if clause.status in ("unchanged", "moved"):
        # Only the numbers it cites may differ, and renumbering alone is no change.
        plain = diff.segments_html((("equal", clause.clause.body),))
        inline = before = after = plain
    else:
        inline = diff.segments_html(clause.segments, _INLINE)
        before = diff.segments_html(clause.segments, _OLD) if clause.old else ""
        after = diff.segments_html(clause.segments, _NEW) if clause.new else ""
    was = clause.old.number if clause.old and clause.renumbered and clause.status != "moved" else ""
    return {
        "id": clause.id,
        "anchor": clause.clause.anchor,
        "number": clause.number,
        "title": clause.title,
        "status": clause.status,
        "status_words": diff.status_words(clause),
        "was": was,
        # Sanitised HTML from the engine: Markdown with raw HTML off, then the allow-list.
        "inline": mark_safe(inline),
        "before": mark_safe(before),
        "after": mark_safe(after),
    }


def _sections(red: diff.Redline) -> list[dict[str, Any]]:
    sections = []
    for section in red.sections:
        groups: list[dict[str, Any]] = []
        for clause in section.clauses:
            if clause.status == "unchanged":
                if groups and groups[-1]["unchanged"]:
                    groups[-1]["clauses"].append(_entry(clause))
                else:
                    groups.append({"unchanged": True, "clauses": [_entry(clause)]})
            else:
                groups.append({"unchanged": False, "clause": _entry(clause)})
        for group in groups:
            if group["unchanged"]:
                group["note"] = _plural(len(group["clauses"]), "unchanged clause", "unchanged clauses")
        sections.append({"number": section.number, "title": section.title, "status": section.status, "groups": groups})
    return sections


def _choice_items(comparison: Comparison) -> list[dict[str, Any]]:
    red = comparison.redline
    items = []
    for change in comparison.choices:
        links = []
        for cid in change.clauses:
            clause = red.clause(cid)
            if clause is not None:
                links.append({"anchor": clause.clause.anchor, "text": f"{clause.number} {clause.title}"})
        items.append({"text": str(change), "links": links})
    return items


def _query(refs: dict[str, str], view: str, **extra: str) -> str:
    return urlencode({"a": refs["a"], "b": refs["b"], "view": view, **extra})


def _page_context(
    access: Access, refs: dict[str, str], view: str, comparison: Comparison | None, errors: dict[str, str]
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "access": access,
        "errors": errors,
        "fields": [
            {"name": name, "label": label, "value": refs[name], "error": errors.get(name, "")}
            for name, label in FIELDS.items()
        ],
        "draft": access.draft,
        "refs": refs,
        "view": view,
        "options": _options(access, refs),
        "query": _query(refs, view),
        "swap_query": _query({"a": refs["b"], "b": refs["a"]}, view),
        "papers": [(key, label) for key, label in PAPER_SIZES.items()],
        "comparison": comparison,
    }
    if comparison is not None:
        red = comparison.redline
        context.update(
            summary=_summary(comparison),
            choices=_choice_items(comparison),
            sections=_sections(red) if red.changed else [],
            clause_count=len(red.clauses()),
            show_threads=comparison.old.own or comparison.new.own,
            threads=threads_for(access.draft) if comparison.old.own or comparison.new.own else {},
        )
    return context


def _filename(access: Access, refs: dict[str, str], ext: str) -> str:
    try:
        stem = outputs.file_stem(complete(access.draft.spec))
    except (SpecError, KeyError, TypeError):
        stem = "license"
    return f"{stem}-compare-{refs['a']}-{refs['b']}.{ext}"


# -- views ------------------------------------------------------------------------------------


def _compare(request: HttpRequest, access: Access) -> HttpResponse:
    view = _view(request)
    try:
        refs, comparison, errors = _comparison(request, access)
    except LibraryError as exc:
        context = _page_context(access, {"a": "", "b": ""}, view, None, {})
        context["unavailable"] = str(exc)
        return render(request, "review/compare.html", context, status=503)
    context = _page_context(access, refs, view, comparison, errors)
    return render(request, "review/compare.html", context, status=400 if errors else 200)


def _compare_export(request: HttpRequest, access: Access, fmt: str) -> HttpResponse:
    if fmt not in EXPORTS:
        return HttpResponse(f"format: must be one of {', '.join(EXPORTS)}", status=400, content_type="text/plain")
    paper, refused = outputs.paper_from(request)
    if refused is not None:
        return refused
    view = VIEWS[_view(request)]
    try:
        refs, comparison, errors = _comparison(request, access)
        if comparison is None:
            return HttpResponse("\n".join(errors.values()), status=400, content_type="text/plain; charset=utf-8")
        red, choices, labels = comparison.redline, comparison.choices, comparison.labels
        if fmt == "md":
            data: str | bytes = diff.redline_markdown(red, choices, labels=labels)
        elif fmt == "html":
            data = diff.redline_page(red, choices, view, labels=labels)
        else:
            page = diff.redline_page(red, choices, view, print_css=True, labels=labels)
            data = renders.pdf(renders.page_key(page, paper), lambda: (page, {}), paper)
    except LibraryError as exc:
        return HttpResponse(f"The license text cannot be assembled: {exc}", status=503, content_type="text/plain")
    _label, content_type, ext = EXPORTS[fmt]
    return outputs.download(data, content_type, _filename(access, refs, ext))


compare = both(_compare, SAFE)
compare_export = both(_compare_export, SAFE)
