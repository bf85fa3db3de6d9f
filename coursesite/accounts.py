"""Django's account views, with the throttles a password guesser meets.

- Logging in: failed logins per client address, across usernames, on top of
  django-axes' lockout of one username from one address.
- Password reset: requests per address and per client, whether or not the
  address has an account (the answer reveals nothing either way).
- Changing a password: wrong old passwords per account.

A refused request answers 429 with a ``Retry-After`` header, and the form says
in words when to try again.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.http import HttpResponse

from courses import throttles
from courses.forms import LoginForm

THROTTLED = "throttled"


def _refusal(what: str, seconds: int) -> forms.ValidationError:
    return forms.ValidationError(
        f"{what} Try again {throttles.wait_phrase(seconds)}.",
        code=THROTTLED,
        params={"seconds": seconds},
    )


class ThrottledFormMixin:
    """Answers 429 with Retry-After when the form was refused by a throttle."""

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        for field_errors in form.errors.as_data().values():
            for error in field_errors:
                if error.code == THROTTLED:
                    response.status_code = 429
                    response["Retry-After"] = str(error.params["seconds"])
                    return response
        return response


class ThrottledLoginForm(LoginForm):
    def clean(self):
        address = throttles.client_address(self.request)
        wait = throttles.LOGIN_FAILURES_PER_CLIENT.take(address)
        if wait:
            raise _refusal("Too many failed logins came from your network.", wait)
        cleaned = super().clean()  # a failure stays counted
        throttles.LOGIN_FAILURES_PER_CLIENT.give_back(address)
        return cleaned


class LoginView(ThrottledFormMixin, auth_views.LoginView):
    authentication_form = ThrottledLoginForm


class PasswordResetView(ThrottledFormMixin, auth_views.PasswordResetView):
    def form_valid(self, form) -> HttpResponse:
        request = self.request
        address = form.cleaned_data["email"].casefold()
        wait = throttles.PASSWORD_RESET_PER_CLIENT.take(
            throttles.client_address(request)
        ) or throttles.PASSWORD_RESET_PER_ADDRESS.take(address)
        if wait:
            form.add_error(None, _refusal("Too many password reset requests.", wait))
            return self.form_invalid(form)
        return super().form_valid(form)


class ThrottledPasswordChangeForm(auth_forms.PasswordChangeForm):
    def clean_old_password(self):
        key = str(self.user.pk)
        wait = throttles.PASSWORD_CHECK_PER_USER.take(key)
        if wait:
            raise _refusal("Too many wrong passwords were typed for this account.", wait)
        old_password = super().clean_old_password()  # a wrong one stays counted
        throttles.PASSWORD_CHECK_PER_USER.give_back(key)
        return old_password


class PasswordChangeView(ThrottledFormMixin, auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm
