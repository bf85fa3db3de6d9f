"""The demo course built by ``manage.py seed_demo`` matches the course's published facts.

The expected values are written out here rather than read from ``demo_data``, so a
slip in the data shows up as a failing test instead of being copied into both.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from courses.models import (
    Announcement,
    Course,
    Membership,
    Poll,
    PollAnswer,
    PollChoice,
    Reading,
    Resource,
    Session,
    Theme,
)
from courses.selectors.polls import participation, poll_results
from courses.services.polls import poll_state_set
from grading.models import GradeComponent, GradeItem, Score
from grading.selectors.gradebook import student_grades

SLUG = "cis6200-spring-2026"
THEMES = {
    "Foundations of Scale": [
        "Why scale matters in deep learning",
        "Scaling laws and emergent capabilities",
        "Hardware landscape: GPUs, TPUs, and beyond",
    ],
    "Distributed Training Systems": [
        "Data parallelism and model parallelism",
        "Pipeline parallelism and tensor parallelism",
        "Communication primitives and collective operations",
    ],
    "Optimization at Scale": [
        "Large-batch training techniques",
        "Learning rate schedules and warmup",
        "Gradient compression and mixed precision",
    ],
    "Model Architectures": [
        "Transformer architecture deep dive",
        "Mixture of experts",
        "Efficient attention mechanisms",
    ],
    "Training Infrastructure": [
        "Checkpointing and fault tolerance",
        "Memory optimization techniques",
        "Profiling and debugging at scale",
    ],
    "Post-Training and Deployment": [
        "Fine-tuning and RLHF",
        "Inference optimization",
        "Model compression and quantization",
    ],
}
# Papers the course must include, by arXiv id (DeepSpeed's KDD paper has none).
REQUIRED_ARXIV_IDS = [
    "2001.08361",
    "2203.15556",
    "2206.07682",
    "1704.04760",
    "2006.15704",
    "1909.08053",
    "1811.06965",
    "2104.04473",
    "1910.02054",
    "1802.05799",
    "1706.02677",
    "1904.00962",
    "1710.03740",
    "1712.01887",
    "1711.05101",
    "1706.03762",
    "1701.06538",
    "2101.03961",
    "2205.14135",
    "1604.06174",
    "2304.11277",
    "2106.09685",
    "2203.02155",
    "2305.18290",
    "2309.06180",
    "2208.07339",
    "2210.17323",
    "2211.17192",
    "1503.02531",
]
USERNAMES = ["instructor", "ta1", "ta2"] + [f"student{n:02d}" for n in range(1, 21)]


# Logins go through django-axes, which needs the request they come with.
LOGIN_REQUEST = RequestFactory().post("/accounts/login/")


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def output(db) -> str:
    return seed()


@pytest.fixture
def course(output) -> Course:
    return Course.objects.get(slug=SLUG)


def test_course_has_the_seed_pages_facts(course):
    assert course.is_published
    assert (course.code, course.title, course.term) == (
        "CIS6200",
        "Deep Learning at Scale",
        "Spring 2026",
    )
    assert course.institution == "University of Pennsylvania"
    assert course.timezone == "America/New_York"
    assert course.location == "Levine 307"
    assert course.meeting_times == "Tuesday/Thursday 3:30-5:00 PM"
    assert course.office_hours == "Thursday 5:00-6:00 PM (after class) or by appointment"
    paragraphs = course.overview.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].startswith("This graduate seminar explores the systems")
    assert "—from GPT-4 to Gemini to open-source alternatives—" in paragraphs[0]
    assert paragraphs[1].endswith("the infrastructure that makes large-scale AI possible.")
    assert course.prerequisites.splitlines() == [
        "- **Required**: Graduate standing or instructor permission",
        "- **Strongly Recommended**:",
        "    - CIS 5200 (Machine Learning) or equivalent",
        "    - Familiarity with Python and PyTorch",
        "    - Basic understanding of neural networks",
        "    - Comfort with linear algebra and calculus",
    ]


def test_grade_components_match_the_grading_table(course):
    components = list(GradeComponent.objects.filter(course=course).order_by("order"))
    assert [(c.order, c.name, c.weight) for c in components] == [
        (1, "Paper Presentations", Decimal(25)),
        (2, "Class Participation", Decimal(15)),
        (3, "Reading Responses", Decimal(20)),
        (4, "Assignments", Decimal(15)),
        (5, "Final Project", Decimal(25)),
    ]
    assert GradeComponent.objects.filter(course=course).total_weight() == 100
    assert components[0].description == "Lead discussion of 1-2 assigned papers"
    assert components[4].description == "Research project with paper and presentation"


def test_themes_and_topics_match_the_seed_page(course):
    themes = Theme.objects.filter(course=course).order_by("order").prefetch_related("topics")
    assert [t.order for t in themes] == [1, 2, 3, 4, 5, 6]
    assert {
        theme.title: [topic.title for topic in theme.topics.order_by("order")] for theme in themes
    } == THEMES
    for theme in themes:
        assert [topic.order for topic in theme.topics.order_by("order")] == [1, 2, 3]


def test_schedule_is_tuesday_thursday_without_spring_break(course):
    sessions = list(Session.objects.filter(course=course).select_related("theme"))
    assert len(sessions) == 28
    assert sessions[0].date == dt.date(2026, 1, 15)
    assert {s.date.strftime("%A") for s in sessions} == {"Tuesday", "Thursday"}
    assert len({s.date for s in sessions}) == 28
    assert not [s for s in sessions if dt.date(2026, 3, 7) <= s.date <= dt.date(2026, 3, 15)]
    assert {(s.start_time, s.end_time) for s in sessions} == {(dt.time(15, 30), dt.time(17, 0))}
    assert "introduction" in sessions[0].title.lower()
    assert "project presentations" in sessions[-1].title.lower()
    assert all(s.title for s in sessions)


def test_sessions_walk_the_themes_in_order(course):
    sessions = Session.objects.filter(course=course, theme__isnull=False).select_related("theme")
    orders = [s.theme.order for s in sessions]
    assert orders == sorted(orders)
    assert set(orders) == {1, 2, 3, 4, 5, 6}
    assert all(s.theme.course_id == course.pk for s in sessions)


def test_every_regular_session_has_one_paper_to_present(course):
    sessions = list(Session.objects.filter(course=course).prefetch_related("readings"))
    regular = sessions[1:-2]
    for session in regular:
        presentable = [r for r in session.readings.all() if r.presentable]
        assert len(presentable) == 1, session.title
        assert presentable[0].kind == Reading.Kind.REQUIRED
        assert 1 <= len(session.readings.all()) <= 2, session.title
    for session in [sessions[0], *sessions[-2:]]:
        assert not [r for r in session.readings.all() if r.presentable], session.title


def test_readings_are_cited_and_include_the_core_papers(course):
    readings = Reading.objects.filter(session__course=course)
    presentable = readings.filter(presentable=True)
    assert 20 <= presentable.count() <= 30
    assert sum(presentable.values_list("presenter_capacity", flat=True)) >= 20
    for reading in readings:
        assert reading.url.startswith(("https://", "http://")), reading.title
        assert reading.authors, reading.title
        assert reading.venue, reading.title
        assert 2000 < reading.year <= 2026, reading.title
        assert "paperswithcode" not in reading.url
    urls = set(readings.values_list("url", flat=True))
    missing = [i for i in REQUIRED_ARXIV_IDS if f"https://arxiv.org/abs/{i}" not in urls]
    assert missing == []
    assert readings.filter(title__startswith="DeepSpeed", venue="KDD", year=2020).exists()
    kaplan = readings.get(url="https://arxiv.org/abs/2001.08361")
    assert kaplan.title == "Scaling Laws for Neural Language Models"
    assert kaplan.authors.startswith("Jared Kaplan, ")
    assert kaplan.authors.endswith("et al.")
    assert readings.filter(kind=Reading.Kind.OPTIONAL, presentable=True).count() == 0


def test_resources_and_announcements(course):
    resources = Resource.objects.filter(course=course)
    assert 10 <= resources.count() <= 14
    assert {"Compute", "Frameworks and libraries", "Writing and presenting"} <= set(
        resources.values_list("category", flat=True)
    )
    assert all(r.url.startswith("https://") for r in resources)
    assert resources.filter(url__contains="pytorch.org").exists()
    announcements = Announcement.objects.filter(course=course)
    assert 2 <= announcements.count() <= 3
    for announcement in announcements:
        assert announcement.published_at.tzinfo is not None
        local = announcement.published_at.astimezone(course.tz)
        assert (local.year, local.month) in {(2026, 1), (2026, 2)}


def test_people_have_their_roles_and_can_sign_in(course):
    User = get_user_model()
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(USERNAMES)
    roles = dict(Membership.objects.filter(course=course).values_list("user__username", "role"))
    assert roles["instructor"] == "instructor"
    assert roles["ta1"] == roles["ta2"] == "ta"
    assert [u for u in USERNAMES[3:] if roles[u] != "student"] == []
    assert len(roles) == 23
    for user in User.objects.all():
        assert user.email == f"{user.username}@example.edu"
        assert user.first_name
        assert user.last_name
        assert not user.is_superuser
    instructor = User.objects.get(username="instructor")
    assert (instructor.first_name, instructor.last_name) == ("Lyle", "Ungar")
    assert instructor.is_staff
    assert list(instructor.groups.values_list("name", flat=True)) == ["Instructors"]
    assert instructor.has_perm("courses.change_session")
    assert instructor.has_perm("courses.delete_reading")
    assert instructor.has_perm("grading.add_gradecomponent")
    assert not User.objects.get(username="student01").is_staff
    assert authenticate(LOGIN_REQUEST, username="student01", password="demo") is not None
    assert authenticate(LOGIN_REQUEST, username="instructor", password="demo") is not None
    assert authenticate(LOGIN_REQUEST, username="student01", password="wrong") is None


def test_instructors_group_covers_every_course_and_grading_model(course):
    group = apps.get_model("auth", "Group").objects.get(name="Instructors")
    codenames = set(group.permissions.values_list("codename", flat=True))
    for app_label in ("courses", "grading"):
        for model in apps.get_app_config(app_label).get_models():
            for action in ("add", "change", "delete", "view"):
                assert f"{action}_{model._meta.model_name}" in codenames


@pytest.mark.django_db
def test_password_option_sets_every_password():
    seed("--password", "other")
    assert authenticate(LOGIN_REQUEST, username="student01", password="other") is not None
    assert authenticate(LOGIN_REQUEST, username="ta2", password="other") is not None
    assert authenticate(LOGIN_REQUEST, username="student01", password="demo") is None


def test_rerun_with_another_password_changes_it(course):
    seed("--password", "s3cret-pw")
    assert authenticate(LOGIN_REQUEST, username="student20", password="s3cret-pw") is not None
    assert authenticate(LOGIN_REQUEST, username="student20", password="demo") is None


def _snapshot() -> dict[str, object]:
    """Row counts of every table, and every value of the tables the command writes."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    written = [
        *apps.get_app_config("courses").get_models(),
        *apps.get_app_config("grading").get_models(),
        get_user_model(),
        apps.get_model("auth", "Group"),
    ]
    values = {m._meta.label: list(m._default_manager.order_by("pk").values()) for m in written}
    through = get_user_model().groups.through
    return {
        "counts": counts,
        "values": values,
        "user_groups": list(through.objects.order_by("pk").values()),
        "group_permissions": sorted(
            apps.get_model("auth", "Group").permissions.through.objects.values_list(
                "group_id", "permission_id"
            )
        ),
    }


