"""Which expressions talk to a database: names imported from SQLAlchemy
(``Session``, ``sessionmaker``, ``text``...), engines, DB-API ``connect``,
the factories that make sessions, connections and cursors (here or, through
the project model, elsewhere), and the session a write or a query goes
through.

Every other concern builds on this answer (a write is a write only through a
session-like receiver; a resource is what a factory creates), so it is kept
in one place, following local bindings with bounded depth.
"""

from __future__ import annotations

import ast
from typing import Optional

from ...options import DBAPI_MODULES
from ..names import call_method, dotted_name, last_part, receiver, unwrap_await
from ..web import handler_framework
from ..walker import Scope
from .base import SemanticsBase
from .vocab import ENGINE_NAME, SA_MODULE_PREFIXES, SCOPED_FACTORIES, SESSION_CLASSES, SESSIONMAKERS, Write


#: the attribute names under which a call can create a session, connection,
#: cursor or factory without the project model (see ``factory_kind``)
_CREATING_ATTRS = SESSION_CLASSES | SESSIONMAKERS | SCOPED_FACTORIES | frozenset(
    {"connect", "raw_connection", "cursor"})


#: session methods whose ``with`` block commits or rolls back at exit.
TRANSACTION_METHODS = frozenset({"begin", "begin_nested", "begin_twophase"})
#: transaction blocks of a connection's or database object's own API
#: (sqlite-utils/peewee ``atomic()``, ``transaction()``)
OWNER_TRANSACTIONS = frozenset({"atomic", "transaction"})
#: owners too general to say a ``with`` manages ``<owner>.session``.
NOT_SESSION_OWNERS = frozenset({"self", "cls"})


