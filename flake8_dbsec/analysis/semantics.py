"""What database code means: sessions, writes, statements, error classes, loggers.

This is the vocabulary of ``dbsec-spec.md`` in code.  Every rule family asks
these questions through one :class:`Semantics` object per module; answers
follow local variables through :mod:`.walker` bindings (bounded depth, no
recursion into unbounded structures).
"""

from __future__ import annotations

import ast
import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Dict, List, Optional, Set, Tuple

from ..options import DBAPI_MODULES, Settings
from .names import (
    MAX_DEPTH,
    call_method,
    const_str,
    dotted_name,
    dotted_parts,
    fstring_text,
    keyword,
    last_part,
    receiver,
    unwrap_await,
    walk_same_scope,
)
from . import sqltext
from .sqltext import EQ, IN, MATCH, NE, NOT_IN, PIN_OPERATORS, RANGE, Comparison
from .walker import ModuleFacts, Scope

if TYPE_CHECKING:  # pragma: no cover
    from .project.view import ProjectView

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
#: libraries whose objects have an argument-less ``save()`` that is no DB
#: write: images, documents, spreadsheets, translation catalogs, job queues,
#: ML models (top-level import names).
NON_DB_SAVE_MODULES = frozenset(
    {"PIL", "imageio", "wand", "cv2", "babel", "polib", "rq", "huey", "docx", "pptx",
     "openpyxl", "xlsxwriter", "reportlab", "keras", "tensorflow", "torch", "gensim",
     "spacy", "joblib", "matplotlib", "configobj", "zipfile", "tarfile"}
)
EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql", "executescript"})
ENGINE_NAME = re.compile(r"engine|\w*_engine|\w*Engine")
SQL_WORDS = frozenset(
    {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE", "MERGE", "CREATE", "DROP",
     "ALTER"}
)


@dataclass
class Statement:
    """A SQL statement as far as it can be seen statically."""

    kind: str  # insert | update | delete | replace | merge | select | other
    #: what WHERE / filter / filter_by compare, with the operator
    where: List[Comparison] = field(default_factory=list)
    #: column names set by values() / SET / query.update({...})
    set_columns: List[str] = field(default_factory=list)
    returning: bool = False
    text: Optional[str] = None
    #: what the statement targets (``M`` in ``update(M)``, ``session.query(M)``,
    #: ``T.update()``), for the keys the project model knows
    target: Optional[ast.expr] = None
    #: the scope the target expression belongs to
    scope: Optional[Scope] = field(default=None, repr=False)

    @property
    def where_columns(self) -> List[str]:
        return [c.column for c in self.where]


@dataclass
class Write:
    """A call that changes the database (spec: "DB write")."""

    call: ast.Call
    kind: str  # method | execute | save | query-update | query-delete
    label: str
    receiver: Optional[ast.expr]
    statement: Optional[Statement] = None


def sql_kind(text: str) -> str:
    word = (sqltext.head_word(text) or "").lower()
    if word in DML_KINDS or word == "select":
        return word
    return "other"


def looks_like_sql(text: str) -> bool:
    return (sqltext.head_word(text) or "").upper() in SQL_WORDS


def _last_col(name: str) -> str:
    return name.rsplit(".", 1)[-1].strip("`\"[]")


_SPEC = r"[#0 +\-]*(?P<width>\*|\d+)?(?:\.(?P<prec>\*|\d+))?[hlL]?(?P<conv>.)"
#: a conversion, ``(key)`` included: quadratic on its own (each ``%(`` with no
#: ``)`` after it reads to the end), so only run where a ``)`` follows
_KEYED_CONVERSION = re.compile(r"%(?:\((?P<key>[^)]*)\))?" + _SPEC, re.S)
#: a conversion without a key: linear (no part of it can run past a ``%``)
_CONVERSION = re.compile(r"%" + _SPEC, re.S)
#: %-conversions that only accept numbers.
NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")


