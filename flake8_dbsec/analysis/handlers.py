"""What an ``except`` handler does with the error it catches.

Shared by the error-handling rules (DBS103/DBS602: does it re-raise?) and
the project model (does a decorator or context manager *handle* DB errors,
or only log and re-raise them?).
"""

from __future__ import annotations

import ast

from typing import Callable, Iterator, List, Optional

from .names import SCOPE_NODES, dotted_name, last_part, walk_same_scope

#: calls that end a failed transaction
CLOSING_METHODS = frozenset({"close", "invalidate"})
ENDING_METHODS = CLOSING_METHODS | {"rollback"}
#: calls that re-raise the exception being handled (oslo.utils' idiom:
#: ``with excutils.save_and_reraise_exception():`` re-raises at its exit)
RERAISE_CALLS = frozenset({"save_and_reraise_exception", "reraise"})
#: calls that end the process: ``SystemExit`` unwinds every ``with`` (their
#: sessions roll back), ``os._exit``/``os.abort`` drop the connection
EXIT_CALLS = frozenset({"sys.exit", "exit", "quit", "os._exit", "os.abort"})
#: web frameworks' ``abort(status, ...)``: it always raises an HTTP error, a
#: domain error that ends the request (the spec's "raising a domain error")
ABORT_CALLS = frozenset({"flask.abort", "quart.abort", "werkzeug.exceptions.abort",
                         "pecan.abort", "bottle.abort"})
#: how many nodes of one handler body are looked at
BODY_LIMIT = 20_000


def body_nodes(statements: List[ast.stmt]) -> Iterator[ast.AST]:
    """Nodes of a statement list that run here (nested ``def``/``class``/
    ``lambda`` bodies run elsewhere, later or never)."""
    for stmt in statements:
        if not isinstance(stmt, SCOPE_NODES):
            yield from walk_same_scope(stmt, BODY_LIMIT)


def handler_raises(handler: ast.ExceptHandler) -> bool:
    """A ``raise`` anywhere in the handler, or a re-raise call."""
    for node in body_nodes(handler.body):
        if isinstance(node, ast.Raise):
            return True
        if isinstance(node, ast.Call) and last_part(node.func) in RERAISE_CALLS:
            return True
    return False


def handler_aborts(handler: ast.ExceptHandler, resolve: Callable[[ast.AST], Optional[str]]) -> bool:
    """A web framework's ``abort(...)`` anywhere in the handler (``resolve``
    names a call's function through the module's imports)."""
    return any(
        isinstance(node, ast.Call) and resolve(node.func) in ABORT_CALLS
        for node in body_nodes(handler.body)
    )


def handler_exits(handler: ast.ExceptHandler) -> bool:
    """A call that ends the process (``sys.exit(1)``) anywhere in the handler:
    no transaction outlives it."""
    return any(
        isinstance(node, ast.Call) and dotted_name(node.func) in EXIT_CALLS
        for node in body_nodes(handler.body)
    )


def handler_deals_with(handler: ast.ExceptHandler) -> bool:
    """Does the handler translate (raise another error), roll back, or stop
    the error, rather than log it and re-raise it unchanged?"""
    reraises = False
    for node in body_nodes(handler.body):
        if isinstance(node, ast.Call):
            name = last_part(node.func)
            if name in ENDING_METHODS:
                return True
            if name in RERAISE_CALLS:
                reraises = True
        elif isinstance(node, ast.Raise):
            if node.exc is None or (
                isinstance(node.exc, ast.Name) and node.exc.id == handler.name
            ):
                reraises = True
            else:
                return True  # translated into another error
    return not reraises
