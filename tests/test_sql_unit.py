"""DBS401 (SQL built from non-constant values): message fields, data flow, edge cases.

The annotated fixture ``semgrep-rules/dbs401-sql-built-from-strings.py`` holds
the spec's cases for both engines; these tests pin what a fixture cannot show
(message fields, columns, depth limits, parser corners).
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesmith import from_grammar

from flake8_dbsec.checker import check_source, check_tree
from flake8_dbsec.options import DEFAULT_SETTINGS
from flake8_dbsec.analysis.semantics.sqltrace import _format_fields, _placeholders_only, _printf

ONLY_401 = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS401"}))


def findings(source: str):
    found = check_source(textwrap.dedent(source), ONLY_401)
    return [(f.line, f.col, f.message) for f in found if f.code == "DBS401"]


def lines(source: str):
    return [line for line, _col, _msg in findings(source)]


# -- message fields ----------------------------------------------------------------


@pytest.mark.parametrize(
    "expr, how",
    [
        ('f"SELECT * FROM t WHERE a = {x}"', "f-string"),
        ('"SELECT * FROM t WHERE a = %s" % x', "% formatting"),
        ('"SELECT * FROM t WHERE a = " + x', "concatenation"),
        ('"SELECT * FROM t WHERE a = {}".format(x)', "str.format"),
        ('" ".join(["SELECT * FROM t WHERE a =", x])', "join"),
    ],
)
def test_how_names_the_building_mechanism(expr, how):
    (found,) = findings(f"def f(cursor, x):\n    cursor.execute({expr})\n")
    assert f"SQL built with {how} from non-constant values passed to cursor.execute()" in found[2]


def test_sink_label_names_the_receiver_and_text():
    source = """
    import sqlalchemy as sa
    def f(context, engine, x):
        context.session.execute(f"DELETE FROM t WHERE a = {x}")
        engine.connect().exec_driver_sql(f"DELETE FROM t WHERE a = {x}")
        sa.text(f"DELETE FROM t WHERE a = {x}")
    """
    messages = [m for _l, _c, m in findings(source)]
    assert "passed to context.session.execute()" in messages[0]
    assert "passed to engine.connect().exec_driver_sql()" in messages[1]
    assert "passed to text()" in messages[2]


def test_inner_mechanism_is_named_when_a_built_part_is_spliced():
    source = """
    def f(cursor, cols):
        cursor.execute("SELECT " + ", ".join(cols) + " FROM t")
    """
    assert "SQL built with join" in findings(source)[0][2]


# -- one finding, at the first receiving call ----------------------------------------


def test_text_inside_execute_is_one_finding_at_text():
    source = """
    from sqlalchemy import text
    def f(session, x):
        session.execute(text(f"SELECT {x}"))
    """
    assert [(line, col) for line, col, _m in findings(source)] == [(4, 20)]


def test_reported_at_the_first_line_of_a_multi_line_call():
    source = """
    def f(cursor, x):
        cursor.execute(
            "SELECT * FROM t WHERE a = '%s'"
            % x
        )
    """
    assert lines(source) == [3]


def test_text_bound_to_a_local_then_executed_is_one_finding():
    source = """
    import sqlalchemy
    def f(session, x):
        stmt = sqlalchemy.sql.text("SELECT * FROM t WHERE a = '%s'" % x)
        return session.execute(stmt)
    """
    assert lines(source) == [4]


# -- data flow ---------------------------------------------------------------------


def test_bare_parameter_is_not_flagged_but_building_from_it_is():
    source = """
    def f(cursor, query, x):
        cursor.execute(query)
        cursor.execute(query % x)
        cursor.execute(query + " LIMIT 1")
    """
    assert lines(source) == [4, 5]


def test_closure_sees_the_enclosing_function_local():
    source = """
    def outer(cursor, x):
        sql = f"SELECT * FROM t WHERE a = '{x}'"
        def run():
            cursor.execute(sql)
        return run
    """
    assert lines(source) == [5]


def test_module_level_code_is_checked():
    source = """
    import sys
    cursor.execute(f"SELECT * FROM {sys.argv[1]}")
    """
    assert lines(source) == [3]


@pytest.mark.parametrize(
    "module_code, name, flagged",
    [
        ('TABLE = "users"', "TABLE", False),
        ('TABLE = ("a", "b")', "TABLE", False),
        ('TABLE = {"a": "x", "b": "y"}["a"]', "TABLE", False),
        ("import os\nTABLE = os.environ['T']", "TABLE", True),
        ('TABLE = "users"\nTABLE = "other"', "TABLE", True),  # rebound: not one constant
        # any case: bound once to a literal, never changed in the module
        ('table = "users"', "table", False),
        ('table = {"a": "`a`"}', "table['a']", False),
        ('table = "users"\ntable = "other"', "table", True),  # rebound
        ('table = {"a": "`a`"}\ntable["b"] = input()', "table['a']", True),  # an item stored
        ('table = {"a": "`a`"}\ndef g(x):\n    table.update(x)', "table['a']", True),  # changed in place
        ('table = {"a": "`a`"}\ndef g(x):\n    global table\n    table = x', "table['a']", True),
        ('import os\ntable = os.environ["T"]', "table", True),  # not a literal
    ],
)
def test_module_constants(module_code, name, flagged):
    source = f'{module_code}\ndef f(cursor):\n    cursor.execute(f"SELECT * FROM {{{name}}}")\n'
    assert bool(lines(source)) is flagged


def test_constant_table_lookup_by_key():
    source = """
    TABLES = {"a": "alpha", "b": "beta"}
    def f(cursor, kind):
        cursor.execute("SELECT * FROM %s" % TABLES[kind])
    """
    assert lines(source) == []


def test_attributes_are_not_constants():
    source = """
    class Repo:
        def f(self):
            self.cursor.execute(f"SELECT * FROM {self.table}")
    """
    assert lines(source) == [4]


def test_non_session_receiver_needs_sql_looking_text_through_locals():
    source = """
    def f(runner, x):
        q = "SELECT * FROM t WHERE a = '%s'" % x
        runner.execute(q)
        cmd = "run %s" % x
        runner.execute(cmd)
        base = "UPDATE t SET a = 1"
        base += " WHERE b = '%s'" % x
        runner.execute(base)
    """
    assert lines(source) == [4, 9]


def test_numeric_loop_variables_and_unreferenced_format_arguments():
    source = """
    def f(cursor, n, name):
        for i in range(n):
            cursor.execute(f"SELECT * FROM t LIMIT {i}")
        cursor.execute("SELECT 1".format(name))
        cursor.execute("SELECT {0:d}, '{1}'".format(n, name))
        cursor.execute("SELECT {n:d}".format(n=n, other=name))
    """
    assert lines(source) == [6]


def test_min_and_max_of_numbers_are_numbers():
    source = """
    def f(cursor, limit):
        n = min(int(limit), 100)
        cursor.execute("SELECT * FROM t LIMIT %s" % n)
        cursor.execute("SELECT * FROM t LIMIT %s" % max(limit, 1))
    """
    assert lines(source) == [5]


def test_percent_mapping_pairs_keys_with_conversions():
    source = """
    def f(cursor, n, name):
        cursor.execute("SELECT %(n)d" % {"n": n, "unused": name})
        cursor.execute("SELECT %(n)d, '%(m)s'" % {"n": n, "m": name})
    """
    assert lines(source) == [4]


def test_placeholder_building_forms():
    source = """
    def f(cursor, values, ids):
        cursor.execute("UPDATE t SET %s" % ", ".join("%s = %%(%s)s" % (k, k) for k in values))
        cursor.execute("SELECT * FROM t WHERE id IN (%s)" % ", ".join("%s" for _ in ids))
        cursor.execute("SELECT * FROM t WHERE id IN (" + ",".join("?" * len(ids)) + ")")
        cursor.execute("SELECT * FROM t WHERE id IN (%s)"
                       % ", ".join(f":id{i}" for i, _ in enumerate(ids)))
    """
    # the first one splices column names (k) into the text, not only placeholders
    assert lines(source) == [3]


def test_list_built_with_extend_and_augmented_assignment():
    source = """
    def f(cursor, cols):
        parts = ["a"]
        parts += ["b"]
        parts.extend(["c"])
        cursor.execute("SELECT %s FROM t" % ", ".join(parts))
        parts.extend(cols)
        cursor.execute("SELECT %s FROM t" % ", ".join(parts))
    """
    assert lines(source) == [8]


def test_if_expression_and_bool_op_values():
    source = """
    def f(cursor, a, b):
        cursor.execute(f"SELECT * FROM {'x' if a else 'y'}")
        cursor.execute(f"SELECT * FROM {a or 'y'}")
    """
    assert lines(source) == [4]


# -- options and robustness ----------------------------------------------------------


def test_nothing_when_not_selected():
    other = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS101"}))
    found = check_source('def f(c, x):\n    c.execute(f"SELECT {x}")\n', other)
    assert not [f for f in found if f.code == "DBS401"]


def test_long_concatenation_does_not_recurse():
    terms = " + ".join(["x"] * 800)
    source = f'def f(cursor, x):\n    cursor.execute("SELECT " + {terms})\n'
    assert lines(source) == [2]


def test_deep_nesting_and_long_local_chains_never_raise():
    shallow = "str(" * 20 + 'f"SELECT {x}"' + ")" * 20
    deep = "str(" * 150 + 'f"SELECT {x}"' + ")" * 150
    chain = "\n".join(f"    s{i + 1} = s{i} + 'a'" for i in range(300))
    source = (
        f"def f(cursor, x):\n    cursor.execute({shallow})\n    cursor.execute({deep})\n"
        f'    s0 = f"SELECT {{x}}"\n{chain}\n    cursor.execute(s300)\n'
    )
    # beyond the depth bound the trace gives up quietly (precision first)
    assert lines(source) == [2]


def test_self_referencing_updates_in_loops_terminate():
    source = """
    def f(cursor, rows):
        sql = "INSERT INTO t VALUES "
        for row in rows:
            sql = sql + "(%s)," % row
            sql += ","
        sql = sql.rstrip(",")
        cursor.execute(sql)
    """
    assert lines(source) == [8]


def test_parser_corners():
    source = """
    async def f(session, x, point):
        async with session.begin():
            await session.execute(f"SELECT {x}")
        match point:
            case {"q": q}:
                session.execute(q % x)
        g = lambda c, y: c.execute("SELECT %s" % y)
        return [session.execute(f"SELECT {v}") for v in x]
    """
    assert lines(source) == [4, 7, 8, 9]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(from_grammar())
def test_never_raises_on_any_module(source):
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    check_tree(tree, ONLY_401)


# -- helpers ---------------------------------------------------------------------------


def test_printf_template_and_conversions():
    template, conversions = _printf("SELECT %(a)s, %d, %%, %.2f")
    assert template == "SELECT \x00, \x00, %, \x00"
    assert conversions == [("a", "s"), (None, "d"), (None, "f")]
    assert _printf("%*d") == (None, None)


def test_format_fields():
    template, uses = _format_fields("{} {name:d} {0!r:>3} {{x}}")
    assert template == "\x00 \x00 \x00 {x}"
    assert uses == {0: False, "name": True}
    assert _format_fields("{") is None


@pytest.mark.parametrize(
    "template, only",
    [
        (":p\x00", True),
        ("%(\x00)s", True),
        ("(:a\x00, :b\x00)", True),
        ("\x00", False),
        ("a = :p\x00", False),
        (":p1", False),  # nothing spliced: a constant, not a builder
    ],
)
def test_placeholders_only(template, only):
    assert _placeholders_only(template) is only


def test_sql_head_is_found_back_over_several_augmented_steps():
    source = """
    def f(runner, a, b):
        q = "DELETE FROM t WHERE 1 = 1"
        q += " AND a = '%s'" % a
        q += " AND b = '%s'" % b
        runner.execute(q)
    """
    assert lines(source) == [6]


# -- numbers by provenance: regex groups that capture only digits ----------------


@pytest.mark.parametrize(
    "pattern, read, reported",
    [
        (r"timeout=(\d+)", "m.groups()", False),
        (r"timeout=(\d+)", "m.group(1)", False),
        (r"timeout=(\d+)", "m[1]", False),
        (r"([0-9]{1,3})-(\d*)", "m.groups()", False),
        (r"(?:x|(\d+))", "m.group(1)", False),
        (r"(\d+)", "m.group()", False),  # group 0: the whole pattern is digits
        (r"t(\d+)", "m.group()", True),  # group 0 holds the "t"
        (r"(\d+)-(\w+)", "m.group(1)", False),
        (r"(\d+)-(\w+)", "m.group(2)", True),
        (r"(\d+)-(\w+)", "m.groups()", True),
        (r"(\d+)", "m.group('n')", True),  # names are not judged
        (r"([^']+)", "m.group(1)", True),
        (r"(\D+)", "m.group(1)", True),
        (r"([0-9a-f]+)", "m.group(1)", True),
        (r"(\d+", "m.group(1)", True),  # does not parse
    ],
)
def test_regex_digit_groups_are_numbers(pattern, read, reported):
    source = f"""
    import re
    PATTERN = re.compile({pattern!r})

    def f(cursor, stmt):
        m = PATTERN.search(stmt)
        cursor.execute("SET x=%s" % {read})
    """
    assert bool(lines(source)) is reported


def test_regex_digit_groups_through_re_functions_and_walrus():
    assert not lines(r"""
    import re

    def f(cursor, stmt):
        if (m := re.fullmatch(r"(\d+)kb", stmt)):
            cursor.execute(f"PRAGMA cache_size=-{m.group(1)}")
    """)
    # a match of an unknown pattern, or not a match at all, is text
    assert lines(r"""
    import re

    def f(cursor, stmt, pattern, m2):
        m = re.search(pattern, stmt)
        cursor.execute(f"SET x={m.group(1)}")
        cursor.execute(f"SET x={m2.group(1)}")
    """) == [6, 7]


# -- parameters filled with constants by every caller ------------------------------


HELPER = '''
def helper(cur, table, extra="x"):
    cur.execute("SELECT * FROM %s WHERE %s" % (table, extra))
'''


@pytest.mark.parametrize(
    "callers, reported",
    [
        ("def c(cur):\n    helper(cur, 'users')\n", False),
        ("def c(cur):\n    helper(cur, table='users', extra='y = 1')\n", False),
        ("N = 'users'\ndef c(cur):\n    name = N\n    helper(cur, name)\n", False),
        # one caller passes data
        ("def c(cur, req):\n    helper(cur, 'users')\n    helper(cur, req.name)\n", True),
        # the default is a constant, but a caller passes data for it
        ("def c(cur, req):\n    helper(cur, 'users', req.where)\n", True),
        # a spread hides which argument lands where
        ("def c(cur, args):\n    helper(cur, *args)\n", True),
        ("def c(cur, kw):\n    helper(cur, 'users', **kw)\n", True),
        # a local rebound to data before the call
        ("def c(cur, req):\n    t = 'users'\n    t = req.t\n    helper(cur, t)\n", True),
        # passed on from a parameter whose own callers pass constants / nothing known
        ("def c(cur, t):\n    helper(cur, t)\ndef d(cur):\n    c(cur, 'users')\n", False),
        ("def c(cur, t):\n    helper(cur, t)\n", True),
        # no resolved caller at all: judged on its own
        ("", True),
    ],
)
def test_parameter_constant_at_every_call_site(callers, reported):
    source = HELPER + "\n" + callers
    assert bool(lines(source)) is reported


def test_method_parameters_skip_self_and_honour_staticmethod():
    source = '''
    class Repo:
        def drop(self, table):
            self.cur.execute("DROP TABLE %s" % table)

        @staticmethod
        def drop_in(cur, table):
            cur.execute("DROP TABLE %s" % table)

        def run(self, cur):
            self.drop("scratch")
            Repo.drop_in(cur, "scratch")
    '''
    assert lines(source) == []


CLAUSE_HELPER = '''
def in_list(column, values, negative=False, op="IN"):
    marks = ",".join("?" for _ in values)
    return f"{column} {op} ({marks})", list(values)
'''


@pytest.mark.parametrize(
    "use, reported",
    [
        ("clause, args = in_list('id', ids)\ncur.execute('SELECT 1 WHERE ' + clause, args)", False),
        ("clause, args = in_list(column='id', values=ids)\ncur.execute('SELECT 1 WHERE ' + clause)", False),
        ("clause, args = in_list('id', ids, op='NOT IN')\ncur.execute('SELECT 1 WHERE ' + clause)", False),
        # the caller's own data reaches the returned text
        ("clause, args = in_list(col, ids)\ncur.execute('SELECT 1 WHERE ' + clause)", True),
        ("clause, args = in_list('id', ids, op=col)\ncur.execute('SELECT 1 WHERE ' + clause)", True),
        # a spread hides which argument fills ``column``
        ("clause, args = in_list(*cols)\ncur.execute('SELECT 1 WHERE ' + clause)", True),
        # the second element is the arguments, not text
        ("args, clause = in_list('id', ids)\ncur.execute('SELECT 1 WHERE ' + clause)", True),
    ],
)
def test_returned_sql_text_is_as_safe_as_the_arguments(use, reported):
    body = textwrap.indent(use, "    ")
    source = CLAUSE_HELPER + f"\n\ndef caller(cur, ids, col, cols):\n{body}\n"
    assert bool(lines(source)) is reported


@pytest.mark.parametrize("body, expected", [
    # the f-string of the if branch reaches the call past the else branch
    ("if arg:\n    q = f'SHOW FIELDS FROM {arg}'\nelse:\n    q = 'SHOW TABLES'", [6]),
    # a branch without an else leaves the earlier f-string reaching it
    ("q = f'SHOW FIELDS FROM {arg}'\nif arg:\n    q = 'SHOW TABLES'", [5]),
    # an assignment in a loop body or a try body adds to the earlier one
    ("q = f'SHOW FIELDS FROM {arg}'\nfor a in arg:\n    q = 'SHOW TABLES'", [5]),
    ("q = f'SHOW FIELDS FROM {arg}'\ntry:\n    q = 'SHOW TABLES'\nfinally:\n    x = 1", [7]),
    # an assignment on every path hides the earlier ones (a with block runs)
    ("q = f'SHOW FIELDS FROM {arg}'\nwith lock:\n    q = 'SHOW TABLES'", []),
    ("q = f'SHOW FIELDS FROM {arg}'\nq = 'SHOW TABLES'", []),
    ("if arg:\n    q = 'SHOW DATABASES'\nelse:\n    q = 'SHOW TABLES'", []),
    # an allow-list reset: past it the name holds an allowed value (calibre-web)
    ("q = arg.get('sort')\nif q not in ['name', 'id']:\n    q = 'id'\nq = f'SELECT * FROM t ORDER BY {q}'", []),
    ("q = arg.get('sort')\nif not q in COLUMNS:\n    q = 'id'\nq = f'SELECT * FROM t ORDER BY {q}'", []),
    ("q = arg.get('sort')\nif q in COLUMNS:\n    q = 'id'\nq = f'SELECT * FROM t ORDER BY {q}'", [6]),
])
def test_every_assignment_that_may_reach_the_call_counts(body, expected):
    src = "def describe(cur, arg, lock):\n" + textwrap.indent(body, "    ") + "\n    cur.execute(q)\n"
    assert lines(src) == expected


@pytest.mark.parametrize("value, expected", [
    ("-1000 * cache_mb", []),
    ("offset + 1", []),
    ("2 ** bits", []),
    ("cache_mb * size", [2]),
    ("name + 'x'", [2]),
])
def test_arithmetic_with_a_number_literal_is_a_number(value, expected):
    src = f"def pragma(conn, cache_mb, offset, bits, size, name):\n    conn.execute('pragma x=%s' % ({value}))\n"
    assert lines(src) == expected


def test_a_join_with_two_arguments_is_no_string_join():
    """``query.join(Flow, Flow.id == Run.flow_id)``: SQLAlchemy's join, not
    ``str.join`` (which takes one iterable)."""
    src = (
        "def count(session, sa, db, flow_filter):\n"
        "    query = sa.select(db.Run)\n"
        "    if flow_filter:\n"
        "        query = query.join(db.Flow, db.Flow.id == db.Run.flow_id)\n"
        "    return session.execute(query)\n"
    )
    assert lines(src) == []
    assert lines(src.replace("query.join(db.Flow, db.Flow.id == db.Run.flow_id)",
                             "' AND '.join(flow_filter)")) == [5]


def test_a_local_bound_to_a_quoting_function_quotes():
    """yoyo's ``qi = self.quote_identifier; qi('pid')``."""
    src = (
        "def delete_lock(self, pid, column):\n"
        "    qi = self.quote_identifier\n"
        "    self.execute(f'DELETE FROM locks WHERE {qi(column)} = :pid', {'pid': pid})\n"
    )
    assert lines(src) == []
    assert lines(src.replace("qi = self.quote_identifier", "qi = self.render")) == [3]


