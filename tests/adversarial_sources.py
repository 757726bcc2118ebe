"""Adversarial sources: the shapes that once made the plugin hang or go quadratic.

Each class builds a module of about ``size`` bytes around one shape a hostile
or unlucky pull request can hold: a run of SQL comments before the statement
(an exponential regex), a huge inline literal or a long SET/WHERE list in an
UPDATE (quadratic column extractors), ``"%("`` runs in a format string,
``://a:`` runs in a URL literal, thousands of cursors or rebindings in one
function (quadratic rules). SQL text reaches the plugin through every sink and
every way of building it: ``execute``, ``exec_driver_sql``, ``text()``,
f-strings, ``%`` and ``+``.

``tests/test_adversarial.py`` checks each class within a generous time bound;
``benchmarks/sweep.py --adversarial`` times each against plain flake8 on the
same file, up to 1 MB. ``needs_sqltext`` marks the classes that only the
linear SQL-text reader (``flake8_dbsec/analysis/sqltext.py``) keeps fast.
"""

from __future__ import annotations

from typing import Callable, Dict, NamedTuple

#: the sink spellings of one SQL text; ``{sql}`` is a Python string literal,
#: ``{raw}`` the text for an f-string
SINKS: Dict[str, str] = {
    "execute": "    cursor.execute({sql})\n",
    "exec_driver_sql": "    conn.exec_driver_sql({sql})\n",
    "text": "    session.execute(text({sql}))\n",
    "fstring": "    cursor.execute(f{fsql})\n",
    "percent": "    cursor.execute({sql} % (x,))\n",
    "concat": "    cursor.execute({sql} + x)\n",
}

HEADER = (
    "import logging\n"
    "import psycopg2\n"
    "from sqlalchemy import text, update\n\n"
    "LOG = logging.getLogger(__name__)\n\n\n"
    "def f(session, conn, cursor, engine, x, values, uuid):\n"
)


class Case(NamedTuple):
    make: Callable[[int], str]  # size in bytes -> module source
    #: quadratic or worse under the old SQL-text regexes of semantics.py: it
    #: stays within the bound only with the linear reader, analysis/sqltext.py
    needs_sqltext: bool
    description: str


def _literal(text: str) -> str:
    return repr(text)


def _fstring_literal(text: str) -> str:
    """``text`` as an f-string literal body (quotes included) ending in a field."""
    return repr(text.replace("{", "{{").replace("}", "}}") + "{x}")


def sql_module(sql: str, sink: str) -> str:
    """One function that sends ``sql`` to one sink."""
    line = SINKS[sink].format(sql=_literal(sql), fsql=_fstring_literal(sql))
    return HEADER + line


