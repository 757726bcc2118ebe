"""Unit tests of the shared analysis layer, flake8 run in-process, and syntax coverage.

* ``analysis/names.py``, ``imports.py``, ``walker.py``, ``semantics/`` basics;
* flake8 run twice in one interpreter with different ``--dbsec-*`` options
  (what editors do): each run sees its own settings;
* the plugin parses every syntax form the running Python accepts without error.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import List, Optional

import pytest

from flake8_dbsec.analysis import names
from flake8_dbsec.analysis.imports import ImportMap
from flake8_dbsec.analysis.semantics import Semantics
from flake8_dbsec.analysis.walker import ModuleFacts, Scope, analyze
from flake8_dbsec.catalog import IMPLEMENTED
from flake8_dbsec.checker import DbsecChecker, check_tree
from flake8_dbsec.options import DEFAULT_SETTINGS

ALL_CODES = replace(DEFAULT_SETTINGS, enabled_codes=frozenset(IMPLEMENTED))


def parse(source: str) -> ast.Module:
    return ast.parse(textwrap.dedent(source))


def expr(source: str) -> ast.expr:
    return ast.parse(source, mode="eval").body


def facts_of(source: str) -> ModuleFacts:
    return analyze(parse(source))


def scope_named(facts: ModuleFacts, name: str) -> Scope:
    for scope in facts.scopes:
        if getattr(scope.node, "name", None) == name:
            return scope
    raise AssertionError(f"no scope {name}")


def call_text(facts: ModuleFacts, scope: Scope, source: str) -> List[str]:
    text = textwrap.dedent(source)
    return [ast.get_source_segment(text, call) or "" for call, _ in scope.calls]


def find_call(scope: Scope, source: str, text: str) -> ast.Call:
    """The outermost call in ``scope`` whose source text starts with ``text``."""
    source = textwrap.dedent(source)
    for call, _ in scope.calls:
        if (ast.get_source_segment(source, call) or "").startswith(text):
            return call
    raise AssertionError(f"no call {text!r}")


# --- names.py -------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, dotted, last",
    [
        ("context.session", "context.session", "session"),
        ("self._session", "self._session", "_session"),
        ("conn", "conn", "conn"),
        ("get_session().execute", None, "execute"),
        ("a[0]", None, None),
    ],
)
def test_dotted_and_last_part(source: str, dotted: Optional[str], last: Optional[str]):
    node = expr(source)
    assert names.dotted_name(node) == dotted
    assert names.last_part(node) == last


@pytest.mark.parametrize(
    "source, name",
    [
        ("values['token']", "token"),
        ("self.uuid", "uuid"),
        ("consumer_uuid", "consumer_uuid"),
        ("values[key]", None),
        ("values[0]", None),
        ("f(x)", None),
    ],
)
def test_value_name(source: str, name: Optional[str]):
    assert names.value_name(expr(source)) == name


def test_call_helpers():
    call = expr("await session.execute(stmt, params=p)")
    inner = names.unwrap_await(call)
    assert isinstance(inner, ast.Call)
    assert names.call_method(inner) == "execute"
    assert names.dotted_name(names.receiver(inner)) == "session"
    assert names.dotted_name(names.keyword(inner, "params")) == "p"
    assert names.keyword(inner, "missing") is None
    assert names.const_str(expr("'x'")) == "x"
    assert names.const_str(expr("b'x'")) is None


def test_walks_are_bounded_and_iterative():
    deep = expr("a" + ".b" * 2000)
    assert names.dotted_name(deep).count(".") == 2000
    assert len(list(names.walk_bounded(deep, limit=50))) == 50
    assert sum(1 for _ in names.walk_bounded(deep)) == 2001 * 2  # Attribute/Name + ctx


def test_walk_same_scope_skips_nested_functions():
    tree = parse(
        """
        def outer():
            a = 1
            def inner():
                b = 2
            f = lambda: c
            class K:
                d = 4
        """
    )
    seen = {
        node.id for node in names.walk_same_scope(tree.body[0]) if isinstance(node, ast.Name)
    }
    assert seen == {"a", "f"}


# --- imports.py -----------------------------------------------------------------


IMPORTS = """
import sqlalchemy as sa
import os.path
from sqlalchemy import update as sa_update, text
from oslo_db import exception as db_exc
from oslo_log import log as logging
from . import models
from ..db import api as db_api
from .objects import *
"""


@pytest.mark.parametrize(
    "source, qualified",
    [
        ("sa.update", "sqlalchemy.update"),
        ("sa_update", "sqlalchemy.update"),
        ("text", "sqlalchemy.text"),
        ("db_exc.DBDuplicateEntry", "oslo_db.exception.DBDuplicateEntry"),
        ("logging.getLogger", "oslo_log.log.getLogger"),
        ("models.Consumer", ".models.Consumer"),
        ("db_api.consumer_get", "..db.api.consumer_get"),
        ("os.path.join", "os.path.join"),
        ("Session", "Session"),  # not imported: resolves to itself
        ("f().x", None),
    ],
)
def test_import_resolution(source: str, qualified: Optional[str]):
    facts = facts_of(IMPORTS)
    assert facts.imports.resolve(expr(source)) == qualified


def test_import_map_queries():
    imports = ImportMap()
    for node in parse(IMPORTS).body:
        imports.add(node)
    assert imports.is_imported("sa")
    assert imports.is_imported("os")
    assert not imports.is_imported("Session")
    assert imports.module_of(expr("sa.text")) == "sqlalchemy"
    assert imports.module_of(expr("Session")) is None


def test_function_level_imports_count():
    facts = facts_of(
        """
        def f():
            from oslo_db import exception as db_exc
            return db_exc.DBError
        """
    )
    assert facts.imports.resolve(expr("db_exc.DBError")) == "oslo_db.exception.DBError"


SHADOWING = """
from oslo_service import service
import numpy as np

