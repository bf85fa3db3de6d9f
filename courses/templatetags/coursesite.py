"""Template filters for course text: Markdown rendered, then sanitized."""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to put on a page.

    Course text is written by instructors, but an instructor account can be
    stolen and text can be pasted from anywhere, so nothing executable survives:
    nh3 keeps only the listed tags and attributes and only http(s)/mailto links.
    """
    html = markdown_lib.markdown(text or "", extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    return mark_safe(render_markdown(text))


@register.filter
def minutes(value) -> int:
    """A timedelta in whole minutes (rounded up), for "try again in N minutes"."""
    seconds = value.total_seconds() if value else 0
    return max(1, -(-int(seconds) // 60))


@register.inclusion_tag("courses/course_nav.html", takes_context=True)
def course_nav(context) -> dict:
    """The course's navigation for the person looking (`courses.navigation`)."""
    from courses.navigation import course_nav as links

    match = getattr(context.get("request"), "resolver_match", None)
    return {"links": links(context["access"], match.view_name if match else None)}


@register.filter
def may(access, url_name: str) -> bool:
    """`{% if access|may:"courses:roster" %}`: whether this person may open the
    course page, by the rule of the page's own view."""
    return access is not None and access.may_open(url_name)
