"""Unit tests of DBS501 (hard-coded database password), beyond the fixture."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from typing import List, Tuple

import pytest

from flake8_dbsec.checker import check_source
from flake8_dbsec.options import DEFAULT_SETTINGS
from flake8_dbsec.analysis.urls import dsn_has_password, is_placeholder, url_passwords, url_without_password

ONLY_501 = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS501"}))


def findings(source: str) -> List[Tuple[int, int, str]]:
    found = check_source(textwrap.dedent(source), ONLY_501)
    return [(f.line, f.col, f.message) for f in found if f.code == "DBS501"]


def lines(source: str) -> List[int]:
    return [line for line, _col, _msg in findings(source)]


@pytest.mark.parametrize(
    "password",
    ["", "***", "*", "xxx", "XXXXXX", "<password>", "<db-pass>", "[password]", "${DB_PASSWORD}",
     "$DB_PASSWORD", "$(DB_PASSWORD)", "%(password)s", "%s", "{password}", "{}", "{0}",
     "{{ db_password }}", "...", "\x00",
     # the bare words are the password part of a URL template (spec, Turn 2)
     "password", "PASSWORD", "Password", "pass", "PASS", "passwd", "pwd", "PWD"],
)
def test_placeholders(password):
    assert is_placeholder(password)


@pytest.mark.parametrize(
    "password", ["hunter2", "s3cret!", "password1", "passw0rd", "x1", "a*b", "pw{", "mypass"]
)
def test_real_passwords(password):
    assert not is_placeholder(password)


@pytest.mark.parametrize(
    "text, schemes",
    [
        ("postgresql://app:pw@db/app", ["postgresql"]),
        ("POSTGRESQL+psycopg2://app:pw@db/app", ["postgresql"]),
        ("mongodb+srv://u:pw@cluster/x", ["mongodb"]),
        ("redis://:pw@cache:6379/0", ["redis"]),
        ("connection = mysql://root:pw@db/nova (see docs)", ["mysql"]),
        ("a mysql://u:***@h and postgres://u:real@h", ["postgres"]),
        ("postgresql://app@db/app", []),
        ("postgresql://db:5432/app", []),
        ("postgresql://app:@db/app", []),
        ("sqlite:////tmp/x.db", []),
        ("https://u:pw@example.com", []),
        ("xmysql://u:pw@h", []),
        ("mysql://u:pw/x@h", []),  # '/' ends the authority: no password part
    ],
)
def test_url_passwords(text, schemes):
    assert list(url_passwords(text)) == schemes


@pytest.mark.parametrize(
    "dsn, expected",
    [
        ("host=db dbname=app user=app password=hunter2", True),
        ("DRIVER={ODBC Driver 18};SERVER=db;UID=sa;PWD=Passw0rd!", True),
        ("host=db password='' dbname=app", False),
        ("host=db password=%(pw)s", False),
        ("SERVER=db;UID=sa;PWD={pw}", False),
        ("host=db dbname=app", False),
        ("user_password_policy=strict", False),
    ],
)
def test_dsn_has_password(dsn, expected):
    assert dsn_has_password(dsn) is expected


def test_reported_at_the_literal_and_never_prints_the_secret():
    source = """\
    import psycopg2
    conn = psycopg2.connect(
        host="db",
        password="hunter2-secret",
    )
    URL = "postgresql://app:other-secret@db/app"
    """
    found = findings(source)
    assert [(line, col) for line, col, _ in found] == [(4, 13), (6, 6)]
    for _line, _col, message in found:
        assert "secret" not in message.split(":", 1)[0]
        assert "hunter2" not in message and "other-secret" not in message
    assert "password= of psycopg2.connect()" in found[0][2]
    assert "a postgresql URL literal" in found[1][2]


def test_fstring_reported_once_at_the_fstring():
    source = 'host = "h"\nurl = f"postgresql://app:pw@{host}/db?x={1}:{2}@y"\n'
    assert [(line, col) for line, col, _ in findings(source)] == [(2, 6)]


@pytest.mark.parametrize(
    "value",
    [
        'f"postgresql://app:{pw}@{host}/db"',
        'f"postgresql://app:pre{pw}@{host}/db"',
        'f"postgresql://{user}:{pw}@{host}/db"',
        '"postgresql://app:" + pw + "@db/app"',
        '"postgresql://%s:%s@%s/app" % (u, pw, h)',
        '"postgresql://{}:{}@{}/app".format(u, pw, h)',
    ],
)
def test_interpolated_passwords_are_not_literals(value):
    assert lines(f"u = pw = host = h = user = 1\nurl = {value}\n") == []


def test_fstring_with_a_literal_password_and_interpolated_user():
    assert lines('url = f"postgresql://{user}:hunter2@{host}/db"\n') == [1]


def test_docstrings_and_bare_strings_are_documentation():
    source = '''\
    """Module: postgresql://app:pw@db/app"""
    class C:
        """Class: mysql://root:pw@db/x"""
    def f():
        """Function: mysql://root:pw@db/x"""
        "note: mysql://root:pw@db/x"
        return "mysql://root:pw@db/x"
    '''
    assert lines(source) == [7]


def test_connect_factories_resolved_through_imports():
    source = """\
    from mysql import connector
    import pymysql as db_driver
    from sqlalchemy.engine.url import URL
    from sqlalchemy import engine as sa_engine
    connector.connect(password="a1")
    db_driver.connect(passwd="a2")
    URL.create("postgresql", password="a3")
    sa_engine.URL.create("postgresql", password="a4")
    sa_engine.URL("postgresql", password="a5")
    """
    assert lines(source) == [5, 6, 7, 8, 9]


def test_look_alike_factories_are_not_flagged():
    source = """\
    import paramiko
    from myapp import connect
    class URL:
        @staticmethod
        def create(**kw):
            return kw
    paramiko.SSHClient().connect("h", password="ssh-pass")
    connect(password="app-pass")
    URL.create(password="not-sqlalchemy")
    ldap_bind(password="x")
    """
    assert lines(source) == []


def test_non_literal_and_placeholder_keywords():
    source = """\
    import os, psycopg2
    psycopg2.connect(password=os.environ["DB_PASSWORD"])
    psycopg2.connect(password=CONF.database.password)
    psycopg2.connect(password="")
    psycopg2.connect(password="<password>")
    psycopg2.connect(password=f"{secret}")
    psycopg2.connect(**{"password": "kwargs-are-not-followed"})
    psycopg2.connect(password=b"bytes")
    """
    assert lines(source) == []


def test_positional_url_of_a_connect_factory_is_reported_once():
    source = 'import asyncpg\nasyncpg.connect("postgresql://app:pw@db/app")\n'
    assert lines(source) == [2]


def test_disabled_code_does_no_work():
    other = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS601"}))
    assert check_source('u = "postgresql://app:pw@db/app"\n', other) == []


def test_deep_and_odd_strings_do_not_crash():
    deep = "x = " + " + ".join(['"mysql://u:pw@h"'] * 2000) + "\n"
    assert set(lines(deep)) == {1}
    assert lines('x = f"{y!r:>{width}}mysql://u:pw@h"\n') == [1]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("postgresql://postgres@\x00/test_ci", True),  # a literal user, no password
        ("sqlite:///\x00.db", True),  # no user part, nothing interpolated before the host
        ("postgresql://db.example/\x00", True),
        ("postgresql://\x00:\x00@\x00/db", False),  # the password is interpolated
        ("postgresql://\x00@db/x", False),  # the user part could carry one
        ("postgresql://\x00/db", False),  # the host field could hold user:pw@host
        ("mysql://user:password@host/db", False),  # a password part, even a placeholder
        ("see postgresql://db/x", False),  # text around a URL is not a URL
        ("\x00://db/x", False),
    ],
)
def test_url_without_password(text, expected):
    assert url_without_password(text) is expected
