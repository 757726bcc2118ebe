# Fixture for dbs401-sql-built-from-strings (flake8: DBS401).
# Positives: SQL text built from non-constant values reaching execute-family
# calls or text(); negatives: bound parameters, constants, numbers, quoted
# identifiers, psycopg2.sql composition, placeholder lists, non-SQL executors.
import logging
import math
import re
from math import ceil
import sqlite3
import subprocess
import uuid

import psycopg2
import pymysql
import sqlalchemy
import sqlalchemy as sa
from psycopg2 import sql
from sqlalchemy import text
from sqlalchemy.orm import Session

from myapp.constants import DEFAULT_WORKSPACE_NAME

LOG = logging.getLogger(__name__)
TABLE = "instances"
COLUMNS = ("id", "uuid", "host")
STATUS_ACTIVE = "active"
_LEGACY_TABLES: tuple[str, ...] = ("experiment_permissions", "registered_model_permissions")
default_table = "instances"


# --- DB-API cursors ------------------------------------------------------------


def sqlite_fstring(name):
    conn = sqlite3.connect("app.db")
    cursor = conn.cursor()
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")


def psycopg2_percent(user_id):
    conn = psycopg2.connect("dbname=app")
    cur = conn.cursor()
    # ruleid: dbs401-sql-built-from-strings
    cur.execute("SELECT * FROM users WHERE id = '%s'" % user_id)


def pymysql_format(cursor, email):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE email = '{}'".format(email))


def pymysql_concat(email):
    conn = pymysql.connect(host="db")
    with conn.cursor() as cur:
        # ruleid: dbs401-sql-built-from-strings
        cur.execute("DELETE FROM users WHERE email = '" + email + "'")


def executemany_built(cursor, table, rows):
    # ruleid: dbs401-sql-built-from-strings
    cursor.executemany("INSERT INTO %s (a, b) VALUES (?, ?)" % table, rows)


def executescript_built(conn, table):
    cursor = conn.cursor()
    # ruleid: dbs401-sql-built-from-strings
    cursor.executescript(f"DROP TABLE {table}; VACUUM;")


def keyword_argument(cursor, name):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(operation=f"SELECT * FROM t WHERE name = '{name}'")


def multi_line_call(cursor, name):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(
        "SELECT * FROM users WHERE name = '%s'" % name,
    )


def spliced_and_bound(cursor, table, user_id):
    # a bound value does not excuse a spliced one
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM %s WHERE id = %%s" % table, (user_id,))


def join_of_user_values(cursor, columns):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SELECT " + ", ".join(columns) + " FROM users")


def join_comprehension(cursor, filters):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(" AND ".join("%s = '%s'" % (k, v) for k, v in filters.items()))


def pragma_on_cursor(cursor, table):
    # a session-like receiver takes SQL whatever the string starts with
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(f"PRAGMA table_info({table})")


def through_a_parameter_format(cursor, query, name):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(query % name)


# --- SQLAlchemy ----------------------------------------------------------------


def session_text_fstring(session: Session, name):
    # one finding, at text(): the call that first receives the built string
    # ruleid: dbs401-sql-built-from-strings
    session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))


def text_import_forms(conn, table):
    # ruleid: dbs401-sql-built-from-strings
    conn.execute(sa.text("DELETE FROM %s" % table))
    # ruleid: dbs401-sql-built-from-strings
    conn.execute(sqlalchemy.text("DELETE FROM " + table))
    # ruleid: dbs401-sql-built-from-strings
    conn.execute(sqlalchemy.sql.text("DELETE FROM {}".format(table)))


def text_on_a_later_line(context, name):
    # ruleid: dbs401-sql-built-from-strings
    stmt = text(
        f"SELECT * FROM users WHERE name = '{name}'"
    )
    return context.session.execute(stmt)


def exec_driver_sql_built(engine, table):
    with engine.connect() as conn:
        # ruleid: dbs401-sql-built-from-strings
        conn.exec_driver_sql("TRUNCATE TABLE %s" % table)


def engine_execute(engine, name):
    # engine is not session-like: the string must look like SQL, and it does
    # ruleid: dbs401-sql-built-from-strings
    engine.execute("SELECT * FROM users WHERE name = '%s'" % name)


# --- through local variables ---------------------------------------------------


def through_a_local(cursor, name):
    sql_text = f"SELECT * FROM users WHERE name = '{name}'"
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(sql_text)


def step_wise(context, name, host):
    query = "SELECT * FROM instances WHERE deleted = 0"
    if name:
        query += " AND name = '%s'" % name
    if host:
        query += " AND host = :host"
    # ruleid: dbs401-sql-built-from-strings
    return context.session.execute(text(query), {"host": host})


def step_wise_concat(self, where):
    sql_text = "SELECT id FROM instances"
    sql_text = sql_text + " WHERE " + where
    # ruleid: dbs401-sql-built-from-strings
    self.execute(sql_text)


def join_through_a_list(cursor, values):
    clauses = []
    for key, value in values.items():
        clauses.append("%s = '%s'" % (key, value))
    where = " AND ".join(clauses)
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("UPDATE t SET done = 1 WHERE " + where)


def walrus_local(cursor, name):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(q := f"SELECT * FROM t WHERE n = '{name}'")
    return q


async def async_session(session, name):
    # ruleid: dbs401-sql-built-from-strings
    await session.execute(text(f"SELECT * FROM t WHERE n = '{name}'"))


def lowercase_module_name(cursor):
    # a module-level name of any case bound once to a literal and never
    # changed in the module is a constant (Semgrep: by constant propagation)
    # ok: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM {default_table}")


def percent_mapping(cursor, name, limit):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t WHERE n = '%(name)s'" % {"name": name})
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t LIMIT %(n)d" % {"n": limit})


def factory_session_not_sql_looking(engine, table):
    # a session from a factory takes SQL even when it does not look like SQL
    s = Session(engine)
    # ruleid: dbs401-sql-built-from-strings
    s.execute(f"VACUUM {table}")


