"""DBS401: SQL text built from non-constant values reaches a SQL sink.

Sinks are ``execute``/``executemany``/``exec_driver_sql``/``executescript``
(first argument) and SQLAlchemy's ``text()``.  The shared
:class:`~flake8_dbsec.analysis.semantics.sqltrace.StringTrace` says whether
and how the SQL text was built from non-constant values.  Only the first call that receives the built string reports it:
``execute(text(f"..."))`` is one finding, at ``text(...)``.
"""

from __future__ import annotations

import ast
from typing import Optional, Tuple

from ..analysis.names import keyword
from ..analysis.semantics import label_of, looks_like_sql
from ..analysis.semantics.sqltrace import StringTrace
from ..analysis.walker import Scope
from .base import Family

CODE = "DBS401"
SINK_METHODS = frozenset({"execute", "executemany", "exec_driver_sql", "executescript"})
SINK_KEYWORDS = ("statement", "sql", "operation")


class SqlInjectionRules(Family):
    """DBS401: SQL built by f-string, ``%``, ``+``, ``.format()`` or ``join``."""

    codes = (CODE,)

    def run(self) -> None:
        if not self.wants(CODE):
            return
        trace = StringTrace(self.sem, self.facts)
        for scope in self.facts.scopes:
            for call, _ctx in scope.calls:
                self._check(call, scope, trace)

    def _check(self, call: ast.Call, scope: Scope, trace: StringTrace) -> None:
        sink = self._sink(call, scope)
        if sink is None:
            return
        label, arg, needs_sql = sink
        how = trace.how_built(arg, scope)
        if not how:
            return
        if needs_sql and not looks_like_sql(trace.head(arg, scope) or ""):
            return
        self.report(call, CODE, how=how, sink=label)

    def _sink(self, call: ast.Call, scope: Scope) -> Optional[Tuple[str, ast.expr, bool]]:
        """(label, SQL argument, must the string look like SQL?) or None."""
        if self.sem.is_text_call(call):
            arg = call.args[0] if call.args else keyword(call, "text")
            return ("text()", arg, False) if arg is not None else None
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in SINK_METHODS:
            return None
        arg = call.args[0] if call.args else None
        for name in SINK_KEYWORDS:
            if arg is None:
                arg = keyword(call, name)
        if arg is None or isinstance(arg, ast.Starred):
            return None
        session_like = self.sem.is_session_like(func.value, scope)
        return f"{label_of(func.value)}.{func.attr}()", arg, not session_like
