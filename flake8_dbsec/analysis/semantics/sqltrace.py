"""How a string was built: the data flow behind DBS401's SQL text.

A :class:`StringTrace` answers "was this string built from non-constant
values, and how?" by looking at the expression and, through
``scope.lookup``, at the local variables it came from (bounded depth and a
step budget: deep or cyclic data flow never hangs or raises).  It lives in
the shared analysis layer because two places ask it: the DBS401 rule, at
each SQL sink, and the project model's summaries, which record what SQL
text a project function returns (``Summarizer``) so that its callers can
splice it.
"""

from __future__ import annotations

import ast
import re
from string import Formatter
from typing import TYPE_CHECKING, Dict, Iterable, Iterator, List, Optional, Set, Tuple

from ..names import (
    MAX_DEPTH,
    const_str,
    is_instance_field,
    is_self_store,
    last_part,
    self_attribute_stores,
    walk_bounded,
    walk_same_scope,
)
from ..walker import Binding, ModuleFacts, Scope
from .sqlstrings import (
    NUMERIC_CONVERSIONS, STR_PASSTHROUGH, composable_kind, flatten_add, percent_format, text_head,
)
from .rows import fetched_number
from .values import (
    NUMERIC_CALLS,
    digit_groups,
    guard_subject as _guard_subject,
    is_numeric_call,
    is_random_text as _is_random_text,
    numeric_annotation as _numeric_annotation,
    rejected_subject,
)

if TYPE_CHECKING:  # pragma: no cover
    from . import Semantics
#: ``how`` values (the message's ``{how}`` field).
F_STRING = "f-string"
PERCENT = "% formatting"
CONCAT = "concatenation"
FORMAT = "str.format"
JOIN = "join"
#: A trace result: ``None`` = constant or safe; ``OPAQUE`` = a value we know
#: nothing about (a parameter, a call result) with no building visible; any
#: other string = built from non-constant values, and how.
Taint = Optional[str]
OPAQUE = ""

#: functions that quote an identifier for the SQL text.
QUOTING_CALLS = frozenset({"quote_identifier", "quote_ident"})
#: SQLAlchemy constructs that render as a quoted identifier
IDENTIFIER_CONSTRUCTS = frozenset({"column", "table"})
#: what names a table or a column (``Model.__table__.c.id.name``)
SCHEMA_NAME_ATTRIBUTES = frozenset({"name", "key", "fullname"})
#: a table's collections of columns
COLUMN_COLLECTIONS = frozenset({"c", "columns", "primary_key"})
#: calls returning their (first) argument's elements, for ``join``.
SEQUENCE_CALLS = frozenset({"list", "tuple", "set", "frozenset", "sorted", "reversed"})
APPEND_METHODS = frozenset({"append", "add", "insert", "extend"})


_NUMERIC_SPEC = frozenset("bdoxXneEfFgG%")
_HOLE = "\x00"
#: one bind-parameter placeholder: :name, @name, $1, ?, %s, %(name)s; holes
#: (spliced values) may only sit inside a bind name.
_PLACEHOLDER = r"(?:[:@$][\w\x00]+|%\([\w\x00]+\)s|\?\d*|%s)"
_PLACEHOLDERS_ONLY = re.compile(rf"[\s,()]*{_PLACEHOLDER}(?:[\s,()]*{_PLACEHOLDER})*[\s,()]*")
#: how many trace steps one sink may take before giving up (as "safe").
STEP_BUDGET = 4000