def through_str_methods(cursor, name):
    query = f"SELECT * FROM t WHERE n = '{name}' "
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(query.strip())


def percent_assign(runner, name):
    query = "SELECT * FROM t WHERE n = '%s'"
    query %= name
    # ruleid: dbs401-sql-built-from-strings
    runner.execute(query)


# --- negatives: parameters are bound --------------------------------------------


def bound_qmark(cursor, name):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE name = ?", (name,))


def bound_pyformat(cursor, user_id):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE id = %s", (user_id,))


def bound_bindparams(session, name):
    # ok: dbs401-sql-built-from-strings
    stmt = text("SELECT * FROM users WHERE name = :name").bindparams(name=name)
    # ok: dbs401-sql-built-from-strings
    session.execute(stmt)


def bound_like_pattern(cursor, name):
    # the built string is a bound value, not SQL text
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE name LIKE %s", (f"%{name}%",))


def bare_parameter(cursor, query):
    # no building visible: the caller's business
    # ok: dbs401-sql-built-from-strings
    cursor.execute(query)


def constant_pieces(cursor):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM " + "users" + " WHERE id = %s", (1,))
    # ok: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM {'users'}")


# --- negatives: module-level constants --------------------------------------------


def upper_case_constants(cursor, user_id):
    # ok: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM {TABLE} WHERE id = %s", (user_id,))
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT %s FROM instances" % ", ".join(COLUMNS))
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t WHERE status = '%s'" % STATUS_ACTIVE)


def local_constant(cursor):
    table = "users"
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM %s" % table)


def loop_over_constant_tables(op):
    # cinder's initial migration: the loop variable only takes literal values
    tables = ["volumes", "snapshots"]
    for table in tables:
        # ok: dbs401-sql-built-from-strings
        op.execute("ALTER TABLE %s CONVERT TO CHARACTER SET utf8" % table)
    # ok: dbs401-sql-built-from-strings
    op.execute("ALTER TABLE %s Engine=InnoDB" % table)
    for name, kind in {"a": "INT", "b": "TEXT"}.items():
        # ok: dbs401-sql-built-from-strings
        op.execute(f"ALTER TABLE t ADD COLUMN {name} {kind}")


def loop_over_module_constant(session, user_id):
    # mlflow's delete_user: a module-level tuple of literal table names
    for table in _LEGACY_TABLES:
        session.execute(
            # ok: dbs401-sql-built-from-strings
            text(f"DELETE FROM {table} WHERE user_id = :uid"),
            {"uid": user_id},
        )


def loop_over_literal_tuple(conn):
    # mlflow's fs2db _assert_empty_db: the loop runs over a literal tuple
    for table in ("experiments", "runs", "registered_models"):
        # ok: dbs401-sql-built-from-strings
        count = conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
        if count:
            raise ValueError(table)


def loop_over_user_tables(op, tables):
    for table in tables:
        # ruleid: dbs401-sql-built-from-strings
        op.execute("ALTER TABLE %s CONVERT TO CHARACTER SET utf8" % table)


# --- negatives: numbers -----------------------------------------------------------


def numeric_conversions(cursor, limit, offset, ratio):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t LIMIT %d OFFSET %i" % (limit, offset))
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t WHERE r > %.2f" % ratio)
    # ok: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM t LIMIT {limit:d}")
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t LIMIT {:d}".format(limit))


def numeric_casts(cursor, limit, ids):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t LIMIT %s" % int(limit))
    # ok: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM t LIMIT {float(limit)}")
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t LIMIT " + str(len(ids)))


# --- negatives: quoted identifiers and psycopg2.sql composition -------------------


def quoted_identifier(engine, conn, table):
    # ok: dbs401-sql-built-from-strings
    conn.execute(text("DROP TABLE %s" % engine.dialect.identifier_preparer.quote(table)))


def quoted_through_a_local(engine, conn, table):
    preparer = engine.dialect.identifier_preparer
    name = preparer.quote(table)
    # ok: dbs401-sql-built-from-strings
    conn.execute(text(f"TRUNCATE TABLE {name}"))


def quote_identifier_helper(cursor, quote_identifier, table):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM %s" % quote_identifier(table))


def psycopg2_composition(cur, table):
    # ok: dbs401-sql-built-from-strings
    cur.execute(sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table)), (1,))
    query = sql.SQL("DELETE FROM {}").format(sql.Identifier(table))
    # ok: dbs401-sql-built-from-strings
    cur.execute(query)


# --- negatives: placeholder lists --------------------------------------------------


def placeholder_list(session, ids):
    params = {}
    names = []
    for i, value in enumerate(ids):
        names.append(":p%d" % i)
        params["p%d" % i] = value
    # ok: dbs401-sql-built-from-strings
    session.execute(text("DELETE FROM t WHERE id IN (%s)" % ", ".join(names)), params)


def placeholder_repeat(cursor, ids):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t WHERE id IN (%s)" % ", ".join(["%s"] * len(ids)), ids)
    marks = ",".join("?" * len(ids))
    # ok: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM t WHERE id IN ({marks})", ids)


def placeholder_names(session, values):
    # ok: dbs401-sql-built-from-strings
    session.execute(text("UPDATE t SET a = 1 WHERE k IN (%s)" % ", ".join(":%s" % k for k in values)), values)


def placeholder_comprehension(session, ids):
    marks = [f":id{i}" for i in range(len(ids))]
    # ok: dbs401-sql-built-from-strings
    session.execute(text(f"SELECT * FROM t WHERE id IN ({', '.join(marks)})"))


def placeholder_names_from_keys(connectable, skip_tables):
    # oslo.db's get_non_innodb_tables: bind names built from an index
    query_str = "SELECT table_name FROM information_schema.tables WHERE engine != 'InnoDB'"
    params = {"skip_%s" % i: name for i, name in enumerate(skip_tables)}
    placeholders = ", ".join(":" + p for p in params)
    query_str += " AND table_name NOT IN (%s)" % placeholders
    # ok: dbs401-sql-built-from-strings
    query = text(query_str)
    with connectable.connect() as conn:
        return conn.execute(query, params)


