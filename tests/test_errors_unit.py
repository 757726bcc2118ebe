"""In-process checks of the error-handling family (DBS101-104, DBS602) on tricky shapes."""

from __future__ import annotations

import textwrap
from dataclasses import replace

import pytest

from flake8_dbsec.checker import check_source
from flake8_dbsec.options import DEFAULT_SETTINGS

FAMILY = frozenset({"DBS101", "DBS102", "DBS103", "DBS104", "DBS602"})
SETTINGS = replace(DEFAULT_SETTINGS, enabled_codes=FAMILY)


def findings(source: str, settings=SETTINGS):
    return check_source(textwrap.dedent(source), settings)


def codes(source: str, settings=SETTINGS):
    """(code, line) pairs of the family's findings."""
    return sorted((f.code, f.line) for f in findings(source, settings) if f.code in FAMILY)


# --- DBS101 / DBS102: what handles a write -------------------------------------------


def test_nested_try_outer_db_handler_handles():
    src = """
    from oslo_db import exception as db_exc
    def f(session):
        try:
            try:
                session.flush()
            except db_exc.DBDuplicateEntry:
                raise Conflict()
        except db_exc.DBError:
            raise
    """
    assert codes(src) == []


def test_nested_try_integrity_inside_finally_outside_is_dbs102():
    src = """
    from oslo_db import exception as db_exc
    def f(session):
        try:
            try:
                session.flush()
            except db_exc.DBDuplicateEntry:
                raise Conflict()
        finally:
            session.close()
    """
    assert codes(src) == [("DBS102", 6)]


def test_dbs102_message_names_all_integrity_handlers():
    src = """
    from sqlalchemy.exc import IntegrityError as IE
    from oslo_db import exception as db_exc
    def f(session):
        try:
            try:
                session.commit()
            except IE:
                raise Conflict()
        except db_exc.DBDuplicateEntry:
            raise Conflict()
    """
    (finding,) = findings(src)
    assert finding.code == "DBS102"
    assert "IntegrityError" in finding.message and "DBDuplicateEntry" in finding.message
    assert "session.commit()" in finding.message


def test_write_in_handler_is_handled_by_a_try_inside_the_handler():
    src = """
    from sqlalchemy import exc as sa_exc
    def f(session):
        try:
            session.flush()
        except sa_exc.SQLAlchemyError:
            try:
                session.commit()
            except sa_exc.SQLAlchemyError:
                session.rollback()
                raise
            raise
    """
    assert codes(src) == []


def test_write_in_handler_of_its_own_try_is_not_handled():
    src = """
    def f(session):
        try:
            session.flush()
        except Exception:
            session.commit()
            raise
    """
    assert codes(src) == [("DBS101", 6)]


def test_never_both_101_and_102():
    src = """
    from sqlalchemy.exc import IntegrityError
    def f(session):
        try:
            session.flush()
        except IntegrityError:
            raise Conflict()
    """
    got = codes(src)
    assert got == [("DBS102", 5)]


def test_async_function_and_async_with():
    src = """
    from sqlalchemy import update
    async def f(factory, uid):
        async with factory() as session:
            await session.execute(update(User).where(User.id == uid))
            try:
                await session.commit()
            except Exception:
                await session.rollback()
                raise
    """
    assert codes(src) == [("DBS101", 5)]


def test_trystar_handles_like_except():
    src = """
    from oslo_db import exception as db_exc
    def f(session):
        try:
            session.flush()
        except* db_exc.DBError:
            raise
        try:
            session.commit()
        except* db_exc.DBDuplicateEntry:
            raise
    """
    assert codes(src) == [("DBS102", 9)]


def test_module_level_writes_are_not_checked_but_lambdas_are():
    src = """
    session.commit()
    cb = lambda: session.commit()
    """
    assert codes(src) == [("DBS101", 3)]


def test_nested_function_has_its_own_tries():
    """A try around the def does not guard the body; the calls decide: one
    call outside any handler and the write is unhandled."""
    src = """
    def outer(session):
        try:
            def inner():
                session.flush()
            inner()
        except Exception:
            raise
        inner()
    """
    assert codes(src) == [("DBS101", 5)]


