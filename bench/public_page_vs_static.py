"""The demo course's public pages from Django against the same HTML as a static file.

    .venv/bin/python bench/public_page_vs_static.py [--workers 5] [--connections 50]
        [--seconds 10] [--rounds 3] [--threads 2] [--port 8771]

Builds a throw-away database `coursesite_bench_public_page_vs_static` on the
local PostgreSQL (or BENCH_DATABASE_URL with `_public_page_vs_static`
appended), migrates it, runs seed_demo and collectstatic with the production
settings. Then, once with Django's local-memory cache and once with Redis
(REDIS_URL from the environment, else redis://127.0.0.1:6379/15; the database
is flushed first; skipped if Redis does not answer):

  1. renders the anonymous course home and schedule of `cis6200-spring-2026`
     in this process and saves the HTML under STATIC_ROOT as parity/home.html
     and parity/schedule.html, before gunicorn starts (WhiteNoise lists the
     files under STATIC_ROOT when it starts; files missing from the manifest
     are served under their own names);
  2. starts gunicorn with the production settings (sync workers, 2 x CPUs + 1
     by default, as the other benches: 5 on two cores) and checks that both
     the static file and the Django page answer 200 with exactly the saved bytes;
  3. runs wrk on loopback (`wrk -t2 -c50 -d10s --timeout=10s --latency -s bench/wrk_report.lua`)
     against static home, dynamic home, static schedule and dynamic schedule in
     turn, for several rounds after a short warm-up, so that the machine's noise
     hits both alike, and takes the medians of requests/s, p50 and p95;
  4. checks how fresh the pages are after an instructor's edit: logs in to the
     admin over HTTP as the demo instructor and renames the course through its
     change form; the instructor's own next request of each page (logged in,
     never cached) must show the new title at once, and anonymous visitors,
     who may get a copy up to 60 s old (coursesite.caching), must get it from
     every gunicorn worker within that bound: once a second, one request is
     sent to each worker (connections are held open until every worker has
     accepted one, and which process holds each is read from /proc, so every
     worker, with its own copy in local memory, is seen to answer) until all
     show it. Then it renames the course back and checks the same way.

Each round also records its slowest request (max_ms) and how many TCP connection
requests the kernel had to send again meanwhile (syn_retransmits, machine-wide):
gunicorn's sync workers close the connection after each answer, so wrk opens
thousands of connections a second, and a connection request that goes
unanswered is sent again after one second.

The figure to read is the ratio of requests/s, dynamic over static, per page:
the target is at least 0.70. Results go to bench/results/public_page_vs_static.json.
Exits non-zero if wrk saw an error status (it counts 400 and up) or a socket
error, if responses were on average no longer than the page (so a redirect
would show), if a page did not match its static copy, or if an edit did not
show at once to the instructor and within the bound to anonymous visitors;
a missed 0.70 target is reported, not failed.

The parts live beside it: public_page_site.py (the pages, their static copies and
HTTP on loopback), public_page_wrk.py (the wrk runs and their medians),
public_page_workers.py (which gunicorn worker answered), public_page_admin.py (the
admin over HTTP) and public_page_freshness.py (the check after an edit).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import time

import common
from public_page_freshness import freshness_check
from public_page_site import PAGES, STATIC_DIR, check_served, render_pages, save_static, static_root
from public_page_wrk import measure

DEFAULT_PORT = 8771
REDIS_BENCH_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
TARGET = 0.70


# --- one cache backend ----------------------------------------------------------------------


def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except redis.RedisError:
        return False


def run_backend(name: str, env: dict[str, str], args: argparse.Namespace) -> dict:
    port = args.port
    pages = render_pages(port)
    static_urls = save_static(pages)
    with common.gunicorn(port, args.workers, env) as proc:
        served = check_served(port, pages, static_urls)
        if not all(s["status"] == 200 and s["identical_to_saved"] for s in served.values()):
            return {"served": served, "ok": False}
        results = measure(port, static_urls, args)
        freshness = freshness_check(port, proc.pid, args.workers, name)
    sides = [(p, k, results[p][k]) for p in PAGES for k in ("static", "dynamic")]
    non_2xx = sum(side["non_2xx"] for _, _, side in sides)
    socket_errors = sum(side["socket_errors"] for _, _, side in sides)
    # wrk counts statuses of 400 and up; a redirect or a short answer would show here.
    full_pages = all(side["bytes_per_response"] > len(pages[p]) for p, _, side in sides)
    return {
        "cache": env.get("REDIS_URL") or "local memory (one per worker)",
        "served": served,
        **results,
        "non_2xx": non_2xx,
        "socket_errors": socket_errors,
        "responses_carry_the_page": full_pages,
        "target_met": all(results[p]["ratio_dynamic_to_static"] >= TARGET for p in PAGES),
        "freshness": freshness,
        "ok": True,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=common.DEFAULT_WORKERS)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args()

    env = common.production_env(common.bench_database_url() + "_public_page_vs_static")
    env["REDIS_URL"] = ""  # local memory first
    common.recreate_database(env["DATABASE_URL"])
    common.setup_django(env)
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0, stdout=io.StringIO())
    backends = {}
    try:
        backends["locmem"] = run_backend("locmem", env, args)
        if redis_answers(REDIS_BENCH_URL):
            import redis

            redis.Redis.from_url(REDIS_BENCH_URL).flushdb()
            backends["redis"] = run_backend("redis", {**env, "REDIS_URL": REDIS_BENCH_URL}, args)
        else:
            backends["redis"] = {"skipped": f"Redis did not answer at {REDIS_BENCH_URL}"}
    finally:
        shutil.rmtree(static_root() / STATIC_DIR, ignore_errors=True)

    measured = {k: b for k, b in backends.items() if "skipped" not in b}
    result = {
        "command": common.command_line("public_page_vs_static.py"),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "gunicorn_workers": args.workers,
        "conn_max_age": os.environ.get("CONN_MAX_AGE") or "unset: the production default, 60",
        "wrk": {
            "threads": args.threads,
            "connections": args.connections,
            "seconds_per_run": args.seconds,
            "rounds": args.rounds,
            "order": "static home, dynamic home, static schedule, dynamic schedule, per round",
        },
        "target_ratio": TARGET,
        "target_met": all(b.get("target_met") for b in measured.values()),
        **backends,
    }
    checks = []
    for k, b in measured.items():
        checks += [
            (f"{k}: a page or its static copy was not served as saved", b["ok"]),
            (f"{k}: a response was not 2xx", b.get("non_2xx", 1) == 0),
            (f"{k}: a request was left unanswered", b.get("socket_errors", 1) == 0),
            (f"{k}: responses were shorter than the page", b.get("responses_carry_the_page")),
            (
                f"{k}: an admin edit did not show at once to the instructor, or to anonymous "
                "visitors within the bound",
                b.get("freshness", {}).get("ok", False),
            ),
        ]
    result["checks_failed"] = [name for name, ok in checks if not ok]
    common.write_result("public_page_vs_static", result)
    common.fail_unless(checks)


if __name__ == "__main__":
    main()
