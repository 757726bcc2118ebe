"""DBS701: an API request handler updates or deletes records with no
authorization check before it on the handler's path.

For each request handler of the module (:mod:`..analysis.web`), the calls
of its body are read in source order: an authorization check (a policy
call, a user check that raises, a project helper that checks) guards what
follows it; an UPDATE/DELETE (:meth:`Semantics.destructive_ops`), a nested
function of the handler that runs one, or a project function that runs one
before its own check (the project model follows handler -> service -> DB
chains) reached before any check is reported, at the call, once.  A
guarding decorator, class-level guard or security dependency covers the
whole handler.
"""

from __future__ import annotations

import ast
from typing import List, Optional, Tuple

from ..analysis.names import last_part
from ..analysis.walker import Scope
from ..analysis.web import applies_authz_decorator, handler_framework, is_authz_call, user_checks
from .base import Family

CODE = "DBS701"


class AuthorizationRules(Family):
    codes = (CODE,)

    def run(self) -> None:
        if not self.wants(CODE):
            return
        module = self.sem.project.module if self.sem.project is not None else ""
        settings = self.settings
        for scope in self.facts.scopes:
            if scope.kind != "function":
                continue
            framework = handler_framework(
                scope.node, scope, settings.api_decorators, settings.api_base_classes, module
            )
            if framework is None or self.sem.authorized_before_body(scope):
                continue
            self._check_handler(scope, framework)

    def _check_handler(self, scope: Scope, framework: str) -> None:
        handler = getattr(scope.node, "name", "?")
        for _position, kind, node, label in self._events(scope):
            if kind == "check":
                return  # everything after it runs authorized
            self.report(node, CODE, what=label, handler=f"{handler} ({framework})")

    def _events(self, scope: Scope) -> List[Tuple[Tuple[int, int], str, ast.AST, str]]:
        """(position, "check" | "write", node, label) in source order."""
        events: List[Tuple[Tuple[int, int], str, ast.AST, str]] = []
        extra = self.settings.authz_functions
        for node in user_checks(scope):
            events.append(((node.lineno, node.col_offset), "check", node, ""))
        writes = {line for line, _label in self.sem.destructive_ops(scope)}
        for call, _ctx in scope.calls:
            position = (call.lineno, call.col_offset)
            if is_authz_call(call, extra) or applies_authz_decorator(call, self.settings.authz_decorators):
                events.append((position, "check", call, ""))
                continue
            if call.lineno in writes and self._is_destructive(call, scope):
                events.append((position, "write", call, self._label(call, scope)))
                continue
            nested = self._nested_function(call, scope)
            if nested is not None:
                if self._nested_destroys(nested):
                    events.append((position, "write", call, f"{last_part(call.func)}() (it updates or deletes records)"))
                continue
            authorizes, risky = self.sem.callee_risk(call, scope)
            if authorizes and not risky:
                events.append((position, "check", call, ""))
            elif risky:
                events.append((position, "write", call, f"{last_part(call.func)}() (it updates or deletes records)"))
        events.sort(key=lambda e: (e[0], 0 if e[1] == "check" else 1))
        return events

    def _is_destructive(self, call: ast.Call, scope: Scope) -> bool:
        labels = {line: label for line, label in self.sem.destructive_ops(scope)}
        return call.lineno in labels and (
            self.sem.write(call, scope) is not None
            or (isinstance(call.func, ast.Attribute) and call.func.attr == "delete")
        )

    def _label(self, call: ast.Call, scope: Scope) -> str:
        write = self.sem.write(call, scope)
        if write is not None:
            return write.label
        return f"{last_part(call.func)}() then flush/commit"

    def _nested_function(self, call: ast.Call, scope: Scope) -> Optional[Scope]:
        """``_update_in_db(ctx)`` where the handler defines ``_update_in_db``."""
        if not isinstance(call.func, ast.Name):
            return None
        for child in scope.children:
            if child.kind == "function" and getattr(child.node, "name", None) == call.func.id:
                return child
        return None

    def _nested_destroys(self, nested: Scope) -> bool:
        checks = self.sem.authz_lines(nested)
        first = min(checks) if checks else None
        return any(first is None or line < first for line, _ in self.sem.destructive_ops(nested))
