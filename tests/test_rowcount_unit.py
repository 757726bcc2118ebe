"""Unit tests for DBS301-DBS304 (rules/rowcount.py) and the statement
shapes they rely on in ``analysis/semantics/``.

Each test is a small module; ``codes()`` returns ``[(line, code), ...]`` for the
rowcount family only, with every code enabled (DBS303 included).
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import List, Optional, Tuple

import pytest

from flake8_dbsec.analysis.semantics import Semantics
from flake8_dbsec.analysis.walker import analyze
from flake8_dbsec.checker import check_tree
from flake8_dbsec.options import DEFAULT_SETTINGS

ROWCOUNT = ("DBS301", "DBS302", "DBS303", "DBS304")
ALL_ROWCOUNT = replace(DEFAULT_SETTINGS, enabled_codes=frozenset(ROWCOUNT))
HEADER = """\
import sqlite3
import sqlalchemy as sa
from sqlalchemy import delete, insert, select, text, update
"""
REVIEWED = Path(
    "/work/cache/src/nova-18.0.3/nova/api/openstack/placement/objects/consumer.py"
)


def findings(source: str, settings=ALL_ROWCOUNT):
    tree = ast.parse(HEADER + textwrap.dedent(source))
    offset = HEADER.count("\n")
    return [
        (f.line - offset, f.code, f.message)
        for f in check_tree(tree, settings)
        if f.code in ROWCOUNT
    ]


def codes(source: str, settings=ALL_ROWCOUNT) -> List[Tuple[int, str]]:
    return [(line, code) for line, code, _ in findings(source, settings)]


def one(source: str) -> Optional[str]:
    """The single code reported for a snippet whose DB call is on line 2."""
    found = codes(source)
    assert len(found) <= 1, found
    if not found:
        return None
    assert found[0][0] == 2, found
    return found[0][1]


# --- statement shapes (spec: "recognized directly or through locals") ---------


@pytest.mark.parametrize(
    "stmt",
    [
        "sa.update(T).where(T.id == i).values(a=1)",
        "update(T).where(T.id == i).values(a=1)",
        "T.update().where(T.c.id == i).values(a=1)",
        "T.__table__.update().where(T.id == i)",
        "T.update(T.c.id == i, {'a': 1})",
        'text("UPDATE t SET a = 1 WHERE id = :i")',
        '"UPDATE t SET a = 1 WHERE id = %s"',
        '"  update t set a = 1 where id = 1"',
        'text("UPDATE %s SET a = 1 WHERE uuid = :u" % table)',
        'text(f"UPDATE {table} SET a = 1 WHERE id = :i")',
        'text("UPDATE " + table + " SET a = 1 WHERE id = :i")',
        'text("UPDATE {} SET a = 1 WHERE id IN :ids".format(table))',
        'sa.text("/* hint */ UPDATE t SET a = 1 WHERE t.id = ?")',
    ],
)
def test_update_shapes_in_execute(stmt):
    assert one(f"def f(session, T, i, table):\n    session.execute({stmt})\n") == "DBS301"


@pytest.mark.parametrize(
    "stmt",
    [
        # no WHERE at all, or one that pins no row by key (spec: row identity)
        "sa.update(T).values(a=1)",
        "T.__table__.delete()",
        '"  update t set a = 1"',
        'text(f"UPDATE {table} SET a = 1")',
        "sa.update(T).where(T.host == h).values(a=1)",
        "sa.update(T).where(T.node_id == i).values(a=1)",
        "sa.delete(T).where(T.created_at < h)",
        # exclusions, ranges, subqueries and OR alternatives are no pin
        "sa.update(T).where(T.id != i).values(a=1)",
        "sa.update(T).where(T.uuid.notin_(i)).values(a=1)",
        "sa.update(T).where(~T.id.in_(i)).values(a=1)",
        "sa.update(T).where(T.id > i).values(a=1)",
        "sa.update(T).where(T.id.in_(select(T.id).where(T.host == h))).values(a=1)",
        "sa.update(T).where(sa.or_(T.id == i, T.host == h)).values(a=1)",
        "sa.update(T).where((T.id == i) | (T.host == h)).values(a=1)",
        '"DELETE FROM t WHERE status NOT IN (%s) AND uuid != %s"',
        '"DELETE FROM t WHERE id IN (SELECT id FROM x WHERE host = %s)"',
        '"DELETE FROM t WHERE id = %s OR host = %s"',
    ],
)
def test_bulk_statements_are_dbs304(stmt):
    assert one(f"def f(session, T, i, h, table):\n    session.execute({stmt})\n") == "DBS304"


@pytest.mark.parametrize(
    "stmt",
    [
        "sa.update(T).where(T.id == i, T.host == h).values(a=1)",
        "sa.update(T).where(sa.and_(T.instance_uuid == i, sa.or_(T.a == h, T.b == h))).values(a=1)",
        "sa.update(T).where((T.uuid == i) & (T.deleted == 0)).values(a=1)",
        "sa.update(T).where(T.id.in_(i)).values(a=1)",
        "sa.update(T).where(~(T.id != i)).values(a=1)",
        '"UPDATE t SET a = 1 WHERE (host = %s OR host IS NULL) AND id = %s"',
    ],
)
def test_row_identity_pins_by_key(stmt):
    assert one(f"def f(session, T, i, h, table):\n    session.execute({stmt})\n") == "DBS301"


def test_identifier_pattern_decides_the_key_columns():
    settings = replace(ALL_ROWCOUNT, identifier_pattern=re.compile(r"(?i)(uuid|_id)$"))
    src = "def f(session, T, i):\n    session.execute(sa.update(T).where(T.node_id == i).values(a=1))\n"
    assert codes(src) == [(2, "DBS304")]
    assert codes(src, settings) == [(2, "DBS301")]


@pytest.mark.parametrize(
    "stmt",
    [
        "sa.delete(T).where(T.id == i)",
        "delete(T).where(T.id == i)",
        "T.delete().where(T.c.id == i)",
        "T.__table__.delete().where(T.id == i)",
        'text("DELETE FROM %s WHERE id = :i" % table)',
        '"DELETE FROM t WHERE id = ?"',
    ],
)
def test_delete_shapes_in_execute(stmt):
    assert one(f"def f(session, T, i, table):\n    session.execute({stmt})\n") == "DBS303"


@pytest.mark.parametrize(
    "stmt",
    [
        "select(T).where(T.id == i)",
        "insert(T).values(a=1)",
        "T.insert().values(a=1)",
        '"INSERT INTO t VALUES (1)"',
        '"SELECT * FROM t WHERE version = 1"',
        'text("CREATE TABLE t (a int)")',
        "some_function(T)",
        "stmt_from_elsewhere",
    ],
)
def test_not_update_or_delete(stmt):
    assert one(f"def f(session, T, i, stmt_from_elsewhere):\n    session.execute({stmt})\n") is None


def test_stepwise_statement_in_locals():
    src = """\
    def f(session, t, i, g):
        stmt = t.update()
        stmt = stmt.where(t.c.id == i)
        stmt = stmt.where(t.c.generation == g)
        stmt = stmt.values(a=1)
        session.execute(stmt)
    """
    assert codes(src) == [(6, "DBS302")]


def test_statement_rebound_to_select_is_not_an_update():
    src = """\
    def f(session, t):
        stmt = t.update().values(a=1)
        stmt = select(t)
        session.execute(stmt)
    """
    assert codes(src) == []


def test_sql_in_local_and_text_of_local():
    src = """\
    def f(session, cursor, i):
        sql = "UPDATE t SET a = 1 WHERE id = %s"
        cursor.execute(sql, (i,))
        query = "UPDATE t SET a = 1 WHERE id = :i AND revision = :r"
        session.execute(text(query), {"r": i})
    """
    assert codes(src) == [(3, "DBS301"), (5, "DBS302")]


def test_statement_keyword_argument():
    src = "def f(session, T):\n    session.execute(statement=T.update().where(T.id == 1).values(a=1))\n"
    assert one(src) == "DBS301"


# --- receivers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "receiver",
    ["context.session", "ctx.session", "self._session", "db.session", "conn", "connection", "cursor", "cur", "self.cursor"],
)
def test_session_like_receivers(receiver):
    src = f"def f(self, context, ctx, db, conn, connection, cursor, cur):\n    {receiver}.execute('UPDATE t SET a = 1 WHERE id = 1')\n"
    assert one(src) == "DBS301"


def test_non_session_receiver_is_ignored():
    assert one("def f(runner):\n    runner.execute('UPDATE t SET a = 1 WHERE id = 1')\n") is None


def test_exec_driver_sql():
    assert one("def f(conn):\n    conn.exec_driver_sql('UPDATE t SET a = 1 WHERE id = 2 AND etag = 1')\n") == "DBS302"


def test_dbapi_cursor_from_connection():
    src = """\
    def f(path):
        conn = sqlite3.connect(path)
        c = conn.cursor()
        c.execute("UPDATE t SET x = 1 WHERE id = 2")
    """
    assert codes(src) == [(4, "DBS301")]


def test_async_session_and_async_with():
    src = """\
    async def f(factory, M, i):
        async with factory() as session:
            await session.execute(update(M).where(M.id == i).values(a=1))
    async def g(session, M, i):
        res = await session.execute(update(M).where(M.id == i).values(a=1))
        return res.rowcount
    """
    assert codes(src) == [(3, "DBS301")]


# --- ORM bulk query(...).update()/.delete() ------------------------------------


def test_orm_bulk_update_filter_by_generation():
    src = "def f(session, M, i, g):\n    session.query(M).filter_by(id=i, generation=g).update({'a': 1})\n"
    assert one(src) == "DBS302"


def test_model_query_through_locals():
    src = """\
    def f(context, M, i, g, values):
        query = model_query(context, M)
        query = query.filter(M.id == i)
        query = query.filter(M.generation == g)
        query.update(values)
        query.delete()
    """
    assert codes(src) == [(5, "DBS302"), (6, "DBS303")]


def test_query_helper_function_of_the_module():
    src = """\
    def _service_query(context, **filters):
        if not filters:
            return None
        query = model_query(context, Service)
        return query.filter_by(**filters)

    def service_destroy(context, service_id):
        _service_query(context, id=service_id).update({'deleted': True})

    def _not_a_query(values):
        return dict(values)

    def other(values):
        _not_a_query(values).update({'a': 1})
    """
    assert codes(src) == [(8, "DBS301")]


def test_model_query_attribute_and_model_query_class_attr():
    src = """\
    def f(context, M, i):
        db_api.model_query(context, M).filter_by(id=i).update({'a': 1})
        M.query.filter_by(id=i).delete()
    """
    assert codes(src) == [(2, "DBS301"), (3, "DBS303")]


@pytest.mark.parametrize(
    "line",
    [
        "values.update(extra)",
        "{}.update({'a': 1})",
        "self.cache.update({'a': 1})",
        "hashlib.sha256().update(b'x')",
        "row.update(values)",
        "row.delete()",
        "session.delete(row)",
        "cache.delete(key)",
        "query.update_on_match(row, 'id', values)",
        "query.update_returning_pk(values, {'id': 1})",
    ],
)
def test_look_alikes_are_not_writes(line):
    src = f"""\
    def f(session, context, M, values, extra, key, cache, self, hashlib):
        query = model_query(context, M).filter_by(id=1)
        row = query.first()
        {line}
    """
    assert codes(src) == []


def test_chain_ends_at_row_returning_call():
    src = "def f(session, M, values):\n    session.query(M).filter_by(id=1).one().update(values)\n"
    assert one(src) is None


# --- consulted? (spec a-d) --------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # (b) in place
        "if session.execute(STMT).rowcount != 1:\n        raise X",
        "n = session.execute(STMT).rowcount",
        # (a) through a local
        "res = session.execute(STMT)\n    if res.rowcount != 1:\n        raise X",
        "res = session.execute(STMT)\n    other = res\n    return other.rowcount",
        # (c) returned / yielded / passed on
        "return session.execute(STMT)",
        "yield session.execute(STMT)",
        "helper(session.execute(STMT))",
        "helper(result=session.execute(STMT))",
        "res = session.execute(STMT)\n    return res",
        "res = session.execute(STMT)\n    check(res)",
        "self.result = session.execute(STMT)",
        "results.append(session.execute(STMT))",
        "return [session.execute(STMT) for _ in range(2)]",
        "return retry(lambda: session.execute(STMT))",
        # (d) rows read
        "row = session.execute(STMT).fetchone()",
        "ids = session.execute(STMT).scalars().all()",
        "res = session.execute(STMT)\n    return res.fetchall()",
        "for row in session.execute(STMT):\n        print(row)",
        # walrus
        "if (res := session.execute(STMT)).rowcount != 1:\n        raise X",
        "if (res := session.execute(STMT)) is not None:\n        print(res.rowcount)",
        # with ... as
        "with session.execute(STMT) as res:\n        print(res.rowcount)",
    ],
)
def test_consulted(body):
    stmt = "update(M).where(M.id == 1).values(a=1)"
    src = f"def f(session, M, X, helper, check, retry, results, self):\n    {body.replace('STMT', stmt)}\n"
    assert codes(src) == []


@pytest.mark.parametrize(
    "body",
    [
        "session.execute(STMT)",
        "res = session.execute(STMT)",
        "res = session.execute(STMT)\n    res.close()",
        "if session.execute(STMT):\n        pass",
        "assert session.execute(STMT) is not None",
        "[session.execute(STMT) for _ in range(2)]",
        "if (res := session.execute(STMT)) is not None:\n        pass",
        "res = session.execute(STMT)\n    res = session.execute(select(M))\n    print(res.rowcount)",
        "(yield)\n    session.execute(STMT)",
    ],
)
def test_not_consulted(body):
    stmt = "update(M).where(M.id == 1).values(a=1)"
    src = f"def f(session, M):\n    {body.replace('STMT', stmt)}\n"
    assert [c for _, c in codes(src)] == ["DBS301"]


def test_rebinding_the_result_hides_the_first_update():
    src = """\
    def f(session, M):
        res = session.execute(update(M).where(M.id == 1).values(a=1))
        res = session.execute(update(M).where(M.id == 1).values(b=1))
        return res.rowcount
    """
    assert codes(src) == [(2, "DBS301")]


def test_cursor_rowcount_after_execute():
    src = """\
    def f(cursor, self):
        cursor.execute("UPDATE t SET a = 1 WHERE id = 1")
        print(cursor.rowcount)
        self.cur.execute("DELETE FROM t WHERE id = 1")
        total = self.cur.rowcount
        cursor.execute("UPDATE t SET b = 1 WHERE id = 1")
    """
    # the last execute has a rowcount read only *before* it
    assert codes(src) == [(6, "DBS301")]


def test_cursor_fetch_after_returning():
    src = """\
    def f(cursor):
        cursor.execute("UPDATE t SET a = 1 WHERE id = 2 RETURNING id")
        return cursor.fetchone()
    def g(cursor):
        cursor.execute("UPDATE t SET a = 1 WHERE id = 2")
        return cursor.fetchone()
    """
    assert codes(src) == [(5, "DBS301")]


@pytest.mark.parametrize(
    "body",
    [
        "n = QUERY.update({'a': 1})\n    return n",
        "if QUERY.update({'a': 1}) != 1:\n        raise X",
        "if not QUERY.update({'a': 1}):\n        raise X",
        "total += QUERY.update({'a': 1})",
        "return QUERY.update({'a': 1})",
        "LOG.info('%d rows', QUERY.update({'a': 1}))",
        "return 0 != QUERY.update({'a': 1})",
        "count = QUERY.delete()\n    if count:\n        LOG.debug('x')",
    ],
)
def test_orm_count_used_in_any_expression(body):
    src = f"def f(session, M, X, LOG, total):\n    {body.replace('QUERY', 'session.query(M).filter_by(id=1)')}\n"
    assert codes(src) == []


def test_orm_count_assigned_but_unused():
    src = "def f(session, M):\n    n = session.query(M).filter_by(id=1).update({'a': 1})\n"
    assert one(src) == "DBS301"


# --- DBS301 vs DBS302 ---------------------------------------------------------------


@pytest.mark.parametrize(
    "where, column",
    [
        ("M.id == 1, M.generation == g", "generation"),
        ("M.uuid == u, g == M.version", "version"),
        ("M.id == 1, M.lease_version == g", "lease_version"),
        ("M.c.id == 1, M.c.config_revision == g", "config_revision"),
        ("sa.and_(M.id == 1, sa.or_(M.etag == g, M.etag.is_(None)))", "etag"),
        ("(M.id == 1) & (M.updated_at == g)", "updated_at"),
        ("M.id == 1, M.version == g", "version"),
        ("text('id = :i AND generation = :g')", "generation"),
    ],
)
def test_dbs302_where_column(where, column):
    src = f"def f(session, M, g, u):\n    session.execute(update(M).where({where}).values(a=1))\n"
    ((line, code, message),) = findings(src)
    assert (line, code) == (2, "DBS302")
    assert f"with a {column} check" in message


@pytest.mark.parametrize(
    "src, expected",
    [
        # compare-and-swap on a state column
        ("session.execute(update(M).where(M.id == 1, M.status == 'available').values(status='in-use'))", "DBS302"),
        ("session.query(M).filter_by(id=1, task_state=None).update({'task_state': 'migrating'})", "DBS302"),
        ("session.query(M).filter(M.uuid == u, M.vm_state == 'active').update({M.vm_state: 'x'})", "DBS302"),
        # a bulk state move (no row identity) is no guard: DBS304 at most
        ("session.query(M).filter(M.vm_state == 'active').update({M.vm_state: 'stopped'})", "DBS304"),
        # an exclusion is no guard
        ("session.execute(update(M).where(M.id == 1, M.status != 'gone').values(status='gone'))", "DBS301"),
        ("session.execute(update(M).where(M.id == 1, M.status.notin_(S)).values(status='x'))", "DBS301"),
        ("session.execute(update(M).where(M.id == 1, M.version > 3).values(a=1))", "DBS301"),
        ("cursor.execute(\"UPDATE v SET status = 'in-use' WHERE id = %s AND status = 'available'\", (1,))", "DBS302"),
        # a state compared but not moved, or only set: DBS301
        ("session.execute(update(M).where(M.id == 1, M.status == 'available').values(name='x'))", "DBS301"),
        ("session.execute(update(M).where(M.id == 1).values(status='deleted'))", "DBS301"),
        # a version only SET is no guard
        ("session.execute(update(M).where(M.id == 1).values(version=M.version + 1))", "DBS301"),
        ("cursor.execute('UPDATE t SET version = version + 1 WHERE id = %s', (1,))", "DBS301"),
        # a guard in a DELETE stays DBS303
        ("session.execute(delete(M).where(M.id == 1, M.generation == 1))", "DBS303"),
        ("session.execute(delete(M).where(M.generation == 1))", "DBS304"),
    ],
)
def test_dbs302_or_dbs301(src, expected):
    assert one(f"def f(session, cursor, M, u, S):\n    {src}\n") == expected


def test_never_both_codes_for_one_call():
    src = "def f(session, M, g):\n    session.execute(update(M).where(M.id == 1, M.generation == g).values(a=1))\n"
    assert codes(src) == [(2, "DBS302")]


def test_concurrency_pattern_is_configurable():
    settings = replace(ALL_ROWCOUNT, concurrency_pattern=re.compile(r"(?i)(lock_token)$"))
    src = """\
    def f(session, M, g):
        session.execute(update(M).where(M.id == 1, M.version == g).values(a=1))
        session.execute(update(M).where(M.id == 1, M.lock_token == g).values(a=1))
    """
    assert codes(src, settings) == [(2, "DBS301"), (3, "DBS302")]


def test_state_columns_are_configurable():
    settings = replace(ALL_ROWCOUNT, state_columns=frozenset({"phase"}))
    src = """\
    def f(session, M):
        session.query(M).filter_by(id=1, phase='a').update({'phase': 'b'})
        session.query(M).filter_by(id=1, status='a').update({'status': 'b'})
    """
    assert codes(src, settings) == [(2, "DBS302"), (3, "DBS301")]


def test_codes_not_wanted_are_skipped():
    only_301 = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS301"}))
    src = """\
    def f(session, M, g):
        session.execute(update(M).where(M.id == 1, M.generation == g).values(a=1))
        session.execute(delete(M).where(M.id == 1))
        session.execute(update(M).where(M.id == 1).values(a=1))
        session.execute(update(M).values(a=1))
    """
    assert codes(src, only_301) == [(4, "DBS301")]


def test_dbs303_off_by_default_in_flake8_options():
    from flake8_dbsec.catalog import DEFAULT_OFF

    assert "DBS303" in DEFAULT_OFF
    assert "DBS304" in DEFAULT_OFF


# --- reporting position --------------------------------------------------------------


def test_reported_at_first_line_and_column_of_the_call():
    src = """\
    def f(session, M, i):
        x = 1; session.query(M).filter_by(
            id=i).update(
                {'a': 1})
    """
    tree = ast.parse(textwrap.dedent(src))
    ((finding),) = [f for f in check_tree(tree, ALL_ROWCOUNT) if f.code in ROWCOUNT]
    assert (finding.line, finding.col) == (2, 11)


def test_one_finding_per_call_inside_comprehension_and_lambda_scopes():
    src = """\
    def f(session, tables):
        [session.execute(t.update().where(t.c.id == 1).values(a=1)) for t in tables]
        cb = lambda: session.execute(text("UPDATE t SET a = 1 WHERE id = 1"))
    """
    assert codes(src) == [(2, "DBS301")]


# --- the reviewed module --------------------------------------------------------------


@pytest.mark.skipif(not REVIEWED.exists(), reason="placement 18.0.3 source not cached")
def test_reviewed_consumer_module():
    source = REVIEWED.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = [
        (f.code, lines[f.line - 1].strip())
        for f in check_tree(ast.parse(source), ALL_ROWCOUNT)
        if f.code in ROWCOUNT
    ]
    assert found == [
        ("DBS303", "ctx.session.execute(del_stmt)"),
        ("DBS303", "ctx.session.execute(del_stmt)"),
        ("DBS302", "ctx.session.execute(upd_stmt)"),
    ]


# --- robustness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    [
        "session.execute()",
        "session.execute(*args)",
        "session.execute(**kw)",
        "x = session.query(M).update",
        "session.query(M).update()",
        "(lambda: 0)().update({'a': 1})",
        "session.execute(update(M).where(" + "(" * 150 + "M.version == 1" + ")" * 150 + "))",
        "session.execute(" + "x." * 500 + "update())",
        "q = session.query(M)\n" + "q = q.filter(M.a == 1)\n" * 300 + "q.update({'a': 1})",
        "res = session.execute(update(M))\n" + "res = res\n" * 50 + "res.rowcount",
        "match session.execute(update(M)):\n    case _:\n        pass",
        "def helper():\n    return helper()\nhelper().update({'a': 1})",
    ],
)
def test_never_crashes(src):
    findings(src)


def test_semantics_write_statement_for_query_update():
    source = "def f(session, M, g):\n    session.query(M).filter_by(generation=g).filter(M.id == 1).update({'name': 2})\n"
    facts = analyze(ast.parse(source))
    sem = Semantics(facts, DEFAULT_SETTINGS)
    scope = facts.scopes[-1]
    call = next(c for c, _ in scope.calls if getattr(c.func, "attr", "") == "update")
    write = sem.write(call, scope)
    assert write is not None and write.kind == "query-update"
    assert write.statement.kind == "update"
    assert write.statement.where_columns == ["generation", "id"]
    assert write.statement.set_columns == ["name"]


def test_values_of_a_bulk_update_through_a_local_dict():
    src = """\
    def f(session, M, i):
        values = {'status': 'deleting', 'deleted': True}
        session.query(M).filter_by(id=i, status='available').update(values)
        other = dict(status='error')
        session.query(M).filter_by(id=i, status='deleting').update(other)
    """
    assert codes(src) == [(3, "DBS302"), (5, "DBS302")]


def test_value_travels_through_boolean_operators():
    src = """\
    def f(session, M, cached):
        return cached or session.execute(update(M).where(M.id == 1).values(a=1))
    def g(session, M, ready):
        if ready and session.execute(update(M).where(M.id == 1).values(a=1)):
            pass
    """
    assert codes(src) == [(4, "DBS301")]


# --- flow-sensitive consultation (spec, Turn 2: DBS302 guard) --------------------


@pytest.mark.parametrize(
    "body",
    [
        # bound in each branch, read after the join
        "if a:\n        n = QUERY.update({'a': 1})\n    else:\n        n = QUERY.update({'b': 1})\n    return n",
        "if a:\n        res = session.execute(STMT)\n    else:\n        res = session.execute(STMT)\n"
        "    if res.rowcount != 1:\n        raise X",
        # a rebinding in one branch only: the first value may still reach the read
        "res = session.execute(STMT)\n    if a:\n        res = None\n    return res.rowcount",
        "try:\n        res = session.execute(STMT)\n    except X:\n        res = None\n    return res",
    ],
)
def test_consultation_after_branches_is_seen(body):
    body = body.replace("QUERY", "session.query(M).filter_by(id=1)")
    body = body.replace("STMT", "update(M).where(M.id == 1).values(a=1)")
    src = f"def f(session, M, X, a):\n    {body}\n"
    assert codes(src) == []


def test_rebinding_on_the_straight_path_still_hides_the_first_count():
    src = """\
    def f(session, M, a):
        n = session.query(M).filter_by(id=1).update({'a': 1})
        if a:
            pass
        n = 0
        return n
    """
    assert codes(src) == [(2, "DBS301")]


@pytest.mark.parametrize("helper, expected", [
    ("def narrowed(session, query):\n    return query\n", [(6, "DBS304")]),
    ("def narrowed(session, query):\n    if session:\n        return query\n    return query\n", [(8, "DBS304")]),
    # a helper that returns something else ends the chain
    ("def narrowed(session, query):\n    return query.all()\n", []),
    ("def narrowed(session, query):\n    return session\n", []),
    # a helper that adds filters of its own returns another statement
    ("def narrowed(session, query):\n    query = query.filter(Binding.id == 1)\n    return query\n", []),
    # a helper that returns its query filtered: the chain goes on with its filters
    ("def narrowed(session, query):\n    if session:\n        return query.filter_by(id=1)\n"
     "    return query.filter_by(uuid='x')\n", [(8, "DBS303")]),
    ("def narrowed(session, query):\n    return query.filter(Binding.state == 'x')\n", [(6, "DBS304")]),
])
def test_a_hook_that_returns_its_query_parameter_passes_the_chain_on(helper, expected):
    """mlflow's ``_filter_endpoint_binding_query(session, query)``: a hook
    whose every return is its query parameter."""
    src = helper + "\n\ndef purge(session, rid):\n    narrowed(session, session.query(Binding).filter_by(resource_id=rid)).delete()\n"
    assert codes(src) == expected
