"""Web request handlers and authorization evidence (DBS701's vocabulary).

A *request handler* is a function a web framework calls for a request:

* Flask/Blueprint and FastAPI/Starlette routes: a decorator ``X.route(...)``,
  ``X.get/post/put/patch/delete/api_route(...)``;
* methods of class-based views: Flask ``MethodView``/``View``, flask-restful
  ``Resource``, Django ``View`` and its generic views, DRF ``APIView``,
  ``GenericAPIView`` and viewsets (their ``get/post/put/patch/delete``,
  ``update/partial_update/destroy/perform_update/perform_destroy``);
* Django function views: a function of a ``views`` module whose first
  parameter is ``request``;
* Pecan ``@expose(...)`` controllers, OpenStack WSGI controllers (public
  methods of a ``wsgi.Controller`` subclass) and placement-style handlers
  decorated with ``PlacementWsgify``;
* anything decorated with a configured decorator or in a class with a
  configured base (``--dbsec-api-decorators``, ``--dbsec-api-base-classes``).

*Authorization evidence* is a policy or permission call (``context.can``,
``policy.authorize/enforce``, ``check_policy``, ``has_permission``,
``has_perm``... and ``--dbsec-authz-functions``), a decorator
(``login_required``, ``permission_required``, ``protected``... and
``--dbsec-authz-decorators``), a class-level guard (DRF
``permission_classes`` other than ``AllowAny``, Django's
``LoginRequiredMixin``/``PermissionRequiredMixin``), a FastAPI
``Depends(...)``/``Security(...)`` on a dependency whose name says it
authenticates or authorizes, or an ``if`` on the current user that raises
or aborts.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, FrozenSet, List, Optional

from .names import const_str, dotted_name, last_part, walk_same_scope
from .walker import Scope

ROUTE_METHODS = frozenset({"route", "get", "post", "put", "patch", "delete", "api_route"})
ROUTE_DECORATORS = frozenset({"expose", "wsexpose", "PlacementWsgify", "api_view", "action"})
VIEW_BASES = frozenset(
    {"MethodView", "View", "Resource", "APIView", "GenericAPIView", "ViewSet", "GenericViewSet",
     "ModelViewSet", "ReadOnlyModelViewSet", "UpdateAPIView", "DestroyAPIView",
     "RetrieveUpdateDestroyAPIView", "RetrieveUpdateAPIView", "RetrieveDestroyAPIView",
     "UpdateView", "DeleteView", "FormView", "TemplateView", "RestController", "HTTPEndpoint"}
)
VIEW_METHODS = frozenset(
    {"get", "post", "put", "patch", "delete", "update", "partial_update", "destroy",
     "perform_update", "perform_destroy", "create", "perform_create", "dispatch", "form_valid"}
)
WSGI_CONTROLLER = re.compile(r"(^|\.)(wsgi\.)?Controller$")

AUTHZ_CALLS = frozenset(
    {"can", "authorize", "enforce", "enforce_call", "check_policy", "check_policies",
     "has_permission", "has_permissions", "check_permission", "check_permissions",
     "require_permission", "has_perm", "has_perms", "check_object_permissions",
     "check_permissions_for", "check_access", "require_admin", "verify_permission",
     "check_is_admin", "assert_authorized", "authorize_request", "enforce_policy"}
)
AUTHZ_DECORATORS = frozenset(
    {"login_required", "permission_required", "protected", "policy_enforce", "requires_auth",
     "admin_required", "roles_required", "roles_accepted", "permission_classes",
     "user_passes_test", "staff_member_required", "superuser_required", "authorize",
     "require_permission", "requires_permission", "auth_required", "jwt_required",
     "fresh_jwt_required", "requires", "check_policy", "enforce",
     # Flask-AppBuilder: role permissions on views and on the REST API
     "has_access", "has_access_api", "protect"}
)
#: a project decorator whose name says it requires a login, a permission or a
#: role (pgAdmin's ``pga_login_required``, fittrackee's ``require_auth``), or
#: that it checks the policy before the handler runs (privacyidea's
#: ``@prepolicy(check_base_action, request, action)``; ``postpolicy`` runs
#: after the handler and does not count)
AUTHZ_DECORATOR_NAME = re.compile(
    r"^(?:\w+_)?(?:login|auth|authn|authz|permissions?|roles?|admin|scopes?)_required$"
    r"|^requires?_(?:login|auth|authn|authz|permissions?|roles?|admin|scopes?)$"
    r"|^pre_?polic(?:y|ies)$"
)
AUTHZ_MIXINS = frozenset(
    {"LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin", "AccessMixin"}
)
#: a FastAPI dependency whose name says it authenticates or authorizes
AUTH_DEPENDENCY = re.compile(
    r"(?i)(auth|permission|perm|admin|current_user|current_active|login|token|verif|require|role|scope)"
)
#: names an ``if`` tests when it checks who the user is
USER_CHECK = re.compile(
    r"(?i)(current_user|request\.user|\buser\b|is_authenticated|is_admin|is_staff|is_superuser|"
    r"has_perm|role|owner|project_id|is_owner)"
)
FORBIDDEN_CALLS = frozenset({"abort", "Forbidden", "HTTPForbidden", "HTTPUnauthorized",
                             "PermissionDenied", "NotAuthorized", "Unauthorized",
                             "HTTPException", "forbidden"})


def handler_framework(node: ast.AST, scope: Scope, extra_decorators: FrozenSet[str],
                      extra_bases: FrozenSet[str], module: str) -> Optional[str]:
    """What makes ``node`` (a function) a request handler, or None."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = last_part(target)
        if name is None:
            continue
        if name in ROUTE_METHODS and isinstance(decorator, ast.Call) and isinstance(target, ast.Attribute):
            return f"{dotted_name(target) or name} route"
        if name in ROUTE_DECORATORS or name in extra_decorators:
            return f"@{name}"
    klass = scope.parent
    if klass is not None and klass.kind == "class":
        bases = [last_part(b) or "" for b in getattr(klass.node, "bases", ())]
        dotted = [dotted_name(b) or "" for b in getattr(klass.node, "bases", ())]
        if node.name in VIEW_METHODS and any(b in VIEW_BASES or b in extra_bases for b in bases):
            return f"{klass.node.name}.{node.name} view"  # type: ignore[attr-defined]
        if any(b in extra_bases for b in bases):
            return f"{klass.node.name}.{node.name}"  # type: ignore[attr-defined]
        if not node.name.startswith("_") and any(WSGI_CONTROLLER.search(d) for d in dotted if d):
            return f"{klass.node.name}.{node.name} controller"  # type: ignore[attr-defined]
    args = node.args.posonlyargs + node.args.args
    if (module.rsplit(".", 1)[-1] == "views" or ".views." in f".{module}.") and args \
            and args[0].arg == "request" and scope.parent is not None and scope.parent.kind == "module":
        return "Django view"
    return None


