"""Every Markdown field's page survives the XSS corpus (tests/coursesite/xss_corpus.py):
the pages are drawn once (every payload at once where a page lists many), then each
payload's test reads the findings of its own Markdown block on every field's page,
and a failure names the payload and the fields. A page must also carry no more
active content outside its Markdown blocks than the same page with harmless text."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from courses.models import Membership
from grading.models import Submission
from grading.services.submissions import submission_save
from tests.coursesite.xss_corpus import CORPUS, stored, tag_findings
from tests.factories import (
    AnnouncementFactory,
    CourseFactory,
    GradeComponentFactory,
    GradeItemFactory,
    MembershipFactory,
    ResourceFactory,
    SessionFactory,
    UserFactory,
)

# --- the pages ------------------------------------------------------------------------


HARMLESS = "Plain *text* with a [link](https://ok.example)."


class MarkdownBlocks(HTMLParser):
    """A page's Markdown blocks (elements of class `md` or `md-inline`), each with
    what a browser would run or load inside it, and the same for the rest of the
    page. Sanitized HTML always closes its elements, so depth counting finds each
    block's end."""

    VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "param", "source", "track", "wbr"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[list[str]] = []
        self.outside: list[str] = []
        self._depth = 0

    def _found(self, findings: list[str]) -> None:
        (self.blocks[-1] if self._depth else self.outside).extend(findings)

    def handle_starttag(self, tag, attrs):
        self._found(tag_findings(tag, attrs))
        if self._depth:
            self._depth += tag not in self.VOID
        elif {"md", "md-inline"} & set((dict(attrs).get("class") or "").split()):
            self.blocks.append([])
            self._depth = 1

    def handle_startendtag(self, tag, attrs):
        self._found(tag_findings(tag, attrs))

    def handle_endtag(self, tag):
        if self._depth and tag not in self.VOID:
            self._depth -= 1

    def handle_comment(self, data):
        self._found([f"<!--{data[:40]}-->"])

    def unknown_decl(self, data):
        self._found([f"<![{data[:40]}]>"])

    def handle_pi(self, data):
        self._found([f"<?{data[:40]}>"])


def page_blocks(response) -> MarkdownBlocks:
    assert response.status_code == 200, response.status_code
    parser = MarkdownBlocks()
    parser.feed(response.content.decode())
    parser.close()
    return parser


FIELDS = (
    "Announcement.body@home",
    "Course.overview@home",
    "Course.prerequisites@home",
    "Course.office_hours@home",
    "Session.notes@schedule",
    "Resource.description@resources",
    "Submission.text@hand-in",
    "Submission.text-preview@hand-in",
    "Submission.text@grading",
    "Submission.text-earlier-version@grading",
    "Submission.text@session-responses",
)
# Pages that show every payload at once: what they carry outside their Markdown
# blocks is checked once per page rather than once per payload.
LIST_PAGES = ("schedule", "resources", "session-responses", "grading-versions")


class Shown:
    """What the pages show: the findings of each (field, payload name), and for
    the list pages what they carry outside their Markdown blocks beyond the same
    page with harmless text."""

    def __init__(self) -> None:
        self.findings: dict[str, dict[str, list[str]]] = {field: {} for field in FIELDS}
        self.outside: dict[str, list[str]] = {}

    def attribute(self, fields, names, page: MarkdownBlocks, extra=()) -> None:
        """A page's blocks, in order, are those of these payloads' fields."""
        pairs = [(field, name) for name in names for field in fields]
        if len(page.blocks) != len(pairs):
            problem = f"expected {len(pairs)} Markdown blocks, found {len(page.blocks)}"
            for field, name in pairs:
                self.findings[field][name] = [*extra, problem]
            return
        for (field, name), block in zip(pairs, page.blocks, strict=True):
            self.findings[field][name] = [*extra, *block]


def extra_outside(page: MarkdownBlocks, baseline: MarkdownBlocks) -> list[str]:
    return sorted((Counter(page.outside) - Counter(baseline.outside)).elements())


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(course, user, role=Membership.Role.STUDENT):
    MembershipFactory(course=course, user=user, role=role)
    return user


def show_course_home(shown: Shown, student) -> None:
    """One course per payload, its overview, prerequisites and office hours the
    payload, with one announcement whose body is the payload."""
    fields = FIELDS[:4]
    client = logged_in(student)

    def home(slug: str, text: str) -> MarkdownBlocks:
        course = CourseFactory(slug=slug, overview=text, prerequisites=text, office_hours=text)
        AnnouncementFactory(course=course, body=text)
        member(course, student)
        return page_blocks(client.get(reverse("courses:home", args=[slug])))

    baseline = home("xss-home", HARMLESS)
    for index, (name, payload) in enumerate(CORPUS):
        page = home(f"xss-home-{index}", stored(payload))
        shown.attribute(fields, [name], page, extra_outside(page, baseline))


def show_list_page(shown: Shown, student, page_name: str, field: str, make) -> None:
    """A course page that lists every payload at once, against the same page
    listing one harmless text."""
    client = logged_in(student)
    pages = []
    for slug, texts in (
        (f"xss-{page_name}", [HARMLESS]),
        (f"xss-{page_name}-corpus", [stored(payload) for _, payload in CORPUS]),
    ):
        course = CourseFactory(slug=slug)
        member(course, student)
        make(course, texts)
        pages.append(page_blocks(client.get(reverse(f"courses:{page_name}", args=[slug]))))
    baseline, page = pages
    shown.attribute([field], [name for name, _ in CORPUS], page)
    shown.outside[page_name] = extra_outside(page, baseline)