def param(service):
    service.save()

def local_import():
    import numpy as np
    np.save()

def assigned():
    np = load()
    np.save()

def outer(service):
    def inner():
        service.save()

class Api:
    service = None

    def method(self):
        service.save()

def plain():
    service.save()
"""


@pytest.mark.parametrize("function, name, shadowed", [
    ("param", "service", True),        # a parameter hides the module
    ("local_import", "np", False),     # still the module
    ("assigned", "np", True),
    ("inner", "service", True),        # the enclosing function's parameter
    ("method", "service", False),      # class bodies do not enclose methods
    ("plain", "service", False),
])
def test_shadows_import(function: str, name: str, shadowed: bool):
    facts = facts_of(SHADOWING)
    assert scope_named(facts, function).shadows_import(name) is shadowed


# --- walker.py: scopes -------------------------------------------------------------


SCOPES = """
x = [i for i in range(3)]

class Api:
    attr = 1

    def method(self, context):
        context.session.flush()

        def nested():
            return helper(1)

        return nested

async def handler(request):
    async with Session() as s:
        await s.execute(stmt)
    return [r async for r in rows()]

key = lambda row: row.get("id")
"""


def test_scopes_and_their_kinds():
    facts = facts_of(SCOPES)
    kinds = [(s.kind, getattr(s.node, "name", None)) for s in facts.scopes]
    assert kinds == [
        ("module", None),
        ("class", "Api"),
        ("function", "method"),
        ("function", "nested"),
        ("function", "handler"),
        ("lambda", None),
    ]
    method = scope_named(facts, "method")
    nested = scope_named(facts, "nested")
    assert nested.parent is method and method.parent.kind == "class"
    assert method.is_function and nested.function() is nested
    assert facts.module.function() is None
    assert scope_named(facts, "Api").function() is None


def test_calls_belong_to_their_scope():
    facts = facts_of(SCOPES)
    method = scope_named(facts, "method")
    assert call_text(facts, method, SCOPES) == ["context.session.flush()"]
    assert call_text(facts, scope_named(facts, "nested"), SCOPES) == ["helper(1)"]
    handler = scope_named(facts, "handler")
    assert call_text(facts, handler, SCOPES) == ["Session()", "s.execute(stmt)", "rows()"]
    lam = facts.scopes[-1]
    assert call_text(facts, lam, SCOPES) == ['row.get("id")']
    assert "row" in lam.bindings and lam.bindings["row"][0].kind == "param"


def test_comprehension_variables_belong_to_the_enclosing_scope():
    facts = facts_of(SCOPES)
    assert facts.module.bindings["i"][0].kind == "for"
    handler = scope_named(facts, "handler")
    assert handler.bindings["r"][0].kind == "for"


def test_binding_kinds():
    source = """
    def f(session, *args, flag=False, **kw):
        q = session.query(M)
        q += extra
        if (res := session.execute(stmt)):
            pass
        with engine.connect() as conn:
            pass
        for row in rows:
            pass
        import json
        a, b = pair
        def g():
            pass
    """
    scope = scope_named(facts_of(source), "f")
    kinds = {name: [b.kind for b in bs] for name, bs in scope.bindings.items()}
    assert kinds == {
        "session": ["param"],
        "args": ["param"],
        "flag": ["param"],
        "kw": ["param"],
        "q": ["assign", "aug"],
        "res": ["walrus"],
        "conn": ["with"],
        "row": ["for"],
        "json": ["import"],
        "a": ["other"],
        "b": ["other"],
        "g": ["def"],
    }
    assert names.dotted_name(scope.bindings["conn"][0].value.func) == "engine.connect"


def test_binding_takes_effect_after_its_statement():
    source = """
    def f(session):
        q = session.query(M)
        q = q.filter(
            M.generation == gen
        )
        q.update(values)
    """
    facts = facts_of(source)
    scope = scope_named(facts, "f")
    first, second = scope.bindings["q"]
    loads = scope.loads["q"]
    rhs_load, final_load = loads
    assert scope.lookup("q", rhs_load) is first  # ``q.filter`` reads the old q
    assert scope.lookup("q", final_load) is second
    assert scope.binding_before("q", first.node) is None
    assert scope.loads_after("q", first.node) == loads
    assert scope.loads_after("q", second.node) == [final_load]


def test_lookup_falls_back_to_module_bindings_bound_once():
    source = """
    Factory = sessionmaker(bind=engine)
    twice = 1
    twice = 2

    def f():
        s = Factory()
        return twice, later

    def g():
        use(late_local)
        late_local = 1
    """
    facts = facts_of(source)
    f = scope_named(facts, "f")
    (factory_load,) = f.loads["Factory"]
    binding = f.lookup("Factory", factory_load)
    assert binding is not None and binding.kind == "assign"
    assert f.lookup("twice", f.loads["twice"][0]) is None
    assert f.lookup("later", f.loads["later"][0]) is None
    g = scope_named(facts, "g")
    assert g.lookup("late_local", g.loads["late_local"][0]) is None


# --- walker.py: try frames, with items, parents, strings ----------------------------


TRIES = """
def f(session):
    try:
        session.flush()
    except db_exc.DBError:
        try:
            log_it()
        finally:
            cleanup()
    else:
        after()
    finally:
        session.close()

    try:
        def inner():
            inner_call()
    except Exception:
        pass