def authz_decorated(node: ast.AST, scope: Scope, extra: FrozenSet[str],
                    is_auth_dependency: Optional[Callable[[ast.AST], bool]] = None) -> bool:
    """A decorator, a class-level guard or a security dependency authorizes
    every call of the handler before its body runs.  ``is_auth_dependency``
    tells whether a name stands for one (``dependencies=ADMIN_ONLY``,
    ``user: CurrentActiveUser`` with an ``Annotated[..., Depends(...)]`` alias
    defined elsewhere)."""
    named = is_auth_dependency or (lambda _node: False)
    for decorator in getattr(node, "decorator_list", ()):
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = last_part(target) or ""
        if name in AUTHZ_DECORATORS or name in extra or AUTHZ_DECORATOR_NAME.match(name):
            return True
        if name == "method_decorator" and isinstance(decorator, ast.Call):
            if any(last_part(a.func if isinstance(a, ast.Call) else a) in AUTHZ_DECORATORS
                   for a in decorator.args):
                return True
        if isinstance(decorator, ast.Call):
            deps = next((kw.value for kw in decorator.keywords if kw.arg == "dependencies"), None)
            if deps is not None and (_security_dependency(deps) or _names_a_dependency(deps, named)):
                return True
    args = getattr(node, "args", None)
    if args is not None:
        defaults = list(args.defaults) + [d for d in args.kw_defaults if d is not None]
        if any(_security_dependency(d) for d in defaults):
            return True
        annotated = [a.annotation for a in args.args + args.kwonlyargs if a.annotation is not None]
        if any(_security_dependency(a) or _names_a_dependency(a, named) for a in annotated):
            return True  # Annotated[User, Depends(get_current_user)], or an alias of one
    return _class_guarded(scope, node)


def _class_guarded(scope: Scope, node: ast.AST) -> bool:
    """Does the class around this method guard every method (an
    authorization mixin, DRF ``permission_classes``, ``decorators``)?
    Asked for each method, answered once per class."""
    klass = scope.parent
    if klass is None or klass.kind != "class":
        return False
    guarded = klass.memo.get("class_guarded")
    if guarded is None:
        guarded = klass.memo["class_guarded"] = _guards_its_methods(klass)
    return bool(guarded)


