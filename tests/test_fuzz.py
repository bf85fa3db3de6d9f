"""Property tests: every form and CSV upload answers hostile input with a 4xx or a
form error, never a server error, and leaves the database as it was."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from courses import polls, rosters
from courses.models import (
    Blackout,
    Course,
    Membership,
    PaperPreference,
    Poll,
    PollAnswer,
    PollChoice,
)
from grading.forms import ROWS_BEYOND_ROSTER
from grading.models import GradeImport, Score, Submission
from grading.services import score_set

from .conftest import logged_in
from .factories import (
    PASSWORD,
    GradeComponentFactory,
    GradeItemFactory,
    SessionFactory,
    UserFactory,
    new_paper,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# --- inputs -------------------------------------------------------------------------------

SPECIAL = [
    "",
    " ",
    "1e999",
    "-1e999",
    "1e-999",
    "0.000000001",
    "9.999999999999999999999",
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "-0",
    "+5",
    "0x10",
    "1_000",
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    '=HYPERLINK("http://example.com","x")',
    "=cmd|' /C calc'!A0",
    "\x00",
    "5\x00",
    "\t\r\n",
    "\u202e5",
    "\ufeff5",
    "５",
    "٣",
    "EX",
    "ex",
    "9" * 400,
    "1" + "0" * 40,
    "-" + "9" * 30,
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
]
HUGE = st.one_of(
    st.integers(min_value=2**63 - 1, max_value=10**80),
    st.integers(min_value=-(10**80), max_value=-(2**63)),
)
ANY_CHAR = st.characters(codec=None, exclude_categories=("Cs",))
NASTY = st.one_of(
    st.sampled_from(SPECIAL),
    HUGE.map(str),
    st.text(max_size=40),
    st.text(alphabet=ANY_CHAR, max_size=30),
)
FORMULA_CELL = st.one_of(
    st.sampled_from(["=1+1", "+1", "-1+2", "@SUM(A1)", "=cmd|' /C calc'!A0", "\t=1", "\r=1"]),
    st.text(max_size=10).map(lambda t: "=" + t),
)
CELL = st.one_of(NASTY, FORMULA_CELL)


def number(text: str) -> Decimal | None:
    """The text as a finite number, as a person would read it, or None."""
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def clearly_bad_points(text: str, possible: Decimal) -> bool:
    """Points no gradebook may accept: not a number, or far outside 0 .. 2 * possible."""
    if text.strip() == "" or text.strip().upper() == "EX":
        return False
    value = number(text)
    return value is None or value < 0 or value > 2 * possible


# --- answers and the database -------------------------------------------------------------


def client_for(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def snapshot() -> dict[str, list]:
    models = [
        User,
        Membership,
        Score,
        Submission,
        Poll,
        PollChoice,
        PollAnswer,
        PaperPreference,
        Blackout,
    ]
    state = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    state["Course"] = list(Course.objects.order_by("pk").values("pk", "join_code"))
    return state


def message_levels(response) -> list[int]:
    """The levels of the messages this request added (not those left by earlier ones)."""
    storage = get_messages(response.wsgi_request)
    return [m.level for m in getattr(storage, "_queued_messages", storage)]


def form_has_errors(response) -> bool:
    context = response.context or {}
    for key in ("form", "formset", "confirm"):
        try:
            form = context[key]
        except KeyError:
            continue
        if form is None:
            continue
        errors = form.errors
        if (any(errors) if isinstance(errors, list) else bool(errors)) or (
            hasattr(form, "non_form_errors") and form.non_form_errors()
        ):
            return True
    return False


def refused(response) -> bool:
    """The answer says no: a 4xx, a form shown again with an error, or an error message."""
    if 400 <= response.status_code < 500:
        return True
    if any(level >= messages.ERROR for level in message_levels(response)):
        return True
    return response.status_code == 200 and form_has_errors(response)


def check(response, before, *, must_refuse: bool) -> None:
    assert response.status_code < 500, response.content[:2000]
    if must_refuse:
        assert refused(response), (response.status_code, message_levels(response))
    if must_refuse or refused(response):
        assert snapshot() == before


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def prof_client(instructor):
    return client_for(instructor)


@pytest.fixture
def alice_client(student):
    return client_for(student)


SQLITE_MAX = 2**63 - 1


def as_int(text: str) -> int | None:
    """The text read as a whole number the way the views read ids, or None."""
    try:
        return int(text)
    except ValueError:
        return None


def fits_an_id(text: str) -> bool:
    """Whether the text is no id at all, or an id a database column can hold. Larger ones
    are covered by the expected-failure tests at the end of this file."""
    value = as_int(text)
    return value is None or abs(value) <= SQLITE_MAX


@pytest.fixture
def item(course):
    component = GradeComponentFactory(course=course, name="Responses", weight=20)
    return GradeItemFactory(
        component=component,
        title="Response 1",
        points_possible=Decimal("10"),
        accepts_text=True,
        accepts_url=True,
        accepts_file=True,
        due_at=timezone.now() + dt.timedelta(days=2),
    )


@pytest.fixture
def graded(item, student, instructor):
    """Alice has 7 on the item, so that a change would show."""
    score_set(item=item, student=student, points=Decimal("7"), by=instructor, comment="ok")
    return item


# --- the gradebook's score entry ----------------------------------------------------------


@FUZZ
@given(points=NASTY, was=NASTY, comment=NASTY, excused=st.booleans())
def test_score_entry_never_fails_and_saves_nothing_it_refuses(
    prof_client, graded, student, instructor, points, was, comment, excused
):
    client = prof_client
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": "1",
        "scores-INITIAL_FORMS": "1",
        "scores-0-student": str(student.pk),
        "scores-0-was": was,
        "scores-0-points": points,
        "scores-0-comment": comment,
    }
    if excused:
        data["scores-0-excused"] = "on"
    response = client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    check(response, before, must_refuse=clearly_bad_points(points, graded.points_possible))


MANAGEMENT = NASTY.filter(lambda t: as_int(t) is None or as_int(t) < 50)


def test_score_entry_with_an_absurd_form_count_is_refused(prof_client, graded, student):
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": "9" * 40,
        "scores-INITIAL_FORMS": "1",
        "scores-0-student": str(student.pk),
        "scores-0-was": "",
        "scores-0-points": "5",
    }
    response = prof_client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    check(response, before, must_refuse=True)
    assert "more rows than the course has students" in response.content.decode()
    # Rows are built up to the roster and a margin for students who just left,
    # not up to the count claimed: the refusal costs what the real page costs.
    students = Membership.objects.filter(course=graded.component.course, role="student").count()
    assert len(response.context["formset"].forms) <= students + ROWS_BEYOND_ROSTER


@FUZZ
@given(
    total=MANAGEMENT, initial=MANAGEMENT, student_id=NASTY, points=st.sampled_from(["5", "", "EX"])
)
def test_score_entry_management_form_garbage_is_refused(
    prof_client, graded, student, instructor, total, initial, student_id, points
):
    assume(as_int(student_id) != student.pk)
    client = prof_client
    before = snapshot()
    data = {
        "scores-TOTAL_FORMS": total,
        "scores-INITIAL_FORMS": initial,
        "scores-0-student": student_id,
        "scores-0-was": "",
        "scores-0-points": points,
    }
    response = client.post(f"/courses/cis6200/gradebook/items/{graded.pk}/", data)
    assert response.status_code < 500, response.content[:2000]
    assert snapshot() == before


# --- grading one hand-in ------------------------------------------------------------------


@FUZZ
@given(points=NASTY, comment=NASTY, late=st.booleans())
def test_submission_grade_never_fails_and_saves_nothing_it_refuses(
    prof_client, graded, student, instructor, points, comment, late
):
    client = prof_client
    before = snapshot()
    data = {"points": points, "comment": comment}
    if late:
        data["apply_late_penalty"] = "on"
    response = client.post(
        f"/courses/cis6200/gradebook/items/{graded.pk}/submissions/{student.pk}/", data
    )
    check(response, before, must_refuse=clearly_bad_points(points, graded.points_possible))


# --- handing work in ----------------------------------------------------------------------

FILE_NAMES = st.one_of(
    st.sampled_from(
        ["report.pdf", "a.txt", "x.exe", ".htaccess", "../../etc/passwd", "n.ipynb", "z.zip", ""]
    ),
    st.text(alphabet=ANY_CHAR, min_size=1, max_size=40),
)


@FUZZ
@given(
    text=NASTY,
    url=NASTY,
    name=FILE_NAMES,
    content=st.one_of(st.just(b""), st.binary(max_size=200)),
    with_file=st.booleans(),
)
def test_hand_in_never_fails_and_saves_nothing_it_refuses(
    alice_client, item, student, media, text, url, name, content, with_file
):
    client = alice_client
    before = snapshot()
    data = {"text": text, "url": url}
    if with_file:
        data["file"] = SimpleUploadedFile(name or "x", content)
    response = client.post(f"/courses/cis6200/work/{item.pk}/", data)
    empty_file = with_file and not content
    check(response, before, must_refuse=empty_file or "\x00" in text)


# --- polls --------------------------------------------------------------------------------


@FUZZ
@given(
    question=NASTY,
    kind=st.one_of(st.sampled_from(["single", "multiple", "text"]), NASTY),
    choices=st.one_of(NASTY, st.lists(NASTY, max_size=15).map("\n".join)),
    session=NASTY,
    anonymous=st.booleans(),
    results=st.one_of(st.sampled_from([v for v, _ in Poll.Results.choices]), NASTY),
)
def test_poll_create_never_fails_and_creates_nothing_it_refuses(
    prof_client, course, instructor, question, kind, choices, session, anonymous, results
):
    client = prof_client
    before = snapshot()
    data = {
        "question": question,
        "kind": kind,
        "choices": choices,
        "session": session,
        "results": results,
    }
    if anonymous:
        data["anonymous"] = "on"
    response = client.post("/courses/cis6200/polls/new/", data)
    bad = (
        not question.strip()
        or kind not in Poll.Kind.values
        or results not in Poll.Results.values
        or (session.strip() != "" and not session.strip().isdigit())
    )
    check(response, before, must_refuse=bad)
    if Poll.objects.count() == len(before["Poll"]):
        assert response.status_code >= 400 or response["Location"].endswith("/polls/")


@pytest.fixture
def open_polls(course):
    session = SessionFactory(course=course)
    made = []
    for kind in ("single", "multiple", "text"):
        poll = polls.poll_create(
            course=course,
            question=f"A {kind} question?",
            kind=kind,
            choices=() if kind == "text" else ("Yes", "No"),
            session=session,
        )
        polls.poll_state_set(poll=poll, state="open")
        made.append(poll)
    return made


@FUZZ
@given(which=st.integers(0, 2), choice=st.lists(NASTY, max_size=3), text=NASTY)
def test_poll_answer_never_fails_and_records_nothing_it_refuses(
    alice_client, open_polls, student, which, choice, text
):
    poll = open_polls[which]
    ids = set(PollChoice.objects.values_list("pk", flat=True))
    assume(all(as_int(c) not in ids and fits_an_id(c) for c in choice))
    client = alice_client
    before = snapshot()
    response = client.post(
        f"/courses/cis6200/polls/{poll.pk}/answer/", {"choice": choice, "text": text}
    )
    # Choices that are not this poll's are never an answer to a choice poll.
    check(response, before, must_refuse=poll.kind != "text")


# --- joining by code, logging in ----------------------------------------------------------


@FUZZ
@given(code=st.one_of(NASTY, st.text(alphabet="ABCDEFGHJKMNPQRSTUVWXYZ23456789-", max_size=12)))
def test_join_never_fails_and_enrols_nobody_with_a_wrong_code(course, code):
    rosters.join_code_rotate(course=course)
    real = Course.objects.get(pk=course.pk).join_code.replace("-", "")
    assume("".join(ch for ch in code.upper() if ch.isalnum()) != real)
    newcomer = UserFactory(username="newcomer")
    client = client_for(newcomer)
    before = snapshot()
    response = client.post("/join/", {"code": code})
    check(response, before, must_refuse=True)


@FUZZ
@given(username=st.one_of(NASTY, st.just("alice")), password=NASTY)
def test_login_never_fails_with_garbage(student, username, password):
    assume(password != PASSWORD)
    client = client_for()
    before = snapshot()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    check(response, before, must_refuse=True)


# --- ranking papers -----------------------------------------------------------------------


@pytest.fixture
def ranked(course):
    course.signup_mode = Course.SignupMode.RANKED
    course.rank_min, course.rank_max = 1, 3
    course.save()
    papers = [
        new_paper(course, date=dt.date(2026, 2, 3) + dt.timedelta(days=7 * n)) for n in range(3)
    ]
    return papers


@FUZZ
@given(
    action=st.one_of(st.sampled_from(["add", "remove", "up", "down", "blackouts"]), NASTY),
    reading=NASTY,
    blackout=st.lists(NASTY, max_size=3),
)
def test_paper_rank_never_fails_and_saves_nothing_it_refuses(
    alice_client, ranked, student, action, reading, blackout
):
    ids = {r.pk for r in ranked} | {r.session_id for r in ranked}
    assume(as_int(reading) not in ids and fits_an_id(reading))
    assume(all(as_int(b) not in ids and fits_an_id(b) for b in blackout))
    assume(action != "blackouts" or blackout)  # an empty blackout list is a valid save
    client = alice_client
    before = snapshot()
    response = client.post(
        "/courses/cis6200/papers/rank/",
        {"action": action, "reading": reading, "blackout": blackout},
    )
    # Removing or moving a paper that is not ranked is a harmless no-op; adding one that
    # is not on offer, an unknown action, or a blackout of no session is refused.
    adds = action == "add" or action not in ("remove", "up", "down")
    check(response, before, must_refuse=adds or as_int(reading) is None)
    assert snapshot() == before


# --- the CSV imports ----------------------------------------------------------------------


def encoded(text: str, how: str) -> bytes:
    if how == "utf-16":
        return text.encode("utf-16")  # with its byte order mark
    if how == "utf-8-sig":
        return text.encode("utf-8-sig")
    return text.encode(how, errors="replace")


RAW_FILES = st.one_of(
    st.just(b""),
    st.just(b"\xef\xbb\xbf"),
    st.just(b"\xff\xfe"),
    st.binary(max_size=300),
    st.tuples(st.text(alphabet=ANY_CHAR, max_size=80), st.sampled_from(["utf-16", "cp1252"])).map(
        lambda t: encoded(*t)
    ),
)


def rows_to_csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def gradebook_rows(header):
    row = st.lists(CELL, min_size=len(header), max_size=len(header))
    return st.lists(row, min_size=0, max_size=4).map(lambda rows: [header, *rows])


def import_upload(client, content: bytes, name: str):
    return client.post(
        "/courses/cis6200/gradebook/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
        follow=True,
    )


def check_import(response, before) -> None:
    assert response.status_code < 500, response.content[:2000]
    for hop, _ in response.redirect_chain:
        assert "/gradebook/import/" in hop
    assert snapshot() == before


@FUZZ
@given(content=RAW_FILES, name=st.sampled_from(["grades.csv", "GRADES.CSV", "grades.xlsx"]))
def test_gradebook_import_of_arbitrary_bytes_never_fails_or_changes_scores(
    prof_client, graded, instructor, content, name
):
    client = prof_client
    before = snapshot()
    imports = GradeImport.objects.count()
    response = import_upload(client, content, name)
    check_import(response, before)
    if not content.strip() or not name.lower().endswith(".csv"):
        assert refused(response)
        assert GradeImport.objects.count() == imports


@FUZZ
@given(data=st.data(), how=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_gradebook_import_of_hostile_rows_never_fails_or_changes_scores(
    prof_client, graded, student, instructor, data, how
):
    client = prof_client
    header = next(
        csv.reader(
            io.StringIO(
                client.get("/courses/cis6200/gradebook/export.csv").content.decode("utf-8-sig")
            )
        )
    )
    rows = data.draw(gradebook_rows(header))
    if data.draw(st.booleans()) and len(rows) > 1:
        rows[1][1] = student.username  # a real student, with hostile cells
    before = snapshot()
    response = import_upload(client, encoded(rows_to_csv(rows), how), "grades.csv")
    check_import(response, before)


ROSTER_HEADERS = st.sampled_from(
    [["name", "email", "role"], ["Student", "SIS Login ID"], ["Name", "Email"], []]
)


@FUZZ
@given(
    content=st.one_of(
        RAW_FILES,
        st.tuples(
            ROSTER_HEADERS,
            st.lists(st.lists(CELL, min_size=0, max_size=4), max_size=5),
            st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
        ).map(lambda t: encoded(rows_to_csv([t[0], *t[1]]), t[2])),
    ),
    name=st.sampled_from(["roster.csv", "roster.txt"]),
)
def test_roster_upload_never_fails_and_changes_nobody_before_confirming(
    prof_client, course, instructor, student, content, name
):
    client = prof_client
    before = snapshot()
    response = client.post(
        "/courses/cis6200/roster/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )
    assert response.status_code < 500, response.content[:2000]
    assert snapshot() == before
    if not content or not name.endswith(".csv"):
        assert refused(response)


@FUZZ
@given(content=st.one_of(NASTY, CELL.map(lambda c: f"name,email,role\nEve,{c},student")), fp=NASTY)
def test_roster_confirm_with_a_forged_fingerprint_changes_nobody(
    prof_client, course, instructor, student, content, fp
):
    client = prof_client
    before = snapshot()
    response = client.post(
        "/courses/cis6200/roster/import/", {"content": content, "fingerprint": fp}
    )
    check(response, before, must_refuse=True)


# --- minimal failing examples ---------------------------------------------------------------

TOO_BIG_FOR_AN_ID = str(2**63)  # 9223372036854775808: one past the largest 64-bit integer


def test_poll_answer_with_a_choice_id_beyond_64_bits_is_refused(alice_client, open_polls):
    before = snapshot()
    response = alice_client.post(
        f"/courses/cis6200/polls/{open_polls[0].pk}/answer/", {"choice": TOO_BIG_FOR_AN_ID}
    )
    check(response, before, must_refuse=True)


def test_paper_rank_add_with_a_reading_id_beyond_64_bits_is_refused(alice_client, ranked):
    before = snapshot()
    response = alice_client.post(
        "/courses/cis6200/papers/rank/", {"action": "add", "reading": TOO_BIG_FOR_AN_ID}
    )
    check(response, before, must_refuse=True)


def test_paper_rank_blackout_with_a_session_id_beyond_64_bits_is_refused(alice_client, ranked):
    before = snapshot()
    response = alice_client.post(
        "/courses/cis6200/papers/rank/", {"action": "blackouts", "blackout": TOO_BIG_FOR_AN_ID}
    )
    check(response, before, must_refuse=True)


def test_an_id_too_large_for_any_database_in_a_url_is_a_404(course, ta):
    client = logged_in(ta)
    client.raise_request_exception = False
    for path in ("gradebook/items/99999999999999999999/", "polls/99999999999999999999/"):
        assert client.get(f"/courses/{course.slug}/{path}").status_code == 404
