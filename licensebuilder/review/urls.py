"""Review pages. Read-only pages exist twice: for the owner under /drafts/<id>/ (signed in) and for
a reviewer under /s/<token>/ (a share link). ``Access.url`` picks between ``name`` and
``shared-name``; owner-only pages (restore, naming, upgrade, share links, resolving) have no
shared twin."""

from django.urls import path

from . import compare, history, sharing

app_name = "review"

_READ_ONLY = [
    # (route after the prefix, view pair, name)
    ("read/", sharing.read, "read"),
    ("history/", history.history, "history"),
    ("history/<int:number>/", history.revision, "revision"),
    ("history/<int:number>/export/<slug:fmt>/", history.revision_export, "revision-export"),
    ("compare/", compare.compare, "compare"),
    ("compare/export/<slug:fmt>/", compare.compare_export, "compare-export"),
    ("comments/", sharing.comment, "comment"),
]

urlpatterns = [
    *[path(f"drafts/<int:draft_id>/{route}", views[0], name=name) for route, views, name in _READ_ONLY],
    *[path(f"s/<str:token>/{route}", views[1], name=f"shared-{name}") for route, views, name in _READ_ONLY],
    path("s/<str:token>/", sharing.read[1], name="shared-home"),
    path("s/<str:token>/export/<slug:fmt>/", sharing.shared_export, name="shared-export"),
    # The owner's alone.
    path("drafts/<int:draft_id>/history/<int:number>/restore/", history.restore, name="revision-restore"),
    path("drafts/<int:draft_id>/history/<int:number>/name/", history.name_revision, name="revision-name"),
    path("drafts/<int:draft_id>/upgrade/", history.upgrade, name="upgrade"),
    path("drafts/<int:draft_id>/shares/", sharing.shares, name="shares"),
    path("drafts/<int:draft_id>/shares/<int:link_id>/revoke/", sharing.revoke, name="share-revoke"),
    path("drafts/<int:draft_id>/comments/<int:comment_id>/resolve/", sharing.resolve, name="comment-resolve"),
]