class StringTrace:
    """Follows string-building expressions and the locals they flow through.

    One instance per module; results are memoized per expression node.
    """

    def __init__(self, sem: "Semantics", facts: ModuleFacts, symbolic_params: bool = False) -> None:
        self.sem = sem
        self.facts = facts
        #: summary mode: a parameter is not judged but noted in ``params_used``
        #: (the text is safe when the caller's arguments for them are)
        self.symbolic_params = symbolic_params
        self.params_used: Set[str] = set()
        self._memo: Dict[int, Taint] = {}
        self._appends: Dict[int, Dict[str, List[ast.Call]]] = {}
        self._class_attributes: Dict[Tuple[int, str], bool] = {}
        #: id(function node) -> {"x" / "self.x": its ``if x not in ...: raise`` guards}
        self._guards: Dict[int, Dict[str, List[ast.stmt]]] = {}
        self._local_callers: Dict[Tuple[int, str], bool] = {}
        #: module-level name -> bound once to a literal that nothing changes
        self._unchanged_literals: Dict[str, bool] = {}
        self._steps = 0

    # -- entry points ----------------------------------------------------------

    def how_built(self, expr: ast.expr, scope: Scope) -> Taint:
        """How ``expr`` was built from non-constant values; None/"" if it was not."""
        self._steps = 0
        return self.taint(expr, scope, 0)

    def head(self, expr: ast.expr, scope: Scope) -> Optional[str]:
        """The constant text the string starts with, through locals (for SQL-looking)."""
        return text_head(expr, scope)

    # -- the trace -------------------------------------------------------------

    def taint(self, expr: Optional[ast.AST], scope: Scope, depth: int) -> Taint:
        if expr is None or isinstance(expr, ast.Constant):
            return None
        key = id(expr)
        if key in self._memo:
            return self._memo[key]
        self._steps += 1
        if depth > MAX_DEPTH or self._steps > STEP_BUDGET:
            return None  # precision first: too deep to tell
        result = self._taint(expr, scope, depth + 1)
        self._memo[key] = result
        return result

    def _taint(self, expr: ast.AST, scope: Scope, depth: int) -> Taint:  # noqa: C901
        if isinstance(expr, ast.JoinedStr):
            return self._fstring(expr, scope, depth)
        if isinstance(expr, ast.BinOp):
            if _number_arithmetic(expr):
                return None  # ``-1000 * self._cache_mb``, ``offset + 1``: a number
            if isinstance(expr.op, ast.Mod):
                return self._percent(expr, scope, depth)
            if isinstance(expr.op, ast.Add):
                return self._concat(expr, scope, depth)
            if isinstance(expr.op, ast.Mult):
                return self._repeat(expr, scope, depth)
            return self._worst([expr.left, expr.right], scope, depth, opaque=True)
        if isinstance(expr, ast.Name):
            return self._name(expr, scope, depth)
        if isinstance(expr, ast.Call):
            return self._call(expr, scope, depth)
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return self.elements(expr, scope, depth)
        if isinstance(expr, ast.IfExp):
            return self._worst([expr.body, expr.orelse], scope, depth)
        if isinstance(expr, ast.BoolOp):
            return self._worst(expr.values, scope, depth)
        if isinstance(expr, ast.NamedExpr):
            return self.taint(expr.value, scope, depth)
        if isinstance(expr, ast.Starred):
            return self.elements(expr.value, scope, depth)
        if isinstance(expr, (ast.UnaryOp, ast.Compare)):
            return None  # a number or a bool
        if isinstance(expr, ast.Dict):
            return self._worst([k for k in expr.keys if k is not None] + expr.values, scope, depth)
        if isinstance(expr, ast.Subscript):
            if digit_groups(expr, scope):
                return None  # m[1] of a pattern that captures only digits
            # CONSTANTS[key] picks one of the constants, whatever the key.
            return None if self.taint(expr.value, scope, depth) is None else OPAQUE
        if isinstance(expr, ast.Attribute):
            if _is_constant_attribute(expr):
                return None
            subject = _guard_subject(expr)
            if subject is not None and self._allowlisted(subject, expr, scope):
                return None
            if expr.attr == "hex" and isinstance(expr.value, ast.Call) and _is_random_text(expr.value):
                return None  # uuid4().hex
            if self._class_attribute(expr, scope, depth):
                return None
            if self._schema_name(expr, scope):
                return None
            if not self.symbolic_params and self.sem.is_project_constant_attribute(expr.attr):
                return None  # ``self.db.arg``: every definition in the project is a literal
        return OPAQUE

    def _schema_name(self, expr: ast.Attribute, scope: Scope) -> bool:
        """A name the program's own SQLAlchemy schema declares: a model's
        ``__tablename__``, its ``__table__`` (rendered as the table's name),
        and the ``name``/``key``/``fullname`` of that table or of one of its
        columns (``Model.__table__.c.id.name``, ``column.name`` in a loop
        over ``t.columns`` with ``t = Model.__table__``). Like an UPPER_CASE
        constant, its text is in the code; DDL cannot bind identifiers."""
        if expr.attr in ("__tablename__", "__table__"):
            return True
        return expr.attr in SCHEMA_NAME_ATTRIBUTES and self._schema_object(expr.value, scope, 0)

    def _schema_object(self, expr: ast.AST, scope: Scope, depth: int) -> bool:
        """A model's table or one of its columns, by provenance."""
        if depth > 3:
            return False
        if isinstance(expr, ast.Subscript):
            expr = expr.value  # t.columns["id"]
            if not (isinstance(expr, ast.Attribute) and expr.attr in COLUMN_COLLECTIONS):
                return False
            return self._schema_object(expr.value, scope, depth + 1)
        if isinstance(expr, ast.Attribute):
            if expr.attr == "__table__":
                return True
            owner = expr.value  # t.c.id
            return (isinstance(owner, ast.Attribute) and owner.attr in ("c", "columns")
                    and self._schema_object(owner.value, scope, depth + 1))
        if not isinstance(expr, ast.Name):
            return False
        binding = scope.lookup(expr.id, expr)
        if binding is None:
            return False
        if binding.kind in ("assign", "walrus"):
            return self._schema_object(binding.value, scope, depth + 1)
        loop = binding.node
        if binding.kind == "for" and isinstance(getattr(loop, "target", None), ast.Name):
            source = loop.iter  # type: ignore[attr-defined]
            return (isinstance(source, ast.Attribute) and source.attr in COLUMN_COLLECTIONS
                    and self._schema_object(source.value, scope, depth + 1))
        return False

    def _class_attribute(self, expr: ast.Attribute, scope: Scope, depth: int) -> bool:
        """``self.X`` whose every binding in its class is safe: the class body
        binds it at most once, and every ``self.X = ...`` in a method of the
        class stores a safe value, traced in that method (sqlite-utils'
        ``_counts_table_name = "_counts"``; a savepoint name made from
        ``uuid4().hex`` in ``start()`` and spliced in ``commit()``). A store
        the trace cannot read (``+=``, unpacking, a nested function) makes
        it unsafe; so does a cycle (``self.x = self.x + ...``)."""
        if not (isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls")):
            return False
        klass = scope.parent
        while klass is not None and klass.kind != "class":
            klass = klass.parent
        if klass is None:
            return False
        key = (id(klass), expr.attr)
        if key not in self._class_attributes:
            self._class_attributes[key] = False  # while it is traced: a cycle is not safe
            self._class_attributes[key] = self._every_store_safe(klass, expr.attr, depth)
        return self._class_attributes[key]

    def _every_store_safe(self, klass: Scope, attr: str, depth: int) -> bool:
        body = klass.bindings.get(attr, ())
        if len(body) == 1 and body[0].kind == "def" and _is_property(body[0].node):
            return self._property_safe(klass, body[0].node, depth)
        if len(body) > 1 or any(b.kind != "assign" or is_instance_field(b.node) for b in body):
            return False  # rebound, or a field: sqlmesh's pydantic ``role: Optional[str] = None``
        stored = [(b.value, klass) for b in body if b.value is not None]
        # a summary traces one function's parameters only: no other method's stores
        methods = () if self.symbolic_params else [c for c in klass.children if c.kind == "function"]
        in_methods = [(value, method) for method in methods
                      for _, value in self_attribute_stores(method.node, attr, ("self", "cls"))]
        if len(in_methods) != _count_self_stores(klass.node, attr):
            return False  # a store in a nested function, or a summary's method store
        stored.extend(in_methods)
        return bool(stored) and all(
            value is not None and not _mutable_container(value)
            and (self.taint(value, owner, depth) is None or self._checked_after_store(value, attr, owner))
            for value, owner in stored)

    def _property_safe(self, klass: Scope, node: ast.AST, depth: int) -> bool:
        """A read-only property of the class whose every ``return`` gives a
        safe value, traced in the property (persist-queue's ``_table_name``
        returning the class constant ``self._TABLE_NAME``)."""
        method = next((c for c in klass.children if c.node is node), None)
        if method is None or self.symbolic_params:
            return False
        returns = [exit_node for exit_node, _ctx in method.exits if not isinstance(exit_node, ast.Raise)]
        if all(isinstance(r, ast.Return) and _placeholder(r.value) for r in returns):
            return False  # ``return None``: a hook subclasses override (luigi's prune_table)
        return bool(returns) and all(
            isinstance(exit_node, ast.Return) and exit_node.value is not None
            and self.taint(exit_node.value, method, depth) is None
            for exit_node in returns)

    # -- allowlists ----------------------------------------------------------------

    def _guards_of(self, function: Scope) -> Dict[str, List[ast.stmt]]:
        """The function's checks, by subject: ``if x not in ALLOWED: raise``,
        ``if not SAFE.fullmatch(x): raise``, and a statement calling a
        project function that validates its argument (``_validate_identifier(
        name)``, mem0)."""
        key = id(function.node)
        if key not in self._guards:
            found: Dict[str, List[ast.stmt]] = {}
            for statement in walk_same_scope(function.node, 5_000):
                if not isinstance(statement, (ast.If, ast.Expr)):
                    continue
                subject = rejected_subject(statement, function)
                if subject is None and isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
                    subject = self._validated_argument(statement.value, function)
                if subject is not None:
                    found.setdefault(subject, []).append(statement)
            self._guards[key] = found
        return self._guards[key]

    def _validated_argument(self, call: ast.Call, scope: Scope) -> Optional[str]:
        if not call.args or not self.sem.is_project_validation(call, scope):
            return None
        return _guard_subject(call.args[0])

    def _allowlisted(self, subject: str, use: ast.AST, scope: Scope) -> bool:
        """An ``if <subject> not in <allowed>: raise`` (or ``return``) of the
        same function runs before ``use``, and nothing rebinds a local
        subject between them: it holds one of the allowed values."""
        if scope.kind != "function":
            return False
        guards = self._guards_of(scope).get(subject)
        if not guards:
            return False
        binding = scope.lookup(subject, use) if "." not in subject else None
        return any(
            self.facts.precedes(guard, use)
            and (binding is None or binding.kind == "param" or self.facts.precedes(binding.node, guard))
            for guard in guards)

    def _checked_after_store(self, value: ast.AST, attr: str, method: Scope) -> bool:
        """``self.x = ...`` followed, in the same statement list, by ``if
        self.x not in {...}: raise`` (open-webui's MariaDB store checks its
        distance strategy in ``__init__``)."""
        if method.kind != "function":
            return False
        guards = self._guards_of(method).get(f"self.{attr}", ())
        store = self.facts.enclosing_statement(value)
        # in the store's own statement list, so that it runs whenever the store did
        return any(self.facts.parent(guard) is self.facts.parent(store) and self.facts.precedes(store, guard)
                   for guard in guards)

    def _worst(
        self, exprs: Iterable[ast.AST], scope: Scope, depth: int, opaque: bool = False
    ) -> Taint:
        """Combined trace of ``exprs``; ``opaque``: building below is only OPAQUE
        here (a number computed from built strings is not itself SQL text)."""
        result = _combine(self.taint(expr, scope, depth) for expr in exprs)
        return OPAQUE if opaque and result else result

    def _spliced(self, how: str, values: Iterable[ast.AST], scope: Scope, depth: int) -> Taint:
        """``how`` applied to ``values``: the first non-constant value decides
        (its own building mechanism if it was built, else ``how``)."""
        for value in values:
            result = self.taint(value, scope, depth)
            if result is not None:
                return result or how
        return None

    # -- building mechanisms -----------------------------------------------------

    def _fstring(self, expr: ast.JoinedStr, scope: Scope, depth: int) -> Taint:
        template: List[str] = []
        values = []
        for part in expr.values:
            text = const_str(part)
            if text is not None:
                template.append(text)
                continue
            template.append(_HOLE)
            if isinstance(part, ast.FormattedValue) and not _numeric_fstring_field(part):
                values.append(part.value)
        if _placeholders_only("".join(template)):
            return None
        return self._spliced(F_STRING, values, scope, depth)

    def _percent(self, expr: ast.BinOp, scope: Scope, depth: int) -> Taint:
        text = self.const_text(expr.left, scope)
        if text is not None:
            template, conversions = _printf(text)
            if template is not None and _placeholders_only(template):
                return None
            operands = _unsafe_percent_operands(conversions, expr.right)
            left: Taint = None
        else:
            operands = [expr.right]
            left = self.taint(expr.left, scope, depth)
        spliced = self._spliced(PERCENT, operands, scope, depth)
        return spliced if spliced is not None else left

    def _concat(self, expr: ast.BinOp, scope: Scope, depth: int) -> Taint:
        operands = flatten_add(expr, limit=10_000)  # long chains never recurse
        template = "".join(
            const_str(op) if const_str(op) is not None else _HOLE for op in operands
        )
        if _placeholders_only(template):
            return None
        return self._spliced(CONCAT, operands, scope, depth)

    def _repeat(self, expr: ast.BinOp, scope: Scope, depth: int) -> Taint:
        """``"?" * n`` / ``["%s"] * len(ids)``: the sequence side decides."""
        for side in (expr.left, expr.right):
            if isinstance(side, (ast.Constant, ast.List, ast.Tuple)):
                return self.taint(side, scope, depth)
        return self._worst([expr.left, expr.right], scope, depth, opaque=True)

    def _format(self, call: ast.Call, scope: Scope, depth: int) -> Taint:
        base = call.func.value  # type: ignore[attr-defined]
        text = self.const_text(base, scope)
        fields = _format_fields(text) if text is not None else None
        if fields is not None:
            template, uses = fields
            if _placeholders_only(template):
                return None
            values = _unsafe_format_args(call, uses)
            base_taint: Taint = None
        else:
            values = list(call.args) + [kw.value for kw in call.keywords]
            base_taint = self.taint(base, scope, depth)
        spliced = self._spliced(FORMAT, values, scope, depth)
        return spliced if spliced is not None else base_taint

    def _join(self, call: ast.Call, scope: Scope, depth: int) -> Taint:
        separator = call.func.value  # type: ignore[attr-defined]
        if not call.args:
            return None
        sep = self.taint(separator, scope, depth)
        if sep is not None:
            return sep or JOIN
        parts = self.elements(call.args[0], scope, depth)
        if parts is not None:
            return parts or JOIN
        return None

    # -- names -------------------------------------------------------------------

    def _local(self, expr: ast.Name, scope: Scope, depth: int) -> Tuple[Optional[Binding], Scope, Taint]:
        """A name's local binding and the scope that owns it; when it is no
        local, (None, scope, verdict): unbound is OPAQUE, a module-level name
        is safe only as a constant."""
        binding = scope.lookup(expr.id, expr)
        if binding is None:
            return None, scope, OPAQUE
        owner = self._owner(scope, binding)
        if owner is self.facts.module and scope is not owner:
            return None, owner, self._module_constant(binding, owner, depth)
        return binding, owner, None

    def _name(self, expr: ast.Name, scope: Scope, depth: int) -> Taint:
        if self._allowlisted(expr.id, expr, scope):
            return None  # past ``if order not in ("asc", "desc"): raise ...``
        binding, owner, verdict = self._local(expr, scope, depth)
        if binding is None:
            return verdict
        if owner is scope and (binding.kind in ("assign", "walrus")
                               or (binding.kind == "other" and self._unpacked_call(binding) is not None)):
            # a rebinding in a branch, also by unpacking a call's result
            # (``if plugin: sql, args = plugin.process(sql, args)``), leaves
            # the earlier text reaching the call on the other path
            return _combine(self._binding(b, owner, depth) for b in self._reaching(binding, expr, owner))
        return self._binding(binding, owner, depth)

    def _reaching(self, binding: Binding, use: ast.AST, scope: Scope) -> Iterator[Binding]:
        """``binding`` and the earlier ones of the same name that may still
        reach ``use`` because the later ones sit in branches (``if arg: q =
        f"...{arg}" else: q = "SHOW TABLES"``): back to the first that runs
        on every path, at most :data:`MAX_DEPTH` of them."""
        current: Optional[Binding] = binding
        for _ in range(MAX_DEPTH):
            if current is None:
                return
            yield current
            if current.kind == "aug" or self.facts.runs_before(current.node, use):
                return  # ``q += ...`` traces the text before it itself
            guard = self._allowlist_reset(current)
            if guard is not None and self.facts.runs_before(guard, use):
                return  # past ``if q not in ALLOWED: q = ...`` q is allowed or this value
            current = scope.binding_before(current.name, current.node)

    def _allowlist_reset(self, binding: Binding) -> Optional[ast.If]:
        """The ``if`` whose body holds ``binding`` when its test says the name
        is not in a collection (``if sort not in columns: sort = "id"``,
        ``if not order in ["asc", "desc"]: order = "asc"``): after it the
        name holds an allowed value or the one assigned here."""
        statement = self.facts.enclosing_statement(binding.node)
        guard = self.facts.parent(statement)
        if not isinstance(guard, ast.If) or not any(s is statement for s in guard.body):
            return None
        test = guard.test
        negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
        compare = test.operand if negated else test  # type: ignore[attr-defined]
        if not (isinstance(compare, ast.Compare) and len(compare.ops) == 1
                and isinstance(compare.left, ast.Name) and compare.left.id == binding.name):
            return None
        wanted = ast.In if negated else ast.NotIn
        return guard if isinstance(compare.ops[0], wanted) else None

    def _binding(self, binding: Binding, owner: Scope, depth: int) -> Taint:
        if binding.kind in ("assign", "walrus"):
            return self.taint(binding.value, owner, depth)
        if binding.kind == "aug":
            return self._augmented(binding, owner, depth)
        if binding.kind in ("for", "other"):
            if fetched_number(binding, owner, self.facts):
                return None  # ``for oid, name in cur.fetchall()`` after ``SELECT c.oid, ...``
            unpacked = self._unpacked_call(binding)
            if unpacked is not None:
                return self._returned(unpacked[0], owner, depth, unpacked[1])
            return self._loop_target(binding, owner, depth)
        if binding.kind == "param":
            if _numeric_annotation(getattr(binding.node, "annotation", None)):
                return None  # ``limit: int``: a number, whatever the caller passes
            if self.symbolic_params:
                self.params_used.add(binding.name)
                return None
            if owner.kind == "function" and self.sem.constant_by_callers(owner, binding.name):
                return None  # every caller the project model sees passes a constant
            if owner.kind == "function" and self._constant_by_local_callers(owner, binding.name, depth):
                return None  # a nested helper that its enclosing function calls with constants
        return OPAQUE

    def _constant_by_local_callers(self, function: Scope, param: str, depth: int) -> bool:
        """A nested helper's parameter that every call of it in the enclosing
        function fills with a constant (``add_column("crypto_account")``).
        Only the enclosing function can call a nested helper, so those calls
        are all its callers, unless the helper's name is used otherwise
        (passed on, returned, rebound, or called from a deeper scope)."""
        node = function.node
        enclosing = function.parent
        if (enclosing is None or enclosing.kind != "function"
                or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))):
            return False
        if len(enclosing.bindings.get(node.name, ())) != 1:
            return False
        key = (id(node), param)
        if key not in self._local_callers:
            self._local_callers[key] = False  # while it is traced: a cycle is not constant
            self._local_callers[key] = self._every_local_call_constant(enclosing, node, param, depth)
        return self._local_callers[key]

    def _every_local_call_constant(self, enclosing: Scope, node: ast.FunctionDef, param: str, depth: int) -> bool:
        positional = [a.arg for a in node.args.posonlyargs + node.args.args]
        calls = {id(call.func): call for call, _ctx in enclosing.calls}
        uses = [n for n in walk_bounded(enclosing.node, 20_000)
                if isinstance(n, ast.Name) and n.id == node.name and isinstance(n.ctx, ast.Load)]
        if not uses:
            return False
        for use in uses:
            call = calls.get(id(use))
            if call is None or any(isinstance(a, ast.Starred) for a in call.args) or any(
                    k.arg is None for k in call.keywords):
                return False
            argument = next((k.value for k in call.keywords if k.arg == param), None)
            if argument is None and param in positional and positional.index(param) < len(call.args):
                argument = call.args[positional.index(param)]
            if argument is None or self.taint(argument, enclosing, depth) is not None:
                return False  # left to its default, or a value
        return True

    def _unpacked_call(self, binding: Binding) -> Optional[Tuple[ast.Call, int]]:
        """``clause, args = helper(...)``: (the call, the name's position)."""
        target = binding.node
        if not isinstance(target, ast.Tuple):
            return None
        assign = self.facts.parent(target)
        if not (isinstance(assign, ast.Assign) and len(assign.targets) == 1
                and assign.targets[0] is target and isinstance(assign.value, ast.Call)):
            return None
        for index, element in enumerate(target.elts):
            if isinstance(element, ast.Name) and element.id == binding.name:
                return assign.value, index
        return None

    def _returned(self, call: ast.Call, scope: Scope, depth: int, index: int) -> Taint:
        """The text a project function returns (``index`` -1: the value; else
        that element of the tuple it returns), when the project model knows it
        is built from constants and its parameters: as safe as this call's
        arguments for those parameters."""
        found = self.sem.returned_sql(call, scope)
        if found is None or found[0] != index:
            return OPAQUE
        arguments = found[1]
        if any(arg is False for arg in arguments):
            return OPAQUE  # a parameter the call fills through a spread
        return self._worst([arg for arg in arguments if arg is not None], scope, depth)

    def _loop_target(self, binding: Binding, scope: Scope, depth: int) -> Taint:
        """``for t in ("a", "b")``, ``for i in range(n)``, ``for i, x in
        enumerate(...)``: the loop variable is what the iterable yields."""
        loop = _target_loop(binding.node, self.facts)
        target = getattr(loop, "target", None)
        source = getattr(loop, "iter", None)
        if source is None:
            return OPAQUE
        if (
            isinstance(target, ast.Tuple)
            and isinstance(source, ast.Call)
            and last_part(source.func) == "enumerate"
            and target.elts
            and isinstance(target.elts[0], ast.Name)
            and target.elts[0].id == binding.name
        ):
            return None  # the index
        result = self.elements(source, scope, depth)
        return result if isinstance(target, ast.Name) or result is None else OPAQUE

    def _module_constant(self, binding: Binding, module: Scope, depth: int) -> Taint:
        """Module-level names are safe as UPPER_CASE constants of literals,
        UPPER_CASE names imported from another module (constants by
        convention: their literal is in the other file), and names of any
        case bound once to a literal that nothing in the module changes
        (oncall's ``constraints = {'name': '`team`.`name` = %s', ...}``)."""
        if binding.kind == "import" and is_constant_name(binding.name):
            return None
        if binding.kind != "assign":
            return OPAQUE
        if not is_constant_name(binding.name) and not self._unchanged_literal(binding, module):
            return OPAQUE
        return OPAQUE if self.taint(binding.value, module, depth) is not None else None

    def _unchanged_literal(self, binding: Binding, module: Scope) -> bool:
        """Is a module-level name bound only here, to a literal, and never
        changed in the module: no other binding (a function's own, or one
        through ``global``), no item stored or deleted, no mutating method
        called on it?  Memoized per name: the scan reads every scope's
        loads of that one name."""
        name = binding.name
        if name not in self._unchanged_literals:
            self._unchanged_literals[name] = (
                isinstance(binding.value, LITERAL_NODES)
                and len(module.bindings.get(name, ())) == 1
                and not any(name in scope.bindings for scope in self.facts.scopes if scope is not module)
                and not any(self._changes(load) for scope in self.facts.scopes
                            for load in scope.loads.get(name, ())))
        return self._unchanged_literals[name]

    def _changes(self, load: ast.Name) -> bool:
        """``x[k] = v``, ``del x[k]``, ``x.update(...)``: a use that changes ``x``."""
        parent = self.facts.parent(load)
        if isinstance(parent, ast.Subscript) and parent.value is load:
            return not isinstance(parent.ctx, ast.Load)
        return isinstance(parent, ast.Attribute) and parent.attr in MUTATING_METHODS

    def _augmented(self, binding: Binding, scope: Scope, depth: int) -> Taint:
        """``sql += "... %s" % x``: each added part, back to the first assignment."""
        current: Optional[Binding] = binding
        for _ in range(MAX_DEPTH):
            if current is None:
                return OPAQUE
            if current.kind != "aug":
                break
            op = getattr(current.node, "op", None)
            how = PERCENT if isinstance(op, ast.Mod) else CONCAT
            added = self._spliced(how, [current.value], scope, depth) if current.value else OPAQUE
            if added is not None:
                return added
            current = scope.binding_before(current.name, current.node)
        else:
            return None
        if current.kind in ("assign", "walrus"):
            return self.taint(current.value, scope, depth)
        return OPAQUE

    def _owner(self, scope: Scope, binding: Binding) -> Scope:
        return scope.owner_of(binding) or scope

    def const_text(self, expr: ast.AST, scope: Scope) -> Optional[str]:
        """The constant string ``expr`` is, directly or through a local."""
        for _ in range(8):
            text = const_str(expr)
            if text is not None or not isinstance(expr, ast.Name):
                return text
            binding = scope.lookup(expr.id, expr)
            if binding is None or binding.kind not in ("assign", "walrus"):
                return None
            scope = self._owner(scope, binding)
            expr = binding.value
        return None

    # -- calls -------------------------------------------------------------------

    def _call(self, call: ast.Call, scope: Scope, depth: int) -> Taint:
        func = call.func
        name = last_part(func)
        if is_numeric_call(call):
            return None  # int(x), len(x), math.ceil(x): a number whatever x is
        if digit_groups(call, scope):
            return None  # m.groups() of a pattern that captures only digits
        if self._is_quoting(call, scope) or self._is_composable(call, scope):
            return None
        if self.sem.is_project_quoting(call, scope):
            return None  # the project's own quoting helper (quote_identifier...)
        if _is_random_text(call):
            return None  # secrets.token_hex(), uuid4().hex: no quote can appear
        if isinstance(func, ast.Name) and name == "str":
            return self.taint(call.args[0], scope, depth) if call.args else None
        if isinstance(func, ast.Name) and name in ("min", "max"):
            return self._worst(call.args, scope, depth, opaque=True)  # one of them
        if name == "dedent":
            return self.taint(call.args[0], scope, depth) if call.args else None
        if not isinstance(func, ast.Attribute):
            return self._returned(call, scope, depth, -1)
        if name == "mogrify":
            # cur.mogrify(template, params): the driver renders the values
            # bound, as execute() would; only the template can carry taint
            return self.taint(call.args[0], scope, depth) if call.args else None
        if name == "format":
            return self._format(call, scope, depth)
        if name == "join" and len(call.args) == 1 and not call.keywords:
            return self._join(call, scope, depth)  # str.join takes one iterable
        if name in STR_PASSTHROUGH:
            return self._worst([func.value, *call.args], scope, depth)
        return self._returned(call, scope, depth, -1)

    def _is_quoting(self, call: ast.Call, scope: Scope) -> bool:
        """``dialect.identifier_preparer.quote(x)``, ``preparer.quote(x)`` with
        ``preparer = ....identifier_preparer``, ``quote_identifier(x)``,
        ``db.quote(x)`` on a connection (trac's wrapper quotes names); and
        SQLAlchemy's ``column(x)``/``table(x)``, whose text is the quoted
        identifier; also through a local bound to one of these
        (``qi = self.quote_identifier; qi(name)``)."""
        func = call.func
        if isinstance(func, ast.Name):
            binding = scope.lookup(func.id, func)
            if (binding is not None and binding.kind == "assign"
                    and isinstance(binding.value, (ast.Name, ast.Attribute))):
                func = binding.value
        if last_part(func) in QUOTING_CALLS:
            return True
        if self.sem.from_sqlalchemy(func, IDENTIFIER_CONSTRUCTS):
            return True
        if not isinstance(func, ast.Attribute):
            return False
        preparer = func.value
        if func.attr == "quote" and self.sem.is_session_like(preparer, scope):
            return True  # a connection wrapper's identifier quoting (trac's db.quote(name))
        if isinstance(preparer, ast.Name):
            binding = scope.lookup(preparer.id, preparer)
            if binding is not None and binding.kind in ("assign", "walrus", "with"):
                preparer = binding.value
        if isinstance(preparer, ast.Call):
            return (last_part(preparer.func) or "").endswith("IdentifierPreparer")
        return last_part(preparer) == "identifier_preparer"

    def _is_composable(self, expr: ast.AST, scope: Scope) -> bool:
        """psycopg2/psycopg ``sql.SQL(...)`` and friends, also ``.format()``/
        ``.join()`` on one and locals bound to one."""
        for _ in range(8):
            if isinstance(expr, ast.Name):
                binding = scope.lookup(expr.id, expr)
                if binding is None or binding.kind not in ("assign", "walrus"):
                    return False
                scope = self._owner(scope, binding)
                expr = binding.value
                continue
            if not isinstance(expr, ast.Call):
                return False
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr in ("format", "join"):
                expr = func.value
                continue
            return composable_kind(self.sem.qualified(func) or "") is not None
        return False

    # -- sequences (for join) ---------------------------------------------------------

    def elements(self, expr: ast.AST, scope: Scope, depth: int) -> Taint:
        """The worst of the elements ``expr`` iterates over."""
        if depth > MAX_DEPTH:
            return None
        depth += 1
        if isinstance(expr, ast.Constant):
            return None
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            return self._worst(expr.elts, scope, depth)
        if isinstance(expr, ast.Starred):
            return self.elements(expr.value, scope, depth)
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp, ast.SetComp)):
            return self.taint(expr.elt, scope, depth)
        if isinstance(expr, ast.DictComp):
            return self.taint(expr.key, scope, depth)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):
            return self._repeat(expr, scope, depth)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return _combine(self.elements(side, scope, depth) for side in (expr.left, expr.right))
        if isinstance(expr, ast.Name):
            return self._name_elements(expr, scope, depth)
        if isinstance(expr, ast.Call):
            return self._call_elements(expr, scope, depth)
        return OPAQUE

    def _name_elements(self, expr: ast.Name, scope: Scope, depth: int) -> Taint:
        """A local list: its assignment, ``+=`` extensions and appends."""
        binding, owner, verdict = self._local(expr, scope, depth)
        if binding is None:
            return verdict
        results: List[Taint] = []
        for _ in range(MAX_DEPTH):
            if binding is None or binding.kind != "aug":
                break
            results.append(self.elements(binding.value, owner, depth) if binding.value else OPAQUE)
            binding = owner.binding_before(expr.id, binding.node)
        if binding is None or binding.kind not in ("assign", "walrus"):
            return OPAQUE
        results.append(self.elements(binding.value, owner, depth))
        results.append(self._appended(expr, owner, depth))
        return _combine(results)

    def _appended(self, name: ast.Name, scope: Scope, depth: int) -> Taint:
        """What ``name.append(x)``/``add``/``insert``/``extend`` put in the list
        before ``name`` is read."""
        where = (name.lineno, name.col_offset)
        results: List[Taint] = []
        for call in self._append_calls(scope).get(name.id, ()):
            if (call.lineno, call.col_offset) >= where or not call.args:
                continue
            if call.func.attr == "extend":  # type: ignore[attr-defined]
                results.append(self.elements(call.args[0], scope, depth))
            else:
                results.append(self.taint(call.args[-1], scope, depth))
        return _combine(results)

    def _append_calls(self, scope: Scope) -> Dict[str, List[ast.Call]]:
        index = self._appends.get(id(scope))
        if index is None:
            index = {}
            for call, _ctx in scope.calls:
                func = call.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in APPEND_METHODS
                    and isinstance(func.value, ast.Name)
                ):
                    index.setdefault(func.value.id, []).append(call)
            self._appends[id(scope)] = index
        return index

    def _call_elements(self, call: ast.Call, scope: Scope, depth: int) -> Taint:
        func = call.func
        name = last_part(func)
        if isinstance(func, ast.Name):
            if name in SEQUENCE_CALLS and call.args:
                return self.elements(call.args[0], scope, depth)
            if name == "range":
                return None
            if name == "enumerate" and call.args:
                return OPAQUE if self.elements(call.args[0], scope, depth) is not None else None
            if name == "map" and len(call.args) == 2:
                mapper = last_part(call.args[0])
                if mapper in NUMERIC_CALLS:
                    return None
                if mapper == "str":
                    return self.elements(call.args[1], scope, depth)
                if self.sem.is_project_quoting_function(call.args[0], scope):
                    return None  # map(quote_column, columns): each one quoted
        elif isinstance(func, ast.Attribute) and name in ("keys", "values", "items"):
            # a constant dict's keys and values are constants
            return None if self.taint(func.value, scope, depth) is None else OPAQUE
        return OPAQUE