Spec = Tuple[Optional[str], Optional[str], Optional[str], str]  # key, width, precision, conversion


def _split_conversions(text: str) -> Tuple[List[str], List[Spec]]:
    """The texts between the ``%`` conversions of ``text`` and each
    conversion's (key, width, precision, character), in linear time.

    The conversions ``_KEYED_CONVERSION.finditer(text)`` would find, without
    its quadratic cost on ``"%(" * n``.  Up to the last ``)`` that has a
    character after it, every ``(key`` finds its ``)`` and the match takes
    the text up to there, so no character is read twice; no ``(key)`` can be
    complete after it, and there the keyless pattern, split in C, gives the
    same matches.
    """
    texts: List[str] = []
    specs: List[Spec] = []
    last_paren = text.rfind(")", 0, len(text) - 1)
    end = 0
    if last_paren != -1 and text.find("%", 0, last_paren + 1) != -1:
        for match in _KEYED_CONVERSION.finditer(text):
            texts.append(text[end:match.start()])
            specs.append(match.group("key", "width", "prec", "conv"))  # type: ignore[arg-type]
            end = match.end()
            if text.find("%", end, last_paren + 1) == -1:
                break  # the next search would start past the last ")"
    parts = _CONVERSION.split(text[end:] if end else text)
    texts.extend(parts[0::4])
    specs.extend((None, width, precision, conv) for width, precision, conv
                 in zip(parts[1::4], parts[2::4], parts[3::4]))
    return texts, specs


def percent_format(text: str, hole: str = "\x00") -> Optional[Tuple[str, List[Tuple[Optional[str], str]]]]:
    """Parse a ``%`` format: (text with ``hole`` for each conversion,
    [(mapping key or None, conversion char)]).

    None when a ``*`` width or precision makes operands unpairable.
    """
    texts, specs = _split_conversions(text)
    if any(conv != "%" and "*" in (width, precision) for _key, width, precision, conv in specs):
        return None
    between = ["%" if conv == "%" else hole for _key, _width, _precision, conv in specs] + [""]
    template = "".join(itertools.chain.from_iterable(zip(texts, between)))
    return template, [(key, conv) for key, _width, _precision, conv in specs if conv != "%"]


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


def string_template(node: ast.AST) -> Optional[str]:
    """The whole constant text of a built string, ``{}`` for each spliced value.

    ``"UPDATE " + t + " SET a = 1 WHERE id = :i"`` -> ``"UPDATE {} SET a = 1
    WHERE id = :i"`` (the WHERE of a concatenation is read too);
    ``"... %s" % x`` and ``"... {}".format(x)`` keep their own template.
    None when the text does not start from a constant.
    """
    for _ in range(MAX_DEPTH):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            pieces = []
            for operand in _flatten_add(node):
                text = const_str(operand)
                if text is None and isinstance(operand, ast.JoinedStr):
                    text = fstring_text(operand, "{}")
                pieces.append("{}" if text is None else text)
            return "".join(pieces) if pieces and pieces[0] != "{}" else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            node = node.left
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
        ):
            node = node.func.value
            continue
        text = const_str(node)
        if text is not None:
            return text
        if isinstance(node, ast.JoinedStr):
            return fstring_text(node, "{}")
        return None
    return None


def _flatten_add(expr: ast.BinOp, limit: int = 1000) -> List[ast.expr]:
    """``a + b + c`` -> ``[a, b, c]``, iteratively, at most ``limit`` operands."""
    out: List[ast.expr] = []
    stack: List[ast.expr] = [expr]
    while stack and len(out) < limit:
        node = stack.pop()
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            stack.append(node.right)
            stack.append(node.left)
        else:
            out.append(node)
    return out


#: "not asked yet" in the qualified-name cache (None is a valid answer)
_UNRESOLVED = object()


