"""One module's summary: the facts other modules may need, extracted in one pass.

A summary is plain JSON data (it is cached on disk and must never execute
anything when read back).  It is computed from the walker's facts and the
semantics layer, with *local* knowledge only, so it depends on nothing but
the module's source and the settings; the project model combines summaries
at query time.

Fields (every name is resolved through the module's imports; ``module`` is
this module's dotted name, ``<module>.<qualname>`` names a definition):

``imports``    local alias -> qualified name (relative imports resolved)
``functions``  qualname -> facts about a function or method:
               ``line``, ``params``, ``decorators`` (qualified names),
               ``writes`` (lines of its DB writes), ``tx`` (each of them
               in a ``with`` that ends its session's transaction), ``wrapper``
               (a decorator whose wrapper calls the wrapped function inside a
               DB-error handler: "db" or "integrity"), ``wrapper_via`` (else
               the context managers of the ``with`` blocks it calls it in), ``cm`` (a
               ``@contextmanager`` whose ``yield`` sits in a DB-error or broad
               handler), ``rollback`` (ends a failed transaction: calls
               ``rollback()``, as fittrackee's
               ``handle_error_and_return_response(error, db=db)``, closes a
               session-like object or runs ``ROLLBACK`` text),
               ``validates`` (raises unless its first parameter is
               allowed or a safe identifier), ``returns`` (what every
               ``return`` gives: "session", "shared" (a session the
               function also keeps: a per-request cache), "logger",
               "quoted", "validated"
               (the checked parameter), "masked", "handler_cm"; for a method,
               "instance"/"rows": an instance / a query of rows of the class
               it is called on, with ``rows_via`` naming the ``cls.<m>()``
               methods that must give rows for that to hold),
               ``quoted_via`` (when no ``returns``: the project functions
               whose results every return splices into literal text, and
               nothing else; the function quotes when they all do), ``sql``
               ("-1:a,b": every return gives SQL text built only from
               constants and the parameters a, b; "0:...": the first element
               of the tuple every return gives), ``retry``
               (decorated with a deadlock retry), ``route`` (a web route),
               ``counts`` (parameters whose ``.rowcount`` it reads: passing
               a cursor to it consults the cursor's last statement)
``classes``    name -> ``line``, ``bases``, ``attrs`` (class-level names bound
               to a dotted name), ``self_attrs`` (``self.x = f(...)``: x -> f),
               ``keys`` (primary key columns), ``unique`` (unique column
               sets), ``renamed`` (DB column name -> attribute, where a
               ``Column("RepoID", ...)`` names its column),
               ``concurrency`` (``version_id_col``), ``exit`` (an
               ``__exit__`` that rolls back, translates or re-raises),
               ``repr`` ("hides" / "shows": whether the class's own
               ``__repr__``/``__str__`` can render a secret-named attribute),
               ``rels`` (ORM ``relationship(...)`` attributes -> target class),
               ``table`` (its ``__tablename__``)
``attrs``      module-level name -> kind: "session", "factory" (with
               ``class``: the ``class_=`` it makes sessions of), "engine",
               "logger", "table" (with ``keys``/``unique`` and the table's
               ``name``), "alias" (``value``; also ``partial(f, ...)``: f),
               "instance" (``x = Cls(...)``: ``value`` names the class)
``calls``      [callee, line, caller qualname, guard, context managers,
               arguments]: calls that may run a project function; ``guard``
               is "db" when a DB-error or broad handler of the same function
               encloses the call, "integrity" when only integrity handlers do,
               "" else; ``arguments`` (only when the call passes a constant,
               a number unpacked from a fetched row, or one of the caller's
               parameters) says which, see ``argument_kinds``; a row without it passes nothing known
``ddl``        table name (lower case) -> ``keys``, ``unique``, ``line``: what
               ``CREATE TABLE`` / ``CREATE UNIQUE INDEX`` text in the module
               declares (raw SQL naming the table is pinned by these)
``cattrs``     attribute name -> the line of its first definition when
               every definition and store of it in this module is a literal
               (a class attribute ``arg = "%s"``, a property returning only
               literals or such attributes of ``self``, ``obj.arg = "?"``),
               0 when one is not: the project's constant attributes are the
               names no module stores anything else in (DBS401 reads
               ``self.db.arg`` through them)
``teardowns``  lines where a function that ends a session (``remove()``,
               ``close()``, ``rollback()``) is registered to run after every
               request (Flask ``teardown_request``/``teardown_appcontext``)
``error_handlers``  lines where a DB error class gets an application-wide
               handler (Flask ``errorhandler``/``register_error_handler``,
               FastAPI/Starlette ``exception_handler``/``add_exception_handler``)
"""

from __future__ import annotations

import ast
from typing import Any, Dict, List, Optional, Tuple

from ..names import (
    const_str,
    dotted_name,
    is_instance_field,
    keyword,
    last_part,
    receiver,
    walk_bounded,
    walk_same_scope,
)
from ..semantics import SCOPED_FACTORIES, Semantics, retries_deadlocks
from ..semantics.vocab import ONE_ROW, ROWS_CHAIN
from ..semantics.loggers import is_secret_name
from ..semantics.rows import fetched_number
from ..semantics.sqlstrings import spliced_parts
from ..semantics.sqltrace import is_constant_name, returned_text
from ..semantics.values import is_numeric_call, numeric_annotation, rejected_subject
from ..walker import ModuleFacts, Scope, scope_qualname
from ..handlers import handler_deals_with
from ..sqltext import declared_keys
from ..web import is_security_dependency, nodes_of_small
from .names import ModuleNames

FORMAT = 13


def declared_table_names(summary: Dict[str, Any]) -> List[str]:
    """The SQL names (lower case) of the tables a module declares: ORM
    classes' ``__tablename__``, ``Table("name", ...)`` and DDL text."""
    names = {info["table"].lower() for info in summary.get("classes", {}).values() if info.get("table")}
    names.update(fact["name"].lower() for fact in summary.get("attrs", {}).values()
                 if fact.get("kind") == "table" and fact.get("name"))
    names.update(summary.get("ddl", {}))
    return sorted(names)


