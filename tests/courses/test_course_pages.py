"""The public course pages, as a visitor, a member and an outsider see them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from courses.models import Membership
from tests.factories import (
    AnnouncementFactory,
    CourseFactory,
    GradeComponentFactory,
    MembershipFactory,
    ReadingFactory,
    ResourceFactory,
    SessionFactory,
    ThemeFactory,
    TopicFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["courses:home", "courses:schedule", "courses:resources", "courses:calendar"]


def url(name: str, course) -> str:
    return reverse(name, kwargs={"slug": course.slug})


class TestCourseList:
    def test_it_lists_published_courses_only_to_visitors(self, client):
        CourseFactory(code="CIS6200", title="Deep Learning at Scale")
        CourseFactory(code="CIS9999", title="Secret Draft", is_published=False)
        page = client.get("/").content.decode()
        assert "Deep Learning at Scale" in page
        assert "Secret Draft" not in page

    def test_a_member_also_sees_their_unpublished_course(self):
        draft = CourseFactory(title="Secret Draft", is_published=False)
        member = MembershipFactory(course=draft, role=Membership.Role.INSTRUCTOR).user
        client = Client()
        client.force_login(member)
        page = client.get("/").content.decode()
        assert "Secret Draft" in page
        assert "Not published" in page


class TestCourseHome:
    def test_it_shows_everything_the_course_page_promises(self, client, course):
        course.overview = "This graduate seminar explores **systems**."
        course.prerequisites = "- **Required**: Graduate standing"
        course.office_hours = "Thursday 5:00-6:00 PM (after class) or by appointment"
        course.save()
        prof = UserFactory(username="lyle", first_name="Lyle", last_name="Ungar")
        MembershipFactory(course=course, user=prof, role=Membership.Role.INSTRUCTOR)
        GradeComponentFactory(
            course=course,
            name="Paper Presentations",
            weight=Decimal("25"),
            description="Lead discussion of 1-2 assigned papers",
        )
        theme = ThemeFactory(course=course, title="Foundations of Scale")
        TopicFactory(theme=theme, title="Scaling laws and emergent capabilities")
        AnnouncementFactory(course=course, title="Sign-ups are open")

        response = client.get(url("courses:home", course))
        page = response.content.decode()

        assert response.status_code == 200
        for fact in [
            "CIS6200: Deep Learning at Scale",
            "Spring 2026 | University of Pennsylvania",
            "Instructor: Lyle Ungar",
            "<strong>systems</strong>",
            "<strong>Required</strong>: Graduate standing",
            "Paper Presentations",
            "25%",
            "Lead discussion of 1-2 assigned papers",
            "Foundations of Scale",
            "Scaling laws and emergent capabilities",
            "Tuesday/Thursday 3:30-5:00 PM",
            "Levine 307",
            "Thursday 5:00-6:00 PM (after class) or by appointment",
            "Sign-ups are open",
            url("courses:schedule", course),
            url("courses:resources", course),
        ]:
            assert fact in page, fact

    def test_weights_in_the_grading_table_come_from_the_components(self, client, course):
        component = GradeComponentFactory(course=course, name="Final Project", weight=25)
        component.weight = Decimal("30.5")
        component.save()
        page = client.get(url("courses:home", course)).content.decode()
        assert "30.50%" in page or "30.5%" in page

    def test_future_announcements_stay_hidden(self, client, course):
        AnnouncementFactory(course=course, title="Tomorrow's news")
        AnnouncementFactory(
            course=course,
            title="Not yet",
            published_at=timezone.now() + dt.timedelta(days=1),
        )
        page = client.get(url("courses:home", course)).content.decode()
        assert "Tomorrow&#x27;s news" in page
        assert "Not yet" not in page


class TestUnpublishedCourse:
    @pytest.fixture
    def draft(self, db):
        return CourseFactory(is_published=False)

    @pytest.mark.parametrize("name", PUBLIC_PAGES)
    def test_it_is_a_404_for_visitors(self, client, draft, name):
        assert client.get(url(name, draft)).status_code == 404

    @pytest.mark.parametrize("name", PUBLIC_PAGES)
    def test_it_is_a_404_for_members_of_other_courses(self, as_outsider, draft, name):
        assert as_outsider.get(url(name, draft)).status_code == 404

    @pytest.mark.parametrize("name", PUBLIC_PAGES)
    def test_its_members_see_it(self, draft, name):
        student = MembershipFactory(course=draft).user
        client = Client()
        client.force_login(student)
        assert client.get(url(name, draft)).status_code == 200


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_published_pages_are_open_to_everyone(client, as_student, as_outsider, course, name):
    for who in (client, as_student, as_outsider):
        assert who.get(url(name, course)).status_code == 200


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_reject_post(as_student, course, name):
    assert as_student.post(url(name, course)).status_code == 405


def test_an_unknown_course_is_a_404(client):
    assert client.get("/courses/no-such-course/").status_code == 404


class TestSchedule:
    def test_it_groups_sessions_into_teaching_weeks_with_their_readings(self, client, course):
        theme = ThemeFactory(course=course, title="Distributed Training Systems")
        tue = SessionFactory(course=course, date=dt.date(2026, 1, 20), title="Data parallelism")
        SessionFactory(course=course, date=dt.date(2026, 1, 22), title="Model parallelism")
        # A break week with no sessions does not leave a hole in the numbering.
        later = SessionFactory(course=course, date=dt.date(2026, 2, 3), title="ZeRO", theme=theme)
        ReadingFactory(
            session=tue,
            title="PyTorch Distributed: Experiences on Accelerating Data Parallel Training",
            authors="Shen Li, Yanli Zhao, Rohan Varma, et al.",
            venue="VLDB",
            year=2020,
            url="https://arxiv.org/abs/2006.15704",
        )
        ReadingFactory(session=later, title="An optional extra", kind="optional")

        page = client.get(url("courses:schedule", course)).content.decode()

        assert "Week 1" in page
        assert "Week 2" in page
        assert "Week 3" not in page
        assert page.index("Data parallelism") < page.index("Model parallelism") < page.index("ZeRO")
        assert "PyTorch Distributed: Experiences on Accelerating Data Parallel Training" in page
        assert "Shen Li, Yanli Zhao, Rohan Varma, et al. VLDB 2020." in page
        assert 'href="https://arxiv.org/abs/2006.15704"' in page
        assert "Theme: Distributed Training Systems" in page
        assert "Optional" in page

    def test_it_marks_the_next_session_and_not_past_or_cancelled_ones(self, client, course):
        today = course.today()
        SessionFactory(course=course, date=today - dt.timedelta(days=2), title="Past")
        SessionFactory(
            course=course, date=today + dt.timedelta(days=1), title="Snow day", cancelled=True
        )
        upcoming = SessionFactory(
            course=course, date=today + dt.timedelta(days=3), title="Upcoming"
        )
        SessionFactory(course=course, date=today + dt.timedelta(days=5), title="Later")

        response = client.get(url("courses:schedule", course))

        assert response.context["next_session"] == upcoming
        page = response.content.decode()
        assert page.count("Next session") == 1
        next_card = page[page.index("Next session") - 1500 : page.index("Next session")]
        assert f'id="session-{upcoming.pk}"' in next_card
        assert "Cancelled" in page

    def test_no_next_session_after_the_term(self, client, course):
        SessionFactory(course=course, date=dt.date(2020, 1, 1))
        response = client.get(url("courses:schedule", course))
        assert response.context["next_session"] is None
        assert "Next session" not in response.content.decode()


def test_resources_are_grouped_by_category(client, course):
    ResourceFactory(course=course, category="Frameworks", title="PyTorch documentation")
    ResourceFactory(course=course, category="Compute", title="Google Colab")
    ResourceFactory(course=course, category="Compute", title="Department GPU cluster")
    page = client.get(url("courses:resources", course)).content.decode()
    assert page.index("Compute") < page.index("Google Colab") < page.index("Frameworks")
    assert page.index("Department GPU cluster") < page.index("PyTorch documentation")


class TestCalendarFeed:
    def test_it_has_one_event_per_session_in_the_course_time_zone(self, client, course):
        course.timezone = "America/New_York"
        course.save()
        first = SessionFactory(course=course, date=dt.date(2026, 1, 15), title="Introduction")
        ReadingFactory(session=first, title="Scaling Laws for Neural Language Models")
        SessionFactory(course=course, date=dt.date(2026, 1, 20), title="Scaling laws")

        response = client.get(url("courses:calendar", course))

        assert response["Content-Type"].startswith("text/calendar")
        cal = Calendar.from_ical(response.content)
        events = list(cal.walk("VEVENT"))
        assert len(events) == 2
        start = events[0].decoded("dtstart")
        assert start.utcoffset() == dt.timedelta(hours=-5)
        assert (start.hour, start.minute) == (15, 30)
        assert str(events[0]["summary"]) == "CIS6200: Introduction"
        assert str(events[0]["location"]) == "Levine 307"
        assert "Scaling Laws for Neural Language Models" in str(events[0]["description"])
        assert next(iter(cal.walk("VTIMEZONE")))["tzid"] == "America/New_York"

    def test_a_cancelled_session_is_marked_cancelled(self, client, course):
        SessionFactory(course=course, cancelled=True)
        cal = Calendar.from_ical(client.get(url("courses:calendar", course)).content)
        assert str(next(iter(cal.walk("VEVENT")))["status"]) == "CANCELLED"


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
