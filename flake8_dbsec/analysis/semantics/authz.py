"""Destructive operations and authorization (DBS701): the UPDATEs and
DELETEs a function runs itself, the lines where it checks authorization,
names bound to a FastAPI security dependency, and, for a call of a project
function, whether it authorizes and whether it destroys before any check.

These combine writes (what destroys) with the web layer's authorization
checks (:mod:`..web`, imported where used) and the project model, for the
one rule family that asks; keeping them apart keeps the web layer out of
the rest of the semantics.
"""

from __future__ import annotations

import ast
from typing import List, Tuple

from ..walker import Scope
from .base import SemanticsBase
from .writes import label_of


class AuthzMixin(SemanticsBase):
    """What a function destroys and where it checks authorization."""

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
        from ..web import applies_authz_decorator, is_authz_call, user_checks

        settings = self.settings
        lines = [call.lineno for call, _ctx in scope.calls
                 if is_authz_call(call, settings.authz_functions)
                 or applies_authz_decorator(call, settings.authz_decorators)]
        lines += [node.lineno for node in user_checks(scope)]
        if self.authorized_before_body(scope):
            lines.append(getattr(scope.node, "lineno", 0))
        return sorted(set(lines))

    def authorized_before_body(self, scope: Scope) -> bool:
        """A decorator, class-level guard or security dependency authorizes
        every call before the body runs; the project's own decorators count
        when their wrapper checks authorization."""
        from ..web import authz_decorated

        return authz_decorated(scope.node, scope, self.settings.authz_decorators,
                               lambda name: self.is_auth_dependency(name, scope)) \
            or self._project_authz_decorated(scope.node)

    def _project_authz_decorated(self, node: ast.AST) -> bool:
        """A decorator the project defines whose wrapper checks authorization
        before it calls the view (calibre-web's ``user_login_required``,
        whose wrapper runs ``login_required(func)``)."""
        if self.project is None:
            return False
        for decorator in getattr(node, "decorator_list", ()):
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = self.project.name(target)
            if name is not None and self.project.model.wrapper_authorizes(name):
                return True
        return False

    def is_auth_dependency(self, node: ast.AST, scope: Scope) -> bool:
        """A name bound (here or anywhere in the project) to a FastAPI
        security dependency: ``ADMIN_ONLY = [Depends(require_admin)]``,
        ``CurrentUser = Annotated[User, Depends(get_current_user)]``."""
        from ..web import is_security_dependency

        if isinstance(node, ast.Name):
            bindings = self.facts.module.bindings.get(node.id, ())
            if len(bindings) == 1 and bindings[0].value is not None:
                return is_security_dependency(bindings[0].value)
        return self._project_attr(node) == "auth_dependency"

    # -- project functions called -----------------------------------------------

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