class SessionsMixin(SemanticsBase):
    """Sessions, connections, cursors, engines and their factories."""

    # -- SQLAlchemy names -------------------------------------------------------

    def _from_sqlalchemy(self, node: ast.AST, names: frozenset) -> Optional[str]:
        """The last part if ``node`` names one of ``names`` imported from SQLAlchemy."""
        # Fast exit (hot path: asked for every call): an import alias can only
        # rename a plain name, so an attribute's last part is final.
        if isinstance(node, ast.Attribute):
            if node.attr not in names:
                return None
        elif not isinstance(node, ast.Name) or not (
            node.id in names or self.imports.is_imported(node.id)
        ):
            return None
        qualified = self.qualified(node)
        if not qualified:
            return None
        parts = qualified.split(".")
        if parts[-1] in names and len(parts) > 1 and parts[0] in SA_MODULE_PREFIXES:
            return parts[-1]
        return None

    def from_sqlalchemy(self, node: ast.AST, names: frozenset) -> Optional[str]:
        """The last part if ``node`` names one of ``names`` imported from SQLAlchemy."""
        return self._from_sqlalchemy(node, names)

    def is_text_call(self, call: ast.AST) -> bool:
        return isinstance(call, ast.Call) and bool(
            self._from_sqlalchemy(call.func, frozenset({"text"}))
        )

    # -- sessions ------------------------------------------------------------

    def is_session_like(self, expr: ast.AST, scope: Scope, depth: int = 0) -> bool:
        """Does ``expr`` talk to a database (spec: session-like expression)?"""
        expr = unwrap_await(expr)
        if depth > 8:
            return False
        if isinstance(expr, ast.Call):
            return self.factory_kind(expr, scope, depth + 1) is not None
        name = last_part(expr)
        if name is None:
            return False
        if self.settings.is_session_name(name):
            return True
        if self.project is not None and self.project.model.attr_kind(self.project.name(expr)) in (
            "session", "scoped"
        ):
            return True  # ``model.Session``: a scoped_session proxy defined elsewhere
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id, expr)
            if binding is not None and binding.value is not None:
                if binding.kind in ("assign", "walrus", "with"):
                    value = unwrap_await(binding.value)
                    if isinstance(value, ast.Call):
                        kind = self.factory_kind(value, scope, depth + 1)
                        if kind is not None and kind != "factory":
                            return True
                        # ``with session.begin() as s`` / ``engine.begin()``
                        if binding.kind == "with" and call_method(value) == "begin":
                            return self.is_session_like(
                                receiver(value) or value, scope, depth + 1
                            ) or self._is_engine(receiver(value), scope)
                        return False
                    return self.is_session_like(value, scope, depth + 1)
        return False

    def _is_engine(self, expr: Optional[ast.AST], scope: Scope) -> bool:
        if expr is None:
            return False
        name = last_part(expr)
        if name is not None and ENGINE_NAME.fullmatch(name):
            return True
        if isinstance(expr, ast.Call):
            if self._from_sqlalchemy(expr.func, frozenset({"create_engine", "create_async_engine"})):
                return True
            # ``get_engine().connect()``, ``self._get_engine().begin()``
            maker = last_part(expr.func)
            return maker is not None and ENGINE_NAME.fullmatch(maker) is not None
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id, expr)
            if binding is not None and isinstance(binding.value, ast.Call):
                return bool(
                    self._from_sqlalchemy(
                        binding.value.func,
                        frozenset({"create_engine", "create_async_engine", "engine_from_config"}),
                    )
                )
        return False

    def _is_dbapi_connect(self, func: ast.AST) -> bool:
        """A DB-API module's ``connect`` (or a driver's ``*Connection.connect``)."""
        # asked for every call: only an import can rename a name, so an
        # attribute not called ``connect`` and a name not imported are not one
        if isinstance(func, ast.Attribute):
            if func.attr != "connect":
                return False
        elif not isinstance(func, ast.Name) or not self.imports.is_imported(func.id):
            return False
        qualified = self.qualified(func)
        if not qualified or not qualified.endswith(".connect"):
            return False
        owner = qualified[: -len(".connect")]
        if owner in DBAPI_MODULES:
            return True
        return owner.endswith("Connection") and owner.rsplit(".", 1)[0] in DBAPI_MODULES

    def factory_kind(self, call: ast.Call, scope: Scope, depth: int = 0) -> Optional[str]:
        """What a call creates: session | connection | cursor | scoped | factory | None.

        ``factory`` is a sessionmaker itself (not a session).
        """
        func = call.func
        if depth > 8:
            return None
        # asked for every call: an attribute call can only create something
        # under one of these names or a name a project definition can have
        # (each branch below tests the attribute's own name first)
        if isinstance(func, ast.Attribute) and func.attr not in _CREATING_ATTRS and (
            self.project is None or not self.project.model.may_create(func.attr)
        ):
            return None
        # Session(...), AsyncSession(...), sqlmodel.Session(...)
        if self._from_sqlalchemy(func, SESSION_CLASSES):
            return "session"
        if self._from_sqlalchemy(func, SESSIONMAKERS):
            return "factory"
        if self._from_sqlalchemy(func, SCOPED_FACTORIES):
            return "factory"
        # sessionmaker(...)()
        if isinstance(func, ast.Call):
            inner = self.factory_kind(func, scope, depth + 1)
            if inner == "factory":
                return "scoped" if self._from_sqlalchemy(func.func, SCOPED_FACTORIES) else "session"
            return None
        # sqlite3.connect(...), ``from psycopg2 import connect``, psycopg.Connection.connect(...)
        if self._is_dbapi_connect(func):
            return "connection"
        # SessionLocal() where SessionLocal = sessionmaker(...)
        if isinstance(func, ast.Name):
            binding = scope.lookup(func.id, func)
            if binding is not None and isinstance(binding.value, ast.Call):
                value = binding.value
                if self._from_sqlalchemy(value.func, SESSIONMAKERS):
                    return "session"
                if self._from_sqlalchemy(value.func, SCOPED_FACTORIES):
                    return "scoped"
            return self._project_factory(func)
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        recv = func.value
        if method in ("connect", "raw_connection") and self._is_engine(recv, scope):
            return "connection"
        if method == "cursor" and self.is_session_like(recv, scope, depth + 1):
            return "cursor"
        return self._project_factory(func)

    def _project_factory(self, func: ast.AST) -> Optional[str]:
        """A factory the project defines elsewhere: a module attribute bound to
        ``sessionmaker(...)`` (called: a new session), to ``scoped_session``
        (called: the thread's session), or a function that returns a new
        session or connection (``get_session()``)."""
        if self.project is None:
            return None
        last = last_part(func)
        if last is None or not self.project.model.may_create(last):
            return None
        name = self.project.name(func)
        return self.project.model.creates(name) if name is not None else None

    # -- the session behind a write or a query ----------------------------------

    def write_session(self, write: Write, scope: Scope) -> Optional[ast.AST]:
        """The session expression a write goes through, if one is visible."""
        if write.kind == "save":
            return write.call.args[0] if write.call.args else None
        if write.kind.startswith("query-"):
            return self.query_session(write.receiver, scope)
        return write.receiver

    def query_session(self, expr: Optional[ast.AST], scope: Scope) -> Optional[ast.AST]:
        """``session`` in ``session.query(M).filter(...)``, through locals;
        None for ``model_query(...)`` / ``Model.query`` (no visible session)."""
        for _ in range(64):
            if isinstance(expr, ast.Await):
                expr = expr.value
            if isinstance(expr, ast.Name):
                binding = scope.lookup(expr.id, expr)
                if binding is None or binding.kind not in ("assign", "walrus"):
                    return None
                expr = binding.value
                continue
            if not isinstance(expr, ast.Call) or not isinstance(expr.func, ast.Attribute):
                return None
            if expr.func.attr == "query":
                return expr.func.value
            expr = expr.func.value
        return None

    # -- who ends a failed transaction --------------------------------------------

    def ends_with_the_request(self, write: Write, scope: Scope) -> bool:
        """Is the write's session one the web application ends after every
        request (``ProjectModel.request_scoped``), written in a request
        handler? Then a handler that returns ends the request, and the
        failed transaction with it (dallinger's ``teardown_request``,
        Flask-SQLAlchemy's ``db.session``)."""
        if self.project is None or scope.kind != "function":
            return False
        session = self.write_session(write, scope)
        if session is None or not self.project.model.request_scoped(self.project.name(session)):
            return False
        settings = self.settings
        return handler_framework(scope.node, scope, settings.api_decorators, settings.api_base_classes,
                                 self.project.module) is not None

    def session_managed(self, write: Write, scope: Scope) -> Optional[bool]:
        """Does a ``with`` of this function end the write's transaction when
        its error passes: the session is a ``with`` target, or the write sits
        in ``with session.begin():`` (or a block of the session's owner)?
        None when no session is visible in the write; False when it is
        managed by hand (DBS602's question, and the project model's for a
        helper: a helper whose every write is managed rolls back its own
        transaction before its caller's handler runs)."""
        if write.kind == "helper-tx":
            return True
        session = self.write_session(write, scope)
        if session is None:
            return None
        # ``c.execute(...)`` with ``c = conn.cursor()`` of ``with sqlite3.connect(...)
        # as conn``; not a helper handed the cursor, which may write elsewhere
        # (superset's execute_query(query, cursor) commits its own db.session)
        connection = _cursor_connection(session, scope) if write.kind != "helper" else None
        if connection is not None and self._with_managed(connection, write.call, scope):
            return True
        return self._with_managed(session, write.call, scope)

    def _with_managed(self, session: ast.AST, call: ast.AST, scope: Scope) -> bool:
        if isinstance(session, ast.Name):
            binding = scope.lookup(session.id, session)
            if binding is not None and binding.kind == "with":
                return True
        return self._inside_managing_with(call, session, scope)

    def _inside_managing_with(self, call: ast.AST, session: ast.AST, scope: Scope) -> bool:
        """Is ``call`` inside a ``with`` (same function) that manages ``session``:
        ``with session:``, ``with session.begin():``, or a transaction context
        taking the session's owner (``with writer.using(context):`` for
        ``context.session``)?"""
        name = dotted_name(session)
        if name is None:
            return False
        root = name.split(".", 1)[0]
        node: Optional[ast.AST] = call
        for _ in range(500):
            node = self.facts.parent(node) if node is not None else None
            if node is None or node is scope.node:
                return False
            if isinstance(node, (ast.With, ast.AsyncWith)):
                if any(_manages(item.context_expr, name, root)
                       or _manages_through_local(item.context_expr, scope, name, root) for item in node.items):
                    return True
        return False