def test_running_twice_changes_nothing(course):
    before = _snapshot()
    seed()
    assert _snapshot() == before
    assert before["counts"]["courses.Session"] == 28


def test_output_lists_the_logins(output):
    assert f"/courses/{SLUG}/" in output
    for username in USERNAMES:
        assert username in output
    login_lines = [line.split() for line in output.splitlines() if line.strip()]
    assert ["student01", "demo", "student", "Aisha", "Okafor"] in login_lines
    assert ["instructor", "demo", "instructor", "Lyle", "Ungar"] in login_lines


def test_demo_sign_ups_are_open_with_papers_taken_and_a_waitlist(course):
    from courses.models import PresentationSignup
    from courses.services.signups import window_problem

    assert window_problem(course) is None
    signups = PresentationSignup.objects.of_course(course)
    assert signups.confirmed().count() == 10
    full = Reading.objects.get(session__course=course, title__startswith="Training Compute-Optimal")
    assert [s.student.username for s in full.signups.confirmed()] == ["student03"]
    assert [s.student.username for s in full.signups.waitlisted()] == ["student04", "student05"]
    # Nobody is over the maximum, and most students still have a paper to choose.
    per_student = {s.student_id for s in signups.confirmed()}
    assert len(per_student) == 9


ASSIGNMENTS = [
    "Assignment 1: Data-parallel training",
    "Assignment 2: Mixed precision and memory",
    "Assignment 3: Serving and quantization",
]
READING_RESPONSES = [f"Reading Response {n}" for n in range(1, 13)]
GRADE_ITEMS = {
    "Paper Presentations": [("Presentation 1", 10), ("Presentation 2", 10)],
    "Class Participation": [("Participation: weeks 1-7", 10), ("Participation: weeks 8-14", 10)],
    "Reading Responses": [(title, 5) for title in READING_RESPONSES],
    "Assignments": [(title, 20) for title in ASSIGNMENTS],
    "Final Project": [
        ("Project proposal", 10),
        ("Project report", 60),
        ("Project presentation", 30),
    ],
}
RELEASED = {
    *READING_RESPONSES[:7],
    ASSIGNMENTS[0],
    "Project proposal",
    "Participation: weeks 1-7",
    "Presentation 1",
}
GRADED_NOT_RELEASED = {"Reading Response 8", ASSIGNMENTS[1]}
# Students who present a paper before spring break (the sign-ups above).
EARLY_PRESENTERS = {f"student{n:02d}" for n in (1, 2, 3, 6, 7, 8, 9, 10, 11)}
STUDENTS = USERNAMES[3:]


