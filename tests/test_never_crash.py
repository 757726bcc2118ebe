"""Never crash: no input Python can parse may make the plugin raise.

* property tests: ``hypothesmith`` (any grammatical Python) and
  ``never_crash_sources.db_modules`` (database-code fragments in random
  nesting), bounded to stay fast in CI; ``benchmarks/sweep.py --examples N``
  runs the same properties much longer, plus the stdlib and the corpus;
* explicit edge cases: empty and comment-only files, 1,000-deep expressions,
  blocks nested as deep as the tokenizer allows (99 levels), a 1 MB line,
  ``match``, async comprehensions, ``except*``;
* syntax newer than CI's main interpreter, run wherever the interpreter parses
  it (``.ci/run`` runs this file again on the newest Python it finds): PEP 695
  generics and ``type`` aliases, PEP 701 f-strings (nested quotes,
  backslashes and comments in fields, as SQL text and log messages), PEP 696
  type-parameter defaults. Each case is written twice, in the new syntax and
  in a classic spelling every supported Python parses, and both must give the
  same, expected findings; the annotated fixtures of ``semgrep-rules/`` with
  type parameters added to every ``def`` and ``class`` must find what the
  originals find;
* real ``flake8`` subprocesses: a syntax error gives E999 and nothing else, a
  latin-1 file with a coding cookie is decoded and checked, and flake8 never
  prints a plugin failure.

Every finding must also be well formed (a known code, a line inside the file),
and checking the same source twice must give the same findings (no state
survives between files).
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Dict, FrozenSet, List, NamedTuple, Set, Tuple

import pytest
from conftest import RULES_DIR, tool
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from never_crash_sources import db_modules

try:
    import hypothesmith
except ImportError:  # .ci/run's newest-Python venv goes without it if it does not install
    hypothesmith = None

from flake8_dbsec.catalog import IMPLEMENTED
from flake8_dbsec.analysis.project.model import summarize_tree
from flake8_dbsec.checker import DbsecChecker, check_tree
from flake8_dbsec.options import DEFAULT_SETTINGS
from flake8_dbsec.rules.base import Finding

ALL_CODES = replace(DEFAULT_SETTINGS, enabled_codes=frozenset(IMPLEMENTED))

#: bounded for CI: the two property tests together stay well under 30 s.
PROPERTY = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)


def run_plugin(source: str) -> List[Finding]:
    """Both entry points, every code; findings must be well formed."""
    tree = ast.parse(source)
    findings = check_tree(tree, ALL_CODES)
    last_line = source.count("\n") + 1
    for finding in findings:
        assert finding.code in IMPLEMENTED, finding
        assert 1 <= finding.line <= last_line and finding.col >= 0, finding
        assert finding.message, finding
    list(DbsecChecker(tree, "generated.py", source.splitlines(True)).run())
    # the project model's pass over the module: a failure there drops the
    # whole project's model (with a warning), so it must not fail either
    summary = summarize_tree(ast.parse(source), "pkg.generated", False, DEFAULT_SETTINGS)
    assert summary.get("module") == "pkg.generated"
    return findings


def parse_or_reject(source: str) -> None:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        reject()  # not Python this interpreter parses: flake8 reports E999


def check_twice(source: str) -> List[Finding]:
    """``run_plugin``; a second check of the same source must find the same."""
    first = run_plugin(source)
    assert check_tree(ast.parse(source), ALL_CODES) == first, "findings differ between two runs"
    return first


def assert_never_crashes(source: str) -> None:
    """The property (also run at length by ``benchmarks/sweep.py``)."""
    parse_or_reject(source)
    check_twice(source)


# --- properties -----------------------------------------------------------------


@pytest.mark.skipif(hypothesmith is None, reason="hypothesmith is not installed")
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(PROPERTY, max_examples=40)
@given(hypothesmith.from_grammar() if hypothesmith is not None else st.nothing())
def test_any_grammatical_python_never_crashes(source: str):
    assert_never_crashes(source)


@settings(PROPERTY, max_examples=80)
@given(db_modules())
def test_database_shaped_python_never_crashes(source: str):
    assert_never_crashes(source)


# --- explicit cases ------------------------------------------------------------------

DEPTH = 1000
#: the tokenizer refuses more than 200 nested brackets and 99 indentation levels.
BRACKETS = 195
BLOCKS = 99


def deep_expressions() -> Dict[str, str]:
    terms = " + ".join(["x"] * DEPTH)
    return {
        "binop-chain": f"def f(cursor, x):\n    cursor.execute('DELETE FROM t WHERE id = ' + {terms})\n",
        "percent-chain": "def f(cursor, x):\n    cursor.execute('UPDATE t SET a = %s' " + "% x " * DEPTH + ")\n",
        "attribute-chain": "def f(session):\n    session" + ".a" * DEPTH + ".flush()\n",
        "receiver-chain": "def f(ctx):\n    ctx" + ".parent" * DEPTH + ".session.commit()\n",
        "call-chain": "def f(session, x, v):\n    session.query(M)" + ".filter(x)" * DEPTH + ".update(v)\n",
        "statement-chain": "def f(session, x):\n    stmt = sa.update(T)" + ".where(x)" * DEPTH
        + "\n    session.execute(stmt)\n",
        "unary": "x = " + "-" * DEPTH + "1\n",
        "not-chain": "if " + "not " * DEPTH + "session.commit(): pass\n",
        "subscripts": "def f(values, LOG):\n    LOG.debug('%s', values" + "['uuid']" * DEPTH + ")\n",
        "boolean-chain": "ok = " + " and ".join(["session.flush()"] * DEPTH) + "\n",
        "compare-chain": "ok = " + " < ".join(["generation"] * DEPTH) + "\n",
        "lambda-chain": "f = " + "lambda: " * DEPTH + "session.commit()\n",
        "nested-calls": "def f(session):\n    x = " + "f(" * BRACKETS + "session.commit()" + ")" * BRACKETS + "\n",
        "nested-dicts": "def f(LOG, password):\n    LOG.info('%s', " + "{'a': " * BRACKETS + "password"
        + "}" * BRACKETS + ")\n",
        "nested-fstrings": "def f(session, x):\n    session.execute(text(f'UPDATE t SET a = {"
        + "(" * BRACKETS + "x" + ")" * BRACKETS + "}'))\n",
        "rebinding-1000": "def f(session, x):\n    q = session.query(M)\n" + "    q = q.filter(x)\n" * DEPTH
        + "    q.update({'a': 1})\n",
        "self-reference": "stmt = stmt\nq = q.filter(q)\na = b\nb = a\nsession.execute(a)\nq.update(q)\n",
    }


@pytest.mark.parametrize("name", sorted(deep_expressions()))
def test_deep_expressions_do_not_crash(name: str):
    run_plugin(deep_expressions()[name])


def nested_blocks(kinds: List[str], innermost: str, depth: int = BLOCKS) -> str:
    """``depth`` nested blocks (a ``def`` first), ``innermost`` at the bottom."""
    lines = ["def f(session, items, consumer_uuid):"]
    closers: List[str] = []
    for level in range(1, depth):
        pad = "    " * level
        kind = kinds[level % len(kinds)]
        lines.append(pad + {
            "if": "if items:",
            "for": f"for item{level} in items:",
            "while": "while items:",
            "with": "with session.begin():",
            "async-with": "async with session.begin():",
            "try": "try:",
            "def": f"def inner{level}(x):",
            "class": f"class Inner{level}:",
        }[kind])
        closers.append(pad if kind == "try" else "")
    lines.append("    " * depth + innermost)
    for pad in reversed(closers):
        if pad:
            lines += [pad + "except db_exc.DBError:", pad + "    session.rollback()"]
    return "\n".join(lines) + "\n"


BLOCK_MIXES = {
    "if-for-while-with": ["if", "for", "while", "with"],
    "try": ["try"],
    "try-with-for": ["try", "with", "for"],
    "def": ["def"],
    "class-def": ["class", "def"],
    "async-with": ["async-with", "if"],
}


@pytest.mark.parametrize("mix", sorted(BLOCK_MIXES))
def test_deeply_nested_blocks_do_not_crash(mix: str):
    source = nested_blocks(BLOCK_MIXES[mix], "session.flush()")
    ast.parse(source)  # the deepest the tokenizer accepts
    run_plugin(source)


def test_deeply_nested_write_is_still_reported():
    """99 levels deep the plugin still works: an unhandled flush is DBS101."""
    source = nested_blocks(BLOCK_MIXES["if-for-while-with"], "session.flush()")
    line = source.count("\n")
    assert ("DBS101", line) in {(f.code, f.line) for f in run_plugin(source)}


EDGE_CASES = {
    "module-level-call-shapes": (
        "handler = factories['x']()\nmade = make()()\nvalue = (lambda: 1)()\n"
        "class C:\n    arg = '?'\n    @property\n    def now(self):\n        yield 1\n"
        "a.b, c.d = 1, 2\nx.y += 1\nx.z: int = 3\n"
    ),
    "empty": "",
    "newlines": "\n\n\n",
    "comments-only": "# a comment\n# another one\n#!/not/a/shebang\n",
    "docstring-only": '"""Only a docstring."""\n',
    "ellipsis-stubs": "def f(session): ...\nclass C: ...\n",
    "match": """
        def f(command, session):
            match command:
                case {"op": "delete", "uuid": uuid}:
                    session.query(M).filter_by(uuid=uuid).delete()
                case [first, *rest] if first:
                    session.execute(text(f"UPDATE t SET a = {first}"))
                case Point(x=0) | None:
                    pass
                case _:
                    LOG.debug("%s", uuid)
        """,
    "async-comprehensions": """
        async def f(session, uuids):
            rows = [row async for row in await session.stream(select(T))]
            done = {u: await session.execute(update(T).where(T.c.uuid == u)) for u in uuids}
            gen = (await session.flush() async for _ in aiter(uuids) if await session.commit())
            async with session.begin() as s, engine.connect() as conn:
                return [r async for r in s.execute(text(f"DELETE FROM {t}"))]
        """,
    "walrus-and-lambdas": """
        def f(session, x):
            if (res := session.execute(update(T).values(a=1))).rowcount:
                pass
            g = lambda s=session: s.commit()
            return [y := session.flush() for _ in range(3)]
        """,
    "star-args-everywhere": """
        def f(session, *args, **kwargs):
            session.execute(*args, **kwargs)
            session.execute(**kwargs)
            session.query(*args).update(*args)
            LOG.debug(*args, **kwargs)
            cursor.execute(*["DELETE FROM t WHERE id = %s" % x])
        """,
    "handlers-of-every-form": """
        def f(session):
            try:
                session.flush()
            except:
                pass
            try:
                session.flush()
            except ():
                pass
            try:
                session.commit()
            except (get_errors())[0]:
                pass
            try:
                session.commit()
            except lambda: x:
                pass
        """,
    "global-nonlocal-del": """
        session = None
        def f():
            global session
            def g():
                nonlocal session
                del session
            session.commit()
        """,
    "decorators-and-classes": """
        @enginefacade.writer
        @(lambda f: f)
        class Store(Base, metaclass=Meta):
            session = scoped_session(sessionmaker())
            def save(self, *, session=None, **kw):
                return super().save(session)
        """,
}
if sys.version_info >= (3, 11):
    EDGE_CASES["except-star"] = """
        def f(session):
            try:
                session.flush()
            except* db_exc.DBError:
                pass
            except* (KeyError, ValueError) as group:
                raise
        """
if sys.version_info >= (3, 12):
    EDGE_CASES["pep695-generics"] = """
        type Rows[T] = list[T]
        class Repo[S: Session, *Ts, **P]:
            def save[M](self, session: S, obj: M) -> M:
                session.add(obj)
                session.commit()
                return obj
        def run[T](session: T) -> T:
            session.execute(text(f"DELETE FROM {table}"))
        """
    EDGE_CASES["pep701-fstrings"] = """
        def f(cursor, name):
            cursor.execute(f"SELECT * FROM {f"{name}"} WHERE a = {"x"!r:>{10}}")
        """
if sys.version_info >= (3, 13):
    EDGE_CASES["pep696-defaults"] = """
        type Rows[T = Thing, *Ts = *tuple[int, ...], **P = [int, str]] = list[T]
        class Repo[S: Session = Session, T: (int, str) = int]:
            def save[M = Model](self, session: S = session.flush(), obj: M = None) -> M:
                session.add(obj)
                session.commit()
        def run[T = session.query(M).update({})](session: T) -> T:
            session.execute(text(f"DELETE FROM {table}"))
        """


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_do_not_crash(name: str):
    check_twice(textwrap.dedent(EDGE_CASES[name]))


@pytest.mark.parametrize(
    "name, value",
    [
        ("url-literal", '"mysql://nova:s3cret@db/" + "' + "a" * 1_000_000 + '"'),
        ("sql-literal", 'text("UPDATE t SET a = 1 WHERE ' + "x = 1 AND " * 100_000 + 'generation = 2")'),
        ("log-format", '"' + "%s, " * 250_000 + '"'),
        ("many-schemes", '"' + "://" * 330_000 + '"'),
        ("fstring", 'f"{uuid}' + "b" * 1_000_000 + '"'),
    ],
)
def test_one_megabyte_line_is_fast_and_safe(name: str, value: str):
    source = (
        "def f(session, cursor, LOG, uuid):\n"
        f"    value = {value}\n"
        "    session.execute(value)\n    cursor.execute(value)\n    LOG.debug(value, uuid)\n"
    )
    assert len(source) > 900_000
    start = time.perf_counter()
    run_plugin(source)
    # generous: a regex that backtracks on a long line takes minutes, not seconds
    assert time.perf_counter() - start < 30


# --- syntax newer than CI's main interpreter ---------------------------------------------------
#
# Each case is a template: ``<<new|classic>>`` is ``new`` in the new syntax and
# ``classic`` in a spelling every supported Python parses (``<<new>>``: nothing
# in the classic one); both keep the same lines. ``# expect: CODE ...`` marks
# the findings of a line (every code enabled). The classic spelling runs
# everywhere, so the expectations are checked on CI's main interpreter too; the
# new spelling runs where the interpreter parses it and must find the same.

_ALTERNATIVE = re.compile(r"<<(.*?)(?:\|(.*?))?>>")
_EXPECT = re.compile(r"# expect: (DBS\d+(?: DBS\d+)*)\s*$")


class Spelling(NamedTuple):
    needs: Tuple[int, int]  # the first Python that parses the new syntax
    template: str

    def new(self) -> str:
        return textwrap.dedent(_ALTERNATIVE.sub(lambda m: m.group(1), self.template))

    def classic(self) -> str:
        return textwrap.dedent(_ALTERNATIVE.sub(lambda m: m.group(2) or "", self.template))

    def expected(self) -> FrozenSet[Tuple[str, int]]:
        out: Set[Tuple[str, int]] = set()
        for number, line in enumerate(self.classic().splitlines(), 1):
            match = _EXPECT.search(line)
            if match:
                out.update((code, number) for code in match.group(1).split())
        return frozenset(out)


NEW_SYNTAX = {
    # PEP 695: generic functions and classes, bounds and constraints, ``type``
    # aliases, around sessions, writes, handlers and logging.
    "pep695-db-module": Spelling((3, 12), r'''
        import logging
        from oslo_db import exception as db_exc
        from sqlalchemy import text, update
        from sqlalchemy.orm import sessionmaker

        LOG = logging.getLogger(__name__)
        SessionLocal = sessionmaker()
        <<type Rows[T] = list[T]|Rows = list>>
        <<type Pair[K: str, V: (int, str)] = tuple[K, V]|Pair = tuple>>


        class Repo<<[M: Base, *Ts, **P]>>(Generic):
            def save<<[T]>>(self, session: Session, obj: T) -> T:
                session.add(obj)
                session.flush()  # expect: DBS101
                return obj

            async def bump<<[T: int]>>(self, session, uuid: T) -> None:
                try:
                    await session.execute(update(Thing).where(Thing.uuid == uuid).values(n=1))  # expect: DBS301
                except db_exc.DBError:  # expect: DBS103
                    pass
                LOG.debug("bumped %s", uuid)  # expect: DBS201


        def purge<<[T: (str, bytes)]>>(table: T, password: str) -> None:
            session = SessionLocal()  # expect: DBS601
            session.execute(text(f"DELETE FROM {table}"))  # expect: DBS101 DBS304 DBS401
            session.commit()  # expect: DBS101
            LOG.info("purged with %s", password)  # expect: DBS202


        def bump_generation<<[S]>>(session: S, instance_uuid, generation):
            try:
                session.execute(  # expect: DBS302
                    update(Instance)
                    .where(Instance.uuid == instance_uuid, Instance.generation == generation)
                    .values(generation=generation + 1)
                )
            except db_exc.DBError:
                LOG.exception("update failed")
                raise
        '''),
    # PEP 695 scopes nest: generic closures, a generic class inside a generic
    # function, a lambda; the checked row count and the handled write stay fine.
    "pep695-nested-scopes": Spelling((3, 12), r'''
        from oslo_db import exception as db_exc
        from sqlalchemy import update


        def outer<<[T]>>(context, values: T):
            def inner<<[U: (int, str)]>>(session, uuid: U):
                try:
                    res = session.execute(update(Instance).where(Instance.uuid == uuid).values(**values))
                except db_exc.DBError:
                    session.rollback()
                    raise
                if res.rowcount != 1:
                    raise LookupError(uuid)

            class Local<<[S: Session]>>:
                def run<<[V]>>(self, session: S, value: V):
                    session.query(Thing).filter_by(id=value).update({"a": 1})  # expect: DBS101 DBS301

            return lambda session: session.commit()  # expect: DBS101
        '''),
    # PEP 696: type-parameter defaults, including a default that is a call.
    "pep696-defaults": Spelling((3, 13), r'''
        import logging

        LOG = logging.getLogger(__name__)
        <<type Query[T = Thing, *Ts = *tuple[int, ...]] = list[T]|Query = list>>


        class Store<<[S: Session = Session, *Ts = *tuple[int, ...], **P = [int, str]]>>:
            def delete<<[T = int]>>(self, session: S, uuid: T = 0):
                session.query(Thing).filter_by(uuid=uuid).delete()  # expect: DBS101 DBS303
                LOG.debug("deleted %s", uuid)  # expect: DBS201


        def run<<[T = session.query(Thing).first()]>>(session: T):
            session.flush()  # expect: DBS101
        '''),
    # PEP 701: SQL text from f-strings whose fields reuse the string's quotes,
    # nest f-strings, hold backslashes or format specs.
    "pep701-sql-text": Spelling((3, 12), r'''
        from sqlalchemy import text

        NEWLINE = "\n"


        def query(session, cols, table, values):
            try:
                session.execute(text(f"SELECT {<<", "|', '>>.join(cols)} FROM t"))  # expect: DBS401
                session.execute(text(f"SELECT * FROM {<<f"{f"{table}"}"|f'{table}'>>}"))  # expect: DBS401
                session.execute(text(f"SELECT * FROM t WHERE uuid = {<<values["uuid"]|values['uuid']>>}"))  # expect: DBS401
                session.execute(text(f"SELECT * FROM t WHERE a = {<<"\n".join(cols)|NEWLINE.join(cols)>>}"))  # expect: DBS401
                session.execute(text(f"SELECT * FROM t WHERE a = {<<"x"|'x'>>}"))
                session.execute(text(f"SELECT * FROM t LIMIT {<<values["n"]|values['n']>>:d}"))
                session.execute(text(f"SELECT * FROM t WHERE a = {<<"\n".join(["1", "2"])|NEWLINE.join(['1', '2'])>>}"))
                session.execute(text(f"SELECT * FROM t WHERE uuid = {<<":uuid"|':uuid'>>}"), values)
            except Exception:
                session.rollback()
                raise
        '''),
    # PEP 701: fields that span lines and carry comments (the classic spelling
    # is a triple-quoted f-string with the same lines, no comments).
    "pep701-multiline-fields": Spelling((3, 12), r'''
        import logging
        from sqlalchemy import text

        LOG = logging.getLogger(__name__)


        def query(cursor, cols, x):
            cursor.execute(  # expect: DBS401
                f<<"|""">>SELECT {
                    <<", "|', '>>.join(cols)<<  # the columns>>
                } FROM t WHERE id = %s<<"|""">>,
                (x,),
            )
            LOG.debug(  # expect: DBS201
                f<<"|""">>deleted {
                    x<<["uuid"]  # the instance|['uuid']>>
                }<<"|""">>
            )
        '''),
    # PEP 701: log messages whose fields reuse the string's quotes.
    "pep701-log-messages": Spelling((3, 12), r'''
        import logging

        LOG = logging.getLogger(__name__)
        TAB = "\t"


        def log(x, ctx, rows):
            LOG.debug(f"deleted {<<x["uuid"]|x['uuid']>>}")  # expect: DBS201
            LOG.debug(f"{<<x["instance_uuid"]|x['instance_uuid']>>!r:>{40}}")  # expect: DBS201
            LOG.debug(<<f"{f"{x["uuid"]}"}"|f"""{f'{x["uuid"]}'}""">>)  # expect: DBS201
            LOG.info(f"token={<<ctx["token"]|ctx['token']>>}")  # expect: DBS202
            LOG.warning("failed: %s", f"{<<ctx["password"]|ctx['password']>>}")  # expect: DBS202
            LOG.debug(f"{<<x["name"]|x['name']>>} {<<"\t".join(rows)|TAB.join(rows)>>}")
            LOG.info(f"{<<x["uuid"]|x['uuid']>>}")
        '''),
    # PEP 701: database URLs in f-strings whose fields reuse the quotes.
    "pep701-database-urls": Spelling((3, 12), r'''
        import os

        URL = f"mysql://nova:s3cret@{<<"db"|'db'>>}/nova"  # expect: DBS501
        FROM_ENV = f"postgresql://app:{os.environ[<<"DB_PASSWORD"|'DB_PASSWORD'>>]}@{host}/app"
        IN_A_FIELD = f"{<<"mysql://nova:s3cret@db/nova"|'mysql://nova:s3cret@db/nova'>>}"  # expect: DBS501
        DEFAULTED = f"{os.environ.get(<<"DB_URL", "mysql://nova:s3cret@db/nova"|'DB_URL', 'mysql://nova:s3cret@db/nova'>>)}"  # expect: DBS501
        '''),
}


def findings_of(source: str) -> Set[Tuple[str, int]]:
    return {(f.code, f.line) for f in check_twice(source)}


@pytest.mark.parametrize("name", sorted(NEW_SYNTAX))
def test_classic_spelling_of_new_syntax_cases(name: str):
    """Everywhere: the classic spelling parses and finds what the case expects."""
    case = NEW_SYNTAX[name]
    assert case.expected(), "a case without expectations checks little"
    assert findings_of(case.classic()) == case.expected()


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.skipif(
        sys.version_info < case.needs, reason=f"Python {'.'.join(map(str, case.needs))} syntax"))
    for name, case in sorted(NEW_SYNTAX.items())
])
def test_new_syntax_finds_what_the_classic_spelling_finds(name: str):
    case = NEW_SYNTAX[name]
    new = case.new()
    assert new != case.classic()
    assert findings_of(new) == case.expected()


TYPE_PARAMETERS = {
    (3, 12): "[T_, S_: Session, C_: (int, str), *Ts_, **P_]",
    (3, 13): "[T_ = int, S_: Session = Session, *Ts_ = *tuple[int, ...], **P_ = [int]]",
}
_DEF_OR_CLASS = re.compile(r"^(\s*(?:async\s+)?def\s+\w+|\s*class\s+\w+)(?=\s*[(:])", re.M)


@pytest.mark.parametrize("version", [
    pytest.param(version, marks=pytest.mark.skipif(
        sys.version_info < version, reason=f"Python {'.'.join(map(str, version))} syntax"))
    for version in sorted(TYPE_PARAMETERS)
], ids=lambda v: ".".join(map(str, v)))
def test_fixtures_made_generic_find_the_same(version: Tuple[int, int]):
    """Type parameters on every ``def`` and ``class`` of every annotated
    fixture change nothing: same codes, lines and messages."""
    params = TYPE_PARAMETERS[version]
    fixtures = sorted(RULES_DIR.glob("dbs*.py"))
    assert fixtures
    total = 0
    for fixture in fixtures:
        source = fixture.read_text(encoding="utf-8")
        generic, count = _DEF_OR_CLASS.subn(lambda m: m.group(1) + params, source)
        assert count, fixture.name
        want = {(f.code, f.line, f.message) for f in check_twice(source)}
        got = {(f.code, f.line, f.message) for f in check_twice(generic)}
        assert got == want, fixture.name
        total += len(want)
    assert total > 300  # the fixtures hold hundreds of findings


# --- real flake8 ---------------------------------------------------------------------------


def write_flake8_cases(root: Path) -> Dict[str, Path]:
    files = {
        "syntax_error.py": b"def f(:\n    session.commit()\n",
        "empty.py": b"",
        "comments.py": b"# only\n# comments\n",
        "latin1.py": (
            b"# -*- coding: latin-1 -*-\n"
            b'OWNER = "Jos\xe9"\n'
            b'URL = "mysql://nova:s3cret@db.example.org/nova"\n'
        ),
        "nested.py": nested_blocks(BLOCK_MIXES["try-with-for"], "session.flush()").encode(),
        "long_line.py": ('URL = "mysql://u:pw@h/' + "a" * 1_000_000 + '"\n').encode(),
    }
    for name, source in EDGE_CASES.items():
        files[name.replace("-", "_") + ".py"] = textwrap.dedent(source).encode()
    for name, case in NEW_SYNTAX.items():
        if sys.version_info >= case.needs:
            files[name.replace("-", "_") + ".py"] = case.new().encode()
    paths = {}
    for name, data in files.items():
        path = root / name
        path.write_bytes(data)
        paths[name] = path
    return paths


@pytest.mark.slow
def test_real_flake8_reports_no_plugin_error(tmp_path: Path):
    paths = write_flake8_cases(tmp_path)
    proc = subprocess.run(
        [tool("flake8"), "--isolated", "--extend-select", "DBS303", "--select", "E999,DBS",
         "-j1", *sorted(p.name for p in paths.values())],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    output = proc.stdout + proc.stderr
    assert "failed during execution" not in output and "Traceback" not in output, output
    assert proc.returncode in (0, 1), output
    by_file: Dict[str, List[str]] = {}
    lines_by_file: Dict[str, Set[Tuple[str, int]]] = {}
    for line in proc.stdout.splitlines():
        name, _, rest = line.partition(":")
        code = rest.split(": ", 1)[1].split()[0] if ": " in rest else rest
        by_file.setdefault(name, []).append(code)
        lines_by_file.setdefault(name, set()).add((code, int(rest.split(":", 1)[0])))
    # new syntax under flake8 itself: exactly the findings the case expects
    for name, case in NEW_SYNTAX.items():
        if sys.version_info >= case.needs:
            assert lines_by_file.get(name.replace("-", "_") + ".py") == case.expected(), (name, output)
    assert by_file.pop("syntax_error.py") == ["E999"]
    assert "empty.py" not in by_file and "comments.py" not in by_file
    # the latin-1 file was decoded through its cookie and checked
    assert by_file.get("latin1.py") == ["DBS501"], output
    assert all(code.startswith("DBS") for codes in by_file.values() for code in codes), output
