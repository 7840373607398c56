"""Settings, read from the environment. With nothing set, a local development site on SQLite."""

import os
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
    "licensebuilder",
    "licensebuilder.drafts",
    "licensebuilder.review",
    "licensebuilder.publish",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "licensebuilder.drafts.middleware.RenderMiddleware",
]

ROOT_URLCONF = "licensebuilder.urls"
WSGI_APPLICATION = "licensebuilder.wsgi.application"

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
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# -- shared state: more than one web node -----------------------------------------------------
# With REDIS_URL set, the cache (rate limits) and the PDF render queue live in Redis and everything
# else in the database, so any number of web nodes on one database and one Redis behave as one.
# Without it: a cache per process and PDFs rendered inside the request (`make run` needs nothing).
# Sessions stay in the database either way: a Redis restart signs nobody out.
REDIS_URL = os.environ.get("REDIS_URL", "")
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
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "licensebuilder"}}

# PDFs: rendered by the workers of `manage.py rqworker-pool pdf` when REDIS_URL is set.
PDF_QUEUE = bool(REDIS_URL)
PDF_RENDER_TIMEOUT = int(os.environ.get("PDF_RENDER_TIMEOUT", "60"))  # seconds per render
PDF_RENDER_MEMORY_MB = int(os.environ.get("PDF_RENDER_MEMORY_MB", "768"))  # address space a render may add
PDF_QUEUE_LIMIT = int(os.environ.get("PDF_QUEUE_LIMIT", "20"))  # renders waiting; past it, 503
PDF_RENDERS_PER_MINUTE = int(os.environ.get("PDF_RENDERS_PER_MINUTE", "12"))  # new renders per client; past it, 429
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))

if not DEBUG:
    SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Share-link tokens are secrets in URLs: the loggers that print request paths drop them first.
# django.server is configured as Django configures it by default, plus the filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_share_tokens": {"()": "licensebuilder.review.redaction.RedactShareTokens"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"level": "INFO", "class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "loggers": {
        "weasyprint": {"handlers": ["console"], "level": "ERROR"},
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
