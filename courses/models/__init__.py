"""The courses app's models: the course and its people, schedule and readings
(`core`), and in-class polls (`polls`)."""

from .core import (
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
from .polls import Poll, PollAnswer, PollChoice

__all__ = [
    "MARKDOWN_HELP",
    "Announcement",
    "AnnouncementQuerySet",
    "Course",
    "CourseQuerySet",
    "Membership",
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
