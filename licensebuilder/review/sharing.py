"""Placeholder: being written (share links, the review page, comments)."""

from django.http import Http404

from .access import both, owner_view, shared_view


def _todo(request, access, *args, **kwargs):
    raise Http404("Not yet")


read = both(_todo)
comment = both(_todo)
shared_export = shared_view(_todo)
shares = owner_view(_todo)
revoke = owner_view(_todo)
resolve = owner_view(_todo)