#: literal values a module-level name can be bound to and stay a constant
LITERAL_NODES = (ast.Constant, ast.Dict, ast.List, ast.Tuple, ast.Set, ast.JoinedStr)
#: methods that change a dict, list or set in place
MUTATING_METHODS = frozenset({
    "update", "setdefault", "append", "extend", "insert", "add", "pop", "popitem",
    "remove", "discard", "clear", "sort", "reverse", "__setitem__", "__delitem__",
    "__iadd__", "__ior__",
})


# -- pure helpers ------------------------------------------------------------------


def returned_text(sem: "Semantics", facts: ModuleFacts, scope: Scope) -> Optional[Tuple[int, List[str]]]:
    """For a summary: what SQL-safe text the function returns, as (-1: every
    ``return`` gives text; 0: every one gives a tuple whose first element is
    text, the ``(clause, args)`` helpers) and the parameters that text is
    built from; None when some return gives other values, none builds text
    here, or text is built from anything else.  Every function of every
    module is asked, so the trace runs only once a return builds text."""
    values: List[Optional[ast.AST]] = []
    index: Optional[int] = None
    for node, _ctx in scope.exits:
        if not isinstance(node, ast.Return):
            return None  # a generator
        value = node.value
        shape = 0 if isinstance(value, ast.Tuple) and len(value.elts) >= 2 else -1
        if index is not None and shape != index:
            return None
        index = shape
        values.append(value.elts[0] if shape == 0 else value)  # type: ignore[union-attr]
    if index is None or not any(builds_text(v, scope) or _picks_from_container(v, scope, facts) for v in values):
        return None
    trace = StringTrace(sem, facts, symbolic_params=True)
    for value in values:
        if value is None or trace.how_built(value, scope) is not None:  # type: ignore[arg-type]
            return None
    return index, sorted(trace.params_used)