def _guards_its_methods(klass: Scope) -> bool:
    bases = {last_part(b) for b in getattr(klass.node, "bases", ())}
    if bases & AUTHZ_MIXINS:
        return True
    for stmt in getattr(klass.node, "body", ()):
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "permission_classes" for t in stmt.targets
        ):
            values = stmt.value.elts if isinstance(stmt.value, (ast.List, ast.Tuple)) else [stmt.value]
            names = {last_part(v) for v in values}
            return bool(names) and not names <= {"AllowAny"}
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id in ("decorators", "method_decorators") for t in stmt.targets
        ):
            values = stmt.value.elts if isinstance(stmt.value, (ast.List, ast.Tuple)) else [stmt.value]
            if any(last_part(v.func if isinstance(v, ast.Call) else v) in AUTHZ_DECORATORS for v in values):
                return True
    return False


def _names_a_dependency(node: ast.AST, named: Callable[[ast.AST], bool]) -> bool:
    """A name (or a list of names) that stands for a security dependency."""
    items = node.elts if isinstance(node, (ast.List, ast.Tuple)) else [node]
    return any(isinstance(item, (ast.Name, ast.Attribute)) and named(item) for item in items)


def is_security_dependency(node: ast.AST) -> bool:
    """An expression holding a security dependency (for module-level aliases)."""
    return _security_dependency(node)


def _security_dependency(node: ast.AST) -> bool:
    """``Depends(get_current_user)``, ``Security(oauth2_scheme)``, also nested
    in a list or ``Annotated[...]``."""
    for sub in nodes_of_small(node):
        if isinstance(sub, ast.Call) and last_part(sub.func) in ("Depends", "Security"):
            if last_part(sub.func) == "Security":
                return True
            dependency = sub.args[0] if sub.args else None
            name = last_part(dependency) if dependency is not None else None
            if name and AUTH_DEPENDENCY.search(name):
                return True
    return False


def nodes_of_small(node: ast.AST, limit: int = 200) -> List[ast.AST]:
    """Every node of a small expression; none of a larger one (a guard or a
    dependency is a short expression: a big one is not read at all)."""
    nodes = []
    for count, sub in enumerate(ast.walk(node)):
        if count > limit:
            return []
        nodes.append(sub)
    return nodes


#: a call whose name says it checks who may do what (``is_administrator``,
#: ``require_project_admin``, ``ensure_owner``, ``check_access``...)
AUTHZ_CALL_NAME = re.compile(
    r"(?i)^_*(?:authori[sz]e\w*|enforce\w*|(?:require|ensure|verify|assert|check)_\w*"
    r"(?:admin|role|perm|permission|owner|access|allowed|authori[sz])\w*|is_(?:admin|administrator|"
    r"owner|allowed|authori[sz]ed)\w*|has_(?:perm|permission|role|access)\w*|can_\w+)$"
)


def is_authz_call(call: ast.Call, extra: FrozenSet[str]) -> bool:
    name = last_part(call.func)
    return name is not None and (
        name in AUTHZ_CALLS or name in extra or AUTHZ_CALL_NAME.match(name) is not None
    )


def applies_authz_decorator(call: ast.Call, extra: FrozenSet[str]) -> bool:
    """``login_required(func)``: a guarding decorator applied by hand (in a
    project decorator's wrapper: ``return login_required(func)(*args)``)."""
    name = last_part(call.func)
    return name is not None and (name in AUTHZ_DECORATORS or name in extra) and bool(call.args)


def user_checks(scope: Scope) -> list:
    """``if`` statements of the function that test the current user and raise
    or abort: ``if not current_user.is_admin: abort(403)``."""
    return [node for node in scope.ifs if USER_CHECK.search(_text(node.test)) and _denies(node.body)]


def _text(node: ast.AST) -> str:
    parts = []
    for sub in nodes_of_small(node):
        if isinstance(sub, ast.Attribute):
            parts.append(dotted_name(sub) or sub.attr)
        elif isinstance(sub, ast.Name):
            parts.append(sub.id)
        elif isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            parts.append(sub.value)
    return " ".join(parts)


def _denies(body: list) -> bool:
    for stmt in body:
        for node in walk_same_scope(stmt, 500):
            if isinstance(node, ast.Raise):
                return True
            if isinstance(node, ast.Call) and last_part(node.func) in FORBIDDEN_CALLS:
                return True
            if isinstance(node, ast.Return) and isinstance(node.value, ast.Call) and \
                    any(isinstance(a, ast.Constant) and a.value in (401, 403) for a in node.value.args):
                return True
    return False


def constant_text(node: ast.AST) -> str:
    return const_str(node) or ""
