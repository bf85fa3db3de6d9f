"""What the admin matrix tests share (the two courses and their people are
described in tests/courses/test_admin_matrix.py): one row of every course model,
admin addresses, a logged-in client, and what a page answered."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Announcement, Membership, PresentationSignup, Resource, Theme
from courses.services import polls
from grading.models import GradeImport, Submission
from grading.services import score_set
from tests.factories import GradeComponentFactory, GradeItemFactory, ReadingFactory, SessionFactory


def course_objects(course, name: str, student, grader) -> dict:
    """One row of every course model, each named after the course."""
    now = timezone.now()
    theme = Theme.objects.create(course=course, title=f"{name} theme")
    session = SessionFactory(course=course, title=f"{name} session", theme=theme)
    reading = ReadingFactory(
        session=session, title=f"{name} paper", presentable=True, presenter_capacity=2
    )
    component = GradeComponentFactory(course=course, name=f"{name} component")
    item = GradeItemFactory(component=component, title=f"{name} item", accepts_text=True)
    score_set(item=item, student=student, points=Decimal(5), by=grader)
    poll = polls.poll_create(
        course=course,
        question=f"{name} poll?",
        kind="single",
        choices=[f"{name} yes", f"{name} no"],
        session=session,
    )
    return {
        "courses.course": course,
        "courses.theme": theme,
        "courses.session": session,
        "courses.reading": reading,
        "courses.resource": Resource.objects.create(
            course=course, category=f"{name} compute", title=f"{name} resource"
        ),
        "courses.announcement": Announcement.objects.create(
            course=course, title=f"{name} announcement"
        ),
        "courses.membership": Membership.objects.get(course=course, user=student),
        "courses.presentationsignup": PresentationSignup.objects.create(
            reading=reading, student=student, status=PresentationSignup.Status.CONFIRMED
        ),
        "courses.poll": poll,
        "grading.gradecomponent": component,
        "grading.gradeitem": item,
        "grading.score": item.scores.get(),
        "grading.gradeimport": GradeImport.objects.create(
            course=course, uploaded_by=grader, filename=f"{name}.csv", content="Username\n"
        ),
        "grading.submission": Submission.objects.create(
            item=item, student=student, text=f"{name} response", submitted_at=now
        ),
        "auth.user": student,
    }


def admin_url(label: str, view: str, obj=None) -> str:
    app, model = label.split(".")
    args = [obj.pk] if view in ("change", "delete") else []
    return reverse(f"admin:{app}_{model}_{view}", args=args)


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "login"
        if location == reverse("admin:index"):
            return "gone"
        return f"302 {location}"
    return "ok" if response.status_code == 200 else str(response.status_code)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
