"""Fixture for DBS601: session, connection or cursor that leaks on error."""

import contextlib
import socket
import sqlite3
import time
from contextlib import asynccontextmanager, closing, contextmanager
from http.client import HTTPConnection

from psycopg2 import connect as pg_connect

import aiohttp
import psycopg
import psycopg2
import pymysql
import requests
import sqlalchemy as sa
from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, scoped_session, sessionmaker

engine = create_engine("sqlite://")
async_engine = create_async_engine("sqlite+aiosqlite://")
SessionLocal = sessionmaker(bind=engine)
AsyncSessionLocal = async_sessionmaker(async_engine)
ScopedSession = scoped_session(SessionLocal)

# Module-level objects live as long as the process: not checked.
# ok: dbs601-db-resource-not-closed
module_conn = sqlite3.connect("app.db")


# --- leaks -------------------------------------------------------------------------


def close_only_on_the_happy_path(path):
    # ruleid: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM jobs")
    conn.commit()
    conn.close()


def never_closed(dsn):
    # ruleid: dbs601-db-resource-not-closed
    conn = psycopg2.connect(dsn)
    return conn.server_version


def imported_connect(dsn):
    # ruleid: dbs601-db-resource-not-closed
    conn = pg_connect(dsn)
    conn.commit()


async def psycopg3_async(dsn):
    # ruleid: dbs601-db-resource-not-closed
    conn = await psycopg.AsyncConnection.connect(dsn)
    await conn.execute("SELECT 1")


def session_never_closed(item):
    # ruleid: dbs601-db-resource-not-closed
    session = Session(engine)
    session.add(item)
    session.commit()


def factory_session(item):
    # todoruleid: dbs601-db-resource-not-closed
    db = SessionLocal()
    db.add(item)
    db.commit()
    db.close()


def inline_sessionmaker(item):
    # ruleid: dbs601-db-resource-not-closed
    session = sessionmaker(bind=engine)()
    session.merge(item)
    session.commit()


def used_once_and_dropped():
    # ruleid: dbs601-db-resource-not-closed
    engine.connect().execute(sa.text("SELECT 1"))


def engine_from_create_engine(url):
    # ruleid: dbs601-db-resource-not-closed
    conn = create_engine(url).connect()
    conn.execute(sa.text("SELECT 1"))


class Repository:
    def __init__(self, engine_):
        self.engine = engine_

    def count(self):
        # ruleid: dbs601-db-resource-not-closed
        conn = self.engine.connect()
        return conn.execute(sa.text("SELECT count(*) FROM t")).scalar()

    def raw(self):
        # ruleid: dbs601-db-resource-not-closed
        raw = self.engine.raw_connection()
        raw.rollback()


def cursor_of_a_borrowed_connection(conn):
    # ruleid: dbs601-db-resource-not-closed
    cur = conn.cursor()
    cur.execute("SELECT 1")
    rows = cur.fetchall()
    cur.close()
    return rows


def leaked_connection_and_its_cursor(path):
    # ruleid: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    # One finding per leak: the cursor goes with the connection made here.
    # ok: dbs601-db-resource-not-closed
    cur = conn.cursor()
    cur.execute("SELECT 1")
    return cur.fetchall()


def cursor_used_once(conn):
    # a temporary client-side cursor: freed as soon as the statement ends
    # ok: dbs601-db-resource-not-closed
    conn.cursor().execute("VACUUM")


def server_side_cursor_used_once(conn):
    # a named (server-side) cursor holds a portal until it is closed
    # ruleid: dbs601-db-resource-not-closed
    conn.cursor(name="big").execute("SELECT * FROM events")
    # ruleid: dbs601-db-resource-not-closed
    conn.cursor("big2").execute("SELECT * FROM events")


def mysql_connection(host):
    # ruleid: dbs601-db-resource-not-closed
    conn = pymysql.connect(host=host)
    with conn.cursor() as cur:
        cur.execute("SELECT 1")
    conn.close()


