"""Rule family DBS501 (placeholder: being implemented)."""

from __future__ import annotations

from .base import Family


class HardcodedPasswordRules(Family):
    codes = ("DBS501", )

    def run(self) -> None:
        return None
