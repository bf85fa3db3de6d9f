from __future__ import annotations

import hashlib

from django import forms

from .models import GradeItem, Score
from .selectors import mark_text, points_text
from .services import score_parse
from .services.scores import COMMENT_MAX_LENGTH


def score_token(points_text: str, comment: str) -> str:
    """What a row showed when the page was drawn; a row whose token no longer
    matches the database was changed by someone else in the meantime."""
    digest = hashlib.sha256(comment.encode()).hexdigest()[:16]
    return f"{points_text}|{digest}"


def stored_token(score: Score | None) -> str:
    return score_token(mark_text(score), score.comment if score else "")


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
        return score_token(shown, data.get("comment", "")) != data.get("was", "")


class BaseScoreFormSet(forms.BaseFormSet):
    def __init__(self, *args, item: GradeItem, **kwargs) -> None:
        self.item = item
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["item"] = self.item
        return kwargs


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
