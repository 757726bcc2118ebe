"""DBS601: a session, connection or cursor that leaks when an error is raised.

A resource is created by a call that :meth:`Semantics.factory_kind` calls a
session, connection or cursor.  It is owned safely when the function

* makes it a ``with``/``async with`` item (directly, through a wrapper such as
  ``closing(conn)``, or later through the local it was bound to);
* closes it in a ``finally`` (or in a broad ``except`` handler: it runs on
  every error);
* hands it on: returns or yields it, stores it on an attribute or in a
  subscript (``self.session = ...``, ``g.db = ...``), passes it to the base
  class's initializer (``super().__init__(conn)``: stored on ``self``), to
  ``closing()``/``ExitStack.enter_context()``, or registers its ``close``
  as a callback (``stack.callback(conn.close)``, ``self.addCleanup(...)``).

Module and class bodies are not checked: what they create lives as long as
the process.  A temporary client-side cursor that is never bound
(``conn.cursor().execute(...)``) is freed as soon as its expression ends,
error or not; a named (server-side) one is still judged.  A cursor is
covered by its connection when that connection is itself closed on error,
managed by ``with``, handed back to its pool in a ``finally`` or has its
``close`` registered as a cleanup in the same function.  A client-side cursor
of a borrowed connection (an attribute, a parameter, an outer name) that the
function closes on no path at all is left to its frame and connection by
design; one closed on some path but not on error is reported.  Sessions
without an engine of their own (``Session()``,
``Session(bind=op.get_bind())``) hold no pooled connection.
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Tuple

from ..analysis.names import (
    call_method,
    keyword,
    last_part,
    unwrap_await,
    walk_same_scope,
)
from ..analysis.semantics import ENGINE_NAME, SA_MODULE_PREFIXES
from ..analysis.walker import Context, Scope, TryFrame
from .base import Family

RESOURCE_KINDS = frozenset({"session", "connection", "cursor"})
#: calls that take ownership of the object passed to them.
HANDOFF_CALLS = frozenset(
    {"closing", "aclosing", "enter_context", "enter_async_context", "push"}
)
CLOSE_METHODS = frozenset({"close", "aclose"})
#: container methods that keep what they are given
CONTAINER_METHODS = frozenset({"append", "add", "put", "insert", "extend", "setdefault", "push"})
#: methods that return the very object they are called on: SQLAlchemy's
#: ``execution_options``, and the context-manager entry that code managing
#: the block by hand calls (``self.conn = await engine.connect().__aenter__()``
#: then ``__aexit__`` later): SQLAlchemy's and DB-API connections, sessions and
#: cursors return themselves from it.
SAME_OBJECT_METHODS = frozenset({"execution_options", "__enter__", "__aenter__"})
#: expressions a value passes through unchanged on its way to its holder.
_TRANSPARENT = (
    ast.Await,
    ast.keyword,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Dict,
    ast.Starred,
    ast.IfExp,
    ast.BoolOp,
)
_SELF_NAMES = frozenset({"self", "cls"})
_TRY_NODES = tuple(t for t in (getattr(ast, "Try", None), getattr(ast, "TryStar", None)) if t)

#: where a climb from an object ends: handed on, dropped, or bound to a local.
SAFE = "safe"
LEAK = "leak"
LOCAL = "local"
STORED = "stored"
UNPACKED = "unpacked"
MAX_CLIMB = 64


Position = Tuple[int, int]
#: before every position in a file (``_used_as_with_item`` with no lower bound)
_START: Position = (0, -1)


class _FunctionFacts:
    """Per-function answers shared by every resource created in it.

    Each question a resource asks ("is ``conn`` closed on error?", "is it a
    ``with`` item after line 12?", "is a later use of it handed on?") is
    answered from an index built once per function on first use, so a
    function that creates thousands of cursors costs one pass over its calls,
    loads and ``with`` items, not one pass per cursor.
    """

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.call_context: Dict[ast.Call, Context] = {call: ctx for call, ctx in scope.calls}
        self._declared_outer: Optional[frozenset] = None
        self._closed_anywhere: Optional[frozenset] = None
        self._released_in_finally: Optional[frozenset] = None
        self._closed_through_alias: Optional[frozenset] = None
        self.closed_on_error: Optional[frozenset] = None
        #: name -> is its ``close`` registered as a cleanup somewhere
        self.close_registered: Dict[str, bool] = {}
        #: name -> latest position of a ``with`` item that is the name or
        #: takes it as an argument / that is ``<name>.begin()``
        self.with_uses: Optional[Dict[str, Position]] = None
        self.with_begins: Optional[Dict[str, Position]] = None
        #: name -> latest position of a load that hands the object on
        self.handed_on: Dict[str, Position] = {}

    def closed_anywhere(self) -> frozenset:
        """Names whose ``close()``/``aclose()`` is called somewhere in the function."""
        if self._closed_anywhere is None:
            self._closed_anywhere = frozenset(
                name for name in (_closed_name(call) for call, _ctx in self.scope.calls) if name
            )
        return self._closed_anywhere

    def closed_through_an_alias(self) -> frozenset:
        """Names whose value, or what one of their methods returns, is bound to
        a local that is closed (feast's ``result_cursor = cursor.execute(...)``
        then ``result_cursor.close()``: Snowflake's and sqlite3's ``execute``
        return the cursor itself).  One pass over the closed locals' bindings,
        however many cursors ask."""
        if self._closed_through_alias is None:
            found = set()
            for alias in self.closed_anywhere():
                for binding in self.scope.bindings.get(alias, ()):
                    if binding.kind != "assign" or binding.value is None:
                        continue
                    value = unwrap_await(binding.value)
                    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
                        value = value.func.value
                    if isinstance(value, ast.Name):
                        found.add(value.id)
            self._closed_through_alias = frozenset(found)
        return self._closed_through_alias

    def released_in_finally(self) -> frozenset:
        """Names passed to a call in a ``finally`` (``pool.putconn(conn)``,
        ``database.put_connection(conn)``): the connection goes back to its
        owner on every path, and its cursors with it."""
        if self._released_in_finally is None:
            self._released_in_finally = frozenset(
                arg.id
                for call, ctx in self.scope.calls
                if _in_finally(ctx)
                for arg in call.args
                if isinstance(arg, ast.Name)
            )
        return self._released_in_finally

    def declared_outer(self) -> frozenset:
        """Names declared ``global``/``nonlocal``: they outlive the call."""
        if self._declared_outer is None:
            names = set()
            for stmt in getattr(self.scope.node, "body", ()):
                for node in walk_same_scope(stmt):
                    if isinstance(node, (ast.Global, ast.Nonlocal)):
                        names.update(node.names)
            self._declared_outer = frozenset(names)
        return self._declared_outer


class ResourceLifetimeRules(Family):
    codes = ("DBS601",)

    def __init__(self, analysis) -> None:  # type: ignore[no-untyped-def]
        super().__init__(analysis)
        #: block owner -> {statement: the statement that runs after it}
        self._following: Dict[ast.AST, Dict[ast.AST, Optional[ast.AST]]] = {}
        #: function -> does it keep what it is passed (its body is read once,
        #: however many calls hand it a resource)
        self._keeping: Dict[ast.AST, bool] = {}
        #: function -> parameter -> the parameters whose objects it stores it on
        self._holders: Dict[ast.AST, Dict[str, List[str]]] = {}

    def run(self) -> None:
        if not self.wants("DBS601"):
            return
        for scope in self.facts.scopes:
            if scope.kind != "function":
                continue  # module/class bodies live for the process; lambdas return
            function: Optional[_FunctionFacts] = None
            for call, _ctx in scope.calls:
                kind = self.sem.factory_kind(call, scope)
                if kind not in RESOURCE_KINDS:
                    continue
                if function is None:
                    function = _FunctionFacts(scope)
                if self._leaks(call, kind, function):
                    self.report(call, "DBS601", what=f"{kind} {_call_label(call)}")

    # -- where the new object goes ----------------------------------------------

    def _leaks(self, call: ast.Call, kind: str, function: _FunctionFacts) -> bool:
        if kind == "cursor" and self._connection_is_owned(call, function):
            return False
        if kind == "session" and (
            self._unbound_session(call) or self._bound_to_a_borrowed_connection(call, function)
        ):
            return False
        outcome, name = self._holder(call)
        if outcome == LEAK and kind == "cursor" and not _server_side(call):
            # ``conn.cursor().execute(...)``: a temporary client-side cursor
            # is freed by reference counting when the expression ends, error
            # or not (sqlite3's own ``conn.execute()`` shortcut is this)
            return False
        if outcome != LOCAL:
            return outcome == LEAK
        assert name is not None
        if name in function.declared_outer():
            return False
        if kind == "cursor" and self._left_to_its_connection(call, name, function):
            return False
        return not self._local_is_owned(name, call, kind, function)

    def _holder(self, node: ast.expr) -> Tuple[str, Optional[str]]:
        """Climb from a new object to what holds it: (SAFE | LEAK | LOCAL, name).

        A plain call the object is passed to is climbed through:
        ``return Repo(Session())`` hands the session on with its wrapper,
        ``frame = read_sql(q, engine.connect())`` drops it.
        """
        parents = self.facts.parents
        current: ast.AST = node
        for _ in range(MAX_CLIMB):
            parent = parents.get(current)
            if parent is None:
                return SAFE, None
            if isinstance(parent, _TRANSPARENT):
                current = parent
                continue
            if isinstance(parent, ast.Attribute):
                grand = parents.get(parent)
                called = isinstance(grand, ast.Call) and grand.func is parent
                if called and parent.attr in SAME_OBJECT_METHODS:
                    current = grand
                    continue
                if called and parent.attr in CLOSE_METHODS:
                    return SAFE, None  # a probe: eng.connect().close()
                return LEAK, None  # used once and dropped: engine.connect().execute(...)
            if isinstance(parent, ast.Call):
                if parent.func is current or self._takes_ownership(parent):
                    return SAFE, None
                current = parent
                continue
            if isinstance(parent, (ast.Assign, ast.AnnAssign)):
                outcome, name = self._assigned(parent)
                # stored: handed on; unpacked (``a, b = f(conn())``): not judged.
                return (LOCAL, name) if outcome == LOCAL else (SAFE, None)
            if isinstance(parent, ast.NamedExpr):
                return LOCAL, parent.target.id
            if isinstance(parent, ast.Expr):
                return LEAK, None
            # with item, return, yield, comprehension, default, comparison...:
            # held by the statement, handed on, or not judged.
            return SAFE, None
        return SAFE, None

    def _unbound_session(self, call: ast.Call) -> bool:
        """``Session()`` with no arguments has no engine: it never holds a
        connection (a detached-copy helper, not a leak)."""
        if call.args or call.keywords:
            return False
        qualified = self.sem.qualified(call.func) or ""
        return qualified.split(".", 1)[0] in SA_MODULE_PREFIXES and qualified.endswith("Session")

    def _bound_to_a_borrowed_connection(self, call: ast.Call, function: _FunctionFacts) -> bool:
        """``Session(bind=op.get_bind())``, ``Session(bind=conn)``: the session
        rides on a connection someone else opened and closes (Alembic's
        migration connection); it holds no pooled connection of its own."""
        bind = keyword(call, "bind") or (call.args[0] if call.args else None)
        if bind is None:
            return False
        value: ast.AST = bind
        if isinstance(bind, ast.Name):
            binding = function.scope.lookup(bind.id, bind)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                value = binding.value
        if isinstance(value, ast.Call) and call_method(value) == "get_bind":
            return True
        name = last_part(bind)
        return (
            name is not None
            and not ENGINE_NAME.fullmatch(name)
            and self.sem.is_session_like(bind, function.scope)
        )

    def _takes_ownership(self, call: ast.Call) -> bool:
        return last_part(call.func) in HANDOFF_CALLS or self._stores_on_self(call)

    def _stores_on_self(self, call: ast.Call) -> bool:
        """``self._conns.append(conn)``, ``self.pool.put(conn)``: kept by the
        object. A method of the object itself (``self._run(conn)``) keeps it
        only if its body does: when the class defines it here, its body says;
        an inherited one is given the benefit of the doubt."""
        func = call.func
        if not isinstance(func, ast.Attribute):
            return False
        root: ast.AST = func.value
        while isinstance(root, (ast.Attribute, ast.Subscript)):
            root = root.value
        if not (isinstance(root, ast.Name) and root.id in _SELF_NAMES):
            return False
        if func.value is not root:
            return True  # a method of one of the object's attributes
        method = self._own_method(call, func.attr)
        return method is None or self._keeps_its_arguments(method, call)

    def _callee(self, call: ast.Call, function: _FunctionFacts) -> Optional[ast.AST]:
        """The function a call runs, when this module defines it: ``helper(x)``
        (a module or enclosing function) or ``self.method(x)`` (this class)."""
        func = call.func
        if isinstance(func, ast.Name):
            binding = function.scope.lookup(func.id, func)
            if binding is not None and binding.kind == "def" and isinstance(
                binding.node, (ast.FunctionDef, ast.AsyncFunctionDef)
            ):
                return binding.node
            return None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in _SELF_NAMES:
                return self._own_method(call, func.attr)
        return None

    def _own_method(self, call: ast.Call, name: str) -> Optional[ast.AST]:
        """The method ``name`` of the class whose method makes ``call``."""
        node: Optional[ast.AST] = call
        for _ in range(MAX_CLIMB * 8):
            node = self.facts.parent(node) if node is not None else None
            if node is None:
                return None
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == name:
                        return stmt
                return None
        return None

    @staticmethod
    def _assigned(stmt: ast.stmt) -> Tuple[str, Optional[str]]:
        """(LOCAL, name) for ``x = ...``; STORED for an attribute/subscript
        target (``self.session = ...``, ``g.db = ...``); UNPACKED otherwise."""
        targets: List[ast.expr] = (
            list(stmt.targets) if isinstance(stmt, ast.Assign) else [stmt.target]  # type: ignore[attr-defined]
        )
        if len(targets) == 1 and isinstance(targets[0], ast.Name):
            return LOCAL, targets[0].id
        if any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets):
            return STORED, None
        return UNPACKED, None

    # -- what happens to the local ------------------------------------------------

    def _local_is_owned(
        self, name: str, created: ast.Call, kind: str, function: _FunctionFacts
    ) -> bool:
        after = (created.lineno, created.col_offset)
        return (
            self._closed_right_away(name, created)
            or self._closed_on_error(name, function)
            or self._used_as_with_item(name, after, function, kind == "session")
            or self._handed_on_later(name, created, function)
            or self._kept_by_a_closure(name, created, function)
        )

    def _kept_by_a_closure(self, name: str, created: ast.Call, function: _FunctionFacts) -> bool:
        """A nested function reads the local, and that function is handed on
        after the object is made (returned, or stored: ``self.run_sql =
        run_sql_mysql``): its closure keeps the object as long as its holder
        keeps the function, like storing the object itself."""
        end = _position(created)
        for child in function.scope.children:
            node = child.node
            if (child.kind != "function" or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                    or name not in child.loads or name in child.bindings):
                continue
            for load in function.scope.loads.get(node.name, ()):
                if _position(load) > end and self._load_hands_on(load, function):
                    return True
        return False

    def _closed_right_away(self, name: str, created: ast.Call) -> bool:
        """The statement run next closes it, so nothing can fail in between:
        ``conn = engine.connect()`` then ``conn.close()`` (a connection probe),
        also as ``try: conn = ... except ...: ... else: conn.close()``."""
        statement = self.facts.enclosing_statement(created)
        following = self._next_statement(statement)
        if not isinstance(following, ast.Expr):
            return False
        call = following.value
        if isinstance(call, ast.Await):
            call = call.value
        return _closes(call, name)

    def _closed_on_error(self, name: str, function: _FunctionFacts) -> bool:
        """``name.close()`` in a ``finally``, or in a broad ``except`` handler."""
        if function.closed_on_error is None:
            function.closed_on_error = frozenset(
                call.func.value.id  # type: ignore[attr-defined]
                for call, ctx in function.scope.calls
                if ctx.tries
                and _closed_name(call) is not None
                and any(self._runs_on_error(frame) for frame in ctx.tries)
            )
        return name in function.closed_on_error

    def _runs_on_error(self, frame: TryFrame) -> bool:
        if frame.part == "finally":
            return True
        return (
            frame.part == "handler"
            and frame.handler is not None
            and self.sem.handler_kind(frame.handler) == "broad"
        )

    @staticmethod
    def _used_as_with_item(
        name: str, after: Position, function: _FunctionFacts, session: bool = False
    ) -> bool:
        """``with conn:`` or ``with closing(conn):`` after position ``after``.

        For a session, ``with session.begin():`` too: a session is lazy, and
        the end of its transaction block hands the connection back to the
        pool, on error as well.  (``with conn.begin():`` on a Connection does
        not: the connection stays checked out.)
        """
        if function.with_uses is None or function.with_begins is None:
            function.with_uses, function.with_begins = _index_with_items(function.scope)
        if function.with_uses.get(name, _START) > after:
            return True
        return session and function.with_begins.get(name, _START) > after

    def _handed_on_later(self, name: str, created: ast.Call, function: _FunctionFacts) -> bool:
        """Does a use of ``name`` after ``created`` hand the object on?"""
        latest = function.handed_on.get(name)
        if latest is None:
            function.handed_on[name] = _START  # while it is computed: a cycle hands nothing on
            loads = function.scope.loads.get(name, ())
            handing = [_position(load) for load in loads if self._load_hands_on(load, function)]
            latest = function.handed_on[name] = max(handing, default=_START)
        end = (
            getattr(created, "end_lineno", None) or getattr(created, "lineno", 0),
            getattr(created, "end_col_offset", None) or 0,
        )
        return latest > end

    def _load_hands_on(self, load: ast.Name, function: _FunctionFacts) -> bool:
        """Does this use of the local give the object (or its ``close``) away?

        Returned or yielded (also inside a wrapper: ``return Repo(conn)``),
        stored on an attribute, handed to ``closing()``/``enter_context()``,
        to ``self``'s containers or to a call in a ``finally``, or its
        ``close`` registered as a callback.  A copy to another local is not
        followed (and not judged).
        """
        parents = self.facts.parents
        if isinstance(parents.get(load), ast.Attribute):
            return self._close_registered(load)
        current: ast.AST = load
        through_call = False
        for _ in range(MAX_CLIMB):
            parent = parents.get(current)
            if isinstance(parent, _TRANSPARENT):
                current = parent
                continue
            if isinstance(parent, (ast.Return, ast.Yield, ast.YieldFrom)):
                return True
            if isinstance(parent, ast.Call):
                if parent.func is current:
                    return False
                if self._takes_ownership(parent) or self._in_cleanup(parent, function):
                    return True
                if _initializes_self(parent):
                    return True  # ``super().__init__(conn)``: the object keeps it
                callee = self._callee(parent, function)
                if callee is not None:
                    holders = _holders_it_is_stored_on(callee, self._holders_of(callee), parent, current)
                    if holders and all(self._holder_handed_on(h, parent, function) for h in holders):
                        return True  # ``adapt_session(s, book=b)`` stores s on b, and b is returned
                if callee is not None and not self._keeps_its_arguments(callee, parent):
                    return False  # ``return self._count(conn)``: the result holds no conn
                through_call = True  # borrowed, unless the call's result is handed on
                current = parent
                continue
            if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is current:
                outcome, _alias = self._assigned(parent)
                # a plain copy to other locals is not followed (not judged);
                # a call's result bound to a local only borrowed the object.
                return outcome == STORED or not through_call
            return False
        return False

    def _holder_handed_on(self, holder: ast.expr, call: ast.Call, function: _FunctionFacts) -> bool:
        """Does the object a callee stored the resource on leave this
        function: a parameter's or an attribute's object (the caller's), or a
        local handed on after the call?"""
        if isinstance(holder, ast.Attribute):
            return True
        if not isinstance(holder, ast.Name):
            return False
        binding = function.scope.lookup(holder.id, holder)
        if binding is not None and binding.kind == "param":
            return True
        return self._handed_on_later(holder.id, call, function)

    def _close_registered(self, load: ast.Name) -> bool:
        """``stack.callback(conn.close)``, ``self.addCleanup(conn.close)``:
        ``close`` passed on (not called) to run later."""
        attribute = self.facts.parents.get(load)
        if not isinstance(attribute, ast.Attribute) or attribute.attr not in CLOSE_METHODS:
            return False
        holder = self.facts.parents.get(attribute)
        if isinstance(holder, ast.keyword):
            return True
        return isinstance(holder, ast.Call) and holder.func is not attribute

    def _in_cleanup(self, call: ast.Call, function: _FunctionFacts) -> bool:
        """A call in a ``finally`` that receives the object: ``release(conn)``."""
        ctx = function.call_context.get(call)
        return ctx is not None and _in_finally(ctx)

    def _next_statement(self, statement: ast.AST) -> Optional[ast.AST]:
        """The statement that runs right after ``statement`` when it succeeds
        (the next one in its block, a ``try`` body's first ``else``
        statement, or the one after a ``try`` with neither ``else`` nor
        ``finally``); each block is indexed once, not searched per resource."""
        parent = self.facts.parent(statement)
        if parent is None:
            return None
        following = self._following.get(parent)
        if following is None:
            following = self._following[parent] = _successors(parent)
        found = following.get(statement)
        if (found is None and isinstance(parent, _TRY_NODES) and not parent.orelse and not parent.finalbody
                and parent.body and parent.body[-1] is statement):
            # ``try: conn = connect() except E: raise ...`` then ``conn.close()``:
            # when the try body succeeds, the statement after the try runs next
            return self._next_statement(parent)
        return found

    def _holders_of(self, method: ast.AST) -> Dict[str, List[str]]:
        """:func:`_parameter_holders`, memoized per function."""
        found = self._holders.get(method)
        if found is None:
            found = self._holders[method] = _parameter_holders(method)
        return found

    def _keeps_its_arguments(self, method: ast.AST, call: ast.Call) -> bool:
        """:func:`_keeps_its_arguments`, memoized per function."""
        kept = self._keeping.get(method)
        if kept is None:
            kept = self._keeping[method] = _keeps_its_arguments(method, call)
        return kept

    # -- cursors -------------------------------------------------------------------

    def _left_to_its_connection(self, call: ast.Call, name: str, function: _FunctionFacts) -> bool:
        """A client-side cursor of a connection this function borrows, that the
        function never closes on any path: its lifetime is the frame's and its
        connection's, by design (DB-API code that keeps one connection on an
        object or a transaction and never closes cursors), not a path that
        forgets it on error.  A cursor closed on some path shows the authors
        mean to close it, so the error path that skips the close is reported.
        """
        return (
            not _server_side(call)
            and name not in function.closed_anywhere()
            and name not in function.closed_through_an_alias()
            and self._connection_is_borrowed(call, function)
        )

    def _connection_is_borrowed(self, cursor_call: ast.Call, function: _FunctionFacts) -> bool:
        """The cursor's connection was not made by this function: an attribute
        (``self._conn``, ``Transaction().connection``), a parameter or an outer
        name.  A local bound here to a call's result, or a call's result used
        directly (``get_conn().cursor()``), is made here: its cursor is judged."""
        receiver = cursor_call.func.value if isinstance(cursor_call.func, ast.Attribute) else None
        if receiver is None or isinstance(receiver, ast.Call):
            return False
        if isinstance(receiver, ast.Attribute):
            return True
        if not isinstance(receiver, ast.Name):
            return False
        binding = function.scope.lookup(receiver.id, cursor_call)
        if binding is None or not function.scope.owns(binding):
            return binding is not None or receiver.id not in function.scope.bindings
        if binding.kind == "param":
            return True
        made = unwrap_await(binding.value) if binding.value is not None else None
        return binding.kind in ("assign", "walrus") and not isinstance(made, ast.Call)

    def _connection_is_owned(self, cursor_call: ast.Call, function: _FunctionFacts) -> bool:
        """A cursor of a connection this function creates, closes on error,
        manages with ``with``, or whose ``close`` it registers as a cleanup.

        A connection created here is judged itself: when it leaks, that one
        finding says it (the cursor goes with it); when it is owned, so is
        the cursor.  So is a connection handed back to its pool in a
        ``finally``.
        """
        func = cursor_call.func
        if not isinstance(func, ast.Attribute):
            return False
        root: ast.AST = func.value
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name) or root.id in _SELF_NAMES:
            return False
        name = root.id
        binding = function.scope.lookup(name, cursor_call)
        if binding is not None and binding.kind == "with":
            return True
        if (
            binding is not None
            and binding.kind in ("assign", "walrus")
            and function.scope.owns(binding)
        ):
            created = unwrap_await(binding.value) if binding.value is not None else None
            if isinstance(created, ast.Call) and self.sem.factory_kind(
                created, function.scope
            ) in ("connection", "session"):
                return True
        registered = function.close_registered.get(name)
        if registered is None:
            loads = function.scope.loads.get(name, ())
            registered = function.close_registered[name] = any(map(self._close_registered, loads))
        return (
            self._closed_on_error(name, function)
            or name in function.released_in_finally()
            or self._used_as_with_item(name, _START, function)
            or registered
        )


def _keeps_its_arguments(method: ast.AST, call: ast.Call) -> bool:
    """Does ``method`` keep what ``call`` passes it: return or yield a
    parameter, store it on an attribute or in a container, close it, or use
    it as a ``with`` item?  (``def _run(self, conn): return conn.execute(q)``
    only borrows ``conn``.)"""
    args = getattr(method, "args", None)
    if args is None:
        return True
    names = {a.arg for a in list(getattr(args, "posonlyargs", [])) + list(args.args) + list(args.kwonlyargs)}
    names.discard("self")
    names.discard("cls")
    if args.vararg is not None or args.kwarg is not None:
        return True  # forwarded somewhere we do not follow
    for stmt in getattr(method, "body", ()):
        for node in walk_same_scope(stmt, 5000):
            if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and _names_in(node.value) & names:
                return True
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and _names_in(node.value) & names:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, (ast.Attribute, ast.Subscript)) for t in targets):
                    return True
            if isinstance(node, ast.Call):
                method_name = last_part(node.func)
                if method_name in CLOSE_METHODS and _names_in(getattr(node.func, "value", None)) & names:
                    return True
                if method_name in HANDOFF_CALLS | CONTAINER_METHODS and any(
                    _names_in(arg) & names for arg in node.args
                ):
                    return True
            if isinstance(node, ast.withitem) and _names_in(node.context_expr) & names:
                return True
    return False


def _parameter_holders(method: ast.AST) -> Dict[str, List[str]]:
    """Parameter -> the other parameters whose objects ``method`` stores it
    on (piecash's ``adapt_session(session, book)``: ``book.session =
    session`` gives ``{"session": ["book"]}``). Empty for ``*args``/``**kw``
    functions (their arguments are not followed)."""
    args = getattr(method, "args", None)
    if args is None or args.vararg is not None or args.kwarg is not None:
        return {}
    names = {a.arg for a in list(getattr(args, "posonlyargs", [])) + list(args.args) + list(args.kwonlyargs)}
    holders: Dict[str, List[str]] = {}
    for stmt in getattr(method, "body", ()):
        for node in walk_same_scope(stmt, 5000):
            if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id in names):
                continue
            for target in node.targets:
                root = target.value if isinstance(target, ast.Attribute) else None
                if (isinstance(root, ast.Name) and root.id in names and root.id != node.value.id
                        and root.id not in _SELF_NAMES):
                    holders.setdefault(node.value.id, []).append(root.id)
    return holders


def _holders_it_is_stored_on(method: ast.AST, holders: Dict[str, List[str]], call: ast.Call,
                             argument: ast.AST) -> List[ast.expr]:
    """The call's arguments whose objects ``method`` stores ``argument`` on
    (``holders``: :func:`_parameter_holders` of ``method``): the resource
    goes where those objects go."""
    if not holders:
        return []
    args = method.args  # type: ignore[attr-defined]
    positional = [a.arg for a in list(getattr(args, "posonlyargs", [])) + list(args.args)]
    offset = 1 if positional[:1] in (["self"], ["cls"]) and isinstance(call.func, ast.Attribute) else 0
    passed: Dict[str, ast.expr] = {}
    for index, value in enumerate(call.args):
        if isinstance(value, ast.Starred):
            return []
        if index + offset < len(positional):
            passed[positional[index + offset]] = value
    for kw in call.keywords:
        if kw.arg is None:
            return []
        passed[kw.arg] = kw.value
    param = next((name for name, value in passed.items() if value is argument), None)
    if param is None:
        return []
    return [passed[holder] for holder in holders.get(param, ()) if holder in passed]


def _initializes_self(call: ast.Call) -> bool:
    """``super().__init__(..., conn)`` or ``Base.__init__(self, conn)``: the
    base class's initializer sets up ``self`` with what it is given, so the
    object is stored on ``self`` (wherever the base class is defined)."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "__init__"):
        return False
    owner = func.value
    if isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name) and owner.func.id == "super":
        return True
    return bool(call.args) and isinstance(call.args[0], ast.Name) and call.args[0].id in _SELF_NAMES


