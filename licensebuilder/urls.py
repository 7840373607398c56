from django.contrib import admin
from django.urls import include, path

from . import views
from .accounts.urls import auth_urlpatterns
from .drafts import views as draft_views
from .ops.health import healthz

urlpatterns = [
    path("", draft_views.home, name="home"),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("licensebuilder.accounts.urls")),
    path("drafts/", include("licensebuilder.drafts.urls")),
    path("", include("licensebuilder.review.urls")),
    path("", include("licensebuilder.publish.urls")),
    path("admin/", admin.site.urls),
    path("schema/license-spec-v1.json", views.spec_schema, name="spec-schema"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
]

handler400 = "licensebuilder.ops.uploads.bad_request"
handler500 = "licensebuilder.ops.errors.server_error"
