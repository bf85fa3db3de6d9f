"""Test settings: the production settings with fast hashing and in-memory mail.

Tests run with DEBUG off, as production does, so the same required variables
are given harmless test values here.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from coursesite.settings import *  # noqa: F403
from coursesite.settings import DATABASES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="coursesite-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="coursesite-test-static-")
# One connection per request and thread, closed after it: test databases can
# then be dropped at the end without waiting for idle connections.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# Browsers in the tests talk plain HTTP to the live server.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: concurrency tests need SQLite's real
    # file locking (shared-cache memory databases fail at once instead of waiting).
    # One per test run, so two runs on one machine never share a file.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="coursesite-test-db-")) / "test.sqlite3")
    }
else:
    # One per test process (pytest-django adds the worker's name), so two runs
    # on one machine, say a developer's and CI's, never share a database.
    DATABASES["default"]["TEST"] = {
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}",
    }
