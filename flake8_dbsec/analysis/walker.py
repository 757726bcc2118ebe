"""The single AST pass: scopes, contexts and local facts for every rule.

One iterative walk over the module records, per scope (module, class,
function, async function, lambda):

* every call with its *context* (the enclosing ``try`` parts of the same
  function, innermost last);
* every name binding with its position and value (assignments, walrus,
  ``with ... as``, ``for`` targets, parameters, imports), for local data flow;
* every name load, so rules can ask "is this local used later, and how";
* every ``try`` and every ``with`` item.

It also records each node's parent and the module's imports.  Rules run after
the walk over these facts; none of them walks the whole tree again.
Comprehensions belong to the function that contains them (their loop
variables are recorded as bindings of that function).
"""

from __future__ import annotations

import ast
import gc
import re
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from typing import Dict, Iterator, List, NamedTuple, Optional, Set, Tuple

from .imports import ImportMap

#: text that starts like DDL: ``CREATE [UNIQUE|TEMP...] TABLE/INDEX``
_DDL_HEAD = re.compile(r"\s*(?:\(\s*)?create\s", re.I)


class TryFrame(NamedTuple):
    """Where a node sits in one enclosing ``try``."""

    node: ast.AST  # ast.Try or ast.TryStar
    part: str  # "body" | "handler" | "orelse" | "finally"
    handler: Optional[ast.ExceptHandler] = None


class Binding(NamedTuple):
    """A local name bound at ``(line, col)``.

    ``value`` is the bound expression when it is known exactly (``x = expr``,
    ``with expr as x``, ``(x := expr)``, ``x += expr`` with kind "aug");
    None for parameters, loop targets, tuple unpacking, imports and the like.
    """

    name: str
    line: int
    col: int
    value: Optional[ast.expr]
    kind: str  # assign | aug | with | walrus | param | for | import | def | other
    node: ast.AST


class Context(NamedTuple):
    scope: "Scope"
    tries: Tuple[TryFrame, ...]
    #: the ``with`` items whose block encloses the node, in the same function
    withs: Tuple[ast.withitem, ...] = ()


