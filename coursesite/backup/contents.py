"""What belongs to a course: its rows, in dependency order, its people and its files."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.migrations.recorder import MigrationRecorder

from courses.models import (
    Announcement,
    AssignmentRun,
    Blackout,
    Course,
    Membership,
    PaperPreference,
    Poll,
    PollAnswer,
    PollChoice,
    PresentationSignup,
    Reading,
    Resource,
    Session,
    Theme,
    Topic,
)
from grading.models import GradeComponent, GradeImport, GradeItem, LetterCutoff, Score, Submission

SCHEMA_APPS = ("auth", "courses", "grading")


# The user columns an archive carries; staff and superuser flags, groups and
# permissions stay behind.
USER_FIELDS = (
    "password",
    "last_login",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "date_joined",
)


def course_rows(course: Course) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Every model with rows of the course, and those rows, in an order in which
    each row's references come before it (users first)."""
    historical_item = GradeItem.history.model
    historical_score = Score.history.model
    historical_submission = Submission.history.model
    historical_poll = Poll.history.model
    historical_choice = PollChoice.history.model
    component_ids = list(GradeComponent.objects.filter(course=course).values_list("pk", flat=True))
    # Items deleted since keep their history, and so do their scores and hand-ins.
    item_ids = set(
        GradeItem.objects.filter(component_id__in=component_ids).values_list("pk", flat=True)
    )
    item_ids |= set(
        historical_item.objects.filter(component_id__in=component_ids).values_list("id", flat=True)
    )
    # Polls deleted since keep their history, and so do their choices.
    poll_ids = set(Poll.objects.filter(course=course).values_list("pk", flat=True))
    poll_ids |= set(
        historical_poll.objects.filter(course_id=course.pk).values_list("id", flat=True)
    )
    rows: list[tuple[type[models.Model], models.QuerySet]] = [
        (Course, Course.objects.filter(pk=course.pk)),
        (Membership, Membership.objects.filter(course=course)),
        (Theme, Theme.objects.filter(course=course)),
        (Topic, Topic.objects.filter(theme__course=course)),
        (Session, Session.objects.filter(course=course)),
        (Reading, Reading.objects.filter(session__course=course)),
        (Resource, Resource.objects.filter(course=course)),
        (Announcement, Announcement.objects.filter(course=course)),
        (PresentationSignup, PresentationSignup.objects.filter(reading__session__course=course)),
        (Poll, Poll.objects.filter(course=course)),
        (PollChoice, PollChoice.objects.filter(poll__course=course)),
        (PollAnswer, PollAnswer.objects.filter(poll__course=course)),
        (PaperPreference, PaperPreference.objects.filter(course=course)),
        (Blackout, Blackout.objects.filter(course=course)),
        (AssignmentRun, AssignmentRun.objects.filter(course=course)),
        (GradeComponent, GradeComponent.objects.filter(course=course)),
        (GradeItem, GradeItem.objects.filter(component__course=course)),
        (Score, Score.objects.filter(item__component__course=course)),
        (LetterCutoff, LetterCutoff.objects.filter(course=course)),
        (GradeImport, GradeImport.objects.filter(course=course)),
        (Submission, Submission.objects.filter(item__component__course=course)),
        (historical_item, historical_item.objects.filter(component_id__in=component_ids)),
        (historical_score, historical_score.objects.filter(item_id__in=item_ids)),
        (historical_submission, historical_submission.objects.filter(item_id__in=item_ids)),
        (historical_poll, historical_poll.objects.filter(course_id=course.pk)),
        (historical_choice, historical_choice.objects.filter(poll_id__in=poll_ids)),
    ]
    user_model = get_user_model()
    users = user_model.objects.filter(pk__in=_user_ids(rows))
    return [(user_model, users), *((m, qs.order_by("pk")) for m, qs in rows)]


def _user_fields(model: type[models.Model]) -> list[models.ForeignKey]:
    user_model = get_user_model()
    return [
        f for f in model._meta.concrete_fields if f.many_to_one and f.related_model is user_model
    ]


def _user_ids(rows: list[tuple[type[models.Model], models.QuerySet]]) -> set[int]:
    ids: set[int] = set()
    for model, queryset in rows:
        for user_field in _user_fields(model):
            ids.update(queryset.values_list(user_field.attname, flat=True))
    ids.discard(None)
    return ids


def _m2m_tables(
    model: type[models.Model], queryset: models.QuerySet
) -> Iterator[tuple[str, models.QuerySet]]:
    """The join tables of the model's many-to-many fields, limited to these rows."""
    for m2m in model._meta.local_many_to_many:
        through = m2m.remote_field.through
        yield (
            through._meta.label_lower,
            through.objects.filter(**{f"{m2m.m2m_field_name()}__in": queryset}),
        )


def row_counts(course: Course) -> dict[str, int]:
    """The number of rows of every model (and join table) in the course's archive."""
    counts: dict[str, int] = {}
    for model, queryset in course_rows(course):
        counts[model._meta.label_lower] = queryset.count()
        if model is not get_user_model():
            for label, rows in _m2m_tables(model, queryset):
                counts[label] = rows.count()
    return counts


def file_names(course: Course) -> list[str]:
    """Every stored file a hand-in of the course, or an earlier version of one, names."""
    names: set[str] = set()
    for model, queryset in course_rows(course):
        if model in (Submission, Submission.history.model):
            names.update(queryset.exclude(file="").values_list("file", flat=True))
    return sorted(names)


def current_schema() -> dict[str, str]:
    """The latest applied migration of each app whose rows an archive holds."""
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        if app in SCHEMA_APPS:
            latest[app] = max(latest.get(app, ""), name)
    return latest


def file_storage():
    return Submission._meta.get_field("file").storage
