"""Fixtures that the test modules of one courses feature share; those of every
app are in tests/conftest.py."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group

from courses.models import Course, Membership
from courses.services import ranking
from courses.services.memberships import INSTRUCTORS_GROUP, membership_set
from tests.courses.admin_matrix_helpers import course_objects
from tests.courses.ranking_helpers import close_rankings, ranks
from tests.factories import CourseFactory, UserFactory, new_paper, new_student

# --- ranked sign-ups (test_ranking*.py) -----------------------------------------------------------


@pytest.fixture
def ranked(course):
    """The course in ranked mode: rank 2 to 3 papers, present 1 or 2."""
    course.signup_mode = Course.SignupMode.RANKED
    course.rank_min = 2
    course.rank_max = 3
    course.save()
    return course


@pytest.fixture
def papers(ranked):
    """Four one-seat papers, each in a session of its own."""
    return [
        new_paper(ranked, title=title, date=dt.date(2026, 2, 3) + dt.timedelta(days=7 * n))
        for n, title in enumerate(["Attention", "Batch Norm", "Capsules", "Dropout"])
    ]


@pytest.fixture
def bob(ranked):
    return new_student(ranked, "bob", first_name="Bob", last_name="Brown")


@pytest.fixture
def carol(ranked):
    return new_student(ranked, "carol", first_name="Carol", last_name="Clark")


@pytest.fixture
def everyone_ranked(ranked, papers, student, bob, carol):
    """Everyone wants Attention; Carol ranks nothing else. The best assignment
    gives Carol Attention (rank 1) and the others their second choice."""
    attention, batch_norm, capsules, _ = papers
    ranks(ranked, student, attention, batch_norm)
    ranks(ranked, bob, attention, capsules)
    ranks(ranked, carol, attention)
    close_rankings(ranked)
    return ranked


@pytest.fixture
def two_ranked(ranked, papers, student, bob):
    """Alice and Bob want different papers: each gets their first choice."""
    attention, batch_norm, capsules, _ = papers
    ranks(ranked, student, attention, batch_norm)
    ranks(ranked, bob, capsules, attention)
    close_rankings(ranked)
    return ranked


@pytest.fixture
def draft(two_ranked, instructor):
    return ranking.assignment_run(course=two_ranked, by=instructor, seed=5)


# --- the admin (test_admin_*.py) ------------------------------------------------------------------


@pytest.fixture
def second_course(prof):
    """Another course the same instructor teaches."""
    other = CourseFactory(slug="second", code="CIS7000")
    membership_set(course=other, user=prof, role=Membership.Role.INSTRUCTOR)
    return other


@pytest.fixture
def admin_instructor(admin_client):
    """The course's instructor in the admin: `admin_client` (tests/conftest.py), under
    the name the course and sign-up admin tests use."""
    return admin_client


# --- rosters (test_rosters*.py) -------------------------------------------------------------------


@pytest.fixture
def members(course, instructor, ta, student):
    return {"instructor": instructor, "ta": ta, "student": student}


# --- the admin matrix (test_admin_matrix*.py) -----------------------------------------------------


@pytest.fixture
def world(db):
    alpha = CourseFactory(slug="alpha", code="CIS6101", title="Alpha Seminar")
    bravo = CourseFactory(slug="bravo", code="CIS5101", title="Bravo Seminar")
    people = {
        "instructor": UserFactory(username="prof"),
        "other_instructor": UserFactory(username="otherprof"),
        "ta": UserFactory(username="ta"),
    }
    alpha_student = UserFactory(username="alpha-student", first_name="Alpha")
    bravo_student = UserFactory(username="bravo-student", first_name="Bravo")
    for course, user, role in [
        (alpha, people["instructor"], Membership.Role.INSTRUCTOR),
        (bravo, people["instructor"], Membership.Role.STUDENT),
        (bravo, people["other_instructor"], Membership.Role.INSTRUCTOR),
        (alpha, people["other_instructor"], Membership.Role.TA),
        (alpha, people["ta"], Membership.Role.TA),
        (alpha, alpha_student, Membership.Role.STUDENT),
        (bravo, bravo_student, Membership.Role.STUDENT),
    ]:
        membership_set(course=course, user=user, role=role)
    shared = {
        "auth.group": Group.objects.get(name=INSTRUCTORS_GROUP),
        "axes.accessattempt": AccessAttempt.objects.create(
            user_agent="phone", ip_address="10.0.0.1", username="x", http_accept="*/*",
            path_info="/accounts/login/", get_data="", post_data="", failures_since_start=1,
        ),
        "axes.accesslog": AccessLog.objects.create(
            user_agent="phone", ip_address="10.0.0.1", username="x", http_accept="*/*",
            path_info="/accounts/login/",
        ),
        "axes.accessfailurelog": AccessFailureLog.objects.create(
            user_agent="phone", ip_address="10.0.0.1", username="x", http_accept="*/*",
            path_info="/accounts/login/",
        ),
    }  # fmt: skip
    objects = {
        "alpha": course_objects(alpha, "Alpha", alpha_student, people["instructor"]) | shared,
        "bravo": course_objects(bravo, "Bravo", bravo_student, people["other_instructor"]),
    }
    return people, objects