def _cursor_connection(session: ast.AST, scope: Scope) -> Optional[ast.expr]:
    """``c`` bound once in the function to ``conn.cursor(...)``: ``conn``
    (a cursor's transaction is its connection's)."""
    if not isinstance(session, ast.Name):
        return None
    bindings = scope.bindings.get(session.id, ())
    if len(bindings) != 1 or bindings[0].kind != "assign":
        return None
    value = bindings[0].value
    if (isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute)
            and value.func.attr == "cursor"):
        return value.func.value
    return None


def _manages_through_local(expr: ast.AST, scope: Scope, session: str, root: str) -> bool:
    """``trans = conn.begin_nested()`` ... ``with trans:``: a local whose every
    binding in the function is a transaction of the session (ceilometer
    rebinds it to ``conn.begin()`` on sqlite)."""
    if not isinstance(expr, ast.Name):
        return False
    bindings = scope.bindings.get(expr.id, ())
    return bool(bindings) and all(
        b.kind == "assign" and b.value is not None and _manages(b.value, session, root) for b in bindings)


def _manages(expr: ast.AST, session: str, root: str) -> bool:
    """Does a ``with`` item's expression manage the session named ``session``?"""
    if isinstance(expr, ast.Await):
        expr = expr.value
    if dotted_name(expr) == session:
        return True
    if not isinstance(expr, ast.Call):
        return False
    recv = receiver(expr)
    owner = dotted_name(recv) if recv is not None else None
    if owner == session:
        return last_part(expr.func) in TRANSACTION_METHODS | OWNER_TRANSACTIONS
    if owner is not None and session.startswith(owner + "."):
        # the owning object's transaction: ``with self.atomic():`` around
        # ``self.conn.execute(...)`` rolls back before the handler runs
        return last_part(expr.func) in TRANSACTION_METHODS | OWNER_TRANSACTIONS
    owners = {session} if root in NOT_SESSION_OWNERS else {session, root}
    for arg in list(expr.args) + [kw.value for kw in expr.keywords]:
        if dotted_name(arg) in owners:
            return True  # ``writer.using(context)`` / ``closing(session)``
    return False