@pytest.mark.parametrize("after, expected", [
    ("", []),  # its only call is inside a broad handler: handled there
    ("run(inner)", [("DBS101", 4)]),  # handed on: its call sites are not all known
])
def test_nested_function_is_judged_by_its_calls(after, expected):
    """A nested function's calls in the enclosing function are its call
    sites (the project model's rule for every function), unless the
    function is also handed on."""
    src = f"""
    def outer(session, run):
        def inner():
            session.flush()
        try:
            inner()
        except Exception:
            raise
        {after}
    """
    assert codes(src) == expected


# --- handler decorators (--dbsec-handler-decorators) ---------------------------------------

DECORATED = """
from keystone.common import sql

class Driver:
    @sql.handle_conflicts(conflict_type='role')
    def update_role(self, session, role_id):
        session.query(Role).filter_by(id=role_id).update({'name': 'x'})

        def later():
            session.flush()
        return later

    @handle_conflicts
    def delete_role(self, session, role_id):
        session.query(Role).filter_by(id=role_id).delete()

    @oslo_db_api.wrap_db_retry(max_retries=5)
    def retried(self, session):
        session.flush()
"""


def test_decorated_functions_report_with_default_settings():
    assert codes(DECORATED) == [("DBS101", 7), ("DBS101", 10), ("DBS101", 15), ("DBS101", 19)]


def test_handler_decorator_option_handles_the_function_only():
    settings = replace(SETTINGS, handler_decorators=frozenset({"handle_conflicts"}))
    # the nested function and the retry-decorated function are not covered
    assert codes(DECORATED, settings) == [("DBS101", 10), ("DBS101", 19)]


# --- DBS103 ------------------------------------------------------------------------------


def test_dbs103_reported_at_except_line_with_classes():
    src = """
    from oslo_db import exception as db_exc
    def f(session):
        try:
            session.commit()
        except (db_exc.DBDeadlock, db_exc.DBConnectionError):
            pass
    """
    (finding,) = findings(src)
    assert (finding.code, finding.line, finding.col) == ("DBS103", 6, 4)
    assert "DBDeadlock, DBConnectionError" in finding.message


def test_dbs103_docstring_and_ellipsis_count_as_nothing():
    src = """
    def f(session):
        try:
            session.commit()
        except Exception:
            "ignored on purpose"
            ...
    """
    assert codes(src) == [("DBS103", 5)]


def test_dbs103_nested_try_inside_handler_is_its_own():
    src = """
    def f(session, log):
        try:
            session.flush()
        except Exception:
            log.error("x")
            try:
                session.rollback()
            except Exception:
                pass
            raise
    """
    # the inner try body holds no write (rollback is not a write)
    assert codes(src) == []


def test_dbs103_and_dbs602_never_both():
    src = """
    def f(session):
        try:
            session.commit()
        except Exception:
            return None
    """
    assert codes(src) == [("DBS103", 5)]


# --- DBS104 ------------------------------------------------------------------------------


def test_dbs104_at_try_line_lists_staging_calls():
    src = """
    from sqlalchemy.exc import IntegrityError
    def f(session, a, b):
        x = 1
        try:
            session.add(a)
            session.add(b)
            session.delete(a)
        except IntegrityError:
            raise Conflict()
    """
    (finding,) = findings(src)
    assert (finding.code, finding.line) == ("DBS104", 5)
    assert "session.add(), session.delete()" in finding.message


def test_dbs104_not_when_a_nested_function_flushes_later():
    # The nested function's flush is not in this try: the staging still is dead.
    src = """
    def f(session, obj):
        try:
            session.add(obj)
            def later():
                session.flush()
        except Exception:
            raise
        return later
    """
    assert ("DBS104", 3) in codes(src)


def test_dbs104_conservative_with_self_carrier():
    src = """
    class Repo:
        def create(self, obj):
            try:
                self.session.add(obj)
                self._finish()
            except Exception:
                raise
    """
    assert [c for c in codes(src) if c[0] == "DBS104"] == []


def test_dbs104_not_when_the_body_yields_to_the_caller():
    src = """
    import contextlib
    @contextlib.contextmanager
    def staged(session, obj):
        try:
            session.add(obj)
            yield obj
        except Exception:
            session.rollback()
            raise
    """
    assert codes(src) == []