class Semantics:
    """Answers the spec's vocabulary questions for one module."""

    def __init__(self, facts: ModuleFacts, settings: Settings, project: Optional["ProjectView"] = None) -> None:
        self.facts = facts
        self.settings = settings
        #: the project model as this module sees it (None: this file only)
        self.project = project
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
            return self._project_factory(func)
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
        return self._project_factory(func)

    def _project_factory(self, func: ast.AST) -> Optional[str]:
        """A factory the project defines elsewhere: a module attribute bound to
        ``sessionmaker(...)`` (called: a new session), to ``scoped_session``
        (called: the thread's session), or a function that returns a new
        session or connection (``get_session()``)."""
        if self.project is None:
            return None
        name = self.project.name(func)
        if name is None:
            return None
        model = self.project.model
        kind = model.attr_kind(name)
        if kind == "factory":
            return "session"
        if kind in ("session", "scoped"):
            return "scoped"
        if model.returns(name) == "session":
            return "session"
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
        template = string_template(expr)
        if template is not None:
            return self._text_statement(template)
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        if self.is_text_call(expr):
            if expr.args:
                text = string_template(expr.args[0])
                if text is None and isinstance(expr.args[0], ast.Name):
                    inner = self.statement(expr.args[0], scope, depth + 1)
                    return inner
                if text is not None:
                    return self._text_statement(text)
            return Statement("other")
        kind = self._from_sqlalchemy(func, SQL_STATEMENT_FUNCS)
        if kind:
            stmt = Statement(kind, target=expr.args[0] if expr.args else None, scope=scope)
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
            stmt = Statement(method, target=func.value, scope=scope)
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
                base.where.extend(Comparison(kw.arg, EQ) for kw in expr.keywords if kw.arg)
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
            facts = sqltext.statement_facts(text)
            stmt.where = [c._replace(column=_last_col(c.column)) for c in facts.where]
            stmt.set_columns = [_last_col(c) for c in facts.sets]
            stmt.returning = facts.returning
        return stmt

    def _add_where(self, stmt: Statement, expr: Optional[ast.AST], scope: Scope) -> None:
        """Add the comparisons of a WHERE/filter expression (``and_``/``or_``,
        ``&``/``|``, ``~``/``not_``, ``in_``/``notin_``... and ``text()``)."""
        if expr is not None:
            stmt.where.extend(self.comparisons(expr, scope))

    def comparisons(self, expr: ast.AST, scope: Scope) -> List[Comparison]:
        """The column comparisons of a SQLAlchemy filter expression, each with
        its operator and whether an ``or_``/``|`` makes it one alternative."""
        found: List[Comparison] = []
        stack: List[Tuple[ast.AST, bool, bool]] = [(expr, False, False)]
        budget = 2000
        while stack and budget > 0:
            budget -= 1
            node, disjunct, negated = stack.pop()
            parts = self._boolean_parts(node)
            if parts is not None:
                kind, operands = parts
                if kind == "not":
                    negated = not negated
                stack.extend((o, disjunct or kind == "or", negated) for o in reversed(operands))
                continue
            if isinstance(node, ast.Call) and self.is_text_call(node) and node.args:
                text = const_str(node.args[0])
                if text:
                    found.extend(
                        c._replace(column=_last_col(c.column), disjunct=c.disjunct or disjunct)
                        for c in sqltext.statement_facts("WHERE " + text).where
                    )
                continue
            comparison = _comparison(node)
            if comparison is not None and comparison.op == IN and self._in_subquery(node, scope):
                comparison = comparison._replace(op=RANGE)
            if comparison is not None:
                if negated:
                    comparison = comparison._replace(op=_NEGATED.get(comparison.op, comparison.op))
                found.append(comparison._replace(disjunct=disjunct))
        return found

    def _in_subquery(self, call: ast.AST, scope: Scope) -> bool:
        """``col.in_(picked)`` with ``picked = select(...)`` bound earlier."""
        if not isinstance(call, ast.Call) or not call.args:
            return False
        value = self._bound_value(call.args[0], scope)
        return value is not None and _is_subquery(value)

    def _boolean_parts(self, node: ast.AST) -> Optional[Tuple[str, List[ast.AST]]]:
        """("and" | "or" | "not", operands) for a boolean combination of filters."""
        if isinstance(node, ast.BoolOp):
            return ("or" if isinstance(node.op, ast.Or) else "and"), list(node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            return ("or" if isinstance(node.op, ast.BitOr) else "and"), [node.left, node.right]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not)):
            return "not", [node.operand]
        if isinstance(node, ast.Call):
            name = last_part(node.func)
            if name in ("and_", "or_", "not_") and (
                isinstance(node.func, ast.Attribute) or self.imports.is_imported(name)
            ):
                return name.rstrip("_"), list(node.args)
        return None

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

    # -- what a statement targets ---------------------------------------------

    def row_identity(self, stmt: Statement) -> Optional[str]:
        """The key column(s) that pin the rows an UPDATE/DELETE targets, if
        any (spec: row identity): equality or ``IN``, not under an ``OR``, on
        every column of the primary key or of a unique constraint of the model
        the statement targets, where the project model knows it; else on a
        column named ``id`` or matching the identifier pattern.  None for a
        bulk statement (a state sweep, a purge, a filter on a foreign key)."""
        pinned = [c.column for c in stmt.where if not c.disjunct and c.op in PIN_OPERATORS]
        keys = self.model_keys(stmt)
        if keys is not None:
            primary, unique, _versions = keys
            for columns in ([primary] if primary else []) + unique:
                if columns and all(column in pinned for column in columns):
                    return ", ".join(columns)
            if primary or unique:
                return None
        for column in pinned:
            if self.is_key_column(column):
                return column
        return None

    def model_keys(self, stmt: Statement) -> Optional[Tuple[List[str], List[List[str]], List[str]]]:
        """(primary key, unique sets, version columns) of what ``stmt``
        targets, when the project model knows the model or table."""
        if self.project is None or stmt.target is None:
            return None
        return self.project.model.key_columns(self.target_name(stmt.target, stmt.scope))

    def target_name(self, target: ast.AST, scope: Optional[Scope]) -> Optional[str]:
        """The project-qualified model/table a statement targets: ``models.Vip``,
        ``self.model_class`` (a class-level binding), ``T`` bound to
        ``Model.__table__``, ``Model.__table__``."""
        if self.project is None:
            return None
        for _ in range(MAX_DEPTH):
            if isinstance(target, ast.Attribute) and target.attr == "__table__":
                target = target.value
                continue
            if isinstance(target, ast.Call) and last_part(target.func) in ("aliased", "with_polymorphic"):
                target = target.args[0] if target.args else target
                if isinstance(target, ast.Call):
                    return None
                continue
            break
        if scope is not None:
            member = self.project.self_member(target, scope)
            if member is not None and member[0] == "class":
                return _strip_table(member[1])
            if isinstance(target, ast.Name):
                binding = scope.lookup(target.id, target)
                if binding is not None and binding.kind == "assign" and binding.value is not None \
                        and binding in scope.bindings.get(target.id, ()):
                    return self.target_name(binding.value, scope)
        name = self.project.name(target)
        if name is None:
            return None
        fact = self.project.model.attr(name)
        if fact is not None and fact.get("kind") == "alias":
            return _strip_table(fact["value"])
        return _strip_table(name)

    def is_key_column(self, column: str) -> bool:
        return column.lower() == "id" or bool(self.settings.identifier_pattern.search(column))

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
                    return Statement("query", target=expr.value, scope=scope)
            return None
        if not isinstance(expr, ast.Call):
            return None
        name = last_part(expr.func)
        if name is None:
            return None
        if name.endswith("model_query"):
            # oslo.db/nova: model_query(context, Model, ...)
            model = expr.args[1] if len(expr.args) > 1 else keyword(expr, "model")
            return Statement("query", target=model, scope=scope)
        if isinstance(expr.func, ast.Name):
            return self._query_helper(expr, scope, depth)
        if not isinstance(expr.func, ast.Attribute):
            return None
        recv = expr.func.value
        if name == "query":
            if self.is_session_like(recv, scope):
                return Statement("query", target=expr.args[0] if expr.args else None, scope=scope)
            return None
        if name in QUERY_CHAIN:
            base = self.query_chain(recv, scope, depth + 1)
            if base is None:
                return None
            if name in ("filter", "where"):
                for arg in expr.args:
                    self._add_where(base, arg, scope)
            elif name == "filter_by":
                base.where.extend(self._filter_by(expr, scope))
            return base
        return None

    @staticmethod
    def _filter_by(call: ast.Call, scope: Scope) -> List[Comparison]:
        """``filter_by(a=x)``: equality on ``a``; ``filter_by(**filters)`` with
        the function's own ``**filters`` parameter: whatever its callers pass."""
        found = [Comparison(kw.arg, EQ) for kw in call.keywords if kw.arg]
        for kw in call.keywords:
            if kw.arg is None and isinstance(kw.value, ast.Name):
                args = getattr(scope.node, "args", None)
                kwarg = getattr(args, "kwarg", None)
                if kwarg is not None and kwarg.arg == kw.value.id:
                    found.append(Comparison(FORWARDED_FILTERS, EQ))
        return found

    def _query_helper(self, call: ast.Call, scope: Scope, depth: int) -> Optional[Statement]:
        """``_service_query(ctx, ...)``: a function of this module whose every
        ``return`` gives an ORM query (or None) builds a query too.  When it
        filters by its own ``**filters`` (``query.filter_by(**filters)``), the
        call's keywords are the filters: ``_service_query(ctx, id=i)`` pins ``id``."""
        func = call.func
        assert isinstance(func, ast.Name)
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
        where: List[Comparison] = []
        for comparison in found.where:
            if comparison.column == FORWARDED_FILTERS:
                where += [Comparison(kw.arg, EQ) for kw in call.keywords if kw.arg]
            else:
                where.append(comparison)
        return Statement("query", where, target=found.target, scope=found.scope)

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
        if not call.args and self._made_outside_the_database(recv, scope):
            return None
        argument = label_of(call.args[0]) if call.args else ""
        return Write(call, "save", f"{label_of(recv)}.save({argument})", recv)

    def _made_outside_the_database(self, recv: ast.expr, scope: Scope, depth: int = 0) -> bool:
        """Provenance says the object is no DB model: a local bound from a call
        into an image, document, translation, job-queue or ML library
        (``img = Image.open(p)``, ``catalog = read_po(f)``, ``job =
        queue.enqueue(f)``), a parameter annotated with such a class, or the
        result of a function of this module that returns one."""
        if depth > 4 or not isinstance(recv, ast.Name):
            return False
        binding = scope.lookup(recv.id, recv)
        if binding is None:
            return False
        if binding.kind == "param":
            annotation = getattr(binding.node, "annotation", None)
            return annotation is not None and self._non_db_name(annotation)
        if binding.kind not in ("assign", "walrus", "with") or binding.value is None:
            return False
        value = unwrap_await(binding.value)
        while isinstance(value, ast.Call):
            if self._non_db_name(value.func):
                return True
            if isinstance(value.func, ast.Name) and self._returns_non_db(value.func, scope, depth):
                return True
            value = value.func.value if isinstance(value.func, ast.Attribute) else None
        return isinstance(value, ast.Name) and self._made_outside_the_database(value, scope, depth + 1)

    def _non_db_name(self, node: ast.AST) -> bool:
        """A name imported from one of :data:`NON_DB_SAVE_MODULES`."""
        parts = dotted_parts(node)
        if not parts or not self.imports.is_imported(parts[0]):
            return False
        qualified = self.qualified(node) or ""
        return qualified.split(".", 1)[0] in NON_DB_SAVE_MODULES

    def _returns_non_db(self, func: ast.Name, scope: Scope, depth: int) -> bool:
        """``img = self._load(p)``: a function of this module whose ``return``
        gives an object made outside the database."""
        binding = scope.lookup(func.id, func)
        if binding is None or binding.kind != "def":
            return False
        inner = next((s for s in self.facts.scopes if s.node is binding.node), None)
        if inner is None:
            return False
        for node in walk_same_scope(binding.node, 2000):
            if isinstance(node, ast.Return) and node.value is not None and node is not binding.node:
                value = unwrap_await(node.value)
                if isinstance(value, ast.Call) and self._non_db_name(value.func):
                    return True
                if isinstance(value, ast.Name) and self._made_outside_the_database(
                    value, inner, depth + 1
                ):
                    return True
        return False

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

    def is_logger(self, expr: ast.AST, scope: Scope, depth: int = 0) -> bool:
        name = last_part(expr)
        if name is None or depth > 4:
            return False
        if name.lower() in self.settings.logger_names:
            return True
        if isinstance(expr, ast.Name):
            if self.qualified(expr) == "logging" and self.imports.is_imported("logging"):
                return True
            binding = scope.lookup(expr.id, expr)
            if binding is not None and isinstance(binding.value, ast.Call):
                factory = last_part(binding.value.func)
                if factory in ("getLogger", "get_logger", "getChild", "LoggerAdapter", "KeywordArgumentAdapter"):
                    return True
                return self._project_returns(binding.value.func) == "logger"
            if (binding is not None and binding.kind == "assign"
                    and isinstance(binding.value, (ast.Name, ast.Attribute))):
                return self.is_logger(binding.value, scope, depth + 1)  # ``foo = LOGGER``
        return self._project_attr(expr) == "logger"

    def _project_attr(self, expr: ast.AST) -> str:
        if self.project is None:
            return ""
        return self.project.model.attr_kind(self.project.name(expr))

    def _project_returns(self, func: ast.AST) -> str:
        if self.project is None:
            return ""
        return self.project.model.returns(self.project.name(func))

    # -- destructive operations and authorization (DBS701) -----------------------

    def destructive_ops(self, scope: Scope) -> List[Tuple[int, str]]:
        """(line, label) of the UPDATEs and DELETEs a function runs itself:
        update/delete statements, ORM bulk ``query.update()/.delete()``, and
        ``session.delete(obj)`` that a later flush or commit of the function
        sends to the database."""
        found: List[Tuple[int, str]] = []
        staged_deletes: List[ast.Call] = []
        flushes: List[Tuple[int, int]] = []
        for call, _ctx in scope.calls:
            write = self.write(call, scope)
            if write is not None:
                stmt = write.statement
                if stmt is not None and stmt.kind in ("update", "delete"):
                    found.append((call.lineno, write.label))
                elif write.kind == "method":
                    flushes.append((call.lineno, call.col_offset))
            elif (isinstance(call.func, ast.Attribute) and call.func.attr == "delete"
                  and self.is_staging_call(call, scope)):
                staged_deletes.append(call)
        for call in staged_deletes:
            if any(position > (call.lineno, call.col_offset) for position in flushes):
                found.append((call.lineno, f"{label_of(call.func)}() then flush/commit"))
        return sorted(found)

    def authz_lines(self, scope: Scope) -> List[int]:
        """Lines where the function checks authorization (a policy call, a
        user check that raises or aborts, a guarding decorator: its first line)."""
        from .web import authz_decorated, is_authz_call, user_checks

        settings = self.settings
        lines = [call.lineno for call, _ctx in scope.calls if is_authz_call(call, settings.authz_functions)]
        lines += [node.lineno for node in user_checks(scope)]
        if authz_decorated(scope.node, scope, settings.authz_decorators,
                           lambda name: self.is_auth_dependency(name, scope)):
            lines.append(getattr(scope.node, "lineno", 0))
        return sorted(set(lines))

    def is_auth_dependency(self, node: ast.AST, scope: Scope) -> bool:
        """A name bound (here or anywhere in the project) to a FastAPI
        security dependency: ``ADMIN_ONLY = [Depends(require_admin)]``,
        ``CurrentUser = Annotated[User, Depends(get_current_user)]``."""
        from .web import is_security_dependency

        if isinstance(node, ast.Name):
            bindings = self.facts.module.bindings.get(node.id, ())
            if len(bindings) == 1 and bindings[0].value is not None:
                return is_security_dependency(bindings[0].value)
        return self._project_attr(node) == "auth_dependency"

    # -- what the project defines: handlers, callers, helpers ---------------------

    def decorator_handles(self, decorator: ast.AST) -> str:
        """"db"/"integrity" when a decorator defined in the project wraps the
        function in a DB-error handler (keystone's ``handle_conflicts``)."""
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
        return model.handles_as_context_manager(self.project.name(target))

    def function_name(self, scope: Scope) -> Optional[str]:
        """The project-qualified name of a function scope."""
        if self.project is None or scope.kind != "function":
            return None
        names = []
        current: Optional[Scope] = scope
        while current is not None and current.kind != "module":
            names.append(getattr(current.node, "name", "<lambda>"))
            current = current.parent
        return f"{self.project.module}.{'.'.join(reversed(names))}"

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

    def retried_by_callers(self, scope: Scope) -> bool:
        name = self.function_name(scope)
        return name is not None and self.project.model.function_retried(name)  # type: ignore[union-attr]

    def callee_risk(self, call: ast.Call, scope: Scope) -> Tuple[bool, bool]:
        """(authorizes, destroys unguarded) for a call of a project function:
        does it check authorization, and does it (or what it calls) update or
        delete records before any check of its own?"""
        if self.project is None:
            return False, False
        name = self.project.callee(call, scope)
        if name is None:
            return False, False
        model = self.project.model
        return model.authorizes(name), model.risky(name)

    def is_project_quoting(self, call: ast.Call, scope: Scope) -> bool:
        if self.project is None:
            return False
        return self.project.model.is_quoting(self.project.callee(call, scope))

    def is_project_masking(self, call: ast.Call, scope: Scope) -> bool:
        if self.project is None:
            return False
        return self.project.model.is_masking(self.project.callee(call, scope))

    def helper_write(self, call: ast.Call, scope: Scope) -> Optional[Write]:
        """A call of a project function whose DB writes can raise into the
        caller (``repo.delete(session, obj)`` that flushes): a DB write at
        the call site for the handlers around it (DBS103, DBS602)."""
        if self.project is None:
            return None
        name = self.project.callee(call, scope)
        if not self.project.model.writes(name):
            return None
        label = f"{label_of(call.func)}()"
        session = next((a for a in call.args if self.is_session_like(a, scope)), None)
        return Write(call, "helper", label, session)


