"""What the gradebook page tests share: the pages' addresses and the score
entry form as the page draws it and as a browser posts it."""

from __future__ import annotations


def url(course, path=""):
    return f"/courses/{course.slug}/{path}"


def entry_data(rows, *, prefix="scores"):
    """POST data for the item entry form: rows of (student, was, points, excused, comment)."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(len(rows))}
    for n, (student, was, points, excused, comment) in enumerate(rows):
        data[f"{prefix}-{n}-student"] = str(student.pk)
        data[f"{prefix}-{n}-was"] = was
        data[f"{prefix}-{n}-points"] = points
        if excused:
            data[f"{prefix}-{n}-excused"] = "on"
        data[f"{prefix}-{n}-comment"] = comment
    return data
