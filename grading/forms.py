from __future__ import annotations

import json
import re

from django import forms
from django.conf import settings
from django.utils.text import get_valid_filename

from grading.domain.text import points_text
from grading.models import GradeItem
from grading.services import score_parse
from grading.services.scores import COMMENT_MAX_LENGTH, token_of


class ScoreRowForm(forms.Form):
    student = forms.IntegerField(widget=forms.HiddenInput)
    was = forms.CharField(widget=forms.HiddenInput, required=False)
    points = forms.CharField(required=False, max_length=40)
    excused = forms.BooleanField(required=False)
    comment = forms.CharField(
        required=False, max_length=COMMENT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 1})
    )

    def __init__(self, *args, item: GradeItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["points"].widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "class": "score-points"}
        )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        parsed = score_parse(self.item, data.get("points") or "")
        if isinstance(parsed, str):
            self.add_error("points", parsed)
            return data
        points, excused = parsed
        excused = excused or data.get("excused", False)
        if excused and points is not None:
            self.add_error("points", "Leave the points empty for an excused student, or untick.")
            return data
        data["new_points"], data["new_excused"] = points, excused
        return data

    @property
    def edited(self) -> bool:
        data = self.cleaned_data
        shown = "EX" if data["new_excused"] else points_text(data["new_points"])
        return token_of(shown, data.get("comment", "")) != data.get("was", "")


# Rows a posted score form may have beyond the course's students: students who
# left the course after the page was drawn come back as rows, and are refused
# one by one ("no longer in the course") rather than the whole form.
ROWS_BEYOND_ROSTER = 100


class BaseScoreFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": (
            "This form has more rows than the course has students, so nothing was "
            "saved. Reload the page and enter the scores again."
        ),
    }

    def __init__(self, *args, item: GradeItem, students: int, **kwargs) -> None:
        self.item = item
        # A posted form is built row by row up to this count, whatever count it
        # claims: a forged one costs no more than the real page, and is refused.
        self.max_num = self.absolute_max = min(students + ROWS_BEYOND_ROSTER, type(self).max_num)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["item"] = self.item
        # Every row is a student's row: even one beyond INITIAL_FORMS must be whole.
        kwargs["empty_permitted"] = False
        return kwargs


# At most 5,000 rows: DATA_UPLOAD_MAX_NUMBER_FIELDS leaves room for five fields each.
ScoreFormSet = forms.formset_factory(
    ScoreRowForm, formset=BaseScoreFormSet, extra=0, max_num=5000, validate_max=True
)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Gradebook CSV",
        help_text="This course's export, or a Canvas gradebook export. At most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ImportConfirmForm(forms.Form):
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


SAFE_FILE_NAME = re.compile(r"^[\w\-. ()]+$")


def _looks_like(extension: str, upload) -> bool:
    """A light check that the content matches the extension, so a renamed
    program or web page is not handed to graders as a PDF."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "zip":
        return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
    if extension in ("ipynb", "txt"):
        data = upload.read()
        upload.seek(0)
        if b"\x00" in data:
            return False
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        if extension == "ipynb":
            try:
                notebook = json.loads(text)
            except (ValueError, RecursionError):
                # Nested past what the parser can follow: no notebook is that deep.
                return False
            return isinstance(notebook, dict) and "cells" in notebook
        return True
    return True  # other types an instructor allows: by extension only


def upload_problem(upload) -> str | None:
    """Why an uploaded file is refused, in words, or None."""
    name = upload.name or ""
    allowed = [t.lower().lstrip(".") for t in settings.SUBMISSION_FILE_TYPES]
    limit_mb = settings.SUBMISSION_MAX_BYTES // (1024 * 1024)
    if upload.size > settings.SUBMISSION_MAX_BYTES:
        return f"The file is larger than {limit_mb} MB."
    if upload.size == 0:
        return "The file is empty."
    if name.startswith(".") or ".." in name or not SAFE_FILE_NAME.match(name) or len(name) > 150:
        return (
            "Rename the file using letters, digits, spaces, dots, dashes and underscores "
            "(for example report.pdf), then upload it again."
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in allowed:
        return f"Upload one of these file types: {', '.join(allowed)}."
    if not _looks_like(extension, upload):
        return f"This file's content is not a .{extension} file."
    return None


class SubmissionForm(forms.Form):
    text = forms.CharField(
        required=False,
        max_length=50_000,
        label="Your response",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Markdown: **bold**, *italic*, lists with -, links as [text](https://…).",
    )
    url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label="Link (https://…)"
    )
    file = forms.FileField(required=False)
    remove_file = forms.BooleanField(required=False, label="Remove the file handed in")

    def __init__(self, *args, item: GradeItem, has_file: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        if not item.accepts_text:
            del self.fields["text"]
        if not item.accepts_url:
            del self.fields["url"]
        if not item.accepts_file:
            del self.fields["file"]
        else:
            types = ", ".join(settings.SUBMISSION_FILE_TYPES)
            limit_mb = settings.SUBMISSION_MAX_BYTES // (1024 * 1024)
            self.fields["file"].help_text = f"{types}; at most {limit_mb} MB."
            self.fields["file"].widget.attrs["accept"] = ",".join(
                f".{t}" for t in settings.SUBMISSION_FILE_TYPES
            )
        if not (item.accepts_file and has_file):
            del self.fields["remove_file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            problem = upload_problem(upload)
            if problem:
                raise forms.ValidationError(problem)
            upload.name = get_valid_filename(upload.name)
        return upload


class SubmissionGradeForm(forms.Form):
    points = forms.CharField(required=False, max_length=40, label="Points")
    apply_late_penalty = forms.BooleanField(required=False, label="Take off the late deduction")
    comment = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The student sees it once the item is released.",
    )

    def __init__(self, *args, item: GradeItem, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["points"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        self.fields[
            "points"
        ].help_text = (
            f"Out of {points_text(item.points_possible)}; EX for excused; empty for not graded."
        )

    def clean(self):
        data = super().clean()
        parsed = score_parse(self.item, data.get("points") or "")
        if isinstance(parsed, str):
            self.add_error("points", parsed)
        else:
            data["new_points"], data["new_excused"] = parsed
        return data
