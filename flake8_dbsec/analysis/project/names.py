"""Project-qualified names of one module's expressions.

Shared by the summary extraction (:mod:`.summary`) and the per-file view of
the model (:mod:`.view`), so a call is named the same way where it is
recorded and where it is asked about.
"""

from __future__ import annotations

import ast
from typing import Dict, Optional

from ..names import dotted_name
from ..walker import Binding, ModuleFacts, Scope, scope_qualname

SELF_NAMES = ("self", "cls")


def resolve_import(alias_target: str, module: str, is_package: bool) -> str:
    """An ImportMap target with leading dots resolved against ``module``."""
    if not alias_target.startswith("."):
        return alias_target
    level = len(alias_target) - len(alias_target.lstrip("."))
    rest = alias_target[level:]
    base = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, rest] if rest else base)


class ModuleNames:
    """Names as one module resolves them: imports, its own definitions,
    ``self.`` methods, and locals bound to an instance of a known class."""

    def __init__(self, facts: ModuleFacts, module: str, is_package: bool) -> None:
        self.module = module
        self.imports: Dict[str, str] = {
            alias: resolve_import(target, module, is_package)
            for alias, target in facts.imports.aliases.items()
        }
        self.definitions = facts.module.bindings
        self.parents = facts.parents

    def name(self, node: Optional[ast.AST]) -> Optional[str]:
        """``db_api.instance_update`` -> ``nova.db.main.api.instance_update``;
        a module-level definition of this module gets the module's prefix."""
        # asked for every call: find the head first, build the text only for
        # names the module imports or defines (``self.x.y`` is neither)
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            return None
        target = self.imports.get(root.id)
        if target is None and root.id not in self.definitions:
            return None
        text = dotted_name(node)
        if not text:
            return None
        _head, _, rest = text.partition(".")
        if target is not None:
            return f"{target}.{rest}" if rest else target
        return f"{self.module}.{text}"

    @staticmethod
    def class_qualname(scope: Scope) -> Optional[str]:
        """The qualname of the class whose method ``scope`` is."""
        current: Optional[Scope] = scope
        while current is not None and current.kind != "class":
            current = current.parent
        if current is None:
            return None
        names = []
        while current is not None and current.kind != "module":
            names.append(getattr(current.node, "name", ""))
            current = current.parent
        return ".".join(reversed(names))

    def method(self, expr: ast.AST, scope: Scope) -> Optional[str]:
        """``self.method`` -> ``module.Class.method``."""
        if not (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
                and expr.value.id in SELF_NAMES):
            return None
        owner = self.class_qualname(scope)
        return f"{self.module}.{owner}.{expr.attr}" if owner else None

    def callee(self, call: ast.Call, scope: Scope) -> Optional[str]:
        """The function a call runs: a name, an imported module's function,
        a method of ``self``, or a method of a local bound to an instance
        (``repo = OrderRepository(); repo.delete(...)``)."""
        func = call.func
        found = self.method(func, scope) or self.name(func) or self.nested_function(func, scope)
        if found is not None:
            return found
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            binding = scope.lookup(func.value.id, func.value)
            klass = _instance_class(binding)
            if klass is not None:
                owner = self.name(klass)
                if owner is not None:
                    return f"{owner}.{func.attr}"
        return None

    def nested_function(self, func: ast.AST, scope: Scope) -> Optional[str]:
        """A function defined in an enclosing function and only ever called
        there (``def _really_merge_items(conn): ...`` then
        ``with self.get() as conn: _really_merge_items(conn)``): its
        qualified name, so its call sites are its callers.  A closure that is
        also handed on (``run(_fn)``, ``return _fn``) is not resolved: its
        call sites would not be all of them."""
        if not isinstance(func, ast.Name):
            return None
        binding = scope.lookup(func.id, func)
        if binding is None or binding.kind != "def":
            return None
        owner = scope.owner_of(binding)
        if owner is None or owner.kind != "function" or not self._only_called(func.id, owner):
            return None
        return f"{self.module}.{scope_qualname(owner)}.{func.id}"

    def _only_called(self, name: str, owner: Scope) -> bool:
        """Every load of ``name`` in ``owner`` and the scopes it encloses is
        the function of a call."""
        pending = [owner]
        while pending:
            current = pending.pop()
            for load in current.loads.get(name, ()):
                parent = self.parents.get(load)
                if not (isinstance(parent, ast.Call) and parent.func is load):
                    return False
            pending.extend(child for child in current.children if name not in child.bindings)
        return True


def _instance_class(binding: Optional[Binding]) -> Optional[ast.AST]:
    """``x = SomeClass(...)``: the class expression (a capitalised name)."""
    if binding is None or binding.kind != "assign" or not isinstance(binding.value, ast.Call):
        return None
    func = binding.value.func
    last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return func if last[:1].isupper() else None