_NEGATED = {EQ: NE, NE: EQ, IN: NOT_IN, NOT_IN: IN}
#: stands for the keywords a query helper's callers pass to its ``**filters``
FORWARDED_FILTERS = "**"
_COMPARE_OPS = {
    ast.Eq: EQ,
    ast.Is: EQ,
    ast.NotEq: NE,
    ast.IsNot: NE,
    ast.Lt: RANGE,
    ast.LtE: RANGE,
    ast.Gt: RANGE,
    ast.GtE: RANGE,
    ast.In: IN,
    ast.NotIn: NOT_IN,
}
#: column methods of SQLAlchemy filter expressions -> operator
_COLUMN_METHODS = {
    "in_": IN,
    "notin_": NOT_IN,
    "not_in": NOT_IN,
    "is_": EQ,
    "isnot": NE,
    "is_not": NE,
    "between": RANGE,
    "like": MATCH,
    "ilike": MATCH,
    "notlike": NE,
    "not_like": NE,
    "contains": MATCH,
    "startswith": MATCH,
    "endswith": MATCH,
    "match": MATCH,
    "any": MATCH,
    "has": MATCH,
}
#: calls whose result is a subquery: ``id.in_(select(...))`` pins no rows.
_SUBQUERY_CALLS = frozenset({"select", "subquery", "scalar_subquery", "exists"})


