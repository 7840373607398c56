"""Account forms: sign-up that never says whether a name is taken, and account deletion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, UsernameField

from licensebuilder.core import spec as specs


def _plain_text(value: str, what: str) -> str:
    if specs.has_control_characters(value):
        raise forms.ValidationError(f"{what} must not contain control or bidirectional-override characters.")
    return value


class SignupForm(BaseUserCreationForm):
    email = forms.EmailField(
        label="Email address", max_length=254, help_text="We send a link to this address to finish signing up."
    )

    class Meta:
        model = get_user_model()
        fields = ("username", "email")
        field_classes = {"username": UsernameField}

    def clean_username(self) -> str:
        return _plain_text(self.cleaned_data["username"], "The username")

    def clean_email(self) -> str:
        return _plain_text(self.cleaned_data["email"], "The email address").lower()

    def validate_unique(self) -> None:
        # Whether the name is taken is told only to the owner of the email address (views.signup).
        pass


class LoginForm(AuthenticationForm):
    def clean_username(self) -> str:
        # No account has such a name: refused here, it never reaches the login counters or the logs.
        return _plain_text(self.cleaned_data["username"], "The username")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)
    confirm = forms.BooleanField(
        label="I understand that my account and all my drafts, their history, share links and comments "
        "are deleted for good.",
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