def _items(course) -> dict[str, GradeItem]:
    return {item.title: item for item in GradeItem.objects.of_course(course)}


def _grade_counts() -> tuple[int, ...]:
    return (
        GradeItem.objects.count(),
        GradeItem.history.count(),
        Score.objects.count(),
        Score.history.count(),
    )


def test_gradebook_has_the_items_of_every_component(course):
    items = GradeItem.objects.of_course(course).in_gradebook_order()
    by_component: dict[str, list[tuple[str, int]]] = {}
    for item in items:
        by_component.setdefault(item.component.name, []).append((item.title, item.points_possible))
    assert by_component == GRADE_ITEMS
    for name in GRADE_ITEMS:
        assert [i.order for i in items if i.component.name == name] == list(
            range(1, len(GRADE_ITEMS[name]) + 1)
        )
    components = {c.name: c for c in GradeComponent.objects.filter(course=course)}
    assert {name: (c.drop_lowest, c.weighting) for name, c in components.items()} == {
        "Paper Presentations": (0, "points"),
        "Class Participation": (0, "equal"),
        "Reading Responses": (2, "points"),
        "Assignments": (0, "points"),
        "Final Project": (0, "points"),
    }


def test_items_are_due_at_midnight_on_the_course_calendar(course):
    items = _items(course)
    assert items["Presentation 1"].due_at is None
    assert items["Presentation 2"].due_at is None
    due = {title: item.due_at.astimezone(course.tz) for title, item in items.items() if item.due_at}
    assert {(d.hour, d.minute) for d in due.values()} == {(23, 59)}
    dates = {title: d.date() for title, d in due.items()}
    responses = [dates[title] for title in READING_RESPONSES]
    assert responses[0] == dt.date(2026, 1, 19)
    assert {d.strftime("%A") for d in responses} == {"Monday"}
    assert responses == sorted(set(responses))
    assert dt.date(2026, 3, 9) not in responses  # spring break
    assert responses[-1] < dt.date(2026, 4, 20)
    assert [dates[title] for title in ASSIGNMENTS] == [
        dt.date(2026, 2, 6),
        dt.date(2026, 3, 6),
        dt.date(2026, 4, 10),
    ]
    assert dates["Participation: weeks 1-7"] == dt.date(2026, 2, 27)
    assert dates["Project proposal"] == dt.date(2026, 2, 20)
    last_class = Session.objects.filter(course=course).last().date
    for title in ("Project report", "Project presentation", "Participation: weeks 8-14"):
        assert dt.date(2026, 4, 27) <= dates[title] <= dt.date(2026, 4, 30), title
    assert dates["Participation: weeks 8-14"] == last_class


