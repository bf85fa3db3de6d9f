"""Property tests of the course's forms and uploads: polls, joining by code, logging in,
ranking papers and the roster import. Each answers hostile input (NUL characters, ids
past any column, text past any limit) with a 4xx or a form error, never a server
error, and a refusal leaves the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import assume, given
from hypothesis import strategies as st

from courses.models import Course, Poll, PollChoice
from courses.services import polls, rosters
from tests.conftest import logged_in
from tests.factories import PASSWORD, SessionFactory, UserFactory, new_paper
from tests.fuzz import (
    CELL,
    FUZZ,
    NASTY,
    OVERLONG,
    RAW_FILES,
    as_int,
    check,
    client_for,
    encoded,
    fits_an_id,
    refused,
    rows_to_csv,
    snapshot,
)

pytestmark = pytest.mark.django_db


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


# --- the roster import --------------------------------------------------------------------


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


# --- logging in with what no account has ------------------------------------------------------

LOGIN_PAGES = ["/accounts/login/", "/admin/login/"]


@pytest.mark.parametrize("page", LOGIN_PAGES)
@pytest.mark.parametrize("username", [*OVERLONG, "alice\x00", "alice"])
@pytest.mark.parametrize("password", ["x" * 100_000, "wrong\x00", "wrong"])
def test_a_login_past_any_account_s_length_is_refused_and_recorded_safely(
    student, page, username, password
):
    if username == "alice" and password == "wrong":
        return  # an ordinary wrong password, tested with the login pages
    before = snapshot()
    response = client_for().post(page, {"username": username, "password": password})
    check(response, before, must_refuse=True)
    assert "_auth_user_id" not in getattr(response.wsgi_request, "session", {})
    # What the lockout counts is at most what its columns hold.
    stored = [len(row.username or "") for row in AccessAttempt.objects.all()]
    stored += [len(row.username or "") for row in AccessFailureLog.objects.all()]
    assert max(stored, default=0) <= 255, f"a username of {max(stored)} characters was stored"


@pytest.mark.parametrize("field", ["question", "choices", "kind", "results", "session"])
@pytest.mark.parametrize("value", [*OVERLONG, "Why\x00?", str(2**63)])
def test_a_poll_field_past_its_limit_or_with_a_nul_creates_nothing(
    prof_client, course, field, value
):
    before = snapshot()
    data = {"question": "Ready?", "kind": "single", "choices": "Yes\nNo"}
    data |= {"results": Poll.Results.AFTER_CLOSE, field: value}
    response = prof_client.post("/courses/cis6200/polls/new/", data)
    # A number is a fine question; anything else here is past a limit or not a choice.
    check(response, before, must_refuse=not (field == "question" and value == str(2**63)))


@pytest.mark.parametrize("text", [*OVERLONG, "yes\x00"])
def test_a_poll_answer_past_any_limit_records_nothing(alice_client, open_polls, text):
    before = snapshot()
    poll = open_polls[2]  # the short-text poll
    response = alice_client.post(f"/courses/cis6200/polls/{poll.pk}/answer/", {"text": text})
    check(response, before, must_refuse=True)


@pytest.mark.parametrize("code", [*OVERLONG, "K7PQ\x00", str(2**63)])
def test_a_join_code_past_any_limit_enrols_nobody(course, code):
    rosters.join_code_rotate(course=course)
    client = client_for(UserFactory(username="newcomer"))
    before = snapshot()
    check(client.post("/join/", {"code": code}), before, must_refuse=True)


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
