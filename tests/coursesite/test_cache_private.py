"""What the public page cache never keeps nor serves: anything for a request
with a session cookie (logged-in people always get a fresh page, private and
no-store), a POST, a course that is not published, an answer that sets a
cookie, and every page but the public course pages."""

from __future__ import annotations

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import Client, RequestFactory
from django.utils.cache import patch_cache_control, patch_vary_headers

from coursesite.caching import PublicPageCacheMiddleware
from tests.conftest import logged_in
from tests.coursesite import cache_backends
from tests.coursesite.cache_backends import PAGES, fetch, from_the_cache

pages_stored = cache_backends.pages_stored


def assert_never_stored_by_a_browser(response) -> None:
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]
    assert "public" not in directives


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["student", "ta", "instructor"])
def test_a_member_always_gets_a_fresh_page_with_their_own_menu(course, role, request):
    member = logged_in(request.getfixturevalue(role))
    path = f"/courses/{course.slug}/"
    Client().get(path)  # kept for visitors
    for _ in range(2):
        queries, response = fetch(member, path)
        assert not from_the_cache(queries, response)
        page = response.content.decode()
        assert "Log out" in page
        assert "Log in" not in page.split("<main", 1)[0]
        assert_never_stored_by_a_browser(response)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_nothing_a_logged_in_person_sees_is_stored(course, student, page, pages_stored):
    member = logged_in(student)
    path = f"/courses/{course.slug}/{page}"
    for _ in range(2):
        queries, response = fetch(member, path)
        assert response.status_code == 200
        assert not from_the_cache(queries, response)
        assert_never_stored_by_a_browser(response)
    assert pages_stored == []


@pytest.mark.django_db
def test_a_session_cookie_that_is_no_session_still_skips_the_cache(course, pages_stored):
    path = f"/courses/{course.slug}/"
    Client().get(path)
    stored = list(pages_stored)
    visitor = Client()
    visitor.cookies["sessionid"] = "not-a-session-this-site-made"
    for _ in range(2):
        queries, response = fetch(visitor, path)
        assert not from_the_cache(queries, response)
        assert "Log in" in response.content.decode()
    assert pages_stored == stored


@pytest.mark.django_db
def test_an_unpublished_course_is_never_stored_for_anyone(course, student, ta, pages_stored):
    course.is_published = False
    course.save()
    path = f"/courses/{course.slug}/"
    for _ in range(2):
        assert Client().get(path).status_code == 404
        for member in (logged_in(student), logged_in(ta)):
            queries, response = fetch(member, path)
            assert response.status_code == 200
            assert not from_the_cache(queries, response)
    assert pages_stored == []


@pytest.mark.django_db
def test_a_post_to_a_kept_page_is_not_answered_with_the_copy(course, pages_stored):
    path = f"/courses/{course.slug}/"
    Client().get(path)
    assert len(pages_stored) == 1
    response = Client().post(path, {"title": "x"})
    assert response.status_code == 405
    assert "Age" not in response
    assert len(pages_stored) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/", "/accounts/login/", "/healthz", "/courses/cis6200/papers/", "/courses/nope/"],
)
def test_pages_other_than_the_public_course_pages_are_not_kept(course, path, pages_stored):
    for _ in range(2):
        queries, response = fetch(Client(), path)
        assert not from_the_cache(queries, response)
    assert pages_stored == []


def public_page() -> HttpResponse:
    response = the_same_for_everyone()
    patch_vary_headers(response, ["Cookie"])
    return response


def the_same_for_everyone() -> HttpResponse:
    """A public page that does not even vary on Cookie."""
    response = HttpResponse(b"<h1>Deep Learning at Scale</h1>")
    patch_cache_control(response, public=True)
    return response


def with_cookie() -> HttpResponse:
    response = public_page()
    response.set_cookie("messages", "")
    return response


def with_status(status: int):
    def make() -> HttpResponse:
        response = public_page()
        response.status_code = status
        return response

    return make


def with_cache_control(**directives):
    def make() -> HttpResponse:
        response = public_page()
        patch_cache_control(response, **directives)
        return response

    return make


def streaming() -> StreamingHttpResponse:
    response = StreamingHttpResponse(iter([b"page"]))
    patch_cache_control(response, public=True)
    return response


def varying_on_everything() -> HttpResponse:
    response = public_page()
    patch_vary_headers(response, ["*"])
    return response


NOT_KEPT = {
    "an answer that sets a cookie": with_cookie,
    "a page its view did not mark public": lambda: HttpResponse(b"page"),
    "a private page": with_cache_control(private=True),
    "a public page also marked no-store": with_cache_control(no_store=True),
    "a page not found": with_status(404),
    "a redirect": with_status(302),
    "a server error": with_status(500),
    "a streamed answer": streaming,
    "an answer that varies on everything": varying_on_everything,
}


def calls_to(make):
    """A middleware around a view answering `make()`, and the list of its calls."""
    calls = []

    def view(request):
        calls.append(request.method)
        return make()

    return PublicPageCacheMiddleware(view), calls


def test_a_public_page_for_an_anonymous_get_is_kept(pages_stored):
    middleware, calls = calls_to(public_page)
    for _ in range(3):
        response = middleware(RequestFactory().get("/courses/cis6200/"))
        assert response.content == b"<h1>Deep Learning at Scale</h1>"
    assert calls == ["GET"]
    assert len(pages_stored) == 1


@pytest.mark.parametrize("case", NOT_KEPT)
def test_an_answer_is_never_kept_when_it_is(case, pages_stored):
    middleware, calls = calls_to(NOT_KEPT[case])
    for _ in range(2):
        middleware(RequestFactory().get("/courses/cis6200/"))
    assert len(calls) == 2
    assert pages_stored == []


REQUESTS = {
    "a POST": lambda rf: rf.post("/courses/cis6200/"),
    "a PUT": lambda rf: rf.put("/courses/cis6200/"),
    "a request with a session cookie": lambda rf: rf.get(
        "/courses/cis6200/", HTTP_COOKIE="sessionid=abc"
    ),
    "a request with another cookie": lambda rf: rf.get(
        "/courses/cis6200/", HTTP_COOKIE="csrftoken=abc"
    ),
    "a request with a query string": lambda rf: rf.get("/courses/cis6200/", {"week": "3"}),
}


@pytest.mark.parametrize("case", REQUESTS)
def test_a_public_page_is_never_kept_nor_served_for(case, pages_stored):
    middleware, calls = calls_to(public_page)
    for _ in range(2):
        middleware(REQUESTS[case](RequestFactory()))
    assert len(calls) == 2
    assert pages_stored == []


def test_a_request_with_a_session_is_not_served_even_a_copy_for_everyone(pages_stored):
    middleware, calls = calls_to(the_same_for_everyone)
    middleware(RequestFactory().get("/courses/cis6200/"))
    assert len(pages_stored) == 1
    assert middleware(RequestFactory().get("/courses/cis6200/")).has_header("Age")
    response = middleware(RequestFactory().get("/courses/cis6200/", HTTP_COOKIE="sessionid=abc"))
    assert not response.has_header("Age")
    assert calls == ["GET", "GET"]
