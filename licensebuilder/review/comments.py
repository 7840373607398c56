"""Comments on clauses: threads by clause, the comment form, the rate limit and posting.

A comment is plain text. It is stored as typed (stripped) and escaped wherever it is shown; it is
never read as Markdown or HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import F, QuerySet
from django.utils import timezone

from licensebuilder.core.spec import has_control_characters
from licensebuilder.drafts.models import Draft

from .access import Access
from .models import Comment

NAME_MAX_LENGTH = 80
# (window, most comments in it) per share link, or per owner when they comment themselves.
RATE_LIMITS: tuple[tuple[timedelta, int], ...] = ((timedelta(minutes=1), 10), (timedelta(days=1), 200))
_MAX_ID = 2**63 - 1


def threads_for(draft: Draft) -> dict[str, list[Comment]]:
    """Top-level comments per clause id, oldest first, each with ``thread_replies`` (a list)."""
    comments = list(
        Comment.objects.filter(draft=draft)
        .annotate(revision_number=F("revision__number"), link_label=F("link__label"))
        .order_by("created", "id")
    )
    replies: dict[int, list[Comment]] = {}
    for c in comments:
        if c.parent_id:
            replies.setdefault(c.parent_id, []).append(c)
    threads: dict[str, list[Comment]] = {}
    for c in comments:
        if not c.parent_id:
            c.thread_replies = replies.get(c.pk, [])
            threads.setdefault(c.clause_id, []).append(c)
    return threads


def open_only(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    return comments.filter(parent__isnull=True, resolved__isnull=True)


def unresolved_count(draft: Draft) -> int:
    return open_only(Comment.objects.filter(draft=draft)).count()


class CommentForm(forms.Form):
    """A new comment on a clause, or a reply (``parent``). ``clause_ids`` are the clauses of the
    draft's current text; a reviewer must give a name, the owner comments under their username."""

    clause_id = forms.CharField(max_length=100, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, min_value=1, max_value=_MAX_ID, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Your name",
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text="Shown with your comment.",
    )
    body = forms.CharField(
        label="Comment",
        max_length=Comment.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"Plain text, up to {Comment.MAX_LENGTH} characters.",
        error_messages={"required": "Write a comment before posting it."},
    )

    def __init__(self, *args: Any, access: Access, clause_ids: set[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.access, self.clause_ids = access, clause_ids
        self.parent_comment: Comment | None = None
        if not access.is_owner:
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = "Give your name, so the owner knows who commented."

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data.get("name", "").split())
        if has_control_characters(name):
            raise forms.ValidationError("The name must not contain control or bidirectional-override characters.")
        return name

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")
        if has_control_characters(body.replace("\n", "").replace("\t", "")):
            raise forms.ValidationError("The comment must not contain control or bidirectional-override characters.")
        return body

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Comment.objects.filter(draft=self.access.draft, pk=parent_id).first()
        if parent is None:
            raise forms.ValidationError("The comment you replied to no longer exists.")
        if parent.parent_id:  # a reply to a reply joins the thread it is in
            parent = Comment.objects.get(pk=parent.parent_id)
        self.parent_comment = parent
        return parent

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        parent = data.get("parent")
        if parent is not None:
            data["clause_id"] = parent.clause_id  # a reply belongs to its thread's clause
        elif "clause_id" in data and data["clause_id"] not in self.clause_ids:
            self.add_error("clause_id", "That clause is not in this draft's current text.")
        return data

    def typed(self, field: str) -> str:
        """What was posted for ``field``, to put back into the form."""
        value = self.data.get(field, "") if self.is_bound else ""
        return str(value)[: Comment.MAX_LENGTH * 2]


@dataclass
class Limited:
    """The rate limit that was reached: how many comments in how long."""

    count: int
    window: timedelta

    @property
    def words(self) -> str:
        span = "minute" if self.window <= timedelta(minutes=1) else "day"
        return f"{self.count} comments a {span}"


def rate_limited(access: Access, now: Any = None) -> Limited | None:
    """The limit this link (or this owner) has reached, if any. Counted from the rows themselves,
    so it holds across processes without a shared cache."""
    now = now or timezone.now()
    if access.link is not None:
        mine = Comment.objects.filter(link=access.link)
    else:
        mine = Comment.objects.filter(author=access.draft.owner_id, link__isnull=True)
    for window, most in RATE_LIMITS:
        if mine.filter(created__gt=now - window).count() >= most:
            return Limited(most, window)
    return None


def post(form: CommentForm, access: Access, author: Any, revision: Any, now: Any = None) -> Comment:
    """Record a valid form's comment."""
    data = form.cleaned_data
    name = author.get_username() if access.is_owner else data["name"]
    return Comment.objects.create(
        draft=access.draft,
        clause_id=data["clause_id"],
        parent=data.get("parent"),
        revision=revision,
        author=author if access.is_owner else None,
        link=access.link,
        name=name[:NAME_MAX_LENGTH],
        body=data["body"],
        created=now or timezone.now(),
    )


def toggle_resolved(comment: Comment, now: Any = None) -> Comment:
    comment.resolved = None if comment.resolved else (now or timezone.now())
    Comment.objects.filter(pk=comment.pk).update(resolved=comment.resolved)
    return comment
