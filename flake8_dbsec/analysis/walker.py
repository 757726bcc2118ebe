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
from typing import Dict, List, NamedTuple, Optional, Tuple

from .imports import ImportMap


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
        line = getattr(node, "lineno", 0)
        col = getattr(node, "col_offset", 0)
        best: Optional[Binding] = None
        for binding in self.bindings.get(name, ()):
            if (binding.line, binding.col) < (line, col):
                if best is None or (binding.line, binding.col) > (best.line, best.col):
                    best = binding
        return best

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
        line = getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)
        col = getattr(node, "end_col_offset", None) or 0
        return [
            load
            for load in self.loads.get(name, ())
            if (load.lineno, load.col_offset) > (line, col)
        ]


class ModuleFacts:
    """Everything the pass recorded for one module."""

    __slots__ = ("tree", "module", "scopes", "parents", "imports", "strings")

    def __init__(self, tree: ast.AST) -> None:
        self.tree = tree
        self.module = Scope(tree, "module", None)
        self.scopes: List[Scope] = [self.module]
        self.parents: Dict[ast.AST, ast.AST] = {}
        self.imports = ImportMap()
        #: string constants and f-strings, with their scope (for DBS501).
        self.strings: List[Tuple[ast.AST, Context]] = []

    def parent(self, node: ast.AST) -> Optional[ast.AST]:
        return self.parents.get(node)

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


_TRY_TYPES: Tuple[type, ...] = (ast.Try,)
if hasattr(ast, "TryStar"):  # Python 3.11+
    _TRY_TYPES = (ast.Try, ast.TryStar)  # type: ignore[attr-defined]

_FUNCTION_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef)


def analyze(tree: ast.AST) -> ModuleFacts:
    """Run the single pass over ``tree``."""
    facts = ModuleFacts(tree)
    parents = facts.parents
    start = Context(facts.module, ())
    stack: List[Tuple[ast.AST, Context]] = [(tree, start)]
    while stack:
        node, ctx = stack.pop()
        children = _visit(node, ctx, facts)
        if children is None:
            for child in reversed(_child_nodes(node)):
                parents[child] = node
                stack.append((child, ctx))
            continue
        for child, _ in children:
            parents[child] = node
        children.reverse()
        stack.extend(children)
    return facts


#: shared, field-less singletons (``Load()``, ``Add()``, ``Eq()``...): about a
#: sixth of all nodes, never interesting, so the walk skips them.
_SINGLETONS = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)


def _child_nodes(node: ast.AST) -> List[ast.AST]:
    """``ast.iter_child_nodes`` as a list, without the singletons (hot path)."""
    out: List[ast.AST] = []
    for name in node._fields:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST) and not isinstance(item, _SINGLETONS):
                    out.append(item)
        elif isinstance(value, ast.AST) and not isinstance(value, _SINGLETONS):
            out.append(value)
    return out


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


def _visit(node: ast.AST, ctx: Context, facts: ModuleFacts):  # noqa: C901
    """Record facts for ``node``; return its children with their contexts,
    or None to take all children in the same context."""
    scope = ctx.scope
    if isinstance(node, ast.Name):
        if isinstance(node.ctx, ast.Load):
            scope.loads.setdefault(node.id, []).append(node)
        else:
            _bind_store(node, ctx, facts)
        return []
    if isinstance(node, ast.Call):
        scope.calls.append((node, ctx))
        return None
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str) and "://" in node.value:
            facts.strings.append((node, ctx))
        return []
    if isinstance(node, ast.JoinedStr):
        facts.strings.append((node, ctx))
        return None
    if isinstance(node, _TRY_TYPES):
        scope.tries.append((node, ctx))
        out: List[Tuple[ast.AST, Context]] = []
        body_ctx = Context(scope, ctx.tries + (TryFrame(node, "body"),))
        out.extend((stmt, body_ctx) for stmt in node.body)  # type: ignore[attr-defined]
        for handler in node.handlers:  # type: ignore[attr-defined]
            out.append((handler, Context(scope, ctx.tries + (TryFrame(node, "handler", handler),))))
        else_ctx = Context(scope, ctx.tries + (TryFrame(node, "orelse"),))
        out.extend((stmt, else_ctx) for stmt in node.orelse)  # type: ignore[attr-defined]
        fin_ctx = Context(scope, ctx.tries + (TryFrame(node, "finally"),))
        out.extend((stmt, fin_ctx) for stmt in node.finalbody)  # type: ignore[attr-defined]
        return out
    if isinstance(node, ast.ExceptHandler):
        if node.name:
            _bind(scope, node.name, node, None, "other", node)
        return None
    if isinstance(node, _FUNCTION_TYPES):
        _bind(scope, node.name, node, None, "def", node)
        outer = [(d, ctx) for d in node.decorator_list]
        outer += _argument_children(node.args, ctx)
        if node.returns is not None:
            outer.append((node.returns, ctx))
        inner = _new_scope(node, "function", ctx, facts)
        _bind_params(inner.scope, node.args)
        return outer + [(stmt, inner) for stmt in node.body]
    if isinstance(node, ast.Lambda):
        outer = _argument_children(node.args, ctx)
        inner = _new_scope(node, "lambda", ctx, facts)
        _bind_params(inner.scope, node.args)
        return outer + [(node.body, inner)]
    if isinstance(node, ast.ClassDef):
        _bind(scope, node.name, node, None, "def", node)
        outer = [(d, ctx) for d in node.decorator_list]
        outer += [(b, ctx) for b in node.bases]
        outer += [(k, ctx) for k in node.keywords]
        inner = _new_scope(node, "class", ctx, facts)
        return outer + [(stmt, inner) for stmt in node.body]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            scope.with_items.append((item, ctx))
        return None
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        facts.imports.add(node)
        for alias in node.names:
            if alias.name != "*":
                local = alias.asname or alias.name.split(".", 1)[0]
                _bind(scope, local, node, None, "import", node)
        return []
    if isinstance(node, ast.Global):
        return []
    return None


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
    if kind in ("assign", "aug", "walrus", "with") and parent is not None:
        at = _End(parent)
    _bind(ctx.scope, name.id, at, value, kind, parent if parent is not None else name)


class _End:
    """Position of the end of a node, as ``lineno``/``col_offset``."""

    __slots__ = ("lineno", "col_offset")

    def __init__(self, node: ast.AST) -> None:
        self.lineno = getattr(node, "end_lineno", None) or getattr(node, "lineno", 0)
        self.col_offset = getattr(node, "end_col_offset", None) or 0
