"""Property tests of query strings: any query string on any page a visitor can open
(the site's pages and the admin's lists) is read or ignored, never a server error.
Names are the ones the site reads, the ones the page links to, and arbitrary text;
values are nasty text, numbers past any column, NUL characters and long strings;
names may repeat and come as arrays (``page[]``), or the whole string may be raw
bytes that are not UTF-8 or escapes that decode to nothing."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.coursesite.test_hostile_sweep import URLS, build_world, path_of, real_values
from tests.fuzz import FUZZ, NASTY, ROLES, PageInputs, Sweep

pytestmark = pytest.mark.django_db

SITE_NAMES = ["page", "version", "view", "show", "student", "item", "next", "q", "format"]
ADMIN_NAMES = ["q", "o", "p", "all", "e", "_facets", "_popup", "_changelist_filters"]


@pytest.fixture
def site(db, media):
    return build_world()


def pages_of(sweep: Sweep, role: str, real: dict, *, admin: bool) -> list[tuple[str, list]]:
    """(path, query names it links to) of each page this visitor opens with a 200; in
    the admin, its lists and its add pages."""
    pages = []
    for template, _ in URLS:
        if template.startswith("/admin/") != admin or (admin and "{" in template):
            continue
        path = path_of(template, real_values(template, real)[0])
        response = sweep.get(role, path)
        if response.status_code == 200:
            pages.append((path, sorted(PageInputs(response).query)))
    return pages


@pytest.fixture
def site_pages(site, role):
    real, logins = site
    sweep = Sweep(logins)
    return sweep, pages_of(sweep, role, real, admin=False)


@pytest.fixture
def admin_pages(site, role):
    real, logins = site
    sweep = Sweep(logins)
    return sweep, pages_of(sweep, role, real, admin=True)


def query_strings(names: list[str]):
    name = st.one_of(
        st.sampled_from(names),
        st.sampled_from(names).map(lambda n: n + "[]"),
        st.text(max_size=12),
    )
    pairs = st.lists(st.tuples(name, NASTY), min_size=1, max_size=5).map(urlencode)
    raw = st.one_of(
        st.binary(max_size=60).map(lambda b: "".join(f"%{x:02x}" for x in b)),
        st.text(alphabet="%=&;+[]0123456789abcdefABCDEF\x00 ", max_size=40),
    )
    return st.one_of(pairs, raw)


def ask(sweep: Sweep, role: str, pages, names: list[str], data) -> None:
    assert pages, f"the {role} opens no page"
    path, linked = data.draw(st.sampled_from(pages), label="page")
    query = data.draw(query_strings(sorted({*names, *linked})), label="query")
    sweep.failures.clear()
    sweep.get(role, path, query)
    assert not sweep.failures, "\n".join(sweep.failures)


@pytest.mark.parametrize("role", ROLES)
@FUZZ
@given(data=st.data())
def test_any_query_string_on_any_page_is_read_or_ignored(site_pages, role, data):
    sweep, pages = site_pages
    ask(sweep, role, pages, SITE_NAMES, data)


@pytest.mark.parametrize("role", ["instructor", "superuser"])
@FUZZ
@given(data=st.data())
def test_any_query_string_on_an_admin_page_is_read_or_ignored(admin_pages, role, data):
    # The filters each list links to (by course, by date, by state) with nasty values.
    sweep, pages = admin_pages
    ask(sweep, role, pages, ADMIN_NAMES, data)
