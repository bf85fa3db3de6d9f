"""The admin of polls: written and edited through `courses.services.polls`, with the
promises an answered poll keeps, and its history."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from courses.admin.scope import CourseScopedAdminMixin
from courses.models import Poll, PollAnswer, PollChoice
from courses.services import polls


class PollAdminForm(forms.ModelForm):
    """The poll's own fields, checked by the poll rules (`courses.services.polls`); its
    choices are checked by `PollChoiceFormSet`, and both are saved in one call
    to the poll services."""

    class Meta:
        model = Poll
        fields = ["course", "session", "question", "kind", "anonymous", "results"]

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        course = cleaned.get("course") or (instance.course if instance.course_id else None)
        before = Poll.objects.filter(pk=instance.pk).first() if instance.pk else None
        problems = polls.poll_problems(
            before=before,
            answered=bool(before) and PollAnswer.objects.filter(poll=before).exists(),
            course=course,
            question=cleaned.get("question", instance.question),
            kind=cleaned.get("kind", instance.kind),
            session=cleaned.get("session"),
            anonymous=cleaned.get("anonymous", instance.anonymous),
            results=cleaned.get("results", instance.results),
        )
        for name, message in problems.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


class PollChoiceFormSet(BaseInlineFormSet):
    def edits(self) -> list[polls.ChoiceEdit]:
        """The choices as the form leaves them, deleted ones left out."""
        return [
            polls.ChoiceEdit(
                text=form.cleaned_data["text"],
                order=form.cleaned_data.get("order") or 0,
                id=form.instance.pk,
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        poll = self.instance  # with the kind just chosen on the poll's form
        before = Poll.objects.filter(pk=poll.pk).first() if poll.pk else None
        problem = polls.poll_choices_problem(
            before=before,
            answered=bool(before) and PollAnswer.objects.filter(poll=before).exists(),
            kind=poll.kind,
            choices=self.edits(),
        )
        if problem:
            raise forms.ValidationError(problem)


class PollChoiceInline(admin.TabularInline):
    model = PollChoice
    formset = PollChoiceFormSet
    extra = 3
    fields = ["order", "text"]


@admin.register(Poll)
class PollAdmin(CourseScopedAdminMixin, SimpleHistoryAdmin):
    """Polls are written through `courses.services.polls` (`poll_create`, `poll_update`),
    so the admin keeps the same promises as the poll pages: once a poll has
    answers it stays anonymous, shows its results no more widely, and keeps
    its question, kind and choices. Opening and closing go through
    `poll_state_set`, like the buttons on the poll page. The history page shows
    who changed what."""

    form = PollAdminForm
    list_display = ["question", "course", "session", "kind", "state", "anonymous"]
    list_filter = ["course", "state", "kind"]
    search_fields = ["question"]
    fields = ["course", "session", "question", "kind", "anonymous", "results", "state"]
    readonly_fields = ["state"]
    inlines = [PollChoiceInline]
    actions = ["open_polls", "close_polls"]
    history_list_display = ["question", "kind", "anonymous", "results", "state"]

    def save_model(self, request, obj: Poll, form, change: bool) -> None:
        # Nothing yet: the poll is written with its choices in `save_related`.
        pass

    def save_related(self, request, form, formsets, change: bool) -> None:
        choices = next(fs for fs in formsets if fs.model is PollChoice)
        edits = choices.edits()
        choices.save(commit=False)  # no write: fills the lists the change message names
        data, obj = form.cleaned_data, form.instance
        if not change:
            poll = polls.poll_create(
                course=obj.course,
                question=data["question"],
                kind=data["kind"],
                choices=[edit.text for edit in sorted(edits, key=lambda e: e.order)],
                session=data.get("session"),
                anonymous=data.get("anonymous", False),
                results=data["results"],
            )
            obj.pk = poll.pk
            return
        try:
            polls.poll_update(
                poll=obj,
                question=data.get("question", obj.question),
                kind=data.get("kind", obj.kind),
                session=data.get("session"),
                anonymous=data.get("anonymous", False),
                results=data.get("results", obj.results),
                choices=edits,
            )
        except polls.PollError as error:
            # Only an answer that arrived after the form was checked gets here.
            self.message_user(request, f"Nothing was changed: {error}", messages.ERROR)

    def _set_state(self, request: HttpRequest, queryset: QuerySet, state: str) -> None:
        done = 0
        for poll in queryset:
            try:
                polls.poll_state_set(poll=poll, state=state)
                done += 1
            except polls.PollError as error:
                self.message_user(request, f"{poll}: {error}", messages.WARNING)
        self.message_user(request, f"{done} poll(s) {state}.", messages.SUCCESS)

    @admin.action(description="Open the selected polls")
    def open_polls(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, Poll.State.OPEN)

    @admin.action(description="Close the selected polls")
    def close_polls(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_state(request, queryset, Poll.State.CLOSED)
