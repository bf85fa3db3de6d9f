"""The courses app's models, one module per feature: the course and its
members (`course`), the schedule and readings (`schedule`), presentation
sign-ups (`signups`), ranked preferences (`ranking`) and in-class polls
(`polls`)."""

from courses.models.course import (
    MARKDOWN_HELP,
    Announcement,
    AnnouncementQuerySet,
    Course,
    CourseQuerySet,
    Membership,
    Resource,
    validate_timezone,
)
from courses.models.polls import Poll, PollAnswer, PollChoice
from courses.models.ranking import AssignmentRun, Blackout, PaperPreference
from courses.models.schedule import Reading, Session, SessionQuerySet, Theme, Topic
from courses.models.signups import PresentationSignup, PresentationSignupQuerySet

__all__ = [
    "MARKDOWN_HELP",
    "Announcement",
    "AnnouncementQuerySet",
    "AssignmentRun",
    "Blackout",
    "Course",
    "CourseQuerySet",
    "Membership",
    "PaperPreference",
    "Poll",
    "PollAnswer",
    "PollChoice",
    "PresentationSignup",
    "PresentationSignupQuerySet",
    "Reading",
    "Resource",
    "Session",
    "SessionQuerySet",
    "Theme",
    "Topic",
    "validate_timezone",
]
