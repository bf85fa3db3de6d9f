"""The courses app's models: the course and its people, schedule and readings
(`core`), and in-class polls (`polls`)."""

from courses.models.core import (
    MARKDOWN_HELP,
    Announcement,
    AnnouncementQuerySet,
    Course,
    CourseQuerySet,
    Membership,
    PresentationSignup,
    PresentationSignupQuerySet,
    Reading,
    Resource,
    Session,
    SessionQuerySet,
    Theme,
    Topic,
    validate_timezone,
)
from courses.models.polls import Poll, PollAnswer, PollChoice
from courses.models.ranking import AssignmentRun, Blackout, PaperPreference

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