def _repeat(unit: str, size: int) -> str:
    return unit * max(1, size // len(unit))


# --- SQL text (the head, WHERE and SET readers) -------------------------------------------------


def _comment_run(size: int) -> str:
    return _repeat("/* c */ ", size) + ";"


def _line_comments(size: int) -> str:
    return _repeat("-- c\n", size) + "DELETE FROM t WHERE generation = 1"


def _open_parens(size: int) -> str:
    return _repeat("( ", size) + "SELECT 1"


def _hex_in_set(size: int) -> str:
    return "UPDATE t SET data = x'" + _repeat("ab", size) + "' WHERE id = 1 AND generation = 2"


def _hex_in_where(size: int) -> str:
    return "UPDATE t SET a = 1 WHERE generation = 2 AND data = x'" + _repeat("ab", size) + "'"


def _unterminated_literal(size: int) -> str:
    return "UPDATE t SET data = 'x' WHERE generation = '" + _repeat("a", size)


def _set_list(size: int) -> str:
    count = max(1, size // 14)
    return ("UPDATE t SET " + ", ".join(f"c{i} = {i}" for i in range(count))
            + " WHERE generation = 1")


def _where_list(size: int) -> str:
    count = max(1, size // 16)
    return "UPDATE t SET a = 1 WHERE " + " AND ".join(f"c{i} = {i}" for i in range(count))


def _word_in_set(size: int) -> str:
    return "UPDATE t SET " + _repeat("a", size) + " WHERE generation = 1"


def _word_in_where(size: int) -> str:
    return "DELETE FROM t WHERE " + _repeat("a", size)


def _dotted_run(size: int) -> str:
    return "UPDATE t SET a = 1 WHERE " + _repeat("a.", size)


def _nested_where(size: int) -> str:
    depth = max(1, size // 2)
    return "DELETE FROM t WHERE " + "(" * depth + "generation = 1" + ")" * depth


def _space_runs(size: int) -> str:
    return "UPDATE t SET a" + _repeat(" ", size) + "= 1 WHERE b" + _repeat(" ", size) + "x"


def _long_head(size: int) -> str:
    return _repeat(" ", size) + "UPDATE t SET a = 1"


#: the shapes the old SQL-text regexes were quadratic or exponential on
QUADRATIC_BEFORE = frozenset({
    "comment-run", "hex-in-set", "hex-in-where", "unterminated-literal",
    "word-in-set", "word-in-where", "dotted-run",
})
SQL_SHAPES: Dict[str, Callable[[int], str]] = {
    "comment-run": _comment_run,
    "line-comments": _line_comments,
    "open-parens": _open_parens,
    "hex-in-set": _hex_in_set,
    "hex-in-where": _hex_in_where,
    "unterminated-literal": _unterminated_literal,
    "set-list": _set_list,
    "where-list": _where_list,
    "word-in-set": _word_in_set,
    "word-in-where": _word_in_where,
    "dotted-run": _dotted_run,
    "nested-where": _nested_where,
    "space-runs": _space_runs,
    "long-head": _long_head,
}


def _filter_text(size: int) -> str:
    """``text()`` inside a filter: its comparisons are read too."""
    return HEADER + (
        "    session.query(M).filter(text(" + _literal(_repeat("a", size)) + ")).update({'a': 1})\n"
    )


# --- other text the plugin reads --------------------------------------------------------------------


def _percent_log(size: int) -> str:
    return HEADER + "    LOG.debug(" + _literal(_repeat("%(", size)) + ", values)\n"


def _percent_sql(size: int) -> str:
    return HEADER + "    cursor.execute(" + _literal("UPDATE t SET a = " + _repeat("%(", size)) + " % values)\n"


def _url_runs(size: int) -> str:
    return HEADER + "    url = " + _literal(_repeat(" mysql://a:", size)) + "\n"


def _url_password_run(size: int) -> str:
    return HEADER + "    url = " + _literal("mysql://a:" + _repeat("b:", size)) + "\n"


def _dsn_runs(size: int) -> str:
    return HEADER + "    psycopg2.connect(" + _literal(_repeat(" password=", size)) + ")\n"


def _placeholder_runs(size: int) -> str:
    return HEADER + "    cursor.execute(f" + _fstring_literal(_repeat(":a ", size) + "!") + ")\n"


def _huge_key(size: int) -> str:
    return HEADER + "    LOG.debug('%s', values[" + _literal(_repeat("a", size) + "_uuid") + "])\n"


# --- rules: many statements in one function ---------------------------------------------------------


def _statements(unit: str, size: int) -> str:
    return HEADER + _repeat(unit, size)


RULE_SHAPES: Dict[str, str] = {
    "cursors": "    cur = conn.cursor()\n    cur.execute('SELECT 1')\n",
    "connections": "    c = engine.connect()\n    c.execute(x)\n",
    "rebinding": "    sql = 'DELETE FROM t WHERE a = ' + x\n    cursor.execute(sql)\n",
    "query-chain": "    q = session.query(M).filter(M.a == x)\n    q.update({'a': 1})\n",
    "appends": "    parts.append(x)\n    cursor.execute(' '.join(parts))\n",
}


def _many_helpers(size: int) -> str:
    """Thousands of helpers that write, all called from one function: each
    helper's call sites were found by scanning every call of the module."""
    count = max(1, size // 60)
    helpers = "".join(f"def helper_{i}(session):\n    session.flush()\n\n\n" for i in range(count))
    calls = "".join(f"    helper_{i}(session)\n" for i in range(count))
    return HEADER + "    pass\n\n\n" + helpers + "def caller(session):\n" + calls


def _borrowing_method(size: int) -> str:
    """Thousands of connections handed to one large method that only borrows
    them: the method's body was read again for every connection."""
    body = "".join(f"        rows_{i} = conn.execute(q)\n" for i in range(500))
    count = max(1, (size - len(body)) // 60)
    return (HEADER + "    pass\n\n\nclass Repo:\n    def _run(self, conn):\n" + body
            + "        return None\n\n    def work(self, engine):\n"
            + "        conn = engine.connect()\n        self._run(conn)\n" * count)


def _classes() -> Dict[str, Case]:
    cases: Dict[str, Case] = {}
    for shape, make in SQL_SHAPES.items():
        for sink in SINKS:
            cases[f"sql-{shape}-{sink}"] = Case(
                lambda size, make=make, sink=sink: sql_module(make(size), sink),
                shape in QUADRATIC_BEFORE, f"SQL text ({shape}) through {sink}")
    cases["sql-text-in-filter"] = Case(_filter_text, True, "text() in a filter: its comparisons")
    cases["percent-log"] = Case(_percent_log, False, "'%(' runs in a log message")
    cases["percent-sql"] = Case(_percent_sql, False, "'%(' runs in %-formatted SQL")
    cases["url-runs"] = Case(_url_runs, False, "' mysql://a:' runs in a literal (DBS501)")
    cases["url-password-run"] = Case(_url_password_run, False, "one URL, a long password-like run")
    cases["dsn-runs"] = Case(_dsn_runs, False, "' password=' runs in a DSN (DBS501)")
    cases["placeholder-runs"] = Case(_placeholder_runs, False, "':a ' runs in an f-string (DBS401)")
    cases["huge-subscript-key"] = Case(_huge_key, False, "a logged value under a huge key (DBS201)")
    cases["rule-many-helpers"] = Case(_many_helpers, False, "thousands of writing helpers, one caller")
    cases["rule-borrowing-method"] = Case(_borrowing_method, False,
                                          "thousands of connections lent to one large method")
    for shape, unit in RULE_SHAPES.items():
        cases[f"rule-{shape}"] = Case(
            lambda size, unit=unit: _statements(unit, size), False,
            f"one function, '{unit.strip().splitlines()[0]}' repeated")
    return cases


ADVERSARIAL: Dict[str, Case] = _classes()