def builds_text(value: Optional[ast.AST], scope: Scope) -> bool:
    """Is the text built here (f-string, ``%``, ``+``, ``format``/``join``),
    directly, in either branch of a conditional (langgraph's ``"WHERE " +
    " AND ".join(wheres) if wheres else ""``), or in the local it names?"""
    if isinstance(value, ast.IfExp):
        return _builds_text_visibly(value.body) or _builds_text_visibly(value.orelse)
    if isinstance(value, ast.Name):
        binding = scope.lookup(value.id, value)
        value = binding.value if binding is not None and binding.kind in ("assign", "aug") else None
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.BinOp):
        return isinstance(value.op, (ast.Mod, ast.Add))
    return isinstance(value, ast.Call) and last_part(value.func) in ("format", "join")


def _picks_from_container(value: Optional[ast.AST], scope: Scope, facts: ModuleFacts) -> bool:
    """Does the function return an item of a module-level container
    (``return TABLES[name]``; ``for k, v in NAMESPACE_TABLE_MAP.items():
    ... return v``)?  The trace then decides whether the container is a
    constant."""
    if isinstance(value, ast.Subscript):
        return isinstance(value.value, ast.Name)
    if not isinstance(value, ast.Name):
        return False
    binding = scope.lookup(value.id, value)
    if binding is None or binding.kind not in ("for", "other"):
        return False
    source = getattr(_target_loop(binding.node, facts), "iter", None)
    if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute):
        source = source.func.value if source.func.attr in ("keys", "values", "items") else None
    return isinstance(source, ast.Name) and source.id not in scope.bindings