# --- DBS602 ------------------------------------------------------------------------------


def test_dbs602_trystar_and_finally_rollback():
    src = """
    from sqlalchemy import exc as sa_exc
    def f(session, log):
        try:
            session.commit()
        except* sa_exc.SQLAlchemyError:
            log.warning("x")
        try:
            session.commit()
        except sa_exc.SQLAlchemyError:
            log.warning("x")
        finally:
            session.rollback()
    """
    assert ("DBS602", 6) in codes(src)
    assert ("DBS602", 10) not in codes(src)


def test_dbs602_raise_in_nested_function_does_not_count():
    src = """
    def f(session, log):
        try:
            session.flush()
        except Exception:
            def cb():
                raise RuntimeError()
            log.warning("x", cb)
    """
    assert ("DBS602", 5) in codes(src)


def test_dbs602_with_bound_session_and_begin_block():
    src = """
    def f(engine, session, log):
        with engine.connect() as conn:
            try:
                conn.execute("DELETE FROM t")
            except Exception:
                log.warning("x")
        with session.begin():
            try:
                session.flush()
            except Exception:
                log.warning("x")
        try:
            session.flush()
        except Exception:
            log.warning("x")
    """
    assert [c for c in codes(src) if c[0] == "DBS602"] == [("DBS602", 15)]


def test_dbs602_query_write_session_through_locals():
    src = """
    def f(session, log):
        q = session.query(User)
        q = q.filter_by(id=1)
        try:
            q.delete()
        except Exception:
            log.warning("x")
    """
    assert ("DBS602", 7) in codes(src)


# --- selection and robustness ----------------------------------------------------------------


def test_only_selected_codes_are_reported():
    src = """
    def f(session):
        session.commit()
        try:
            session.flush()
        except Exception:
            pass
    """
    only_103 = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS103"}))
    assert codes(src, only_103) == [("DBS103", 6)]


@pytest.mark.parametrize(
    "src",
    [
        "try:\n    pass\nexcept (yield):\n    pass\n",
        "def f(s):\n    try:\n        s.commit()\n    except f() as e:\n        pass\n",
        "def f(s):\n    try:\n        s.commit()\n    except ():\n        pass\n",
        "async def f(s):\n    try:\n        await (await s).commit()\n"
        "    except* Exception:\n        ...\n",
        "def f(session):\n    try:\n        x = " + "(" * 200 + "1" + ")" * 200 + "\n"
        "        session.add(x)\n    except Exception:\n        pass\n",
    ],
)
def test_odd_shapes_never_crash(src):
    findings(src)


def test_deeply_nested_tries_never_crash():
    depth = 90
    lines = ["def f(session):"]
    for level in range(depth):
        lines.append("    " * (level + 1) + "try:")
    lines.append("    " * (depth + 1) + "session.commit()")
    for level in reversed(range(depth)):
        lines.append("    " * (level + 1) + "except Exception:")
        lines.append("    " * (level + 2) + "pass")
    found = codes("\n".join(lines) + "\n")
    assert found and all(code == "DBS103" for code, _ in found)


def test_handling_context_manager_option_handles_the_block():
    """mlflow's ManagedSessionMaker rolls back and translates every
    SQLAlchemyError: with the option set, writes in its block are handled."""
    from dataclasses import replace

    from flake8_dbsec.checker import check_source
    from flake8_dbsec.options import DEFAULT_SETTINGS

    source = (
        "def rename(self, old, new):\n"
        "    with self.ManagedSessionMaker(read_only=False) as session:\n"
        "        session.query(Grant).filter(Grant.name == old).update({Grant.name: new})\n"
        "    def later():\n"
        "        session.flush()\n"
        "    session.flush()\n"
    )
    default = {(f.code, f.line) for f in check_source(source)}
    assert ("DBS101", 3) in default
    settings = replace(DEFAULT_SETTINGS, handler_context_managers=frozenset({"ManagedSessionMaker"}))
    configured = {(f.code, f.line) for f in check_source(source, settings)}
    assert ("DBS101", 3) not in configured
    # a nested function and code after the block are not covered by it
    assert ("DBS101", 5) in configured and ("DBS101", 6) in configured
