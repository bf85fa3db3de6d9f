"""What in-class polls add up to: each poll's counts (choices, or texts in
alphabetical order, never in the order they arrived and never with names), and
the participation record built from the polls a course held."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count

from courses.models import Course, Membership, Poll, PollAnswer, PollChoice


def text_order(text: str) -> tuple[str, str]:
    """Answers' texts in alphabetical order, whatever their case, then exactly."""
    return (text.casefold(), text)


@dataclass(frozen=True)
class ChoiceCount:
    choice: PollChoice
    count: int
    percent: int


@dataclass(frozen=True)
class PollResults:
    poll: Poll
    answers: int
    students: int
    choices: list[ChoiceCount] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # never with names

    def as_json(self) -> dict:
        return {
            "state": self.poll.state,
            "answers": self.answers,
            "students": self.students,
            "choices": [
                {"id": c.choice.pk, "text": c.choice.text, "count": c.count, "percent": c.percent}
                for c in self.choices
            ],
            "texts": self.texts,
        }


def poll_results(poll: Poll) -> PollResults:
    """The counts: per choice, or the texts (without names). Three queries."""
    answers = PollAnswer.objects.filter(poll=poll).count()
    students = Membership.objects.students_of(poll.course_id).count()
    if poll.kind == Poll.Kind.TEXT:
        # Never in the order they arrived: that order could be matched to who
        # spoke up or typed when, and the texts are shown without names anyway.
        texts = sorted(
            PollAnswer.objects.filter(poll=poll).values_list("text", flat=True), key=text_order
        )
        return PollResults(poll, answers, students, texts=texts)
    counted = poll.choices.annotate(n=Count("answers")).order_by("order", "id")
    choices = [
        ChoiceCount(choice, choice.n, round(100 * choice.n / answers) if answers else 0)
        for choice in counted
    ]
    return PollResults(poll, answers, students, choices=choices)


@dataclass(frozen=True)
class ParticipationRow:
    student: AbstractBaseUser
    answered: int
    held: int
    by_session: dict[int | None, tuple[int, int]]  # session id: (answered, held)

    @property
    def rate(self) -> Decimal | None:
        """Share of the polls held that the student answered (0 to 1)."""
        return None if not self.held else Decimal(self.answered) / Decimal(self.held)

    @property
    def percent(self) -> str:
        rate = self.rate
        if rate is None:
            return ""
        return f"{(rate * 100).quantize(Decimal('1'), ROUND_HALF_UP)}%"


def participation(
    course: Course, students: Sequence[AbstractBaseUser] | None = None
) -> dict[int, ParticipationRow]:
    """Per student: polls answered out of polls held, per session and in total.
    Three queries whatever the size of the course (two when ``students``, the
    course's students, are already loaded)."""
    held = list(Poll.objects.filter(course=course).held().values_list("pk", "session_id"))
    held_by_session: dict[int | None, int] = {}
    session_of = {}
    for pk, session_id in held:
        held_by_session[session_id] = held_by_session.get(session_id, 0) + 1
        session_of[pk] = session_id
    answered: dict[int, dict[int | None, int]] = {}
    for student_id, poll_id in PollAnswer.objects.filter(poll_id__in=list(session_of)).values_list(
        "student_id", "poll_id"
    ):
        per = answered.setdefault(student_id, {})
        session_id = session_of[poll_id]
        per[session_id] = per.get(session_id, 0) + 1
    if students is None:
        students = [m.user for m in Membership.objects.students_of(course).select_related("user")]
    rows = {}
    for student in students:
        per = answered.get(student.pk, {})
        rows[student.pk] = ParticipationRow(
            student,
            sum(per.values()),
            len(held),
            {sid: (per.get(sid, 0), n) for sid, n in held_by_session.items()},
        )
    return rows
