"""Error handling around DB writes: DBS101 DBS102 DBS103 DBS104 DBS602.

All five codes ask the same question from two sides: which ``try`` bodies
hold which DB writes.  The writes of every scope are collected once from the
walker's recorded calls; each write knows its enclosing ``try`` frames
(``Context.tries``, same function only), so "handled" (DBS101/102) and "this
handler guards a write" (DBS103/602) are lookups, not tree walks.  Only a
``try`` body, a handler body or a ``finally`` is walked, never the module.
"""

from __future__ import annotations

import ast
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from ..analysis.names import dotted_name, last_part, receiver
from ..analysis.handlers import (
    ENDING_METHODS,
    body_nodes,
    handler_aborts,
    handler_exits,
    handler_raises,
)
from ..analysis.semantics import Write, handled_by_decorator, label_of, retries_deadlocks
from ..analysis.walker import Context, Scope
from .base import Family

#: handler kinds that catch every DB error (spec: DB error class or broad).
HANDLING_KINDS = ("db", "broad")
#: handler kinds that catch some DB error (integrity-only handlers included).
DB_KINDS = ("db", "broad", "integrity")


class _ScopeWrites:
    """The DB writes of one scope and, per ``try``, the writes in its body
    (``by_try``) and the writes whose DB error reaches its handlers
    (``reaching``: not caught first by an inner ``try`` that handles it)."""

    __slots__ = ("scope", "writes", "by_try", "reaching")

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.writes: List[Tuple[Write, Context]] = []
        self.by_try: Dict[ast.AST, List[Write]] = {}
        self.reaching: Dict[ast.AST, List[Write]] = {}

    def add(
        self, write: Write, ctx: Context, catches: "Callable[[ast.AST], bool]", direct: bool = True
    ) -> None:
        if direct:
            self.writes.append((write, ctx))
        caught = False
        for frame in reversed(ctx.tries):  # innermost first
            if frame.part != "body":
                continue
            self.by_try.setdefault(frame.node, []).append(write)
            if not caught:
                self.reaching.setdefault(frame.node, []).append(write)
                caught = catches(frame.node)


