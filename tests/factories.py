from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from courses.models import (
    Announcement,
    Course,
    Membership,
    PresentationSignup,
    Reading,
    Resource,
    Session,
    Theme,
    Topic,
)
from grading.models import GradeComponent, GradeItem

PASSWORD = "pw-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:03d}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.edu")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    slug = factory.Sequence(lambda n: f"course-{n}")
    code = factory.Sequence(lambda n: f"CIS{6000 + n}")
    title = "Deep Learning at Scale"
    term = "Spring 2026"
    institution = "University of Pennsylvania"
    overview = "A graduate seminar."
    location = "Levine 307"
    meeting_times = "Tuesday/Thursday 3:30-5:00 PM"
    is_published = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    course = factory.SubFactory(CourseFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.STUDENT


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Theme {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    theme = factory.SubFactory(ThemeFactory)
    order = factory.Sequence(int)
    title = factory.Sequence(lambda n: f"Topic {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    date = factory.Sequence(lambda n: dt.date(2026, 1, 13) + dt.timedelta(days=2 * n))
    start_time = dt.time(15, 30)
    end_time = dt.time(17, 0)
    title = factory.Sequence(lambda n: f"Session topic {n}")


class ReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reading

    session = factory.SubFactory(SessionFactory)
    title = factory.Sequence(lambda n: f"Paper {n}")
    authors = "Ada Lovelace, Alan Turing"
    venue = "NeurIPS"
    year = 2022
    url = factory.Sequence(lambda n: f"https://arxiv.org/abs/2201.{n:05d}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    course = factory.SubFactory(CourseFactory)
    category = "Compute"
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = "https://pytorch.org/docs/stable/"


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Announcement {n}")
    body = "Welcome to the course."


class GradeComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeComponent

    course = factory.SubFactory(CourseFactory)
    name = factory.Sequence(lambda n: f"Component {n}")
    weight = Decimal("20")
    order = factory.Sequence(int)


class GradeItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GradeItem

    component = factory.SubFactory(GradeComponentFactory)
    title = factory.Sequence(lambda n: f"Item {n}")
    points_possible = Decimal("10")
    order = factory.Sequence(int)


class PresentationSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PresentationSignup

    reading = factory.SubFactory(ReadingFactory, presentable=True)
    student = factory.SubFactory(UserFactory)
    status = PresentationSignup.Status.CONFIRMED


def new_paper(course, *, capacity: int = 1, title: str | None = None, date=None) -> Reading:
    """A presentable paper in a session of its own."""
    session = SessionFactory(course=course, **({"date": date} if date else {}))
    extra = {"title": title} if title else {}
    return ReadingFactory(session=session, presentable=True, presenter_capacity=capacity, **extra)


def new_student(course, username: str | None = None, **names):
    user = UserFactory(username=username, **names) if username else UserFactory(**names)
    return MembershipFactory(course=course, role=Membership.Role.STUDENT, user=user).user


def seat(reading, student, status=PresentationSignup.Status.CONFIRMED) -> PresentationSignup:
    return PresentationSignupFactory(reading=reading, student=student, status=status)