def creator_names(summary: Dict[str, Any]) -> List[str]:
    """Last name parts under which this module can make a call create a
    session (see ``ProjectModel.creates``): its session-factory attributes,
    its functions that return a session, and every name it introduces as an
    alias (``from .db import get_session as make``, ``make = get_session``),
    whatever the alias stands for.  A call whose last part is in no module's
    list cannot resolve to a creator, so the model answers it without
    resolving anything."""
    names = set()
    for name, fact in summary.get("attrs", {}).items():
        if fact.get("kind") in ("factory", "session", "scoped", "alias"):
            names.add(name)
    for qualname, info in summary.get("functions", {}).items():
        if info.get("returns") in ("session", "shared"):
            names.add(qualname.rsplit(".", 1)[-1])
    for local, target in summary.get("imports", {}).items():
        if target.rsplit(".", 1)[-1] != local:
            names.add(local)
    return sorted(names)


def _reads_rowcount(parents: Dict[ast.AST, ast.AST], scope: Scope, param: str) -> bool:
    """Does the function read ``<param>.rowcount`` (reader's
    ``rowcount_exactly_one(cursor, ...)``)?"""
    return any(isinstance(parents.get(load), ast.Attribute) and parents[load].attr == "rowcount"
               for load in scope.loads.get(param, ()))


def frozen(value: Any) -> Any:
    """``value`` with every list turned into a tuple, recursively.

    A summary lives for the whole run once loaded; a tuple of strings and
    numbers is something the cyclic garbage collector stops tracking, a list
    never is. Every full collection flake8's own work triggers would
    otherwise traverse every loaded summary (nova: 60k lists). Fresh and
    cached summaries are frozen alike, so a cold run and a warm run see the
    same types."""
    kind = type(value)
    if kind is list or kind is tuple:
        return tuple([frozen(item) if type(item) in _CONTAINERS else item for item in value])
    if kind is dict:
        return {key: frozen(item) if type(item) in _CONTAINERS else item for key, item in value.items()}
    return value


#: what ``frozen`` descends into (scalars are returned as they are, uncalled)
_CONTAINERS = frozenset({list, tuple, dict})
HANDLING = ("db", "broad")
#: decorators that make a function a web request handler
ROUTE_METHODS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "websocket", "expose"}
)
#: registrations of an application-wide exception handler
#: Flask's hooks run after every request (or application context), error or not
TEARDOWN_HOOKS = frozenset({"teardown_request", "teardown_appcontext"})
ERROR_HANDLER_CALLS = frozenset(
    {"errorhandler", "register_error_handler", "exception_handler", "add_exception_handler",
     "app_errorhandler"}
)
CONTEXT_MANAGER_DECORATORS = frozenset({"contextmanager", "asynccontextmanager"})
#: the methods that render an object in a log record (``%s``/``%r``/f-strings)
REPR_METHODS = frozenset({"__repr__", "__str__"})
#: calls in a ``__repr__`` that may render any attribute
RENDERS_ALL = frozenset({"vars", "super", "getattr", "asdict", "pformat", "pprint"})
#: column factories whose keywords mark keys (SQLAlchemy Core/ORM, Flask-SQLAlchemy)
COLUMN_FACTORIES = frozenset({"Column", "mapped_column", "column_property"})