def _in_finally(ctx: Context) -> bool:
    """The call runs in a ``finally``: on every path out of its ``try``."""
    return any(frame.part == "finally" for frame in ctx.tries)


def _server_side(cursor_call: ast.Call) -> bool:
    """A named (server-side) cursor, ``conn.cursor("name")`` or
    ``conn.cursor(name=...)`` (psycopg): it holds a portal on the server."""
    return bool(cursor_call.args) or keyword(cursor_call, "name") is not None


def _names_in(node: Optional[ast.AST]) -> set:
    """The plain names an expression is made of (``conn``, ``(conn, x)``)."""
    if node is None:
        return set()
    if isinstance(node, ast.Name):
        return {node.id}
    if isinstance(node, (ast.Tuple, ast.List, ast.Starred, ast.Await)):
        found: set = set()
        for child in ast.iter_child_nodes(node):
            found |= _names_in(child)
        return found
    return set()


def _call_label(call: ast.Call) -> str:
    """``engine.connect()``, ``sessionmaker()()``, ``get_engine().connect()``;
    ``<call>()`` when unnamed."""
    parts: List[str] = []
    node: ast.AST = call
    for _ in range(MAX_CLIMB):
        if isinstance(node, ast.Call):
            parts.append("()")
            node = node.func
        elif isinstance(node, ast.Attribute):
            parts.append(f".{node.attr}")
            node = node.value
        else:
            break
    head = node.id if isinstance(node, ast.Name) else "<call>"
    return head + "".join(reversed(parts))