def _placeholder(value: Optional[ast.AST]) -> bool:
    """``None``, ``""``, ``[]``, ``{}``: what a hook returns until overridden."""
    if value is None:
        return True
    if isinstance(value, ast.Constant):
        return value.value is None or value.value == ""
    return isinstance(value, (ast.List, ast.Tuple, ast.Dict)) and not getattr(value, "elts", getattr(value, "keys", None))


def _is_property(node: ast.AST) -> bool:
    """``@property`` (also ``functools.cached_property``) with no setter."""
    return any(last_part(d) in ("property", "cached_property")
               for d in getattr(node, "decorator_list", ()))


def _target_loop(node: Optional[ast.AST], facts: ModuleFacts) -> Optional[ast.AST]:
    """The node a loop target's name binds through: from ``for a, (b, c) in
    ...``'s tuples up to the loop (or comprehension) itself."""
    for _ in range(MAX_DEPTH):
        if not isinstance(node, (ast.Tuple, ast.List, ast.Starred)):
            break
        node = facts.parent(node)
    return node


def _builds_text_visibly(value: ast.AST) -> bool:
    """A branch of a conditional that builds text, by its own shape: an
    f-string, ``format``/``join``, or ``%``/``+`` with a string operand
    (``marks + 1`` is a number)."""
    if isinstance(value, ast.JoinedStr):
        return True
    if isinstance(value, ast.Call):
        return last_part(value.func) in ("format", "join")
    if isinstance(value, ast.BinOp) and isinstance(value.op, (ast.Mod, ast.Add)):
        return any(isinstance(side, ast.JoinedStr) or (isinstance(side, ast.Constant) and isinstance(side.value, str))
                   or _builds_text_visibly(side) for side in (value.left, value.right))
    return False


