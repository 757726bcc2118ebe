"""The SQL statements code builds and the rows they pin: ``insert``,
``update``, ``delete`` and ``select`` constructs and ``text()`` strings with
their WHERE comparisons (operator, negation, ``or_`` alternatives,
subqueries), SET columns and RETURNING; ORM query chains
(``session.query(M).filter(...)``, ``model_query``, this module's query
helpers); and the row identity those filters pin, against the keys the
project model knows.

The row-count, error-handling and authorization rules all reason about "this
statement, on these rows"; reading a statement and its comparisons is one
concern, so the mixin and its module-level helpers (the operator tables,
``_comparison``, ``_is_subquery``) live together here.
"""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from .. import sqltext
from ..names import (
    MAX_DEPTH,
    call_method,
    const_str,
    keyword,
    last_part,
    receiver,
    unwrap_await,
    walk_same_scope,
)
from ..sqltext import EQ, IN, MATCH, NE, NOT_IN, PIN_OPERATORS, RANGE, Comparison
from ..walker import Scope
from .base import SemanticsBase
from .sqlstrings import _last_col, composable_kind, sql_kind, string_template
from .vocab import QUERY_CHAIN, SQL_STATEMENT_FUNCS, STATEMENT_CHAIN, Statement

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


#: calls that give back the column they are handed, typed (SQLModel's
#: ``col(Model.id)``)
COLUMN_WRAPPERS = frozenset({"col"})


def _unwrapped(node: ast.AST) -> ast.AST:
    """``col(Model.id)`` -> ``Model.id``."""
    if (isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords
            and last_part(node.func) in COLUMN_WRAPPERS):
        return node.args[0]
    return node


def _comparison(node: ast.AST) -> Optional[Comparison]:
    """One column comparison: ``M.version == v`` (either side), ``c.in_(x)``."""
    if isinstance(node, ast.Compare) and node.ops:
        op = _COMPARE_OPS.get(type(node.ops[0]), MATCH)
        operands = [_unwrapped(o) for o in [node.left] + list(node.comparators)]
        columns = [o for o in operands if isinstance(o, ast.Attribute)]
        if len(columns) > 1:
            # ``content.id == Model.user_id``: the column is the class's or
            # table's attribute; the other side is a value read off an object
            columns = [o for o in columns if _column_side(o)] or columns
        name = last_part(columns[0] if columns else node.left)
        return Comparison(name, op) if name else None
    if isinstance(node, ast.Call):
        method = call_method(node)
        op = _COLUMN_METHODS.get(method or "")
        recv = receiver(node)
        if op is None or recv is None:
            return None
        name = last_part(_unwrapped(recv))
        if op == IN and node.args and _is_subquery(node.args[0]):
            op = RANGE
        return Comparison(name, op) if name else None
    return None


def _tuple_comparisons(node: ast.AST) -> List[Comparison]:
    """``tuple_(M.a, M.b).in_(pairs)``: each column of the tuple compared
    with the operator (a composite key pinned by pairs of values)."""
    if not isinstance(node, ast.Call):
        return []
    op = _COLUMN_METHODS.get(call_method(node) or "")
    recv = receiver(node)
    if op is None or not isinstance(recv, ast.Call) or last_part(recv.func) != "tuple_":
        return []
    names = [last_part(_unwrapped(arg)) for arg in recv.args]
    if not names or not all(names):
        return []
    if op == IN and node.args and _is_subquery(node.args[0]):
        op = RANGE
    return [Comparison(name, op) for name in names]


def _column_side(attribute: ast.Attribute) -> bool:
    """``Model.col``, ``models.Model.col``, ``table.c.col``: an attribute of a
    class (capitalised) or of a table's column collection."""
    owner = attribute.value
    if isinstance(owner, ast.Attribute):
        return owner.attr in ("c", "columns") or owner.attr[:1].isupper()
    return isinstance(owner, ast.Name) and owner.id[:1].isupper()


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


