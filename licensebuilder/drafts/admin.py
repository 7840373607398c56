"""The admin shows drafts read-only: support can look, only the owner changes a draft."""

import json

from django.contrib import admin
from django.utils.html import format_html

from .models import Draft, PdfCache


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Draft)
class DraftAdmin(_ReadOnly):
    list_display = ("title", "owner", "model_shown", "version", "lint", "updated")
    list_filter = ("lint",)
    search_fields = ("title", "owner__username")
    readonly_fields = ("title", "owner", "version", "lint", "lint_count", "created", "updated", "spec_json", "pending")
    fields = readonly_fields

    @admin.display(description="Model")
    def model_shown(self, obj: Draft) -> str:
        return obj.model_name

    @admin.display(description="Spec")
    def spec_json(self, obj: Draft) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.spec, indent=2, ensure_ascii=False))


@admin.register(PdfCache)
class PdfCacheAdmin(_ReadOnly):
    list_display = ("fingerprint", "paper", "created")
    fields = ("fingerprint", "paper", "key", "created")
    readonly_fields = fields
