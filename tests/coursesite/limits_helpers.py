"""What the request limit tests share: sizes, the item they hand work in to, what
the database holds (to show a refusal stored nothing), and a page's form fields as a
browser would send them."""

from __future__ import annotations

from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.urls import reverse

from courses.models import Membership, PollAnswer
from grading.models import GradeImport, GradeItem, Score, Submission
from tests.factories import GradeComponentFactory, GradeItemFactory

User = get_user_model()
MB = 1024 * 1024
URLENCODED = "application/x-www-form-urlencoded"


def report_item(course) -> GradeItem:
    """The project's report, which takes text and a file."""
    component = GradeComponentFactory(course=course, name="Project")
    return GradeItemFactory(
        component=component, title="Report", accepts_text=True, accepts_file=True
    )


def stored_state() -> dict:
    """Everything a refused request might have written."""
    return {
        "scores": sorted(
            Score.objects.values_list("item_id", "student_id", "points", "excused", "comment")
        ),
        "score versions": Score.history.count(),
        "submissions": sorted(
            Submission.objects.values_list("item_id", "student_id", "text", "url", "file")
        ),
        "submission versions": Submission.history.count(),
        "imports": GradeImport.objects.count(),
        "memberships": sorted(Membership.objects.values_list("course_id", "user_id", "role")),
        "users": User.objects.count(),
        "poll answers": PollAnswer.objects.count(),
    }


class _FormFields(HTMLParser):
    """The name and value pairs a browser sends for one form of a page."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._inside = attributes.get("id") == self.form_id
        elif not self._inside or "name" not in attributes:
            return
        elif tag == "textarea":
            self._textarea, self._text = attributes["name"], []
        elif tag == "input":
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            if kind not in ("submit", "button", "image", "file"):
                default = "on" if kind in ("checkbox", "radio") else ""
                value = attributes.get("value")
                self.fields.append((attributes["name"], default if value is None else value))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # A browser drops the one line break that may follow <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._inside = False


def form_fields(response, form_id: str) -> list[tuple[str, str]]:
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    assert parser.fields, f"no form #{form_id} on the page"
    return parser.fields


def set_field(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    assert any(key == name for key, _ in fields), name
    return [(key, value if key == name else old) for key, old in fields]


def page_text(response) -> str:
    return response.content.decode()


def _score_post(client, course, item) -> tuple[str, list[tuple[str, str]]]:
    """The score page's form with Alice's points changed to 9, as a browser sends it."""
    url = reverse("grading:item_scores", args=[course.slug, item.pk])
    fields = set_field(form_fields(client.get(url), "score-form"), "scores-0-points", "9")
    return url, fields