# --- negatives: not SQL ---------------------------------------------------------


def task_queue_runner(task_queue, x):
    # not session-like and not SQL-looking
    # ok: dbs401-sql-built-from-strings
    task_queue.execute(f"run {x}")


def shell_runner(host):
    # ok: dbs401-sql-built-from-strings
    subprocess.run(f"ssh {host} uptime", shell=True)


def processutils_execute(processutils, path):
    # ok: dbs401-sql-built-from-strings
    processutils.execute("rm -rf %s" % path)


def command_list_runner(processutils, path, option, value):
    # nova's qemu-img call: a 'create' argument next to a built one is no SQL
    cmd = ["qemu-img", "create", "-o", f"encrypt.{option}={value}"]
    # ok: dbs401-sql-built-from-strings
    processutils.execute(*cmd)
    # ok: dbs401-sql-built-from-strings
    processutils.execute(cmd[0], "create", path)


def log_message(name):
    # ok: dbs401-sql-built-from-strings
    LOG.info(f"SELECT done for {name}")


def text_is_not_sqlalchemy(widget, name):
    # ok: dbs401-sql-built-from-strings
    widget.text(f"SELECT {name}")


def imported_and_enum_constants(sa_column, Status, tbl):
    # mlflow's column defaults: an imported UPPER_CASE constant and an enum
    # member's value are constants, their literal lives in another module
    sa_column(
        # ok: dbs401-sql-built-from-strings
        server_default=sa.text(f"'{DEFAULT_WORKSPACE_NAME}'"),
    )
    # ok: dbs401-sql-built-from-strings
    sa_column(server_default=sa.text(f"'{Status.DRAFT.value}'"))
    # a lowercase attribute is still a value
    # ruleid: dbs401-sql-built-from-strings
    sa_column(server_default=sa.text(f"'{tbl.default_name}'"))


def numbers_from_math(connection, timeout_seconds):
    # mlflow's lock timeouts: ceil()/max() of numbers are numbers
    # ok: dbs401-sql-built-from-strings
    connection.exec_driver_sql(f"SET SESSION lock_wait_timeout = {max(1, ceil(timeout_seconds))}")
    timeout_ms = max(1, math.ceil(timeout_seconds * 1000))
    # ok: dbs401-sql-built-from-strings
    connection.exec_driver_sql(f"SET LOCK_TIMEOUT {timeout_ms}")


# --- where Semgrep reads the shape, not the data flow ----------------------------

TABLE_FROM_CONFIG = load_table_name()


def upper_case_bound_to_a_value(cursor):
    # an UPPER_CASE name is a constant only when it is bound to a literal
    # todoruleid: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM {TABLE_FROM_CONFIG}")


def number_in_a_local(cursor, ids):
    limit = len(ids)
    # todook: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM t LIMIT %s" % limit)


def engine_format(engine, name):
    # issue 14: .format() on a receiver that is not session-like
    # ruleid: dbs401-sql-built-from-strings
    engine.execute("SELECT * FROM users WHERE name = '{}'".format(name))


async def asyncpg_format(con, name):
    # ruleid: dbs401-sql-built-from-strings
    await con.execute("SELECT * FROM users WHERE name = {}".format(name))


async def asyncpg_fstring(con, name):
    # ruleid: dbs401-sql-built-from-strings
    await con.execute(f"DELETE FROM users WHERE name = '{name}'")


def quoted_through_a_module(cursor, ext, table):
    # ok: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM %s" % ext.quote_ident(table))


async def asyncpg_bound_values(con, name, query):
    # every argument after the SQL is a bound value
    # ok: dbs401-sql-built-from-strings
    await con.execute("SELECT * FROM t WHERE a = $1 AND b LIKE $2", name, f"%{query}%")
    # ok: dbs401-sql-built-from-strings
    con.execute("SELECT * FROM t WHERE b LIKE :q", parameters={"q": f"%{query}%"})


def quoted_identifiers_in_locals(db, quote_identifier, table, column, columns, rename):
    # sqlite-utils: names quoted into locals, joins of quoted names
    table_quoted = quote_identifier(table)
    column_quoted = quote_identifier(column)
    # ok: dbs401-sql-built-from-strings
    db.execute(f"select count(*) from {table_quoted} where {column_quoted} is null")
    all_null = " AND ".join(f"{quote_identifier(c)} IS NULL" for c in columns)
    same = " AND ".join(
        f"{quote_identifier(table)}.{quote_identifier(rename.get(c) or c)} IS {quote_identifier(c)}"
        for c in columns
    )
    # ok: dbs401-sql-built-from-strings
    db.execute(
        "UPDATE {} SET x = 1 WHERE NOT ({all_null}) AND {same}".format(
            quote_identifier(table),
            all_null=all_null,
            same=same,
        )
    )
    # ok: dbs401-sql-built-from-strings
    db.execute("SELECT {} FROM t".format(", ".join(quote_identifier(c) for c in columns)))


# --- values the SQL cannot be injected through (issue 11/12) ----------------------

import secrets as _secrets
import uuid


class Counts:
    _counts_table = "_counts"

    def quote_name(self, name):
        return '"' + name.replace('"', '""') + '"'

    def refresh(self, conn, table, index_name):
        savepoint = f"sp_{_secrets.token_hex(8)}"
        # ok: dbs401-sql-built-from-strings
        conn.execute(f"SAVEPOINT {savepoint}")
        # todook: dbs401-sql-built-from-strings
        conn.execute(f"DELETE FROM {self._counts_table} WHERE t = ?", (table,))
        # todook: dbs401-sql-built-from-strings
        conn.execute(f"DROP TABLE {self.quote_name(table)}")
        # todook: dbs401-sql-built-from-strings
        conn.execute(f"DROP INDEX {sa.column(index_name)}")
        # ruleid: dbs401-sql-built-from-strings
        conn.execute(f"DROP TABLE [{table}]")


