from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
    content = forms.CharField(widget=forms.HiddenInput, max_length=1_048_576)
    fingerprint = forms.CharField(widget=forms.HiddenInput, max_length=64)


class JoinForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Join code",
        help_text="The code your instructor gave you, for example K7PQ-2MXD.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