class ErrorHandlingRules(Family):
    codes = ("DBS101", "DBS102", "DBS103", "DBS104", "DBS602")

    def run(self) -> None:
        for scope in self.facts.scopes:
            writes = self._collect_writes(scope)
            # module/class code (scripts, migrations) is not held to DBS101/102
            if scope.is_function and (self.wants("DBS101") or self.wants("DBS102")):
                self._check_unhandled(writes)
            if self.wants("DBS103") or self.wants("DBS602"):
                self._check_handlers(writes)
            if self.wants("DBS104"):
                self._check_dead_handlers(writes)

    def _collect_writes(self, scope: Scope) -> _ScopeWrites:
        found = _ScopeWrites(scope)
        for call, ctx in scope.calls:
            write = self.sem.write(call, scope)
            if write is not None:
                found.add(write, ctx, self._handles_every_db_error)
            elif ctx.tries:
                # a project function that writes: its DB errors reach these
                # handlers (DBS103/DBS602); it is judged where it writes (DBS101)
                helper = self.sem.helper_write(call, scope)
                if helper is not None:
                    found.add(helper, ctx, self._handles_every_db_error, direct=False)
        return found

    def _handles_every_db_error(self, try_node: ast.AST) -> bool:
        """Does this ``try`` keep a DB error from reaching outer handlers: a
        DB-error or broad handler that does not re-raise?"""
        return any(
            self.sem.handler_kind(handler) in HANDLING_KINDS and not handler_raises(handler)
            for handler in getattr(try_node, "handlers", ())
        )

    # -- DBS101 / DBS102 -----------------------------------------------------

    def _check_unhandled(self, found: _ScopeWrites) -> None:
        """Each write needs a DB/broad handler on an enclosing ``try`` body, a
        handling decorator or context manager (configured, or learned by the
        project model), or callers that all handle it."""
        if not found.writes:
            return
        scope = found.scope
        if handled_by_decorator(scope.node, self.settings.handler_decorators):
            return
        decorated = {self.sem.decorator_handles(d) for d in getattr(scope.node, "decorator_list", ())}
        if "db" in decorated:
            return
        retried: Optional[bool] = None
        by_callers: Optional[bool] = None
        for write, ctx in found.writes:
            if self._in_handling_with(ctx, scope) or _delegating_save(write, scope):
                continue
            kinds, labels = self._guards(ctx)
            if "integrity" in decorated:
                kinds.add("integrity")
                labels = labels or ["an integrity-only decorator"]
            if any(kind in HANDLING_KINDS for kind in kinds):
                continue
            if by_callers is None:
                # every resolved call site handles it (spec: project model)
                by_callers = self.sem.handled_by_callers(scope)
            if by_callers:
                continue
            if not kinds and self.sem.integrity_by_callers(scope):
                # its callers guard it with integrity-only handlers
                kinds, labels = {"integrity"}, ["its callers' integrity-only handlers"]
            if "integrity" in kinds:
                if retried is None:
                    # deadlocks re-run the function, integrity errors are
                    # handled here: the designed handling (spec, DBS102 retries)
                    retried = retries_deadlocks(scope.node, scope.parent or scope) or \
                        self.sem.retried_by_callers(scope)
                if not retried:
                    self.report(write.call, "DBS102", what=write.label, handled=", ".join(labels))
            else:
                self.report(write.call, "DBS101", what=write.label)

    def _in_handling_with(self, ctx: Context, scope: Scope) -> bool:
        """Inside ``with <context manager>(...)`` whose block's DB errors are
        handled: a configured one (``--dbsec-handler-context-managers``) or
        one the project defines (mlflow's ``ManagedSessionMaker``)."""
        names = self.settings.handler_context_managers
        for item in ctx.withs:
            expr = item.context_expr
            target = expr.func if isinstance(expr, ast.Call) else expr
            if names and last_part(target) in names:
                return True
            if self.sem.context_manager_handles(expr, scope):
                return True
        return False

    def _guards(self, ctx: Context) -> Tuple[Set[str], List[str]]:
        """Kinds of the DB-related handlers of the ``try`` bodies around a call,
        and the class labels of the integrity-only ones."""
        kinds: Set[str] = set()
        labels: List[str] = []
        for frame in ctx.tries:
            if frame.part != "body":
                continue
            for handler in getattr(frame.node, "handlers", ()):
                kind = self.sem.handler_kind(handler)
                if kind is None:
                    continue
                kinds.add(kind)
                label = self.sem.handler_label(handler)
                if kind == "integrity" and label not in labels:
                    labels.append(label)
        return kinds, labels

    # -- DBS103 / DBS602 -----------------------------------------------------

    def _check_handlers(self, found: _ScopeWrites) -> None:
        for try_node, _ctx in found.scope.tries:
            writes = found.reaching.get(try_node)
            if not writes:
                continue
            for handler in getattr(try_node, "handlers", ()):
                kind = self.sem.handler_kind(handler)
                if kind not in DB_KINDS:
                    continue
                label = self.sem.handler_label(handler)
                if _swallows(handler):
                    # integrity-only ``except DBDuplicateEntry: pass`` is the
                    # deliberate "already exists" idiom: neither DBS103 nor
                    # DBS602 (DBS102 reports the write itself)
                    if kind in HANDLING_KINDS:
                        self.report(handler, "DBS103", handled=label)
                elif self.wants("DBS602") and self._leaves_transaction_open(
                    try_node, handler, writes, found.scope
                ):
                    self.report(handler, "DBS602", handled=label)

    def _leaves_transaction_open(
        self, try_node: ast.AST, handler: ast.ExceptHandler, writes: List[Write], scope: Scope
    ) -> bool:
        manual = [write for write in writes if self.sem.session_managed(write, scope) is False]
        if not manual:
            return False
        if handler_raises(handler) or handler_exits(handler) or handler_aborts(handler, self.facts.imports.resolve):
            return False
        if _ends_the_request(handler, scope) and all(self.sem.ends_with_the_request(w, scope) for w in manual):
            return False  # the request's teardown ends the session (the spec's "scope above")
        cleanup = list(handler.body) + list(getattr(try_node, "finalbody", ()))
        return not self._ends_transaction(cleanup, scope)

    def _ends_transaction(self, statements: List[ast.stmt], scope: Scope) -> bool:
        """Do these statements end the failed transaction: roll back, close
        a session-like object, run ``ROLLBACK`` (``Semantics.ends_transaction_here``),
        or call a project function that does?"""
        return any(
            isinstance(sub, ast.Call)
            and (self.sem.ends_transaction_here(sub, scope) or self.sem.calls_project_rollback(sub, scope))
            for sub in body_nodes(statements))

    # -- DBS104 ----------------------------------------------------------------

    def _check_dead_handlers(self, found: _ScopeWrites) -> None:
        for try_node, _ctx in found.scope.tries:
            if found.by_try.get(try_node):
                continue
            handlers = getattr(try_node, "handlers", ())
            kinds = {self.sem.handler_kind(h) for h in handlers}
            if not kinds & set(DB_KINDS):
                continue
            # a broad handler may be written for the other work of the body;
            # not when it treats what it catches as a DB error
            broad_for_other_work = any(
                self.sem.handler_kind(h) == "broad" and not self._treats_as_db_error(h, found.scope)
                for h in handlers
            )
            staged = self._only_stages(try_node, found.scope, broad=broad_for_other_work)
            if staged:
                self.report(try_node, "DBS104", staged=", ".join(staged))

    def _treats_as_db_error(self, handler: ast.ExceptHandler, scope: Scope) -> bool:
        """Does a handler deal with a DB error: raise a DB error class
        (``raise db_exc.DBError(e)``), roll back or close a session?"""
        for node in body_nodes(handler.body):
            if isinstance(node, ast.Raise) and node.exc is not None:
                exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
                fake = ast.ExceptHandler(type=exc, name=None, body=[])
                if self.sem.handler_kind(fake) in DB_KINDS:
                    return True
            if isinstance(node, ast.Call) and last_part(node.func) in ENDING_METHODS:
                recv = receiver(node)
                if recv is not None and self.sem.is_session_like(recv, scope):
                    return True
        return False

    def _only_stages(self, try_node: ast.AST, scope: Scope, broad: bool = False) -> List[str]:
        """Labels of the staging calls of a try body that can reach the database
        nowhere else; [] when anything in the body might flush, or when a
        broad handler guards other work too (``cache.set(...)`` next to
        ``session.add(obj)``: the handler is written for that work)."""
        staged: List[str] = []
        staging_calls: Set[ast.AST] = set()
        body_calls: List[ast.Call] = []
        for node in body_nodes(getattr(try_node, "body", ())):
            if isinstance(node, (ast.With, ast.AsyncWith)):
                return []  # its exit may commit: ``writer.using(ctx)``
            if isinstance(node, (ast.Yield, ast.YieldFrom)):
                return []  # the consumer runs inside this try and may flush
            if isinstance(node, ast.Call):
                if self.sem.is_staging_call(node, scope):
                    staging_calls.add(node)
                    label = f"{label_of(node.func)}()"
                    if label not in staged:
                        staged.append(label)
                else:
                    body_calls.append(node)
        if not staged:
            return []
        carriers = self._session_carriers(staging_calls)
        if any(self._may_flush(call, scope, carriers) for call in body_calls):
            return []
        if broad and _other_work(body_calls, staging_calls, self.facts.parents):
            return []
        return staged

    @staticmethod
    def _session_carriers(staging_calls: Iterable[ast.AST]) -> Set[str]:
        """Names that carry the staging session: ``context`` in
        ``context.session.add(x)``.  Handing them on may flush too."""
        carriers: Set[str] = set()
        for call in staging_calls:
            name = dotted_name(receiver(call) or call)
            if name and "." in name:
                carriers.add(name.split(".", 1)[0])
        return carriers

    def _may_flush(self, call: ast.Call, scope: Scope, carriers: Set[str]) -> bool:
        """Conservatively: could this call make the session talk to the database?"""
        recv = receiver(call)
        if recv is not None:
            if self.sem.is_session_like(recv, scope):
                return True  # query/execute/get/refresh/begin...: autoflush
            if dotted_name(recv) in carriers:
                return True  # ``self._save_all()`` may use ``self.session``
        arguments = list(call.args) + [kw.value for kw in call.keywords]
        for arg in arguments:
            if isinstance(arg, ast.Starred):
                arg = arg.value
            if self.sem.is_session_like(arg, scope) or dotted_name(arg) in carriers:
                return True
        return False


