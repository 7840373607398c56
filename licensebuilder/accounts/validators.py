"""Password rules beyond Django's own."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class NotOnlySpaces:
    """A password of spaces alone is refused, whatever its length."""

    def validate(self, password: str, user: Any = None) -> None:
        if not password.strip():
            raise ValidationError("Your password cannot be made of spaces only.", code="password_only_spaces")

    def get_help_text(self) -> str:
        return "Your password cannot be made of spaces only."
