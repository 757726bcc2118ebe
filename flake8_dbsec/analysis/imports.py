"""Import resolution: what a local name stands for.

``import sqlalchemy as sa`` makes ``sa.update`` resolve to ``sqlalchemy.update``;
``from oslo_db import exception as db_exc`` makes ``db_exc.DBDuplicateEntry``
resolve to ``oslo_db.exception.DBDuplicateEntry``. Imports anywhere in the
module count (function-level imports are common in OpenStack code).
"""

from __future__ import annotations

import ast
from typing import Dict, Optional

from .names import dotted_parts


class ImportMap:
    """Maps local alias -> fully qualified dotted name."""

    __slots__ = ("aliases",)

    def __init__(self) -> None:
        self.aliases: Dict[str, str] = {}

    def add(self, node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".", 1)[0]
                    self.aliases.setdefault(top, top)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = "." * node.level + module
            for alias in node.names:
                if alias.name == "*":
                    continue
                local = alias.asname or alias.name
                # ``from . import models`` -> ".models", not "..models"
                sep = "" if not module or module.endswith(".") else "."
                self.aliases[local] = f"{module}{sep}{alias.name}"

    def resolve(self, node: ast.AST) -> Optional[str]:
        """Qualified name of a Name/Attribute chain, or its plain dotted name.

        Unimported names resolve to themselves, so ``Session`` defined
        locally stays ``Session``.
        """
        parts = dotted_parts(node)
        if not parts:
            return None
        head = self.aliases.get(parts[0])
        if head is not None:
            parts = head.split(".") + parts[1:]
        return ".".join(parts)

    def is_imported(self, name: str) -> bool:
        return name in self.aliases

    def module_of(self, node: ast.AST) -> Optional[str]:
        """The qualified name without its last part (``sa.text`` -> ``sqlalchemy``)."""
        qualified = self.resolve(node)
        if qualified is None or "." not in qualified:
            return None
        return qualified.rsplit(".", 1)[0]
