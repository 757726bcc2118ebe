"""DBS301-DBS304: UPDATE/DELETE whose affected-row count is never consulted.

An UPDATE that matches no row succeeds silently; unless someone looks at
the row count (or at the rows an ``UPDATE ... RETURNING`` gives back), the
change is lost without a trace.  What that means depends on what the
statement targets (spec, "Row identity"):

* rows pinned by key (``WHERE id = :id``, ``uuid IN (...)``): the code
  believes they exist, so zero rows is a lost change: DBS301 (UPDATE),
  DBS303 (DELETE); with a guard as well (equality on a concurrency column,
  or on a state column the statement sets) the guard is inert: DBS302;
* bulk statements (state sweeps, purges, filters on foreign keys or
  timestamps, ``NOT IN``/``!=`` exclusions): zero rows is a normal outcome,
  so only the opt-in policy DBS304 reports them.

"Consulted" follows the spec: the result's ``.rowcount`` is read (in place
or through a local), it is returned, yielded or passed on, its rows are
read, or, for DB-API cursors, ``<cursor>.rowcount`` is read after the
call, or the cursor is then passed to a project function that reads its
``.rowcount`` (the project model's ``counts``).  For ORM bulk ``query(...).update()/.delete()`` the return value is
already the count, so using it in any expression consults it.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from typing import Dict, List, Optional, Tuple

from ..analysis.names import dotted_name
from ..analysis.semantics import Statement, Write
from ..analysis.sqltext import EQ, NE, NOT_IN
from ..analysis.walker import Scope
from .base import Family

#: attributes of a result whose read consults the outcome of the statement.
RESULT_READS = frozenset(
    {
        "rowcount",
        "fetchone",
        "fetchall",
        "fetchmany",
        "first",
        "one",
        "one_or_none",
        "all",
        "scalar",
        "scalars",
        "scalar_one",
        "scalar_one_or_none",
        "mappings",
        "tuples",
        "partitions",
        "returned_defaults",
        "returned_defaults_rows",
        "inserted_primary_key",
        "lastrowid",
    }
)
#: DB-API cursor methods that read the rows of the last statement.
CURSOR_FETCHES = frozenset({"fetchone", "fetchall", "fetchmany"})
#: how far a result may travel through locals (``res = ...; r = res``).
MAX_HOPS = 8
#: how many parents up one use is followed (``return (await (x := ...),)``).
MAX_CLIMB = 32

EXECUTE = "execute"  # result object: only rowcount/rows/passing on consult it
COUNT = "count"  # ORM bulk update/delete: the value *is* the count


def _same_block(owner: ast.AST, first: ast.AST, second: ast.AST) -> bool:
    """Are two children of ``owner`` in the same statement list (``body``,
    ``orelse``, ``finalbody``, a handler's body)?"""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(owner, field, None)
        if isinstance(block, list) and any(s is first for s in block):
            return any(s is second for s in block)
    return False


class RowcountRules(Family):
    """Find UPDATE/DELETE calls whose row count nobody looks at."""

    codes = ("DBS301", "DBS302", "DBS303", "DBS304")

    def __init__(self, analysis) -> None:  # type: ignore[no-untyped-def]
        super().__init__(analysis)
        #: (scope, receiver text) -> sorted positions of ``.rowcount`` reads
        #: and of fetch reads; built once, so N executes on one cursor cost
        #: N log N, not N squared.
        self._cursor_reads: Dict[Tuple[int, str], Tuple[List[Tuple[int, int]], ...]] = {}

    def run(self) -> None:
        for scope in self.facts.scopes:
            for call, _ctx in scope.calls:
                self._check_call(call, scope)

    # -- one call ----------------------------------------------------------

    def _check_call(self, call: ast.Call, scope: Scope) -> None:
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if method not in ("execute", "exec_driver_sql", "update", "delete"):
            return
        write = self.sem.write(call, scope)
        if write is None or write.statement is None or self.sem.updates_by_primary_key(call, write.statement):
            return
        code, fields = self._code_for(write.statement)
        if code is None or not self.wants(code):
            return
        if self._consulted(write, scope):
            return
        self.report(call, code, **fields)

    def _code_for(self, stmt: Statement) -> Tuple[Optional[str], Dict[str, str]]:
        """DBS302 (guarded), DBS301/DBS303 (pinned by key), DBS304 (bulk), or None."""
        if stmt.kind not in ("update", "delete"):
            return None, {}
        key = self.sem.row_identity(stmt)
        if key is None:
            return "DBS304", {"statement": stmt.kind.upper()}
        if stmt.kind == "delete":
            return "DBS303", {"column": key}
        guard = self._guard_column(stmt)
        if guard is not None:
            return "DBS302", {"column": guard}
        return "DBS301", {"column": key}

    def _guard_column(self, stmt: Statement) -> Optional[str]:
        """The WHERE column that makes this UPDATE a compare-and-swap: equality
        on a concurrency column, or equality on a state column that the same
        statement sets.  Exclusions (``!=``, ``NOT IN``) and ranges are no guard,
        nor an equality that is an alternative of an exclusion on the same
        column (``state NOT IN (...) OR state IS NULL``);
        ``etag = :seen OR etag IS NULL`` still is (the row identity that
        :meth:`Semantics.row_identity` requires is never an alternative)."""
        pattern = self.settings.concurrency_pattern
        # ``state NOT IN (...) OR state IS NULL`` excludes states: its
        # ``IS NULL`` alternative is no compare-and-swap on that column
        excluded = {c.column for c in stmt.where if c.disjunct and c.op in (NE, NOT_IN)}
        pinned = [c.column for c in stmt.where
                  if c.op == EQ and not (c.disjunct and c.column in excluded)]
        keys = self.sem.model_keys(stmt)
        versions = set(keys[2]) if keys else set()  # the model's version_id_col
        for column in pinned:
            if pattern.search(column) or column in versions:
                return column
        moved = {c.lower() for c in stmt.set_columns}
        for column in pinned:
            if column.lower() in self.settings.state_columns and column.lower() in moved:
                return column
        return None

    # -- consulted? ------------------------------------------------------------

    def _consulted(self, write: Write, scope: Scope) -> bool:
        mode = COUNT if write.kind.startswith("query-") else EXECUTE
        if self._value_consulted(write.call, scope, mode, 0):
            return True
        if mode == EXECUTE and write.receiver is not None:
            return self._cursor_consulted(write, scope)
        return False

    def _value_consulted(self, node: ast.AST, scope: Scope, mode: str, hops: int) -> bool:
        """Is the value of ``node`` consulted where it is used?

        Climbs through wrappers that pass the value along unchanged
        (``await``, walrus, tuples, conditional expressions, comprehension
        elements) to the place that decides.
        """
        parents = self.facts.parents
        for _ in range(MAX_CLIMB):
            parent = parents.get(node)
            if parent is None:
                return False
            verdict = self._use_verdict(node, parent, scope, mode, hops)
            if verdict is not None:
                return verdict
            node = parent
        return True  # too deep to judge: stay quiet

    def _use_verdict(  # noqa: C901 - one flat dispatch over AST node types
        self, node: ast.AST, parent: ast.AST, scope: Scope, mode: str, hops: int
    ) -> Optional[bool]:
        """True/False when ``parent`` decides; None to keep climbing."""
        if isinstance(parent, ast.Expr):
            return False
        if isinstance(parent, (ast.Await, ast.Starred, ast.Tuple, ast.List, ast.Set, ast.BoolOp)):
            return None  # the value travels on (``a or session.execute(s)``)
        if isinstance(parent, ast.IfExp):
            return False if node is parent.test else None
        if isinstance(parent, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return None  # the element's fate is the comprehension's
        if isinstance(parent, ast.comprehension):
            return True  # iterated: rows are read
        if isinstance(parent, ast.NamedExpr):
            if self._name_consulted(parent.target, parent, scope, mode, hops):
                return True
            return None
        if isinstance(parent, (ast.Assign, ast.AnnAssign)):
            return self._assign_consulted(parent, scope, mode, hops)
        if isinstance(parent, ast.withitem):
            target = parent.optional_vars
            if isinstance(target, ast.Name):
                return self._name_consulted(target, parent, scope, mode, hops)
            return target is not None
        if mode == COUNT:
            return True  # the count is used in an expression
        if isinstance(parent, ast.Attribute):
            return parent.attr in RESULT_READS
        if isinstance(parent, (ast.Compare, ast.UnaryOp)):
            return False  # truthiness / identity of a result object
        if isinstance(parent, (ast.If, ast.While, ast.Assert)):
            return False
        return True  # returned, yielded, passed on, iterated, stored, indexed...

    def _assign_consulted(self, assign: ast.AST, scope: Scope, mode: str, hops: int) -> bool:
        targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
        for target in targets:
            if not isinstance(target, ast.Name):
                return True  # stored on an object or in a container: passed on
            if self._name_consulted(target, assign, scope, mode, hops):
                return True
        return False

    def _name_consulted(
        self, target: ast.Name, binder: ast.AST, scope: Scope, mode: str, hops: int
    ) -> bool:
        """Is a later load of ``target`` (still bound by ``binder``) a consultation?"""
        if hops >= MAX_HOPS:
            return True
        for load in scope.loads_after(target.id, binder):
            if self._rebound_on_every_path(target.id, binder, load, scope):
                continue  # a different value by the time of this load
            if mode == COUNT or self._value_consulted(load, scope, mode, hops + 1):
                return True
        return False

    def _rebound_on_every_path(self, name: str, binder: ast.AST, load: ast.Name, scope: Scope) -> bool:
        """Does a later binding of ``name`` run on every path from ``binder``
        to ``load``?  The nearest binding before the load does when its block
        also holds the load; one in an ``if``/``else`` branch (or handler) that
        the load sits after does not: ``if a: n = q.update() else: n =
        p.update()`` then ``use(n)`` reads both counts (spec: consultation is
        flow-sensitive).  Bindings further back are shadowed by that one."""
        binding = scope.binding_before(name, load)
        if binding is None or binding.node is binder:
            return False
        return self._block_holds(binding.node, load)

    def _block_holds(self, node: ast.AST, later: ast.AST) -> bool:
        """Is ``later`` in the statement block that ``node``'s statement belongs
        to (or nested in a statement that follows it there)?"""
        parents = self.facts.parents
        statement = self.facts.enclosing_statement(node)
        block_owner = parents.get(statement)
        current: ast.AST = later
        for _ in range(MAX_CLIMB * 4):
            parent = parents.get(current)
            if parent is None:
                return False
            if parent is block_owner and _same_block(parent, statement, current):
                return True
            current = parent
        return False

    def _cursor_consulted(self, write: Write, scope: Scope) -> bool:
        """DB-API style: ``<cursor>.rowcount`` (or a fetch after RETURNING) read later."""
        text = dotted_name(write.receiver) if write.receiver is not None else None
        if not text:
            return False
        rowcounts, fetches, handoffs = self._reads_of(text, scope)
        after = (
            getattr(write.call, "end_lineno", None) or write.call.lineno,
            getattr(write.call, "end_col_offset", None) or 0,
        )
        if bisect_right(rowcounts, after) < len(rowcounts):
            return True
        if bisect_right(handoffs, after) < len(handoffs):
            return True  # ``rowcount_exactly_one(cursor, ...)``
        returning = write.statement is not None and write.statement.returning
        return returning and bisect_right(fetches, after) < len(fetches)

    def _reads_of(self, text: str, scope: Scope) -> Tuple[List[Tuple[int, int]], ...]:
        """Positions of ``<text>.rowcount`` and ``<text>.<fetch>`` reads in
        ``scope``, and of calls that pass a plain-name ``text`` to a project
        function that reads its ``.rowcount`` (the project model's
        ``counts``)."""
        key = (id(scope), text)
        cached = self._cursor_reads.get(key)
        if cached is not None:
            return cached
        rowcounts: List[Tuple[int, int]] = []
        fetches: List[Tuple[int, int]] = []
        handoffs: List[Tuple[int, int]] = []
        parents = self.facts.parents
        depth = text.count(".") + 1
        for load in scope.loads.get(text.split(".", 1)[0], ()):
            call = parents.get(load)
            if (depth == 1 and isinstance(call, ast.Call) and call.func is not load
                    and self.sem.reads_count_of_argument(call, load, scope)):
                handoffs.append((load.lineno, load.col_offset))
                continue
            node: ast.AST = load
            for _ in range(depth):
                parent = parents.get(node)
                if not isinstance(parent, ast.Attribute) or parent.value is not node:
                    break
                node = parent
            if not isinstance(node, ast.Attribute) or dotted_name(node.value) != text:
                continue
            position = (load.lineno, load.col_offset)
            if node.attr == "rowcount":
                rowcounts.append(position)
            elif node.attr in CURSOR_FETCHES:
                fetches.append(position)
        rowcounts.sort()
        fetches.sort()
        handoffs.sort()
        self._cursor_reads[key] = (rowcounts, fetches, handoffs)
        return rowcounts, fetches, handoffs
