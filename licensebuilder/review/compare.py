"""Placeholder: being written (compare views and exports)."""

from django.http import Http404

from .access import both


def _todo(request, access, *args, **kwargs):
    raise Http404("Not yet")


compare = both(_todo)
compare_export = both(_todo)