def borrowed_by_calls(tablename):
    # ruleid: dbs601-db-resource-not-closed
    conn = engine.connect()
    try:
        with conn.begin():
            table = sa.Table(tablename, sa.MetaData(), autoload_with=conn)
    except sa.exc.NoSuchTableError:
        conn.close()
        return 0
    inserts, deletes = split_statements(conn, table)
    conn.close()
    return inserts, deletes


def connection_transaction_block():
    # ruleid: dbs601-db-resource-not-closed
    conn = engine.connect()
    with conn.begin():
        conn.execute(sa.text("DELETE FROM t"))


def closed_in_a_narrow_handler(path):
    # ruleid: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT 1")
    except sqlite3.OperationalError:
        conn.close()
        raise


async def async_session_never_closed(item):
    # ruleid: dbs601-db-resource-not-closed
    session = AsyncSession(async_engine)
    session.add(item)
    await session.commit()


async def awaited_connection():
    # ruleid: dbs601-db-resource-not-closed
    conn = await async_engine.connect()
    await conn.execute(sa.text("SELECT 1"))


async def async_factory_session(item):
    # todoruleid: dbs601-db-resource-not-closed
    session = AsyncSessionLocal()
    session.add(item)
    await session.commit()


# --- owned safely -------------------------------------------------------------------


def with_block(path):
    # ok: dbs601-db-resource-not-closed
    with sqlite3.connect(path) as conn:
        conn.execute("SELECT 1")


def with_closing(path):
    # ok: dbs601-db-resource-not-closed
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("SELECT 1")


def bound_then_with(path):
    # ok: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("SELECT 1")


def bound_then_with_closing(path):
    # ok: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    with closing(conn):
        conn.execute("SELECT 1")


def closed_in_finally(path):
    # ok: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT 1")
    finally:
        conn.close()


def created_inside_try(dsn):
    conn = None
    try:
        # ok: dbs601-db-resource-not-closed
        conn = psycopg2.connect(dsn)
        # the cursor's connection is closed in finally
        # ok: dbs601-db-resource-not-closed
        conn.cursor().execute("SELECT 1")
    finally:
        if conn is not None:
            conn.close()


def closed_in_a_broad_handler(path):
    # ok: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT 1")
    except Exception:
        conn.close()
        raise
    conn.close()


def session_with_block(item):
    # ok: dbs601-db-resource-not-closed
    with Session(engine) as session, session.begin():
        session.add(item)


def session_transaction_block(bind, item):
    # The session is lazy; the end of the transaction block returns its connection.
    # ok: dbs601-db-resource-not-closed
    session = sa.orm.Session(bind=bind)
    with session.begin():
        session.add(item)


async def async_session_transaction_block(item):
    # ok: dbs601-db-resource-not-closed
    session = AsyncSession(async_engine)
    async with session.begin():
        session.add(item)


def factory_with_block(item):
    # ok: dbs601-db-resource-not-closed
    with SessionLocal() as session:
        session.add(item)
        session.commit()


def engine_with_block():
    # ok: dbs601-db-resource-not-closed
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(sa.text("VACUUM"))


def get_db():
    """FastAPI dependency: the framework closes it after the request."""
    # ok: dbs601-db-resource-not-closed
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


@contextmanager
def session_scope():
    # ok: dbs601-db-resource-not-closed
    session = Session(engine)
    yield session
    session.close()


@asynccontextmanager
async def async_session_scope():
    # ok: dbs601-db-resource-not-closed
    session = AsyncSession(async_engine)
    try:
        yield session
    finally:
        await session.close()


def connection_factory(path):
    # ok: dbs601-db-resource-not-closed
    return sqlite3.connect(path)


def returned_through_a_local(dsn):
    # ok: dbs601-db-resource-not-closed
    conn = psycopg2.connect(dsn)
    conn.autocommit = True
    return conn


def returned_in_a_wrapper():
    # ok: dbs601-db-resource-not-closed
    return Repository(Session(engine))


def split_statements(conn, table):
    return conn, table


