"""The project's URLs plus the baseline view the web benchmarks compare against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from licensebuilder.urls import urlpatterns as project_urlpatterns

_MINIMAL = engines["django"].from_string("<!DOCTYPE html><title>bare</title><p>{{ request.user.username }}</p>")


@login_required
def bare(request):
    # The smallest page the stack can serve to the same logged-in user: same middleware,
    # session and authentication, no engine work.
    return HttpResponse(_MINIMAL.render({}, request))


urlpatterns = [*project_urlpatterns, path("bench/bare/", bare)]
