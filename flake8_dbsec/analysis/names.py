"""Names of expressions: dotted paths, last parts, constant strings.

All helpers are iterative or depth-bounded: a 1,000-deep attribute chain or
expression must never raise ``RecursionError`` inside the plugin.
"""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Tuple

#: how deep any recursive look into one expression may go.
MAX_DEPTH = 64


def dotted_parts(node: ast.AST) -> Optional[List[str]]:
    """``a.b.c`` -> ``['a', 'b', 'c']``; None if not a plain name chain."""
    parts: List[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        parts.reverse()
        return parts
    return None


def dotted_name(node: ast.AST) -> Optional[str]:
    parts = dotted_parts(node)
    return ".".join(parts) if parts else None


def last_part(node: ast.AST) -> Optional[str]:
    """The last name of a Name/Attribute (``self._session`` -> ``_session``)."""
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def value_name(node: ast.AST) -> Optional[str]:
    """The name a value is known by: variable, attribute, or constant subscript key.

    ``values['token']`` -> ``token``; ``self.uuid`` -> ``uuid``.
    """
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Index):  # pragma: no cover - Python 3.8 AST
            key = key.value  # type: ignore[attr-defined]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return None
    if isinstance(node, ast.Starred):
        return value_name(node.value)
    return last_part(node)


def call_method(node: ast.AST) -> Optional[str]:
    """For ``x.m(...)`` the method ``m``; for ``f(...)`` the name ``f``."""
    if isinstance(node, ast.Call):
        return last_part(node.func)
    return None


def receiver(node: ast.AST) -> Optional[ast.expr]:
    """For ``x.m(...)`` the receiver ``x``."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.value
    return None


def const_str(node: Optional[ast.AST]) -> Optional[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def fstring_text(node: ast.JoinedStr, hole: str) -> str:
    """The constant text of an f-string, ``hole`` standing for each field."""
    parts = []
    for value in node.values:
        text = const_str(value)
        parts.append(hole if text is None else text)
    return "".join(parts)


def unwrap_await(node: ast.AST) -> ast.AST:
    while isinstance(node, ast.Await):
        node = node.value
    return node


def keyword(call: ast.Call, name: str) -> Optional[ast.expr]:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def walk_bounded(node: ast.AST, limit: int = 10_000) -> Iterator[ast.AST]:
    """Breadth-first walk of a subtree, iterative, stopping after ``limit`` nodes."""
    queue = [node]
    seen = 0
    while queue and seen < limit:
        current = queue.pop()
        seen += 1
        yield current
        queue.extend(ast.iter_child_nodes(current))


def walk_same_scope(node: ast.AST, limit: int = 10_000) -> Iterator[ast.AST]:
    """Walk a subtree without entering nested functions, lambdas or classes."""
    queue = [node]
    seen = 0
    while queue and seen < limit:
        current = queue.pop()
        seen += 1
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, SCOPE_NODES):
                queue.append(child)


def self_attribute_stores(
    method: ast.AST, attr: str, owners: Tuple[str, ...] = ("self",)
) -> Iterator[Tuple[ast.AST, Optional[ast.AST]]]:
    """Where one method stores ``self.<attr>`` (nested scopes left out):
    (the statement, the value it stores) for a plain or annotated assignment
    (value None for an annotation alone), (the store, None) for any other
    (``+=``, unpacking, a loop or ``with`` target)."""
    direct: set = set()
    for stmt in getattr(method, "body", ()):
        for node in walk_same_scope(stmt, 2_000):
            if isinstance(node, ast.Assign) and any(is_self_store(t, attr, owners) for t in node.targets):
                direct.update(id(t) for t in node.targets)
                yield node, node.value
            elif isinstance(node, ast.AnnAssign) and is_self_store(node.target, attr, owners):
                direct.add(id(node.target))
                yield node, node.value
            elif is_self_store(node, attr, owners) and id(node) not in direct:
                yield node, None


def is_self_store(node: ast.AST, attr: str, owners: Tuple[str, ...] = ("self",)) -> bool:
    """``self.<attr> = ...`` (or ``+=``, unpacking...): a store of the attribute."""
    return (isinstance(node, ast.Attribute) and node.attr == attr and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name) and node.value.id in owners)


SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def is_instance_field(statement: ast.AST) -> bool:
    """A class-body ``name: T = default`` that is a field (dataclass, attrs,
    pydantic): each instance holds what its constructor is given, so the
    default is no constant.  ``Final``/``ClassVar`` annotations say the
    value is the class's own."""
    if not isinstance(statement, ast.AnnAssign):
        return False
    annotation = statement.annotation
    if isinstance(annotation, ast.Subscript):
        annotation = annotation.value
    return last_part(annotation) not in ("Final", "ClassVar")
