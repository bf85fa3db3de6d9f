"""Refuse input that no page of the site can use, before any view sees it.

A NUL character (``\\x00``) has no place in a URL, a header or a form: no one
types it, and PostgreSQL refuses to store it in text, so a view that passed one
on to the database would fail with a server error. Rather than guard every form
and every query parameter, this middleware answers 400 with a page that says
what was wrong, whatever the page, for the path, the query string, the headers
and the posted fields (a file's content may hold any byte; Django takes
unprintable characters out of uploaded files' names). Cookies with a NUL are
dropped, as if the browser had not sent them, so a mangled cookie cannot lock
anyone out of the site.

In the admin, an object id in the URL that cannot be an id of the model
(``/admin/grading/score/abc/history/``) is a 404, as it already is on the
admin's change page; an empty ``_to_field`` is refused as Django refuses one
that names a field it does not allow, and so is a date drill-down past any
calendar (``?date__year=99999999999999999999``).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest

from coursesite.converters import fits_field, id_or_none

NUL = "\x00"

BAD_INPUT_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bad request</title></head>
<body>
<h1>This request cannot be read</h1>
<p>{problem} Nothing was saved. Go back, check what you typed or pasted (or the
link you followed), and try again.</p>
</body>
</html>
"""

PROBLEMS = {
    "path": "The address contains a NUL character, which no page of this site has.",
    "query": "The address contains a NUL character, which no page of this site takes.",
    "form": "A field of the form contains a NUL character (an invisible control "
    "character, often pasted from another program), which this site cannot store.",
    "header": "The request's headers contain a NUL character.",
    "to_field": "The address has an empty _to_field parameter.",
    "date": "The address asks for a date that no calendar has.",
}


def bad_input(problem: str) -> HttpResponse:
    return HttpResponseBadRequest(BAD_INPUT_PAGE.format(problem=PROBLEMS[problem]))


def _has_nul(pairs: Iterable[tuple[str, list]]) -> bool:
    return any(
        NUL in name or any(isinstance(v, str) and NUL in v for v in values)
        for name, values in pairs
    )


def nul_problem(request: HttpRequest) -> str | None:
    """Which part of the request holds a NUL character, or None."""
    if NUL in request.path_info or NUL in request.path:
        return "path"
    if any(key.startswith("HTTP_") and NUL in str(value) for key, value in request.META.items()):
        return "header"
    if _has_nul(request.GET.lists()):
        return "query"
    # Parsing the body here is what CsrfViewMiddleware does a little later; a body
    # Django refuses to parse (too large, too many fields, a broken multipart) raises,
    # and Django answers 400 to it. Django takes unprintable characters out of uploaded
    # files' names itself.
    if request.method == "POST" and (
        _has_nul(request.POST.lists()) or any(NUL in name for name in request.FILES)
    ):
        return "form"
    return None


def _drop_nul_cookies(request: HttpRequest) -> None:
    for name in [n for n, v in request.COOKIES.items() if NUL in n or NUL in v]:
        del request.COOKIES[name]


def _model_admin_of(view_func) -> admin.ModelAdmin | None:
    """The ModelAdmin whose page this is: the admin marks its own views; views an
    admin adds (the history's version pages) are its bound methods."""
    found = getattr(view_func, "model_admin", None)
    if found is None:
        found = getattr(inspect.unwrap(view_func), "__self__", None)
    return found if isinstance(found, admin.ModelAdmin) else None


def _impossible_date(request: HttpRequest, model_admin: admin.ModelAdmin) -> bool:
    """Whether the list's date drill-down asks for a year, month or day past any
    calendar: Django answers the ones it can read as numbers but not as a date itself
    (?e=1), but one too large for a C long fails inside it."""
    if not model_admin.date_hierarchy:
        return False
    for part in ("year", "month", "day"):
        value = request.GET.get(f"{model_admin.date_hierarchy}__{part}")
        try:
            if value is not None and abs(int(value)) > 9999:
                return True
        except ValueError:
            pass  # not a number at all: Django's own answer
    return False


class InputChecksMiddleware:
    """Answer 400 to a request with a NUL character anywhere a view would read it,
    and 404 to an admin URL whose object id cannot be one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _drop_nul_cookies(request)
        problem = nul_problem(request)
        if problem:
            return bad_input(problem)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = _model_admin_of(view_func)
        if model_admin is None:
            return None
        to_field = request.POST.get("_to_field", request.GET.get("_to_field"))
        if to_field is not None and not to_field:
            return bad_input("to_field")
        if _impossible_date(request, model_admin):
            return bad_input("date")
        # The change, delete and history pages name the object as object_id; the
        # history's version pages (django-simple-history) pass it and the version
        # positionally.
        object_id = view_kwargs.get("object_id", view_args[0] if view_args else None)
        if object_id is not None and not fits_field(model_admin.model._meta.pk, unquote(object_id)):
            raise Http404("No such object.")
        for version_id in view_args[1:]:
            if id_or_none(version_id) is None:
                raise Http404("No such version.")
        return None
