"""Every field of every form on the site's pages (the admin's aside: the sweep covers
it), one at a time, set to what no one types: a NUL character, text past any limit, a
number past any column, a negative number. Each answer is a 4xx or the form again with
an error, never a server error; a NUL is always refused; and a refusal changes nothing.

The forms are read from the pages themselves, as each visitor sees them, so a form or
a field added tomorrow is covered too.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.coursesite.test_hostile_sweep import URLS, build_world, path_of, real_values
from tests.fuzz import ROLES, UPLOADS, Sweep, cause_of, refused, snapshot

pytestmark = pytest.mark.django_db

VALUES = ["a\x00b", "x" * 100_000, "9" * 5_000, str(2**63), "-1", "\u202e\ufeff"]
FILE = object()  # where a form takes a file
# Forms that end the visit rather than take input.
SKIPPED_ACTIONS = ("/accounts/logout/", "/admin/logout/")


class Forms(HTMLParser):
    """The POST forms of a page: each one's action and its fields with the values the
    page fills in (the first option of a select, checked boxes only)."""

    def __init__(self, page_url: str, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._fields = {}
            self.forms.append((urljoin(self.page_url, a.get("action") or ""), self._fields))
        elif self._fields is None:
            return
        elif tag == "option" and self._select and self._select not in self._fields:
            self._fields[self._select] = a.get("value") or ""
        elif not name:
            return
        elif tag == "input" and a.get("type") == "file":
            self._fields[name] = FILE
        elif tag == "input" and a.get("type") not in ("submit", "button", "image"):
            # A box or a choice left unticked is fuzzed as if ticked.
            if name not in self._fields or "checked" in a:
                self._fields[name] = a.get("value") or ("on" if a.get("type") else "")
        elif tag == "button" and name not in self._fields:
            self._fields[name] = a.get("value") or ""  # the first of a row of buttons
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            self._fields[name] = ""

    def handle_data(self, data):
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@pytest.fixture
def site(db, media):
    real, logins = build_world()
    return real, logins


def forms_of(sweep: Sweep, role: str, real: dict) -> list[tuple[str, dict[str, str]]]:
    """Every POST form on the pages this visitor sees, once each."""
    found: dict[tuple[str, tuple], tuple[str, dict[str, str]]] = {}
    for template, _ in URLS:
        if template.startswith("/admin/"):
            continue
        path = path_of(template, real_values(template, real)[0])
        response = sweep.get(role, path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for action, fields in Forms(path, response.content.decode()).forms:
            if fields and not action.endswith(SKIPPED_ACTIONS):
                found.setdefault((action, tuple(sorted(fields))), (action, fields))
    return list(found.values())


def test_the_forms_are_found(site):
    real, logins = site
    sweep = Sweep(logins)
    actions = {action for role in ROLES for action, _ in forms_of(sweep, role, real)}
    for expected in ("/accounts/login/", "/polls/new/", "/work/", "/gradebook/items/"):
        assert any(expected in action for action in actions), (expected, sorted(actions))


@pytest.mark.parametrize("role", ROLES)
def test_every_field_of_every_form_refuses_what_no_one_types(site, role):
    real, logins = site
    sweep = Sweep(logins)
    problems = []
    for action, fields in forms_of(sweep, role, real):
        defaults = {k: v for k, v in fields.items() if v is not FILE}
        for name, default in fields.items():
            values = UPLOADS if default is FILE else VALUES
            for value in values:
                before = snapshot()
                if default is FILE:
                    data = {**defaults, name: SimpleUploadedFile(*value)}
                    where = f"{action} {name}={value[0]!r}"
                else:
                    data = {**defaults, name: value}
                    where = f"{action} {name}={value[:20]!r}"
                response = sweep.post(role, action, data)
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code} {cause_of(response)}")
                    continue
                if "\x00" in str(value) and response.status_code != 400:
                    problems.append(f"{where}: a NUL answered {response.status_code}")
                if refused(response) and snapshot() != before:
                    problems.append(f"{where}: refused, yet the database changed")
    assert not problems, "\n".join(problems)
