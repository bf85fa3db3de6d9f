"""What the roster tests share: the pages' addresses, roster files, the upload and
confirm steps as a browser sends them, and reading what the pages sent back."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Membership

User = get_user_model()

ROSTER = "/courses/cis6200/roster/"
IMPORT = "/courses/cis6200/roster/import/"
JOIN_CODE = "/courses/cis6200/roster/join-code/"
INVITE_LINK = re.compile(r"https?://[^\s/]+/accounts/reset/(?P<uid>[\w-]+)/(?P<token>[\w-]+)/")
SUBJECT = "You are invited to CIS6200: Deep Learning at Scale"

STUDENT = Membership.Role.STUDENT
TA = Membership.Role.TA
INSTRUCTOR = Membership.Role.INSTRUCTOR


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def upload(client, content: bytes, name: str = "roster.csv"):
    """Upload a roster on the roster page; the answer is the page with its preview."""
    return client.post(ROSTER, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


class _HiddenFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "input" and attributes.get("type") == "hidden":
            self.values[attributes.get("name", "")] = attributes.get("value") or ""


def confirm_fields(preview) -> dict[str, str]:
    """The hidden fields of the preview's confirm button, as a browser would send them."""
    parser = _HiddenFields()
    parser.feed(preview.content.decode())
    assert "content" in parser.values, "the preview has no confirm button"
    return {"content": parser.values["content"], "fingerprint": parser.values["fingerprint"]}


def confirm(client, fields: dict[str, str], capture):
    """Press confirm; invitation emails go out once the import has committed."""
    with capture(execute=True):
        return client.post(IMPORT, fields, follow=True)


def forced_fields(preview) -> dict[str, str]:
    """What a confirm would carry for a preview that shows no confirm button."""
    initial = preview.context["confirm"].initial
    return {"content": initial["content"], "fingerprint": initial["fingerprint"]}


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def messages_shown(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def roles(course) -> dict[str, str]:
    return dict(
        Membership.objects.filter(course=course).values_list("user__username", "role").order_by()
    )


def state(course) -> tuple:
    """Everything an import could change: accounts, memberships, staff flags."""
    return (
        sorted(User.objects.values_list("username", "email", "is_staff")),
        sorted(roles(course).items()),
    )