class Summarizer:
    """Builds the summary of one module from its facts and semantics."""

    def __init__(self, facts: ModuleFacts, sem: Semantics, module: str, is_package: bool) -> None:
        self.facts = facts
        self.sem = sem
        self.module = module
        self.names = ModuleNames(facts, module, is_package)
        self.imports = self.names.imports
        self.qualnames: Dict[int, str] = {}

    def qualified(self, node: Optional[ast.AST]) -> Optional[str]:
        return self.names.name(node)

    def qualname(self, scope: Scope) -> str:
        key = id(scope.node)
        if key not in self.qualnames:
            self.qualnames[key] = scope_qualname(scope)
        return self.qualnames[key]

    # -- the summary -------------------------------------------------------

    def summary(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {
            "format": FORMAT,
            "module": self.module,
            "imports": self.imports,
            "functions": {},
            "classes": {},
            "attrs": self._module_attrs(),
            "calls": [],
            "error_handlers": [],
            "teardowns": [],
        }
        constants = self._constant_attributes()
        if constants:
            out["cattrs"] = constants
        ddl = self._declared_tables()
        if ddl:
            out["ddl"] = ddl
        for scope in self.facts.scopes:
            if scope.kind == "function":
                out["functions"][self.qualname(scope)] = self._function(scope)
                if self._teardown_hook(scope):
                    out["teardowns"].append(scope.node.lineno)  # type: ignore[attr-defined]
            elif scope.kind == "class":
                out["classes"][self.qualname(scope)] = self._class(scope)
            self._calls(scope, out)
        return frozen(out)  # type: ignore[no-any-return]

    def _declared_tables(self) -> Dict[str, Dict[str, Any]]:
        """``ddl``: the keys that SQL text in this module declares
        (``CREATE TABLE t (... PRIMARY KEY ...)``, ``CREATE UNIQUE INDEX ...
        ON t (...)``), per table name in lower case."""
        found: Dict[str, Dict[str, Any]] = {}
        for node in self.facts.ddl:
            declared = declared_keys(node.value)
            if declared is None:
                continue
            entry = found.setdefault(declared.table.lower(), {"keys": [], "unique": [], "line": node.lineno})
            if declared.primary and not entry["keys"]:
                entry["keys"] = declared.primary
            entry["unique"] += [u for u in declared.unique if u not in entry["unique"]]
        return found

    def _constant_attributes(self) -> Dict[str, int]:
        """``cattrs``: per attribute name, the line of its first definition
        when every definition and store of it in this module is a literal, 0
        when one is not.  Class attributes (not annotated fields: a
        dataclass's or a pydantic settings model's ``keyspace: str = "x"``
        is whatever the constructor is given), properties (a literal or a
        constant attribute of ``self`` in each ``return``; a second round
        lets one property return another) and ``<obj>.name = ...`` stores
        anywhere in the module."""
        found: Dict[str, int] = {}

        def note(name: str, constant: bool, line: int) -> None:
            if not constant:
                found[name] = 0
            elif found.get(name, 1):
                found[name] = min(found.get(name, line), line) or 1

        properties = []
        for scope in self.facts.scopes:
            if scope.kind != "class":
                continue
            for name, bindings in scope.bindings.items():
                for binding in bindings:
                    if binding.kind == "assign":
                        # an annotated one is a field (dataclass, pydantic,
                        # attrs): its constructor sets other values unseen;
                        # ``Final``/``ClassVar`` say it is the class's own
                        field = is_instance_field(binding.node)
                        # a field annotated as a number holds a number (pydantic
                        # validates it; the spec trusts ``limit: int`` likewise)
                        numeric = field and numeric_annotation(getattr(binding.node, "annotation", None))
                        note(name, numeric or (not field and _literal(binding.value)), binding.line)
            for child in scope.children:
                if child.kind == "function" and _is_property(child.node):
                    exits = [node for node, _ctx in child.exits]
                    returns = [n.value for n in exits if isinstance(n, ast.Return)]
                    if len(returns) < len(exits):
                        returns.append(None)  # a generator: not a constant
                    properties.append((child.node.name, child.node.lineno, returns))  # type: ignore[attr-defined]
        for name, value in self.facts.attribute_stores:
            safe = value is not None and (_literal(value) or is_numeric_call(value))
            note(name, safe, getattr(value, "lineno", 0))
        settled: Dict[str, bool] = {}
        for _round in range(2):  # a second round lets one property return another
            known = {**found, **{n: int(c) for n, c in settled.items()}}
            settled = {}
            for name, _line, returns in properties:
                constant = bool(returns) and all(
                    _literal(v) or (isinstance(v, ast.Attribute) and _is_self(v.value)
                                    and v.attr != name and bool(known.get(v.attr)))
                    for v in returns)
                settled[name] = settled.get(name, True) and constant
        for name, line, _returns in properties:
            note(name, settled[name], line)
        return found

    def creators(self) -> Dict[str, Any]:
        """The part of the summary ``creator_names`` reads (imports, module
        attributes, what functions return), without the rest: the model
        asks it of a linted module before anything else, for most calls."""
        return {
            "imports": self.imports,
            "attrs": self._module_attrs(),
            "functions": {self.qualname(scope): {"returns": self._returns(scope)}
                          for scope in self.facts.scopes if scope.kind == "function"},
        }

    # -- functions -----------------------------------------------------------

    def _function(self, scope: Scope) -> Dict[str, Any]:
        node = scope.node
        args = node.args  # type: ignore[attr-defined]
        params = [a.arg for a in list(getattr(args, "posonlyargs", [])) + args.args + args.kwonlyargs]
        decorators = []
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.qualified(target) or dotted_name(target)
            if name:
                decorators.append(name)
        info: Dict[str, Any] = {"line": node.lineno, "params": params, "decorators": decorators}
        if args.kwonlyargs:
            info["kwonly"] = len(args.kwonlyargs)
        constant_defaults = _constant_defaults(args)
        if constant_defaults:
            info["cdefaults"] = constant_defaults
        found = [(call, self.sem.write(call, scope)) for call, _ctx in scope.calls]
        writes = [call.lineno for call, write in found if write is not None]
        if writes:
            info["writes"] = writes
        via = self._write_receivers(scope)
        if via:
            info["via"] = via
        elif writes and all(self.sem.session_managed(w, scope) for _c, w in found if w is not None):
            info["tx"] = True
        wrapper = self._wrapper_kind(scope)
        if wrapper:
            info["wrapper"] = wrapper
        else:
            wrapper_via = self._wrapper_via(scope)
            if wrapper_via:
                info["wrapper_via"] = wrapper_via
        if self._is_handler_cm(scope):
            info["cm"] = True
        else:
            via = self._cm_via(scope)
            if via:
                info["cm_via"] = via
        if any(self.sem.ends_transaction_here(call, scope, savepoints=False) for call, _ctx in scope.calls):
            info["rollback"] = True
        validated = self._validated_param(scope, params)
        if validated:
            info["validates"] = True
        via: List[str] = []
        returns = self._returns(scope, via)
        if not returns and validated and self._returns_only(scope, validated):
            returns = "validated"  # ``return name`` after checking it: as good as quoted
        if returns:
            info["returns"] = returns
            if via and returns in ("instance", "rows"):
                info["rows_via"] = via
        elif self._returned_function(scope):
            info["returns_function"] = self._returned_function(scope)
        else:
            quoted_via = self._quoted_via(scope)
            if quoted_via:
                info["quoted_via"] = quoted_via
        sql = returned_text(self.sem, self.facts, scope)
        if sql is not None:
            info["sql"] = f"{sql[0]}:{','.join(sql[1])}"
        counts = [p for p in params if _reads_rowcount(self.facts.parents, scope, p)]
        if counts:
            info["counts"] = counts
        if retries_deadlocks(node, scope.parent or scope):
            info["retry"] = True
        if self.sem.settings.wants("DBS701"):  # only DBS701 asks; costly to gather
            authz = self.sem.authz_lines(scope)
            if authz:
                info["authz"] = authz
            destroys = [line for line, _label in self.sem.destructive_ops(scope)]
            if destroys:
                info["destroys"] = destroys
        if any(last_part(d.func if isinstance(d, ast.Call) else d) in ROUTE_METHODS
               for d in node.decorator_list):  # type: ignore[attr-defined]
            info["route"] = True
        return info

    def _teardown_hook(self, scope: Scope) -> bool:
        """``@app.teardown_request def shutdown(exc): session.remove()``: a
        function Flask runs after every request that ends a session
        (``remove()``, ``close()`` or ``rollback()`` on a session-like)."""
        hooked = any(last_part(d.func if isinstance(d, ast.Call) else d) in TEARDOWN_HOOKS
                     for d in getattr(scope.node, "decorator_list", ()))
        return hooked and self._ends_sessions(scope)

    def _registers_teardown(self, call: ast.Call, scope: Scope) -> bool:
        """``app.teardown_appcontext(shutdown)`` with ``shutdown`` a function
        of this module that ends a session."""
        if len(call.args) != 1 or not isinstance(call.args[0], ast.Name):
            return False
        binding = scope.lookup(call.args[0].id, call.args[0])
        inner = _scope_of(self.facts, binding.node) if binding is not None and binding.kind == "def" else None
        return inner is not None and self._ends_sessions(inner)

    def _ends_sessions(self, scope: Scope) -> bool:
        for call, _ctx in scope.calls:
            if last_part(call.func) in ("remove", "close", "rollback"):
                recv = receiver(call)
                if recv is not None and self.sem.is_session_like(recv, scope):
                    return True
        return False

    def _guard(self, ctx, handling_only: bool = False) -> str:  # type: ignore[no-untyped-def]
        """"db" when a DB-error or broad handler of the same function encloses
        the code, "integrity" when only integrity handlers do, "" else.  With
        ``handling_only``, a handler that only re-raises what it caught (logs
        and ``raise``) does not count: a decorator or context manager handles
        DB errors when it translates, retries, rolls back or stops them."""
        kinds = set()
        for frame in ctx.tries:
            if frame.part != "body":
                continue
            for handler in getattr(frame.node, "handlers", ()):
                if handling_only and not handler_deals_with(handler):
                    continue
                kinds.add(self.sem.handler_kind(handler))
        if kinds & set(HANDLING):
            return "db"
        return "integrity" if "integrity" in kinds else ""

    def _write_receivers(self, scope: Scope) -> List[str]:
        """Imported names a write method is called on (``Session.commit()``):
        writes if the project model says the name is a session."""
        found: List[str] = []
        methods = self.sem.settings.write_methods
        for call, _ctx in scope.calls:
            func = call.func
            if isinstance(func, ast.Attribute) and func.attr in methods:
                name = self.qualified(func.value)
                if name and name not in found and self.sem.write(call, scope) is None:
                    found.append(name)
        return found[:20]

    def _wrapper_kind(self, scope: Scope) -> str:
        """A decorator (or decorator factory) whose nested wrapper calls the
        wrapped function inside a try with a DB-error handler: keystone's
        ``handle_conflicts``, a project ``retry_on_deadlock``."""
        wrapped = self._parameters_up_to(scope)
        best = ""
        for child in _descendant_functions(scope):
            for call, ctx in child.calls:
                if not (isinstance(call.func, ast.Name) and call.func.id in wrapped):
                    continue
                guard = self._guard(ctx, handling_only=True)
                if guard == "db":
                    return "db"
                if guard == "integrity":
                    best = "integrity"
        return best

    def _wrapper_via(self, scope: Scope) -> List[str]:
        """A decorator whose nested wrapper calls the decorated function inside
        ``with`` blocks of context managers: those (``"call:f"`` for one made
        by calling ``f``), so the model can tell whether one handles DB
        errors (airflow's ``provide_session`` runs the function in
        ``with create_session() as session:``, which rolls back and re-raises)."""
        wrapped = self._parameters_up_to(scope)
        found: List[str] = []
        for child in _descendant_functions(scope):
            for call, ctx in child.calls:
                if not (isinstance(call.func, ast.Name) and call.func.id in wrapped):
                    continue
                for item in ctx.withs:
                    for name in self._cm_names(item.context_expr, child):
                        if name not in found:
                            found.append(name)
        return found[:8]

    @staticmethod
    def _parameters_up_to(scope: Scope) -> set:
        """Parameters of ``scope`` and of the functions nested in it (the
        decorated function is one of them)."""
        names = set()
        for child in [scope, *_descendant_functions(scope)]:
            args = getattr(child.node, "args", None)
            if args is not None:
                names.update(a.arg for a in args.args + args.kwonlyargs)
        return names

    def _is_handler_cm(self, scope: Scope) -> bool:
        """``@contextmanager`` generator whose ``yield`` sits in the body of a
        try with a DB-error or broad handler (mlflow's ManagedSessionMaker)."""
        decorators = getattr(scope.node, "decorator_list", ())
        if not any(last_part(d.func if isinstance(d, ast.Call) else d) in CONTEXT_MANAGER_DECORATORS
                   for d in decorators):
            return False
        for node, ctx in scope.exits:
            if not isinstance(node, (ast.Yield, ast.YieldFrom)):
                continue
            for frame in ctx.tries:
                if frame.part == "body" and any(
                    self.sem.handler_kind(h) in HANDLING and handler_deals_with(h)
                    for h in getattr(frame.node, "handlers", ())
                ):
                    return True
        return False

    def _cm_via(self, scope: Scope) -> List[str]:
        """A ``@contextmanager`` whose ``yield`` sits only inside ``with``
        blocks of other context managers: those (``"call:f"`` for one made by
        calling ``f``), so the model can tell whether they handle DB errors
        (mlflow's routing session maker delegates to the managed one)."""
        decorators = getattr(scope.node, "decorator_list", ())
        if not any(last_part(d.func if isinstance(d, ast.Call) else d) in CONTEXT_MANAGER_DECORATORS
                   for d in decorators):
            return []
        found: List[str] = []
        for node, ctx in scope.exits:
            if not isinstance(node, (ast.Yield, ast.YieldFrom)):
                continue
            if not ctx.withs:
                return []
            for item in ctx.withs:
                for name in self._cm_names(item.context_expr, scope):
                    if name not in found:
                        found.append(name)
        return found[:8]

    def _cm_names(self, expr: ast.AST, scope: Scope) -> List[str]:
        """What a ``with`` item's context manager is: qualified names, also
        through ``a if c else b`` and locals bound to a call's result."""
        if isinstance(expr, ast.Await):
            expr = expr.value
        if isinstance(expr, ast.Call):
            expr = expr.func
        if isinstance(expr, ast.IfExp):
            return self._cm_names(expr.body, scope) + self._cm_names(expr.orelse, scope)
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id, expr)
            if binding is not None and binding.kind == "assign" and isinstance(binding.value, ast.Call):
                name = self.qualified(binding.value.func)
                return [f"call:{name}"] if name else []
        name = self.qualified(expr)
        return [name] if name else []

    @staticmethod
    def _validated_param(scope: Scope, params: List[str]) -> str:
        """The first parameter (after ``self``/``cls``) when a statement of
        the function's own body rejects it unless it is allowed or a safe
        identifier (``rejected_subject``): mem0's ``_validate_identifier``."""
        first = [p for p in params[:2] if p not in ("self", "cls")][:1]
        if not first:
            return ""
        for statement in getattr(scope.node, "body", ()):
            if rejected_subject(statement, scope) == first[0]:
                return first[0]
        return ""

    @staticmethod
    def _returns_only(scope: Scope, name: str) -> bool:
        """Every ``return`` gives the parameter ``name`` itself (never
        rebound); the other exits raise."""
        exits = [node for node, _ctx in scope.exits if not isinstance(node, ast.Raise)]
        return bool(exits) and len(scope.bindings.get(name, ())) == 1 and all(
            isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id == name
            for node in exits)

    def _returns(self, scope: Scope, via: Optional[List[str]] = None) -> str:
        """What every ``return`` of the function gives, when they agree
        (``via`` collects the ``cls.<m>()`` methods a "rows"/"instance"
        answer relies on)."""
        kinds = set()
        for node, _ctx in scope.exits:
            if isinstance(node, ast.Return) and node.value is not None:
                kind = self._return_kind(node.value, scope)
                if not kind and via is not None:
                    kind = self._rows_kind(node.value, scope, via, 0)
                kinds.add(kind)
        kinds.discard("none")
        return kinds.pop() if len(kinds) == 1 and "" not in kinds else ""

    def _quoted_via(self, scope: Scope) -> List[str]:
        """The project functions whose results every ``return`` splices into
        literal text, and nothing else (``f'"{canonicalize(schema)}"."{canonicalize
        (table)}"'``, also through a local bound once): the function quotes
        when they all do (the model decides, ``ProjectModel.is_quoting``)."""
        callees: List[str] = []
        exits = [node for node, _ctx in scope.exits if isinstance(node, ast.Return) and node.value is not None]
        for node in exits:
            value = node.value
            if isinstance(value, ast.Name):
                bound = scope.bindings.get(value.id, ())
                value = bound[0].value if len(bound) == 1 and bound[0].kind == "assign" else None
            parts = spliced_parts(value)
            if not parts:
                return []
            for part in parts:
                callee = self.names.callee(part, scope) if isinstance(part, ast.Call) else None
                if callee is None:
                    return []
                if callee not in callees:
                    callees.append(callee)
        return callees[:8]

    def _rows_kind(self, value: ast.AST, scope: Scope, via: List[str], depth: int) -> str:
        """"instance" for ``cls(...)``, a loop variable over rows, or
        ``.first()``/``.one()`` of rows; "rows" for ``<session>.query(cls)``
        / ``select(cls)`` and the filtering steps after it, or
        ``cls.<m>(...)`` (``m`` recorded in ``via`` for the model to check);
        "" otherwise. Locals are followed to their last binding."""
        owner = _enclosing_class(scope)
        if owner is None or depth > 8:
            return ""
        names = {"cls", getattr(owner.node, "name", "")}
        if isinstance(value, ast.Name):
            binding = scope.lookup(value.id, value)
            if binding is None:
                return ""
            if binding.kind in ("assign", "walrus") and binding.value is not None:
                return self._rows_kind(binding.value, scope, via, depth + 1)
            loop = binding.node
            if (binding.kind == "for" and isinstance(loop, (ast.For, ast.AsyncFor))
                    and isinstance(loop.target, ast.Name)):
                return "instance" if self._rows_kind(loop.iter, scope, via, depth + 1) == "rows" else ""
            return ""
        if not isinstance(value, ast.Call):
            return ""
        func = value.func
        first = value.args[0] if len(value.args) == 1 else None
        of_owner = isinstance(first, ast.Name) and first.id in names
        if isinstance(func, ast.Name):
            if func.id in names:
                return "instance"
            return "rows" if func.id == "select" and of_owner else ""
        if not isinstance(func, ast.Attribute):
            return ""
        if func.attr == "query" and of_owner:
            return "rows"
        if isinstance(func.value, ast.Name) and func.value.id in names:
            if func.attr not in via:
                via.append(func.attr)
            return "rows"
        inner = self._rows_kind(func.value, scope, via, depth + 1)
        if inner != "rows":
            return ""
        if func.attr in ROWS_CHAIN or func.attr == "all":
            return "rows"
        return "instance" if func.attr in ONE_ROW else ""

    @staticmethod
    def _returned_function(scope: Scope) -> str:
        """The name of the nested function every ``return`` gives, if one."""
        names = set()
        for node, _ctx in scope.exits:
            if isinstance(node, ast.Return):
                value = node.value
                if not isinstance(value, ast.Name):
                    return ""
                binding = scope.lookup(value.id, value)
                if binding is None or binding.kind != "def" or binding not in scope.bindings.get(value.id, ()):
                    return ""
                names.add(value.id)
        return names.pop() if len(names) == 1 else ""

    def _return_kind(self, value: ast.AST, scope: Scope) -> str:
        if isinstance(value, ast.Constant) and value.value is None:
            return "none"
        if isinstance(value, ast.Call):
            kind = self.sem.factory_kind(value, scope)
            if kind in ("session", "connection", "scoped"):
                return "session"
            method = last_part(value.func)
            if method in ("getLogger", "get_logger", "getChild", "LoggerAdapter"):
                return "logger"
            if method in self.sem.settings.masking_functions:
                return "masked"
        if isinstance(value, ast.Name):
            binding = scope.lookup(value.id, value)
            if binding is not None and binding.kind == "def":
                inner = _scope_of(self.facts, binding.node)
                if inner is not None and self._is_handler_cm(inner):
                    return "handler_cm"
            if binding is not None and binding.kind in ("assign", "with") and binding.value is not None:
                if isinstance(binding.value, ast.Call):
                    kind = self.sem.factory_kind(binding.value, scope)
                    if kind in ("session", "connection", "scoped"):
                        return "shared" if _kept(scope, value.id) else "session"
        if _doubles_quotes(value):
            return "quoted"
        return ""

    # -- classes ---------------------------------------------------------------

    def _class(self, scope: Scope) -> Dict[str, Any]:
        node = scope.node
        bases = [self.qualified(b) or dotted_name(b) or "" for b in node.bases]  # type: ignore[attr-defined]
        info: Dict[str, Any] = {"line": node.lineno, "bases": [b for b in bases if b]}
        attrs: Dict[str, str] = {}
        rels: Dict[str, str] = {}
        keys: List[str] = []
        unique: List[List[str]] = []
        renamed: Dict[str, str] = {}
        for stmt in node.body:  # type: ignore[attr-defined]
            targets = _assigned_names(stmt)
            value = getattr(stmt, "value", None)
            if not targets or value is None:
                continue
            name = targets[0]
            target = _relationship_target(value)
            if target:
                rels[name] = target
                continue
            column = _column_flags(value)
            if column is not None:
                column_name = _column_name(value) or name
                if column_name != name:
                    renamed[column_name] = name  # id = Column("RepoID", ...): code says .id
                if column.get("primary_key"):
                    keys.append(column_name)
                if column.get("unique"):
                    unique.append([column_name])
                continue
            if name == "__tablename__":
                table_name = const_str(value)
                if table_name:
                    info["table"] = table_name
            elif name == "__table_args__":
                table_keys, table_unique = _table_constraints(value)
                keys += table_keys
                unique += table_unique
            elif name == "__mapper_args__" and isinstance(value, ast.Dict):
                for key, item in zip(value.keys, value.values):
                    if const_str(key) == "version_id_col":
                        column_name = last_part(item)
                        if column_name:
                            info["concurrency"] = [column_name]
            else:
                dotted = self.qualified(value) or dotted_name(value)
                if dotted:
                    attrs[name] = dotted
        if attrs:
            info["attrs"] = attrs
        if keys:
            # ``primary_key=True`` and a ``PrimaryKeyConstraint`` may both name it
            info["keys"] = list(dict.fromkeys(keys))
        if unique:
            info["unique"] = unique
        if renamed and (keys or unique):
            info["renamed"] = renamed
        self_attrs = self._self_attrs(scope)
        if self_attrs:
            info["self_attrs"] = self_attrs
        if rels:
            info["rels"] = rels
        shows = self._repr_shows(scope)
        if shows is not None:
            info["repr"] = "shows" if shows else "hides"
        if self._exit_handles(scope):
            info["exit"] = True
        return info

    def _self_attrs(self, scope: Scope) -> Dict[str, List[str]]:
        """``self.x = f(...)`` / ``self.x = Cls`` in the class's methods: x ->
        every value it gets (``"call:f"`` for a call's result)."""
        found: Dict[str, List[str]] = {}
        for child in scope.children:
            if child.kind != "function":
                continue
            for node in child.self_assigns:
                for target in node.targets:
                    if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                            and target.value.id == "self"):
                        continue
                    value = node.value.func if isinstance(node.value, ast.Call) else node.value
                    dotted = self.qualified(value) or dotted_name(value) or "?"
                    entry = ("call:" if isinstance(node.value, ast.Call) else "") + dotted
                    values = found.setdefault(target.attr, [])
                    if entry not in values and len(values) < 8:
                        values.append(entry)
        return found

    def _repr_shows(self, scope: Scope) -> Optional[bool]:
        """Can the class's own ``__repr__``/``__str__`` render a secret: read
        a secret-named attribute of ``self`` (``--dbsec-secret-pattern``),
        ``self.__dict__``, or call something that may render every attribute
        (``vars``, ``super``, ``getattr``, a method of ``self``)? None when the
        class defines neither."""
        pattern = self.sem.settings.secret_pattern
        shows: Optional[bool] = None
        for child in scope.children:
            if child.kind != "function" or getattr(child.node, "name", "") not in REPR_METHODS:
                continue
            shows = False
            for node in walk_bounded(child.node, 5_000):
                if isinstance(node, ast.Attribute) and _is_self(node.value):
                    if node.attr == "__dict__" or is_secret_name(pattern, node.attr):
                        return True
                elif isinstance(node, ast.Call):
                    func = node.func
                    if isinstance(func, ast.Name) and func.id in RENDERS_ALL:
                        return True
                    if isinstance(func, ast.Attribute) and (_is_self(func.value) or func.attr in RENDERS_ALL):
                        return True
                elif isinstance(node, (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)) and node is not child.node:
                    return True
        if shows is None:
            return self._generated_repr_shows(scope.node)  # type: ignore[arg-type]
        return shows

    def _generated_repr_shows(self, node: ast.ClassDef) -> Optional[bool]:
        """A ``@dataclass``/attrs/``NamedTuple`` class without a ``__repr__`` of
        its own renders every field the generated ``__repr__`` includes: does
        one of them have a secret name (``field(repr=False)``/``attr.ib(repr=
        False)`` leave a field out)? None for other classes."""
        generated = any(_generates_repr(d) for d in node.decorator_list) or any(
            last_part(base) == "NamedTuple" for base in node.bases)
        if not generated:
            return None
        if any(isinstance(d, ast.Call) and _keyword_false(d, "repr") for d in node.decorator_list):
            return False  # ``@dataclass(repr=False)``: object's own repr
        pattern = self.sem.settings.secret_pattern
        for stmt in node.body:
            name = value = None
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                name, value = stmt.target.id, stmt.value
            elif (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
                  and isinstance(stmt.value, ast.Call) and last_part(stmt.value.func) in FIELD_CALLS):
                name, value = stmt.targets[0].id, stmt.value
            if name is None or name.startswith("__"):
                continue
            if isinstance(value, ast.Call) and last_part(value.func) in FIELD_CALLS and _keyword_false(value, "repr"):
                continue
            if is_secret_name(pattern, name):
                return True
        return False

    def _exit_handles(self, scope: Scope) -> bool:
        """An ``__exit__``/``__aexit__`` that rolls back, closes or translates."""
        for child in scope.children:
            if getattr(child.node, "name", "") not in ("__exit__", "__aexit__"):
                continue
            for stmt in getattr(child.node, "body", ()):
                for node in walk_same_scope(stmt, 2000):
                    if isinstance(node, ast.Raise):
                        return True
                    if isinstance(node, ast.Call) and last_part(node.func) == "rollback":
                        return True
        return False

    # -- module level ------------------------------------------------------------

    def _module_attrs(self) -> Dict[str, Any]:
        module = self.facts.module
        out: Dict[str, Any] = {}
        for name, bindings in module.bindings.items():
            if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].value is None:
                continue
            value = bindings[0].value
            fact = self._attr_fact(value, module)
            if fact is not None:
                fact["line"] = bindings[0].line
                out[name] = fact
        return out

    def _attr_fact(self, value: ast.AST, module: Scope) -> Optional[Dict[str, Any]]:
        if isinstance(value, ast.Call):
            kind = self.sem.factory_kind(value, module)
            if kind in ("session", "scoped", "connection"):
                return {"kind": "session"}
            if kind == "factory":
                # scoped_session(...) is a proxy: a session itself, and called
                # it gives the thread's session; sessionmaker(...) only makes them
                scoped = self.sem._from_sqlalchemy(value.func, SCOPED_FACTORIES)  # noqa: SLF001
                fact = {"kind": "scoped" if scoped else "factory"}
                made = keyword(value, "class_")
                made_name = (self.qualified(made) or dotted_name(made)) if made is not None else None
                if made_name:
                    fact["class"] = made_name  # sessionmaker(class_=ContextSession): what it makes
                return fact
            if self.sem._is_engine(value, module):  # noqa: SLF001 - one semantics layer
                return {"kind": "engine"}
            method = last_part(value.func)
            if method == "partial" and value.args and isinstance(value.args[0], (ast.Name, ast.Attribute)):
                # ``wrap = partial(_utils.wrap_exceptions, StorageError)``: the
                # function with some arguments filled does what it does
                dotted = self.qualified(value.args[0]) or dotted_name(value.args[0])
                return {"kind": "alias", "value": dotted} if dotted else None
            if method in ("getLogger", "get_logger", "getChild", "LoggerAdapter"):
                return {"kind": "logger"}
            if method == "Table":
                keys: List[str] = []
                unique: List[List[str]] = []
                for arg in value.args:
                    flags = _column_flags(arg)
                    column_name = _column_name(arg)
                    if flags is not None and column_name:
                        if flags.get("primary_key"):
                            keys.append(column_name)
                        if flags.get("unique"):
                            unique.append([column_name])
                    else:
                        table_keys, table_unique = _table_constraints(arg)
                        keys += table_keys
                        unique += table_unique
                fact = {"kind": "table", "keys": list(dict.fromkeys(keys)), "unique": unique}
                table_name = const_str(value.args[0]) if value.args else None
                if table_name:
                    fact["name"] = table_name
                return fact
            if method and method[:1].isupper():
                # ``db_manager = DBManager()``: its methods are the class's
                klass = self.qualified(value.func) or dotted_name(value.func)
                return {"kind": "instance", "value": klass} if klass else None
            return None
        dotted = self.qualified(value) or dotted_name(value)
        if dotted and isinstance(value, (ast.Name, ast.Attribute)):
            return {"kind": "alias", "value": dotted}
        if isinstance(value, (ast.Subscript, ast.List, ast.Tuple)) and is_security_dependency(value):
            return {"kind": "auth_dependency"}
        return None

    def _calls(self, scope: Scope, out: Dict[str, Any]) -> None:
        """Call sites that may run a project function, with their guard; and
        application-wide DB error handlers."""
        caller = self.qualname(scope) if scope.kind != "module" else ""
        for call, ctx in scope.calls:
            if last_part(call.func) in ERROR_HANDLER_CALLS and self._registers_db_handler(call):
                out["error_handlers"].append(call.lineno)
            if last_part(call.func) in TEARDOWN_HOOKS and self._registers_teardown(call, scope):
                out["teardowns"].append(call.lineno)
            callee = self.names.callee(call, scope)
            if callee is None:
                continue
            managers = [m for m in (self._manager_name(item.context_expr) for item in ctx.withs) if m]
            row = [callee, call.lineno, caller, self._guard(ctx)]
            arguments = argument_kinds(call, scope, self.facts)
            if managers or arguments:
                row.append(managers)
            if arguments:
                row.append(arguments)
            out["calls"].append(row)

    def _manager_name(self, expr: ast.AST) -> Optional[str]:
        """A ``with`` item's context manager: its qualified name, or
        ``self:<attr>`` for ``self.<attr>(...)`` (the model reads the class)."""
        target = _cm_target(expr)
        if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                and target.value.id == "self"):
            return f"self:{target.attr}"
        return self.qualified(target)

    def _registers_db_handler(self, call: ast.Call) -> bool:
        classes = list(call.args[:1])
        if not classes:
            return False
        node = classes[0]
        handler = ast.ExceptHandler(type=node, name=None, body=[])
        return self.sem.handler_kind(handler) in ("db", "integrity")