# A project function that returns a new session: each caller owns (and must
# close) what it gets.
def fresh_session():
    # ok: dbs601-db-resource-not-closed
    session = Session(engine)
    return session


def uses_a_fresh_session():
    # todoruleid: dbs601-db-resource-not-closed
    session = fresh_session()
    session.execute(sa.text("SELECT 1"))


# One that keeps what it returns (a request-wide cache, closed at teardown):
# its callers borrow the same session, as they would db.session.
_REQUEST_STORE = {}


def request_session():
    session = _REQUEST_STORE.get("session")
    if session is None:
        # ok: dbs601-db-resource-not-closed
        session = Session(engine)
        _REQUEST_STORE["session"] = session
    return session


def uses_the_request_session():
    # ok: dbs601-db-resource-not-closed
    session = request_session()
    session.execute(sa.text("SELECT 1"))


class Service:
    def __init__(self, path):
        # ok: dbs601-db-resource-not-closed
        self.conn = sqlite3.connect(path)
        # ok: dbs601-db-resource-not-closed
        self.cursor = self.conn.cursor()

    def open(self):
        # ok: dbs601-db-resource-not-closed
        session = Session(engine)
        self.session = session

    def remember(self):
        # ok: dbs601-db-resource-not-closed
        conn = engine.connect()
        self._connections.append(conn)


def exit_stack(path):
    with contextlib.ExitStack() as stack:
        # ok: dbs601-db-resource-not-closed
        conn = stack.enter_context(sqlite3.connect(path))
        # ok: dbs601-db-resource-not-closed
        other = sqlite3.connect(path)
        stack.callback(other.close)
        conn.execute("SELECT 1")
        other.execute("SELECT 1")


def cursor_of_a_closed_connection(path):
    # ok: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    # A cursor goes with its connection (PEP 249).
    # ok: dbs601-db-resource-not-closed
    cur = conn.cursor()
    try:
        cur.execute("SELECT 1")
    finally:
        conn.close()


class RawConnectionTest:
    def test_cursor(self):
        # ok: dbs601-db-resource-not-closed
        raw = engine.raw_connection()
        self.addCleanup(raw.close)
        # ok: dbs601-db-resource-not-closed
        cursor = raw.cursor()
        cursor.execute("SELECT 1")


def cursor_in_with(conn):
    # ok: dbs601-db-resource-not-closed
    with conn.cursor() as cur:
        cur.execute("SELECT 1")


def cursor_closed_in_finally(conn):
    # ok: dbs601-db-resource-not-closed
    cur = conn.cursor()
    try:
        cur.execute("SELECT 1")
    finally:
        cur.close()


def scoped_sessions_are_not_closed_here(item):
    # ok: dbs601-db-resource-not-closed
    session = ScopedSession()
    session.add(item)
    session.commit()


def migrate_values(op, rows):
    # Alembic owns the migration connection; the session only rides on it.
    # ok: dbs601-db-resource-not-closed
    session = sa.orm.Session(bind=op.get_bind())
    for row in rows:
        session.execute(sa.text("UPDATE t SET x = 1 WHERE id = :id"), {"id": row})
    session.commit()


def session_on_a_bind(op, item):
    bind = op.get_bind()
    # ok: dbs601-db-resource-not-closed
    session = Session(bind=bind)
    session.add(item)
    session.flush()


def session_on_a_connection(conn, item):
    # Semgrep cannot tell a connection from an engine by the bind's name here.
    # todook: dbs601-db-resource-not-closed
    session = Session(bind=conn)
    session.add(item)
    session.flush()


def connection_probe(url):
    # ok: dbs601-db-resource-not-closed
    create_engine(url).connect().close()


def retry_connect(max_retries):
    for _attempt in range(max_retries):
        try:
            # Nothing runs between the creation and the close.
            # ok: dbs601-db-resource-not-closed
            conn = engine.connect()
        except sa.exc.OperationalError:
            continue
        else:
            conn.close()
            return True
    return False


