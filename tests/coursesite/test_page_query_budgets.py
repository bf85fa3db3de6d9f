"""Every member page loads its data in a fixed number of queries: the count is
pinned here, at two sizes of the same course, and may not grow with rows.

(The public pages, the gradebook pages and the sign-up board have their own
budget files; this one covers the rest.) docs/performance.md lists the same numbers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import AssignmentRun, Membership, PaperPreference, PresentationSignup
from courses.services import polls
from grading.models import GradeImport
from grading.services import ScoreChange, scores_set
from grading.services.submissions import submission_save
from tests.conftest import logged_in
from tests.factories import GradeComponentFactory, GradeItemFactory, new_paper, new_student

pytestmark = pytest.mark.django_db

# (url name, who asks, url kwargs besides the slug): queries. Each count includes
# the session, user, course and membership lookups of a logged-in request.
BUDGETS: dict[tuple[str, str], int] = {
    ("courses:polls", "student"): 8,
    ("courses:polls", "ta"): 9,
    ("courses:poll", "student"): 8,
    ("courses:poll", "ta"): 9,
    ("grading:participation", "ta"): 10,
    ("courses:roster", "instructor"): 5,
    ("courses:paper_rank", "student"): 9,
    ("courses:assignment", "instructor"): 9,
    ("courses:assignment_run", "instructor"): 8,
    ("grading:my_work", "student"): 9,
    ("grading:work_submit", "student"): 11,
    ("grading:item_submissions", "ta"): 11,
    ("grading:submission_grade", "ta"): 12,
    ("grading:session_responses", "student"): 8,
    ("grading:gradebook_import", "ta"): 5,
    ("my_courses", "student"): 3,
}


def grow(course, people, n: int) -> None:
    """Add n students, sessions with papers, hand-in items, scores, hand-ins,
    polls with answers, rankings: more of everything the pages list."""
    ta = people["ta"]
    students = [people["student"]] + [new_student(course) for _ in range(n)]
    component = course.components.first() or GradeComponentFactory(course=course)
    due = timezone.now() - dt.timedelta(days=1)
    papers = [new_paper(course, capacity=2) for _ in range(n)]
    session = papers[0].session
    for paper in papers:
        item = GradeItemFactory(
            component=component, accepts_text=True, due_at=due, session=session, released=True
        )
        for student in students:
            submission_save(item=item, student=student, text="Notes.", now=due)
        scores_set(
            changes=[ScoreChange(item, s, Decimal(7), comment="ok") for s in students], by=ta
        )
        PresentationSignup.objects.get_or_create(
            reading=paper,
            student=students[paper.pk % len(students)],
            defaults={"status": PresentationSignup.Status.CONFIRMED},
        )
        poll = polls.poll_create(
            course=course, question=f"Q{paper.pk}?", kind="single", choices=["A", "B"]
        )
        polls.poll_state_set(poll=poll, state="open")
        for student in students:
            polls.poll_answer(poll=poll, student=student, choice_ids=[poll.choices.first().pk])
    held = PaperPreference.objects.filter(course=course, student=people["student"]).count()
    for rank, paper in enumerate(papers[:3], start=held + 1):
        PaperPreference.objects.create(
            course=course, student=people["student"], reading=paper, rank=rank
        )
    PresentationSignup.objects.get_or_create(
        reading=papers[0],
        student=people["student"],
        defaults={"status": PresentationSignup.Status.CONFIRMED},
    )
    run = AssignmentRun.objects.get_or_create(course=course, seed=1)[0]
    run.result = {
        "placements": [[s.pk, papers[i % len(papers)].pk, 1] for i, s in enumerate(students)],
        "adjusted": False,
    }
    run.first_come = {"placements": run.result["placements"], "short": []}
    run.save()


@pytest.fixture
def people(course, student, ta, instructor):
    return {"student": student, "ta": ta, "instructor": instructor}


def path_for(name: str, course, people) -> str:
    item = course.components.first().items.order_by("pk").first()
    kwargs = {
        "courses:poll": {"poll_id": course.polls.order_by("pk").first().pk},
        "courses:assignment_run": {"run_id": course.assignment_runs.first().pk},
        "grading:work_submit": {"item_id": item.pk},
        "grading:item_submissions": {"item_id": item.pk},
        "grading:submission_grade": {"item_id": item.pk, "student_id": people["student"].pk},
        "grading:session_responses": {"session_id": item.session_id},
    }.get(name, {})
    if name == "my_courses":
        return reverse(name)
    return reverse(name, kwargs={"slug": course.slug, **kwargs})


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("name", "who"), sorted(BUDGETS))
def test_page_queries_do_not_grow_with_rows(name, who, course, people):
    GradeImport.objects.create(course=course, filename="g.csv", content="Username\n")
    grow(course, people, 2)
    client = logged_in(people[who])
    small = count(client, path_for(name, course, people))
    grow(course, people, 10)
    assert Membership.objects.filter(course=course, role="student").count() == 13
    large = count(client, path_for(name, course, people))
    assert (small, large) == (BUDGETS[name, who], BUDGETS[name, who])