class Scope:
    """Facts about one scope, gathered in the single pass."""

    __slots__ = (
        "node",
        "kind",
        "parent",
        "calls",
        "bindings",
        "loads",
        "tries",
        "with_items",
        "children",
        "exits",
        "self_assigns",
        "ifs",
        "_binding_index",
        "_load_index",
        "_owned",
        "memo",
    )

    def __init__(self, node: ast.AST, kind: str, parent: Optional["Scope"]) -> None:
        self.node = node
        self.kind = kind  # module | class | function | lambda
        self.parent = parent
        self.calls: List[Tuple[ast.Call, Context]] = []
        self.bindings: Dict[str, List[Binding]] = {}
        self.loads: Dict[str, List[ast.Name]] = {}
        self.tries: List[Tuple[ast.AST, Context]] = []
        self.with_items: List[Tuple[ast.withitem, Context]] = []
        self.children: List["Scope"] = []
        #: ``return``/``yield``/``yield from`` nodes of this scope, with context
        self.exits: List[Tuple[ast.AST, Context]] = []
        #: ``self.x = ...`` assignments in this scope (a method's attributes)
        self.self_assigns: List[ast.Assign] = []
        #: ``if`` statements of this scope, in source order (DBS701's user checks)
        self.ifs: List[ast.If] = []
        #: name -> (sorted positions, bindings in that order); built on first
        #: lookup (rules run after the walk), so a long function that keeps
        #: rebinding one name costs log n per lookup, not n.
        self._binding_index: Dict[str, Tuple[List[Tuple[int, int]], List[Binding]]] = {}
        self._load_index: Dict[str, Tuple[List[Tuple[int, int]], List[ast.Name]]] = {}
        self._owned: Dict[str, Set[int]] = {}
        #: facts derived from this scope alone, computed once on first use
        #: (``web._class_guarded`` asks the same of a class for every method)
        self.memo: Dict[str, object] = {}

    def release(self) -> None:
        """Drop what links this scope to other scopes (see ``ModuleFacts.release``)."""
        self.parent = None
        self.children = []
        self.calls = []
        self.tries = []
        self.with_items = []
        self.exits = []
        self.memo = {}

    # -- local data flow ---------------------------------------------------

    @property
    def is_function(self) -> bool:
        return self.kind in ("function", "lambda")

    def function(self) -> Optional["Scope"]:
        """The nearest enclosing function scope (itself if it is one)."""
        scope: Optional[Scope] = self
        while scope is not None and not scope.is_function:
            scope = scope.parent
        return scope

    def binding_before(self, name: str, node: ast.AST) -> Optional[Binding]:
        """The last binding of ``name`` in this scope that precedes ``node``."""
        index = self._binding_index.get(name)
        if index is None:
            ordered = sorted(self.bindings.get(name, ()), key=lambda b: (b.line, b.col))
            index = ([(b.line, b.col) for b in ordered], ordered)
            self._binding_index[name] = index
        position = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
        at = bisect_left(index[0], position)
        return index[1][at - 1] if at else None

    def owner_of(self, binding: Binding) -> Optional["Scope"]:
        """This scope or the enclosing one that owns ``binding`` (as found by
        ``lookup``); None if none does."""
        current: Optional[Scope] = self
        while current is not None and not current.owns(binding):
            current = current.parent
        return current

    def owns(self, binding: Binding) -> bool:
        """Is ``binding`` one of this scope's own?  An identity test through a
        per-name set: a name rebound 20,000 times costs one lookup, not a scan."""
        owned = self._owned.get(binding.name)
        if owned is None:
            owned = {id(b) for b in self.bindings.get(binding.name, ())}
            self._owned[binding.name] = owned
        return id(binding) in owned

    def shadows_import(self, name: str) -> bool:
        """Whether ``name`` here is a local (a parameter, assignment, loop
        target...) that hides an import of the same name, as Python resolves
        it: the nearest function scope that binds the name decides; class
        bodies do not enclose their methods. ``def f(service): service.save()``
        under ``from oslo_service import service`` saves the argument, not the
        module."""
        scope: Optional[Scope] = self
        while scope is not None and scope.kind != "module":
            if scope is self or scope.kind != "class":
                bindings = scope.bindings.get(name)
                if bindings:
                    return any(b.kind != "import" for b in bindings)
            scope = scope.parent
        return False

    def lookup(self, name: str, node: ast.AST) -> Optional[Binding]:
        """``binding_before`` here, else the module-level binding (any position)."""
        found = self.binding_before(name, node)
        if found is not None:
            return found
        if name in self.bindings:
            return None  # bound locally, but only later: unknown here
        scope = self.parent
        while scope is not None and scope.kind != "module":
            if scope.kind == "function" and name in scope.bindings:
                bindings = scope.bindings[name]
                return bindings[-1] if len(bindings) == 1 else None
            scope = scope.parent
        if scope is not None:
            bindings = scope.bindings.get(name, ())
            if len(bindings) == 1:
                return bindings[0]
        return None

    def loads_after(self, name: str, node: ast.AST) -> List[ast.Name]:
        """Loads of ``name`` in this scope that start after ``node`` ends."""
        index = self._load_index.get(name)
        if index is None:
            ordered = sorted(self.loads.get(name, ()), key=lambda n: (n.lineno, n.col_offset))
            index = ([(n.lineno, n.col_offset) for n in ordered], ordered)
            self._load_index[name] = index
        end = (
            getattr(node, "end_lineno", None) or getattr(node, "lineno", 0),
            getattr(node, "end_col_offset", None) or 0,
        )
        return index[1][bisect_right(index[0], end):]


def scope_qualname(scope: Scope) -> str:
    """The dotted name of a scope inside its module (``Class.method.inner``;
    ``<lambda>`` for a lambda), "" for the module."""
    names = []
    current: Optional[Scope] = scope
    while current is not None and current.kind != "module":
        names.append(getattr(current.node, "name", "<lambda>"))
        current = current.parent
    return ".".join(reversed(names))


