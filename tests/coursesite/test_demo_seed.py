"""The demo course built by ``manage.py seed_demo`` matches the course's published facts.

The expected values are written out here rather than read from ``demo_data``, so a
slip in the data shows up as a failing test instead of being copied into both.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from courses.models import Announcement, Course, Membership, Reading, Resource, Session, Theme
from grading.models import GradeComponent
from tests.coursesite.demo_helpers import SLUG, USERNAMES, seed

THEMES = {
    "Foundations of Scale": [
        "Why scale matters in deep learning",
        "Scaling laws and emergent capabilities",
        "Hardware landscape: GPUs, TPUs, and beyond",
    ],
    "Distributed Training Systems": [
        "Data parallelism and model parallelism",
        "Pipeline parallelism and tensor parallelism",
        "Communication primitives and collective operations",
    ],
    "Optimization at Scale": [
        "Large-batch training techniques",
        "Learning rate schedules and warmup",
        "Gradient compression and mixed precision",
    ],
    "Model Architectures": [
        "Transformer architecture deep dive",
        "Mixture of experts",
        "Efficient attention mechanisms",
    ],
    "Training Infrastructure": [
        "Checkpointing and fault tolerance",
        "Memory optimization techniques",
        "Profiling and debugging at scale",
    ],
    "Post-Training and Deployment": [
        "Fine-tuning and RLHF",
        "Inference optimization",
        "Model compression and quantization",
    ],
}
# Papers the course must include, by arXiv id (DeepSpeed's KDD paper has none).
REQUIRED_ARXIV_IDS = [
    "2001.08361",
    "2203.15556",
    "2206.07682",
    "1704.04760",
    "2006.15704",
    "1909.08053",
    "1811.06965",
    "2104.04473",
    "1910.02054",
    "1802.05799",
    "1706.02677",
    "1904.00962",
    "1710.03740",
    "1712.01887",
    "1711.05101",
    "1706.03762",
    "1701.06538",
    "2101.03961",
    "2205.14135",
    "1604.06174",
    "2304.11277",
    "2106.09685",
    "2203.02155",
    "2305.18290",
    "2309.06180",
    "2208.07339",
    "2210.17323",
    "2211.17192",
    "1503.02531",
]


# Logins go through django-axes, which needs the request they come with.
LOGIN_REQUEST = RequestFactory().post("/accounts/login/")


@pytest.fixture
def course(output) -> Course:
    return Course.objects.get(slug=SLUG)


def test_course_has_the_seed_pages_facts(course):
    assert course.is_published
    assert (course.code, course.title, course.term) == (
        "CIS6200",
        "Deep Learning at Scale",
        "Spring 2026",
    )
    assert course.institution == "University of Pennsylvania"
    assert course.timezone == "America/New_York"
    assert course.location == "Levine 307"
    assert course.meeting_times == "Tuesday/Thursday 3:30-5:00 PM"
    assert course.office_hours == "Thursday 5:00-6:00 PM (after class) or by appointment"
    paragraphs = course.overview.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("This graduate seminar explores the systems")
    assert "—from GPT-4 to Gemini to open-source alternatives—" in paragraphs[0]
    assert paragraphs[1].endswith("the infrastructure that makes large-scale AI possible.")
    assert course.prerequisites.splitlines() == [
        "- **Required**: Graduate standing or instructor permission",
        "- **Strongly Recommended**:",
        "    - CIS 5200 (Machine Learning) or equivalent",
        "    - Familiarity with Python and PyTorch",
        "    - Basic understanding of neural networks",
        "    - Comfort with linear algebra and calculus",
    ]


def test_grade_components_match_the_grading_table(course):
    components = list(GradeComponent.objects.filter(course=course).order_by("order"))
    assert [(c.order, c.name, c.weight) for c in components] == [
        (1, "Paper Presentations", Decimal(25)),
        (2, "Class Participation", Decimal(15)),
        (3, "Reading Responses", Decimal(20)),
        (4, "Assignments", Decimal(15)),
        (5, "Final Project", Decimal(25)),
    ]
    assert GradeComponent.objects.filter(course=course).total_weight() == 100
    assert components[0].description == "Lead discussion of 1-2 assigned papers"
    assert components[4].description == "Research project with paper and presentation"


def test_themes_and_topics_match_the_seed_page(course):
    themes = Theme.objects.filter(course=course).order_by("order").prefetch_related("topics")
    assert [t.order for t in themes] == [1, 2, 3, 4, 5, 6]
    assert {
        theme.title: [topic.title for topic in theme.topics.order_by("order")] for theme in themes
    } == THEMES
    for theme in themes:
        assert [topic.order for topic in theme.topics.order_by("order")] == [1, 2, 3]


def test_schedule_is_tuesday_thursday_without_spring_break(course):
    sessions = list(Session.objects.filter(course=course).select_related("theme"))
    assert len(sessions) == 28
    assert sessions[0].date == dt.date(2026, 1, 15)
    assert {s.date.strftime("%A") for s in sessions} == {"Tuesday", "Thursday"}
    assert len({s.date for s in sessions}) == 28
    assert not [s for s in sessions if dt.date(2026, 3, 7) <= s.date <= dt.date(2026, 3, 15)]
    assert {(s.start_time, s.end_time) for s in sessions} == {(dt.time(15, 30), dt.time(17, 0))}
    assert "introduction" in sessions[0].title.lower()
    assert "project presentations" in sessions[-1].title.lower()
    assert all(s.title for s in sessions)


def test_sessions_walk_the_themes_in_order(course):
    sessions = Session.objects.filter(course=course, theme__isnull=False).select_related("theme")
    orders = [s.theme.order for s in sessions]
    assert orders == sorted(orders)
    assert set(orders) == {1, 2, 3, 4, 5, 6}
    assert all(s.theme.course_id == course.pk for s in sessions)


def test_every_regular_session_has_one_paper_to_present(course):
    sessions = list(Session.objects.filter(course=course).prefetch_related("readings"))
    regular = sessions[1:-2]
    for session in regular:
        presentable = [r for r in session.readings.all() if r.presentable]
        assert len(presentable) == 1, session.title
        assert presentable[0].kind == Reading.Kind.REQUIRED
        assert 1 <= len(session.readings.all()) <= 2, session.title
    for session in [sessions[0], *sessions[-2:]]:
        assert not [r for r in session.readings.all() if r.presentable], session.title


def test_readings_are_cited_and_include_the_core_papers(course):
    readings = Reading.objects.filter(session__course=course)
    presentable = readings.filter(presentable=True)
    assert 20 <= presentable.count() <= 30
    assert sum(presentable.values_list("presenter_capacity", flat=True)) >= 20
    for reading in readings:
        assert reading.url.startswith(("https://", "http://")), reading.title
        assert reading.authors, reading.title
        assert reading.venue, reading.title
        assert 2000 < reading.year <= 2026, reading.title
        assert "paperswithcode" not in reading.url
    urls = set(readings.values_list("url", flat=True))
    missing = [i for i in REQUIRED_ARXIV_IDS if f"https://arxiv.org/abs/{i}" not in urls]
    assert missing == []
    assert readings.filter(title__startswith="DeepSpeed", venue="KDD", year=2020).exists()
    kaplan = readings.get(url="https://arxiv.org/abs/2001.08361")
    assert kaplan.title == "Scaling Laws for Neural Language Models"
    assert kaplan.authors.startswith("Jared Kaplan, ")
    assert kaplan.authors.endswith("et al.")
    assert readings.filter(kind=Reading.Kind.OPTIONAL, presentable=True).count() == 0


def test_resources_and_announcements(course):
    resources = Resource.objects.filter(course=course)
    assert 10 <= resources.count() <= 14
    assert {"Compute", "Frameworks and libraries", "Writing and presenting"} <= set(
        resources.values_list("category", flat=True)
    )
    assert all(r.url.startswith("https://") for r in resources)
    assert resources.filter(url__contains="pytorch.org").exists()
    announcements = Announcement.objects.filter(course=course)
    assert 2 <= announcements.count() <= 3
    for announcement in announcements:
        assert announcement.published_at.tzinfo is not None
        local = announcement.published_at.astimezone(course.tz)
        assert (local.year, local.month) in {(2026, 1), (2026, 2)}


def test_people_have_their_roles_and_can_sign_in(course):
    User = get_user_model()
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(USERNAMES)
    roles = dict(Membership.objects.filter(course=course).values_list("user__username", "role"))
    assert roles["instructor"] == "instructor"
    assert roles["ta1"] == roles["ta2"] == "ta"
    assert [u for u in USERNAMES[3:] if roles[u] != "student"] == []
    assert len(roles) == 23
    for user in User.objects.all():
        assert user.email == f"{user.username}@example.edu"
        assert user.first_name
        assert user.last_name
        assert not user.is_superuser
    instructor = User.objects.get(username="instructor")
    assert (instructor.first_name, instructor.last_name) == ("Lyle", "Ungar")
    assert instructor.is_staff
    assert list(instructor.groups.values_list("name", flat=True)) == ["Instructors"]
    assert instructor.has_perm("courses.change_session")
    assert instructor.has_perm("courses.delete_reading")
    assert instructor.has_perm("grading.add_gradecomponent")
    assert not User.objects.get(username="student01").is_staff
    assert authenticate(LOGIN_REQUEST, username="student01", password="demo") is not None
    assert authenticate(LOGIN_REQUEST, username="instructor", password="demo") is not None
    assert authenticate(LOGIN_REQUEST, username="student01", password="wrong") is None


def test_instructors_group_covers_every_course_and_grading_model(course):
    group = apps.get_model("auth", "Group").objects.get(name="Instructors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    for app_label in ("courses", "grading"):
        for model in apps.get_app_config(app_label).get_models():
            for action in ("add", "change", "delete", "view"):
                assert f"{action}_{model._meta.model_name}" in codenames


@pytest.mark.django_db
def test_password_option_sets_every_password():
    seed("--password", "other")
    assert authenticate(LOGIN_REQUEST, username="student01", password="other") is not None
    assert authenticate(LOGIN_REQUEST, username="ta2", password="other") is not None
    assert authenticate(LOGIN_REQUEST, username="student01", password="demo") is None


def test_rerun_with_another_password_changes_it(course):
    seed("--password", "s3cret-pw")
    assert authenticate(LOGIN_REQUEST, username="student20", password="s3cret-pw") is not None
    assert authenticate(LOGIN_REQUEST, username="student20", password="demo") is None


def _snapshot() -> dict[str, object]:
    """Row counts of every table, and every value of the tables the command writes."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    written = [
        *apps.get_app_config("courses").get_models(),
        *apps.get_app_config("grading").get_models(),
        get_user_model(),
        apps.get_model("auth", "Group"),
    ]
    values = {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in written}
    through = get_user_model().groups.through
    return {
        "counts": counts,
        "values": values,
        "user_groups": list(through.objects.order_by("pk").values()),
        "group_permissions": sorted(
            apps.get_model("auth", "Group").permissions.through.objects.values_list(
                "group_id", "permission_id"
            )
        ),
    }


def test_running_twice_changes_nothing(course):
    before = _snapshot()
    seed()
    assert _snapshot() == before
    assert before["counts"]["courses.Session"] == 28


def test_output_lists_the_logins(output):
    assert f"/courses/{SLUG}/" in output
    for username in USERNAMES:
        assert username in output
    login_lines = [line.split() for line in output.splitlines() if line.strip()]
    assert ["student01", "demo", "student", "Aisha", "Okafor"] in login_lines
    assert ["instructor", "demo", "instructor", "Lyle", "Ungar"] in login_lines


def test_demo_sign_ups_are_open_with_papers_taken_and_a_waitlist(course):
    from courses.models import PresentationSignup
    from courses.services.signups import window_problem

    assert window_problem(course) is None
    signups = PresentationSignup.objects.of_course(course)
    assert signups.confirmed().count() == 10
    full = Reading.objects.get(session__course=course, title__startswith="Training Compute-Optimal")
    assert [s.student.username for s in full.signups.confirmed()] == ["student03"]
    assert [s.student.username for s in full.signups.waitlisted()] == ["student04", "student05"]
    # Nobody is over the maximum, and most students still have a paper to choose.
    per_student = {s.student_id for s in signups.confirmed()}
    assert len(per_student) == 9
