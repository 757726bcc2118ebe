"""Rule family DBS201 DBS202 (placeholder: being implemented)."""

from __future__ import annotations

from .base import Family


class SensitiveLoggingRules(Family):
    codes = ("DBS201", "DBS202", )

    def run(self) -> None:
        return None
