from django.contrib import admin
from django.urls import path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("schema/license-spec-v1.json", views.spec_schema, name="spec-schema"),
]