class PostgresConnectionConfig(BaseModel):
    # sqlmesh: a pydantic field's default is not its value; the configuration is
    role: Optional[str] = None
    SCHEMA: ClassVar[str] = "public"

    def init(self, cursor):
        # ruleid: dbs401-sql-built-from-strings
        cursor.execute(f"SET ROLE {self.role}")
        # ok: dbs401-sql-built-from-strings
        cursor.execute(f"SET search_path TO {self.SCHEMA}")


def numbers_by_annotation(conn, table: str, limit: int, offset: "int | None" = None):
    # todook: dbs401-sql-built-from-strings
    conn.execute(f"SELECT * FROM t LIMIT {limit} OFFSET {offset or 0}")
    # ruleid: dbs401-sql-built-from-strings
    conn.execute(f"SELECT * FROM {table} LIMIT {limit}")


def random_names(conn, name):
    # sqlite-utils: savepoint and scratch-table names from secrets.token_hex()
    # (hex digits cannot change the SQL's structure)
    savepoint = f"sp_{_secrets.token_hex(16)}"
    # ok: dbs401-sql-built-from-strings
    conn.execute(f"SAVEPOINT {savepoint};")
    table_name = "t" + uuid.uuid4().hex
    scratch = _secrets.token_hex(8)
    # ok: dbs401-sql-built-from-strings
    conn.execute(f"create table {scratch} (name text)")
    # ok: dbs401-sql-built-from-strings
    conn.execute(f"drop table t{uuid.uuid4().hex}")
    # ruleid: dbs401-sql-built-from-strings
    conn.execute(f"drop table {table_name}_{name}")


def one_of_two_literals(conn, native_json, unique, name):
    # ckan's datastore: a conditional between two literals is one of them
    # ok: dbs401-sql-built-from-strings
    conn.execute(sa.text('CREATE TYPE "nested" AS (json {0}, extra text)'.format(
        'json' if native_json else 'text')))
    # ok: dbs401-sql-built-from-strings
    conn.execute(f"SELECT * FROM t WHERE unique_flag = {'true' if unique else 'false'}")
    # ruleid: dbs401-sql-built-from-strings
    conn.execute(f"SELECT * FROM {name if unique else 'other'}")


# Numbers by provenance: the groups of a regex match whose pattern captures
# only digits ((\d+), [0-9]{1,3}) are digits in text (zuul's statement
# timeout hint). Semgrep does not read the pattern behind the match.
TIMEOUT_HINT_RE = re.compile(r"/\* statement_timeout=(\d+) \*/")
NAME_HINT_RE = re.compile(r"/\* schema=(\w+) \*/")


def timeout_from_hint(cursor, stmt):
    match = TIMEOUT_HINT_RE.search(stmt)
    if match:
        # todook: dbs401-sql-built-from-strings
        cursor.execute("SET LOCAL statement_timeout=%s" % match.groups())
        # todook: dbs401-sql-built-from-strings
        cursor.execute(f"SET LOCAL statement_timeout={match.group(1)}")
    size = re.fullmatch(r"([0-9]{1,6})kb", stmt)
    # todook: dbs401-sql-built-from-strings
    cursor.execute("PRAGMA cache_size=-%s" % size[1])


def schema_from_hint(cursor, stmt):
    match = NAME_HINT_RE.search(stmt)
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SET search_path=%s" % match.groups())
    parts = re.match(r"(\d+)\.(\w+)", stmt)
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM {parts.group(2)}")
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute(f"SELECT * FROM t{parts.group(0)}")


# Parameters given a constant by every caller the project model resolves:
# the SQL can only say what those callers' source says (sqlite-utils' and
# synapse's table helpers). A parameter any caller fills with other data, or
# one of a function nobody in the project calls, is still judged on its own.
# Semgrep sees one function at a time.
def _count_rows(cursor, table, where="1 = 1"):
    # todook: dbs401-sql-built-from-strings
    cursor.execute("SELECT count(*) FROM %s WHERE %s" % (table, where))
    return cursor.fetchone()


def _count_through(cursor, table):
    return _count_rows(cursor, table)


def counts(cursor):
    _count_rows(cursor, "users")
    _count_rows(cursor, TABLE, where="id > 0")
    _count_through(cursor, "orders")


def _fix_autoincrement(conn, table_name):
    # dallinger: every caller passes a model's table name, which the
    # program's own schema declares
    # todook: dbs401-sql-built-from-strings
    conn.execute("select setval('{0}_id_seq', max(id)) from {0}".format(table_name))


def ingest(conn, model):
    _fix_autoincrement(conn, model.__table__.name)


def _rows_named(cursor, name):
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM people WHERE name = '%s'" % name)


def rows_for(cursor, request):
    _rows_named(cursor, "admin")
    _rows_named(cursor, request.args["name"])


class TableRepo:
    def __init__(self, cursor):
        self.cursor = cursor

    def drop(self, table):
        # ruleid: dbs401-sql-built-from-strings
        self.cursor.execute("DROP TABLE %s" % table)

    def drop_scratch(self):
        self.drop("scratch")

    def drop_named(self, name):
        self.drop(name)  # nobody in the project calls drop_named: not constant


# Project helpers that return SQL text built only from constants,
# placeholders and their parameters (synapse's make_in_list_sql_clause,
# which returns (clause, args)): the text is as safe as the arguments each
# call passes for those parameters. Semgrep sees one function at a time.
def in_list_clause(engine, column, values, *, negative=False):
    if not values:
        return ("TRUE" if negative else "FALSE"), []
    marks = ",".join("?" for _ in values)
    if negative:
        clause = f"{column} NOT IN ({marks})"
    else:
        clause = f"{column} IN ({marks})"
    return clause, list(values)


def name_clause(column):
    return "%s = ?" % column


