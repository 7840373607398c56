from django.urls import path

from . import views, wizard_views

app_name = "drafts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.new, name="new"),
    path("import/", views.import_spec, name="import"),
    path("<int:draft_id>/", views.resume, name="resume"),
    path("<int:draft_id>/rename/", views.rename, name="rename"),
    path("<int:draft_id>/duplicate/", views.duplicate, name="duplicate"),
    path("<int:draft_id>/delete/", views.delete, name="delete"),
    path("<int:draft_id>/steps/<slug:slug>/", wizard_views.step, name="step"),
    path("<int:draft_id>/steps/<slug:slug>/autosave/", wizard_views.autosave, name="autosave"),
    path("<int:draft_id>/steps/<slug:slug>/preview/", wizard_views.preview, name="preview"),
    path("<int:draft_id>/confirm/", wizard_views.confirm, name="confirm"),
    path("<int:draft_id>/export/<slug:fmt>/", views.export, name="export"),
]
