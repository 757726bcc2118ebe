"""Never crash: no input Python can parse may make the plugin raise.

* property tests: ``hypothesmith`` (any grammatical Python) and
  ``never_crash_sources.db_modules`` (database-code fragments in random
  nesting), bounded to stay fast in CI; ``benchmarks/sweep.py --examples N``
  runs the same properties much longer, plus the stdlib and the corpus;
* explicit edge cases: empty and comment-only files, 1,000-deep expressions,
  blocks nested as deep as the tokenizer allows (99 levels), a 1 MB line,
  ``match``, async comprehensions, ``except*``, PEP 695 generics;
* real ``flake8`` subprocesses: a syntax error gives E999 and nothing else, a
  latin-1 file with a coding cookie is decoded and checked, and flake8 never
  prints a plugin failure.

Every finding must also be well formed (a known code, a line inside the file),
and checking the same source twice must give the same findings (no state
survives between files).
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path
from typing import Dict, List

import hypothesmith
import pytest
from conftest import tool
from hypothesis import HealthCheck, given, reject, settings
from never_crash_sources import db_modules

from flake8_dbsec.catalog import IMPLEMENTED
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
    return findings


def parse_or_reject(source: str) -> None:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        reject()  # not Python this interpreter parses: flake8 reports E999


def assert_never_crashes(source: str) -> None:
    """The property (also run at length by ``benchmarks/sweep.py``)."""
    parse_or_reject(source)
    first = run_plugin(source)
    assert check_tree(ast.parse(source), ALL_CODES) == first, "findings differ between two runs"


# --- properties -----------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(PROPERTY, max_examples=40)
@given(hypothesmith.from_grammar())
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


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_do_not_crash(name: str):
    run_plugin(textwrap.dedent(EDGE_CASES[name]))


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
    for line in proc.stdout.splitlines():
        name, _, rest = line.partition(":")
        code = rest.split(": ", 1)[1].split()[0] if ": " in rest else rest
        by_file.setdefault(name, []).append(code)
    assert by_file.pop("syntax_error.py") == ["E999"]
    assert "empty.py" not in by_file and "comments.py" not in by_file
    # the latin-1 file was decoded through its cookie and checked
    assert by_file.get("latin1.py") == ["DBS501"], output
    assert all(code.startswith("DBS") for codes in by_file.values() for code in codes), output