"""


def test_try_frames():
    facts = facts_of(TRIES)
    f = scope_named(facts, "f")
    contexts = {
        ast.get_source_segment(textwrap.dedent(TRIES), call): ctx for call, ctx in f.calls
    }
    flush = contexts["session.flush()"].tries
    assert [frame.part for frame in flush] == ["body"]
    log_it = contexts["log_it()"].tries
    assert [frame.part for frame in log_it] == ["handler", "body"]
    assert isinstance(log_it[0].handler, ast.ExceptHandler)
    assert log_it[0].node is flush[0].node
    assert [frame.part for frame in contexts["cleanup()"].tries] == ["handler", "finally"]
    assert [frame.part for frame in contexts["after()"].tries] == ["orelse"]
    assert [frame.part for frame in contexts["session.close()"].tries] == ["finally"]
    assert len(f.tries) == 3
    (_, inner_ctx), = scope_named(facts, "inner").calls
    assert inner_ctx.tries == (), "try frames stop at function boundaries"


@pytest.mark.skipif(not hasattr(ast, "TryStar"), reason="except* needs Python 3.11")
def test_try_star_frames():
    source = """
    def f(session):
        try:
            session.flush()
        except* DBError:
            report()
    """
    facts = facts_of(source)
    f = scope_named(facts, "f")
    parts = [[frame.part for frame in ctx.tries] for _, ctx in f.calls]
    assert parts == [["body"], ["handler"]]
    assert type(f.tries[0][0]).__name__ == "TryStar"


def test_with_items_parents_and_strings():
    source = """
    async def f(engine, user):
        with engine.begin() as conn, open(path) as fh:
            conn.execute(text(f"DELETE FROM t WHERE u = '{user}'"))
        async with Session() as s:
            pass
    URL = "postgresql://localhost/test"
    """
    facts = facts_of(source)
    f = scope_named(facts, "f")
    items = [names.dotted_name(item.optional_vars) for item, _ in f.with_items]
    assert items == ["conn", "fh", "s"]
    execute = find_call(f, source, "conn.execute")
    assert isinstance(facts.parent(execute), ast.Expr)
    assert isinstance(facts.enclosing_statement(execute.args[0]), ast.Expr)
    assert isinstance(facts.parent(facts.parent(execute)), ast.With)
    kinds = sorted(type(node).__name__ for node, _ in facts.strings)
    assert kinds == ["Constant", "JoinedStr"]


# --- semantics/ ------------------------------------------------------------------------


SESSIONS = """
import requests
from sqlalchemy.orm import Session, sessionmaker

