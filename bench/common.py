"""What the benchmarks share: a throw-away PostgreSQL database, the production
settings, logged-in sessions, gunicorn, and timed bursts of HTTP requests.

Importing this module puts the project root on sys.path, so that a script run
as `.venv/bin/python bench/<name>.py` can set up Django. Django and psycopg2
are imported only inside the functions that need them.

A job is a tuple (method, path, headers) or (method, path, headers, body),
sent to 127.0.0.1 on the given port over a fresh connection.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/coursesite_bench"
DEFAULT_WORKERS = (os.cpu_count() or 1) * 2 + 1

Job = tuple[str, str, dict] | tuple[str, str, dict, str]  # method, path, headers[, body]


def bench_database_url() -> str:
    """BENCH_DATABASE_URL, or the `coursesite_bench` database on the local PostgreSQL."""
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def recreate_database(url: str) -> None:
    """Drop the PostgreSQL database named by `url` (closing its connections) and
    create it empty, through the server's `postgres` maintenance database."""
    import psycopg2

    server, name = url.rsplit("/", 1)
    admin = psycopg2.connect(server + "/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        admin.close()


def production_env(database_url: str) -> dict[str, str]:
    """Environment for the production settings on `database_url`: DEBUG off, a
    fresh secret key, loopback hosts, no HTTPS redirect. Build it once per run:
    this process and gunicorn must share the secret key, which signs sessions."""
    return {
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DJANGO_SETTINGS_MODULE": "coursesite.settings",
    }


def setup_django(env: dict[str, str]) -> None:
    """Export `env`, set up Django in this process, migrate the (empty) database
    and collect the static files gunicorn serves."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def login_backend() -> str:
    """The authentication backend that logs people in: the one in
    settings.AUTHENTICATION_BACKENDS that is not django-axes' (which only refuses
    logins). A session naming a backend not in the settings counts as logged out."""
    from django.conf import settings

    return next(b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith("axes."))


def logged_in_session(user, backend: str) -> tuple[str, str]:
    """Store a database session logged in as `user` through `backend`, as a real
    login would, and return its key with a new CSRF token for the cookie."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key, secrets.token_hex(16)


def enrol_students(course, count: int) -> list[tuple[int, str, str]]:
    """Create `count` students of `course`, each logged in: (user id, session
    key, csrf token) per student."""
    from django.contrib.auth import get_user_model

    from courses.models import Membership

    backend = login_backend()
    User = get_user_model()
    credentials = []
    for i in range(count):
        user = User.objects.create_user(f"s{i:04d}", password=None)
        Membership.objects.create(course=course, user=user, role="student")
        credentials.append((user.pk, *logged_in_session(user, backend)))
    return credentials


def signup_course(
    slug: str, students: int, papers: int, max_presentations: int
) -> tuple[str, list[int], list[tuple[int, str, str]]]:
    """A published course whose sign-ups are open, with `papers` one-seat papers
    (one a day) and `students` logged-in students: the slug, the paper ids and
    (user id, session key, csrf token) per student."""
    import datetime as dt

    from django.utils import timezone

    from courses.models import Course, Reading, Session

    now = timezone.now()
    course = Course.objects.create(
        slug=slug,
        code=slug.upper(),
        title=f"Benchmark {slug}",
        term="Spring 2026",
        is_published=True,
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=1),
        max_presentations=max_presentations,
    )
    paper_ids = []
    for i in range(papers):
        session = Session.objects.create(
            course=course, date=dt.date(2026, 1, 13) + dt.timedelta(days=i), title=f"S{i}"
        )
        reading = Reading.objects.create(session=session, title=f"Paper {i}", presentable=True)
        paper_ids.append(reading.pk)
    return course.slug, paper_ids, enrol_students(course, students)


def cookie_header(session_key: str, csrf_token: str) -> str:
    """The Cookie header carrying a session and a CSRF token."""
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={csrf_token}"


@contextmanager
def gunicorn(port: int, workers: int, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """Run gunicorn with the project's WSGI app and `env` on 127.0.0.1:`port`
    until the block ends; it is ready when GET /healthz answers 200. Closes this
    process's database connections first, so none is shared with the workers."""
    from django.db import connections

    connections.close_all()
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "coursesite.wsgi",
            f"--workers={workers}",
            f"--bind={HOST}:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        _wait_until_healthy(proc, port)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_healthy(proc: subprocess.Popen, port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {proc.returncode}")
        if timed_request(port, "GET", "/healthz", {}, timeout=2)[1] == 200:
            return
        time.sleep(0.1)
    raise SystemExit("gunicorn did not start")


