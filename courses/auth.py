"""Logging in with a username or an email address."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    """Django's model backend, which also accepts the account's email address
    (in any letter case) where the username goes. An address shared by two
    accounts logs in neither: the person uses their username instead."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None and "@" in username:
            matches = list(User._default_manager.filter(email__iexact=username)[:2])
            user = matches[0] if len(matches) == 1 else None
        if user is None:
            # Spend the time a password check takes, so a missing account does not
            # answer faster than a wrong password.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


# The longest name django-axes' records hold; no account's username or email is longer.
AXES_USERNAME_MAX_LENGTH = 255


def axes_username(request, credentials) -> str:
    """The name django-axes counts failed logins under: the account's username
    whatever was typed (its email in any letter case included), so typing the
    address differently does not start a fresh count. Anything longer than its
    records hold is cut to fit (no account has such a name)."""
    typed = (credentials or {}).get("username") or request.POST.get("username", "")
    typed = typed[:AXES_USERNAME_MAX_LENGTH]
    if "@" in typed:
        User = get_user_model()
        matches = list(
            User._default_manager.filter(email__iexact=typed).values_list(
                User.USERNAME_FIELD, flat=True
            )[:2]
        )
        if len(matches) == 1:
            return matches[0]
    return typed
