"""Share links, the review page and comments.

The review page (``read``) shows the license clause by clause with the comments on each clause,
the choices in plain words and the exports. The owner reaches it at /drafts/<id>/read/, a
reviewer at /s/<token>/ through a share link: the same page without anything that changes the
draft, except a form to comment.

A share link's token is shown once, when it is made; only its sha256 is stored.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.csrf import csrf_exempt

from licensebuilder.core import spec as specs
from licensebuilder.core.assemble import Clause, Document, Section
from licensebuilder.core.complete import is_named
from licensebuilder.core.exports import Build
from licensebuilder.core.library import LibraryError
from licensebuilder.core.render.pdf import PAPER_SIZES
from licensebuilder.drafts import outputs, revisions

from . import comments
from .access import FORM, POST, SAFE, Access, both, owner_view, private, shared_view, token_hash
from .models import LAST_USE_DAYS, Comment, ShareLink

# Security events, one JSON line each (see licensebuilder.ops.logs): who can read a draft changed.
_security = logging.getLogger("licensebuilder.security")

_SESSION_NAME = "review-name"  # a reviewer's name, typed once per browser session

# -- helpers ---------------------------------------------------------------------------------


class ShareForm(forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=100,
        help_text="Who the link is for, e.g. “Outside counsel”. Only you see it.",
        error_messages={"required": "Give the link a label, so you can tell your links apart."},
    )
    expires_in = forms.IntegerField(
        label="Expires after (days)",
        required=False,
        min_value=1,
        max_value=365,
        help_text="From 1 to 365 days. Leave empty for a link that lasts until you revoke it.",
        error_messages={
            "invalid": "Enter a whole number of days, from 1 to 365.",
            "min_value": "A link must last at least 1 day: enter 1 to 365, or leave it empty.",
            "max_value": "A link can last at most 365 days: enter 1 to 365, or leave it empty.",
        },
    )

    def clean_label(self) -> str:
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise forms.ValidationError("Give the link a label, so you can tell your links apart.")
        if specs.has_control_characters(label):
            raise forms.ValidationError("The label must not contain control or bidirectional-override characters.")
        return label


def _create_link(access: Access, data: dict[str, Any]) -> tuple[ShareLink, str]:
    """A new link and its token; the token itself is not kept anywhere."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    days = data.get("expires_in")
    link = ShareLink.objects.create(
        draft=access.draft,
        label=data["label"],
        token_hash=token_hash(token),
        created=now,
        expires=now + timedelta(days=days) if days else None,
    )
    _security.warning(
        "share link created",
        extra={"event": "share_link_created", "draft_id": access.draft.pk, "link_id": link.pk,
               "user_id": access.draft.owner_id, "expires": link.expires.isoformat() if link.expires else None},
    )  # fmt: skip
    return link, token


def _link_status(link: ShareLink, now: Any) -> str:
    if link.revoked is not None:
        return "revoked"
    return "live" if link.is_live(now) else "expired"


def _shares_page(
    request: HttpRequest, access: Access, form: ShareForm, *, created: tuple[ShareLink, str] | None = None
) -> HttpResponse:
    now = timezone.now()
    links = list(access.draft.share_links.all())
    used = ShareLink.last_uses(links)
    context: dict[str, Any] = {
        "draft": access.draft,
        "access": access,
        "form": form,
        "links": [(link, _link_status(link, now), used.get(link.pk)) for link in links],
        "last_use_days": LAST_USE_DAYS,
    }
    if created is not None:
        link, token = created
        context["created"] = link
        context["created_url"] = request.build_absolute_uri(reverse("review:shared-home", args=[token]))
    response = render(request, "review/shares.html", context, status=400 if form.errors else 200)
    # The page may show a new token in its text: no cache may keep it. Its URL holds no token, and
    # its forms must keep working: a "no-referrer" page's POSTs carry "Origin: null", which the
    # CSRF check refuses.
    return private(response, referrer="same-origin")


@dataclass
class _Row:
    clause: Clause
    html: SafeString


@dataclass
class _Part:
    section: Section
    rows: list[_Row]


@dataclass
class _Text:
    header: str = ""  # SafeString when there is a text
    parts: list[_Part] = field(default_factory=list)
    deed: str = ""
    clause_ids: set[str] = field(default_factory=set)
    error: str = ""


def _build(access: Access) -> Build:
    """The draft's text as its owner exports it: the wording they chose to keep, if they did,
    else today's clause library applied to the answers."""
    return revisions.export_build(access.draft)


def _text(access: Access) -> _Text:
    """The draft's current text, clause by clause, as the live preview renders it."""
    try:
        result = _build(access)
    except LibraryError:
        return _Text(error="The clause library cannot be loaded right now, so the text cannot be shown.")
    except specs.SpecError:
        return _Text(error="The draft's answers cannot be turned into a license yet.")
    doc: Document = result.document
    parts = [_Part(section, [_Row(c, outputs.clause_html(c)) for c in section.clauses]) for section in doc.sections]
    return _Text(
        header=outputs.header_html(doc),
        parts=parts,
        deed=outputs.deed_html(result),
        clause_ids={c.id for c in doc.clauses()},
    )


def _exports(access: Access) -> list[dict[str, Any]]:
    """The download links: the owner's own export URLs, or the share link's."""
    out = []
    for fmt, (label, _type, _suffix) in outputs.EXPORTS.items():
        if access.is_owner:
            url = reverse("drafts:export", args=[access.draft.pk, fmt])
        else:
            url = reverse("review:shared-export", args=[access.token, fmt])
        papers = [(p, url + ("" if p == "a4" else f"?paper={p}")) for p in sorted(PAPER_SIZES)]
        out.append({"fmt": fmt, "label": label, "url": url, "papers": papers if fmt in ("pdf", "bundle") else []})
    return out


def _reviewer_name(request: HttpRequest) -> str:
    name = request.session.get(_SESSION_NAME, "")
    return name if isinstance(name, str) else ""


def _error_summary(form: comments.CommentForm | None, prefix: str) -> list[tuple[str, str, str]]:
    """(field id, label, message) for every error of a refused comment."""
    if form is None:
        return []
    labels = {"clause_id": "Clause", "parent": "Reply", "name": "Your name", "body": "Comment"}
    out = [("", "Comment", str(m)) for m in form.non_field_errors()]
    for name in ("clause_id", "parent", "name", "body"):
        for message in form.errors.get(name, []):
            anchor = f"{prefix}{name}" if name in ("name", "body") else ""
            out.append((anchor, labels[name], str(message)))
    return out


def _read_page(
    request: HttpRequest,
    access: Access,
    form: comments.CommentForm | None = None,
    *,
    text: _Text | None = None,
    limited: comments.Limited | None = None,
    status: int = 200,
) -> HttpResponse:
    text = text or _text(access)
    threads = comments.threads_for(access.draft)
    # Which form on the page was refused, to open it again with the typed text; none when it
    # named a clause or a comment that is not on the page (the summary then keeps the text).
    failed_clause, failed_parent, prefix, known = "", None, "", False
    if form is not None and form.parent_comment is not None:
        failed_parent, failed_clause = form.parent_comment.pk, form.parent_comment.clause_id
        prefix, known = f"r-{failed_parent}-", True
    elif form is not None and not form.typed("parent").strip():
        failed_clause = form.typed("clause_id")
        prefix, known = f"c-{failed_clause}-", failed_clause in text.clause_ids
    orphans = [(cid, items) for cid, items in threads.items() if cid not in text.clause_ids and not text.error]
    context = {
        "draft": access.draft,
        "access": access,
        "text": text,
        "threads": threads,
        "orphans": orphans,
        "open_count": sum(1 for items in threads.values() for c in items if c.resolved is None),
        "exports": _exports(access),
        "named": is_named(access.draft.spec),
        "commenting": True,
        "comment_url": access.url("comment"),
        "form": form,
        "errors": _error_summary(form, prefix),
        "failed_clause": failed_clause,
        "failed_parent": failed_parent,
        "failed_known": known,
        "limited": limited,
        "reviewer_name": form.typed("name") if form is not None else _reviewer_name(request),
        "name_max": comments.NAME_MAX_LENGTH,
        "body_max": Comment.MAX_LENGTH,
    }
    return render(request, "review/read.html", context, status=status)


def _back_to(access: Access, clause_id: str, text: _Text) -> str:
    clause = next((r.clause for p in text.parts for r in p.rows if r.clause.id == clause_id), None)
    anchor = clause.anchor if clause is not None else "comments-elsewhere"
    return f"{access.url('read')}#{anchor}"


