from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .core import spec as specs


@require_GET
@cache_control(public=True, max_age=3600)
def spec_schema(request):
    """The JSON Schema of the license spec, for editors and release pipelines."""
    return JsonResponse(specs.schema(), json_dumps_params={"indent": 2})


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static one."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))
