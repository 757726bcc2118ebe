"""Hypothesis strategies for the never-crash property (tests and benchmarks/sweep.py).

``hypothesmith`` produces any Python the grammar allows, but its random names
rarely look like database code, so the rules' deeper paths (session-like
receivers, statements through locals, handlers, loggers) would stay cold.
``db_modules()`` adds source built from database-code *fragments* nested in
random blocks: the same vocabulary the rules look for, in shapes no fixture
has (starred arguments, ``**kwargs``, missing arguments, lambdas, awaits,
walrus, ``match``, handlers of every form). It only needs to parse, not run.

On interpreters that parse them it also draws newer syntax: PEP 695 type
parameters on ``def``/``class`` and ``type`` aliases (3.12), PEP 701 f-strings
with nested quotes, backslashes and comments in their fields, used as SQL text
and log messages (3.12), and PEP 696 type-parameter defaults (3.13).
"""

from __future__ import annotations

import sys
from typing import List

from hypothesis import strategies as st

PY = sys.version_info[:2]

RECEIVERS = (
    "session", "self.session", "context.session", "ctx.session", "db.session", "conn",
    "connection", "cursor", "cur", "self._session", "s", "q", "query", "stmt", "result",
    "engine", "LOG", "logger", "logging", "log", "row", "x", "self", "sa", "models.Thing",
    "Model.query", "model_query(context, Thing)", "session.query(Thing)", "(yield)",
    "(await session)", "sqlite3", "psycopg2", "engine.connect()", "conn.cursor()",
)
METHODS = (
    "flush", "commit", "execute", "executemany", "exec_driver_sql", "executescript",
    "add", "add_all", "delete", "merge", "update", "save", "query", "rollback", "close",
    "debug", "info", "warning", "error", "exception", "log", "cursor", "fetchone",
    "fetchall", "scalar", "first", "one", "all", "get", "filter", "filter_by", "where",
    "values", "returning", "begin", "connect", "bulk_save_objects", "update_on_match",
    "soft_delete", "format", "join", "bindparams", "render_as_string", "getLogger",
)
NAMES = (
    "session", "conn", "cursor", "cur", "stmt", "result", "res", "q", "query", "row",
    "count", "sql", "password", "token", "consumer_uuid", "uuid", "db_url", "x", "e",
    "values", "ref", "engine", "SessionLocal", "LOG", "self", "item",
)
ARGS = (
    "", "stmt", "sql", "x", "*args", "**kwargs", "x, y", "'%s', uuid", "'%s', password",
    "'%(a)s', {'a': consumer_uuid, 'uuid': x}", "values", "{'a': 1}", "{}",
    "text(f'UPDATE t SET a = {x} WHERE id = :id')", "'DELETE FROM t WHERE id = %s' % x",
    "\"SELECT * FROM \" + table", "'INSERT INTO t VALUES (%s)', (x,)", "sa.text('UPDATE t SET g = g + 1')",
    "sa.update(T).where(T.c.generation == g).values(generation=g + 1)",
    "T.delete().where(T.c.id == i)", "update(T).values(**kw)", "lambda: session.commit()",
    "(y := session.flush())", "f'{token}'", "'mysql://user:s3cret@db/nova'", "password='hunter2'",
    "instance=inst", "instance_uuid=uuid", "extra={'token': token}", "str(uuid)", "repr(password)",
    "len(password)", "uuid.uuid4()", "logging.DEBUG, '%s', uuid", "10, 'x %s', ref",
    "hide_password=False", "strutils.mask_password(password)", "', '.join(cols)",
    "':p%d' % i", "int(x)", "dialect.identifier_preparer.quote(name)", "*[]", "synchronize_session=False",
    "expected_task_state=None", "'a.png'", "None", "...", "-1", "b'UPDATE t'", "[*rows]",
) + ((
    # PEP 701: the field reuses the string's quotes, holds backslashes, spans lines with comments
    'text(f"SELECT {", ".join(cols)} FROM t WHERE uuid = {values["uuid"]}")',
    'f"{x["uuid"]}"', "f'{password!r:>{width}} {'\\n'.join(rows)}'",
    'f"DELETE FROM {f"{f"{table}"}"} WHERE id = {i}"',
    'f"UPDATE t SET a = {\n    x["a"]  # a comment\n} WHERE id = :id"',
    'f"{"mysql://user:s3cret@db/nova"}"', "'%s', " 'f"{uuid!r} {"\\t".join(ref)}"',
) if PY >= (3, 12) else ())
EXCEPTIONS = (
    "", "Exception", "BaseException", "db_exc.DBError", "db_exc.DBDuplicateEntry",
    "(db_exc.DBDuplicateEntry, db_exc.DBDeadlock)", "sqlalchemy.exc.IntegrityError",
    "IntegrityError", "sqlite3.Error", "psycopg2.errors.UniqueViolation", "KeyError",
    "(KeyError, ValueError)", "exc_types", "()", "errors[0]", "get_error()",
)
ASSIGN_TARGETS = ("{name}", "{name}, other", "self.{name}", "{name}[0]", "*{name}, rest", "{name}: int")
SIMPLE = (
    "pass", "continue", "break", "...", "return", "return None", "return {expr}", "yield {expr}",
    "raise", "raise Error() from e", "del {name}", "global {name}", "nonlocal {name}",
    "assert {expr}", "{name} += 1", "print({name}.rowcount)", "if {name}.rowcount != 1: raise Error()",
    "import sqlalchemy as sa", "from oslo_db import exception as db_exc", "from sqlalchemy import text, update",
    "from sqlalchemy.orm import sessionmaker", "SessionLocal = sessionmaker(bind=engine)",
    "import logging", "LOG = logging.getLogger(__name__)",
) + (("type X = int", "type Rows[T: Base] = list[{name}]", "type Q[*Ts, **P] = {expr}")
     if PY >= (3, 12) else ()) + (("type D[T = {name}, *Ts = *tuple[int]] = T",) if PY >= (3, 13) else ())