def exchange(
    port: int,
    method: str,
    path: str,
    headers: dict,
    body: str | bytes = "",
    timeout: float = 60,
) -> tuple[int, dict[str, list[str]], bytes]:
    """Send one request over a new connection and read the whole response: the
    status, the headers (lower-case names, every value) and the body. Raises
    OSError when the connection fails."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        content = response.read()
        found: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return response.status, found, content
    finally:
        conn.close()


def timed_request(
    port: int, method: str, path: str, headers: dict, body: str = "", timeout: float = 60
) -> tuple[float, int, str | None]:
    """`exchange`, timed: the seconds taken, the status (-1 if the connection
    failed) and the Location header."""
    start = time.perf_counter()
    try:
        status, found, _ = exchange(port, method, path, headers, body, timeout)
        location = found.get("location", [None])[0]
    except OSError:
        status, location = -1, None
    return time.perf_counter() - start, status, location


def percentile_ms(sorted_seconds: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of sorted durations, in milliseconds."""
    rank = max(1, math.ceil(fraction * len(sorted_seconds)))
    return round(sorted_seconds[rank - 1] * 1000, 1)


def fire(
    port: int, jobs: Sequence[Job], concurrency: int, expect_location: str | None = None
) -> dict:
    """Send all `jobs` through `concurrency` threads and summarise the burst:
    throughput, p50/p95/max latency and the count of each status. With
    `expect_location`, also count the 302s that went anywhere else (such as
    the login page) as `redirected_elsewhere`, with where they went."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    elsewhere: Counter[str] = Counter()

    def run(job: Job) -> None:
        elapsed, status, location = timed_request(port, *job)
        with lock:
            latencies.append(elapsed)
            statuses[status] += 1
            if expect_location and status == 302 and location != expect_location:
                elsewhere[(location or "").split("?", 1)[0]] += 1

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(run, jobs))
    wall = time.perf_counter() - start
    latencies.sort()
    result = {
        "requests": len(jobs),
        "seconds": round(wall, 3),
        "requests_per_second": round(len(jobs) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": percentile_ms(latencies, 0.95),
        "max_ms": round(latencies[-1] * 1000, 1),
        "statuses": {str(s): statuses[s] for s in sorted(statuses)},
    }
    if expect_location:
        result["redirected_elsewhere"] = sum(elsewhere.values())
        if elsewhere:
            result["redirected_elsewhere_to"] = dict(elsewhere)
    return result


def errors_of(burst: dict) -> int:
    """Requests of a burst that should all have been redirected to the expected
    page but were not: any status other than 302, or a 302 to elsewhere."""
    not_302 = sum(n for status, n in burst["statuses"].items() if status != "302")
    return not_302 + burst.get("redirected_elsewhere", 0)


def healthz_baseline(port: int, requests: int, concurrency: int) -> dict:
    """Warm the workers with 50 GET /healthz, then time `requests` of them at
    `concurrency`: the machine's figure for a request that does nothing."""
    jobs = [("GET", "/healthz", {})] * requests
    fire(port, jobs[:50], concurrency)
    return fire(port, jobs, concurrency)


def throughput_ratio(burst: dict, baseline: dict) -> float:
    """Requests per second of `burst` over those of `baseline`."""
    return round(burst["requests_per_second"] / baseline["requests_per_second"], 3)


def command_line(script: str) -> str:
    """How this run was started, for the results file."""
    return " ".join([f".venv/bin/python bench/{script}", *sys.argv[1:]])


def write_result(name: str, result: dict) -> Path:
    """Print `result` and write it to bench/results/<name>.json."""
    text = json.dumps(result, indent=2)
    print(text)
    out = ROOT / "bench" / "results" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(text + "\n")
    return out


def fail_unless(checks: Sequence[tuple[str, bool]]) -> None:
    """Exit non-zero naming every check that does not hold."""
    failed = [name for name, ok in checks if not ok]
    if failed:
        raise SystemExit("FAILED: " + ", ".join(failed))
