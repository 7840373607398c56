"""Revisions, share links and comments, read-only: support can look, only the owner changes them.
A share link's token is never stored, so the admin cannot show one."""

from django.contrib import admin

from licensebuilder.drafts.admin import _ReadOnly
from licensebuilder.drafts.models import Revision

from .models import Comment, ShareLink


@admin.register(Revision)
class RevisionAdmin(_ReadOnly):
    list_display = ("draft", "number", "name", "kind", "author", "library_version", "created")
    list_filter = ("kind",)
    search_fields = ("draft__title", "name")
    fields = ("draft", "number", "name", "kind", "summary", "author", "library_version", "fingerprint", "created")
    readonly_fields = fields


@admin.register(ShareLink)
class ShareLinkAdmin(_ReadOnly):
    list_display = ("label", "draft", "created", "expires", "revoked")
    fields = ("label", "draft", "created", "expires", "revoked")
    readonly_fields = fields


@admin.register(Comment)
class CommentAdmin(_ReadOnly):
    list_display = ("draft", "clause_id", "name", "created", "resolved")
    list_filter = ("resolved",)
    fields = ("draft", "clause_id", "parent", "name", "body", "author", "link", "created", "resolved")
    readonly_fields = fields