def users_in(cursor, ids):
    clause, args = in_list_clause(cursor.engine, "user_id", ids)
    # todook: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE " + clause, args)
    # todook: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE %s" % name_clause("name"), ("bob",))


def users_in_column(cursor, ids, column):
    clause, args = in_list_clause(cursor.engine, column, ids)
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE " + clause, args)
    # ruleid: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM users WHERE %s" % name_clause(column), ("bob",))


def search_where(thread_id, before=None):
    # langgraph's checkpointer: constant predicates collected in a list, the
    # clause returned only when there is one
    wheres = []
    params = []
    if thread_id:
        wheres.append("thread_id = %s")
        params.append(thread_id)
    if before is not None:
        wheres.append("checkpoint_id < %s")
        params.append(before)
    return ("WHERE " + " AND ".join(wheres) if wheres else "", params)


def checkpoints(cursor, thread_id, before):
    where, args = search_where(thread_id, before)
    # todook: dbs401-sql-built-from-strings
    cursor.execute("SELECT * FROM checkpoints " + where + " ORDER BY checkpoint_id DESC", args)


class IvfflatIndex:
    """agno's pgvector index settings: a pydantic model's number fields."""

    lists: int = 100
    probes: int = 10
    label: str = "ivfflat"


class VectorSearch:
    def __init__(self, index):
        self.vector_index = index

    def search(self, cur):
        # the project declares probes only as an int field
        # todook: dbs401-sql-built-from-strings
        cur.execute(f"SET LOCAL ivfflat.probes = {self.vector_index.probes}")
        # ruleid: dbs401-sql-built-from-strings
        cur.execute(f"SET LOCAL search.label = {self.vector_index.label}")


# --- every assignment that may reach the execute counts (mycli's \dt) ---------
def describe_table(cur, arg):
    if arg:
        query = f"SHOW FIELDS FROM {arg}"
    else:
        query = "SHOW TABLES"
    # the f-string of the if branch reaches it, not only the last assignment
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(query)


def rebuilt_before_use(cur, arg, lock):
    query = f"SHOW FIELDS FROM {arg}"
    with lock:
        query = "SHOW TABLES"
    # the with block always runs: only the constant reaches the execute
    # ok: dbs401-sql-built-from-strings
    cur.execute(query)
    if arg:
        query = "SHOW DATABASES"
    else:
        query = "SHOW TABLES"
    # ok: dbs401-sql-built-from-strings
    cur.execute(query)


def users_sorted(session, request, columns):
    sort = request.args.get("sort", "id")
    if sort not in columns.keys():
        sort = "id"
    order = request.args.get("order", "")
    if not order in ["asc", "desc"]:
        order = "asc"
    # an allow-list reset before it: sort is a column name, order asc or desc
    # (calibre-web's user list); Semgrep does not read the guard
    # todook: dbs401-sql-built-from-strings
    return session.execute(text(sort + " " + order))


def events_ordered(cur, order, column):
    # an allow-list that rejects: past the raise, order is "asc" or "desc"
    # (also as order.lower()); Semgrep does not read the guard
    if order.lower() not in ("asc", "desc"):
        raise ValueError(f"bad sort order {order!r}")
    # todook: dbs401-sql-built-from-strings
    cur.execute(f"SELECT * FROM events ORDER BY id {order}")
    if column in ("id", "ts"):
        raise ValueError(column)  # the test is the wrong way round: nothing is allowed
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(f"SELECT {column} FROM events")


def events_checked_too_late(cur, order, strict, requested):
    if strict:
        if order not in ("asc", "desc"):
            raise ValueError(order)  # only on one path
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(f"SELECT * FROM events ORDER BY id {order}")
    if order not in ("asc", "desc"):
        raise ValueError(order)
    order = requested
    # rebound after the check
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(f"SELECT * FROM events ORDER BY id {order}")


class VectorIndex:
    def __init__(self, strategy, dims):
        # open-webui's MariaDB store: the strategy is checked right after it
        # is stored, the dimension is a number
        self.strategy = (strategy or "cosine").strip().lower()
        self.dims = int(dims)
        if self.strategy not in {"cosine", "euclidean"}:
            raise ValueError("strategy must be 'cosine' or 'euclidean'")
        self.label = strategy

    def create(self, cur):
        dist = self.strategy
        # todook: dbs401-sql-built-from-strings
        cur.execute(f"CREATE TABLE chunks (embedding VECTOR({self.dims}), VECTOR INDEX (embedding) DISTANCE={dist})")
        # ruleid: dbs401-sql-built-from-strings
        cur.execute(f"CREATE TABLE chunks_{self.label} (id INT)")


SAFE_IDENTIFIER = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,127}$")
PREFIX_ONLY = re.compile(r"^[a-zA-Z_]\w*")


def validate_identifier(name, label="identifier"):
    """mem0's vector stores: raises unless the name is a plain identifier."""
    if not SAFE_IDENTIFIER.match(name):
        raise ValueError(f"invalid {label}: {name!r}")
    return name


def check_prefix(name):
    # anchored at the start only: "users; DROP TABLE x" passes
    if not PREFIX_ONLY.match(name):
        raise ValueError(name)
    return name


class CollectionStore:
    def __init__(self, keyspace, collection):
        self.keyspace = validate_identifier(keyspace, "keyspace")
        self.collection = check_prefix(collection)

    def drop(self, cur, name):
        validate_identifier(name, "table")
        # the project's validator checked both names; Semgrep cannot read it
        # todook: dbs401-sql-built-from-strings
        cur.execute(f"DROP TABLE {self.keyspace}.{name}")

    def drop_collection(self, cur):
        # ruleid: dbs401-sql-built-from-strings
        cur.execute(f"DROP TABLE {self.keyspace}.{self.collection}")

    def drop_checked_inline(self, cur, name):
        if re.fullmatch(r"[a-z_]+", name) is None:
            raise ValueError(name)
        # todook: dbs401-sql-built-from-strings
        cur.execute(f"DROP TABLE {name}")