class ModuleFacts:
    """Everything the pass recorded for one module."""

    __slots__ = ("tree", "module", "scopes", "parents", "imports", "strings", "ddl",
                 "attribute_stores", "__weakref__")

    def __init__(self, tree: ast.AST) -> None:
        self.tree = tree
        self.module = Scope(tree, "module", None)
        self.scopes: List[Scope] = [self.module]
        self.parents: Dict[ast.AST, ast.AST] = {}
        self.imports = ImportMap()
        #: string constants and f-strings, with their scope (for DBS501).
        self.strings: List[Tuple[ast.AST, Context]] = []
        #: string constants that start like DDL (``CREATE TABLE``...): the keys
        #: a project declares in SQL text (its model's summaries read them)
        self.ddl: List[ast.Constant] = []
        #: ``<anything>.attr = value`` stores: (attr, value); value None when
        #: the store cannot be read (``+=``, unpacking)
        self.attribute_stores: List[Tuple[str, Optional[ast.expr]]] = []

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.parents.get(node)

    def release(self) -> None:
        """Break the reference cycles of the pass (a scope and its parent's
        ``children``; a scope and the contexts it stores, which name it), so
        reference counting frees the facts the moment the caller drops them.

        Left to the cyclic garbage collector, a module's facts (18k objects
        for nova's ``compute/manager.py``) would outlive the check, be
        promoted, and be traversed by collections that flake8's other checks
        trigger: on nova that cost about as much as the plugin's own check."""
        for scope in self.scopes:
            scope.release()
        self.strings = []
        self.ddl = []
        self.attribute_stores = []

    def runs_before(self, node: ast.AST, use: ast.AST, limit: int = 64) -> bool:
        """Whether the statement holding ``node`` (a binding's target) runs on
        every path that reaches ``use``: it sits in a statement list that also holds one
        of ``use``'s ancestors, further down.  A ``with`` block always runs,
        so its statements count as the ``with``'s own; the branches of an
        ``if``, a loop body, a ``try`` body or handler do not run on every
        path.  ``x = "SHOW TABLES"`` in an ``else:`` does not hide
        ``x = f"... {arg}"`` in the ``if:`` above from a later use."""
        statement = self.enclosing_statement(node)
        owner = self.parents.get(statement)
        while isinstance(owner, (ast.With, ast.AsyncWith)):
            statement, owner = owner, self.parents.get(owner)
        if owner is None:
            return True
        block = _block_of(owner, statement)
        holder = self._child_holding(owner, use, limit)
        return block is not None and any(s is holder for s in block)

    def precedes(self, node: ast.AST, use: ast.AST, limit: int = 64) -> bool:
        """Whether the statement holding ``node`` runs on every path to
        ``use``, before it: its statement list holds one of ``use``'s
        ancestors further down (``if order not in ALLOWED: raise`` above the
        ``execute`` that splices ``order``)."""
        statement = self.enclosing_statement(node)
        owner = self.parents.get(statement)
        block = _block_of(owner, statement)
        if block is None:
            return False
        holder = self._child_holding(owner, use, limit)
        later = block[next(i for i, s in enumerate(block) if s is statement) + 1:]
        return any(s is holder for s in later)

    def _child_holding(self, owner: ast.AST, use: ast.AST, limit: int) -> Optional[ast.AST]:
        """The child of ``owner`` that ``use`` sits in (None: not under it)."""
        current: Optional[ast.AST] = use
        for _ in range(limit):
            parent = self.parents.get(current) if current is not None else None
            if parent is None:
                return None
            if parent is owner:
                return current
            current = parent
        return None

    def enclosing_statement(self, node: ast.AST) -> ast.AST:
        current = node
        for _ in range(200):
            if isinstance(current, ast.stmt):
                return current
            parent = self.parents.get(current)
            if parent is None:
                return current
            current = parent
        return current