def connection_check(max_retries, retry_interval):
    # oslo.db's _test_async_connection: the error is kept for a re-raise after the loop
    last_error = None
    for _attempt in range(max_retries):
        try:
            # ok: dbs601-db-resource-not-closed
            conn = engine.connect()
        except sa.exc.OperationalError as exc:
            last_error = exc
            time.sleep(retry_interval)
        else:
            conn.close()
            return
    raise last_error


def check_connection(db_url, timeout_secs):
    # dallinger: the handler re-raises, and the statement after the try is
    # the close: nothing can fail in between
    try:
        # ok: dbs601-db-resource-not-closed
        conn = psycopg2.connect(db_url, connect_timeout=timeout_secs)
    except psycopg2.OperationalError as exc:
        raise RuntimeError("is Postgres running?") from exc

    conn.close()


def check_connection_with_work(db_url):
    try:
        # more work after the creation can fail before the close; the pack
        # cannot tell the try body's last statement and leaves it to flake8
        # todoruleid: dbs601-db-resource-not-closed
        conn = psycopg2.connect(db_url)
        conn.cursor().execute("SELECT 1")
    except psycopg2.OperationalError as exc:
        raise RuntimeError("is Postgres running?") from exc
    conn.close()


def opened_and_closed(path):
    # ok: dbs601-db-resource-not-closed
    conn = sqlite3.connect(path)
    conn.close()


def detached_copy(obj):
    # A Session without a bind never holds a connection.
    # ok: dbs601-db-resource-not-closed
    session = Session()
    copy = session.merge(obj, load=False)
    session.expunge(copy)
    return copy


def factories_are_not_resources():
    # ok: dbs601-db-resource-not-closed
    maker = sessionmaker(bind=engine)
    return maker


# --- look-alikes that are not database resources -------------------------------------


def http_session(url):
    # ok: dbs601-db-resource-not-closed
    s = requests.Session()
    return s.get(url).status_code


async def aiohttp_session(url):
    # ok: dbs601-db-resource-not-closed
    client = aiohttp.ClientSession()
    return await client.get(url)


def raw_socket(address):
    sock = socket.socket()
    # ok: dbs601-db-resource-not-closed
    sock.connect(address)


def http_connection(host):
    # ok: dbs601-db-resource-not-closed
    conn = HTTPConnection(host)
    conn.request("GET", "/")
    return conn.getresponse().status


def cursor_in_a_with_item(conn, sqlite_timelimit):
    # datasette's execute(): the connection is held by a with item
    with sqlite_timelimit(conn, 1000):
        # ok: dbs601-db-resource-not-closed
        cursor = conn.cursor()
        cursor.execute("SELECT 1")


def cursor_of_a_with_target(engine):
    with engine.connect() as conn:
        # ok: dbs601-db-resource-not-closed
        cur = conn.cursor()
        cur.execute("SELECT 1")


def cursor_of_an_attribute_of_a_with_target(engine):
    with engine.connect() as conn:
        # ok: dbs601-db-resource-not-closed
        cur = conn.connection.cursor()
        cur.execute("SELECT 1")


def cursor_of_the_dbapi_connection_of_a_parameter(conn):
    # ruleid: dbs601-db-resource-not-closed
    cur = conn.connection.cursor()
    cur.execute("SELECT 1")
    cur.close()


def cursor_of_the_dbapi_connection_of_another_with_target(engine, other):
    with engine.connect() as conn:
        # ruleid: dbs601-db-resource-not-closed
        cur = other.connection.cursor()
        cur.execute("SELECT 1")
        cur.close()


# --- cursors left to a borrowed connection (round M) ----------------------------
# A client-side cursor that the function closes on no path, of a connection it
# did not make, lives as long as the frame and the connection: DB-API code that
# keeps one connection on an object or a transaction and never closes cursors
# (trytond, sydent, barman). Closed on some path, the missing error path counts.


def cursor_of_the_transaction_connection(ids):
    transaction = Transaction()
    # ok: dbs601-db-resource-not-closed
    cursor = transaction.connection.cursor()
    cursor.execute("DELETE FROM t WHERE id = %s", (ids[0],))


