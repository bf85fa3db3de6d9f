"""Input no page can use is refused before any view: a NUL character anywhere a view
would read it is a 400 with a page that says so, a cookie with one is ignored, and an
admin URL whose object id cannot be an id is a 404. Nothing is saved either way.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Membership
from grading.models import Score, Submission
from tests.conftest import logged_in
from tests.factories import PASSWORD, GradeComponentFactory, GradeItemFactory, UserFactory
from tests.fuzz import BODY_LIMIT, INPUT_CHECKS, client_for, input_checks

pytestmark = pytest.mark.django_db
__all__ = ["input_checks"]  # a fixture the tests below use


def test_the_settings_run_the_input_checks_right_after_the_body_limit():
    middleware = list(django_settings.MIDDLEWARE)
    assert INPUT_CHECKS in middleware, f"add {INPUT_CHECKS!r} to MIDDLEWARE after {BODY_LIMIT!r}"
    assert middleware.index(INPUT_CHECKS) == middleware.index(BODY_LIMIT) + 1


# --- NUL characters ----------------------------------------------------------------------


@pytest.fixture
def item(course):
    return GradeItemFactory(
        component=GradeComponentFactory(course=course),
        title="Response 1",
        accepts_text=True,
        accepts_file=True,
    )


def assert_refused_for_nul(response) -> None:
    assert response.status_code == 400, response.content[:500]
    assert "NUL character" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/courses/cis6200/%00/",
        "/courses/cis6200%00/",
        "/admin/courses/course/1%00/change/",
        "/accounts/login/%00",
    ],
)
def test_a_nul_in_the_path_is_a_400(input_checks, course, path):
    assert_refused_for_nul(client_for().get(path))


@pytest.mark.parametrize(
    "query", ["page=%00", "version=1%00", "%00=1", "a%00b=", "view=student&view=%00"]
)
def test_a_nul_in_the_query_string_is_a_400(input_checks, course, ta, query):
    response = client_for(ta).get("/courses/cis6200/gradebook/", QUERY_STRING=query)
    assert_refused_for_nul(response)


def test_a_nul_in_a_posted_field_is_a_400_and_saves_nothing(input_checks, item, student):
    response = client_for(student).post(
        f"/courses/cis6200/work/{item.pk}/", {"text": "My answer\x00 is this."}
    )
    assert_refused_for_nul(response)
    assert "form contains a NUL character" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_nul_in_a_url_encoded_field_name_is_a_400(input_checks, item, student):
    response = client_for(student).post(
        f"/courses/cis6200/work/{item.pk}/",
        "text=fine&x%00y=1",
        content_type="application/x-www-form-urlencoded",
    )
    assert_refused_for_nul(response)
    assert not Submission.objects.exists()


def test_a_nul_in_an_uploaded_file_s_name_never_reaches_storage(input_checks, item, student, media):
    upload = SimpleUploadedFile("notes\x00.txt", b"my notes")
    response = client_for(student).post(f"/courses/cis6200/work/{item.pk}/", {"file": upload})
    assert response.status_code == 302
    assert Submission.objects.get().file.name.endswith("/notes.txt")


def test_a_nul_in_a_file_s_content_is_the_form_s_business(input_checks, item, student, media):
    upload = SimpleUploadedFile("notes.txt", b"binary \x00 content")
    response = client_for(student).post(f"/courses/cis6200/work/{item.pk}/", {"file": upload})
    assert response.status_code == 200
    assert "not a .txt file" in response.content.decode()
    assert not Submission.objects.exists()


def test_a_nul_in_a_header_is_a_400(input_checks, course):
    response = client_for().get("/courses/cis6200/", HTTP_USER_AGENT="Mozilla\x00")
    assert_refused_for_nul(response)


def test_a_login_with_a_nul_anywhere_is_a_400_and_records_no_attempt(input_checks, student):
    from axes.models import AccessAttempt

    for data in (
        {"username": "alice\x00", "password": PASSWORD},
        {"username": "alice", "password": "x\x00"},
        {"username": "alice", "password": "wrong", "remember\x00": "1"},
    ):
        assert_refused_for_nul(client_for().post("/accounts/login/", data))
    assert not AccessAttempt.objects.exists()


def test_a_session_cookie_with_a_nul_is_ignored(input_checks, course, student):
    client = client_for()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "abc\x00def"
    response = client.get("/courses/cis6200/papers/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_clean_input_passes_untouched(input_checks, item, student):
    client = logged_in(student)
    response = client.post(f"/courses/cis6200/work/{item.pk}/", {"text": "My answer."})
    assert response.status_code == 302
    assert Submission.objects.get().text == "My answer."


# --- the admin's object ids --------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("object_id", ["abc", "1e9", "-1", "%E2%80%AE1", str(2**63), "9" * 30])
@pytest.mark.parametrize("page", ["history/", "change/", "delete/"])
def test_an_admin_object_id_that_cannot_be_one_is_a_404(
    input_checks, superuser, course, object_id, page
):
    for model in ("courses/course", "courses/poll", "grading/score", "grading/gradeitem"):
        response = client_for(superuser).get(f"/admin/{model}/{object_id}/{page}")
        assert response.status_code == 404, (model, response.status_code)


def test_a_history_version_that_cannot_be_one_is_a_404(input_checks, superuser, item, student):
    from grading.services import score_set

    score = score_set(item=item, student=student, points=Decimal(5), by=superuser)
    for version in ("x", "1.5", "-1", str(2**63)):
        response = client_for(superuser).get(f"/admin/grading/score/{score.pk}/history/{version}/")
        assert response.status_code == 404
    version = score.history.first().history_id
    response = client_for(superuser).get(f"/admin/grading/score/{score.pk}/history/{version}/")
    assert response.status_code == 200


@pytest.mark.parametrize("page", ["change/", "delete/", "history/"])
def test_an_empty_to_field_in_the_admin_is_a_400(input_checks, superuser, course, page):
    response = client_for(superuser).get(
        f"/admin/courses/course/{course.pk}/{page}", QUERY_STRING="_to_field="
    )
    assert response.status_code == 400
    assert "_to_field" in response.content.decode()


def test_the_admin_still_opens_real_objects(input_checks, superuser, course, student):
    membership = Membership.objects.get(user=student)
    client = client_for(superuser)
    assert client.get(f"/admin/courses/course/{course.pk}/change/").status_code == 200
    assert client.get(f"/admin/courses/membership/{membership.pk}/history/").status_code == 200
    assert client.get("/admin/grading/score/").status_code == 200
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    "query",
    ["date__year=99999999999999999999", "date__year=2026&date__month=-99999999999999999999"],
)
def test_a_date_drill_down_past_any_calendar_is_a_400(input_checks, superuser, course, query):
    response = client_for(superuser).get("/admin/courses/session/", QUERY_STRING=query)
    assert response.status_code == 400
    assert "no calendar has" in response.content.decode()


def test_a_date_drill_down_django_reads_is_left_to_it(input_checks, superuser, course):
    client = client_for(superuser)
    assert client.get("/admin/courses/session/?date__year=2026").status_code == 200
    response = client.get("/admin/courses/session/?date__year=2026&date__month=13")
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
