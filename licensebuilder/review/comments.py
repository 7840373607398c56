"""Comment threads by clause, for every page that shows a draft's clauses."""

from __future__ import annotations

from licensebuilder.drafts.models import Draft

from .models import Comment


def threads_for(draft: Draft) -> dict[str, list[Comment]]:
    """Top-level comments per clause id, oldest first, each with ``thread_replies`` (a list)."""
    comments = list(Comment.objects.filter(draft=draft).order_by("created", "id"))
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


def unresolved_count(draft: Draft) -> int:
    return Comment.objects.filter(draft=draft, parent__isnull=True, resolved__isnull=True).count()
