"""Production settings refuse to start half-configured, and pass Django's deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "k" * 30 + "Z9-q" * 10


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only what a fresh shell has: settings must come from these variables alone.
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean["DJANGO_SETTINGS_MODULE"] = "coursesite.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def serve(**env: str) -> subprocess.CompletedProcess:
    """Load the WSGI application, as gunicorn does, with only `env` set."""
    clean = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import coursesite.wsgi"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_server_refuses_to_start_without_a_secret_key():
    result = serve(ALLOWED_HOSTS="course.example.edu")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_server_refuses_to_start_without_allowed_hosts():
    result = serve(SECRET_KEY=GOOD_SECRET)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_the_server_starts_when_configured():
    result = serve(SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="course.example.edu")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("debug", ["0", ""])
def test_production_management_commands_refuse_to_run_without_a_secret_key(debug):
    result = manage("check", DEBUG=debug, ALLOWED_HOSTS="course.example.edu")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_command_line_defaults_to_development_mode():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("debug", ["0", ""])
def test_production_settings_pass_the_deploy_checks(debug):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG=debug,
        SECRET_KEY=GOOD_SECRET,
        ALLOWED_HOSTS="course.example.edu",
    )
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("moment", ["2026-11-26T15:30:00+00:00", "2026-11-26T17:00:05+00:00"])
def test_the_system_checks_pass_at_the_usual_session_times(moment):
    """A fixed time as a field's default is reported by Django during the ten
    seconds around it, every day; the deploy checks must pass at any hour."""
    import time_machine
    from django.core import checks

    with time_machine.travel(moment, tick=False):
        problems = [p for p in checks.run_checks() if p.level >= checks.WARNING]
    assert problems == []
