"""Unit tests of DBS601 (session/connection/cursor that leaks on error)."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from typing import List

import pytest

from flake8_dbsec.checker import check_source
from flake8_dbsec.options import DEFAULT_SETTINGS

ONLY_601 = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS601"}))

HEADER = """\
import sqlite3
import contextlib
from contextlib import closing
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
engine = create_engine("sqlite://")
SessionLocal = sessionmaker(bind=engine)
AsyncSessionLocal = async_sessionmaker(create_async_engine("sqlite+aiosqlite://"))
"""
BODY_START = HEADER.count("\n") + 1


def leak_lines(body: str) -> List[int]:
    """Lines (relative to ``body``) where DBS601 is reported."""
    source = HEADER + textwrap.dedent(body)
    found = check_source(source, ONLY_601)
    return [f.line - BODY_START + 1 for f in found if f.code == "DBS601"]


def messages(body: str) -> List[str]:
    found = check_source(HEADER + textwrap.dedent(body), ONLY_601)
    return [f.message for f in found]


def test_message_names_kind_and_call():
    body = """\
    def f(conn):
        s = Session(engine)
        c = engine.connect()
        cur = conn.cursor()
        s2 = sessionmaker()()
        cur.execute(q)
        cur.close()
    """
    got = messages(body)
    assert got[0].startswith("DBS601 session Session() is created outside a with block")
    assert got[1].startswith("DBS601 connection engine.connect() ")
    assert got[2].startswith("DBS601 cursor conn.cursor() ")
    assert got[3].startswith("DBS601 session sessionmaker()() ")


def test_module_and_class_bodies_are_not_checked():
    body = """\
    conn = sqlite3.connect("x")
    class Holder:
        conn = sqlite3.connect("x")
    get = lambda: sqlite3.connect("x")
    """
    assert leak_lines(body) == []


@pytest.mark.parametrize(
    "body",
    [
        # walrus binding, closed in finally
        """\
        def f(p):
            try:
                if (conn := sqlite3.connect(p)) is not None:
                    conn.execute("x")
            finally:
                conn.close()
        """,
        # async with on the bound local
        """\
        async def f():
            session = AsyncSessionLocal()
            async with session:
                await session.commit()
        """,
        # await conn.close() in finally
        """\
        async def f(eng_engine):
            conn = await eng_engine.connect()
            try:
                await conn.execute("x")
            finally:
                await conn.close()
        """,
        # global: lives beyond the call
        """\
        def init(p):
            global CONN
            CONN = sqlite3.connect(p)
        """,
        # stored in a subscript / on another object
        """\
        def f(g, cache, p):
            g.db = sqlite3.connect(p)
            cache[p] = sqlite3.connect(p)
        """,
        # handed to a cleanup call in finally
        """\
        def f(pool, p):
            conn = sqlite3.connect(p)
            try:
                conn.execute("x")
            finally:
                pool.release(conn)
        """,
        # close registered as a callback
        """\
        def setUp(self):
            conn = sqlite3.connect(":memory:")
            self.addCleanup(conn.close)
        """,
        # a copy to another local is not followed (not judged)
        """\
        def f(p):
            conn = sqlite3.connect(p)
            other = conn
            other.close()
        """,
        # yielded inside a comprehension / generator: handed on
        """\
        def f(paths):
            return [sqlite3.connect(p) for p in paths]
        """,
        # returned in a tuple and in a dict
        """\
        def f(p):
            conn = sqlite3.connect(p)
            cur = conn.cursor()
            return conn, {"cursor": cur}
        """,
        # a bare except handler closes on every error
        """\
        def f(p):
            conn = sqlite3.connect(p)
            try:
                conn.execute("x")
            except:
                conn.close()
                raise
            return None
        """,
        # cursor of a connection managed by with
        """\
        def f():
            with engine.connect() as conn:
                cur = conn.connection.cursor()
                cur.execute("x")
        """,
        # ExitStack.enter_context / closing anywhere
        """\
        def f(p):
            stack = contextlib.ExitStack()
            conn = stack.enter_context(closing(sqlite3.connect(p)))
            other = closing(sqlite3.connect(p))
            return stack, other
        """,
        # a wrapper that is returned through a local owns the object
        """\
        def f():
            repo = Repository(Session(engine))
            return repo
        """,
        # lambda bodies return their value
        """\
        def f(p):
            return lambda: sqlite3.connect(p)
        """,
    ],
)
def test_owned_safely(body):
    assert leak_lines(body) == []


@pytest.mark.parametrize(
    "body, expected",
    [
        # expression statement: created and dropped
        ("def f(p):\n    sqlite3.connect(p)\n", [2]),
        # result of a call bound to a local: the callee only borrowed it
        ("def f(q):\n    rows = read_sql(q, engine.connect())\n    print(rows)\n", [2]),
        # closed in a finally of a different local
        (
            "def f(p, other):\n    conn = sqlite3.connect(p)\n    try:\n        pass\n"
            "    finally:\n        other.close()\n",
            [2],
        ),
        # with on a method of the local is a transaction, not the object
        ("def f():\n    conn = engine.connect()\n    with conn.begin():\n        pass\n", [2]),
        # with before the creation does not count
        (
            "def f(p, conn):\n    with conn:\n        pass\n    conn = sqlite3.connect(p)\n"
            "    conn.execute('x')\n",
            [4],
        ),
        # reassigned in a loop and closed only on the happy path
        (
            "def f(paths):\n    for p in paths:\n        conn = sqlite3.connect(p)\n"
            "        conn.execute('x')\n        conn.close()\n",
            [3],
        ),
        # async_sessionmaker factory at module level
        ("async def f():\n    s = AsyncSessionLocal()\n    await s.commit()\n", [2]),
        # awaited creation used once
        ("async def f(async_engine):\n    await async_engine.connect()\n", [2]),
        # attribute engine, create_engine(...).connect()
        (
            "def f(self, url):\n    a = self._engine.connect()\n"
            "    b = create_engine(url).connect()\n    a.x(); b.x()\n",
            [2, 3],
        ),
    ],
)
def test_leaks(body, expected):
    assert leak_lines(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "def f():\n    import requests\n    s = requests.Session()\n    s.get('x')\n",
        "def f():\n    import aiohttp\n    s = aiohttp.ClientSession()\n",
        "def f(sock):\n    sock.connect(('h', 1))\n",
        "def f():\n    from http.client import HTTPConnection\n    c = HTTPConnection('h')\n",
        "def f(client):\n    client.connect()\n",
        "def f(ldap_conn):\n    c = ldap_conn.connect()\n",
        "def f():\n    maker = sessionmaker()\n    return None\n",
        "def f():\n    from sqlalchemy.orm import scoped_session\n    s = scoped_session(SessionLocal)()\n",
    ],
)
def test_look_alikes(body):
    assert leak_lines(body) == []


def test_disabled_code_does_no_work():
    other = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS501"}))
    assert check_source(HEADER + "def f(p):\n    sqlite3.connect(p)\n", other) == []


def test_deeply_nested_wrappers_do_not_crash():
    depth = 150
    call = "f(" * depth + "sqlite3.connect(p)" + ")" * depth
    assert leak_lines(f"def g(p):\n    {call}\n") in ([], [2])
    chain = "x = conn" + ".a" * 500
    assert leak_lines(f"def g(p):\n    conn = sqlite3.connect(p)\n    {chain}\n") == [2]


@pytest.mark.parametrize(
    "body, expected",
    [
        # borrowed and closed on no path: left to the connection
        ("def f(conn):\n    cur = conn.cursor()\n    cur.execute(q)\n", []),
        ("def f(self):\n    cur = self.db.conn.cursor()\n    cur.execute(q)\n", []),
        ("def f(self):\n    conn = self._conn\n    cur = conn.cursor()\n    cur.execute(q)\n", []),
        ("shared = sqlite3.connect(p)\ndef f():\n    cur = shared.cursor()\n    cur.execute(q)\n", []),
        ("def f():\n    cur = Transaction().connection.cursor()\n    cur.execute(q)\n", []),
        # closed on the happy path only: the error path is reported
        ("def f(conn):\n    cur = conn.cursor()\n    cur.execute(q)\n    cur.close()\n", [2]),
        # closed on the happy path through what execute() returns (feast)
        ("def f(self):\n    cur = self.conn.cursor()\n    res = cur.execute(q)\n    res.close()\n", [2]),
        # named (server-side): holds a portal on the server
        ("def f(conn):\n    cur = conn.cursor('big')\n    cur.execute(q)\n", [2]),
        # a connection made here by a call the rule does not know
        ("async def f(p):\n    conn = await Pool.make(p)\n    cur = await conn.cursor()\n"
         "    await cur.execute(q)\n", [3]),
        # handed back to its pool in a finally: its cursors go with it
        ("def f(pool):\n    conn = pool.getconn()\n    try:\n        cur = conn.cursor()\n"
         "        cur.execute(q)\n        cur.close()\n    finally:\n        pool.putconn(conn)\n", []),
    ],
)
def test_cursor_of_a_borrowed_connection(body, expected):
    """Round M: a client-side cursor that the function closes on no path, of
    a connection it did not make, is left to that connection by design."""
    assert leak_lines(body) == expected
