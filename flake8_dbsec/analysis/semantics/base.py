"""What the concerns of :class:`Semantics` share: the module's facts, the
settings, the project view and the per-module caches, plus the look-ups no
single concern owns.

The mixins of this package are parts of one object, not independent
classes: each one reads ``self.facts``, ``self.settings`` and
``self.project`` and calls the others' methods (a write asks whether its
receiver is session-like, a session asks for a qualified name).  This base
declares that shared state once, so each mixin shows what it relies on;
:meth:`Semantics.__init__` sets it.  ``qualified`` (the resolved-name cache
every concern asks through) and the project model's attribute and return
kinds (asked by loggers and authorization) live here for that reason.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, Optional, Tuple

from ...options import Settings
from ..imports import ImportMap
from ..walker import ModuleFacts
from .vocab import Statement, Write

if TYPE_CHECKING:  # pragma: no cover
    from ..project.view import ProjectView

#: "not asked yet" in the qualified-name cache (None is a valid answer)
_UNRESOLVED = object()


class SemanticsBase:
    """The state the mixins share; :class:`Semantics` sets it in ``__init__``."""

    facts: ModuleFacts
    settings: Settings
    #: the project model as this module sees it (None: this file only)
    project: Optional["ProjectView"]
    imports: ImportMap
    #: id(call) -> the write it performs (see :meth:`WritesMixin.write`)
    _writes: Dict[int, Optional[Write]]
    #: module-level functions that return an ORM query (id(def) -> filters)
    _query_helpers: Dict[int, Optional[Statement]]
    _returned_params: Dict[int, Optional[Tuple[str, ast.expr]]]
    #: node -> qualified name
    _qualified: Dict[ast.AST, Optional[str]]

    # -- names ---------------------------------------------------------------

    def qualified(self, node: ast.AST) -> Optional[str]:
        cached = self._qualified.get(node, _UNRESOLVED)
        if cached is not _UNRESOLVED:
            return cached
        value = self.imports.resolve(node)
        self._qualified[node] = value
        return value

    # -- the project model ------------------------------------------------------

    def _project_attr(self, expr: ast.AST) -> str:
        if self.project is None:
            return ""
        return self.project.model.attr_kind(self.project.name(expr))

    def _project_returns(self, func: ast.AST) -> str:
        if self.project is None:
            return ""
        return self.project.model.returns(self.project.name(func))