class StatementsMixin(SemanticsBase):
    """SQL statements, their comparisons, row identity and ORM query chains."""

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
        if template is None:
            template = self._composed_text(expr)
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
            self._add_where(stmt, keyword(expr, "where"), scope)  # python-sql: t.update(cols, vals, where=...)
            if keyword(expr, "returning") is not None:
                stmt.returning = True
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
                base.filtered = True
                base.where.extend(Comparison(kw.arg, EQ) for kw in expr.keywords if kw.arg)
            elif method in ("values", "ordered_values"):
                for arg in expr.args:
                    self._add_values(base, arg)
                base.set_columns.extend(kw.arg for kw in expr.keywords if kw.arg)
            elif method in ("returning", "return_defaults"):
                base.returning = True
            return base
        return None

    def _composed_text(self, expr: ast.AST) -> Optional[str]:
        """The SQL text of a psycopg ``sql.SQL("UPDATE {} SET ...")``, also
        through ``.format(...)``: its literal is the statement, its holes
        quoted identifiers or literals."""
        for _ in range(MAX_DEPTH):
            if not isinstance(expr, ast.Call):
                return None
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr == "format":
                expr = func.value
                continue
            if composable_kind(self.qualified(func) or "") != "SQL" or not expr.args:  # type: ignore[attr-defined]
                return None
            return string_template(expr.args[0])
        return None

    def _text_statement(self, text: str) -> Statement:
        kind = sql_kind(text)
        stmt = Statement(kind, text=text)
        if kind in ("update", "delete"):
            facts = sqltext.statement_facts(text)
            stmt.where = [c._replace(column=_last_col(c.column)) for c in facts.where]
            stmt.set_columns = [_last_col(c) for c in facts.sets]
            stmt.returning = facts.returning
            stmt.table = facts.table
        return stmt

    def _add_where(self, stmt: Statement, expr: Optional[ast.AST], scope: Scope) -> None:
        """Add the comparisons of a WHERE/filter expression (``and_``/``or_``,
        ``&``/``|``, ``~``/``not_``, ``in_``/``notin_``... and ``text()``)."""
        if expr is not None:
            stmt.filtered = True
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
            columns = _tuple_comparisons(node)
            if columns:
                if columns[0].op == IN and self._in_subquery(node, scope):
                    columns = [c._replace(op=RANGE) for c in columns]
                found.extend(c._replace(op=_NEGATED.get(c.op, c.op) if negated else c.op, disjunct=disjunct)
                             for c in columns)
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

    def updates_by_primary_key(self, call: ast.Call, stmt: Statement) -> bool:
        """SQLAlchemy's ORM bulk UPDATE by primary key: ``session.execute(
        update(Model), [{"id": 1, ...}, ...])``, an ``update()`` construct with
        no WHERE given a list of parameter sets.  Each set updates the row of
        its primary key, and SQLAlchemy compares the matched count with the
        number of sets itself (``StaleDataError``): no count to read."""
        if stmt.kind != "update" or stmt.filtered or stmt.text is not None or stmt.target is None:
            return False
        params = call.args[1] if len(call.args) > 1 else keyword(call, "params")
        return params is not None and not isinstance(params, (ast.Dict, ast.Constant))

    def row_identity(self, stmt: Statement) -> Optional[str]:
        """The key column(s) that pin the rows an UPDATE/DELETE targets, if
        any (spec: row identity): equality or ``IN``, not under an ``OR``, on
        every column of the primary key or of a unique constraint of the model
        the statement targets, where the project model knows it; else on a
        column named ``id`` or matching the identifier pattern.  None for a
        bulk statement (a state sweep, a purge, a filter on a foreign key)."""
        pinned = [c.column for c in stmt.where if not c.disjunct and c.op in PIN_OPERATORS]
        each = self._models_of_a_loop(stmt)
        if each is not None:
            # ``for model in (models.Task, models.Env): query(model)...``: it
            # targets every one of them, so each must be pinned
            found = [self._pinned_by(pinned, keys) for keys in each]
            return found[0] if all(found) else None
        return self._pinned_by(pinned, self.model_keys(stmt))

    def _pinned_by(self, pinned: List[str], keys) -> Optional[str]:  # type: ignore[no-untyped-def]
        """The key columns among ``pinned`` for a model with ``keys``
        (``model_keys``; None when the model is not known)."""
        if keys is not None:
            primary, unique, _versions = keys
            named = {column.lower() for column in pinned}  # SQL names ignore case
            for columns in ([primary] if primary else []) + unique:
                if columns and all(column.lower() in named for column in columns):
                    return ", ".join(columns)
            if primary:
                return None
            # no primary key in sight: SQLAlchemy maps none without one, so it
            # comes from a base outside the project (neutron-lib's HasId);
            # the names below may still pin it
        for column in pinned:
            if self.is_key_column(column):
                return column
        return None

    def _models_of_a_loop(self, stmt: Statement) -> Optional[List[Tuple[List[str], List[List[str]], List[str]]]]:
        """The keys of every model a loop variable target runs over (a literal
        tuple or list of models the project model knows), else None."""
        target, scope = stmt.target, stmt.scope
        if self.project is None or not isinstance(target, ast.Name) or scope is None:
            return None
        binding = scope.lookup(target.id, target)
        loop = binding.node if binding is not None and binding.kind == "for" else None
        if not (isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.target, ast.Name)
                and isinstance(loop.iter, (ast.Tuple, ast.List)) and loop.iter.elts):
            return None
        each = [self.project.model.key_columns(self.target_name(element, scope))
                for element in loop.iter.elts]
        return None if any(keys is None for keys in each) else each  # type: ignore[misc]

    def model_keys(self, stmt: Statement) -> Optional[Tuple[List[str], List[List[str]], List[str]]]:
        """(primary key, unique sets, version columns) of what ``stmt``
        targets (a model, a ``Table``, or the table SQL text names), when the
        project model knows it."""
        if self.project is None:
            return None
        if stmt.target is None:
            # SQL text: the table it names, as the project declares it
            return self.project.model.table_keys(stmt.table) if stmt.table else None
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
            owner = _classmethod_owner(target, scope)
            if owner is not None:
                target = owner  # query(cls) in a classmethod: the class itself
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
        if isinstance(expr, ast.IfExp):
            # model_query(m) if insecure else _secure_query(m): a query either way
            body = self.query_chain(expr.body, scope, depth + 1)
            orelse = self.query_chain(expr.orelse, scope, depth + 1)
            return body if body is not None and orelse is not None else None
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
        passed = self._passed_through(expr, scope)
        if passed is not None:
            argument, returned, helper = passed
            base = self.query_chain(argument, scope, depth + 1)
            if base is not None and helper is not None:
                self._add_chain_filters(base, returned, helper)
            return base
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

    def _passed_through(
        self, call: ast.Call, scope: Scope
    ) -> Optional[Tuple[ast.expr, ast.expr, Optional[Scope]]]:
        """(the argument, the helper's first ``return`` value, its scope) for
        a call of a helper that gives a query parameter back, as it is
        (mlflow's hook ``self._filter_endpoint_binding_query(session,
        query)``: ``return query``) or filtered (cyborg's
        ``add_identity_filter(query, value)``: ``return
        query.filter_by(uuid=value)``): the helper is a method of the
        enclosing class or a function of this module, every ``return`` is the
        parameter or a query chain on it, and it never rebinds it."""
        func = call.func
        function: Optional[ast.AST] = None
        skip = 0
        if isinstance(func, ast.Name):
            binding = scope.lookup(func.id, func)
            function = binding.node if binding is not None and binding.kind == "def" else None
        elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
              and func.value.id in ("self", "cls")):
            klass = scope.parent if scope.kind == "function" else None
            if klass is None or klass.kind != "class":
                return None
            function = next((n for n in klass.node.body  # type: ignore[attr-defined]
                             if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                             and n.name == func.attr), None)
            skip = 1
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return None
        key = id(function)
        if key not in self._returned_params:
            self._returned_params[key] = _returned_parameter(function)
        found = self._returned_params[key]
        if found is None:
            return None
        name, returned = found
        if skip and any(last_part(d) == "staticmethod" for d in function.decorator_list):
            skip = 0
        positional = [a.arg for a in function.args.posonlyargs + function.args.args][skip:]
        argument: Optional[ast.expr] = None
        if name in positional and positional.index(name) < len(call.args):
            argument = call.args[positional.index(name)]
        else:
            argument = keyword(call, name)
        if argument is None or isinstance(argument, ast.Starred):
            return None
        helper = next((s for s in self.facts.scopes if s.node is function), None)
        return argument, returned, helper

    def _add_chain_filters(self, base: Statement, returned: ast.expr, helper: Scope) -> None:
        """The filters a helper's returned chain adds to the query it was given."""
        node: ast.AST = returned
        for _ in range(MAX_DEPTH):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                return
            name = node.func.attr
            if name in ("filter", "where"):
                for arg in node.args:
                    self._add_where(base, arg, helper)
            elif name == "filter_by":
                base.where.extend(self._filter_by(node, helper))
            node = node.func.value

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

    # -- SQL text the project quotes --------------------------------------------

    def constant_by_callers(self, scope: Scope, param: str) -> bool:
        """Is the parameter ``param`` of this function given a constant at
        every call site the project model resolves (its SQL text can then
        only say what those callers' source says)?"""
        if self.project is None:
            return False
        name = self.function_name(scope)  # type: ignore[attr-defined]
        return name is not None and self.project.model.param_constant(name, param)

    def returned_sql(self, call: ast.Call, scope: Scope):  # -> Optional[Tuple[int, list]]
        """A call of a project function that returns SQL text built from
        constants and its parameters (the project model's ``sql_text``):
        (which part of its result is that text, the call's argument for each
        of those parameters: an expression, None for a constant default left
        out, False when a spread hides it)."""
        if self.project is None:
            return None
        found = self.project.model.sql_text(self.project.callee(call, scope))
        if found is None:
            return None
        index, used, (_name, info, positional, offset) = found
        params = list(info.get("params", ()))
        arguments: list = []
        for param in used:
            if param not in params:
                return None  # an enclosing function's parameter
            arguments.append(_argument_for(call, param, params.index(param) - offset,
                                           params.index(param) < positional, info))
        return index, arguments

    def reads_count_of_argument(self, call: ast.Call, argument: ast.AST, scope: Scope) -> bool:
        """Is ``argument`` passed to a project function that reads its
        ``.rowcount`` (the summary's ``counts``)?"""
        if self.project is None:
            return False
        found = self.project.model.signature(self.project.callee(call, scope))
        if found is None or "counts" not in found[1]:
            return False
        _name, info, positional, offset = found
        params = list(info.get("params", ()))
        return any(
            _argument_for(call, param, params.index(param) - offset, params.index(param) < positional, info)
            is argument
            for param in info["counts"] if param in params)

    def is_project_constant_attribute(self, attr: str) -> bool:
        """An attribute every module of the project defines and stores only
        as a literal (``ProjectModel.constant_attribute``)."""
        return self.project is not None and self.project.model.constant_attribute(attr)

    def is_project_quoting(self, call: ast.Call, scope: Scope) -> bool:
        if self.project is None:
            return False
        return self.project.model.is_quoting(self.project.callee(call, scope))

    def is_project_quoting_function(self, func: ast.AST, scope: Scope) -> bool:
        """A project quoting helper named, not called: ``map(quote_name, cols)``."""
        if self.project is None:
            return False
        return self.project.model.is_quoting(self.project.method(func, scope) or self.project.name(func))

    def is_project_validation(self, call: ast.Call, scope: Scope) -> bool:
        """A project function that raises unless its first argument is a safe
        identifier (``ProjectModel.validates``)."""
        if self.project is None:
            return False
        return self.project.model.validates(self.project.callee(call, scope))