def _comparison(node: ast.AST) -> Optional[Comparison]:
    """One column comparison: ``M.version == v`` (either side), ``c.in_(x)``."""
    if isinstance(node, ast.Compare) and node.ops:
        op = _COMPARE_OPS.get(type(node.ops[0]), MATCH)
        operands = [node.left] + list(node.comparators)
        columns = [o for o in operands if isinstance(o, ast.Attribute)]
        name = last_part(columns[0] if columns else node.left)
        return Comparison(name, op) if name else None
    if isinstance(node, ast.Call):
        method = call_method(node)
        op = _COLUMN_METHODS.get(method or "")
        recv = receiver(node)
        if op is None or recv is None:
            return None
        name = last_part(recv)
        if op == IN and node.args and _is_subquery(node.args[0]):
            op = RANGE
        return Comparison(name, op) if name else None
    return None


def _is_subquery(node: ast.AST) -> bool:
    """``select(...)``, ``q.subquery()``, ``session.query(...)...``: a set of
    rows computed by the database, not a list of keys the code holds."""
    for _ in range(MAX_DEPTH):
        if not isinstance(node, ast.Call):
            return False
        name = call_method(node)
        if name in _SUBQUERY_CALLS or name == "query":
            return True
        if not isinstance(node.func, ast.Attribute):
            return False
        node = node.func.value
    return False


