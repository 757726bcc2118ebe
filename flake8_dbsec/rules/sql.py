"""Rule family DBS401 (placeholder: being implemented)."""

from __future__ import annotations

from .base import Family


class SqlInjectionRules(Family):
    codes = ("DBS401", )

    def run(self) -> None:
        return None