@pytest.mark.parametrize(
    "methods, reported",
    [
        # every store safe: made from a UUID in one method, spliced in another
        ('def start(self):\n    self.name = "SP_" + uuid.uuid4().hex', False),
        # one store takes a parameter
        ('def start(self):\n    self.name = "x"\ndef rename(self, n):\n    self.name = n', True),
        # a store the trace cannot read: a nested function, unpacking, +=
        ('def start(self):\n    self.name = "x"\n    def later(n):\n        self.name = n', True),
        ('def start(self, a):\n    self.name, self.other = "x", a', True),
        ('def start(self):\n    self.name = "x"\ndef grow(self, n):\n    self.name += n', True),
        # a cycle through the attribute itself
        ('def grow(self):\n    self.name = self.name + "x"', True),
        # never stored in the class: whatever a caller or subclass sets
        ("def start(self):\n    pass", True),
        # a container any method may fill later (roundup's self.classes)
        ("def start(self):\n    self.name = {}\ndef add(self, n, c):\n    self.name[n] = c", True),
        ("def start(self):\n    self.name = []", True),
    ],
)
def test_a_self_attribute_is_as_safe_as_every_store_of_it_in_its_class(methods, reported):
    body = textwrap.indent(methods, "    ")
    source = (f"import uuid\nclass T:\n{body}\n"
              "    def drop(self, cur):\n        cur.execute(f\"DROP TABLE {self.name}\")\n")
    assert bool(lines(source)) is reported