# --- helpers ---------------------------------------------------------------------



def _descendant_functions(scope: Scope) -> List[Scope]:
    found: List[Scope] = []
    stack = list(scope.children)
    while stack and len(found) < 200:
        child = stack.pop()
        if child.kind == "function":
            found.append(child)
            stack.extend(child.children)
    return found


def _enclosing_class(scope: Scope) -> Optional[Scope]:
    current: Optional[Scope] = scope
    while current is not None:
        if current.kind == "class":
            return current
        current = current.parent
    return None


def _scope_of(facts: ModuleFacts, node: ast.AST) -> Optional[Scope]:
    for scope in facts.scopes:
        if scope.node is node:
            return scope
    return None


def _cm_target(expr: ast.AST) -> ast.AST:
    if isinstance(expr, ast.Await):
        expr = expr.value
    return expr.func if isinstance(expr, ast.Call) else expr


def _assigned_names(stmt: ast.stmt) -> List[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def _column_flags(value: ast.AST) -> Optional[Dict[str, bool]]:
    """``Column(..., primary_key=True, unique=True)`` -> its flags; None if
    ``value`` is no column (``sa.Column``, ``db.Column``, ``mapped_column``).
    SQLModel's ``Field(primary_key=True)`` (or ``Field(sa_column=Column(...))``)
    is a column when it says so; a ``Field`` without those words may be a
    pydantic field, and is left out."""
    if not isinstance(value, ast.Call):
        return None
    if last_part(value.func) == "Field":
        inner = keyword(value, "sa_column")
        if inner is not None:
            return _column_flags(inner)
        if keyword(value, "primary_key") is None and keyword(value, "unique") is None:
            return None
    elif last_part(value.func) not in COLUMN_FACTORIES:
        return None
    flags = {}
    for name in ("primary_key", "unique"):
        flags[name] = _is_true(keyword(value, name))
    return flags


def _column_name(value: ast.AST) -> Optional[str]:
    """``Column("uuid", ...)``: the explicit column name, if any."""
    if isinstance(value, ast.Call) and value.args:
        return const_str(value.args[0])
    return None


def _table_constraints(value: ast.AST) -> Tuple[List[str], List[List[str]]]:
    """Keys and unique sets from ``PrimaryKeyConstraint``/``UniqueConstraint``
    and unique indexes (``Index("ix", "uuid", unique=True)``: the database
    enforces it like a constraint) in ``__table_args__`` or ``Table(...)``
    arguments."""
    keys: List[str] = []
    unique: List[List[str]] = []
    items = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
    for item in items:
        if not isinstance(item, ast.Call):
            continue
        kind = last_part(item.func)
        columns = [const_str(a) or last_part(a) for a in item.args]
        columns = [c for c in columns if c]
        if kind == "PrimaryKeyConstraint":
            keys += columns
        elif kind == "UniqueConstraint" and columns:
            unique.append(columns)
        elif kind == "Index" and _is_true(keyword(item, "unique")):
            indexed = [const_str(a) or last_part(a) for a in item.args[1:]]  # [0] names it
            if indexed and all(indexed):
                unique.append(indexed)
    return keys, unique


def _schema_name(expr: ast.Attribute) -> bool:
    """``model.__tablename__``, ``model.__table__.name``: a name the
    program's own schema declares (DBS401 reads these as constants where it
    traces them; ``StringTrace._schema_name``), passed to a helper."""
    if expr.attr == "__tablename__":
        return True
    owner = expr.value
    return expr.attr in ("name", "fullname") and isinstance(owner, ast.Attribute) and owner.attr == "__table__"


def _is_true(flag: Optional[ast.AST]) -> bool:
    return isinstance(flag, ast.Constant) and flag.value is True


def _literal(value: Optional[ast.AST]) -> bool:
    """A string or number literal (``"%s"``, ``'?'``, ``5``), not a bool/None."""
    return (isinstance(value, ast.Constant) and isinstance(value.value, (str, int, float))
            and not isinstance(value.value, bool))


def _is_property(node: ast.AST) -> bool:
    return any(last_part(d) in ("property", "cached_property")
               for d in getattr(node, "decorator_list", ()))


def _is_self(node: ast.AST) -> bool:
    return isinstance(node, ast.Name) and node.id in ("self", "cls")


def _relationship_target(value: ast.AST) -> str:
    """``relationship("APIToken", ...)`` / ``relationship(APIToken)`` ->
    the target class as written ("" for anything else)."""
    if not (isinstance(value, ast.Call) and last_part(value.func) == "relationship" and value.args):
        return ""
    target = value.args[0]
    text = const_str(target)
    if text is not None:
        return text if text.replace(".", "").replace("_", "").isalnum() else ""
    return dotted_name(target) or ""


#: class decorators whose class gets a generated ``__repr__`` of its fields
#: (``dataclass``; attrs' ``attr.s``/``attr.attrs``/``attrs.define``/...)
REPR_GENERATING = frozenset({"dataclass", "define", "frozen", "mutable"})
ATTRS_REPR_GENERATING = frozenset({"s", "attrs"})
#: calls that declare a field of such a class
FIELD_CALLS = frozenset({"field", "ib", "attrib"})


def _generates_repr(decorator: ast.AST) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = last_part(target)
    if name in REPR_GENERATING:
        return True
    dotted = dotted_name(target) or ""
    return name in ATTRS_REPR_GENERATING and dotted.split(".")[0] in ("attr", "attrs")


def _keyword_false(call: ast.Call, name: str) -> bool:
    value = keyword(call, name)
    return isinstance(value, ast.Constant) and value.value is False


def argument_kinds(call: ast.Call, scope: Scope, facts: Optional[ModuleFacts] = None) -> str:
    """Which arguments of a call are constants, as one compact string (a
    summary keeps one per project call, so it must stay small):
    ``"1,0,@table;where=1;*"``: per positional argument ``1`` (a constant),
    ``0`` (anything else) or ``@name`` (the caller's own parameter ``name``,
    passed on); then, if any, ``;`` and ``keyword=token`` pairs; then ``;*`` when a
    ``*args``/``**kwargs`` spread makes the mapping to parameters unknown.
    "" when the call passes nothing known (no constant, no parameter): the
    model reads a row without it as "unknown", and most rows stay short."""
    positional = []
    spread = False
    for arg in call.args:
        if isinstance(arg, ast.Starred):
            spread = True
            break
        positional.append(_argument_token(arg, scope, facts))
    keywords = []
    for kw in call.keywords:
        if kw.arg is None:
            spread = True
        else:
            keywords.append(f"{kw.arg}={_argument_token(kw.value, scope, facts)}")
    tokens = positional + [pair.partition("=")[2] for pair in keywords]
    if all(token == "0" for token in tokens):
        return ""
    text = ",".join(positional)
    if keywords or spread:
        text += ";" + ",".join(keywords) + (";*" if spread else "")
    return text


def _argument_token(expr: ast.AST, scope: Scope, facts: Optional[ModuleFacts]) -> str:
    if isinstance(expr, ast.Name):
        own = scope.bindings.get(expr.id, ())
        if len(own) == 1 and own[0].kind == "param" and scope.kind == "function":
            return "@" + expr.id
    return "1" if is_constant_value(expr, scope, facts=facts) else "0"


def is_constant_value(expr: ast.AST, scope: Scope, depth: int = 0,
                      facts: Optional[ModuleFacts] = None) -> bool:
    """A literal, a number, a tuple of them, an UPPER_CASE constant (module
    level, imported, or an attribute such as ``models.TABLE``), or a name
    bound once, here or at module level, to one of these: what SQL built
    from it can only ever say what the source says (the specification's
    "constant values"). Asked for every argument of every project call, so
    it reads the bindings directly rather than through ``scope.lookup``."""
    if _is_literal(expr):
        return True
    if isinstance(expr, (ast.Tuple, ast.List)):
        return depth < 3 and all(is_constant_value(e, scope, depth + 1, facts) for e in expr.elts)
    if isinstance(expr, ast.Attribute):
        return is_constant_name(expr.attr) or _schema_name(expr)
    if isinstance(expr, ast.Call):
        return is_numeric_call(expr)
    if isinstance(expr, ast.Name) and depth < 3:
        if is_constant_name(expr.id):
            return True
        owner: Optional[Scope] = scope
        while owner is not None and (expr.id not in owner.bindings
                                     or (owner.kind == "class" and owner is not scope)):
            owner = owner.parent  # a class body does not enclose its methods
        bindings = owner.bindings[expr.id] if owner is not None else ()
        if len(bindings) != 1:
            return False  # bound once: no other value reaches the call
        if bindings[0].kind in ("for", "other"):  # a number unpacked from a fetched row
            return facts is not None and fetched_number(bindings[0], owner, facts)  # type: ignore[arg-type]
        return (bindings[0].kind == "assign" and bindings[0].value is not None
                and is_constant_value(bindings[0].value, owner, depth + 1, facts))  # type: ignore[arg-type]
    return False


def _constant_defaults(args: ast.arguments) -> List[str]:
    """Parameters whose default is a constant (used where a call omits them)."""
    positional = list(getattr(args, "posonlyargs", [])) + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return [a.arg for a, default in pairs if _is_literal(default)]


def _is_literal(expr: ast.AST) -> bool:
    """``"users"``, ``3``, ``-1``, ``None``."""
    return isinstance(expr, ast.Constant) or (
        isinstance(expr, ast.UnaryOp) and isinstance(expr.operand, ast.Constant))


def _doubles_quotes(value: ast.AST) -> bool:
    """A string built around ``x.replace('"', '""')`` (or ``"'"``): quoting.
    Read in expressions of at most 200 nodes; a name or a literal (most
    returned values) holds no call."""
    if isinstance(value, (ast.Name, ast.Constant)):
        return False
    for node in nodes_of_small(value, limit=199):
        if (isinstance(node, ast.Call) and last_part(node.func) == "replace" and len(node.args) == 2):
            old, new = const_str(node.args[0]), const_str(node.args[1])
            if old in ('"', "'", "`", "]") and new == old * 2:
                return True
    return False


def _kept(scope: Scope, name: str) -> bool:
    """Does the function keep the local ``name`` besides returning it: store
    it in a container or on an object (``store[KEY] = session``,
    ``g.session = session``) or in a module global? Then every caller gets
    the same session (privacyidea's per-request ``get_ca_session()``): it is
    borrowed, not created for the caller to close."""
    for node in walk_same_scope(scope.node, 5000):
        if isinstance(node, ast.Global) and name in node.names:
            return True
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Name) and node.value.id == name
                and any(isinstance(t, (ast.Subscript, ast.Attribute)) for t in node.targets)):
            return True
    return False
