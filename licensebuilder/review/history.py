"""Placeholder: being written (history, revision, restore, naming, upgrade)."""

from django.http import Http404

from .access import both, owner_view


def _todo(request, access, *args, **kwargs):
    raise Http404("Not yet")


history = both(_todo)
revision = both(_todo)
revision_export = both(_todo)
restore = owner_view(_todo)
name_revision = owner_view(_todo)
upgrade = owner_view(_todo)
