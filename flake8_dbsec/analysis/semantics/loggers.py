"""Loggers and masking: which expressions are loggers (configured names,
the ``logging`` module, ``getLogger()`` and adapter results, project
attributes and functions that give one) and which project functions mask
what they are given.

The sensitive-logging family is the only one that asks, and its questions
need the project model but nothing of sessions or statements, so they form
a small concern of their own.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator, Optional

from ..names import last_part, self_attribute_stores, unwrap_await
from ..walker import Scope
from .base import SemanticsBase
from .vocab import ONE_ROW, ROWS_CHAIN

#: how many base classes of the same module a ``self.<attr>`` is looked up in
MAX_CLASS_HOPS = 4


#: name words that make a secret-looking name a path or file name
#: (``path_to_private_key``, ``ssh_key_file``): a place, not the secret.
PATH_WORDS = frozenset({"path", "paths", "file", "files", "filename", "dir", "directory"})
#: words that say the value was masked before it got its name
#: (``url.obscure_password``, ``masked_token``): not the secret itself
MASKED_WORDS = frozenset({"masked", "obscure", "obscured", "redacted", "sanitized", "obfuscated"})


#: a bare session name: the secret only where the session authenticates someone
SESSION_NAME = re.compile(r"(?i)^_*session_(?:id|key)$")
#: identifiers of code that authenticates: it logs in (``login()``,
#: ``execute_login``, ``logon``) or handles cookies (``set_cookie``,
#: ``auth_cookie``). ``login_required`` guards a view; it logs nobody in.
AUTH_WORD = re.compile(r"(?i)log_?in\b|log_?on\b|cookie")


def is_session_name(name: str) -> bool:
    """``session_id``/``session_key``: a credential only as an auth session."""
    return SESSION_NAME.match(name) is not None


def is_secret_name(pattern, name: str) -> bool:
    """Does ``name`` name a secret (``--dbsec-secret-pattern``), and not the
    path or file that holds one, nor a masked copy (``obscure_password``)?"""
    if not pattern.search(name):
        return False
    words = name.lower().split("_")
    return not PATH_WORDS.intersection(words) and not MASKED_WORDS.intersection(words[:-1])


class LoggersMixin(SemanticsBase):
    """Loggers and the project's masking functions."""

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

    # -- code that authenticates ------------------------------------------------

    def module_authenticates(self) -> bool:
        """Does this module log anyone in or handle cookies? Only there does a
        value named ``session_id`` stand for an authenticated session (spec:
        "an auth session id is a password in all but name"); elsewhere a
        session names a conversation, a lock, a replication or a DB row.
        Asked only when a session name is logged; read from what the pass
        recorded (scope names, bound and loaded names, called names), so it
        is not another walk over the tree."""
        memo = self.facts.module.memo
        if "authenticates" not in memo:
            memo["authenticates"] = any(AUTH_WORD.search(name) for name in self._identifiers())
        return memo["authenticates"]  # type: ignore[return-value]

    def _identifiers(self) -> Iterator[str]:
        for scope in self.facts.scopes:
            name = getattr(scope.node, "name", None)
            if isinstance(name, str):
                yield name
            yield from scope.bindings
            yield from scope.loads
            for call, _ctx in scope.calls:
                called = last_part(call.func)
                if called is not None:
                    yield called

    # -- masking the project defines --------------------------------------------

    def is_project_masking(self, call: ast.Call, scope: Scope) -> bool:
        if self.project is None:
            return False
        return self.project.model.is_masking(self.project.callee(call, scope))

    # -- objects whose rendering hides their secrets --------------------------------

    def renders_hidden(self, expr: ast.AST, scope: Scope) -> bool:
        """Is ``expr`` an object of a project class whose ``__repr__``/
        ``__str__`` leaves its secrets out (JupyterHub's ``APIToken`` prints
        a 4-character prefix)? The class is known from a constructor call,
        a parameter annotation, ``Cls.<m>(...)`` where the project model
        sees ``m`` return one object of the class (a finder classmethod), or
        a loop over ``x.<rel>`` where every ORM relationship named ``rel``
        points to the class."""
        if self.project is None:
            return False
        klass = self._object_class(expr, scope, 0)
        return klass is not None and self.project.model.repr_hides(klass)

    def _object_class(self, expr: ast.AST, scope: Scope, depth: int) -> Optional[str]:
        view = self.project
        if view is None or depth > 4:
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == "self":
            return self._self_attribute_class(expr.attr, scope, depth + 1)
        if isinstance(expr, ast.Name):
            binding = scope.lookup(expr.id, expr)
            if binding is None:
                return None
            if binding.kind in ("assign", "walrus") and binding.value is not None:
                return self._object_class(binding.value, scope, depth + 1)
            if binding.kind == "param":
                return self._annotated_class(getattr(binding.node, "annotation", None))
            loop = binding.node
            if (binding.kind == "for" and isinstance(loop, (ast.For, ast.AsyncFor, ast.comprehension))
                    and isinstance(loop.target, ast.Name)):
                return self._element_class(loop.iter, scope, depth + 1)
            return None
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        name = self._project_class(func)
        if name is not None:
            return name  # Cls(...)
        if isinstance(func, ast.Attribute) and func.attr == "get" and expr.args and self.is_session_like(
                func.value, scope):
            return self._project_class(expr.args[0])  # session.get(Cls, pk)
        if isinstance(func, ast.Attribute) and func.attr in ONE_ROW:
            found = self._queried_class(func.value, scope)
            if found is not None:
                return found  # Cls.query.filter_by(...).first(), session.query(Cls)...one()
        if isinstance(func, ast.Attribute):
            owner = view.name(func.value)
            if (owner is not None and view.model.klass(owner) is not None
                    and view.model.gives_rows(f"{owner}.{func.attr}", "instance")):
                return owner  # Cls.find(...)
        return None

    def _project_class(self, expr: ast.AST) -> Optional[str]:
        """The qualified name ``expr`` stands for, when it is a project class."""
        view = self.project
        name = view.name(expr) if view is not None else None
        return name if name is not None and view.model.klass(name) is not None else None

    def _queried_class(self, expr: ast.AST, scope: Scope) -> Optional[str]:
        """The project class an ORM query's rows are: ``Cls.query...`` or
        ``<session>.query(Cls)...``, through steps that keep the rows
        (``filter_by``, ``with_parent``, ``order_by``...) and locals."""
        for _ in range(24):
            expr = unwrap_await(expr)
            if isinstance(expr, ast.Attribute) and expr.attr == "query":
                return self._project_class(expr.value)
            if isinstance(expr, ast.Name):
                binding = scope.lookup(expr.id, expr)
                if binding is None or binding.kind != "assign" or binding.value is None:
                    return None
                expr = binding.value
                continue
            if not (isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute)):
                return None
            method = expr.func.attr
            if method == "query":
                if expr.args and self.is_session_like(expr.func.value, scope):
                    return self._project_class(expr.args[0])
                return None
            if method not in ROWS_CHAIN:
                return None
            expr = expr.func.value
        return None

    def _self_attribute_class(self, attr: str, scope: Scope, depth: int) -> Optional[str]:
        """The project class of ``self.<attr>`` in a method: what every
        ``self.<attr> = ...``/``self.<attr>: Cls = ...`` of its class, or of a
        base class in the same module, makes it (one class, or None)."""
        method = scope.function()
        owner = method.parent if method is not None else None
        if owner is None or owner.kind != "class":
            return None
        key = f"self-class:{attr}"  # asked once per class and attribute
        if key not in owner.memo:
            owner.memo[key] = self._attribute_class_in(owner, attr, depth)
        return owner.memo[key]  # type: ignore[return-value]

    def _attribute_class_in(self, owner: Scope, attr: str, depth: int) -> Optional[str]:
        found = set()
        for klass in self._same_module_lineage(owner):
            for child in klass.children:
                if child.kind == "function":
                    found.update(self._assigned_classes(child, attr, depth))
                if len(found) > 1:
                    return None
        return found.pop() if len(found) == 1 else None

    def _assigned_classes(self, method: Scope, attr: str, depth: int) -> set:
        """The classes ``self.<attr>`` gets in one method (None for a value
        of no known class)."""
        found = set()
        for node, value in self_attribute_stores(method.node, attr):
            if isinstance(node, ast.AnnAssign):
                found.add(self._annotated_class(node.annotation))
            elif isinstance(node, ast.Assign):
                found.add(self._object_class(node.value, method, depth + 1))
            else:
                found.add(None)  # a store of no known class (+=, unpacking, a loop target)
        return found

    def _same_module_lineage(self, klass: Scope) -> list:
        """A class scope and the scopes of its bases defined in this module."""
        memo = self.facts.module.memo
        if "classes-by-name" not in memo:
            memo["classes-by-name"] = {getattr(s.node, "name", None): s
                                       for s in self.facts.scopes if s.kind == "class"}
        by_name = memo["classes-by-name"]
        lineage, todo = [], [klass]
        while todo and len(lineage) <= MAX_CLASS_HOPS:
            current = todo.pop(0)
            if current in lineage:
                continue
            lineage.append(current)
            for base in getattr(current.node, "bases", ()):
                if isinstance(base, ast.Name) and base.id in by_name:
                    todo.append(by_name[base.id])
        return lineage

    def _element_class(self, iterable: ast.AST, scope: Scope, depth: int) -> Optional[str]:
        """The class of what a loop over ``iterable`` yields."""
        view = self.project
        for _ in range(4):  # sorted(...), list(...), reversed(...)
            if (isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Name)
                    and iterable.func.id in ("sorted", "list", "reversed", "tuple") and iterable.args):
                iterable = iterable.args[0]
        if view is None:
            return None
        if isinstance(iterable, ast.Attribute):
            return view.model.relationship_class(iterable.attr)
        if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute):
            owner = view.name(iterable.func.value)
            if (owner is not None and view.model.klass(owner) is not None
                    and view.model.gives_rows(f"{owner}.{iterable.func.attr}", "rows")):
                return owner
        return None

    def _annotated_class(self, annotation: Optional[ast.AST]) -> Optional[str]:
        """``token: APIToken`` / ``Optional[APIToken]`` / ``"APIToken"``."""
        if self.project is None or annotation is None:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str) and len(annotation.value) < 200:
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.Subscript) and last_part(annotation.value) == "Optional":
            annotation = annotation.slice
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [s for s in (annotation.left, annotation.right)
                     if not (isinstance(s, ast.Constant) and s.value is None)]
            if len(sides) != 1:
                return None
            annotation = sides[0]
        return self._project_class(annotation)
