"""What database code means: sessions, writes, statements, error classes, loggers.

This is the vocabulary of ``dbsec-spec.md`` in code.  Every rule family asks
these questions through one :class:`Semantics` object per module; answers
follow local variables through :mod:`..walker` bindings (bounded depth, no
recursion into unbounded structures).

The answers are split by concern, one module each: :mod:`.vocab` (the
names and the :class:`Statement`/:class:`Write` shapes), :mod:`.sqlstrings`
(SQL text in Python strings), and one mixin per question family --
:mod:`.sessions`, :mod:`.statements`, :mod:`.writes`, :mod:`.errors`,
:mod:`.loggers`, :mod:`.authz` -- over the shared state of :mod:`.base`;
:mod:`.values` holds pure answers about a value's provenance (a number, a
UUID, random text) that the SQL and logging families share.
:class:`Semantics` composes them and owns that state; every name other
modules import from ``flake8_dbsec.analysis.semantics`` is re-exported here.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Dict, Optional, Tuple

from ...options import Settings
from ..walker import ModuleFacts
from .authz import AuthzMixin
from .errors import (
    DEADLOCK_RETRY_DECORATORS,
    ErrorsMixin,
    handled_by_decorator,
    retries_deadlocks,
)
from .loggers import LoggersMixin
from .sessions import SessionsMixin
from .sqlstrings import (
    NUMERIC_CONVERSIONS,
    Spec,
    flatten_add,
    looks_like_sql,
    percent_conversions,
    percent_format,
    sql_kind,
    string_head,
    string_template,
)
from .statements import FORWARDED_FILTERS, StatementsMixin
from .vocab import (
    DML_KINDS,
    ENGINE_NAME,
    EXECUTE_METHODS,
    NON_DB_SAVE_MODULES,
    QUERY_CHAIN,
    ROW_METHODS,
    SA_MODULE_PREFIXES,
    SCOPED_FACTORIES,
    SESSION_CLASSES,
    SESSIONMAKERS,
    SQL_STATEMENT_FUNCS,
    SQL_WORDS,
    STAGING_METHODS,
    STATEMENT_CHAIN,
    Statement,
    Write,
)
from .writes import WritesMixin, label_of

if TYPE_CHECKING:  # pragma: no cover
    from ..project.view import ProjectView

__all__ = [
    "DEADLOCK_RETRY_DECORATORS",
    "DML_KINDS",
    "ENGINE_NAME",
    "EXECUTE_METHODS",
    "FORWARDED_FILTERS",
    "NON_DB_SAVE_MODULES",
    "NUMERIC_CONVERSIONS",
    "QUERY_CHAIN",
    "ROW_METHODS",
    "SA_MODULE_PREFIXES",
    "SCOPED_FACTORIES",
    "SESSION_CLASSES",
    "SESSIONMAKERS",
    "SQL_STATEMENT_FUNCS",
    "SQL_WORDS",
    "STAGING_METHODS",
    "STATEMENT_CHAIN",
    "Semantics",
    "Spec",
    "Statement",
    "Write",
    "flatten_add",
    "handled_by_decorator",
    "label_of",
    "looks_like_sql",
    "percent_conversions",
    "percent_format",
    "retries_deadlocks",
    "sql_kind",
    "string_head",
    "string_template",
]


class Semantics(SessionsMixin, StatementsMixin, WritesMixin, ErrorsMixin, LoggersMixin, AuthzMixin):
    """Answers the spec's vocabulary questions for one module."""

    def __init__(self, facts: ModuleFacts, settings: Settings, project: Optional["ProjectView"] = None) -> None:
        self.facts = facts
        self.settings = settings
        #: the project model as this module sees it (None: this file only)
        self.project = project
        self.imports = facts.imports
        self._writes: Dict[int, Optional[Write]] = {}
        #: module-level functions that return an ORM query (id(def) -> filters)
        self._query_helpers: Dict[int, Optional[Statement]] = {}
        #: per hook function: the parameter every return gives back
        self._returned_params: Dict[int, Optional[Tuple[str, ast.expr]]] = {}
        #: node -> qualified name: every family asks about the same calls (keyed
        #: by the node itself, whose hash is its identity: no tuple per entry)
        self._qualified: Dict[ast.AST, Optional[str]] = {}
