"""The gradebook page at 300 students x 40 items, against a bare template.

    .venv/bin/python bench/gradebook_render.py [--students 300] [--items 40] [--rounds 15]

Builds a throw-away database (a temporary SQLite file, or BENCH_DATABASE_URL,
e.g. postgres://postgres@127.0.0.1:5432/coursesite_bench), a course with five
components, N students and M items with every cell scored, then alternates in
one process:

  A. GET /courses/<slug>/gradebook/ as a TA through Django's test client: the
     whole request (middleware, session, permission check, queries, grade
     calculation for every student in both modes, template);
  B. rendering a bare template that only places the same strings, taken from
     lists computed once before timing.

The figure to read is the ratio of the medians (A / B): how much the real page
costs over writing out the same 12,000 cells. Both run with the test settings
(DEBUG off, cached templates) in the same process, alternately, so machine
noise hits both alike. Results go to bench/results/gradebook_render_<database>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import common

BARE_TEMPLATE = """<table>{% for row in rows %}<tr>
<th><a href="{{ row.url }}">{{ row.name }}</a></th>
{% for cell in row.cells %}<td>{{ cell }}</td>{% endfor %}
{% for pct in row.components %}<td>{{ pct }}</td>{% endfor %}
<td>{{ row.current }}</td><td>{{ row.current_letter }}</td>
<td>{{ row.projected }}</td><td>{{ row.projected_letter }}</td></tr>{% endfor %}</table>"""


def configure() -> str:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        url = "sqlite:///" + str(Path(tempfile.mkdtemp(prefix="gradebook-bench-")) / "db.sqlite3")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "coursesite.settings_test"
    if url.startswith("postgres"):
        common.recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return url.split(":", 1)[0]


def build(students: int, items: int):
    import datetime as dt
    import random

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from courses.models import Course, Membership
    from grading.models import GradeComponent, GradeItem, Score

    User = get_user_model()
    rng = random.Random(6200)
    course = Course.objects.create(slug="bench", code="BENCH", title="Bench", term="Spring")
    weights = [25, 15, 20, 15, 25]
    components = [
        GradeComponent.objects.create(
            course=course,
            name=f"Component {n}",
            weight=weight,
            order=n,
            drop_lowest=2 if n == 2 else 0,
            weighting="equal" if n == 1 else "points",
        )
        for n, weight in enumerate(weights)
    ]
    now = timezone.now()
    grade_items = [
        GradeItem.objects.create(
            component=components[n % len(components)],
            title=f"Item {n + 1}",
            points_possible=Decimal(rng.choice([5, 10, 20, 60])),
            due_at=now + dt.timedelta(days=n - items // 2),
            released=n % 4 != 0,
            order=n,
        )
        for n in range(items)
    ]
    ta = User.objects.create_user("bench-ta")
    Membership.objects.create(course=course, user=ta, role=Membership.Role.TA)
    people = User.objects.bulk_create(
        User(username=f"student{n:04d}", first_name=f"First{n}", last_name=f"Last{n}")
        for n in range(students)
    )
    Membership.objects.bulk_create(
        Membership(course=course, user=user, role=Membership.Role.STUDENT) for user in people
    )
    # Bench data only: written in bulk for speed (the app writes through
    # grading.services, which records history; the page does not read history).
    scores = []
    for item in grade_items:
        for user in people:
            roll = rng.random()
            if roll < 0.05:
                continue
            if roll < 0.07:
                scores.append(Score(item=item, student=user, excused=True))
                continue
            fraction = Decimal(rng.randint(50, 100)) / 100
            points = (item.points_possible * fraction).quantize(Decimal("0.01"))
            scores.append(Score(item=item, student=user, points=points, graded_by=ta))
    Score.objects.bulk_create(scores, batch_size=2000)
    return course, ta, len(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    engine = configure()
    from django.db import connection
    from django.template import Context, Engine
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from grading.selectors import gradebook as selectors

    course, ta, score_count = build(args.students, args.items)
    client = Client()
    client.force_login(ta)
    path = f"/courses/{course.slug}/gradebook/"

    table = selectors.gradebook_table(selectors.gradebook(course=course))
    rows = [
        {
            "name": row.name,
            "url": row.url,
            "cells": list(row.cells),
            "components": list(row.components),
            "current": row.current,
            "current_letter": row.current_letter,
            "projected": row.projected,
            "projected_letter": row.projected_letter,
        }
        for row in table["rows"]
    ]
    bare = Engine().from_string(BARE_TEMPLATE)

    def page() -> int:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def template() -> int:
        return len(bare.render(Context({"rows": rows})))

    with CaptureQueriesContext(connection) as ctx:
        page_bytes = page()
    queries = len(ctx.captured_queries)
    template()

    page_times, bare_times = [], []
    for _ in range(args.rounds):
        for run, times in ((page, page_times), (template, bare_times)):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)

    page_median = statistics.median(page_times)
    bare_median = statistics.median(bare_times)
    result = {
        "database": engine,
        "students": args.students,
        "items": args.items,
        "scores": score_count,
        "rounds": args.rounds,
        "page_queries": queries,
        "page_bytes": page_bytes,
        "page_median_ms": round(page_median * 1000, 1),
        "page_p90_ms": round(sorted(page_times)[int(0.9 * (len(page_times) - 1))] * 1000, 1),
        "bare_template_median_ms": round(bare_median * 1000, 1),
        "ratio_page_over_bare": round(page_median / bare_median, 2),
        "command": "python bench/gradebook_render.py " + " ".join(sys.argv[1:]),
    }
    out = common.ROOT / "bench" / "results" / f"gradebook_render_{engine}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
