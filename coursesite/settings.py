"""Settings for Coursesite, read from environment variables.

The defaults suit a laptop: a SQLite file beside manage.py and console email.
With DEBUG off (the default) the app refuses to start without SECRET_KEY and
ALLOWED_HOSTS, so a production deploy cannot run on a development secret.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG:
    SECRET_KEY = SECRET_KEY or "insecure-development-key-only-for-debug-mode"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]
else:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 50 characters when DEBUG "
            "is off. For local development run with DEBUG=1."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "ALLOWED_HOSTS must list the host names this site answers to when DEBUG is off "
            "(comma separated). For local development run with DEBUG=1."
        )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "courses",
    "grading",
    "coursesite",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Every answer to someone with a session, refusals below included: private, no-store.
    "coursesite.security.PrivatePagesMiddleware",
    # First, so every answer carries the policy, cached pages and refusals too.
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body: a body over REQUEST_BODY_MAX_BYTES gets 413 unread.
    "coursesite.limits.RequestBodyLimitMiddleware",
    # Then, before any view or cached page: a NUL in a path, header or form is a 400.
    "coursesite.input_checks.InputChecksMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Right after the static files: a cached public page costs about what one does.
    "coursesite.caching.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins while a username and address pair is locked out; first, so a
    # locked-out attempt never reaches a password check.
    "axes.backends.AxesStandaloneBackend",
    "courses.auth.EmailOrUsernameBackend",
]
# Five wrong passwords for one username from one address lock that pair out for
# 15 minutes; a right password resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "courses.auth.axes_username"
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy (django-csp): scripts, styles, images, fonts and
# requests from this site only. An image in Markdown a student wrote that points
# elsewhere is not fetched, so a hand-in cannot make a grader's browser call out;
# `data:` is for Bootstrap's own icons in its stylesheet.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Throttles on guessing (courses/throttles.py): (events, per seconds). Failed
# logins per client address are generous because a whole class may share a
# campus network's address.
THROTTLE_LOGIN_FAILURES_PER_CLIENT = (int(os.environ.get("LOGIN_FAILURES_PER_CLIENT", "30")), 900)
THROTTLE_PASSWORD_RESET_PER_ADDRESS = (3, 3600)
THROTTLE_PASSWORD_RESET_PER_CLIENT = (10, 3600)
THROTTLE_PASSWORD_CHECK_PER_USER = (5, 900)
THROTTLE_JOIN_CODE_PER_USER = (10, 3600)
THROTTLE_JOIN_CODE_PER_CLIENT = (60, 3600)
# Invitations (roster import) and password resets use Django's one-time links.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

ROOT_URLCONF = "coursesite.urls"

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

WSGI_APPLICATION = "coursesite.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Keep connections between requests in production (opening one costs
        # ~10 ms, more than serving a cached page); health checks drop a
        # connection that died, e.g. across a database restart.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0" if DEBUG else "60")),
        conn_health_checks=os.environ.get("CONN_HEALTH_CHECKS", "1") == "1",
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
    # lock at BEGIN so two writers queue (for up to `timeout` seconds) instead of
    # one failing halfway with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Django's cache (the public pages, the throttles): Redis when REDIS_URL is set,
# shared by every server process, else local memory in each process. Sessions
# are in the database either way (Django's default engine), so Redis is optional.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "coursesite",
            # A cache server that stops answering costs each request a second
            # at most, not redis-py's default of five per call.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "coursesite",
        }
    }

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"
# Old versions are for reading: restoring one from the admin's history page would
# write a score or a hand-in without the services' checks.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Uploaded submissions live under MEDIA_ROOT but are never served from a public
# URL: /courses/<slug>/.../file checks who asks, then streams the file.
SUBMISSION_MAX_BYTES = int(os.environ.get("SUBMISSION_MAX_MB", "10")) * 1024 * 1024
SUBMISSION_FILE_TYPES = env_list("SUBMISSION_FILE_TYPES", "pdf,zip,ipynb,txt")
# Request sizes. Form data over these limits gets 400 and reaches no view; files are not
# counted in them, so REQUEST_BODY_MAX_BYTES caps the whole body (coursesite.limits).
# The roster preview posts a 1 MB roster back form-encoded, up to three times its size.
DATA_UPLOAD_MAX_MEMORY_SIZE = 4 * 1024 * 1024
# Score entry posts up to 5 fields per student, for up to 5,000 students.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 26_000
# The largest upload (a hand-in, or a 5 MB gradebook CSV) plus the most form data.
REQUEST_BODY_MAX_BYTES = max(SUBMISSION_MAX_BYTES, 5 * 1024 * 1024) + DATA_UPLOAD_MAX_MEMORY_SIZE

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "coursesite@localhost")
if os.environ.get("EMAIL_HOST"):
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

# Production hardening; all of it is inert under DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a decision for the institution that owns the domain,
    # not a default this app can make for it.
    "security.W021",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