class Store:
    def count(self):
        # ok: dbs601-db-resource-not-closed
        cur = self._conn.cursor()
        cur.execute("SELECT count(*) FROM t")
        return cur.fetchone()[0]

    def closed_on_success_only(self):
        # ruleid: dbs601-db-resource-not-closed
        cur = self._conn.cursor()
        cur.execute("SELECT count(*) FROM t")
        n = cur.fetchone()[0]
        cur.close()
        return n

    def closed_through_what_execute_returns(self, sql):
        # feast's Snowflake loader: execute() returns the cursor itself, and
        # that is what the happy path closes
        # ruleid: dbs601-db-resource-not-closed
        cursor = self._conn.cursor()
        result_cursor = cursor.execute(sql)
        rows = result_cursor.fetchall()
        result_cursor.close()
        return rows

    def named_cursor(self):
        # a server-side cursor holds a portal on the server
        # ruleid: dbs601-db-resource-not-closed
        cur = self._conn.cursor(name="scan")
        cur.execute("SELECT * FROM t")
        return cur.fetchmany(10)


def cursor_of_a_parameter_never_closed(conn):
    # ok: dbs601-db-resource-not-closed
    cur = conn.cursor()
    cur.execute("SELECT 1")
    return cur.fetchall()


async def cursor_of_a_connection_made_here(path):
    # mautrix's pool start: the connection comes from a call in this function
    # and is lost with its cursor when an init command fails
    conn = await TxnConnection(path)
    # ruleid: dbs601-db-resource-not-closed
    cur = await conn.cursor()
    await cur.execute("PRAGMA foreign_keys = ON")
    pool.put_nowait(conn)


def cursor_of_a_connection_returned_to_its_pool(database):
    # trytond's security check: the connection goes back to the pool in the
    # finally, and its cursors with it
    conn = database.get_connection()
    try:
        # ok: dbs601-db-resource-not-closed
        cursor = conn.cursor()
        cursor.execute("SELECT 1")
        return cursor.fetchone()
    finally:
        database.put_connection(conn)


# --- engines from calls, borrowed connections (issue 11) ------------------------


def get_engine():
    return sa.create_engine("sqlite://")


def engine_from_a_call():
    # todoruleid: dbs601-db-resource-not-closed
    conn = get_engine().connect()
    return conn.execute(sa.text("SELECT 1")).scalar()


class Borrowing:
    def _count(self, conn):
        return conn.execute(sa.text("SELECT count(*) FROM t")).scalar()

    def _keep(self, conn):
        self.conns.append(conn)

    def passed_to_a_method_that_borrows_it(self):
        # todoruleid: dbs601-db-resource-not-closed
        conn = self.engine.connect()
        return self._count(conn)

    def passed_to_a_method_that_keeps_it(self):
        # todook: dbs601-db-resource-not-closed
        conn = self.engine.connect()
        self._keep(conn)


def handed_on_by_keyword(self, query, streamed):
    # dataset's Table.find(): the streaming connection goes to the result iterator
    stream_conn = None
    if streamed:
        # ok: dbs601-db-resource-not-closed
        stream_conn = self.db.engine.connect()
    return ResultIter(query, connection=stream_conn)


# Handed to the base class's initializer (trac's ConnectionWrapper): the
# object is set up with it, so it is stored on self like ``self.cnx = cnx``.
class ConnectionWrapper:
    def __init__(self, cnx):
        self.cnx = cnx


class SQLiteWrapper(ConnectionWrapper):
    def __init__(self, path):
        # ok: dbs601-db-resource-not-closed
        cnx = sqlite3.connect(path)
        cnx.execute("PRAGMA foreign_keys = ON")
        ConnectionWrapper.__init__(self, cnx)


class PgWrapper(ConnectionWrapper):
    def __init__(self, dsn):
        # ok: dbs601-db-resource-not-closed
        cnx = psycopg2.connect(dsn)
        super().__init__(cnx)


