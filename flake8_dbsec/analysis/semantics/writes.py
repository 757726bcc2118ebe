"""Which calls change the database (spec: "DB write"): a session's write
methods (``commit``, ``flush``...), ``execute`` of an INSERT, UPDATE or
DELETE, an ORM ``save()`` (unless provenance says the object is an image, a
document or a job), bulk ``query.update()``/``.delete()``, staging calls
(``session.add``/``delete``), and project helpers that write; plus
``label_of``, the text a finding shows for an expression.

Writes are what most rule families report on, and all of them share the
memo of :meth:`WritesMixin.write`, so classifying a call as a write is one
concern in one place.
"""

from __future__ import annotations

import ast
from typing import Optional

from ..names import dotted_name, dotted_parts, keyword, last_part, unwrap_await, walk_same_scope
from ..walker import Scope
from .base import SemanticsBase
from .vocab import CONFIG_MODULE, DML_KINDS, EXECUTE_METHODS, NON_DB_SAVE_MODULES, STAGING_METHODS, Write


def label_of(expr: ast.AST) -> str:
    name = dotted_name(expr)
    if name:
        return name
    if isinstance(expr, ast.Call):
        inner = dotted_name(expr.func)
        if inner:
            return f"{inner}()"
    return "<expr>"


class WritesMixin(SemanticsBase):
    """DB writes, staging calls and project helpers that write."""

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
            if isinstance(arg, ast.Starred):
                arg = arg.value  # python-sql: cursor.execute(*table.update(...)) passes (sql, params)
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
        if not call.args and self._own_save_without_writes(recv, scope):
            return None
        argument = label_of(call.args[0]) if call.args else ""
        return Write(call, "save", f"{label_of(recv)}.save({argument})", recv)

    def _own_save_without_writes(self, recv: ast.expr, scope: Scope) -> bool:
        """``self.save()`` in a plain class (no base but ``object``: no ORM
        model, no versioned object) that defines ``save`` itself, and that
        ``save`` neither writes to the database nor hands on to another
        ``save``: pyload's ``ConfigParser.save`` writes files. A class with a
        base may save through it (nova's objects call ``db.*_update``, which
        the analysis cannot always resolve)."""
        if not (isinstance(recv, ast.Name) and recv.id == "self"):
            return False
        klass = scope.parent
        while klass is not None and klass.kind != "class":
            klass = klass.parent
        if klass is None or any(last_part(b) != "object" for b in getattr(klass.node, "bases", ())):
            return False
        methods = [c for c in klass.children if c.kind == "function" and getattr(c.node, "name", "") == "save"]
        if len(methods) != 1:
            return False
        method = methods[0]
        for call, _ctx in method.calls:
            if last_part(call.func) == "save" or self.write(call, method) is not None:
                return False
        return True

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
        """A name imported from one of :data:`NON_DB_SAVE_MODULES`, or a class
        of another package imported from a configuration module (gramps's
        ``ConfigManager`` from ``gramps.gen.utils.configmanager``): a class
        the project defines is judged by the project model instead."""
        parts = dotted_parts(node)
        if not parts or not self.imports.is_imported(parts[0]):
            return False
        qualified = self.qualified(node) or ""
        if qualified.split(".", 1)[0] in NON_DB_SAVE_MODULES:
            return True
        module = qualified.rsplit(".", 1)[0] if "." in qualified else ""
        if not module or not CONFIG_MODULE.search(module.rsplit(".", 1)[-1]):
            return False
        return self.project is None or self.project.model.resolve(qualified) is None

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

    def is_staging_call(self, call: ast.Call, scope: Scope) -> bool:
        func = call.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr in STAGING_METHODS
            and bool(call.args)
            and self.is_session_like(func.value, scope)
        )

    # -- project helpers that write ---------------------------------------------

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
        # every write in the helper's own transaction block: rolled back there
        kind = "helper-tx" if self.project.model.writes_in_own_transaction(name) else "helper"
        return Write(call, kind, label, session)