def pragmas(conn, cache_mb, fsync):
    # arithmetic with a number literal gives a number (huey's sqlite storage)
    # ok: dbs401-sql-built-from-strings
    conn.execute("pragma cache_size=%s" % (-1000 * cache_mb))
    # ok: dbs401-sql-built-from-strings
    conn.execute("pragma synchronous=%s" % (2 if fsync else 0))
    # ok: dbs401-sql-built-from-strings
    conn.execute(f"pragma mmap_size={cache_mb * 1024}")


def tickets_ordered_by(env, field):
    with env.db_query as db:
        # a connection wrapper's quote() quotes the name (trac)
        sql = "SELECT id FROM ticket ORDER BY %s" % db.quote(field)
        cursor = db.cursor()
        # ok: dbs401-sql-built-from-strings
        cursor.execute(sql)


def tickets_with_column(env, field):
    with env.db_query as db:
        # a tuple of quoted names: each item is read on its own
        sql = "SELECT id, %s FROM ticket ORDER BY %s" % (db.quote(field), db.quote(field))
        # ok: dbs401-sql-built-from-strings
        db.execute(sql)


class LockingBackend:
    def delete_lock(self, cursor, pid, column):
        # a local bound to a quoting function quotes (yoyo's backends)
        qi = self.quote_identifier
        # todook: dbs401-sql-built-from-strings
        cursor.execute(f"DELETE FROM locks WHERE {qi(column)} = %s", (pid,))


# --- names the program's own schema declares (round J) -----------------------


def reset_sequences(conn, Model, table):
    # a model's table name and its columns' names are in the code, like a
    # constant; DDL cannot bind identifiers (calibre-web's _migrate_table)
    # ok: dbs401-sql-built-from-strings
    conn.execute(text(f"ALTER TABLE {Model.__tablename__} ADD COLUMN flag INTEGER"))
    # ok: dbs401-sql-built-from-strings
    conn.execute(text(f"ALTER SEQUENCE {Model.__table__.name}_id_seq RESTART WITH 1"))
    # ok: dbs401-sql-built-from-strings
    conn.execute(text(f"UPDATE {Model.__table__} SET {Model.__table__.c.id.name} = 0"))
    schema = Model.__table__
    for column in schema.columns:
        # the pack does not follow the loop back to the model's table
        # todook: dbs401-sql-built-from-strings
        conn.execute(text(f"UPDATE {schema.name} SET {column.name} = NULL"))
    for column in table.columns:
        # a table that arrives as a parameter may be anyone's
        # ruleid: dbs401-sql-built-from-strings
        conn.execute(text(f"UPDATE stats SET {column.name} = NULL"))
    # .name of anything else is a value (a user's name, a form field)
    # ruleid: dbs401-sql-built-from-strings
    conn.execute(text(f"DELETE FROM {Model.name}"))


class SavepointTransaction:
    """databases' backends: the savepoint name is made in start() from a
    UUID and spliced in commit(); every store of the attribute is safe."""

    def start(self):
        suffix = str(uuid.uuid4()).replace("-", "_")
        self._savepoint_name = f"SAVEPOINT_{suffix}"
        # ok: dbs401-sql-built-from-strings
        self._cursor.execute(f"SAVEPOINT {self._savepoint_name}")

    def commit(self):
        # ok: dbs401-sql-built-from-strings
        self._cursor.execute(f"RELEASE SAVEPOINT {self._savepoint_name}")


class SavepointRenamed:
    def start(self):
        self._savepoint_name = f"SP_{uuid.uuid4().hex}"

    def rename(self, name):
        self._savepoint_name = name

    def commit(self):
        # another store takes a parameter: flake8 reads every store, the pack
        # only that one store of random text exists
        # todoruleid: dbs401-sql-built-from-strings
        self._cursor.execute(f"RELEASE SAVEPOINT {self._savepoint_name}")


class RenamedTable:
    def __init__(self, name):
        self._table = "events"
        if name:
            self._table = name

    def purge(self):
        # one store of the attribute takes a parameter
        # ruleid: dbs401-sql-built-from-strings
        self._cursor.execute(f"DELETE FROM {self._table}")


# --- a nested helper's callers (round K) ---------------------------------------


def add_account_columns(conn):
    def add_column(table):
        # every call of the nested helper in its enclosing function passes a
        # literal, and nothing else can call it (mautrix's upgrade steps);
        # the pack reads one function at a time
        # todook: dbs401-sql-built-from-strings
        conn.execute(f"ALTER TABLE {table} ADD COLUMN account_id TEXT")

    add_column("crypto_account")
    add_column("crypto_session")


def add_user_columns(conn, user_table):
    def add_column(table):
        # one call passes the enclosing function's parameter
        # ruleid: dbs401-sql-built-from-strings
        conn.execute(f"ALTER TABLE {table} ADD COLUMN account_id TEXT")

    add_column("crypto_account")
    add_column(user_table)


def column_adder(conn):
    def add_column(table):
        # the helper is returned: its callers are anyone's
        # ruleid: dbs401-sql-built-from-strings
        conn.execute(f"ALTER TABLE {table} ADD COLUMN account_id TEXT")

    add_column("crypto_account")
    return add_column


def source_status(cur, source):
    # the driver renders the bound value: a literal template, no taint
    where = cur.mogrify("WHERE t_source = %s", (source,))
    # ok: dbs401-sql-built-from-strings
    cur.execute("SELECT * FROM t_sources %s" % where)
    # psycopg2's mogrify gives bytes, decoded for the text
    text_filter = cur.mogrify("WHERE t_source = %s", (source,)).decode()
    # ok: dbs401-sql-built-from-strings
    cur.execute("SELECT * FROM t_sources %s" % text_filter)
    # the same value in a tuple of one (pg_chameleon's shape)
    # ok: dbs401-sql-built-from-strings
    cur.execute("SELECT * FROM t_sources %s" % (where,))


