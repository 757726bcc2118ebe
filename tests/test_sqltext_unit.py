"""The SQL text scanner: what it reads, and that no text makes it slow."""

from __future__ import annotations

import time

import pytest

from flake8_dbsec.analysis.sqltext import (
    EQ,
    IN,
    MAX_SQL,
    NE,
    NOT_IN,
    RANGE,
    TableKeys,
    declared_keys,
    head_word,
    numeric_select_columns,
    statement_facts,
)


def where(text):
    return [(c.column, c.op, c.disjunct) for c in statement_facts(text).where]


@pytest.mark.parametrize(
    "text, word",
    [
        ("UPDATE t SET a = 1", "UPDATE"),
        ("  -- note\n  /* c */ ((delete from t", "delete"),
        ("/* c */ " * 40 + ";", None),
        ("/* unterminated UPDATE", None),
        ("{} FROM t", None),
        (":x", None),
        ("", None),
    ],
)
def test_head_word(text, word):
    assert head_word(text) == word


def test_where_operators_tell_pins_from_exclusions():
    assert where("UPDATE t SET a = %s WHERE id = %s AND generation = :g") == [
        ("id", EQ, False),
        ("generation", EQ, False),
    ]
    assert where("UPDATE t SET a=1 WHERE status NOT IN ('x') AND uuid != :u AND b <> 2") == [
        ("status", NOT_IN, False),
        ("uuid", NE, False),
        ("b", NE, False),
    ]
    assert where("DELETE FROM t WHERE id IN (1, 2) AND deleted IS NULL AND x IS NOT NULL") == [
        ("id", IN, False),
        ("deleted", EQ, False),
        ("x", NE, False),
    ]
    assert where("DELETE FROM t WHERE :id = t.id") == [("id", EQ, False)]


def test_subqueries_and_or_groups():
    # ``id IN (SELECT ...)`` pins nothing; the subquery's own WHERE is not ours
    assert where("DELETE FROM t WHERE id IN (SELECT id FROM x WHERE y = 1)") == [
        ("id", RANGE, False)
    ]
    # an OR inside a group leaves its AND-sibling pinned
    assert where("DELETE FROM t WHERE (a = 1 OR b = 2) AND id = 3") == [
        ("a", EQ, True),
        ("b", EQ, True),
        ("id", EQ, False),
    ]
    assert where("DELETE FROM t WHERE a = 1 OR id = 3") == [("a", EQ, True), ("id", EQ, True)]


def test_set_columns_returning_and_quoted_names():
    facts = statement_facts('UPDATE "t" SET "x" = 1, t.y = :y WHERE "t"."id" = ? RETURNING id')
    assert facts.sets == ["x", "y"]
    assert facts.returning
    assert [c.column for c in facts.where] == ["id"]
    # a string literal holding SQL words is one token
    assert statement_facts("UPDATE t SET a = 'x WHERE b = 1' WHERE id = 2").sets == ["a"]
    assert where("UPDATE t SET a = 'it''s' WHERE id = 2") == [("id", EQ, False)]


def test_only_the_first_part_of_a_huge_statement_is_read():
    sets = ", ".join(f"c{i} = :c{i}" for i in range(20000))
    facts = statement_facts(f"UPDATE t SET {sets} WHERE id = 1")
    assert 0 < len(facts.sets) < 20000
    assert len(f"UPDATE t SET {sets}") > MAX_SQL


