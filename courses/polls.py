"""In-class polls: creating, editing, opening and closing them, answering, the
counts, and the participation record built from them.

Promises hold: once a poll has answers, what its students were told when they
answered stays true. `poll_update` (the one way a poll is edited, from the
admin or any page) keeps an anonymous poll anonymous, shows its results no more
widely (never < once closed < live), and keeps its question, kind and choices.
Answers and edits of one poll take the poll's row lock in turn."""

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


# From the narrowest to the widest; once a poll has answers its results may
# only become narrower (what the students were told when they answered holds).
RESULTS_WIDTH = {Poll.Results.NEVER: 0, Poll.Results.AFTER_CLOSE: 1, Poll.Results.LIVE: 2}


@dataclass(frozen=True)
class ChoiceEdit:
    """One choice as an edit form leaves it: `id` is None for a new choice."""

    text: str
    order: int = 0
    id: int | None = None


def choices_problem(kind: str, texts: Sequence[str]) -> str | None:
    """What is wrong with these choices for a poll of this kind, or None: a
    choice poll has 2 to 12 different choices, a short-text poll none."""
    if kind == Poll.Kind.TEXT:
        return "A short-text poll has no choices; delete them." if texts else None
    if not 2 <= len(texts) <= MAX_CHOICES:
        return f"A choice poll needs 2 to {MAX_CHOICES} choices, one per line."
    if len({t.casefold() for t in texts}) != len(texts):
        return "Two choices are the same."
    if any(len(text) > CHOICE_MAX_LENGTH for text in texts):
        return f"Keep each choice under {CHOICE_MAX_LENGTH} characters."
    return None


def poll_problems(
    *,
    before: Poll | None,
    answered: bool,
    course: Course | None,
    question: str,
    kind: str,
    session: Session | None,
    anonymous: bool,
    results: str,
) -> dict[str, str]:
    """What is wrong with a poll's settings, by field, in words. `before` is the
    poll as stored (None for a new one) and `answered` whether anyone has
    answered it: then it cannot become named, show its results more widely, or
    ask something else (question or kind) than what was answered."""
    problems: dict[str, str] = {}
    if kind not in Poll.Kind.values:
        problems["kind"] = "Choose single choice, multiple choice or short text."
    if results not in RESULTS_WIDTH:
        problems["results"] = "Choose when the results are shown to students."
    if not question.strip():
        problems["question"] = "Write the question."
    if session is not None and course is not None and session.course_id != course.pk:
        problems["session"] = "That session belongs to another course."
    if before is None or not answered or "kind" in problems or "results" in problems:
        return problems
    if before.anonymous and not anonymous:
        problems["anonymous"] = (
            "Students answered this poll as an anonymous one; it stays anonymous."
        )
    if RESULTS_WIDTH[results] > RESULTS_WIDTH[before.results]:
        problems["results"] = (
            f"Students answered when the results were “{before.get_results_display()}”; "
            "they can be shown less widely now, not more."
        )
    if kind != before.kind:
        problems["kind"] = "Students already answered this poll; its kind cannot change."
    if question.strip() != before.question:
        problems["question"] = (
            "Students already answered this question; it cannot be reworded. "
            "Ask a new poll instead."
        )
    return problems


