"""The admin matrix (tests/courses/test_admin_matrix.py), continued: autocomplete
boxes answer only the instructor's own course rows, and the user list and person
boxes show the people of the instructor's courses only."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from courses.admin.scope import CourseScopedAdminMixin
from tests.courses.admin_matrix_helpers import admin_url, client_for, outcome
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- autocomplete -------------------------------------------------------------------------------


def autocomplete_fields() -> list[tuple[str, str, str]]:
    """Every foreign key of any model whose target the admin can autocomplete
    (a registered model with search fields), users aside (tested below)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.many_to_one and field.concrete):
                continue
            target = admin.site._registry.get(field.related_model)
            if not isinstance(target, CourseScopedAdminMixin) or not target.search_fields:
                continue
            found.append((model._meta.app_label, model._meta.model_name, field.name))
    return sorted(found)


def autocomplete(client: Client, app_label: str, model_name: str, field_name: str, term: str):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


def test_the_autocomplete_of_every_course_model_answers_only_own_course_rows(world):
    people, objects = world
    fields = autocomplete_fields()
    assert ("courses", "membership", "course") in fields
    assert ("courses", "pollanswer", "poll") in fields  # a model the admin does not show
    client = client_for(people["instructor"])
    for app_label, model_name, field_name in fields:
        for term in ("", "Bravo", "CIS5101"):
            response = autocomplete(client, app_label, model_name, field_name, term)
            assert response.status_code == 200
            texts = [result["text"] for result in response.json()["results"]]
            assert not any("Bravo" in t or "CIS5101" in t for t in texts), (
                f"{app_label}.{model_name}.{field_name} with “{term}”: {texts}"
            )
    sessions = autocomplete(client, "courses", "reading", "session", "")
    assert [r["text"] for r in sessions.json()["results"]] == [
        str(objects["alpha"]["courses.session"])
    ]


def test_a_ta_gets_no_autocomplete_at_all(world):
    people, _ = world
    response = autocomplete(client_for(people["ta"]), "courses", "reading", "session", "")
    assert outcome(response) == "login"


# --- people -------------------------------------------------------------------------------------


def usernames(response) -> set[str]:
    return {user.username for user in response.context["cl"].queryset}


def test_the_user_list_shows_an_instructor_the_people_of_their_courses_only(world):
    people, _ = world
    listed = client_for(people["instructor"]).get(admin_url("auth.user", "changelist"))
    assert usernames(listed) == {"prof", "otherprof", "ta", "alpha-student"}
    listed = client_for(people["other_instructor"]).get(admin_url("auth.user", "changelist"))
    assert usernames(listed) == {"otherprof", "prof", "bravo-student"}


def test_a_superuser_sees_everyone(world):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    listed = client_for(root).get(admin_url("auth.user", "changelist"))
    assert {"alpha-student", "bravo-student", "root"} <= usernames(listed)


def test_the_person_box_of_a_membership_finds_anyone_by_exact_username_or_email_only(world):
    """Adding a new member needs someone outside the course; they are found by
    the exact username or address, never by a part of it."""
    people, _ = world
    client = client_for(people["instructor"])

    def found(term: str) -> list[str]:
        response = autocomplete(client, "courses", "membership", "user", term)
        return [result["text"] for result in response.json()["results"]]

    assert found("") == ["alpha-student", "otherprof", "prof", "ta"]
    assert found("bravo-student") == ["bravo-student"]
    assert found("BRAVO-student@example.edu") == ["bravo-student"]
    assert found("bravo") == []
    assert found("alpha") == ["alpha-student"]


def test_other_person_boxes_find_only_the_people_of_the_instructors_courses(world):
    people, _ = world
    client = client_for(people["instructor"])
    for model_name, field_name in (("score", "student"), ("presentationsignup", "student")):
        app_label = "grading" if model_name == "score" else "courses"
        response = autocomplete(client, app_label, model_name, field_name, "bravo-student")
        assert response.json()["results"] == []
        response = autocomplete(client, app_label, model_name, field_name, "alpha-student")
        assert [r["text"] for r in response.json()["results"]] == ["alpha-student"]


def test_the_user_list_filters_by_the_courses_the_instructor_teaches_only(world):
    people, objects = world
    client = client_for(people["instructor"])
    listed = client.get(admin_url("auth.user", "changelist"))
    course_filter = next(s for s in listed.context["cl"].filter_specs if s.title == "course")
    assert [value for value, _ in course_filter.lookup_choices] == [
        objects["alpha"]["courses.course"].pk
    ]
    # Asking for the other course's people by the address finds nobody (not
    # even the people the instructor may see who are also in it).
    bravo = objects["bravo"]["courses.course"]
    assert (
        usernames(client.get(admin_url("auth.user", "changelist"), {"course": bravo.pk})) == set()
    )
