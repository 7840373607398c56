from django.urls import path

from . import gallery, views

app_name = "publish"

urlpatterns = [
    path("try/", gallery.index, name="gallery"),
    path("try/<slug:slug>/", gallery.detail, name="preset"),
    path("try/<slug:slug>/owe/", gallery.owe, name="preset-owe"),
    path("try/<slug:slug>/start/", gallery.start, name="preset-start"),
    path("drafts/<int:draft_id>/publish/", views.publish, name="publish"),
    path("s/<str:token>/owe/", views.shared_owe, name="shared-owe"),
    path("l/<slug:slug>/", views.latest, name="latest"),
    path("l/<slug:slug>/badge.svg", views.badge, name="latest-badge"),
    path("l/<slug:slug>/<str:version>/", views.page, name="page"),
    path("l/<slug:slug>/<str:version>/badge.svg", views.badge, name="badge"),
    path("l/<slug:slug>/<str:version>/owe/", views.owe, name="owe"),
    path("l/<slug:slug>/<str:version>/withdraw/", views.withdraw, name="withdraw"),
    path("l/<slug:slug>/<str:version>/<str:name>", views.download, name="download"),
]
