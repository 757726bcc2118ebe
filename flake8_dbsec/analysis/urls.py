"""Database URLs and DSNs in text: where a password would be, and whether
one is there.

Shared by DBS501 (a password written into the source) and DBS202 (a value
logged under a secret-looking name that can only be a URL without a
password). Placeholders, masks, template variables and empty passwords are
not secrets.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator, Optional

from .names import const_str, fstring_text

#: stands in for an f-string interpolation: a password containing one is not a literal.
_HOLE = "\x00"

#: URL schemes of databases (optionally ``+driver``), as SQLAlchemy and the
#: drivers spell them.
DB_SCHEMES = (
    "postgresql",
    "postgres",
    "pgsql",
    "mysql",
    "mariadb",
    "oracle",
    "mssql",
    "sqlserver",
    "sqlite",
    "cockroachdb",
    "redshift",
    "mongodb",
    "redis",
    "rediss",
    "db2",
    "ibm_db_sa",
    "snowflake",
    "clickhouse",
    "firebird",
    "sybase",
    "teradata",
    "vertica",
    "hana",
    "trino",
    "presto",
    "cassandra",
    "couchdb",
    "influxdb",
    "neo4j",
    "crate",
)
_DB_URL = re.compile(
    r"(?<![\w+.-])(?P<scheme>" + "|".join(DB_SCHEMES) + r")(?:\+[\w.-]+)?"
    r"://(?P<user>[^\s:/?#@]*)"
    r":(?P<password>[^\s/?#@]*)@",
    re.I,
)
#: ``password=secret`` in a libpq DSN, ``PWD=secret`` in an ODBC string.
_DSN_PASSWORD = re.compile(
    r"(?:^|[\s;])(?:password|passwd|pwd)\s*=\s*(?P<password>[^\s;]*)",
    re.I,
)
#: placeholders that stand for a password without being one.
_PLACEHOLDER = re.compile(
    r"""
    [*xX•.#?_-]+            # masks: ***, xxx, ...
    | <[^<>]*>              # <password>
    | \[[^\[\]]*\]          # [password]
    | \$\{[^}]*\}           # ${DB_PASSWORD}
    | \$\(?\w+\)?           # $DB_PASSWORD, $(DB_PASSWORD)
    | %\([^)]*\)[sr]        # %(password)s
    | %[sr]                 # %s
    | \{\{?[^{}]*\}?\}      # {password}, {}, {0}, {{ password }}
    """,
    re.X,
)


#: the password part of a URL template (``mysql://user:password@host/db``):
#: the word itself, not a value (spec, Turn 2 "DBS501 - placeholders").
PLACEHOLDER_WORDS = frozenset({"password", "pass", "passwd", "pwd"})


def is_placeholder(password: str) -> bool:
    """An empty password, a mask, a template variable or the bare word
    ``password``: not a secret."""
    value = password.strip("'\"")
    return (
        not value
        or _HOLE in value
        or value.lower() in PLACEHOLDER_WORDS
        or _PLACEHOLDER.fullmatch(value) is not None
    )


def url_passwords(text: str) -> Iterator[str]:
    """The scheme of each DB URL in ``text`` whose password is a real value."""
    for match in _DB_URL.finditer(text):
        if not is_placeholder(match.group("password")):
            yield match.group("scheme").lower()


def dsn_has_password(text: str) -> bool:
    """``password=secret`` (libpq) or ``PWD=secret`` (ODBC) with a real value.

    ``PWD={pw}`` is read as a format placeholder, not as an ODBC braced value.
    """
    return any(
        not is_placeholder(match.group("password"))
        for match in _DSN_PASSWORD.finditer(text)
    )


def string_text(node: ast.AST) -> Optional[str]:
    """The constant text of a string literal or f-string (holes marked)."""
    text = const_str(node)
    if text is not None:
        return text
    if isinstance(node, ast.JoinedStr):
        return fstring_text(node, _HOLE)
    return None


#: ``scheme://[userinfo@]host...``: a DB URL and what stands before its host.
_AUTHORITY = re.compile(
    r"(?<![\w+.-])(?:" + "|".join(DB_SCHEMES) + r")(?:\+[\w.-]+)?://(?P<authority>[^/?#]*)",
    re.I,
)


def url_without_password(text: str) -> bool:
    """Text that is a DB URL whose password part cannot hold a secret: no
    userinfo and a host with no interpolation (``sqlite:///{path}``,
    ``postgresql://db/{name}``), or a literal user with no password
    (``postgresql://postgres@{host}/test``)."""
    match = _AUTHORITY.match(text.strip())
    if match is None:
        return False
    authority = match.group("authority")
    userinfo, at, _host = authority.rpartition("@")
    if not at:
        return _HOLE not in authority
    return _HOLE not in userinfo and ":" not in userinfo