def test_some_items_are_released_and_two_are_graded_but_hidden(course):
    items = _items(course)
    scored = set(
        Score.objects.filter(item__component__course=course).values_list("item__title", flat=True)
    )
    assert {title for title, item in items.items() if item.released} == RELEASED
    assert scored - RELEASED == GRADED_NOT_RELEASED
    assert scored >= RELEASED
    assert set(items) - scored == {
        *READING_RESPONSES[8:],
        ASSIGNMENTS[2],
        "Project report",
        "Project presentation",
        "Participation: weeks 8-14",
        "Presentation 2",
    }
    instructor = get_user_model().objects.get(username="instructor")
    for title in RELEASED:
        assert items[title].history.latest().history_user == instructor, title


def test_scores_look_like_a_class_after_spring_break(course):
    scores = Score.objects.filter(item__component__course=course).select_related("item", "student")
    cells = {(s.item.title, s.student.username): s for s in scores}
    responses = [s for (title, _), s in cells.items() if title in READING_RESPONSES[:8]]
    excused = [s for s in responses if s.excused]
    assert 1 <= len(excused) <= 2
    assert all(s.points is None for s in excused)
    assert len(responses) == 8 * 20 - 2  # two students each missed one response
    missing = [(t, u) for t in READING_RESPONSES[:8] for u in STUDENTS if (t, u) not in cells]
    assert len({u for _, u in missing}) == 2
    points = [s.points for s in responses if not s.excused]
    assert set(points) <= {Decimal(3), Decimal(4), Decimal(5)}
    assert points.count(Decimal(3)) >= 1
    assert points.count(Decimal(3)) <= len(points) // 10
    for title in (*ASSIGNMENTS[:2], "Project proposal", "Participation: weeks 1-7"):
        graded = [cells[title, u] for u in STUDENTS]
        assert all(s.points is not None for s in graded), title
        assert len({s.points for s in graded}) > 3, title  # not everyone gets the same
    for title in ASSIGNMENTS[:2]:
        for username in STUDENTS:
            score = cells[title, username]
            assert Decimal(10) <= score.points <= Decimal(20)
            assert 10 < len(score.comment) < 120, (title, username)
    presenters = {u for (title, u) in cells if title == "Presentation 1"}
    assert presenters == EARLY_PRESENTERS