SessionLocal = sessionmaker(bind=engine)

class Repo:
    def run(self, context, db, conn, cursor, engine):
        context.session.execute(stmt)
        self._session.flush()
        db.session.commit()
        conn.execute(stmt)
        with Session(engine) as s:
            s.flush()
        local = SessionLocal()
        local.commit()
        http = requests.Session()
        http.post(url)
        requests.Session().get(url)
        cfg.update(values)
"""


@pytest.mark.parametrize(
    "call, session_like",
    [
        ("context.session.execute", True),
        ("self._session.flush", True),
        ("db.session.commit", True),
        ("conn.execute", True),
        ("s.flush", True),
        ("local.commit", True),
        ("http.post", False),
        ("requests.Session().get", False),
        ("cfg.update", False),
    ],
)
def test_is_session_like(call: str, session_like: bool):
    facts = facts_of(SESSIONS)
    scope = scope_named(facts, "run")
    node = find_call(scope, SESSIONS, call)
    sem = Semantics(facts, DEFAULT_SETTINGS)
    assert sem.is_session_like(node.func.value, scope) is session_like


def test_session_pattern_is_configurable():
    facts = facts_of(SESSIONS)
    scope = scope_named(facts, "run")
    recv = find_call(scope, SESSIONS, "http.post").func.value
    custom = replace(DEFAULT_SETTINGS, session_pattern=__import__("re").compile("http"))
    assert Semantics(facts, custom).is_session_like(recv, scope)


HANDLERS = """
import sqlite3
import sqlalchemy.exc
from oslo_db import exception as db_exc
try:
    pass
except:
    pass
except Exception:
    pass
except db_exc.DBDuplicateEntry:
    pass
except (db_exc.DBDuplicateEntry, db_exc.DBDeadlock):
    pass
except sqlalchemy.exc.IntegrityError:
    pass
except sqlite3.Error:
    pass
except (ValueError, KeyError):
    pass
except (ValueError, BaseException):
    pass
"""


def test_handler_kind_and_label():
    facts = facts_of(HANDLERS)
    sem = Semantics(facts, DEFAULT_SETTINGS)
    (try_node, _), = facts.module.tries
    kinds = [sem.handler_kind(h) for h in try_node.handlers]
    assert kinds == ["broad", "broad", "integrity", "db", "integrity", "db", None, "broad"]
    labels = [sem.handler_label(h) for h in try_node.handlers]
    assert labels[0] == "bare except"
    assert labels[3] == "DBDuplicateEntry, DBDeadlock"


# --- flake8 in-process, twice ------------------------------------------------------------


CONFIGURABLE = """\
def save_all(store):
    store.flush()
