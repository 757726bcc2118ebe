"""Database-error handling: which ``except`` clauses catch DB errors (and
whether broad, DB or integrity-only), the project's decorators and context
managers that handle them, whether a function's callers handle or retry its
errors, and the decorators that retry deadlocks
(``wrap_db_retry(retry_on_deadlock=True)``, ``retry_on_deadlock``...).

The error-handling families ask these questions; the project summary asks
``retries_deadlocks`` while it builds the project model, so the questions
that need no module state are module-level functions, and those that need
the settings' error classes or the project model are methods of the mixin.
"""

from __future__ import annotations

import ast
from typing import List, Optional, Set

from ...options import DBAPI_MODULES
from ..handlers import CLOSING_METHODS
from ..names import keyword, last_part, receiver, unwrap_await, walk_bounded
from ..sqltext import rollback_text
from ..walker import Scope, scope_qualname
from .base import SemanticsBase
from .sqlstrings import text_head

#: methods that run SQL text given as their first argument.
TEXT_RUNNERS = frozenset({"execute", "exec_driver_sql", "executescript"})


class ErrorsMixin(SemanticsBase):
    """Exception handlers and what handles or retries a function's DB errors."""

    # -- exception handlers --------------------------------------------------------

    def handler_classes(self, handler: ast.ExceptHandler) -> List[str]:
        """Last parts (alias-resolved) of the classes a handler catches; [] if bare."""
        if handler.type is None:
            return []
        nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names = []
        for node in nodes:
            qualified = self.qualified(node)
            if not qualified and isinstance(node, ast.Attribute):
                # ``_sqlite3().IntegrityError``, ``self.driver.IntegrityError``:
                # the class by its own name (PEP 249's names are the driver's)
                qualified = f"?.{node.attr}"
            names.append(qualified if qualified else "?")
        return names

    def _is_db_error(self, qualified: str) -> bool:
        last = qualified.rsplit(".", 1)[-1]
        if last in self.settings.db_errors:
            return True
        if "." in qualified:
            module = qualified.rsplit(".", 1)[0]
            if module in DBAPI_MODULES or module.startswith("psycopg2.errors") or module.startswith("psycopg.errors"):
                return last.endswith(("Error", "Violation", "Detected", "Exception"))
        return False

    def handler_kind(self, handler: ast.ExceptHandler) -> Optional[str]:
        """broad | db | integrity | None (not a DB-error handler)."""
        if handler.type is None:
            return "broad"
        classes = self.handler_classes(handler)
        lasts = [q.rsplit(".", 1)[-1] for q in classes]
        if any(last in ("Exception", "BaseException") for last in lasts):
            return "broad"
        db = [q for q in classes if self._is_db_error(q)]
        if not db:
            return None
        if len(db) == len(classes) and all(
            q.rsplit(".", 1)[-1] in self.settings.integrity_errors for q in db
        ):
            return "integrity"
        return "db"

    def handler_label(self, handler: ast.ExceptHandler) -> str:
        if handler.type is None:
            return "bare except"
        names = [n.rsplit(".", 1)[-1] for n in self.handler_classes(handler)]
        return ", ".join(names) if names else "?"

    # -- handlers and retries the project defines -------------------------------

    def decorator_handles(self, decorator: ast.AST) -> str:
        """"db"/"integrity" when a decorator defined in the project wraps the
        function in a DB-error handler (keystone's ``handle_conflicts``), or
        is a call of a context manager that handles DB errors (a
        ``@contextmanager`` object is a ``ContextDecorator``: reader's
        ``@wrap_exceptions()``)."""
        if self.project is None:
            return ""
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        return self.project.model.decorator_kind(self.project.name(target))

    def context_manager_handles(self, expr: ast.AST, scope: Scope) -> bool:
        """Does a ``with`` item handle the DB errors of its block: a project
        ``@contextmanager`` or ``__exit__`` that rolls back or translates, also
        through ``self.Maker = make_maker(...)`` (mlflow's ManagedSessionMaker)?"""
        if self.project is None:
            return False
        expr = unwrap_await(expr)
        target = expr.func if isinstance(expr, ast.Call) else expr
        model = self.project.model
        member = self.project.self_member(target, scope)
        if member is not None:
            kind, names = member
            # every value the attribute gets must handle (a store's two makers)
            return all(model.handles_as_context_manager(name) for name in names.split("\n"))
        # ``with self._get_cursor(commit=True) as cur:``: a method of the class (mem0)
        return model.handles_as_context_manager(self.project.method(target, scope) or self.project.name(target))

    def function_name(self, scope: Scope) -> Optional[str]:
        """The project-qualified name of a function scope."""
        if self.project is None or scope.kind != "function":
            return None
        return f"{self.project.module}.{scope_qualname(scope)}"

    def ends_transaction_here(self, call: ast.Call, scope: Scope, savepoints: bool = True) -> bool:
        """Does this call itself end a failed transaction: ``rollback()`` on
        any receiver, ``close()``/``invalidate()`` or an argument-less
        ``remove()`` (a scoped session) on a session-like object, or a
        ``ROLLBACK`` statement run as text?  ``ROLLBACK TO metas`` returns
        the transaction to the savepoint the same code set before its write
        (``savepoints``); a helper that runs it only restores its own."""
        method = last_part(call.func)
        if method == "rollback":
            return True
        if method in CLOSING_METHODS or (method == "remove" and not call.args and not call.keywords):
            recv = receiver(call)
            return recv is not None and self.is_session_like(recv, scope)  # type: ignore[attr-defined]
        if method in TEXT_RUNNERS and call.args:
            text = text_head(call.args[0], scope)
            if text is None and isinstance(call.args[0], ast.Call) and call.args[0].args:
                text = text_head(call.args[0].args[0], scope)  # ``execute(text("ROLLBACK"))``
            return rollback_text(text or "", savepoints)
        return False

    def calls_project_rollback(self, call: ast.Call, scope: Scope) -> bool:
        """A call of a project function that rolls back
        (``ProjectModel.rolls_back``): fittrackee's handlers call
        ``handle_error_and_return_response(e, db=db)``."""
        if self.project is None:
            return False
        return self.project.model.rolls_back(self.project.callee(call, scope))

    def handled_by_callers(self, scope: Scope) -> bool:
        """Every resolved call site of this function is inside a DB-error or
        broad handler (or a function for which that holds, or a route of an
        application with a DB-error handler): its writes are handled there."""
        name = self.function_name(scope)
        if name is None:
            return False
        settings = self.settings
        return self.project.model.function_handled(  # type: ignore[union-attr]
            name, settings.handler_context_managers, settings.handler_decorators
        )

    def integrity_by_callers(self, scope: Scope) -> bool:
        """Every resolved call site sits in a DB-error handler, some only in
        integrity-only ones (``ProjectModel.integrity_by_callers``)."""
        name = self.function_name(scope)
        return name is not None and self.project.model.integrity_by_callers(name)  # type: ignore[union-attr]

    def retried_by_callers(self, scope: Scope) -> bool:
        name = self.function_name(scope)
        return name is not None and self.project.model.function_retried(name)  # type: ignore[union-attr]


