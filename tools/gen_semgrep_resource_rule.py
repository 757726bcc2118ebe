"""Generate the DBS601 Semgrep YAML (resource not closed); the output is committed.

Why generated: Semgrep skips a rule on a file when the file lacks the
literals every alternative of the rule needs (its prefilter). A rule that
binds ``$V = $CREATE`` and checks ``$CREATE`` with ``metavariable-pattern``
has no such literal, so Semgrep ran its ~25 ``pattern-not-inside`` sequences
on every function of every file and timed out on large modules. Here each
creation shape is spelled out as its own pattern (``$V = sqlite3.connect(...)``,
``sqlite3.connect(...).$METHOD(...)``, the awaited forms), and the name-based
shapes (``engine.connect()``, ``conn.cursor()``) carry a ``pattern-regex`` or a
literal method name, so a file without a creation call costs nothing.

Edit this file, run ``python tools/gen_semgrep_resource_rule.py`` and commit
the YAML.
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from gen_semgrep_error_rules import header, ind  # noqa: E402

#: calls that open a connection or session (fully qualified: Semgrep resolves imports)
CREATORS = (
    "sqlite3.connect(...)", "psycopg2.connect(...)", "psycopg.connect(...)",
    "psycopg.Connection.connect(...)", "pymysql.connect(...)", "MySQLdb.connect(...)",
    "mysql.connector.connect(...)", "cx_Oracle.connect(...)", "oracledb.connect(...)",
    "pyodbc.connect(...)", "pg8000.connect(...)",
    "sqlalchemy.orm.Session(...)", "sqlalchemy.orm.session.Session(...)",
    "sqlalchemy.ext.asyncio.AsyncSession(...)", "sqlalchemy.ext.asyncio.session.AsyncSession(...)",
    "sqlmodel.Session(...)", "sqlalchemy.orm.sessionmaker(...)(...)",
    "sqlalchemy.ext.asyncio.async_sessionmaker(...)(...)", "sqlalchemy.create_engine(...).connect()",
)
#: coroutine creators: the object is bound from ``await ...``
AWAITED_CREATORS = (
    "psycopg.AsyncConnection.connect(...)", "asyncpg.connect(...)", "aiosqlite.connect(...)",
    "aiomysql.connect(...)",
)
ENGINE_RE = r"^(?:[\s\S]*\.)?(?:engine|\w*_engine|\w*Engine)$"
#: the literal text an engine-connect needs: lets Semgrep skip files without one
ENGINE_TEXT_RE = r"[Ee]ngine\s*\.\s*(?:connect|raw_connection)\s*\("
CONN_RE = (r"^(?:[\s\S]*\.)?(?:session|\w*_session|sess|conn|connection|\w*_conn|"
           r"\w*_connection|cursor|cur|\w*_cursor|db)$")

MESSAGE = ("Session, connection or cursor created outside a with block and not closed in a "
           "finally: it leaks when an error is raised; use 'with' (or close it in finally)")

#: how the object is owned safely after ``$V = <creation>`` (the spec's "not leaks")
HANDED_ON = """
# closed in a finally (created before or inside the try)
- pattern-not-inside: |
    $V = $C
    ...
    try:
        ...
    finally:
        ...
        <... $V.close() ...>
- pattern-not-inside: |
    try:
        ...
    finally:
        ...
        <... $V.close() ...>
# closed by the very next statement: nothing can fail in between
- pattern-not-inside: |
    $V = $C
    $V.close()
- pattern-not-inside: |
    try:
        ...
        $V = $C
    except $E:
        ...
    else:
        $V.close()
        ...
- pattern-not-inside: |
    try:
        ...
        $V = $C
    except $E as $ERR:
        ...
    else:
        $V.close()
        ...
# created last in a try with no else nor finally: the statement after the try runs next
- pattern-not-inside: |
    try:
        ...
        $V = $C
    except $E:
        ...
    $V.close()
- pattern-not-inside: |
    try:
        ...
        $V = $C
    except $E as $ERR:
        ...
    $V.close()
# closed in a broad handler (created before or inside the try)
- pattern-not-inside: |
    $V = $C
    ...
    try:
        ...
    except Exception:
        ...
        <... $V.close() ...>
