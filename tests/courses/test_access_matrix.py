# ruff: noqa: E501 -- the access table reads best one URL per line
"""Who may do what on every course page: a table a reader can audit.

The test walks the URL configuration, so a new course URL without a row in
ACCESS fails here until someone decides, in writing, who may use it.

Each cell is what a person gets for GET and for POST (an empty POST: enough to
show whether the request gets past the permission check):

    ok     200                           login  302 to the login page
    done   302 elsewhere (an action ran) 403    wrong role in this course
    404    not a member (or no such object in this course)
    405    method not allowed

People: anonymous; student (of this course: hands in work, presents in the
session, has a score); stranger (a student of another course); ta;
instructor; superuser (not a member).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from courses.models import AssignmentRun, Membership, PresentationSignup
from courses.services import polls
from grading.models import GradeImport, Submission
from grading.services import score_set
from tests.factories import (
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    ReadingFactory,
    SessionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PEOPLE = ("anonymous", "student", "stranger", "ta", "instructor", "superuser")


def row(anonymous, student, stranger, ta, instructor, superuser) -> dict[str, tuple[str, str]]:
    """One row of the table: "GET/POST" for each person, in PEOPLE order."""
    cells = (anonymous, student, stranger, ta, instructor, superuser)
    return {person: tuple(cell.split("/")) for person, cell in zip(PEOPLE, cells, strict=True)}


ACCESS: dict[str, dict[str, tuple[str, str]]] = {
    #                               anonymous     student      stranger    ta           instructor   superuser
    # Public pages of a published course.
    "courses:home":                 row("ok/405",    "ok/405",    "ok/405",   "ok/405",    "ok/405",    "ok/405"),
    "courses:schedule":             row("ok/405",    "ok/405",    "ok/405",   "ok/405",    "ok/405",    "ok/405"),
    "courses:resources":            row("ok/405",    "ok/405",    "ok/405",   "ok/405",    "ok/405",    "ok/405"),
    "courses:calendar":             row("ok/405",    "ok/405",    "ok/405",   "ok/405",    "ok/405",    "ok/405"),
    # Presentation sign-ups.
    "courses:papers":               row("login/405", "ok/405",    "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "courses:paper_signup":         row("405/login", "405/done",  "405/404",  "405/403",   "405/403",   "405/done"),
    "courses:paper_waitlist":       row("405/login", "405/done",  "405/404",  "405/403",   "405/403",   "405/done"),
    "courses:paper_withdraw":       row("405/login", "405/done",  "405/404",  "405/403",   "405/403",   "405/done"),
    # Ranked preferences (the fixture course is first-come: the pages answer, actions explain).
    "courses:paper_rank":           row("login/login", "ok/done", "404/404",  "403/403",   "403/403",   "ok/done"),
    "courses:assignment":           row("login/login", "403/403", "404/404",  "403/403",   "ok/done",   "ok/done"),
    "courses:assignment_run":       row("login/login", "403/403", "404/404",  "403/403",   "ok/done",   "ok/done"),
    "courses:paper_assignments":    row("login/405", "403/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "courses:paper_assignments_csv": row("login/405", "403/405",  "404/405",  "ok/405",    "ok/405",    "ok/405"),
    # Polls (the fixture's poll is open; the student has not answered it).
    "courses:polls":                row("login/405", "ok/405",    "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "courses:poll":                 row("login/405", "ok/405",    "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "courses:poll_answer":          row("405/login", "405/done",  "405/404",  "405/403",   "405/403",   "405/done"),
    "courses:poll_create":          row("405/login", "405/403",   "405/404",  "405/done",  "405/done",  "405/done"),
    "courses:poll_state":           row("405/login", "405/403",   "405/404",  "405/done",  "405/done",  "405/done"),
    "courses:poll_results":         row("login/405", "403/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "courses:poll_answers_csv":     row("login/405", "403/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "grading:participation":        row("login/405", "403/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "grading:participation_score":  row("405/login", "405/403",   "405/404",  "405/404",   "405/404",   "405/404"),
    # Roster: the instructor's.
    "courses:roster":               row("login/login", "403/403", "404/404",  "403/403",   "ok/ok",     "ok/ok"),
    "courses:roster_import":        row("405/login", "405/403",   "405/404",  "405/403",   "405/done",  "405/done"),
    "courses:join_code":            row("405/login", "405/403",   "405/404",  "405/403",   "405/done",  "405/done"),
    # A student's own work and grades.
    "grading:my_work":              row("login/405", "ok/405",    "404/405",  "403/405",   "403/405",   "ok/405"),
    "grading:work_submit":          row("login/login", "ok/done", "404/404",  "403/403",   "403/403",   "ok/ok"),
    "grading:my_grades":            row("login/405", "ok/405",    "404/405",  "403/405",   "403/405",   "ok/405"),
    # A hand-in's file: its author and the staff.
    "grading:submission_file":      row("login/405", "ok/405",    "404/405",  "ok/405",    "ok/405",    "ok/405"),
    # A session's responses: its presenters (the student presents) and the staff.
    "grading:session_responses":    row("login/405", "ok/405",    "404/405",  "ok/405",    "ok/405",    "ok/405"),
    # The gradebook: TAs and instructors.
    "grading:gradebook":            row("login/405", "403/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "grading:gradebook_export":     row("login/405", "403/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "grading:gradebook_import":     row("login/login", "403/403", "404/404",  "ok/ok",     "ok/ok",     "ok/ok"),
    "grading:gradebook_import_preview": row("login/login", "403/403", "404/404", "ok/done", "ok/done",  "ok/done"),
    "grading:item_scores":          row("login/login", "403/403", "404/404",  "ok/ok",     "ok/ok",     "ok/ok"),
    "grading:item_release":         row("405/login", "405/403",   "405/404",  "405/done",  "405/done",  "405/done"),
    "grading:item_submissions":     row("login/405", "403/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "grading:submission_grade":     row("login/login", "403/403", "404/404",  "ok/done",   "ok/done",   "ok/done"),
    # Pages about one student's grades: 404 (not 403) to students, so ids reveal nothing.
    "grading:student_grades":       row("login/405", "404/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
    "grading:score_history":        row("login/405", "404/405",   "404/405",  "ok/405",    "ok/405",    "ok/405"),
}  # fmt: skip


def course_url_names() -> list[str]:
    """Every named URL under /courses/<slug>/, as "namespace:name"."""
    names = []
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "courses/<slug:slug>/":
            for pattern in entry.url_patterns:
                if isinstance(pattern, URLPattern) and pattern.name:
                    names.append(f"{entry.namespace}:{pattern.name}")
    return sorted(names)


@pytest.fixture
def world(db):
    """A published course with one of everything, and the six people."""
    now = timezone.now()
    course = CourseFactory(
        slug="cis6200",
        signup_opens_at=now - dt.timedelta(days=1),
        signup_closes_at=now + dt.timedelta(days=7),
    )
    people = {
        "student": MembershipFactory(course=course, role=Membership.Role.STUDENT).user,
        "ta": MembershipFactory(course=course, role=Membership.Role.TA).user,
        "instructor": MembershipFactory(course=course, role=Membership.Role.INSTRUCTOR).user,
        "stranger": MembershipFactory(
            course=CourseFactory(slug="elsewhere"), role=Membership.Role.STUDENT
        ).user,
        "superuser": UserFactory(username="root", is_superuser=True, is_staff=True),
    }
    session = SessionFactory(course=course, date=now.date() + dt.timedelta(days=3))
    paper = ReadingFactory(session=session, presentable=True, presenter_capacity=2)
    PresentationSignup.objects.create(
        reading=paper, student=people["student"], status=PresentationSignup.Status.CONFIRMED
    )
    item = GradeItemFactory(
        component=GradeComponentFactory(course=course),
        accepts_text=True,
        session=session,
        due_at=now + dt.timedelta(days=2),
    )
    score = score_set(item=item, student=people["student"], points=Decimal(5), by=people["ta"])
    submission = Submission(
        item=item, student=people["student"], text="My response.", submitted_at=now
    )
    submission.file.save("notes.txt", ContentFile(b"notes"), save=False)
    submission.save()
    poll = polls.poll_create(
        course=course, question="Ready?", kind="single", choices=["Yes", "No"], session=session
    )
    polls.poll_state_set(poll=poll, state="open")
    upload = GradeImport.objects.create(
        course=course, uploaded_by=people["ta"], filename="g.csv", content="Username\n"
    )
    ids = {
        "slug": course.slug,
        "reading_id": paper.pk,
        "item_id": item.pk,
        "student_id": people["student"].pk,
        "score_id": score.pk,
        "import_id": upload.pk,
        "submission_id": submission.pk,
        "session_id": session.pk,
        "poll_id": poll.pk,
        "run_id": AssignmentRun.objects.create(course=course, seed=1, result={"placements": []}).pk,
    }
    return course, people, ids


def url_for(name: str, ids: dict) -> str:
    resolver_entry = next(
        p
        for e in get_resolver().url_patterns
        if isinstance(e, URLResolver) and str(e.pattern) == "courses/<slug:slug>/"
        for p in e.url_patterns
        if isinstance(p, URLPattern) and f"{e.namespace}:{p.name}" == name
    )
    wanted = {"slug", *resolver_entry.pattern.converters}
    return reverse(name, kwargs={key: ids[key] for key in wanted})


def outcome(response) -> str:
    if response.status_code == 302:
        return "login" if response["Location"].startswith("/accounts/login/") else "done"
    if response.status_code == 200:
        return "ok"
    return str(response.status_code)


def client_for(person: str, people: dict) -> Client:
    client = Client()
    if person != "anonymous":
        client.force_login(people[person])
    return client


def test_every_course_url_has_a_row_in_the_table():
    missing = [name for name in course_url_names() if name not in ACCESS]
    assert missing == [], f"add these URLs to ACCESS, with who may use them: {missing}"
    stale = [name for name in ACCESS if name not in course_url_names()]
    assert stale == [], f"these rows name URLs that no longer exist: {stale}"


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_access(name, person, world):
    _, people, ids = world
    path = url_for(name, ids)
    client = client_for(person, people)
    got = (outcome(client.get(path)), outcome(client.post(path)))
    assert got == ACCESS[name][person], f"{person} on {path}"


@pytest.mark.parametrize("name", sorted(ACCESS))
def test_an_unpublished_course_does_not_exist_for_outsiders(name, world):
    course, people, ids = world
    course.is_published = False
    course.save(update_fields=["is_published"])
    path = url_for(name, ids)
    stranger = client_for("stranger", people)
    assert outcome(stranger.get(path)) in ("404", "405")
    anonymous = outcome(Client().get(path))
    public = ACCESS[name]["anonymous"][0] == "ok"
    assert anonymous == ("404" if public else ACCESS[name]["anonymous"][0])
