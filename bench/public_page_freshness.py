"""How fresh the public pages are after an instructor's edit, for
bench/public_page_vs_static.py: the course renamed in the admin and back, each change
seen at once by the instructor and by anonymous visitors on every gunicorn worker
within the cache's bound.
"""

from __future__ import annotations

import time

from public_page_admin import AdminSession
from public_page_site import PAGES, SLUG
from public_page_workers import one_request_per_worker

INSTRUCTOR = ("instructor", "demo")  # seed_demo's instructor and default password
# How often the workers are asked, after an edit, until each shows it.
POLL_SECONDS = 1


def shown_to_the_instructor(admin: AdminSession, text: str, present: bool) -> dict[str, bool]:
    """For each page: whether the instructor's own next request (logged in, so never
    a cached copy) shows `text` (or does not, when `present` is False)."""
    found = {}
    for name, path in PAGES.items():
        status, _, body = admin.get(path)
        found[name] = status == 200 and (text.encode() in body) == present
    return found


def seconds_until_every_worker_shows(
    port: int, master: int, workers: int, text: str, present: bool, since: float, bound: int
) -> dict:
    """For each page: once a second, one anonymous request served by each worker, until
    all of them show `text` (or all are without it when `present` is False); the seconds
    from `since` (the save) until then, and whether the first round already did."""
    needle = text.encode()
    found = {name: {"seconds": None, "first_round_fresh": None} for name in PAGES}
    deadline = since + bound + 15
    while time.monotonic() < deadline and any(f["seconds"] is None for f in found.values()):
        began = time.monotonic()
        for name, path in PAGES.items():
            if found[name]["seconds"] is not None:
                continue
            answers = one_request_per_worker(port, master, path)
            fresh = [a for a in answers if a["status"] == 200 and (needle in a["body"]) == present]
            all_fresh = len({a["pid"] for a in fresh}) == workers
            if found[name]["first_round_fresh"] is None:
                found[name]["first_round_fresh"] = all_fresh
            if all_fresh:
                found[name]["seconds"] = round(time.monotonic() - since, 1)
        time.sleep(max(0.0, POLL_SECONDS - (time.monotonic() - began)))
    return found


def freshness_check(port: int, master: int, workers: int, suffix: str) -> dict:
    """Rename the course in the admin and back; each change must show at once to the
    instructor, and to anonymous visitors from every worker within the bound."""
    from courses.models import Course
    from coursesite.caching import PUBLIC_PAGE_SECONDS as bound

    course = Course.objects.get(slug=SLUG)
    original = course.title
    edited = f"Systems for ML, renamed {suffix}"
    admin = AdminSession(port)
    admin.login(*INSTRUCTOR)
    limit = bound + POLL_SECONDS + 1  # the bound, plus one round of asking
    steps = {}
    for step, title, present in (("rename", edited, True), ("rename_back", original, False)):
        saved = admin.change("courses/course", course.pk, "course_form", {"title": title})
        since = time.monotonic()
        instructor = shown_to_the_instructor(admin, edited, present)
        anonymous = seconds_until_every_worker_shows(
            port, master, workers, edited, present, since, bound
        )
        stored = Course.objects.get(pk=course.pk).title
        ok = (
            saved["status"] == 302
            and stored == title
            and all(instructor.values())
            and all(p["seconds"] is not None and p["seconds"] <= limit for p in anonymous.values())
        )
        steps[step] = {
            "title": title,
            "admin_save": saved,
            "stored_title": stored,
            "instructor_sees_it_at_once": instructor,
            "anonymous_on_every_worker_after_seconds": anonymous,
            "ok": ok,
        }
    return {
        "edit": "the course title, in /admin/courses/course/<id>/change/ as the instructor",
        "anonymous_bound_seconds": bound,
        "checked_within_seconds": limit,
        **steps,
        "ok": all(s["ok"] for s in steps.values()),
    }
