"""A draft is one licensor's spec in progress, and the one write path for it.

A draft is started, saved, restored and built by its own methods: every change of its answers
goes through ``_write``, which applies the title rule, refreshes the lint fields and raises the
version, and is then recorded as a revision. Its version counter guards against lost updates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from licensebuilder.core.complete import is_named
from licensebuilder.core.library import LibraryError
from licensebuilder.core.spec import SpecError

from .builds import CachedBuild, build_answers, library_version, lint_fields
from .revision import COALESCE_WINDOW, Revision, summary_line

UNTITLED = "Untitled draft"
TITLE_MAX = 200

# Answers to save: a whole spec, or a function giving the answers applied to the spec saved now
# (None when they no longer validate against it), so a step's answers are applied to the latest.
Answers = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any] | None]


def _empty_dict() -> dict[str, Any]:
    return {}


def _empty_list() -> list[str]:
    return []


def _license_name(spec: dict[str, Any]) -> str:
    return (spec.get("license") or {}).get("name") or ""


def _title_for(title: str, spec: dict[str, Any]) -> str:
    """A title given to the draft (collapsed to single spaces); none given, the license's name,
    else the placeholder."""
    return (" ".join(title.split()) or _license_name(spec) or UNTITLED)[:TITLE_MAX]


def _title_after(title: str, old_spec: dict[str, Any], new_spec: dict[str, Any]) -> str:
    """The title rule: a title that is still the placeholder or the license's name follows the
    license's name; one the licensor chose stays."""
    new_name = _license_name(new_spec)
    if new_name and title in (UNTITLED, _license_name(old_spec)):
        return new_name[:TITLE_MAX]
    return title


@dataclass
class Saved:
    """What became of a save: the draft as it is now, and whether the save was refused because
    the page was made from a version someone else has changed since."""

    draft: Draft
    conflict: bool


class DraftQuerySet(models.QuerySet["Draft"]):
    def start(
        self,
        owner: Any,
        *,
        spec: dict[str, Any],
        kind: str = "created",
        title: str = "",
        done: list[str] | None = None,
        pending: dict[str, Any] | None = None,
        summary: str = "",
    ) -> Draft:
        """A new draft with these answers, checked, and its first revision recorded."""
        draft = self.create(
            owner=owner,
            title=_title_for(title, spec),
            spec=spec,
            done=done or [],
            pending=pending or {},
            **lint_fields(spec),
        )
        draft.record_revision(owner, kind, summary=summary)
        return draft

    def relint(self, batch: int = 500) -> int:
        """Refresh the lint fields of the drafts checked with another clause library than today's:
        a bulk pass to run after the library changes (``manage.py license relint``, run by the
        image on start). One UPDATE per ``batch`` drafts. Returns how many drafts it updated."""
        current = library_version()
        count, pending = 0, []
        stale = self.exclude(lint_library=current).only("pk", "spec").order_by("pk")
        for draft in stale.iterator(chunk_size=batch):
            for key, value in lint_fields(draft.spec).items():
                setattr(draft, key, value)
            pending.append(draft)
            if len(pending) == batch:
                count += self.bulk_update(pending, ["lint", "lint_count", "lint_library"])
                pending = []
        if pending:
            count += self.bulk_update(pending, ["lint", "lint_count", "lint_library"])
        return count