@pytest.mark.parametrize(
    "value, reported",
    [
        ("Model.__tablename__", False),
        ("Model.__table__", False),
        ("Model.__table__.fullname", False),
        ("Model.__table__.c.id.name", False),
        ("Model.__table__.columns['id'].key", False),
        ("Model.name", True),
        ("table.name", True),
        ("Model.__table__.comment", True),
    ],
)
def test_names_the_schema_declares_are_not_values(value, reported):
    source = f"from sqlalchemy import text\ndef f(conn, Model, table):\n    conn.execute(text(f\"DELETE FROM {{{value}}}\"))\n"
    assert bool(lines(source)) is reported


def test_the_text_of_a_dedented_literal_is_its_sql():
    """``dedent()``/``cleandoc()`` change a literal's layout, not its SQL: the
    statement inside is read (saq's ``sql.SQL(dedent(...)).format(...)``)."""
    from flake8_dbsec.analysis.semantics.sqlstrings import string_template

    def template(source: str):
        return string_template(ast.parse(source, mode="eval").body)

    assert template('dedent("""\n  DELETE FROM jobs\n""")') == "\n  DELETE FROM jobs\n"
    assert template('textwrap.dedent("DELETE FROM {}").format(t)') == "DELETE FROM {}"
    assert template('inspect.cleandoc(f"UPDATE {t} SET a = 1")') == "UPDATE {} SET a = 1"
    # not a layout call, or not one plain argument: no text
    assert template('shorten("DELETE FROM jobs")') is None
    assert template('dedent("DELETE FROM jobs", x)') is None


@pytest.mark.parametrize("pattern, full, safe", [
    (r"^[a-zA-Z_][a-zA-Z0-9_]{0,127}$", False, True),  # mem0's identifier check
    (r"[a-z_]+", True, True),  # fullmatch anchors both ends
    (r"^[a-z_]+", False, False),  # match() anchors the start only: "users; DROP ..." passes
    (r"^[\w-]+$", False, False),  # "a--b" is a comment in SQL
    (r"^.+$", False, False),
    (r"^(?:asc|desc)$", False, True),
    (r"[", True, False),  # not a pattern
])
def test_a_validation_pattern_is_safe_only_when_it_rejects_every_probe(pattern, full, safe):
    from flake8_dbsec.analysis.semantics.values import rejects_injection

    assert rejects_injection(pattern, full) is safe