def sessions_with_notes(course, texts) -> None:
    for index, text in enumerate(texts):
        date = dt.date(2026, 1, 5) + dt.timedelta(days=index)
        SessionFactory(course=course, date=date, notes=text)


def resources_with_descriptions(course, texts) -> None:
    for index, text in enumerate(texts):
        ResourceFactory(course=course, category="Compute", order=index, description=text)


def show_submissions(shown: Shown, student) -> None:
    """Submission text on the student's hand-in page (with a preview of the same
    text), on the TA's grading page, among earlier versions there, and on the
    session's responses page. Those pages go through all of a course's items,
    so each payload's hand-in gets a course of its own."""
    ta = UserFactory(username="xss-ta")
    as_student, as_ta = logged_in(student), logged_in(ta)

    def new_course(slug: str):
        course = CourseFactory(slug=slug)
        member(course, student)
        member(course, ta, Membership.Role.TA)
        return course, GradeComponentFactory(course=course)

    def item_with(component, text: str, session=None):
        item = GradeItemFactory(component=component, accepts_text=True, session=session)
        submission_save(item=item, student=student, text=text)
        return item

    def hand_in(item, text: str) -> MarkdownBlocks:
        url = reverse("grading:work_submit", args=[item.component.course.slug, item.pk])
        return page_blocks(as_student.post(url, {"text": text, "preview": "1"}))

    def grading(item) -> MarkdownBlocks:
        args = [item.component.course.slug, item.pk, student.pk]
        return page_blocks(as_ta.get(reverse("grading:submission_grade", args=args)))

    def hand_in_and_grading(slug: str, text: str) -> tuple[MarkdownBlocks, MarkdownBlocks]:
        _, component = new_course(slug)
        item = item_with(component, text)
        return hand_in(item, text), grading(item)

    hand_in_baseline, grading_baseline = hand_in_and_grading("xss-work", HARMLESS)
    for index, (name, payload) in enumerate(CORPUS):
        hand_in_page, grading_page = hand_in_and_grading(f"xss-work-{index}", stored(payload))
        shown.attribute(
            ["Submission.text@hand-in", "Submission.text-preview@hand-in"],
            [name],
            hand_in_page,
            extra_outside(hand_in_page, hand_in_baseline),
        )
        shown.attribute(
            ["Submission.text@grading"],
            [name],
            grading_page,
            extra_outside(grading_page, grading_baseline),
        )

    # Every response of one session on one page, against a session with one
    # harmless response.
    course, component = new_course("xss-responses")
    pages = []
    for texts in ([HARMLESS], [stored(payload) for _, payload in CORPUS]):
        session = SessionFactory(course=course)
        for text in texts:
            item_with(component, text, session)
        url = reverse("grading:session_responses", args=[course.slug, session.pk])
        pages.append(page_blocks(as_ta.get(url)))
    baseline, page = pages
    shown.attribute(["Submission.text@session-responses"], [n for n, _ in CORPUS], page)
    shown.outside["session-responses"] = extra_outside(page, baseline)

    # A hand-in replaced by each payload in turn: the grading page shows the last
    # one as the submission, then the earlier ones newest first.
    def handed_in_in_turn(texts) -> MarkdownBlocks:
        item = GradeItemFactory(component=component, accepts_text=True)
        submission = Submission(item=item, student=student)
        start = timezone.now() - dt.timedelta(days=1)
        for index, text in enumerate(texts):
            submission.text = text
            submission.submitted_at = start + dt.timedelta(minutes=index)
            submission._history_date = submission.submitted_at
            submission.save()
        return grading(item)

    baseline = handed_in_in_turn([HARMLESS, HARMLESS])
    page = handed_in_in_turn([stored(payload) for _, payload in CORPUS])
    names_newest_first = [name for name, _ in reversed(CORPUS)]
    shown.attribute(["Submission.text-earlier-version@grading"], names_newest_first, page)
    shown.outside["grading-versions"] = extra_outside(page, baseline)


@pytest.fixture(scope="module")
def shown(django_db_setup, django_db_blocker) -> Shown:
    """Every page drawn once, in a transaction rolled back afterwards."""
    result = Shown()
    with django_db_blocker.unblock(), transaction.atomic():
        student = UserFactory(username="xss-student")
        show_course_home(result, student)
        show_list_page(result, student, "schedule", "Session.notes@schedule", sessions_with_notes)
        show_list_page(
            result,
            student,
            "resources",
            "Resource.description@resources",
            resources_with_descriptions,
        )
        show_submissions(result, student)
        transaction.set_rollback(True)
    return result


# The mark makes pytest-django set up the test database, which the fixture uses.
@pytest.mark.django_db
@pytest.mark.parametrize("payload", [name for name, _ in CORPUS])
def test_no_page_shows_active_content(shown, payload):
    """The findings of each field's page for this payload, by field: none."""
    found = {field: shown.findings[field][payload] for field in FIELDS}
    shown_active = [f"{field}: {findings}" for field, findings in found.items() if findings]
    assert not shown_active, f"{payload!r} is active on:\n" + "\n".join(shown_active)


@pytest.mark.django_db
@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_page_has_no_active_content_outside_its_markdown(shown, page):
    assert shown.outside[page] == []
