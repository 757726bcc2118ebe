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

from ..walker import ModuleFacts, Scope
from .model import ProjectModel
from .names import ModuleNames


class ProjectView(ModuleNames):
    def __init__(self, model: ProjectModel, module: str, facts: ModuleFacts, is_package: bool) -> None:
        super().__init__(facts, module, is_package)
        self.model = model

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