class Draft(models.Model):
    # Set on the drafts of a dashboard page by its view: how many comments are open.
    open_comments: int

    LINT_CHOICES = [
        ("incomplete", "Incomplete"),
        ("clean", "No warnings"),
        ("warnings", "Warnings"),
        ("errors", "Errors"),
        ("unknown", "Not checked"),
    ]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(max_length=TITLE_MAX)
    # Always a spec that validates once the names still missing are filled with placeholders:
    # see core.complete. What a licensor typed that does not validate lives in `pending`.
    spec = models.JSONField(default=_empty_dict)
    # Invalid step input kept until it is fixed: {step slug: {field name: [raw values]}}.
    pending = models.JSONField(default=_empty_dict, blank=True)
    # Steps whose answers have been saved and were valid.
    done = models.JSONField(default=_empty_list, blank=True)
    version = models.PositiveIntegerField(default=1)
    # The editor (one page in one tab) that made the last saves, and the version its run of saves
    # started from: a save based on an older version is only accepted from that same editor.
    last_editor = models.CharField(max_length=32, blank=True, default="")
    editor_since = models.PositiveIntegerField(default=0)
    lint = models.CharField(max_length=12, choices=LINT_CHOICES, default="unknown")
    lint_count = models.PositiveIntegerField(default=0)
    lint_library = models.CharField(max_length=40, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        app_label = "drafts"
        ordering = ["-updated", "-id"]
        indexes = [models.Index(fields=["owner", "-updated"])]

    def __str__(self) -> str:
        return self.title

    @property
    def model_name(self) -> str:
        return (self.spec.get("model") or {}).get("name") or ""

    @property
    def license_name(self) -> str:
        return _license_name(self.spec)

    @property
    def is_named(self) -> bool:
        """Whether the licensor has given every name a license needs (so it may be exported)."""
        return is_named(self.spec)

    def build(self) -> CachedBuild:
        """The license these answers make today. Raises SpecError or LibraryError."""
        return build_answers(self.spec)

    def with_current_lint(self) -> Draft:
        """This draft with lint fields for today's clause library, in memory only: pages read
        drafts and never write them; ``Draft.objects.relint()`` stores them in bulk."""
        if self.lint_library != library_version():
            for key, value in lint_fields(self.spec).items():
                setattr(self, key, value)
        return self

    # -- revisions ------------------------------------------------------------------------------

    def record_revision(self, author: Any, kind: str = "edit", *, name: str = "", summary: str = "") -> Revision | None:
        """Record this draft's current answers as a revision, folding an edit into the open revision
        of the same author's current burst. Returns the revision, or None when the answers did not
        change or cannot be rendered (a clause library problem: the draft itself is still saved)."""
        try:
            result = build_answers(self.spec)
        except (LibraryError, SpecError):
            return None
        document, markdown = result.document.to_data(), result.markdown
        fingerprint, version = result.fingerprint, result.document.library_version
        now = timezone.now()
        author = author if getattr(author, "is_authenticated", False) else None
        with transaction.atomic():
            # Locks the draft row so two saves never take the same revision number.
            Draft.objects.select_for_update().filter(pk=self.pk).values_list("pk").first()
            # The revisions' text (document, Markdown: ~100 KB) is not read to decide: only written.
            history = self.revisions.defer("document", "markdown").order_by("-number")
            latest = history.first()
            if latest is not None and latest.spec == self.spec and kind == "edit":
                return None
            if (
                kind == "edit"
                and latest is not None
                and latest.kind == "edit"
                and not latest.name
                and latest.author_id == (author.pk if author else None)
                and latest.library_version == version
                and now - latest.created < COALESCE_WINDOW
                and not latest.comments_exist()
            ):
                before = history.filter(number__lt=latest.number).first()
                if before is not None and before.spec == self.spec:
                    latest.delete()  # edited back to where the burst began: nothing to record
                    return before
                latest.spec, latest.document, latest.markdown = self.spec, document, markdown
                latest.fingerprint, latest.library_version, latest.last_edit = fingerprint, version, now
                latest.summary = summary_line(before.spec if before else None, self.spec)
                latest.save()
                return latest
            return Revision.objects.create(
                draft=self,
                number=(latest.number + 1) if latest else 1,
                kind=kind,
                spec=self.spec,
                document=document,
                markdown=markdown,
                fingerprint=fingerprint,
                library_version=version,
                author=author,
                name=name[:120],
                summary=(summary or summary_line(latest.spec if latest else None, self.spec))[:300],
                created=now,
                last_edit=now,
            )

    # -- the write path --------------------------------------------------------------------------

    def _write(self, current: Draft, spec: dict[str, Any], **fields: Any) -> int:
        """Store ``spec`` over ``current`` (the row as just read) if nobody saved in between."""
        return Draft.objects.filter(pk=current.pk, version=current.version).update(
            spec=spec,
            title=_title_after(current.title, current.spec, spec),
            version=F("version") + 1,
            updated=timezone.now(),
            **lint_fields(spec),
            **fields,
        )

    def save_answers(self, answers: Answers, *, editor: str, based_on_version: int | None, step: str = "") -> Saved:
        """Save answers given on a page made from ``based_on_version``, as ``step`` if any.

        Refused when that version is older than the saved one and the newer saves were made by
        another editor. The write is a conditional UPDATE on the version read just before, so two
        saves can never both succeed against the same version; the loser gets a conflict, not a
        silent overwrite.
        """
        onto = answers if callable(answers) else (lambda _spec: answers)
        for _ in range(3):
            current = Draft.objects.get(pk=self.pk)
            spec = onto(current.spec)
            own_run = (
                editor == current.last_editor
                and based_on_version is not None
                and based_on_version >= current.editor_since
            )
            if based_on_version != current.version and not own_run:
                # A stale page whose answers match what is saved anyway loses nothing: accept it.
                return Saved(current, conflict=spec != current.spec)
            if spec is None:  # cannot happen for answers that were valid a moment ago; be safe
                return Saved(current, conflict=True)
            pending = {k: v for k, v in (current.pending or {}).items() if k != step}
            done = list(dict.fromkeys([*current.done, step])) if step else current.done
            if spec == current.spec and pending == current.pending and done == current.done:
                return Saved(current, conflict=False)
            since = current.editor_since if editor == current.last_editor else (based_on_version or 0)
            if self._write(current, spec, pending=pending, done=done, last_editor=editor, editor_since=since):
                saved = Draft.objects.select_related("owner").get(pk=current.pk)
                if saved.spec != current.spec:
                    saved.record_revision(saved.owner)
                return Saved(saved, conflict=False)
        return Saved(Draft.objects.get(pk=self.pk), conflict=True)

    def confirm_steps(self, steps: list[str]) -> None:
        """Count ``steps`` as answered as they stand: the licensor read their answers on the Review
        and keeps them. Changes no answer, so no new version or revision."""
        done = list(Draft.objects.filter(pk=self.pk).values_list("done", flat=True).first() or [])
        done = list(dict.fromkeys([*done, *steps]))
        Draft.objects.filter(pk=self.pk).update(done=done)
        self.done = done

    def set_pending(self, step: str, raw: dict[str, list[str]] | None) -> None:
        """Keep what was typed into ``step`` while it is invalid (``raw``), or forget it (None)."""
        pending = dict(Draft.objects.filter(pk=self.pk).values_list("pending", flat=True).first() or {})
        if raw is None:
            pending.pop(step, None)
        else:
            pending[step] = raw
        Draft.objects.filter(pk=self.pk).update(pending=pending)
        self.pending = pending

    def rename(self, title: str) -> None:
        """Give the draft the title its licensor chose, their private label. It is not an answer:
        no new version, no revision. Under the title rule a chosen title stays when the license's
        name changes; an empty one is the license's name again, as when the draft was started."""
        self.title = _title_for(title, self.spec)
        Draft.objects.filter(pk=self.pk).update(title=self.title)

    def restore(self, revision: Revision, author: Any) -> Revision | None:
        """Give the draft the answers of ``revision`` as a save would: a new version, fresh checks,
        the steps done kept, recorded as a new revision. An open wizard page made from an older
        version then sees a conflict, not an overwrite."""
        with transaction.atomic():
            current = Draft.objects.select_for_update().get(pk=self.pk)
            self._write(current, revision.spec, pending={}, last_editor="", editor_since=current.version + 1)
        restored = Draft.objects.get(pk=self.pk)
        summary = f"Restored revision {revision.number}" + (f" “{revision.name}”" if revision.name else "")
        return restored.record_revision(author, "restore", summary=summary)

    def duplicate(self, owner: Any) -> Draft:
        """A copy of this draft, answers and unfinished steps included, with a history of its own."""
        return Draft.objects.start(
            owner,
            spec=self.spec,
            kind="duplicate",
            title=f"Copy of {self.title}",
            done=self.done,
            pending=self.pending,
            summary=f"Copied from “{self.title}”",
        )
