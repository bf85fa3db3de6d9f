"""In-class polls: creating, editing, opening and closing them, and answering
(their counts and the participation record: `courses.selectors.polls`).

Promises hold: once a poll has answers, what its students were told when they
answered stays true. `poll_update` (the one way a poll is edited, from the
admin or any page) keeps an anonymous poll anonymous, shows its results no more
widely (never < once closed < live), and keeps its question, kind and choices.
Answers and edits of one poll take the poll's row lock in turn."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from courses.models import Course, Membership, Poll, PollAnswer, PollChoice, Session
from courses.services import CourseError

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
    if not Membership.objects.is_student(poll.course_id, student):
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