def _mutable_container(value: ast.AST) -> bool:
    """``{}``, ``[]``, ``set()``, a comprehension: a container any method may
    fill later (``self.classes[name] = cls``), whatever it starts as."""
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in ("list", "dict", "set", "defaultdict", "OrderedDict"))


def _count_self_stores(klass: ast.AST, name: str) -> int:
    """How many stores of ``self.<name>``/``cls.<name>`` the class holds,
    nested functions included."""
    return sum(1 for node in walk_bounded(klass, 20_000) if is_self_store(node, name, ("self", "cls")))


def _combine(results: Iterable[Taint]) -> Taint:
    """The first "built" result, else OPAQUE if any value is not constant, else None."""
    found: Taint = None
    for result in results:
        if result:
            return result
        if result is not None:
            found = OPAQUE
    return found


def _number_literal(node: ast.AST) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _number_arithmetic(expr: ast.BinOp) -> bool:
    """Arithmetic with a number literal and no string literal: its result is
    a number (``"a" + 1`` raises; ``"?" * 3`` has its string literal)."""
    sides = (expr.left, expr.right)
    if not any(_number_literal(side) for side in sides):
        return False
    return not any(isinstance(side, (ast.JoinedStr, ast.List, ast.Tuple))
                   or (isinstance(side, ast.Constant) and isinstance(side.value, (str, bytes)))
                   for side in sides)