def column_status(cur, column, value):
    # the template itself splices a name: mogrify binds only the values
    where = cur.mogrify(f"WHERE {column} = %s", (value,))
    # ruleid: dbs401-sql-built-from-strings
    cur.execute("SELECT * FROM t_sources %s" % (where,))


# module-level names bound once to literals (oncall's fragment maps)
team_constraints = {
    "name": "`team`.`name` = %s",
    "id": "`team`.`id` = %s",
}
team_columns = {"name": "`name`", "email": "`email`"}
filled_later = {"name": "`name`"}
rebound_later = {"name": "`name`"}


def teams_where(cur, keys, values):
    where = " AND ".join(team_constraints[key] for key in keys)
    # todook: dbs401-sql-built-from-strings
    cur.execute("SELECT * FROM team WHERE %s" % where, values)
    # nothing in the module changes the map: its items are constants
    # todook: dbs401-sql-built-from-strings
    cur.execute("SELECT %s FROM team" % team_columns["name"])


def teams_filled(cur, req):
    filled_later[req.name] = req.value
    # the map is changed in the module: its items are not known
    # ruleid: dbs401-sql-built-from-strings
    cur.execute("SELECT %s FROM team" % filled_later["name"])


def teams_rebound(cur, req):
    global rebound_later
    rebound_later = req.params
    # ruleid: dbs401-sql-built-from-strings
    cur.execute("SELECT %s FROM team" % rebound_later["name"])


NAMESPACE_TABLES = {"doc": "DOC_CHUNKS", "entity": "VDB_ENTITY"}


def namespace_table(namespace):
    for key, table in NAMESPACE_TABLES.items():
        if namespace.endswith(key):
            return table
    return None


def drop_namespace(cur, namespace, workspace):
    table = namespace_table(namespace)
    # the helper returns one of a constant map's values
    # todook: dbs401-sql-built-from-strings
    cur.execute(f"DELETE FROM {table} WHERE workspace = %s", (workspace,))


async def add_missing_columns(db, existing_names):
    # lightrag's migration: names unpacked from a local list of literal pairs
    columns_to_add = [
        ("heading", "JSONB NULL DEFAULT '{}'::jsonb"),
        ("sidecar", "JSONB NULL"),
    ]
    for col_name, col_type in columns_to_add:
        if col_name in existing_names:
            continue
        alter_sql = f"ALTER TABLE LIGHTRAG_DOC_CHUNKS ADD COLUMN {col_name} {col_type}"
        # ok: dbs401-sql-built-from-strings
        await db.execute(alter_sql)


async def add_requested_columns(db, requested):
    columns_to_add = [("heading", "JSONB NULL"), requested]
    for col_name, col_type in columns_to_add:
        # ruleid: dbs401-sql-built-from-strings
        await db.execute(f"ALTER TABLE LIGHTRAG_DOC_CHUNKS ADD COLUMN {col_name} {col_type}")


SHARD_RANGE_KEYS = ("name", "timestamp", "lower", "upper")
SHARD_RANGE_TABLE = "shard_range"


def merge_shard_ranges(curs, chunk):
    # swift's broker: a tuple of constants, a join of a constant and of
    # placeholder marks
    # ok: dbs401-sql-built-from-strings
    curs.execute(
        "SELECT %s FROM %s "
        "WHERE deleted IN (0, 1) AND name IN (%s)" %
        (", ".join(SHARD_RANGE_KEYS), SHARD_RANGE_TABLE,
         ",".join("?" * len(chunk))), chunk)


def shard_ranges_of(curs, table):
    # one item of the tuple is a value
    # ruleid: dbs401-sql-built-from-strings
    curs.execute("SELECT %s FROM %s" % (", ".join(SHARD_RANGE_KEYS), table))


def get_sync(conn, incoming, remote_id):
    # a choice between two literals is a constant
    # ok: dbs401-sql-built-from-strings
    return conn.execute(
        "SELECT sync_point FROM %s_sync WHERE remote_id=?"
        % ("incoming" if incoming else "outgoing"), (remote_id,)).fetchone()


def get_sync_of(conn, incoming, direction, remote_id):
    # ruleid: dbs401-sql-built-from-strings
    return conn.execute(
        "SELECT sync_point FROM %s_sync WHERE remote_id=?"
        % (direction if incoming else "outgoing"), (remote_id,)).fetchone()


def merge_items(curs, new_version, names):
    # a local bound to a literal in each branch
    if new_version:
        query_mod = " deleted IN (0, 1) AND "
    else:
        query_mod = ""
    # ok: dbs401-sql-built-from-strings
    curs.execute("SELECT name FROM object WHERE " + query_mod + " name = ?", names)


def merge_items_where(curs, new_version, where, names):
    if new_version:
        query_mod = " deleted IN (0, 1) AND "
    else:
        query_mod = where
    # ruleid: dbs401-sql-built-from-strings
    curs.execute("SELECT name FROM object WHERE " + query_mod + " name = ?", names)


def policy_stats(conn):
    # a join of a local list of literals nothing appends to
    columns = ["container_count", "object_count", "bytes_used"]
    # ok: dbs401-sql-built-from-strings
    return conn.execute("SELECT %s FROM policy_stat" % ", ".join(columns)).fetchall()


def policy_stats_with(conn, extra):
    columns = ["container_count", "object_count"]
    columns.append(extra)
    # ruleid: dbs401-sql-built-from-strings
    return conn.execute("SELECT %s FROM policy_stat" % ", ".join(columns)).fetchall()


class StructureCheck:
    _STRUCTURE_TABLE_OWNERS = {"agent_turns": {"session_id": []}, "turn_usage": {"turn_id": []}}

    def foreign_keys(self, conn):
        for table, columns in self._STRUCTURE_TABLE_OWNERS.items():
            # a class constant map's keys
            # ok: dbs401-sql-built-from-strings
            yield conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()

    def foreign_keys_of(self, conn, tables):
        for table, columns in tables.items():
            # ruleid: dbs401-sql-built-from-strings
            yield conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()

    @classmethod
    def _quote_identifier(cls, connection, name):
        return connection.dialect.identifier_preparer.quote(name)

    @classmethod
    async def create_database(cls, connection, database):
        quote = cls._quote_identifier(connection, database)
        # a project quoting helper, through a local
        # ok: dbs401-sql-built-from-strings
        await connection.execute(sqlalchemy.text(f"CREATE DATABASE {quote}"))