def _block_of(owner: Optional[ast.AST], statement: ast.AST) -> Optional[List[ast.stmt]]:
    """The statement list of ``owner`` (body, orelse, finalbody) holding ``statement``."""
    for field in ("body", "orelse", "finalbody"):
        block = getattr(owner, field, None)
        if isinstance(block, list) and any(s is statement for s in block):
            return block
    return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while one module is checked.

    The pass and the rules allocate tens of thousands of short-lived
    containers per module, and ``ModuleFacts.release`` lets reference
    counting free all of them: there is nothing for the collector to find,
    yet the allocations alone would start collections, and any full
    collection that starts then traverses the module's facts and the AST.
    Paused, the allocation counter nets out when the facts are freed.  The
    collector is restored as it was found (a caller that disabled it keeps
    it disabled), also on errors."""
    was_enabled = gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_TRY_TYPES: Tuple[type, ...] = (ast.Try,)
if hasattr(ast, "TryStar"):  # Python 3.11+
    _TRY_TYPES = (ast.Try, ast.TryStar)  # type: ignore[attr-defined]

_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)


def analyze(tree: ast.AST) -> ModuleFacts:
    """Run the single pass over ``tree``.

    Pre-order, depth first, children in source order.  Two parallel stacks
    (nodes, contexts) instead of one of pairs, and the children of a plain
    node are read straight off its fields, last first, without building a
    list: this loop runs once per node of every file, so it allocates as
    little as it can.
    """
    facts = ModuleFacts(tree)
    parents = facts.parents
    nodes: List[ast.AST] = [tree]
    contexts: List[Context] = [Context(facts.module, ())]
    visitors = _VISITORS
    fields_of = _CHILD_FIELDS_REVERSED
    singletons, ast_base = _SINGLETONS, _AST
    name_type, constant_type = ast.Name, ast.Constant
    while nodes:
        node = nodes.pop()
        ctx = contexts.pop()
        kind = type(node)
        visitor = visitors.get(kind)
        children = visitor(node, ctx, facts) if visitor is not None else None
        if children is not None:
            for child, child_ctx in reversed(children):
                parents[child] = node
                nodes.append(child)
                contexts.append(child_ctx)
            continue
        fields = fields_of.get(kind)
        if fields is None:
            fields = _reversed_child_fields(kind)
        for field in fields:
            value = getattr(node, field, None)
            if value is None:
                continue
            for child in reversed(value) if type(value) is list else (value,):
                child_kind = type(child)
                if child_kind in singletons or not isinstance(child, ast_base):
                    continue
                parents[child] = node
                # Leaves are most of the tree: handle them here, unstacked.
                if child_kind is name_type:
                    _visit_name(child, ctx, facts)
                elif child_kind is constant_type:
                    _visit_constant(child, ctx, facts)
                else:
                    nodes.append(child)
                    contexts.append(ctx)
    return facts


#: shared, field-less singletons (``Load()``, ``Add()``, ``Eq()``...): about a
#: sixth of all nodes, never interesting, so the walk skips them.
_SINGLETON_BASES = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)
_SINGLETONS = frozenset(
    sub for base in _SINGLETON_BASES for sub in base.__subclasses__()
) | frozenset(_SINGLETON_BASES)
_AST = ast.AST


#: fields that never hold a child worth walking (names, numbers, flags, and
#: the singleton ``ctx``/``op``/``ops`` nodes).
_SCALAR_FIELDS = frozenset(
    {"ctx", "op", "ops", "id", "attr", "arg", "module", "level", "kind", "type_comment",
     "conversion", "is_async", "simple", "lineno"}
)
#: node type -> the fields that can hold children, last field first
_CHILD_FIELDS_REVERSED: Dict[type, Tuple[str, ...]] = {}


def _reversed_child_fields(kind: type) -> Tuple[str, ...]:
    fields = tuple(f for f in reversed(kind._fields) if f not in _SCALAR_FIELDS)
    _CHILD_FIELDS_REVERSED[kind] = fields
    return fields


def _new_scope(node: ast.AST, kind: str, ctx: Context, facts: ModuleFacts) -> Context:
    scope = Scope(node, kind, ctx.scope)
    ctx.scope.children.append(scope)
    facts.scopes.append(scope)
    return Context(scope, ())


def _bind(scope: Scope, name: str, at: ast.AST, value: Optional[ast.expr], kind: str, node: ast.AST) -> None:
    scope.bindings.setdefault(name, []).append(
        Binding(name, getattr(at, "lineno", 0), getattr(at, "col_offset", 0), value, kind, node)
    )


def _bind_params(scope: Scope, args: ast.arguments) -> None:
    every = list(getattr(args, "posonlyargs", [])) + list(args.args) + list(args.kwonlyargs)
    if args.vararg:
        every.append(args.vararg)
    if args.kwarg:
        every.append(args.kwarg)
    for arg in every:
        _bind(scope, arg.arg, arg, None, "param", arg)


def _visit_name(node: ast.Name, ctx: Context, facts: ModuleFacts):
    if type(node.ctx) is ast.Load:
        ctx.scope.loads.setdefault(node.id, []).append(node)
    else:
        _bind_store(node, ctx, facts)
    return _NO_CHILDREN


def _visit_call(node: ast.Call, ctx: Context, facts: ModuleFacts):
    ctx.scope.calls.append((node, ctx))
    return None


def _visit_constant(node: ast.Constant, ctx: Context, facts: ModuleFacts):
    if isinstance(node.value, str):
        if "://" in node.value:
            facts.strings.append((node, ctx))
        elif _DDL_HEAD.match(node.value):
            facts.ddl.append(node)
    return _NO_CHILDREN


def _visit_fstring(node: ast.JoinedStr, ctx: Context, facts: ModuleFacts):
    facts.strings.append((node, ctx))
    return None


def _visit_try(node, ctx: Context, facts: ModuleFacts):
    """Each part of a ``try`` gets its own frame: body, each handler, else, finally."""
    scope = ctx.scope
    scope.tries.append((node, ctx))
    out: List[Tuple[ast.AST, Context]] = []
    body_ctx = ctx._replace(tries=ctx.tries + (TryFrame(node, "body"),))
    out.extend((stmt, body_ctx) for stmt in node.body)
    for handler in node.handlers:
        out.append((handler, ctx._replace(tries=ctx.tries + (TryFrame(node, "handler", handler),))))
    else_ctx = ctx._replace(tries=ctx.tries + (TryFrame(node, "orelse"),))
    out.extend((stmt, else_ctx) for stmt in node.orelse)
    fin_ctx = ctx._replace(tries=ctx.tries + (TryFrame(node, "finally"),))
    out.extend((stmt, fin_ctx) for stmt in node.finalbody)
    return out


def _visit_exit(node, ctx: Context, facts: ModuleFacts):
    ctx.scope.exits.append((node, ctx))
    return None


def _visit_assign(node: ast.Assign, ctx: Context, facts: ModuleFacts):
    recorded = False
    for target in node.targets:
        if type(target) is ast.Attribute:
            facts.attribute_stores.append((target.attr, node.value))
            if not recorded and type(target.value) is ast.Name and target.value.id in ("self", "cls"):
                ctx.scope.self_assigns.append(node)
                recorded = True
        elif type(target) in (ast.Tuple, ast.List):
            for element in target.elts:  # type: ignore[attr-defined]
                if type(element) is ast.Attribute:
                    facts.attribute_stores.append((element.attr, None))
    return None


def _visit_attribute_update(node, ctx: Context, facts: ModuleFacts):
    """``obj.x += y`` (unreadable) and ``obj.x: T = y``."""
    target = node.target
    if type(target) is ast.Attribute:
        value = node.value if type(node) is ast.AnnAssign else None
        if value is not None or type(node) is ast.AugAssign:
            facts.attribute_stores.append((target.attr, value))
    return None


def _visit_if(node: ast.If, ctx: Context, facts: ModuleFacts):
    ctx.scope.ifs.append(node)
    return None  # its children are walked as usual


def _visit_handler(node: ast.ExceptHandler, ctx: Context, facts: ModuleFacts):
    if node.name:
        _bind(ctx.scope, node.name, node, None, "other", node)
    return None


def _visit_function(node, ctx: Context, facts: ModuleFacts):
    """Decorators, defaults and annotations run outside; the body is a new scope."""
    _bind(ctx.scope, node.name, node, None, "def", node)
    outer = [(d, ctx) for d in node.decorator_list]
    outer += _argument_children(node.args, ctx)
    if node.returns is not None:
        outer.append((node.returns, ctx))
    inner = _new_scope(node, "function", ctx, facts)
    _bind_params(inner.scope, node.args)
    return outer + [(stmt, inner) for stmt in node.body]


def _visit_lambda(node: ast.Lambda, ctx: Context, facts: ModuleFacts):
    outer = _argument_children(node.args, ctx)
    inner = _new_scope(node, "lambda", ctx, facts)
    _bind_params(inner.scope, node.args)
    return outer + [(node.body, inner)]


def _visit_class(node: ast.ClassDef, ctx: Context, facts: ModuleFacts):
    _bind(ctx.scope, node.name, node, None, "def", node)
    outer = [(d, ctx) for d in node.decorator_list]
    outer += [(b, ctx) for b in node.bases]
    outer += [(k, ctx) for k in node.keywords]
    inner = _new_scope(node, "class", ctx, facts)
    return outer + [(stmt, inner) for stmt in node.body]


def _visit_with(node, ctx: Context, facts: ModuleFacts):
    """The items run outside the block; the body knows which items enclose it."""
    for item in node.items:
        ctx.scope.with_items.append((item, ctx))
    inner = ctx._replace(withs=ctx.withs + tuple(node.items))
    return [(item, ctx) for item in node.items] + [(stmt, inner) for stmt in node.body]


def _visit_import(node, ctx: Context, facts: ModuleFacts):
    facts.imports.add(node)
    for alias in node.names:
        if alias.name != "*":
            local = alias.asname or alias.name.split(".", 1)[0]
            _bind(ctx.scope, local, node, None, "import", node)
    return _NO_CHILDREN


def _visit_leaf(node, ctx: Context, facts: ModuleFacts):
    return _NO_CHILDREN


_NO_CHILDREN: List[Tuple[ast.AST, Context]] = []
#: node type -> visitor; every other type just passes its context on.
#: Dispatch on the exact type keeps the hot path to one dict lookup per node.
_VISITORS = {
    ast.Name: _visit_name,
    ast.Call: _visit_call,
    ast.Constant: _visit_constant,
    ast.JoinedStr: _visit_fstring,
    ast.ExceptHandler: _visit_handler,
    ast.FunctionDef: _visit_function,
    ast.AsyncFunctionDef: _visit_function,
    ast.Lambda: _visit_lambda,
    ast.ClassDef: _visit_class,
    ast.With: _visit_with,
    ast.AsyncWith: _visit_with,
    ast.Import: _visit_import,
    ast.ImportFrom: _visit_import,
    ast.Global: _visit_leaf,
    ast.Nonlocal: _visit_leaf,
    ast.Return: _visit_exit,
    ast.Yield: _visit_exit,
    ast.YieldFrom: _visit_exit,
    ast.Assign: _visit_assign,
    ast.AugAssign: _visit_attribute_update,
    ast.AnnAssign: _visit_attribute_update,
    ast.If: _visit_if,
}
for _try_type in _TRY_TYPES:
    _VISITORS[_try_type] = _visit_try


def _argument_children(args: ast.arguments, ctx: Context) -> List[Tuple[ast.AST, Context]]:
    out: List[Tuple[ast.AST, Context]] = [(d, ctx) for d in args.defaults]
    out += [(d, ctx) for d in args.kw_defaults if d is not None]
    return out


def _bind_store(name: ast.Name, ctx: Context, facts: ModuleFacts) -> None:
    """Record a Store/Del of ``name`` with the value it receives, if exact."""
    if isinstance(name.ctx, ast.Del):
        return
    parent = facts.parents.get(name)
    value: Optional[ast.expr] = None
    kind = "other"
    if isinstance(parent, ast.Assign):
        if any(target is name for target in parent.targets):
            value, kind = parent.value, "assign"
    elif isinstance(parent, ast.AnnAssign):
        value, kind = parent.value, "assign"
    elif isinstance(parent, ast.AugAssign):
        value, kind = parent.value, "aug"
    elif isinstance(parent, ast.NamedExpr):
        value, kind = parent.value, "walrus"
    elif isinstance(parent, ast.withitem):
        value, kind = parent.context_expr, "with"
    elif isinstance(parent, (ast.For, ast.AsyncFor, ast.comprehension)):
        kind = "for"
    # A binding takes effect once its statement has run: ``q = q.filter()``
    # reads the earlier ``q`` on its right-hand side.
    at: ast.AST = name
    if kind in ("assign", "aug", "walrus") and parent is not None:
        at = _End(parent)
    elif kind == "with":
        # a ``withitem`` has no position of its own: the target takes effect
        # where it is written, after the context expression ran
        at = _End(name)
    _bind(ctx.scope, name.id, at, value, kind, parent if parent is not None else name)


class _End:
    """Position of the end of a node, as ``lineno``/``col_offset``."""

    __slots__ = ("lineno", "col_offset")

    def __init__(self, node: ast.AST) -> None:
        self.lineno = getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)
        self.col_offset = getattr(node, "end_col_offset", None) or 0