def is_constant_name(name: str) -> bool:
    """``TABLE``, ``MAX_ROWS``: an UPPER_CASE name, a constant by convention."""
    return name.upper() == name and any(c.isalpha() for c in name)


def _numeric_fstring_field(part: ast.FormattedValue) -> bool:
    """``{x:d}``, ``{x:.2f}``: formatting fails unless ``x`` is a number."""
    if part.conversion not in (-1, None) or part.format_spec is None:
        return False
    spec = "".join(const_str(v) or "" for v in getattr(part.format_spec, "values", ()))
    return bool(spec) and spec[-1] in _NUMERIC_SPEC


def _placeholders_only(template: str) -> bool:
    """Is this text (holes for spliced values) only bind placeholders?"""
    return _HOLE in template and _PLACEHOLDERS_ONLY.fullmatch(template) is not None


def _is_constant_attribute(expr: ast.Attribute) -> bool:
    """``settings.DEFAULT_NAME``, ``Status.DRAFT``, ``Status.DRAFT.value``:
    an UPPER_CASE attribute (an enum member's ``value``/``name``) is a constant."""
    if expr.attr in ("value", "name") and isinstance(expr.value, ast.Attribute):
        expr = expr.value
    return is_constant_name(expr.attr)


def _printf(text: str) -> Tuple[Optional[str], Optional[List[Tuple[Optional[str], str]]]]:
    """(template with holes, [(key, type)] per conversion) of a ``%`` format;
    (None, None) when a ``*`` width makes operands unpairable."""
    parsed = percent_format(text, _HOLE)
    return parsed if parsed is not None else (None, None)


