from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from courses.models import Poll, Session


class LoginForm(AuthenticationForm):
    """Django's login form; the username box also takes an email address."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email"
        self.error_messages["invalid_login"] = (
            "That username or email and password do not match. Passwords are case-sensitive."
        )


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label="Roster CSV",
        help_text="Columns name, email, role (student, ta or instructor); or a registrar or "
        "Canvas roster with Name or Student, and Email or SIS Login ID. At most 1 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class RosterConfirmForm(forms.Form):
    # Room for a 1 MB file even if a browser sends its line breaks as two characters.
    content = forms.CharField(widget=forms.HiddenInput, max_length=2 * 1_048_576, strip=False)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class JoinForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Join code",
        help_text="The code your instructor gave you, for example K7PQ-2MXD.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class PollForm(forms.Form):
    question = forms.CharField(
        max_length=300, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    kind = forms.ChoiceField(choices=Poll.Kind.choices, initial=Poll.Kind.SINGLE)
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One choice per line (2 to 12); leave empty for a short-text poll.",
    )
    session = forms.ModelChoiceField(queryset=Session.objects.none(), required=False)
    anonymous = forms.BooleanField(
        required=False, help_text="No names with the answers, anywhere, even in the CSV."
    )
    results = forms.ChoiceField(
        choices=Poll.Results.choices, initial=Poll.Results.AFTER_CLOSE, label="Results"
    )

    def __init__(self, *args, course, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        sessions = Session.objects.filter(course=course).order_by("date", "start_time")
        self.fields["session"].queryset = sessions
        # The next session by default (else the last one): one query, whichever it is.
        today = course.today()
        listed = list(sessions)
        self.fields["session"].initial = next(
            (s for s in listed if s.date >= today), listed[-1] if listed else None
        )
