"""DBS701 in-process: handler shapes, evidence, options, and the project model."""

from __future__ import annotations

import ast
import textwrap
from dataclasses import replace

import pytest

from flake8_dbsec.checker import check_tree
from flake8_dbsec.options import DEFAULT_SETTINGS

ONLY_701 = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS701"}))
HEADER = "import sqlalchemy as sa\nfrom sqlalchemy import delete, update\n"


def lines(source: str, settings=ONLY_701, filename: str = "module.py"):
    tree = ast.parse(HEADER + textwrap.dedent(source))
    offset = HEADER.count("\n")
    return [f.line - offset for f in check_tree(tree, settings, filename=filename)
            if f.code == "DBS701"]


DELETE = "session.execute(delete(T).where(T.c.id == 1))"


def test_django_function_view_only_in_a_views_module():
    src = f"def remove(request, session, T):\n    {DELETE}\n"
    assert lines(src, filename="shop/views.py") == [2]
    assert lines(src, filename="shop/helpers.py") == []


def test_configured_api_decorators_and_base_classes():
    src = f"""\
    @endpoint
    def remove(session, T):
        {DELETE}

    class Item(Handler):
        def delete(self, session, T):
            {DELETE}
    """
    assert lines(src) == []
    settings = replace(ONLY_701, api_decorators=frozenset({"endpoint"}),
                       api_base_classes=frozenset({"Handler"}))
    assert lines(src, settings) == [3, 7]


def test_configured_authz_functions_and_decorators():
    src = f"""\
    @app.route("/a", methods=["DELETE"])
    def a(session, T):
        ensure_it(session)
        {DELETE}

    @app.route("/b", methods=["DELETE"])
    @gatekeeper
    def b(session, T):
        {DELETE}
    """
    assert lines(src) == [4, 9]
    settings = replace(ONLY_701, authz_functions=frozenset({"ensure_it"}),
                       authz_decorators=frozenset({"gatekeeper"}))
    assert lines(src, settings) == []


@pytest.mark.parametrize(
    "check",
    [
        "context.can('x')",
        "policy.enforce(context, 'x', {})",
        "if not request.user.has_perm('x'): raise PermissionDenied()",
        "if not current_user.is_admin: abort(403)",
        "require_project_admin(user)",
        "if not is_owner(user, 1): raise Forbidden()",
    ],
)
def test_evidence_before_the_write(check):
    src = f"""\
    @app.route("/a", methods=["DELETE"])
    def a(session, T, context, policy, request, current_user, user):
        {check}
        {DELETE}
    """
    assert lines(src) == []


def test_a_check_after_the_write_or_in_a_branch_after_it_does_not_count():
    src = f"""\
    @app.route("/a", methods=["DELETE"])
    def a(session, T, context):
        {DELETE}
        context.can('x')
    """
    assert lines(src) == [3]


def test_reads_updates_and_staged_deletes():
    src = """\
    @app.get("/a")
    def read(session, T):
        return session.execute(sa.select(T)).all()

    @app.post("/b")
    def bump(session, T):
        session.execute(update(T).where(T.c.id == 1).values(n=T.c.n + 1))

    @app.delete("/c")
    def staged(session, obj):
        session.delete(obj)
        session.commit()

    @app.delete("/d")
    def staged_never_flushed(session, obj):
        session.delete(obj)
    """
    assert lines(src) == [7, 11]


def test_opt_in_bug_code():
    from flake8_dbsec.catalog import DEFAULT_OFF, RULES

    assert "DBS701" in DEFAULT_OFF and RULES["DBS701"].kind == "bug"


@pytest.mark.parametrize("wrapper_body, expected", [
    # the wrapper checks the user and aborts, or applies a known guard by hand
    ("if not current_user.is_authenticated:\n                abort(401)\n            return view(*a)", []),
    ("return login_required(view)(*a)", []),
    # a wrapper that only logs is no guard
    ("log.info('call')\n            return view(*a)", [13]),
])
def test_a_project_decorator_authorizes_when_its_wrapper_checks(wrapper_body, expected):
    """calibre-web's ``user_login_required``: the project's own decorator,
    read through the project model (here: the module itself)."""
    src = f"""\
    def guarded(view):
        def wrapper(*a):
            {wrapper_body}
        return wrapper


    @app.route("/a", methods=["DELETE"])
    @guarded
    def a(session, T):
        x = 1
        y = 2
        {DELETE}
    """
    assert lines(src) == expected


def test_a_decorator_factory_whose_wrapper_checks_authorizes():
    src = f"""\
    def role(name):
        def decorator(view):
            def wrapper(*a):
                if not current_user.has_role(name):
                    abort(403)
                return view(*a)
            return wrapper
        return decorator


    @app.route("/a", methods=["DELETE"])
    @role("admin")
    def a(session, T):
        {DELETE}
    """
    assert lines(src) == []