def test_every_score_was_entered_by_a_ta(course):
    tas = set(
        Membership.objects.filter(course=course, role="ta").values_list("user__username", flat=True)
    )
    scores = Score.objects.filter(item__component__course=course).select_related("graded_by")
    assert scores.count() > 200
    for score in scores:
        history = list(score.history.select_related("history_user"))
        assert history, score
        assert {h.history_user.username for h in history} <= tas, score
        assert score.graded_by.username in tas
    assert Score.history.filter(history_change_reason="Demo data").count() == scores.count()


def test_running_twice_adds_no_item_score_or_history(course, output):
    before = _grade_counts()
    assert before[0] == 22
    again = seed()
    assert _grade_counts() == before
    line = f"22 grade items (11 released), {before[2]} scores"
    assert line in output
    assert line in again


def test_students_see_a_grade_from_released_items_only(course):
    released = set(
        GradeItem.objects.of_course(course).filter(released=True).values_list("pk", flat=True)
    )
    letters = {"A", "A-", "B+", "B", "B-", "C+", "C", "C-", "D+", "D", "D-", "F"}
    differs = []
    for student in get_user_model().objects.filter(username__in=STUDENTS):
        _, own, _ = student_grades(course=course, student=student, student_view=True)
        _, staff, _ = student_grades(course=course, student=student, student_view=False)
        assert own.current.percentage is not None, student
        assert Decimal(50) < own.current.percentage <= Decimal(100), student
        assert own.current.letter in letters, student
        assert set(own.scores) <= released, student
        assert set(staff.scores) - released, student
        if own.current.percentage != staff.current.percentage:
            differs.append(student.username)
    assert len(differs) >= 10


def test_demo_hand_ins_are_there_some_late_and_a_rerun_adds_no_version(course):
    from grading.models import Submission
    from grading.selectors.work import late_ledger

    hand_ins = Submission.objects.filter(item__component__course=course)
    responses = hand_ins.filter(item__component__name="Reading Responses")
    assert responses.count() > 100
    assert all(s.text.startswith("**") for s in responses[:20])
    assert hand_ins.filter(item__component__name="Assignments", url__startswith="https://").exists()
    ledger = late_ledger(course, hand_ins.values_list("student_id", flat=True).distinct())
    late = [entry for entry in ledger.values() if entry.is_late]
    assert len(late) >= 4
    # student04 is late three times: the course's two late days cover the first ones.
    assert any(entry.covered for entry in late)
    assert any(entry.penalized for entry in late)
    versions = Submission.history.count()
    seed()
    assert Submission.history.count() == versions
    # Each reading response answers the readings of a session, for its presenters.
    assert responses.filter(item__session__isnull=False).count() == responses.count()


