"""What the admin tests share: a page's form and inlines as the browser would post
them back, the errors a page shows, and whether someone has admin access."""

from __future__ import annotations

import html
import re

from django.forms import MultiWidget
from django.test import Client


def form_errors(response) -> list[str]:
    """The error lines the admin form shows above or beside its fields."""
    lists = re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode(), re.S
    )
    return [
        html.unescape(item.strip())
        for block in lists
        for item in re.findall(r"<li>(.*?)</li>", block, re.S)
    ]


def posted(form) -> dict:
    """What the browser sends for a form as it is shown."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        widget = field.widget
        if isinstance(widget, MultiWidget):
            parts = widget.decompress(value)
            for n, part in enumerate(parts):
                data[f"{bound.html_name}_{n}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def page_as_posted(response) -> dict:
    """The whole admin page (form and inlines) as the browser would send it back."""
    data = posted(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(posted(formset.management_form))
        for form in formset.forms:
            data.update(posted(form))
    return data


def inline_row(data: dict, prefix: str, index: int, **values) -> None:
    data[f"{prefix}-TOTAL_FORMS"] = str(max(int(data[f"{prefix}-TOTAL_FORMS"]), index + 1))
    for key, value in values.items():
        data[f"{prefix}-{index}-{key}"] = value


def course_page(client: Client, course) -> tuple[str, dict]:
    path = f"/admin/courses/course/{course.pk}/change/"
    return path, page_as_posted(client.get(path))