def _argument_for(call: ast.Call, param: str, slot: int, positional: bool, info) -> object:  # type: ignore[no-untyped-def]
    """The argument ``call`` passes for ``param`` (at ``slot`` among the
    positional ones): an expression; None when left out with a constant
    default; False when unknown (a spread, or left out otherwise)."""
    spread = False
    if positional and slot >= 0:
        for index, arg in enumerate(call.args):
            if isinstance(arg, ast.Starred):
                spread = True
                break
            if index == slot:
                return arg
    for kw in call.keywords:
        if kw.arg == param:
            return kw.value
        if kw.arg is None:
            spread = True
    if spread or slot < 0:
        return False
    return None if param in info.get("cdefaults", ()) else False


def _returned_parameter(function: ast.AST) -> Optional[Tuple[str, ast.expr]]:
    """(the parameter, the first ``return`` value) when every ``return`` of
    ``function`` is one parameter, as it is or through query-building calls
    (``query.filter_by(uuid=value)``), and the function never rebinds it
    (``query = query.filter(...); return query`` builds another statement)."""
    args = function.args  # type: ignore[attr-defined]
    params = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names = set()
    rebound = set()
    returns: List[Tuple[int, int, ast.expr]] = []
    for node in walk_same_scope(function, 2000):
        if isinstance(node, ast.Return) and node is not function:
            root = node.value
            while (isinstance(root, ast.Call) and isinstance(root.func, ast.Attribute)
                   and root.func.attr in QUERY_CHAIN):
                root = root.func.value
            if not (isinstance(root, ast.Name) and root.id in params):
                return None
            names.add(root.id)
            returns.append((node.lineno, node.col_offset, node.value))  # type: ignore[arg-type]
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            rebound.add(node.id)
    if len(names) != 1 or names & rebound or not returns:
        return None
    return names.pop(), min(returns, key=lambda r: (r[0], r[1]))[2]


def _classmethod_owner(target: ast.AST, scope: Scope) -> Optional[ast.Name]:
    """``cls`` as the first parameter of a ``@classmethod`` of a class: a
    name of that class (invenio's ``db.session.query(cls).filter_by(...)``)."""
    if not isinstance(target, ast.Name) or scope.kind != "function":
        return None
    node = scope.node
    params = getattr(getattr(node, "args", None), "args", ())
    if not params or params[0].arg != target.id or scope.parent is None or scope.parent.kind != "class":
        return None
    if not any(last_part(d) == "classmethod" for d in getattr(node, "decorator_list", ())):
        return None
    binding = scope.lookup(target.id, target)
    if binding is None or binding.kind != "param":
        return None
    klass = scope.parent.node
    return ast.Name(id=klass.name, ctx=ast.Load(), lineno=klass.lineno, col_offset=klass.col_offset)  # type: ignore[attr-defined]
