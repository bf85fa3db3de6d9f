"""In-class polls: creating, opening and closing them, answering, the counts,
and the participation record built from them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import Course, Membership, Poll, PollAnswer, PollChoice, Session
from .services import CourseError

MAX_CHOICES = 12
CHOICE_MAX_LENGTH = PollChoice._meta.get_field("text").max_length


class PollError(CourseError):
    """A poll action that breaks a rule; the message is for the person who tried."""


@transaction.atomic
def poll_create(
    *,
    course: Course,
    question: str,
    kind: str,
    choices: Sequence[str] = (),
    session: Session | None = None,
    anonymous: bool = False,
    results: str = Poll.Results.AFTER_CLOSE,
) -> Poll:
    """A draft poll; a choice poll needs 2 to 12 different choices."""
    question = question.strip()
    if not question:
        raise PollError("Write the question.")
    if session is not None and session.course_id != course.pk:
        raise PollError("That session belongs to another course.")
    texts = [text.strip() for text in choices if text.strip()]
    if kind == Poll.Kind.TEXT:
        texts = []
    elif not 2 <= len(texts) <= MAX_CHOICES:
        raise PollError(f"A choice poll needs 2 to {MAX_CHOICES} choices, one per line.")
    elif len({t.casefold() for t in texts}) != len(texts):
        raise PollError("Two choices are the same.")
    elif any(len(text) > CHOICE_MAX_LENGTH for text in texts):
        raise PollError(f"Keep each choice under {CHOICE_MAX_LENGTH} characters.")
    poll = Poll(
        course=course,
        session=session,
        question=question,
        kind=kind,
        anonymous=anonymous,
        results=results,
    )
    poll.full_clean()
    poll.save()
    PollChoice.objects.bulk_create(
        PollChoice(poll=poll, text=text, order=n) for n, text in enumerate(texts)
    )
    return poll


TRANSITIONS = {
    (Poll.State.DRAFT, Poll.State.OPEN),
    (Poll.State.OPEN, Poll.State.CLOSED),
    (Poll.State.CLOSED, Poll.State.OPEN),  # reopen, e.g. for latecomers
}


@transaction.atomic
def poll_state_set(*, poll: Poll, state: str) -> Poll:
    """Open a draft, close an open poll, or reopen a closed one; nothing else."""
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.state == state:
        return poll
    if (poll.state, state) not in TRANSITIONS:
        raise PollError(
            f"A {poll.get_state_display().lower()} poll cannot become "
            f"{Poll.State(state).label.lower()}."
        )
    poll.state = state
    now = timezone.now()
    if state == Poll.State.OPEN:
        poll.opened_at = poll.opened_at or now
        poll.closed_at = None
    else:
        poll.closed_at = now
    poll.save(update_fields=["state", "opened_at", "closed_at"])
    return poll


def poll_answer(
    *,
    poll: Poll,
    student: AbstractBaseUser,
    choice_ids: Iterable[int] = (),
    text: str = "",
) -> PollAnswer:
    """Record (or, while the poll is open, change) a student's one answer: only
    for a student of the poll's course, only while it is open, with exactly one
    choice (single), at least one (multiple) or some text. Two answers sent at
    once by the same student leave one: answers to one poll take the poll's row
    lock in turn, which also orders them with a close (nothing is stored after
    the close commits)."""
    with transaction.atomic():
        return _poll_answer(poll=poll, student=student, choice_ids=choice_ids, text=text)


def _poll_answer(*, poll, student, choice_ids, text) -> PollAnswer:
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.state == Poll.State.DRAFT:
        raise PollError("This poll is not open yet.")
    if poll.state == Poll.State.CLOSED:
        raise PollError("This poll is closed; your answer was not recorded.")
    is_student = Membership.objects.filter(
        course_id=poll.course_id, user=student, role=Membership.Role.STUDENT
    ).exists()
    if not is_student:
        raise PollError("Only students of this course answer its polls.")
    chosen: list[PollChoice] = []
    if poll.kind == Poll.Kind.TEXT:
        text = text.strip()
        if not text:
            raise PollError("Write an answer first.")
        if len(text) > 1000:
            raise PollError("Keep the answer under 1000 characters.")
    else:
        wanted = set(choice_ids)
        chosen = list(PollChoice.objects.filter(poll=poll, pk__in=wanted))
        if len(chosen) != len(wanted) or not chosen:
            raise PollError("Choose one of this poll's answers.")
        if poll.kind == Poll.Kind.SINGLE and len(chosen) != 1:
            raise PollError("This poll takes one answer.")
        text = ""
    answer = PollAnswer.objects.filter(poll=poll, student=student).first()
    if answer is None:
        answer = PollAnswer.objects.create(poll=poll, student=student, text=text)
    else:
        answer.text = text
        answer.save(update_fields=["text", "answered_at"])
    answer.choices.set(chosen)
    return answer


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
    students = Membership.objects.filter(
        course_id=poll.course_id, role=Membership.Role.STUDENT
    ).count()
    if poll.kind == Poll.Kind.TEXT:
        texts = list(
            PollAnswer.objects.filter(poll=poll)
            .order_by("answered_at")
            .values_list("text", flat=True)
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
        students = [
            m.user
            for m in Membership.objects.filter(
                course=course, role=Membership.Role.STUDENT
            ).select_related("user")
        ]
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
