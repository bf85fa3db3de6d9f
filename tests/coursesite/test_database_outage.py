"""While the database cannot be reached, pages answer 503 with a page that
says to try again, never a traceback; the health check says so too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json
import django
django.setup()
from django.test import Client, override_settings
# Production settings, but static file names without a manifest: this checkout
# has not run collectstatic, and the outage is what is under test.
plain_static = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
client = Client(raise_request_exception=False)
out = {}
with override_settings(STORAGES=plain_static):
    for path in ["/", "/courses/cis6200/", "/healthz", "/accounts/login/"]:
        response = client.get(path)
        out[path] = [response.status_code, response.get("Retry-After"),
                     response.content.decode()[:600]]
print(json.dumps(out))
"""


def test_pages_answer_503_while_the_database_is_down():
    env = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="coursesite.settings",
        DEBUG="0",
        SECRET_KEY="outage-" + "k" * 60,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        # Nothing listens on port 1: every connection attempt fails at once.
        DATABASE_URL="postgres://postgres@127.0.0.1:1/coursesite",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = json.loads(result.stdout.strip().splitlines()[-1])
    for path in ["/", "/courses/cis6200/"]:
        status, retry_after, body = pages[path]
        assert status == 503, (path, status, body)
        assert retry_after == "30"
        assert "Back in a moment" in body
        assert "Traceback" not in body
    # The login form needs no database until it is sent: it still shows.
    assert pages["/accounts/login/"][0] == 200
    assert pages["/healthz"][0] == 503
    assert pages["/healthz"][2] == "database unavailable"
