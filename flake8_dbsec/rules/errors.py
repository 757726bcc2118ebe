"""Rule family DBS101 DBS102 DBS103 DBS104 DBS602 (placeholder: being implemented)."""

from __future__ import annotations

from .base import Family


class ErrorHandlingRules(Family):
    codes = ("DBS101", "DBS102", "DBS103", "DBS104", "DBS602", )

    def run(self) -> None:
        return None