# The demo's polls: four asked in past sessions and closed, one open in the last.
CLOSED_POLLS = {
    # question: (session, kind, anonymous, students who answered)
    "Given ten times the compute, where should a compute-optimal run spend it?": (
        "Scaling laws",
        "single",
        False,
        18,
    ),
    "Which collective operations does PyTorch DDP use? Choose all that apply.": (
        "Data parallelism and collective communication",
        "multiple",
        False,
        17,
    ),
    "Halfway through the term: how is the pace of the course?": (
        "Mixed precision and gradient compression",
        "single",
        True,
        19,
    ),
    "In a few words: what limits context length most in practice?": (
        "Efficient attention mechanisms",
        "text",
        False,
        16,
    ),
}
OPEN_POLL = "Which technique from this course are you most likely to use next?"


def _poll_counts() -> tuple[int, ...]:
    return (
        Poll.objects.count(),
        PollChoice.objects.count(),
        PollAnswer.objects.count(),
        PollAnswer.choices.through.objects.count(),
    )


def test_demo_has_closed_polls_answered_by_most_students(course):
    closed = Poll.objects.filter(course=course, state="closed").select_related("session")
    found = {p.question: (p.session.title, p.kind, p.anonymous, p.answers.count()) for p in closed}
    assert found == CLOSED_POLLS
    students = set(
        Membership.objects.filter(course=course, role="student").values_list("user_id", flat=True)
    )
    last_class = Session.objects.filter(course=course).last()
    for poll in closed:
        assert poll.session.date < last_class.date, poll
        assert poll.results == "after_close"
        assert poll.results_visible_to_students()
        assert poll.opened_at is not None
        assert poll.closed_at >= poll.opened_at
        answers = list(poll.answers.prefetch_related("choices"))
        assert {a.student_id for a in answers} <= students
        picked = [len(a.choices.all()) for a in answers]
        if poll.kind == "single":
            assert set(picked) == {1}, poll
            assert poll.choices.count() == 4
        elif poll.kind == "multiple":
            assert min(picked) >= 1, poll
            assert max(picked) > 1, poll
        else:
            assert set(picked) == {0}
            assert all(a.text for a in answers)
            assert len({a.text for a in answers}) > 5  # not everyone writes the same
        if poll.kind != "text":
            counts = [c.count for c in poll_results(poll).choices]
            assert len([n for n in counts if n]) > 1, poll  # the class does not answer as one


def test_exactly_one_poll_is_open_in_the_last_session_with_live_results(course):
    open_polls = list(Poll.objects.filter(course=course, state="open"))
    assert [p.question for p in open_polls] == [OPEN_POLL]
    poll = open_polls[0]
    assert poll.session == Session.objects.filter(course=course).last()
    assert (poll.kind, poll.results, poll.anonymous) == ("single", "live", False)
    assert poll.results_visible_to_students()
    assert poll.answers.count() == 6
    assert Poll.objects.filter(course=course).count() == 5
    assert not Poll.objects.filter(course=course, state="draft").exists()


def test_the_anonymous_poll_is_closed_and_answered(course):
    anonymous = Poll.objects.get(course=course, anonymous=True)
    assert anonymous.question == "Halfway through the term: how is the pace of the course?"
    assert anonymous.state == "closed"
    assert anonymous.answers.count() == 19


def test_polls_count_towards_participation(course):
    rows = participation(course)
    assert len(rows) == 20
    assert {row.held for row in rows.values()} == {5}
    assert sum(row.answered for row in rows.values()) == 18 + 17 + 19 + 16 + 6
    assert all(row.answered >= 1 for row in rows.values())


def test_running_twice_adds_no_poll_or_answer(course, output):
    before = _poll_counts()
    assert before[0] == 5
    again = seed()
    assert _poll_counts() == before
    for text in (output, again):
        assert "announcements, 5 polls (1 open)" in text


def test_a_rerun_closes_a_reopened_demo_poll_again(course):
    poll = Poll.objects.get(course=course, question__startswith="Given ten times")
    poll_state_set(poll=poll, state="open")
    answers = list(poll.answers.order_by("pk").values("pk", "answered_at"))
    before = _poll_counts()
    seed()
    poll.refresh_from_db()
    assert poll.state == "closed"
    assert list(poll.answers.order_by("pk").values("pk", "answered_at")) == answers
    assert _poll_counts() == before