"""


def run_flake8_in_process(target: Path, output: Path, *options: str) -> str:
    from flake8.main.application import Application

    app = Application()
    app.run(
        [
            "--isolated",
            "--select", "DBS",
            "--format", "%(path)s:%(row)d:%(code)s",
            "--output-file", str(output),
            *options,
            str(target),
        ]
    )
    assert not app.catastrophic_failure
    return output.read_text()


def test_in_process_runs_see_their_own_settings(tmp_path: Path):
    """Editors run flake8 in-process repeatedly; options must not leak between runs."""
    target = tmp_path / "module.py"
    target.write_text(CONFIGURABLE)
    default = run_flake8_in_process(target, tmp_path / "1.txt")
    custom = run_flake8_in_process(
        target, tmp_path / "2.txt", "--dbsec-session-pattern", "store"
    )
    again = run_flake8_in_process(target, tmp_path / "3.txt")
    assert default == "" and again == ""
    assert custom.strip() == f"{target}:2:DBS101"


# --- every syntax the interpreter accepts -------------------------------------------------


SYNTAX = {
    "match": """
        def f(session, command):
            match command:
                case {"op": "bump", "gen": int(gen)} if gen > 0:
                    session.execute(T.update().where(T.c.generation == gen))
                case [first, *rest]:
                    session.flush()
                case Point(x=0, y=yy) | Point(x=yy, y=0) as p:
                    LOG.debug("%s", p.uuid)
                case str() | bytes():
                    pass
                case _:
                    raise ValueError(command)
    """,
    "walrus": """
        def f(session, stmt, items):
            if (res := session.execute(stmt)).rowcount != 1:
                raise Conflict()
            while (row := cursor.fetchone()) is not None:
                LOG.debug("%s", row.uuid)
            return [y for x in items if (y := session.get(M, x))]
    """,
    "async": """
        async def f(maker, stmt):
            async with maker() as session, session.begin():
                await session.execute(stmt)
                rows = [r async for r in await session.stream(stmt)]
                results = [await session.flush() for _ in rows]
                async for row in session.stream(stmt):
                    LOG.debug("%s", row.uuid)
            return [x async for x in aiter(rows) if await check(x)]
    """,
    "f-strings": """
        def f(session, table, width, precision, value, uuid):
            session.execute(text(f"DELETE FROM {table} WHERE id = {value!r}"))
            LOG.debug(f"{uuid}")
            LOG.debug(f"{uuid=}")
            LOG.debug(f"{uuid = !r:^20}")
            LOG.debug(f"{value:{width}.{precision}}")
            LOG.debug(f"{'a' if value else 'b'} {{literal}} {f'{uuid}'}")
            LOG.debug(rf"\\d{uuid}" fr'{uuid}\\n' f'''{
                uuid
            }''')
            LOG.debug(f"{value!s:>{width}}" "plain" f"{uuid!a}")
    """,
    "f-strings-pep701": """
        def f(session, rows, uuid):
            LOG.debug(f"{", ".join(rows)} {f"{f"{uuid}"}"}")
            session.execute(f"UPDATE t SET a = {rows[0]} WHERE generation = {
                uuid  # a comment inside the replacement field
            }")
    """,
    "pep695": """
        type Rows[T] = list[T]

        def first[T: (int, str)](rows: Rows[T]) -> T:
            return rows[0]

        class Repo[S: Session, *Ts, **P]:
            def save(self, session: S) -> None:
                session.flush()
    """,
    "pep696": """
        def f[T = int](x: T = 0) -> T:
            return x

        class Box[T = str]:
            pass
    """,
    "except-star": """
        def f(session):
            try:
                session.flush()
            except* DBError as group:
                LOG.debug("%s", group)
            except* (ValueError, TypeError):
                pass
    """,
    "misc": """
        import sqlalchemy as sa
        from oslo_db import exception as db_exc

        @(lambda fn: fn)
        def f(a, /, b, *args, c, d=1, **kwargs):
            global G
            G = a
            x = [*args, *kwargs]
            y = {**kwargs, "k": 1}
            z = a[1:2, ::3]
            del y["k"]
            assert x, "message"
            with (open(a) as fh, open(b) as gh):
                pass
            nonlocal_demo = lambda: (yield)
            return *x, *z

        def gen():
            total = yield from range(3)
            value = yield total
            return value
    """,
    "star-index": """
        def f(arr, idx):
            return arr[*idx]
    """,
}


@pytest.mark.parametrize("name", sorted(SYNTAX))
def test_plugin_parses_every_syntax_the_interpreter_accepts(name: str):
    source = textwrap.dedent(SYNTAX[name])
    try:
        tree = ast.parse(source)
    except SyntaxError:
        pytest.skip(f"Python {sys.version_info[:2]} does not accept {name}")
    check_tree(tree, ALL_CODES)
    checker = DbsecChecker(tree, "x.py", source.splitlines(True))
    list(checker.run())


def test_deep_expressions_do_not_crash():
    """As deep as the parser goes: the plugin must not raise RecursionError."""
    lines = [
        "session" + ".a" * 2000 + ".flush()",
        "session.execute('DELETE FROM t WHERE id = ' + " + " + ".join(["x"] * 2000) + ")",
        "LOG.debug('%s' % (" + "(" * 150 + "uuid" + ")" * 150 + "))",
        "session.query(M)" + ".filter(x)" * 1000 + ".update(v)",
        "q = session.query(M)",
        *["q = q.filter(x)"] * 500,
        "q.update(v)",
        "stmt = " + "f(" * 190 + "T.update()" + ")" * 190,
        "session.execute(stmt)",
    ]
    source = "def f(session, x, uuid, v):\n" + "".join(f"    {line}\n" for line in lines)
    check_tree(ast.parse(source), ALL_CODES)


GC_SOURCE = '''
import logging
import sqlite3
LOG = logging.getLogger(__name__)

class Repo:
    def save(self, session, row):
        try:
            session.add(row)
            session.commit()
        except Exception:
            LOG.debug("failed %s", row.uuid)
        with session.begin():
            conn = sqlite3.connect("x.db")
            conn.execute("DELETE FROM t WHERE id = %s" % row.id)
        return [r.uuid for r in session.query(Row).filter(Row.id == row.id)]
'''


def test_a_check_leaves_nothing_for_the_cyclic_collector():
    """The pass's facts are freed by reference counting when the check
    returns (``ModuleFacts.release``): left to the collector, they were
    promoted and traversed by every full collection of the flake8 run."""
    import gc

    from flake8_dbsec.checker import check_tree

    tree = ast.parse(GC_SOURCE)
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        assert check_tree(tree, model=False)  # it did find something
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_the_collector_is_restored_as_it_was_found():
    import gc

    from flake8_dbsec.analysis.walker import collector_paused

    was_enabled = gc.isenabled()
    try:
        gc.enable()
        with pytest.raises(RuntimeError):
            with collector_paused():
                assert not gc.isenabled()
                raise RuntimeError("a check that fails")
        assert gc.isenabled()
        gc.disable()
        with collector_paused():
            pass
        assert not gc.isenabled()  # a caller that disabled it keeps it disabled
    finally:
        (gc.enable if was_enabled else gc.disable)()


def test_the_collector_stays_paused_while_flake8_takes_the_findings():
    """flake8 handles each finding as it is yielded, with the module's AST
    still alive; the first one makes it tokenize the whole file (its
    ``noqa`` map). Collections started then traversed the AST and the
    tokens: on nova a third of the full collections fell there. The
    collector is back as soon as the findings are taken, or dropped."""
    import gc

    tree = ast.parse(GC_SOURCE)
    was_enabled = gc.isenabled()
    try:
        gc.enable()
        findings = DbsecChecker(tree, "x.py", GC_SOURCE.splitlines(True)).run()
        assert next(findings)
        assert not gc.isenabled()
        list(findings)
        assert gc.isenabled()
        dropped = DbsecChecker(tree, "x.py", GC_SOURCE.splitlines(True)).run()
        next(dropped)
        dropped.close()  # flake8 stopped taking them (an error in a report)
        assert gc.isenabled()
    finally:
        (gc.enable if was_enabled else gc.disable)()
