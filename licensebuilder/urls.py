from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .drafts import views as draft_views

urlpatterns = [
    path("", draft_views.home, name="home"),
    path("accounts/signup/", draft_views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("drafts/", include("licensebuilder.drafts.urls")),
    path("", include("licensebuilder.review.urls")),
    path("", include("licensebuilder.publish.urls")),
    path("admin/", admin.site.urls),
    path("schema/license-spec-v1.json", views.spec_schema, name="spec-schema"),
]
