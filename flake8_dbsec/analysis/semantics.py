"""What database code means: sessions, writes, statements, error classes, loggers.

This is the vocabulary of ``dbsec-spec.md`` in code.  Every rule family asks
these questions through one :class:`Semantics` object per module; answers
follow local variables through :mod:`.walker` bindings (bounded depth, no
recursion into unbounded structures).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, NamedTuple, Optional, Set, Tuple

from ..options import DBAPI_MODULES, Settings
from .names import (
    MAX_DEPTH,
    call_method,
    const_str,
    dotted_name,
    fstring_text,
    keyword,
    last_part,
    receiver,
    unwrap_await,
    walk_bounded,
    walk_same_scope,
)
from .walker import ModuleFacts, Scope

# --- vocabularies -------------------------------------------------------------

SA_MODULE_PREFIXES = ("sqlalchemy", "sqlmodel", "flask_sqlalchemy")
SESSION_CLASSES = frozenset({"Session", "AsyncSession"})
SESSIONMAKERS = frozenset({"sessionmaker", "async_sessionmaker"})
SCOPED_FACTORIES = frozenset({"scoped_session", "async_scoped_session"})
DML_KINDS = frozenset({"insert", "update", "delete", "replace", "merge"})
SQL_STATEMENT_FUNCS = frozenset({"insert", "update", "delete", "select"})
#: methods that return the same statement, refined (SQLAlchemy Core / 2.0 ORM).
STATEMENT_CHAIN = frozenset(
    {
        "where",
        "filter",
        "filter_by",
        "values",
        "ordered_values",
        "returning",
        "return_defaults",
        "from_select",
        "execution_options",
        "prefix_with",
        "suffix_with",
        "with_hint",
        "with_dialect_options",
        "inline",
        "correlate",
        "correlate_except",
        "bindparams",
        "columns",
        "on_conflict_do_nothing",
        "on_conflict_do_update",
        "on_duplicate_key_update",
        "limit",
        "order_by",
        "params",
        "compile",
    }
)
#: ORM Query methods that return the query again.
QUERY_CHAIN = frozenset(
    {
        "filter",
        "filter_by",
        "where",
        "join",
        "outerjoin",
        "options",
        "order_by",
        "group_by",
        "having",
        "with_for_update",
        "with_lockmode",
        "limit",
        "offset",
        "execution_options",
        "params",
        "enable_eagerloads",
        "distinct",
        "select_from",
        "populate_existing",
        "autoflush",
        "yield_per",
        "correlate",
        "with_entities",
        "with_hint",
        "enable_assertions",
        "reset_joinpoint",
        "union",
        "union_all",
        "from_self",
        "with_parent",
        "soft_delete",
        "undefer",
    }
)
ROW_METHODS = frozenset(
    {
        "first",
        "one",
        "one_or_none",
        "get",
        "all",
        "scalar",
        "scalars",
        "scalar_one",
        "scalar_one_or_none",
        "fetchone",
        "fetchall",
        "fetchmany",
        "first_or_404",
        "get_or_404",
        "one_or_404",
        "mappings",
        "count",
        "exists",
        "partitions",
    }
)
STAGING_METHODS = frozenset({"add", "add_all", "delete", "merge"})
EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql", "executescript"})
ENGINE_NAME = re.compile(r"engine|\w*_engine|\w*Engine")
_SQL_HEAD = re.compile(r"\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*|\(\s*)*([A-Za-z]+)", re.S)
_SQL_WHERE = re.compile(r"\bWHERE\b(.*)", re.I | re.S)
_SQL_RETURNING = re.compile(r"\bRETURNING\b", re.I)
_SQL_SET = re.compile(r"\bSET\b(.*?)(?:\bWHERE\b|$)", re.I | re.S)
_SQL_COMPARED = re.compile(
    r"([A-Za-z_][\w.]*)\s*(?:=|<>|!=|<=|>=|<|>|\bIN\b|\bIS\b)", re.I
)
_SQL_ASSIGNED = re.compile(r"([A-Za-z_][\w.]*)\s*=")


@dataclass
class Statement:
    """A SQL statement as far as it can be seen statically."""

    kind: str  # insert | update | delete | replace | merge | select | other
    #: column names compared in WHERE / filter / filter_by (last name parts)
    where_columns: List[str] = field(default_factory=list)
    #: column names set by values() / SET / query.update({...})
    set_columns: List[str] = field(default_factory=list)
    returning: bool = False
    text: Optional[str] = None


@dataclass
class Write:
    """A call that changes the database (spec: "DB write")."""

    call: ast.Call
    kind: str  # method | execute | save | query-update | query-delete
    label: str
    receiver: Optional[ast.expr]
    statement: Optional[Statement] = None


def sql_kind(text: str) -> str:
    match = _SQL_HEAD.match(text)
    if not match:
        return "other"
    word = match.group(1).lower()
    if word in DML_KINDS or word == "select":
        return word
    return "other"


def looks_like_sql(text: str) -> bool:
    match = _SQL_HEAD.match(text)
    return bool(match) and match.group(1).upper() in {
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "WITH",
        "REPLACE",
        "MERGE",
        "CREATE",
        "DROP",
        "ALTER",
    }


def _last_col(name: str) -> str:
    return name.rsplit(".", 1)[-1].strip("`\"[]")


def sql_text_columns(text: str) -> Tuple[List[str], List[str]]:
    """(where columns, set columns) named in plain SQL text."""
    where: List[str] = []
    sets: List[str] = []
    m = _SQL_WHERE.search(text)
    if m:
        where = [_last_col(c) for c in _SQL_COMPARED.findall(m.group(1))]
    m = _SQL_SET.search(text)
    if m:
        sets = [_last_col(c) for c in _SQL_ASSIGNED.findall(m.group(1))]
    return where, sets


#: what follows ``%`` (and its ``(key)``) in a conversion: flags, width,
#: precision, length modifier, conversion character. Anchored at one ``%`` and
#: unable to run past the next one, so matching it costs the conversion's
#: length; the ``(key)`` is found by :func:`_conversions` with one forward scan.
_CONVERSION_SPEC = re.compile(
    r"[#0 +\-]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?[hlL]?(?P<conv>.)", re.S
)
#: %-conversions that only accept numbers.
NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")


class _Conversion(NamedTuple):
    start: int
    end: int
    key: Optional[str]
    spec: "re.Match[str]"


def _conversions(text: str) -> Iterator[_Conversion]:
    """The ``%`` conversions of ``text`` left to right, in linear time.

    The same matches as ``%(?:\((?P<key>[^)]*)\))?<spec>`` found by
    ``re.finditer``, without its quadratic cost on ``"%(" * n`` (every ``%(``
    without a later ``)`` made the regex scan to the end of the text): the
    next ``)`` is looked up once and reused until the scan passes it.
    """
    position = text.find("%")
    closing = -2  # the next ")" at or after the scan; -1: there is none
    while position != -1:
        after = position + 1
        match = key = None
        if text.startswith("(", after):
            if closing != -1 and closing < after + 1:
                closing = text.find(")", after + 1)
            if closing != -1:
                match = _CONVERSION_SPEC.match(text, closing + 1)
                key = text[after + 1 : closing] if match else None
        if match is None:
            match = _CONVERSION_SPEC.match(text, after)
        if match is None:  # a lone "%" at the very end
            return
        yield _Conversion(position, match.end(), key, match)
        position = text.find("%", match.end())


def percent_format(text: str, hole: str = "\x00") -> Optional[Tuple[str, List[Tuple[Optional[str], str]]]]:
    """Parse a ``%`` format: (text with ``hole`` for each conversion,
    [(mapping key or None, conversion char)]).

    None when a ``*`` width or precision makes operands unpairable.
    """
    conversions: List[Tuple[Optional[str], str]] = []
    pieces: List[str] = []
    last = 0
    for found in _conversions(text):
        pieces.append(text[last:found.start])
        last = found.end
        conv = found.spec.group("conv")
        if conv == "%":
            pieces.append("%")
            continue
        if found.spec.group("width") == "*" or found.spec.group("prec") == "*":
            return None
        conversions.append((found.key, conv))
        pieces.append(hole)
    pieces.append(text[last:])
    return "".join(pieces), conversions


def percent_conversions(text: str) -> Optional[Tuple[List[str], Dict[str, str]]]:
    """(positional conversions, key -> conversion) of a %-format string."""
    parsed = percent_format(text)
    if parsed is None:
        return None
    positional: List[str] = []
    named: Dict[str, str] = {}
    for key, conv in parsed[1]:
        if key is None:
            positional.append(conv)
        else:
            named.setdefault(key, conv)
    return positional, named


def string_head(node: ast.AST) -> Optional[str]:
    """The constant text a string expression starts with.

    ``"DELETE FROM %s" % t`` -> ``"DELETE FROM %s"``; ``f"UPDATE {t} SET"`` ->
    ``"UPDATE "``; ``"SELECT " + cols`` -> ``"SELECT "``.
    """
    for _ in range(MAX_DEPTH):
        text = const_str(node)
        if text is not None:
            return text
        if isinstance(node, ast.JoinedStr):
            return fstring_text(node, "{}")
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mod, ast.Add)):
            node = node.left
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            node = node.func.value
            continue
        return None
    return None


#: "not asked yet" in the qualified-name cache (None is a valid answer)
_UNRESOLVED = object()


class Semantics:
    """Answers the spec's vocabulary questions for one module."""

    def __init__(self, facts: ModuleFacts, settings: Settings) -> None:
        self.facts = facts
        self.settings = settings
        self.imports = facts.imports
        self._writes: Dict[int, Optional[Write]] = {}
        #: module-level functions that return an ORM query (id(def) -> filters)
        self._query_helpers: Dict[int, Optional[Statement]] = {}
        #: node -> qualified name: every family asks about the same calls (keyed
        #: by the node itself, whose hash is its identity: no tuple per entry)
        self._qualified: Dict[ast.AST, Optional[str]] = {}

    # -- names ---------------------------------------------------------------

    def qualified(self, node: ast.AST) -> Optional[str]:
        cached = self._qualified.get(node, _UNRESOLVED)
        if cached is not _UNRESOLVED:
            return cached
        value = self.imports.resolve(node)
        self._qualified[node] = value
        return value

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
            return bool(self._from_sqlalchemy(expr.func, frozenset({"create_engine", "create_async_engine"})))
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
            return None
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        recv = func.value
        if method == "connect":
            return "connection" if self._is_engine(recv, scope) else None
        if method == "raw_connection" and self._is_engine(recv, scope):
            return "connection"
        if method == "cursor" and self.is_session_like(recv, scope, depth + 1):
            return "cursor"
        return None

    # -- statements ------------------------------------------------------------

    def statement(self, expr: ast.AST, scope: Scope, depth: int = 0) -> Optional[Statement]:
        """The SQL statement an expression builds, through locals."""
        if depth > MAX_DEPTH:
            return None
        expr = unwrap_await(expr)
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id, expr)
            if binding is None or binding.value is None:
                return None
            if binding.kind == "aug":
                earlier = scope.binding_before(expr.id, binding.node)
                if earlier is None or earlier.value is None:
                    return None
                return self.statement(earlier.value, scope, depth + 1)
            if binding.kind not in ("assign", "walrus"):
                return None
            return self.statement(binding.value, scope, depth + 1)
        head = string_head(expr)
        if head is not None:
            return self._text_statement(head)
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        if self.is_text_call(expr):
            if expr.args:
                text = string_head(expr.args[0])
                if text is None and isinstance(expr.args[0], ast.Name):
                    inner = self.statement(expr.args[0], scope, depth + 1)
                    return inner
                if text is not None:
                    return self._text_statement(text)
            return Statement("other")
        kind = self._from_sqlalchemy(func, SQL_STATEMENT_FUNCS)
        if kind:
            stmt = Statement(kind)
            if kind in ("update", "delete") and len(expr.args) > 1:
                self._add_where(stmt, expr.args[1], scope)
            self._add_where(stmt, keyword(expr, "whereclause"), scope)
            self._add_values(stmt, keyword(expr, "values"))
            if kind == "update" and len(expr.args) > 2:
                self._add_values(stmt, expr.args[2])
            return stmt
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        if method in ("update", "delete", "insert") and not self._is_query_like(func.value, scope):
            # T.update(), T.__table__.update(), table.delete(whereclause)
            if method == "update" and expr.args and isinstance(expr.args[0], ast.Dict):
                return None  # dict.update({...})
            stmt = Statement(method)
            if method in ("update", "delete") and expr.args:
                self._add_where(stmt, expr.args[0], scope)
            self._add_where(stmt, keyword(expr, "whereclause"), scope)
            if method == "update" and len(expr.args) > 1:
                self._add_values(stmt, expr.args[1])
            self._add_values(stmt, keyword(expr, "values"))
            return stmt
        if method in STATEMENT_CHAIN:
            base = self.statement(func.value, scope, depth + 1)
            if base is None:
                return None
            if method in ("where", "filter"):
                for arg in expr.args:
                    self._add_where(base, arg, scope)
            elif method == "filter_by":
                base.where_columns.extend(kw.arg for kw in expr.keywords if kw.arg)
            elif method in ("values", "ordered_values"):
                for arg in expr.args:
                    self._add_values(base, arg)
                base.set_columns.extend(kw.arg for kw in expr.keywords if kw.arg)
            elif method in ("returning", "return_defaults"):
                base.returning = True
            return base
        return None

    def _text_statement(self, text: str) -> Statement:
        kind = sql_kind(text)
        stmt = Statement(kind, text=text)
        if kind in ("update", "delete"):
            stmt.where_columns, stmt.set_columns = sql_text_columns(text)
            stmt.returning = bool(_SQL_RETURNING.search(text))
        return stmt

    def _add_where(self, stmt: Statement, expr: Optional[ast.AST], scope: Scope) -> None:
        if expr is None:
            return
        for node in walk_bounded(expr, 2000):
            if isinstance(node, ast.Compare):
                # the column is the attribute side (``M.version == v`` and
                # ``v == M.version`` alike); else the left operand's name
                operands = [node.left] + list(node.comparators)
                columns = [o for o in operands if isinstance(o, ast.Attribute)]
                name = last_part(columns[0] if columns else node.left)
                if name:
                    stmt.where_columns.append(name)
            elif isinstance(node, ast.Call):
                method = call_method(node)
                if method in ("in_", "is_", "isnot", "is_not", "between", "like", "notin_", "not_in"):
                    name = last_part(receiver(node) or node)
                    if name:
                        stmt.where_columns.append(name)
                elif self.is_text_call(node) and node.args:
                    text = const_str(node.args[0])
                    if text:
                        stmt.where_columns.extend(
                            _last_col(c) for c in _SQL_COMPARED.findall(text)
                        )

    @staticmethod
    def _add_values(stmt: Statement, expr: Optional[ast.AST]) -> None:
        if isinstance(expr, ast.Dict):
            for key in expr.keys:
                name = const_str(key) or (last_part(key) if key is not None else None)
                if name:
                    stmt.set_columns.append(name)
        elif isinstance(expr, ast.Call) and last_part(expr.func) == "dict":
            stmt.set_columns.extend(kw.arg for kw in expr.keywords if kw.arg)

    @staticmethod
    def _bound_value(expr: Optional[ast.AST], scope: Scope) -> Optional[ast.AST]:
        """``values`` -> the expression it was assigned (``values = {...}``)."""
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id, expr)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                return binding.value
        return expr

    # -- ORM query chains -------------------------------------------------------

    def _is_query_like(self, expr: ast.AST, scope: Scope) -> bool:
        return self.query_chain(expr, scope) is not None

    def query_chain(self, expr: ast.AST, scope: Scope, depth: int = 0) -> Optional[Statement]:
        """A bulk-capable ORM query (``session.query(...)``, ``model_query``,
        ``Model.query``), with its filters, followed through locals; None once
        the chain reaches a row-returning call."""
        if depth > MAX_DEPTH:
            return None
        expr = unwrap_await(expr)
        if isinstance(expr, ast.Name):
            if expr.id.endswith("model_query"):
                return None
            binding = scope.lookup(expr.id, expr)
            if binding is None or binding.kind not in ("assign", "walrus") or binding.value is None:
                return None
            return self.query_chain(binding.value, scope, depth + 1)
        if isinstance(expr, ast.Attribute):
            if expr.attr == "query":
                base = last_part(expr.value)
                if base and base[:1].isupper():
                    return Statement("query")
            return None
        if not isinstance(expr, ast.Call):
            return None
        name = last_part(expr.func)
        if name is None:
            return None
        if name.endswith("model_query"):
            return Statement("query")
        if isinstance(expr.func, ast.Name):
            return self._query_helper(expr.func, scope, depth)
        if not isinstance(expr.func, ast.Attribute):
            return None
        recv = expr.func.value
        if name == "query":
            if self.is_session_like(recv, scope):
                return Statement("query")
            return None
        if name in QUERY_CHAIN:
            base = self.query_chain(recv, scope, depth + 1)
            if base is None:
                return None
            if name in ("filter", "where"):
                for arg in expr.args:
                    self._add_where(base, arg, scope)
            elif name == "filter_by":
                base.where_columns.extend(kw.arg for kw in expr.keywords if kw.arg)
            return base
        return None

    def _query_helper(self, func: ast.Name, scope: Scope, depth: int) -> Optional[Statement]:
        """``_service_query(ctx, ...)``: a function of this module whose every
        ``return`` gives an ORM query (or None) builds a query too."""
        binding = scope.lookup(func.id, func)
        if binding is None or binding.kind != "def":
            return None
        key = id(binding.node)
        if key not in self._query_helpers:
            self._query_helpers[key] = None  # a recursive helper is not a query
            self._query_helpers[key] = self._returned_query(binding.node, depth)
        found = self._query_helpers[key]
        if found is None:
            return None
        return Statement("query", list(found.where_columns))

    def _returned_query(self, function: ast.AST, depth: int) -> Optional[Statement]:
        inner = next((s for s in self.facts.scopes if s.node is function), None)
        if inner is None:
            return None
        found: Optional[Statement] = None
        for node in walk_same_scope(function, 5000):
            if not isinstance(node, ast.Return) or node is function:
                continue
            if node.value is None or (
                isinstance(node.value, ast.Constant) and node.value.value is None
            ):
                continue
            chain = self.query_chain(node.value, inner, depth + 1)
            if chain is None:
                return None
            found = found or chain
        return found

    # -- writes ------------------------------------------------------------------

    def write(self, call: ast.Call, scope: Scope) -> Optional[Write]:
        """The DB write this call performs, if it is one (memoized per call:
        several families ask about the same calls; treat the result as read-only)."""
        key = id(call)
        if key not in self._writes:
            self._writes[key] = self._write(call, scope)
        return self._writes[key]

    def _write(self, call: ast.Call, scope: Scope) -> Optional[Write]:
        func = call.func
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        recv = func.value
        if method == "save":
            return self._save_write(call, recv, scope)
        if method in self.settings.write_methods:
            if self.is_session_like(recv, scope):
                return Write(call, "method", f"{label_of(recv)}.{method}()", recv)
            return None
        if method in EXECUTE_METHODS:
            if not call.args and not call.keywords:
                return None
            if not self.is_session_like(recv, scope):
                return None
            arg = call.args[0] if call.args else (keyword(call, "statement") or keyword(call, "sql"))
            if arg is None:
                return None
            stmt = self.statement(arg, scope)
            if stmt is not None and stmt.kind in DML_KINDS:
                return Write(
                    call, "execute", f"{label_of(recv)}.{method}({stmt.kind.upper()})", recv, stmt
                )
            return None
        if method in ("update", "delete"):
            if method == "update" and not (call.args or keyword(call, "values")):
                return None
            if method == "delete" and call.args:
                return None
            chain = self.query_chain(recv, scope)
            if chain is None:
                return None
            chain.kind = method
            if method == "update":
                values = call.args[0] if call.args else keyword(call, "values")
                self._add_values(chain, self._bound_value(values, scope))
            return Write(call, f"query-{method}", f"query.{method}()", recv, chain)
        return None

    def _save_write(self, call: ast.Call, recv: ast.expr, scope: Scope) -> Optional[Write]:
        if len(call.args) > 1:
            return None
        if call.args:
            if not self.is_session_like(call.args[0], scope):
                return None
        elif isinstance(recv, (ast.Name, ast.Attribute)):
            # numpy.save / torch.save etc. take positional args; a module-level
            # ``save()`` called on an imported module is not an ORM save (a
            # parameter that shadows the import is the object, though).
            root = recv
            while isinstance(root, ast.Attribute):
                root = root.value
            if (isinstance(root, ast.Name) and root is recv and self.imports.is_imported(root.id)
                    and not scope.shadows_import(root.id)):
                return None
        argument = label_of(call.args[0]) if call.args else ""
        return Write(call, "save", f"{label_of(recv)}.save({argument})", recv)

    def is_staging_call(self, call: ast.Call, scope: Scope) -> bool:
        func = call.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr in STAGING_METHODS
            and bool(call.args)
            and self.is_session_like(func.value, scope)
        )

    # -- exception handlers --------------------------------------------------------

    def handler_classes(self, handler: ast.ExceptHandler) -> List[str]:
        """Last parts (alias-resolved) of the classes a handler catches; [] if bare."""
        if handler.type is None:
            return []
        nodes = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        names = []
        for node in nodes:
            qualified = self.qualified(node)
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

    # -- loggers --------------------------------------------------------------------

    def is_logger(self, expr: ast.AST, scope: Scope) -> bool:
        name = last_part(expr)
        if name is None:
            return False
        if name.lower() in self.settings.logger_names:
            return True
        if isinstance(expr, ast.Name):
            if self.qualified(expr) == "logging" and self.imports.is_imported("logging"):
                return True
            binding = scope.lookup(expr.id, expr)
            if binding is not None and isinstance(binding.value, ast.Call):
                factory = last_part(binding.value.func)
                return factory in ("getLogger", "get_logger", "getChild", "LoggerAdapter", "KeywordArgumentAdapter")
        return False


def label_of(expr: ast.AST) -> str:
    name = dotted_name(expr)
    if name:
        return name
    if isinstance(expr, ast.Call):
        inner = dotted_name(expr.func)
        if inner:
            return f"{inner}()"
    return "<expr>"


def handled_by_decorator(function: ast.AST, names: Set[str] | frozenset) -> bool:
    if not names or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if last_part(target) in names:
            return True
    return False