def remove_tiles(db, coords):
    # one literal condition repeated, joined
    stmt_base = "DELETE FROM tiles WHERE "
    stmt = stmt_base + "(" + " OR ".join(
        ["(tile_column = ? AND tile_row = ? AND zoom_level = ?)"] * (len(coords) // 3)) + ")"
    cursor = db.cursor()
    # ok: dbs401-sql-built-from-strings
    cursor.execute(stmt, coords)


class OracleProvider:
    def get(self, cursor, identifier, manipulator):
        sql_query = f"SELECT * FROM {self.table} t1 WHERE {self.id_field} = :in_id"
        bind_variables = {"in_id": identifier}
        if manipulator:
            # a plugin may rewrite the query: on the other path the built
            # text reaches the call (pygeoapi's sql_manipulator)
            sql_query, bind_variables = manipulator.process_get(sql_query, bind_variables)
        # ruleid: dbs401-sql-built-from-strings
        cursor.execute(sql_query, bind_variables)

    def get_rewritten(self, cursor, identifier, manipulator):
        sql_query = f"SELECT * FROM {self.table} t1 WHERE {self.id_field} = :in_id"
        # always rewritten by a call whose result is not known to be built
        sql_query, bind_variables = manipulator.process_get(sql_query, {"in_id": identifier})
        # ok: dbs401-sql-built-from-strings
        cursor.execute(sql_query, bind_variables)


def describe_tables(cur, pattern):
    cur.execute(
        "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c"
        " LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname ~ %(pattern)s", {"pattern": pattern})
    results = []
    for oid, nspname, relname in cur.fetchall():
        # a catalog OID read back by the function's own SELECT: a number
        # ok: dbs401-sql-built-from-strings
        cur.execute(f"SELECT relkind FROM pg_catalog.pg_class WHERE oid = '{oid}'")
        # the name column of the same rows is text
        # ruleid: dbs401-sql-built-from-strings
        cur.execute(f'SELECT count(*) FROM "{nspname}"."{relname}"')
        results.append(describe_one_table(cur, relname, oid))
    return results


def describe_one_table(cur, relation_name, oid):
    # every call of this helper passes a catalog OID unpacked from fetched rows
    # ok: dbs401-sql-built-from-strings
    cur.execute(f"SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = '{oid}'")
    return cur.fetchall()


def count_rows(cur, table_ids, verbose):
    if verbose:
        cur.execute("SELECT relname, count(*) FROM pg_catalog.pg_class GROUP BY relname")
    else:
        cur.execute("SELECT count(*), relname FROM pg_catalog.pg_class GROUP BY relname")
    for total, name in cur.fetchall():
        # one of the two statements returns the name first: not a number on every path
        # ruleid: dbs401-sql-built-from-strings
        cur.execute(f"SELECT {total} AS n FROM pg_catalog.pg_class WHERE relname = 'x'")
    row_id, label = cur.execute("SELECT id, label FROM items").fetchone()
    # an id column is not known to be a number from the text alone
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(f"DELETE FROM items WHERE id = {row_id}")


def canonicalize_identifier(identifier):
    return identifier.replace('"', '""')


def fully_qualified_table_name(schema, table):
    return f'"{canonicalize_identifier(schema)}"."{canonicalize_identifier(table)}"'


def quoted_column(column):
    column_name = f' "{canonicalize_identifier(column)}" '
    return column_name


def dotted_name(schema, table):
    return f"{canonicalize_identifier(schema)}.{table}"


def max_key(cur, schema, table, key, columns):
    # helpers that return literal text around the results of a quoting helper quote too
    # todook: dbs401-sql-built-from-strings
    cur.execute(f"SELECT max({quoted_column(key)}) FROM {fully_qualified_table_name(schema, table)}")
    # todook: dbs401-sql-built-from-strings
    cur.execute(f"SELECT {','.join(map(quoted_column, columns))} FROM {fully_qualified_table_name(schema, table)}")
    # the table name is spliced as it is: not a quoting helper
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(f"SELECT * FROM {dotted_name(schema, table)}")


class AsyncQueue:
    _TABLE_NAME = "queue"
    _SQL_INSERT = "INSERT INTO {table_name} (data) VALUES (?)"

    def __init__(self, conn, name):
        self._conn = conn
        self.name = name

    @property
    def _table_name(self):
        return self._TABLE_NAME

    @property
    def prune_table(self):
        """Override to name the table to prune."""
        return None

    def prune(self, cur, column, date):
        # a property that returns None is a hook subclasses override, not the value
        # ruleid: dbs401-sql-built-from-strings
        cur.execute("delete from %s where %s >= %s" % (self.prune_table, column, date))

    @property
    def _named_table(self):
        return "{}_{}".format(self._TABLE_NAME, self.name)

    async def put(self, data):
        # a read-only property that returns the class constant
        # ok: dbs401-sql-built-from-strings
        await self._conn.execute(self._SQL_INSERT.format(table_name=self._table_name), (data,))
        # a property built from the constructor's name
        # todoruleid: dbs401-sql-built-from-strings
        await self._conn.execute(self._SQL_INSERT.format(table_name=self._named_table), (data,))


def describe_relation(cur, oid):
    # a parameter named oid that no caller in the project fills: a value to flake8;
    # the pack takes a value named oid (or *_oid) for a PostgreSQL OID, a number
    # todoruleid: dbs401-sql-built-from-strings
    cur.execute(f"SELECT relname FROM pg_catalog.pg_class WHERE oid = '{oid}'")