def _export_response(request: HttpRequest, access: Access, fmt: str) -> HttpResponse:
    """The same download the owner gets from the export URL, by the same name."""
    paper, refused = outputs.paper_from(request)
    if refused is not None:
        return refused
    spec = access.draft.spec
    if not is_named(spec):
        return render(request, "review/share_unavailable.html", {"access": access, "reason": "unnamed"}, status=409)
    try:
        data = outputs.export(_build(access), fmt, paper)
    except (LibraryError, specs.SpecError):
        return render(request, "review/share_unavailable.html", {"access": access, "reason": "library"}, status=503)
    return outputs.download(data, outputs.EXPORTS[fmt][1], outputs.download_name(spec, fmt, paper))


def _safe_next(request: HttpRequest, access: Access) -> str:
    """Where to go after resolving: a page of the same draft the owner came from, else the review page."""
    target = request.POST.get("next", "")
    prefix = f"/drafts/{access.draft.pk}/"
    if target.startswith(prefix) and "//" not in target and "\\" not in target and len(target) < 500:
        return target
    return access.url("read")


# -- pages -----------------------------------------------------------------------------------


def _read(request: HttpRequest, access: Access) -> HttpResponse:
    return _read_page(request, access)


def _comment(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method != "POST":
        return redirect(access.url("read"))
    text = _text(access)
    form = comments.CommentForm(request.POST, access=access, clause_ids=text.clause_ids)
    if not form.is_valid():
        return _read_page(request, access, form, text=text, status=400)
    now = timezone.now()
    limited = comments.rate_limited(access, now)
    if limited is not None:
        return _read_page(request, access, form, text=text, limited=limited, status=429)
    comment = comments.post(form, access, request.user, revisions.ensure_revision(access.draft), now)
    if not access.is_owner:
        request.session[_SESSION_NAME] = comment.name
    messages.success(request, "Reply posted." if comment.parent_id else "Comment posted.")
    return redirect(_back_to(access, comment.clause_id, text))


def _shares(request: HttpRequest, access: Access) -> HttpResponse:
    if request.method == "POST":
        form = ShareForm(request.POST)
        if form.is_valid():
            created = _create_link(access, form.cleaned_data)
            return _shares_page(request, access, ShareForm(), created=created)
        return _shares_page(request, access, form)
    return _shares_page(request, access, ShareForm())


def _revoke(request: HttpRequest, access: Access, link_id: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=link_id, draft=access.draft)
    if link.revoked is None:
        ShareLink.objects.filter(pk=link.pk, revoked__isnull=True).update(revoked=timezone.now())
        _security.warning(
            "share link revoked",
            extra={"event": "share_link_revoked", "draft_id": access.draft.pk, "link_id": link.pk,
                   "user_id": access.draft.owner_id},
        )  # fmt: skip
        messages.success(request, f"Revoked “{link.label}”: the link no longer opens anything.")
    return redirect("review:shares", access.draft.pk)


def _resolve(request: HttpRequest, access: Access, comment_id: int) -> HttpResponse:
    comment = get_object_or_404(Comment, pk=comment_id, draft=access.draft, parent__isnull=True)
    comments.toggle_resolved(comment)
    messages.success(request, "Comment resolved." if comment.resolved else "Comment reopened.")
    return redirect(_safe_next(request, access))


def _shared_export(request: HttpRequest, access: Access, fmt: str) -> HttpResponse:
    if fmt not in outputs.EXPORTS:
        raise Http404("No such format")
    return _export_response(request, access, fmt)


read = both(_read, SAFE)
# A reviewer's comment is posted from a share page, which sends no Referer at all, so the browser
# marks the POST "Origin: null" and the CSRF check would refuse every one. CSRF protects requests
# that ride on ambient credentials (a session cookie); a reviewer's only credential is the token in
# the URL, which a forged request would have to know already: whoever knows it may comment anyway.
# A GET goes back to the review page, where the comment forms are.
comment = (owner_view(_comment, FORM), csrf_exempt(shared_view(_comment, FORM)))
shared_export = shared_view(_shared_export, SAFE)
shares = owner_view(_shares, FORM)
revoke = owner_view(_revoke, POST)
resolve = owner_view(_resolve, POST)
