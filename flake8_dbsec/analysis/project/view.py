"""The project model as one linted module sees it.

The semantics layer holds one :class:`ProjectView` per file (or none, with
``--dbsec-project-model=off``).  It turns the module's expressions into
project-qualified names (through imports, relative ones included, and the
module's own definitions) and asks the model; ``self.<attr>`` is read
through the enclosing class's definitions.
"""

from __future__ import annotations

import ast
from typing import Optional, Tuple

from ...options import DBAPI_MODULES
from ..walker import ModuleFacts, Scope
from .model import ProjectModel
from .names import ModuleNames

#: the local names a DB-API driver module is imported under
DRIVER_NAMES = frozenset(name.rsplit(".", 1)[-1] for name in DBAPI_MODULES)
#: import targets that already are a driver (``from mysql import connector``)
DRIVER_PREFIXES = tuple(sorted({name.split(".", 1)[0] + "." for name in DBAPI_MODULES}))


class ProjectView(ModuleNames):
    def __init__(self, model: ProjectModel, module: str, facts: ModuleFacts, is_package: bool) -> None:
        super().__init__(facts, module, is_package)
        self.model = model
        self._driver_reexports(facts)

    def _driver_reexports(self, facts: ModuleFacts) -> None:
        """A DB-API driver imported through a project module that re-exports
        it (``from mapproxy.util.sqlite3 import sqlite3``) is the driver:
        the module's import map names the driver itself."""
        rewrites = {}
        for local, target in self.imports.items():
            if local in DRIVER_NAMES and target != local and not target.startswith(DRIVER_PREFIXES):
                external = self.model.reexported_module(target)
                if external:
                    rewrites[local] = external
        if rewrites:
            # the module's own summary (an editor's buffer, a file outside the
            # index) is made from these facts: made first, as from the disk
            self.model.settle_own_summary()
            facts.imports.aliases.update(rewrites)

    def self_member(self, expr: ast.AST, scope: Scope) -> Optional[Tuple[str, str]]:
        """``self.X`` in a method: ("class", dotted) for a class-level binding
        (``model_class = models.Vip``); ("values", newline-separated) for the
        values methods assign it (``"call:f"`` for ``self.X = f(...)``)."""
        if not (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
                and expr.value.id in ("self", "cls")):
            return None
        owner = self.class_qualname(scope)
        if owner is None:
            return None
        value = self.model.class_attr(self.module, owner, expr.attr)
        if value:
            return "class", value
        values = self.model.self_attr(self.module, owner, expr.attr)
        if values:
            return "values", "\n".join(values)
        return None