- pattern-not-inside: |
    $V = $C
    ...
    try:
        ...
    except BaseException:
        ...
        <... $V.close() ...>
- pattern-not-inside: |
    $V = $C
    ...
    try:
        ...
    except:
        ...
        <... $V.close() ...>
- pattern-not-inside: |
    try:
        ...
    except Exception:
        ...
        <... $V.close() ...>
- pattern-not-inside: |
    try:
        ...
    except Exception as $ERR:
        ...
        <... $V.close() ...>
- pattern-not-inside: |
    try:
        ...
    except BaseException as $ERR:
        ...
        <... $V.close() ...>
- pattern-not-inside: |
    try:
        ...
    except:
        ...
        <... $V.close() ...>
# used as a with item later
- pattern-not-inside: |
    $V = $C
    ...
    with $V:
        ...
- pattern-not-inside: |
    $V = $C
    ...
    with $V as $A:
        ...
- pattern-not-inside: |
    $V = $C
    ...
    with $WRAP($V) as $A:
        ...
- pattern-not-inside: |
    $V = $C
    ...
    with $WRAP($V):
        ...
- pattern-not-inside: |
    $V = $C
    ...
    async with $V:
        ...
# a session (lazy) whose work is all in a transaction block
- pattern-not-inside: |
    $V = sqlalchemy.orm.Session(...)
    ...
    with $V.begin():
        ...
- pattern-not-inside: |
    $V = sqlalchemy.orm.session.Session(...)
    ...
    with $V.begin():
        ...
- pattern-not-inside: |
    $V = sqlalchemy.ext.asyncio.AsyncSession(...)
    ...
    async with $V.begin():
        ...
# handed on: returned, yielded, stored, given to closing()/an ExitStack
- pattern-not-inside: |
    $V = $C
    ...
    return $V
- pattern-not-inside: |
    $V = $C
    ...
    return $WRAP(..., $V, ...)
# returned in a tuple (return engine, connection)
- pattern-not-inside: |
    $V = $C
    ...
    return (..., $V, ...)
- pattern-not-inside: |
    $V = $C
    ...
    return $WRAP(..., $KEY=$V, ...)
- pattern-not-inside: |
    $V = $C
    ...
    yield $V
- pattern-not-inside: |
    $V = $C
    ...
    $OBJ.$ATTR = $V
- pattern-not-inside: |
    $V = $C
    ...
    $OBJ[$KEY] = $V
# handed to the base class's initializer: stored on self
- pattern-not-inside: |
    $V = $C
    ...
    super().__init__(..., $V, ...)
- pattern-not-inside: |
    $V = $C
    ...
    $BASE.__init__(self, ..., $V, ...)
- pattern-not-inside: |
    $V = $C
    ...
    self.$ATTR.$ADD($V)
- pattern-not-inside: |
    $V = $C
    ...
    $STACK.enter_context($V)
- pattern-not-inside: |
    $V = $C
    ...
    contextlib.closing($V)
- pattern-not-inside: |
    $V = $C
    ...
    $REGISTER(..., $V.close, ...)
"""

NOT_A_LEAK_ON_CREATION = """
# a Session without a bind never holds a connection
- pattern-not: $V = sqlalchemy.orm.Session()
- pattern-not: $V = sqlalchemy.orm.session.Session()
- pattern-not: $V = sqlalchemy.ext.asyncio.AsyncSession()
- pattern-not: $V = sqlmodel.Session()
# a session riding on a connection someone else owns (Alembic's)
- pattern-not: $V = sqlalchemy.orm.Session(bind=$OP.get_bind(), ...)
- pattern-not: $V = sqlalchemy.orm.Session($OP.get_bind(), ...)
- pattern-not-inside: |
    $B = $OP.get_bind()
    ...
    $V = sqlalchemy.orm.Session(bind=$B, ...)
    ...
- metavariable-regex:
    metavariable: $V
    regex: ^\\w+$
- pattern-not-inside: |
    global $V
    ...
