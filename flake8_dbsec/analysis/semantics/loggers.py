"""Loggers and masking: which expressions are loggers (configured names,
the ``logging`` module, ``getLogger()`` and adapter results, project
attributes and functions that give one) and which project functions mask
what they are given.

The sensitive-logging family is the only one that asks, and its questions
need the project model but nothing of sessions or statements, so they form
a small concern of their own.
"""

from __future__ import annotations

import ast

from ..names import last_part
from ..walker import Scope
from .base import SemanticsBase


class LoggersMixin(SemanticsBase):
    """Loggers and the project's masking functions."""

    def is_logger(self, expr: ast.AST, scope: Scope, depth: int = 0) -> bool:
        name = last_part(expr)
        if name is None or depth > 4:
            return False
        if name.lower() in self.settings.logger_names:
            return True
        if isinstance(expr, ast.Name):
            if self.qualified(expr) == "logging" and self.imports.is_imported("logging"):
                return True
            binding = scope.lookup(expr.id, expr)
            if binding is not None and isinstance(binding.value, ast.Call):
                factory = last_part(binding.value.func)
                if factory in ("getLogger", "get_logger", "getChild", "LoggerAdapter", "KeywordArgumentAdapter"):
                    return True
                return self._project_returns(binding.value.func) == "logger"
            if (binding is not None and binding.kind == "assign"
                    and isinstance(binding.value, (ast.Name, ast.Attribute))):
                return self.is_logger(binding.value, scope, depth + 1)  # ``foo = LOGGER``
        return self._project_attr(expr) == "logger"

    # -- masking the project defines --------------------------------------------

    def is_project_masking(self, call: ast.Call, scope: Scope) -> bool:
        if self.project is None:
            return False
        return self.project.model.is_masking(self.project.callee(call, scope))