def initializes_another_object(path):
    # ruleid: dbs601-db-resource-not-closed
    cnx = sqlite3.connect(path)
    ConnectionWrapper.__init__(object(), cnx)


# A block managed by hand (ormar's Transaction): ``__aenter__``/``__enter__``
# return the connection itself, and it is stored on self for ``__aexit__``.
class ManualTransaction:
    def __init__(self, database):
        self._database = database

    async def __aenter__(self):
        # ok: dbs601-db-resource-not-closed
        self._connection = await self._database.engine.connect().__aenter__()
        return self

    def open(self, path):
        # ok: dbs601-db-resource-not-closed
        self.cnx = sqlite3.connect(path).__enter__()


def entered_by_hand_and_dropped(path):
    # todoruleid: dbs601-db-resource-not-closed
    cnx = sqlite3.connect(path).__enter__()
    cnx.execute("SELECT 1")


class SqlRunner:
    def connect_to_mysql(self, host, user, password):
        # the connection lives in the closure stored on self: the runner's own
        # query connection, kept as long as the object
        # todook: dbs601-db-resource-not-closed
        conn = pymysql.connect(host=host, user=user, password=password)

        def run_sql_mysql(sql):
            with conn.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()

        self.run_sql = run_sql_mysql

    def probe(self, host, user, password):
        # the closure that reads it is never handed on: a leak
        # ruleid: dbs601-db-resource-not-closed
        conn = pymysql.connect(host=host, user=user, password=password)

        def ping():
            return conn.ping()

        ping()


class GnuCashBook:
    pass


def link_book(session, book, readonly):
    # piecash's adapt_session: the session is stored on the book
    book.session = session
    session.book = book


def open_gnucash_book(engine):
    # the session goes where the book goes: returned to the caller (Semgrep
    # does not read what link_book does with its arguments)
    # todook: dbs601-db-resource-not-closed
    s = Session(bind=engine)
    book = s.query(GnuCashBook).one()
    link_book(s, book=book, readonly=False)
    return book


def open_gnucash_book_and_drop_it(engine):
    # the book that holds the session is dropped: the session leaks
    # ruleid: dbs601-db-resource-not-closed
    s = Session(bind=engine)
    book = GnuCashBook()
    link_book(s, book=book, readonly=False)
    return 1


def get_engine_and_connection(url=None):
    # a factory returning the connection in a tuple (agate-sql): handed on
    if url is None:
        engine = create_engine("sqlite:///:memory:")
        # ok: dbs601-db-resource-not-closed
        connection = engine.connect()
        return None, connection
    engine = create_engine(url)
    # ok: dbs601-db-resource-not-closed
    connection = engine.connect()
    return engine, connection


def connection_and_cursor(path):
    # monasca's _get_cnxn_cursor_tuple: both handed to the caller
    # ok: dbs601-db-resource-not-closed
    cnxn = sqlite3.connect(path)
    cursor = cnxn.cursor()
    return cnxn, cursor


def count_of(path):
    # the tuple holds the count, not the connection: still a leak
    # ruleid: dbs601-db-resource-not-closed
    cnxn = sqlite3.connect(path)
    count = cnxn.execute("SELECT count(*) FROM t").fetchone()[0]
    return path, count


class SnapshotWorker:
    def restore_snapshot_time(self):
        cur = None
        try:
            # closed at the end of the try and in its broad handler
            # ok: dbs601-db-resource-not-closed
            cur = self.repo_conn.cursor()
            cur.execute("SELECT snapts FROM snapshot_metas")
            row = cur.fetchone()
            cur.close()
            self.repo_conn.commit()
        except Exception as e:
            LOG.warning("could not restore: %s", e)
            if cur is not None:
                cur.close()
            self.repo_conn.rollback()
        return row

    def restore_other_time(self):
        try:
            # its handler closes it only for one error class
            # ruleid: dbs601-db-resource-not-closed
            cur = self.repo_conn.cursor()
            cur.execute("SELECT snapts FROM snapshot_metas")
            row = cur.fetchone()
            cur.close()
        except ValueError:
            cur.close()
            raise
        return row
