"""100 students browse and sign up for papers while PostgreSQL restarts.

    .venv/bin/python bench/fault_restart.py [--students 100] [--papers 70]
                                            [--restart-after 3] [--workers 5]

Run it alone: it restarts the local PostgreSQL cluster
(`pg_ctlcluster --skip-systemctl-redirect <version> main restart`), which
breaks every other connection to it, so it needs to run as a user allowed to
do that (root, or postgres).

Builds a throw-away database `coursesite_bench_fault` (or BENCH_DATABASE_URL
with `_fault` appended) with a course whose sign-ups are open: N students, P
one-seat papers, at most 2 presentations each. Starts gunicorn with the
production settings (persistent connections with health checks, as deployed).
Every student is a thread with its own session that, until it presents two
papers or has tried ten: opens the paper board and the schedule, picks a paper
it has not tried and signs up for it. A request answered 503, or not answered,
is sent again after half a second, as a student would tap again; any other
answer is final. The outcome of a sign-up is read from the message it carries
back to the board (signed with the run's secret key).

`--restart-after` seconds into the run, PostgreSQL is restarted once.

Then it checks what a student would care about:
- every answer was 200, 302 or 503; no 500, no dropped connection;
- every 503 said "try again" with a Retry-After header, and some were seen
  (the outage was real);
- requests succeeded again after the restart, without restarting the app,
  and every student finished;
- the database agrees with what every student was told: each student's
  papers are exactly those their answers said they present, no (student,
  paper) pair twice, no paper over its seats, no student over the maximum.

Results go to bench/results/fault_restart.json; exits non-zero if a check fails.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import threading
import time
from collections import Counter
from http.cookies import SimpleCookie
from pathlib import Path

import common

PORT = 8772
MAX_PRESENTATIONS = 2
TRIES_PER_STUDENT = 10
RETRY_SECONDS = 0.5
GIVE_UP_SECONDS = 120


def database_url() -> str:
    return common.bench_database_url() + "_fault"


# --- one request, kept whole ----------------------------------------------------------------


class Answer:
    def __init__(self, status: int, headers: dict[str, list[str]], body: bytes, at: float) -> None:
        self.status, self.headers, self.body, self.at = status, headers, body, at


def send(method: str, path: str, headers: dict[str, str], start: float) -> Answer:
    """One request over a new connection; status -1 when the connection failed."""
    try:
        status, found, body = common.exchange(PORT, method, path, headers)
    except OSError:
        return Answer(-1, {}, b"", time.monotonic() - start)
    return Answer(status, found, body, time.monotonic() - start)


def message_of(answer: Answer) -> str:
    """The message a sign-up's redirect carries to the board, decoded."""
    from django.contrib.messages.storage.cookie import CookieStorage

    cookie = SimpleCookie()
    for header in answer.headers.get("set-cookie", []):
        cookie.load(header)
    if "messages" not in cookie:
        return ""
    found = CookieStorage(None)._decode(cookie["messages"].value) or []
    return " ".join(str(m.message) for m in found)


# --- the students ---------------------------------------------------------------------------