def _other_work(
    calls: List[ast.Call], staging_calls: Set[ast.AST], parents: Dict[ast.AST, ast.AST]
) -> bool:
    """Does a try body do anything besides building and staging objects?

    Building is a call whose result is staged (``session.add(Model(**v))``,
    ``ref = models.X()``) or a method call on a staged object
    (``ref.update(values)``); any other call is work a broad handler may be
    written for."""
    staged_names = {
        arg.id
        for call in staging_calls
        for arg in getattr(call, "args", ())
        if isinstance(arg, ast.Name)
    }
    for call in calls:
        if _inside_any(call, staging_calls, parents):
            continue
        root = receiver(call)
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        if isinstance(root, ast.Name) and root.id in staged_names:
            continue
        holder = parents.get(call)
        if isinstance(holder, (ast.Assign, ast.AnnAssign)) and holder.value is call:
            targets = holder.targets if isinstance(holder, ast.Assign) else [holder.target]
            if all(isinstance(t, ast.Name) and t.id in staged_names for t in targets):
                continue
        return True
    return False


def _inside_any(node: ast.AST, containers: Set[ast.AST], parents: Dict[ast.AST, ast.AST]) -> bool:
    current = parents.get(node)
    for _ in range(64):
        if current is None or isinstance(current, ast.stmt):
            return False
        if current in containers:
            return True
        current = parents.get(current)
    return False


