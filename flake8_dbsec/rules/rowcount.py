"""Rule family DBS301 DBS302 DBS303 (placeholder: being implemented)."""

from __future__ import annotations

from .base import Family


class RowcountRules(Family):
    codes = ("DBS301", "DBS302", "DBS303", )

    def run(self) -> None:
        return None
