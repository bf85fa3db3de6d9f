"""Concurrent presentation sign-ups against gunicorn on PostgreSQL, over loopback.

    .venv/bin/python bench/signup_load.py [--students 200] [--papers 40] [--concurrency 50]

Builds a throw-away database `coursesite_bench` on the local PostgreSQL (or
BENCH_DATABASE_URL), a course whose sign-ups are open with N students and P
one-seat papers, starts gunicorn with the production settings, and has every
student fire two sign-ups for random papers at once (seeded, so runs are
comparable). Afterwards it checks the database: no paper over its seats, no
student over the maximum, every request answered. For scale it also times a
plain GET /healthz under the same concurrency in the same run, so the figure
to read is the ratio, not the absolute numbers of a shared machine.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PORT = 8765
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/coursesite_bench")
SETTINGS_ENV = {
    "DATABASE_URL": DB_URL,
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "DJANGO_SETTINGS_MODULE": "coursesite.settings",
}


def recreate_database() -> None:
    import psycopg2

    name = DB_URL.rsplit("/", 1)[1]
    admin = psycopg2.connect(DB_URL.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def setup_course(students: int, papers: int) -> tuple[str, list[int], list[tuple[str, str]]]:
    """Returns the course slug, the paper ids, and (session key, csrf token) per student."""
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from courses.models import Course, Membership, Reading, Session

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    now = timezone.now()
    course = Course.objects.create(
        slug="bench",
        code="BENCH",
        title="Benchmark",
        term="Spring 2026",
        is_published=True,
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=1),
        max_presentations=2,
    )
    paper_ids = []
    for i in range(papers):
        session = Session.objects.create(
            course=course, date=dt.date(2026, 1, 13) + dt.timedelta(days=i), title=f"S{i}"
        )
        paper_ids.append(
            Reading.objects.create(session=session, title=f"Paper {i}", presentable=True).pk
        )
    User = get_user_model()
    credentials = []
    for i in range(students):
        user = User.objects.create_user(f"s{i:04d}", password=None)
        Membership.objects.create(course=course, user=user, role="student")
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        credentials.append((store.session_key, secrets.token_hex(16)))
    return course.slug, paper_ids, credentials


def start_gunicorn(workers: int) -> subprocess.Popen:
    env = {**os.environ, **SETTINGS_ENV}
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "coursesite.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{PORT}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")


def timed_request(method: str, path: str, headers: dict, body: str = "") -> tuple[float, int]:
    start = time.perf_counter()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        conn.request(method, path, body=body, headers=headers)
        status = conn.getresponse().status
        conn.close()
    except OSError:
        status = -1
    return time.perf_counter() - start, status


def fire(jobs, concurrency: int) -> dict:
    lock = threading.Lock()
    latencies, statuses = [], []

    def run(job):
        elapsed, status = timed_request(*job)
        with lock:
            latencies.append(elapsed)
            statuses.append(status)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(run, jobs))
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(jobs),
        "seconds": round(wall, 3),
        "requests_per_second": round(len(jobs) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "statuses": {str(s): statuses.count(s) for s in sorted(set(statuses))},
    }


def check_database() -> dict:
    from django.db.models import Count, Q

    from courses.models import PresentationSignup, Reading

    overbooked = sum(
        max(0, r.taken - r.presenter_capacity)
        for r in Reading.objects.annotate(
            taken=Count("signups", filter=Q(signups__status="confirmed"))
        ).filter(presentable=True)
    )
    over_max = (
        PresentationSignup.objects.confirmed()
        .values("student")
        .annotate(n=Count("id"))
        .filter(n__gt=2)
        .count()
    )
    return {
        "confirmed": PresentationSignup.objects.confirmed().count(),
        "overbooked_seats": overbooked,
        "students_over_max": over_max,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--papers", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--seed", type=int, default=6200)
    args = parser.parse_args()

    os.environ.update(SETTINGS_ENV)
    recreate_database()
    slug, papers, credentials = setup_course(args.students, args.papers)
    rng = random.Random(args.seed)
    signup_jobs, health_jobs = [], []
    for session_key, csrf in credentials:
        headers = {
            "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        for paper in rng.sample(papers, 2):
            signup_jobs.append(("POST", f"/courses/{slug}/papers/{paper}/signup/", headers))
            health_jobs.append(("GET", "/healthz", {}))
    rng.shuffle(signup_jobs)

    from django.db import connections

    connections.close_all()
    server = start_gunicorn(args.workers)
    try:
        fire(health_jobs[:50], args.concurrency)  # warm the workers
        health = fire(health_jobs, args.concurrency)
        signups = fire(signup_jobs, args.concurrency)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    result = {
        "students": args.students,
        "papers": args.papers,
        "seats": args.papers,
        "concurrency": args.concurrency,
        "gunicorn_workers": args.workers,
        "signup_posts": signups,
        "healthz_gets": health,
        "signup_to_healthz_throughput": round(
            signups["requests_per_second"] / health["requests_per_second"], 3
        ),
        "errors": sum(n for s, n in signups["statuses"].items() if s != "302"),
        **check_database(),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / "signup_load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    if result["overbooked_seats"] or result["students_over_max"] or result["errors"]:
        raise SystemExit("FAILED: a seat was oversold, a maximum broken, or a request failed")


if __name__ == "__main__":
    main()