def _unsafe_percent_operands(
    conversions: Optional[List[Tuple[Optional[str], str]]], right: ast.expr
) -> List[ast.expr]:
    """The ``%`` operands that land in the text as text (not as numbers)."""
    if conversions is None:
        return [right]
    if all(kind in NUMERIC_CONVERSIONS for _key, kind in conversions):
        return []
    keyed = [c for c in conversions if c[0] is not None]
    if keyed and isinstance(right, ast.Dict):
        # {"a": x} with only %(a)d uses, or never used, is not text
        text_keys = {key for key, kind in keyed if kind not in NUMERIC_CONVERSIONS}
        return [
            value
            for key, value in zip(right.keys, right.values)
            if const_str(key) is None or const_str(key) in text_keys
        ]
    if isinstance(right, ast.Tuple) and not keyed:
        if len(right.elts) == len(conversions) and not any(
            isinstance(e, ast.Starred) for e in right.elts
        ):
            return [
                e for e, (_key, kind) in zip(right.elts, conversions)
                if kind not in NUMERIC_CONVERSIONS
            ]
        return list(right.elts)
    return [right]


def _format_fields(text: str) -> Optional[Tuple[str, Dict[object, bool]]]:
    """(template with holes, {arg index or name: every use is numeric}) of a
    ``str.format`` string; None if it does not parse."""
    uses: Dict[object, bool] = {}
    pieces: List[str] = []
    auto = 0
    try:
        parsed = list(Formatter().parse(text))
    except (ValueError, IndexError):
        return None
    for literal, field, spec, conversion in parsed:
        pieces.append(literal)
        if field is None:
            continue
        pieces.append(_HOLE)
        base = re.split(r"[.\[]", field, maxsplit=1)[0]
        key: object
        if base == "":
            key, auto = auto, auto + 1
        elif base.isdigit():
            key = int(base)
        else:
            key = base
        numeric = not conversion and bool(spec) and spec[-1] in _NUMERIC_SPEC
        uses[key] = uses.get(key, True) and numeric
    return "".join(pieces), uses


def _unsafe_format_args(call: ast.Call, uses: Dict[object, bool]) -> List[ast.expr]:
    """The ``.format()`` arguments that land in the text as text."""
    out: List[ast.expr] = []
    all_numeric = all(uses.values())
    for index, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            if not all_numeric:
                out.append(arg)
        elif uses.get(index) is False:
            out.append(arg)
    for kw in call.keywords:
        if kw.arg is None:
            if not all_numeric:
                out.append(kw.value)
        elif uses.get(kw.arg) is False:
            out.append(kw.value)
    return out