class Log:
    """Every answer of the run, and what each student was told."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.answers: list[tuple[float, int, str, bool]] = []  # at, status, path, good 503
        self.told: dict[int, set[int]] = {}
        self.finished: set[int] = set()
        self.unexpected: list[str] = []

    def add(self, answer: Answer, path: str) -> None:
        good_503 = (
            answer.status == 503 and "retry-after" in answer.headers and b"try again" in answer.body
        )
        with self.lock:
            self.answers.append((answer.at, answer.status, path, good_503))


def until_answered(log: Log, method: str, path: str, headers: dict, start: float) -> Answer:
    """Send until the answer is not a 503 or a failed connection."""
    deadline = time.monotonic() + GIVE_UP_SECONDS
    while True:
        answer = send(method, path, headers, start)
        log.add(answer, path)
        if answer.status not in (503, -1) or time.monotonic() > deadline:
            return answer
        time.sleep(RETRY_SECONDS)


def student(log: Log, slug: str, user_id: int, cookies: dict, papers: list[int], start: float):
    board = f"/courses/{slug}/papers/"
    presenting: set[int] = set()
    for paper in papers[:TRIES_PER_STUDENT]:
        if len(presenting) == MAX_PRESENTATIONS:
            break
        for page in (board, f"/courses/{slug}/schedule/"):
            if until_answered(log, "GET", page, cookies, start).status != 200:
                return
        path = f"/courses/{slug}/papers/{paper}/signup/"
        answer = until_answered(log, "POST", path, cookies, start)
        if answer.status != 302 or answer.headers.get("location") != [board]:
            return
        said = message_of(answer)
        if said.startswith("You are presenting") or "already presenting" in said:
            presenting.add(paper)
        elif "no free seat" in said:
            continue
        elif "the most this course allows" in said:
            break
        else:
            with log.lock:
                log.unexpected.append(said)
            return
    with log.lock:
        log.told[user_id] = presenting
        log.finished.add(user_id)


# --- PostgreSQL -----------------------------------------------------------------------------


def restart_postgresql() -> dict:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
    began = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    return {
        "command": " ".join(command),
        "exit_status": done.returncode,
        "stderr": done.stderr.strip()[-500:],
        "seconds": round(time.monotonic() - began, 2),
    }


def check_database(told: dict[int, set[int]]) -> dict:
    from django.db.models import Count, Q

    from courses.models import PresentationSignup, Reading

    stored: dict[int, set[int]] = {}
    for student_id, reading_id in PresentationSignup.objects.confirmed().values_list(
        "student_id", "reading_id"
    ):
        stored.setdefault(student_id, set()).add(reading_id)
    told_pairs = {(s, r) for s, papers in told.items() for r in papers}
    stored_pairs = {(s, r) for s, papers in stored.items() for r in papers}
    papers = Reading.objects.filter(presentable=True).annotate(
        taken=Count("signups", filter=Q(signups__status="confirmed"))
    )
    return {
        "confirmed_in_database": len(stored_pairs),
        "confirmed_as_told": len(told_pairs),
        "lost": len(told_pairs - stored_pairs),
        "not_told": len(stored_pairs - told_pairs),
        "duplicated": PresentationSignup.objects.values("student", "reading")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "oversold_seats": sum(max(0, p.taken - p.presenter_capacity) for p in papers),
        "students_over_max": sum(
            1 for papers in stored.values() if len(papers) > MAX_PRESENTATIONS
        ),
        "waitlisted": PresentationSignup.objects.exclude(status="confirmed").count(),
    }


def summarise(log: Log, restart_at: float, restart: dict) -> dict:
    statuses = Counter(status for _, status, _, _ in log.answers)
    outage = [at for at, status, _, _ in log.answers if status in (503, -1)]
    back = restart_at + restart["seconds"]
    after = [(at, status) for at, status, _, _ in log.answers if at > back]
    first_ok_after = next((at for at, status in sorted(after) if status in (200, 302)), None)
    return {
        "answers": len(log.answers),
        "statuses": {str(s): n for s, n in sorted(statuses.items())},
        "answers_503": statuses[503],
        "answers_503_saying_try_again_with_retry_after": sum(1 for a in log.answers if a[3]),
        "first_503_at_s": round(min(outage), 2) if outage else None,
        "last_503_at_s": round(max(outage), 2) if outage else None,
        "restart_began_at_s": round(restart_at, 2),
        "restart_done_at_s": round(back, 2),
        "first_success_after_restart_s": (
            round(first_ok_after - back, 2) if first_ok_after is not None else None
        ),
        "answers_after_restart": len(after),
        "answers_503_later_than_5s_after_restart": sum(
            1 for at, status in after if status in (503, -1) and at > back + 5
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--papers", type=int, default=70)
    parser.add_argument("--restart-after", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=common.DEFAULT_WORKERS)
    parser.add_argument("--seed", type=int, default=6200)
    args = parser.parse_args()

    env = common.production_env(database_url())
    common.recreate_database(env["DATABASE_URL"])
    common.setup_django(env)
    slug, papers, credentials = common.signup_course(
        "fault", args.students, args.papers, MAX_PRESENTATIONS
    )
    rng = random.Random(args.seed)
    log = Log()

    from django.db import connections

    with common.gunicorn(PORT, args.workers, env):
        connections.close_all()
        start = time.monotonic()
        threads = []
        for user_id, session_key, csrf in credentials:
            headers = {
                "Cookie": common.cookie_header(session_key, csrf),
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            order = rng.sample(papers, len(papers))
            thread = threading.Thread(
                target=student, args=(log, slug, user_id, headers, order, start), daemon=True
            )
            threads.append(thread)
            thread.start()
        time.sleep(args.restart_after)
        restart_at = time.monotonic() - start
        restart = restart_postgresql()
        for thread in threads:
            thread.join(GIVE_UP_SECONDS + 60)
        wall = time.monotonic() - start

    connections.close_all()
    result = {
        "command": common.command_line("fault_restart.py"),
        "students": args.students,
        "papers": args.papers,
        "seats": args.papers,
        "gunicorn_workers": args.workers,
        "seconds": round(wall, 2),
        "restart": restart,
        **summarise(log, restart_at, restart),
        "students_finished": len(log.finished),
        "unexpected_messages": log.unexpected[:10],
        **check_database(log.told),
    }
    common.write_result("fault_restart", result)
    statuses = set(result["statuses"])
    common.fail_unless(
        [
            ("PostgreSQL restarted", restart["exit_status"] == 0),
            ("only 200, 302 and 503 answers", statuses <= {"200", "302", "503"}),
            ("the outage was seen as 503s", result["answers_503"] > 0),
            (
                "every 503 said to try again, with Retry-After",
                result["answers_503_saying_try_again_with_retry_after"] == result["answers_503"],
            ),
            (
                "requests succeeded after the restart",
                result["first_success_after_restart_s"] is not None,
            ),
            ("every student finished", result["students_finished"] == args.students),
            ("no message the students could not read", not log.unexpected),
            ("no sign-up lost", result["lost"] == 0),
            ("no sign-up the student was not told of", result["not_told"] == 0),
            ("no sign-up duplicated", result["duplicated"] == 0),
            ("no seat oversold", result["oversold_seats"] == 0),
            ("no student over the maximum", result["students_over_max"] == 0),
        ]
    )


if __name__ == "__main__":
    main()
