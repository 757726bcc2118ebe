"""What a fetched row's column holds, read from the SELECT that produced it.

``for oid, name in cur.fetchall()`` after ``cur.execute("SELECT c.oid,
c.relname FROM pg_catalog.pg_class c ...")``: ``oid`` is a catalog OID, a
number, and SQL text built from it can only hold digits (pgspecial splices
it into a dozen follow-up queries).  The SQL-injection trace and the
project model's call-site arguments ask :func:`fetched_number`.  Only what
the statement's own text says counts (``sqltext.numeric_select_columns``):
a column's type in a table definition is not read.
"""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from ..names import dotted_name, last_part
from ..sqltext import numeric_select_columns
from ..walker import Binding, ModuleFacts, Scope
from .sqlstrings import text_head

#: cursor methods that hand back the rows of the last statement.
FETCH_METHODS = frozenset({"fetchall", "fetchmany", "fetchone"})
#: cursor methods that run a statement (their own result iterates its rows
#: in sqlite3 and aiosqlite).
EXECUTE_METHODS = frozenset({"execute"})


def fetched_number(binding: Binding, scope: Scope, facts: ModuleFacts) -> bool:
    """Is the name bound by unpacking a fetched row (``for a, b in
    cur.fetchall()``, ``a, b = cur.fetchone()``, ``for a, b in cur``) at a
    column that the cursor's statements before it all return as a number?
    Every ``execute`` on that cursor earlier in the function counts, so
    statements in two branches must agree."""
    found = _unpacked_row(binding, facts)
    if found is None:
        return False
    rows, index = found
    statements = _statements_of(rows, scope)
    return bool(statements) and all(_numeric_column(statement, index, scope) for statement in statements)


def _numeric_column(statement: ast.Call, index: int, scope: Scope) -> bool:
    if not statement.args:
        return False
    columns = numeric_select_columns(text_head(statement.args[0], scope) or "")
    return index < len(columns) and columns[index]


def _unpacked_row(binding: Binding, facts: ModuleFacts) -> Optional[Tuple[ast.expr, int]]:
    """(what the row comes from, the name's column) for a name unpacked
    from a tuple that is a loop target or an assignment's only target."""
    target = binding.node
    if not isinstance(target, ast.Tuple):
        return None
    index = _position(target.elts, binding.name)
    if index is None:
        return None
    holder = facts.parent(target)
    if isinstance(holder, (ast.For, ast.AsyncFor, ast.comprehension)) and holder.target is target:
        return holder.iter, index
    if (isinstance(holder, ast.Assign) and len(holder.targets) == 1 and holder.targets[0] is target
            and isinstance(holder.value, ast.Call) and last_part(holder.value.func) == "fetchone"):
        return holder.value, index
    return None


def _position(elements: List[ast.expr], name: str) -> Optional[int]:
    for index, element in enumerate(elements):
        if isinstance(element, ast.Starred):
            return None  # the columns after it shift with the row's length
        if isinstance(element, ast.Name) and element.id == name:
            return index
    return None


def _statements_of(rows: ast.expr, scope: Scope) -> List[ast.Call]:
    """The ``execute`` calls whose rows ``rows`` may yield: the call itself,
    or every ``cursor.execute(...)`` before a fetch from (or a loop over)
    the same cursor in the same function."""
    if isinstance(rows, ast.Call) and last_part(rows.func) in EXECUTE_METHODS:
        return [rows]
    cursor: ast.expr = rows
    if isinstance(rows, ast.Call):
        if not isinstance(rows.func, ast.Attribute) or rows.func.attr not in FETCH_METHODS:
            return []
        cursor = rows.func.value
        if isinstance(cursor, ast.Call) and last_part(cursor.func) in EXECUTE_METHODS:
            return [cursor]  # ``cur.execute("SELECT ...").fetchone()``
    key = dotted_name(cursor)  # ``cur`` or ``self.cur``, named the same way each time
    if key is None:
        return []
    at = (rows.lineno, rows.col_offset)
    return [call for call, _ctx in scope.calls
            if isinstance(call.func, ast.Attribute) and call.func.attr in EXECUTE_METHODS
            and (call.lineno, call.col_offset) < at and dotted_name(call.func.value) == key]