def poll_choices_problem(
    *, before: Poll | None, answered: bool, kind: str, choices: Sequence[ChoiceEdit]
) -> str | None:
    """What is wrong with a poll's choices, or None: the count and sameness
    rules of `choices_problem`, choices of this poll only, and, once the poll
    has answers, the same choices (they may be put in another order)."""
    texts = [c.text.strip() for c in choices]
    if any(not text for text in texts):
        return "Write each choice, or delete it."
    problem = choices_problem(kind, texts)
    if problem or before is None:
        return problem
    stored = dict(before.choices.values_list("pk", "text"))
    if any(c.id is not None and c.id not in stored for c in choices):
        return "A choice of another poll cannot be moved here."
    if answered and {c.id: c.text.strip() for c in choices} != stored:
        return (
            "Students already answered this poll; its choices cannot be added, removed "
            "or reworded (only put in another order)."
        )
    return None


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
    """A draft poll; a choice poll needs 2 to 12 different choices (a short-text
    poll ignores any), and its session is one of its course's."""
    problems = poll_problems(
        before=None,
        answered=False,
        course=course,
        question=question,
        kind=kind,
        session=session,
        anonymous=anonymous,
        results=results,
    )
    if problems:
        raise PollError(next(iter(problems.values())))
    texts = [] if kind == Poll.Kind.TEXT else [t.strip() for t in choices if t.strip()]
    problem = choices_problem(kind, texts)
    if problem:
        raise PollError(problem)
    poll = Poll(
        course=course,
        session=session,
        question=question.strip(),
        kind=kind,
        anonymous=anonymous,
        results=results,
    )
    poll.full_clean()
    poll.save()
    # One by one (at most twelve), so that each choice's history records who made it.
    for n, text in enumerate(texts):
        PollChoice.objects.create(poll=poll, text=text, order=n)
    return poll


@transaction.atomic
def poll_update(
    *,
    poll: Poll,
    question: str,
    kind: str,
    session: Session | None,
    anonymous: bool,
    results: str,
    choices: Sequence[ChoiceEdit],
) -> Poll:
    """Change a poll's wording, kind, session, anonymity, results or choices
    (its state changes through `poll_state_set`, its course never). Under the
    poll's row lock, which answers take too, so no answer slips in between the
    check and the change: once a poll has answers it stays anonymous if it was,
    its results are shown no more widely than when students answered, and its
    question, kind and choices stay what was answered. The poll's history
    records who changed it, and what happened to its choices."""
    poll = Poll.objects.select_for_update().select_related("course").get(pk=poll.pk)
    answered = PollAnswer.objects.filter(poll=poll).exists()
    problems = poll_problems(
        before=poll,
        answered=answered,
        course=poll.course,
        question=question,
        kind=kind,
        session=session,
        anonymous=anonymous,
        results=results,
    )
    problem = poll_choices_problem(before=poll, answered=answered, kind=kind, choices=choices)
    if problems or problem:
        raise PollError(" ".join([*problems.values(), *([problem] if problem else [])]))
    described = _choices_apply(poll, choices)
    values = {
        "question": question.strip(),
        "kind": kind,
        "session": session,
        "anonymous": anonymous,
        "results": results,
    }
    if described or any(getattr(poll, name) != value for name, value in values.items()):
        # Saved only when something changed, so that its history lists edits only.
        for name, value in values.items():
            setattr(poll, name, value)
        poll.full_clean()
        poll._change_reason = described or None
        poll.save()
    return poll


def _choices_apply(poll: Poll, choices: Sequence[ChoiceEdit]) -> str:
    """Store the choices (a reworded choice becomes a new one, which only an
    unanswered poll allows) and say what changed, for the poll's history."""
    stored = {c.pk: c for c in poll.choices.all()}
    kept = {c.id: c for c in choices if c.id in stored and stored[c.id].text == c.text.strip()}
    removed = [c for pk, c in stored.items() if pk not in kept]
    for choice in removed:
        choice.delete()
    for edit in choices:
        text = edit.text.strip()
        if edit.id in kept:
            choice = stored[edit.id]
            if choice.order != edit.order:
                choice.order = edit.order
                choice.save(update_fields=["order"])
        else:
            PollChoice.objects.create(poll=poll, text=text, order=edit.order)
    before = [c.text for c in stored.values()]
    after = [c.text.strip() for c in choices]
    said = []
    if added_texts := [t for t in after if t not in before]:
        said.append("added " + ", ".join(f"“{t}”" for t in added_texts))
    if removed_texts := [t for t in before if t not in after]:
        said.append("removed " + ", ".join(f"“{t}”" for t in removed_texts))
    if not said:
        return ""
    described = "Choices " + "; ".join(said)
    # The history's reason column holds 100 characters.
    return described if len(described) <= 100 else described[:99] + "…"


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
    students = Membership.objects.filter(
        course_id=poll.course_id, role=Membership.Role.STUDENT
    ).count()
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