def _swallows(handler: ast.ExceptHandler) -> bool:
    """Is the handler body only ``pass``/``continue``/``...``/bare return?"""
    return all(_does_nothing(stmt) for stmt in handler.body)


def _does_nothing(stmt: ast.stmt) -> bool:
    if isinstance(stmt, (ast.Pass, ast.Continue)):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return stmt.value.value is Ellipsis or isinstance(stmt.value.value, str)
    if isinstance(stmt, ast.Return):
        return stmt.value is None or (
            isinstance(stmt.value, ast.Constant) and stmt.value.value is None
        )
    return False


def _delegating_save(write: Write, scope: Scope) -> bool:
    """``super().save(...)`` inside an override named ``save``: the override
    only hands the write on, and every call of it is a write reported where
    it is made (Django's and nova's ``save()`` overrides)."""
    recv = write.receiver
    return (
        write.kind == "save"
        and isinstance(recv, ast.Call)
        and isinstance(recv.func, ast.Name)
        and recv.func.id == "super"
        and isinstance(scope.node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and scope.node.name == "save"
    )


def _ends_the_request(handler: ast.ExceptHandler, scope: Scope) -> bool:
    """The handler's last statement returns, and nothing in it reads an
    attribute of an object of the function (``node.participant`` of a
    loaded row is a lazy load through the failed session: dallinger's
    ``PendingRollbackError``): in a request handler, the request ends there
    without using the session again."""
    if not handler.body or not isinstance(handler.body[-1], ast.Return):
        return False
    for node in body_nodes(handler.body):
        if isinstance(node, ast.Attribute):
            root = node.value
            while isinstance(root, (ast.Attribute, ast.Subscript, ast.Call)):
                root = root.value if not isinstance(root, ast.Call) else root.func
            if isinstance(root, ast.Name) and root.id != handler.name and scope.bindings.get(root.id):
                return False  # a local or a parameter of the function: maybe a row
    return True

