"""Settings, read from the environment. With nothing set, a local development site on SQLite."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in ("1", "true", "yes", "on")


DEBUG = _env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-local-use"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
# The site's public address: the command line writes permalinks with it (pages use the request's).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_rq",
    "axes",
    "csp",
    "licensebuilder",
    "licensebuilder.accounts",
    "licensebuilder.drafts",
    "licensebuilder.review",
    "licensebuilder.publish",
]

MIDDLEWARE = [
    "licensebuilder.ops.middleware.RequestSizeLimit",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "licensebuilder.drafts.middleware.RenderMiddleware",
    "licensebuilder.ops.middleware.PrivatePages",
    "licensebuilder.ops.middleware.ClientErrorStorms",
    "licensebuilder.middleware.SiteNotFoundPage",
    # Last: a locked-out login answers before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "licensebuilder.urls"
WSGI_APPLICATION = "licensebuilder.wsgi.application"

# Form widgets through Django's own Jinja2 widget templates: the same markup, escaped the same way,
# drawn in half the time (a wizard step has up to 48 radio buttons, each its own widget template:
# the derivatives step's page 13.8 -> 9.8 ms, the elements step's 13.3 -> 6.8 ms). Pages stay in
# Django's template language.
FORM_RENDERER = "django.forms.renderers.Jinja2"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A persistent connection is tested before each request reuses it, so the first request
        # after a database restart reconnects instead of failing.
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- shared state: more than one web node -----------------------------------------------------
# With REDIS_URL set, the cache (rate limits) and the PDF render queue live in Redis and everything
# else in the database, so any number of web nodes on one database and one Redis behave as one.
# Without it: a cache per process and PDFs rendered inside the request and kept in a cache of
# their own (`make run` needs nothing).
# Sessions stay in the database either way: a Redis restart signs nobody out.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES: dict[str, dict[str, object]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lb",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "licensebuilder"},
        # PDFs laid out in the request, by content (drafts/renders.py), so that a download writes
        # nothing to the database. A PDF never changes under its key, so none expires; a license's
        # PDF is 100-125 KB, so 64 of them keep a process near 8 MB (when it is full, the least
        # recently used third is dropped). With REDIS_URL the render workers store PDFs in the
        # database instead.
        "pdfs": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "licensebuilder-pdfs",
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 64},
        },
    }

# PDFs: rendered by the workers of `manage.py rqworker-pool pdf` when REDIS_URL is set.
PDF_QUEUE = bool(REDIS_URL)
PDF_RENDER_TIMEOUT = int(os.environ.get("PDF_RENDER_TIMEOUT", "60"))  # seconds per render
PDF_RENDER_MEMORY_MB = int(os.environ.get("PDF_RENDER_MEMORY_MB", "768"))  # address space a render may add
PDF_QUEUE_LIMIT = int(os.environ.get("PDF_QUEUE_LIMIT", "20"))  # renders waiting; past it, 503
PDF_RENDERS_PER_MINUTE = int(os.environ.get("PDF_RENDERS_PER_MINUTE", "12"))  # new renders per client; past it, 429
# A render runs at this much lower CPU priority than the web nodes, so that on a shared host pages
# stay fast while PDFs are laid out with the CPU left over (0: the same priority).
PDF_RENDER_NICENESS = int(os.environ.get("PDF_RENDER_NICENESS", "10"))
PDF_WORKER_HEARTBEAT = int(os.environ.get("PDF_WORKER_HEARTBEAT", "5"))  # seconds; 4 missed: render retried
RQ_QUEUES = {"pdf": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": PDF_RENDER_TIMEOUT}}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "drafts:dashboard"
LOGOUT_REDIRECT_URL = "home"

# Argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane): about 30 ms a login on one core, so
# 50 logins at once do not queue for seconds. PBKDF2 hashes made before are upgraded at next login.
PASSWORD_HASHERS = [
    "licensebuilder.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # First: counts failed logins per user name and per address and refuses them past the limit,
    # on every login form, the admin's included.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted in the database, which every web node shares: guesses spread over
# several nodes add up, and a lockout holds on all of them (tests/test_nodes.py).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one reaching the limit locks
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "licensebuilder.ops.middleware.client_address"
AXES_VERBOSE = False  # lockouts are logged once, as structured events (licensebuilder.ops.logs)
# Behind N proxies that append to X-Forwarded-For, the client is the Nth address from the right.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "licensebuilder.accounts.validators.NotOnlySpaces"},
]

# An idle session ends: its expiry moves forward at most once a minute while it is used
# (licensebuilder.ops.middleware.PrivatePages), so an unused one lapses after this long.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(8 * 3600)))

# Password resets and sign-up confirmations: printed on the console unless EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")  # for EMAIL_BACKEND=...filebased.EmailBackend
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "licensebuilder <noreply@localhost>")

# /healthz checks the database and the cache, and whatever is named here: {"name": "dotted.path"},
# each a function that raises when its part of the site cannot serve.
HEALTH_CHECKS = {"queue": "licensebuilder.ops.health.check_pdf_queue"} if PDF_QUEUE else {}

# Request bodies: refused (413) past these sizes before anything is read or spooled to disk.
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_HANDLERS = ["licensebuilder.ops.uploads.LimitedMemoryUpload"]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# The site's own files, and the license's stylesheets, which the engine ships in its package.
STATICFILES_DIRS = [BASE_DIR / "static", Path(__file__).resolve().parent / "core" / "render" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

# With DEBUG off the site expects HTTPS, terminated by a proxy that sets X-Forwarded-Proto (and
# overwrites any such header a client sends). Each switch can be turned off for plain-HTTP local
# runs; .env.example describes them.
if not DEBUG:
    SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    if _env_bool("TRUST_X_FORWARDED_PROTO", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", True)
# A load balancer probes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Every page: scripts and styles only from this site's own files, no framing, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
    }
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# Share-link tokens are secrets in URLs: the loggers that print request paths drop them first.
# django.server is configured as Django configures it by default, plus the filter.
# Everything else goes to stdout as one JSON object a line (licensebuilder.ops.logs): errors with
# their traceback, and the security events (lockouts, share links, storms of 4xx answers).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_share_tokens": {"()": "licensebuilder.review.redaction.RedactShareTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
        "json": {"()": "licensebuilder.ops.logs.JsonLines"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
        "django.server": {"level": "INFO", "class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        "licensebuilder": {"level": "INFO"},
        "django.request": {"filters": ["redact_share_tokens"]},
        "django.security.csrf": {"filters": ["redact_share_tokens"]},
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_share_tokens"],
        },
    },
}