def _strip_table(name: str) -> str:
    return name[: -len(".__table__")] if name.endswith(".__table__") else name


def label_of(expr: ast.AST) -> str:
    name = dotted_name(expr)
    if name:
        return name
    if isinstance(expr, ast.Call):
        inner = dotted_name(expr.func)
        if inner:
            return f"{inner}()"
    return "<expr>"


#: decorators that re-run the function when the database reports a deadlock
#: (oslo.db, neutron-lib and project equivalents); ``wrap_db_retry`` only when
#: called with ``retry_on_deadlock=True``.
DEADLOCK_RETRY_DECORATORS = frozenset(
    {"retry_on_deadlock", "retry_db_transaction", "retry_db_errors", "retry_if_session_inactive"}
)


def retries_deadlocks(function: ast.AST, scope: Scope) -> bool:
    """Is ``function`` wrapped in a DB retry decorator that retries deadlocks?

    ``@oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)``,
    ``@db_api.retry_on_deadlock``, ``@retry_db_transaction``; also through a
    module-level name bound to one (``_retry = wrap_db_retry(...)``, ``@_retry``).
    """
    for decorator in getattr(function, "decorator_list", ()):
        if _is_deadlock_retry(decorator):
            return True
        if isinstance(decorator, ast.Name):
            binding = scope.lookup(decorator.id, decorator)
            if binding is not None and binding.kind == "assign" and binding.value is not None:
                if _is_deadlock_retry(binding.value):
                    return True
    return False


def _is_deadlock_retry(decorator: ast.AST) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = last_part(target)
    if name in DEADLOCK_RETRY_DECORATORS:
        return True
    if name == "wrap_db_retry" and isinstance(decorator, ast.Call):
        flag = keyword(decorator, "retry_on_deadlock")
        return isinstance(flag, ast.Constant) and flag.value is True
    return False


def handled_by_decorator(function: ast.AST, names: Set[str] | frozenset) -> bool:
    if not names or not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if last_part(target) in names:
            return True
    return False