ADVERSARIAL = [
    "/* c */ " * 20000 + ";",
    "/*" * 100000,
    "'" + "''" * 100000,
    "UPDATE t SET a = 0x" + "ab" * 500000 + " WHERE id = 1",
    "UPDATE t SET a = 1 WHERE " + " AND ".join(f"c{i} = {i}" for i in range(50000)),
    "DELETE FROM t WHERE " + "(" * 50000 + "id = 1" + ")" * 50000,
    "-- x\n" * 100000 + "UPDATE t",
    '"' * 100000,
    "UPDATE t WHERE a" + " NOT" * 100000,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_text_is_read_in_linear_time(text):
    """A generous bound: the regexes this scanner replaced took minutes on
    some of these (exponential on comment runs, quadratic on long literals)."""
    started = time.perf_counter()
    head_word(text)
    statement_facts(text)
    assert time.perf_counter() - started < 10.0


@pytest.mark.parametrize(
    "text, table",
    [
        ("UPDATE OR IGNORE karma SET a=? WHERE normalized=?", "karma"),
        ('DELETE FROM ONLY public."jobs" WHERE id=%s', "jobs"),
        ("update `db`.`t` set a = 1", "t"),
        ("UPDATE {} SET a = 1", None),  # an interpolated name
        ("SELECT * FROM t", None),
    ],
)
def test_the_table_an_update_or_delete_names(text, table):
    assert statement_facts(text).table == table


def test_create_table_declares_its_keys():
    keys = declared_keys(
        "CREATE TABLE IF NOT EXISTS s.karma (id INTEGER PRIMARY KEY, name TEXT,"
        " normalized TEXT UNIQUE ON CONFLICT IGNORE, amount NUMERIC(10, 2),"
        " CONSTRAINT one_per_day UNIQUE (name, day), FOREIGN KEY (name) REFERENCES people (name))"
    )
    assert keys == TableKeys("karma", ["id"], [["normalized"], ["name", "day"]])
    assert declared_keys("CREATE TABLE t (a int, b int, PRIMARY KEY (a, b))") == TableKeys("t", ["a", "b"], [])
    assert declared_keys("CREATE UNIQUE INDEX ix ON t (x, y DESC)") == TableKeys("t", [], [["x", "y"]])
    assert declared_keys("CREATE INDEX ix ON t (x)") is None
    # a column named ``key`` or ``index`` is a column; MySQL's ``KEY ix (a)`` is an index
    assert declared_keys("CREATE TABLE m (time REAL, key TEXT PRIMARY KEY, data TEXT)") == TableKeys("m", ["key"], [])
    assert declared_keys("CREATE TABLE m (index INT UNIQUE, b INT)") == TableKeys("m", [], [["index"]])
    assert declared_keys("CREATE TABLE m (a INT, b INT, KEY ix_b (b), PRIMARY KEY (a))") == TableKeys("m", ["a"], [])
    assert declared_keys("CREATE TABLE") is None
    assert declared_keys("SELECT 1") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # a row value compared with = or IN pins each of its columns
        ("UPDATE e SET a = :a WHERE (feed, id) = (:feed, :id)", [("feed", EQ, False), ("id", EQ, False)]),
        ("DELETE FROM e WHERE (e.feed, `id`) IN ((1, 2), (3, 4))", [("feed", IN, False), ("id", IN, False)]),
        # an exclusion, a function call, a single parenthesised column: no row value
        ("DELETE FROM e WHERE (feed, id) NOT IN ((1, 2))", []),
        ("DELETE FROM e WHERE coalesce(x, 1) = 2", []),
        ("DELETE FROM e WHERE (id) = 2", []),
    ],
)
def test_row_values(text, expected):
    assert where(text) == expected


def test_a_subquery_in_a_set_value_keeps_its_where():
    facts = statement_facts(
        "UPDATE entries SET original_feed = (SELECT coalesce(sub.f, :old) FROM entries AS sub "
        "WHERE entries.id = sub.id AND entries.feed = sub.feed), b = 1 WHERE feed = :new RETURNING id")
    assert [(c.column, c.op) for c in facts.where] == [("feed", EQ)]
    assert facts.sets == ["original_feed", "b"]
    assert facts.returning


@pytest.mark.parametrize(
    "text, columns",
    [
        ("SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c", [True, False, False]),
        ("SELECT count(*), name, x::int AS n, CAST(y AS BIGINT), 3, oid FROM t",
         [True, False, True, True, True, True]),
        ("select DISTINCT oid, f(a, b), z from t", [True, False, False]),
        ("SELECT id, uuid, c.relname::text FROM t", [False, False, False]),
        # a head that stops inside the list: only its complete columns
        ("SELECT a, c.oid, b", [False, True]),
        ("SELECT DISTINCT ON (a) a, oid FROM t", []),
        ("UPDATE t SET a = 1", []),
        ("", []),
    ],
)
def test_numeric_select_columns(text, columns):
    assert numeric_select_columns(text) == columns