def _closes(call: ast.AST, name: str) -> bool:
    """``call`` is ``<name>.close()`` (or ``aclose()``)."""
    return (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in CLOSE_METHODS
        and _is_method_of(call.func, call.func.attr, name)
    )


def _is_method_of(func: ast.AST, method: str, name: str) -> bool:
    """``func`` is ``<name>.<method>``."""
    return (
        isinstance(func, ast.Attribute)
        and func.attr == method
        and isinstance(func.value, ast.Name)
        and func.value.id == name
    )


def _closed_name(call: ast.AST) -> Optional[str]:
    """``name`` when ``call`` is ``<name>.close()`` (or ``aclose()``)."""
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in CLOSE_METHODS
        and isinstance(call.func.value, ast.Name)
    ):
        return call.func.value.id
    return None


def _position(node: ast.AST) -> Position:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _index_with_items(scope: Scope) -> Tuple[Dict[str, Position], Dict[str, Position]]:
    """Per name, the latest ``with`` item that is it or takes it as an
    argument (``with conn:``, ``with closing(conn):``), and the latest that is
    ``<name>.begin()``; positions are those of the item's expression."""
    uses: Dict[str, Position] = {}
    begins: Dict[str, Position] = {}

    def note(index: Dict[str, Position], name: str, at: Position) -> None:
        if index.get(name, _START) < at:
            index[name] = at

    for item, _ctx in scope.with_items:
        expr = item.context_expr
        at = _position(expr)
        if isinstance(expr, ast.Await):
            expr = expr.value
        if isinstance(expr, ast.Name):
            note(uses, expr.id, at)
        elif isinstance(expr, ast.Call):
            for arg in expr.args:
                if isinstance(arg, ast.Name):
                    note(uses, arg.id, at)
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr == "begin" and isinstance(func.value, ast.Name):
                note(begins, func.value.id, at)
    return uses, begins


def _successors(parent: ast.AST) -> Dict[ast.AST, Optional[ast.AST]]:
    """Each statement of ``parent``'s blocks -> the statement run after it
    succeeds: the next one in its block, a ``try`` body's last statement ->
    the first ``else`` statement, else None."""
    following: Dict[ast.AST, Optional[ast.AST]] = {}
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if not isinstance(block, list):
            continue
        for index, statement in enumerate(block):
            if statement in following:
                continue  # the first block holding it decides, as before
            if index + 1 < len(block):
                following[statement] = block[index + 1]
            elif field == "body" and isinstance(parent, _TRY_NODES) and parent.orelse:
                following[statement] = parent.orelse[0]
            else:
                following[statement] = None
    return following