#: decorators that re-run the function when the database reports a deadlock
#: (oslo.db, neutron-lib and project equivalents); ``wrap_db_retry`` only when
#: called with ``retry_on_deadlock=True``.
DEADLOCK_RETRY_DECORATORS = frozenset(
    {"retry_on_deadlock", "retry_db_transaction", "retry_db_errors", "retry_if_session_inactive"}
)


#: general-purpose retry decorators (retrying, tenacity, backoff): deadlock
#: retries when their arguments name a deadlock error (``retry*`` too)
GENERIC_RETRY_DECORATORS = frozenset({"on_exception"})
#: the errors a deadlock raises (oslo.db, psycopg2/psycopg)
DEADLOCK_ERRORS = frozenset({"DBDeadlock", "DeadlockDetected"})


def retries_deadlocks(function: ast.AST, scope: Scope) -> bool:
    """Is ``function`` wrapped in a DB retry decorator that retries deadlocks?

    ``@oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)``,
    ``@db_api.retry_on_deadlock``, ``@retry_db_transaction``; also through a
    module-level name bound to one (``_retry = wrap_db_retry(...)``, ``@_retry``).
    """
    for decorator in getattr(function, "decorator_list", ()):
        if _is_deadlock_retry(decorator, scope):
            return True
        if isinstance(decorator, ast.Name):
            binding = scope.lookup(decorator.id, decorator)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                if _is_deadlock_retry(binding.value, scope):
                    return True
    return False


def _is_deadlock_retry(decorator: ast.AST, scope: Scope) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = last_part(target)
    if name in DEADLOCK_RETRY_DECORATORS:
        return True
    if not isinstance(decorator, ast.Call):
        return False
    if name == "wrap_db_retry":
        flag = keyword(decorator, "retry_on_deadlock")
        return isinstance(flag, ast.Constant) and flag.value is True
    if name is not None and (name in GENERIC_RETRY_DECORATORS or name.startswith("retry")):
        return _told_to_retry_deadlocks(decorator, scope)
    return False


def _told_to_retry_deadlocks(call: ast.Call, scope: Scope) -> bool:
    """A generic retry decorator told which errors to retry: an argument
    names a deadlock error class (tenacity's
    ``retry=retry_if_exception_type(DBDeadlock)``, ``backoff.on_exception(
    expo, DBDeadlock)``), or is a predicate of this module that tests for one
    (retrying's ``retry_on_exception=_retry_on_deadlock`` with
    ``isinstance(exc, DBDeadlock)`` in its body)."""
    for arg in list(call.args) + [kw.value for kw in call.keywords]:
        for node in walk_bounded(arg, 200):
            if _names_deadlock(node):
                return True
            if isinstance(node, ast.Name):
                binding = scope.lookup(node.id, node)
                if binding is not None and binding.kind == "def" and any(
                    _names_deadlock(sub) for sub in walk_bounded(binding.node, 2_000)
                ):
                    return True
    return False


def _names_deadlock(node: ast.AST) -> bool:
    return isinstance(node, (ast.Name, ast.Attribute)) and last_part(node) in DEADLOCK_ERRORS


def handled_by_decorator(function: ast.AST, names: Set[str] | frozenset) -> bool:
    if not names or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if last_part(target) in names:
            return True
    return False
