import contextlib
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "licensebuilder.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Parse the clause library and compile the redline's templates now: under gunicorn's
    preload_app this runs once in the master and every worker starts with them in memory (shared
    copy-on-write) instead of making them on its first request. A broken library is left for the
    pages that need it to report."""
    from licensebuilder.core.diff.html import warm as warm_redline
    from licensebuilder.core.library import LibraryError, default_library

    with contextlib.suppress(LibraryError):
        default_library()
    warm_redline()


_warm()