#: PEP 695 type parameters for ``def`` and ``class`` (PEP 696 defaults on 3.13)
TYPE_PARAMS = ("",) + (
    ("[T]", "[S: Session, *Ts, **P]", "[T: (str, bytes), U: session.query(Thing)]")
    if PY >= (3, 12) else ()
) + (("[T = int]", "[S: Session = Session, *Ts = *tuple[int, ...], **P = [int, str]]")
     if PY >= (3, 13) else ())


@st.composite
def expressions(draw) -> str:
    """A call on a DB-ish receiver, possibly chained, awaited or subscripted."""
    text = f"{draw(st.sampled_from(RECEIVERS))}.{draw(st.sampled_from(METHODS))}({draw(st.sampled_from(ARGS))})"
    for _ in range(draw(st.integers(0, 3))):
        text += f".{draw(st.sampled_from(METHODS))}({draw(st.sampled_from(ARGS))})"
    wrap = draw(st.sampled_from(("{}", "await {}", "({})", "{}.rowcount", "{}[0]", "not {}",
                                 "[r for r in {}]", "{} if x else None", "lambda: {}")))
    return wrap.format(text)


@st.composite
def simple_statements(draw) -> List[str]:
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return [draw(expressions())]
    if kind == 1:
        target = draw(st.sampled_from(ASSIGN_TARGETS)).format(name=draw(st.sampled_from(NAMES)))
        return [f"{target} = {draw(expressions())}"]
    template = draw(st.sampled_from(SIMPLE))
    return [template.format(name=draw(st.sampled_from(NAMES)), expr=draw(expressions()))]


def _indent(lines: List[str]) -> List[str]:
    return ["    " + line for line in lines] or ["    pass"]


@st.composite
def blocks(draw, body) -> List[str]:
    """One compound statement around ``body`` strategies."""
    kind = draw(st.integers(0, 9))
    inner = draw(body)
    expr = draw(expressions())
    name = draw(st.sampled_from(NAMES))
    if kind == 0:
        out = ["try:"] + _indent(inner)
        handlers = draw(st.integers(0, 2))
        for _ in range(handlers):
            exc = draw(st.sampled_from(EXCEPTIONS))
            alias = f" as {name}" if exc and draw(st.booleans()) else ""
            out += [f"except {exc}{alias}:".replace("except :", "except:")] + _indent(draw(body))
        if handlers == 0 or draw(st.booleans()):
            out += ["finally:"] + _indent(draw(body))
        return out
    if kind == 1:
        return [f"{'async ' if draw(st.booleans()) else ''}with {expr} as {name}:"] + _indent(inner)
    if kind == 2:
        return [f"{'async ' if draw(st.booleans()) else ''}for {name} in {expr}:"] + _indent(inner)
    if kind == 3:
        out = [f"if {expr}:"] + _indent(inner)
        return out + (["else:"] + _indent(draw(body)) if draw(st.booleans()) else [])
    if kind == 4:
        deco = draw(st.sampled_from(("", "@enginefacade.writer", "@sql.handle_conflicts",
                                     "@oslo_db_api.wrap_db_retry(max_retries=5)", "@property")))
        params = draw(st.sampled_from(("", "session", "self, context, uuid", "*args, **kwargs",
                                       "ctx, /, x=session.flush(), *, y", "self")))
        head = (f"{'async ' if draw(st.booleans()) else ''}def f_{draw(st.integers(0, 9))}"
                f"{draw(st.sampled_from(TYPE_PARAMS))}({params}):")
        return ([deco] if deco else []) + [head] + _indent(inner)
    if kind == 5:
        return [f"class C{draw(st.integers(0, 9))}{draw(st.sampled_from(TYPE_PARAMS))}(Base):"] + _indent(inner)
    if kind == 6:
        return [f"while {expr}:"] + _indent(inner)
    if kind == 7 and PY >= (3, 10):
        pattern = draw(st.sampled_from(("{'uuid': u}", "[x, *rest]", "Thing(a=1)", "_", "str() | None")))
        return [f"match {expr}:", f"    case {pattern}:"] + ["    " + line for line in _indent(inner)]
    if kind == 9 and PY >= (3, 11):
        return ["try:"] + _indent(inner) + ["except* Exception:"] + _indent(draw(body))
    return [f"with {expr}, {draw(expressions())}:"] + _indent(inner)


def db_modules(max_leaves: int = 25) -> st.SearchStrategy[str]:
    """Whole modules of nested database-flavoured statements."""
    statements = st.recursive(
        simple_statements(),
        lambda body: blocks(st.lists(body, min_size=1, max_size=3).map(_flatten)),
        max_leaves=max_leaves,
    )
    return st.lists(statements, min_size=1, max_size=6).map(lambda parts: "\n".join(_flatten(parts)) + "\n")


def _flatten(parts: List[List[str]]) -> List[str]:
    return [line for part in parts for line in part]