"""


CREATED_THEN = "- pattern-not-inside: |\n    $V = $C\n    ...\n"


def anchored_on_function(block):
    """``$V = $C ... <stmt>`` as ``def $FUNC(...): ... <stmt>``.

    Semgrep evaluates a ``pattern-not-inside`` over the whole file, whatever
    the positive matched. Starting at ``$V = $C`` it tries every assignment
    against every later statement: quadratic in a long run of assignments
    (a module of 500 settings, a 10,000-line class), where it hit Semgrep's
    5 s timeout. Anchored on the enclosing function (the same ``$FUNC`` as
    the rule's ``pattern-inside``) it is linear. The price: a hand-off
    before the creation also counts, which real code does not do.
    """
    head, *items = block.strip("\n").split("- pattern-not-inside: |\n")
    out = [head]
    for item in items:
        text = "- pattern-not-inside: |\n" + item
        if text.startswith(CREATED_THEN):
            rest = text[len(CREATED_THEN):]
            text = "- pattern-not-inside: |\n    def $FUNC(...):\n        ...\n" + \
                "".join("    " + line + "\n" for line in rest.splitlines() if line.startswith("    ")) + \
                "".join(line + "\n" for line in rest.splitlines() if not line.startswith("    "))
        out.append(text)
    return "".join(out)


def either(patterns):
    return "- pattern-either:\n" + "\n".join(f"  - pattern: {p}" for p in patterns)


def by_name(patterns, metavariable, regex, text_regex=None, extra=""):
    """Creation shapes recognised by the receiver's name (engine, conn)."""
    out = "- patterns:\n" + ind(either(patterns), 2) + "\n"
    if text_regex:
        out += f"  - pattern-regex: '{text_regex}'\n"
    out += f"  - metavariable-regex:\n      metavariable: {metavariable}\n      regex: '{regex}'"
    return out + ("\n" + ind(extra, 2) if extra else "")


#: a cursor goes with its connection (PEP 249): not reported when that
#: connection is a with target, is created in this function (judged itself),
#: is closed in a finally or a broad handler, is handed back to its pool in a
#: finally, is used in a with item or has its close() registered; or it is the
#: DB-API connection of a with target
CURSOR_OF_AN_OWNED_CONNECTION = """# the cursor's connection is owned: a with target (or its .connection),
# made here (judged itself), closed on error, used in a with item, its
# close() registered
- pattern-not-inside: |
    with $CWITH as $CONN:
        ...
- pattern-not-inside: |
    async with $CWITH as $CONN:
        ...
- pattern-not-inside: |
    with $CWRAP(..., $CONN, ...):
        ...
- pattern-not-inside: |
    with $CWRAP(..., $CONN, ...) as $CX:
        ...
# the DB-API connection under a with target (``conn.connection.cursor()``
# in ``with engine.connect() as conn``): the pool takes it back with conn
- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern-inside: |
          with $CWITH as $COWNER:
              ...
      - pattern-inside: |
          async with $CWITH as $COWNER:
              ...
    - pattern-either:
      - pattern: $V = $COWNER.connection.cursor(...)
      - pattern: $V = await $COWNER.connection.cursor(...)
      - pattern: $COWNER.connection.cursor(...).$METHOD(...)
- pattern-not-inside: |
    def $FUNC(...):
        ...
        $CONN = $CMOD.connect(...)
        ...
- pattern-not-inside: |
    def $FUNC(...):
        ...
        $CONN = await $CMOD.connect(...)
        ...
- pattern-not-inside: |
    def $FUNC(...):
        ...
        $CONN = $CENGINE.raw_connection()
        ...
- pattern-not-inside: |
    def $FUNC(...):
        ...
        try:
            ...
        finally:
            ...
            <... $CONN.close() ...>
- pattern-not-inside: |
    def $FUNC(...):
        ...
        try:
            ...
        except Exception:
            ...
            <... $CONN.close() ...>
- pattern-not-inside: |
    def $FUNC(...):
        ...
        $REGISTER(..., $CONN.close, ...)
        ...
# handed back to its pool in a finally (``database.put_connection(conn)``)
- pattern-not-inside: |
    def $FUNC(...):
        ...
        try:
            ...
        finally:
            ...
            <... $RELEASE(..., $CONN, ...) ...>
- pattern-not-inside: |
    def $FUNC(...):
        ...
        try:
            ...
        finally:
            ...
            <... $POOL.$RELEASE(..., $CONN, ...) ...>"""


#: a client-side cursor bound to a local that the function closes on no path,
#: of a connection it did not make (an attribute, a parameter, an outer name),
#: lives with its frame and connection by design: judged only when it is
#: closed on some path, is named (server-side), or its connection is a local
#: bound here to a call's result (made here)
CURSOR_JUDGED = """# a cursor closed on no path, of a borrowed connection, is left to it
- pattern-either:
  - pattern-inside: |
      def $FUNC(...):
          ...
          <... $V.close() ...>
          ...
  # closed through what one of its methods returns (result = cur.execute(q))
  - pattern-inside: |
      def $FUNC(...):
          ...
          $ALIAS = $V.$RETURNS(...)
          ...
          <... $ALIAS.close() ...>
          ...
  - pattern: $V = $CONN.cursor($CNAME, ...)
  - pattern: $V = $CONN.cursor(..., name=$CNAME, ...)
  - pattern: $V = await $CONN.cursor($CNAME, ...)
  - pattern: $V = await $CONN.cursor(..., name=$CNAME, ...)
  - patterns:
    - pattern-either:
      - pattern-inside: |
          def $FUNC(...):
              ...
              $CONN = $MAKE(...)
              ...
      - pattern-inside: |
          def $FUNC(...):
              ...
              $CONN = await $MAKE(...)
              ...
    - metavariable-regex:
        metavariable: $CONN
        regex: ^\w+$"""


def creations(shape):
    """Every creation call, put into ``shape`` ('$V = {}', '{}.$METHOD(...)')."""
    direct = [shape.format(c) for c in CREATORS]
    awaited = [shape.format(("await " if "$V" in shape else "") + c) for c in AWAITED_CREATORS]
    engine = [shape.format(f"{aw}$ENGINE.{m}()") for m in ("connect", "raw_connection")
              for aw in (("", "await ") if "$V" in shape else ("",))]
    if "$V" in shape:
        cursor = [shape.format(f"{aw}$CONN.cursor(...)") for aw in ("", "await ")]
    else:
        # used once and dropped: a temporary client-side cursor is freed when
        # its expression ends; only a named (server-side) one holds a portal
        cursor = [shape.format(f"$CONN.cursor({args})") for args in ("$CNAME, ...", "..., name=$CNAME, ...")]
    return "\n".join([
        *(f"- pattern: {p}" for p in direct + awaited),
        by_name(engine, "$ENGINE", ENGINE_RE, ENGINE_TEXT_RE),
        by_name(cursor, "$CONN", CONN_RE, extra=CURSOR_OF_AN_OWNED_CONNECTION
                + ("\n" + CURSOR_JUDGED if "$V" in shape else "")),
    ])


def dbs601():
    bound = "- patterns:\n  - pattern-either:\n" + ind(creations("$V = {}"), 4) + "\n" + \
        ind(NOT_A_LEAK_ON_CREATION, 2) + "\n" + ind(anchored_on_function(HANDED_ON), 2) + "\n"
    dropped = "- patterns:\n  - pattern-either:\n" + ind(creations("{}.$METHOD(...)"), 4) + "\n" + \
        "  - metavariable-regex:\n      metavariable: $METHOD\n      regex: ^(?!execution_options$|close$|__enter__$|__aenter__$)\\w+$\n"
    body = "  # Generated by tools/gen_semgrep_resource_rule.py: edit that, not this file.\n  patterns:\n" + ind("""
# Module-level objects live for the process: only function bodies.
- pattern-inside: |
    def $FUNC(...):
        ...
- pattern-either:
  # (a) bound to a local that is never handed on nor closed on error
""", 2) + "\n" + ind(bound, 4) + "\n" + \
        "    # (b) used once and dropped: engine.connect().execute(...)\n" + ind(dropped, 4) + "\n"
    return header("DBS601", MESSAGE, technology=("python", "sqlalchemy", "dbapi"), symbolic=False) + body


def main():
    (ROOT / "semgrep-rules" / "dbs601-db-resource-not-closed.yaml").write_text(dbs601())


if __name__ == "__main__":
    main()
