"""Rule family DBS601 (placeholder: being implemented)."""

from __future__ import annotations

from .base import Family


class ResourceLifetimeRules(Family):
    codes = ("DBS601", )

    def run(self) -> None:
        return None
