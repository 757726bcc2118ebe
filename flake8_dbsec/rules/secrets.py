"""DBS501: a database password written into the source.

Two shapes, both reported at the literal that holds the password (never
printing it):

* a database URL with a password part (``postgresql://app:pw@host/db``) in
  any string constant or in the constant text of an f-string;
* a literal ``password=``/``passwd=``/``pwd=`` keyword (or a key-value DSN
  string with ``password=``/``PWD=``) passed to a DB-API connect function or
  to SQLAlchemy's ``URL.create()``/``URL()``.

Placeholders, masks, template variables and empty passwords are not secrets.
Docstrings and other bare string statements are documentation, not code.
"""

from __future__ import annotations

import ast
from typing import Iterator, Optional, Tuple

from ..analysis.names import const_str, dotted_name, last_part
from ..analysis.urls import dsn_has_password, is_placeholder, string_text, url_passwords
from .base import Family

PASSWORD_KEYWORDS = frozenset({"password", "passwd", "pwd"})
#: keywords whose text is shown to a user (oslo.config/argparse/click help)
HELP_KEYWORDS = frozenset({"help", "description", "epilog", "usage", "sample_default"})
#: translation markers: their argument is a message for people
TRANSLATION_CALLS = frozenset({"_", "gettext", "ngettext", "_LE", "_LW", "_LI", "_LC", "lazy_gettext"})
#: calls that show their arguments to the person running the program
#: (``print``, click's and typer's ``echo``/``secho``)
OUTPUT_CALLS = frozenset({"print", "echo", "secho"})
DSN_KEYWORDS = frozenset({"dsn", "conninfo", "connection_string", "connstring"})
#: DB-API modules whose ``connect``-family functions take a password.
_CONNECT_MODULES = (
    "psycopg2",
    "psycopg",
    "pymysql",
    "MySQLdb",
    "mysql.connector",
    "mariadb",
    "asyncpg",
    "aiomysql",
    "aiopg",
    "cx_Oracle",
    "oracledb",
    "pyodbc",
    "pg8000",
    "pymssql",
    "ibm_db",
)
_CONNECT_FUNCTIONS = ("connect", "Connect", "create_pool", "SessionPool")
CONNECT_FACTORIES = frozenset(
    f"{module}.{function}" for module in _CONNECT_MODULES for function in _CONNECT_FUNCTIONS
) | frozenset(
    {
        "psycopg.Connection.connect",
        "psycopg.AsyncConnection.connect",
        "pymysql.connections.Connection",
        "asyncpg.connection.connect",
        "asyncpg.pool.create_pool",
        "psycopg2.pool.SimpleConnectionPool",
        "psycopg2.pool.ThreadedConnectionPool",
    }
)
#: SQLAlchemy's URL class, however it is imported.
_SA_URL_CLASSES = frozenset(
    {"sqlalchemy.URL", "sqlalchemy.engine.URL", "sqlalchemy.engine.url.URL"}
)


class HardcodedPasswordRules(Family):
    codes = ("DBS501",)

    def run(self) -> None:
        if not self.wants("DBS501"):
            return
        self._check_url_literals()
        self._check_connect_keywords()

    # -- URL literals -----------------------------------------------------------

    def _check_url_literals(self) -> None:
        for node, _ctx in self.facts.strings:
            if self._is_part_of_larger_string(node) or self._is_documentation(node):
                continue
            text = string_text(node)
            if text is None:
                continue
            for scheme in url_passwords(text):
                self.report(node, "DBS501", where=f"a {scheme} URL literal")
                break

    def _is_part_of_larger_string(self, node: ast.AST) -> bool:
        """Constant pieces and format specs of an f-string are judged with it.

        A literal that *is* a field's expression (``f"{'mysql://u:pw@h/db'}"``,
        and with PEP 701 ``f"{"mysql://u:pw@h/db"}"``) is not: the f-string's
        text has a hole there, so it is judged on its own.
        """
        parent = self.facts.parent(node)
        if isinstance(parent, ast.FormattedValue):
            return node is parent.format_spec
        return isinstance(parent, ast.JoinedStr)

    def _is_documentation(self, node: ast.AST) -> bool:
        """A docstring, a string that is a statement on its own, prose (a
        multi-line text in which the URL is one line among others: help text,
        sample configuration, embedded example code), or user-facing text: an
        option's ``help=``, a translated message, an exception's message,
        text printed for the user (``print``, click's ``echo``)."""
        if isinstance(self.facts.parent(node), ast.Expr):
            return True
        text = string_text(node) or ""
        return "\n" in text.strip() or self._is_user_text(node)

    def _is_user_text(self, node: ast.AST) -> bool:
        """Is the literal (or the string built from it) help or error text?"""
        current: ast.AST = node
        for _ in range(16):
            parent = self.facts.parent(current)
            if parent is None or isinstance(parent, ast.stmt) and not isinstance(parent, ast.Raise):
                return False
            if isinstance(parent, ast.keyword) and parent.arg in HELP_KEYWORDS:
                return True
            if isinstance(parent, ast.Raise):
                return True  # raise ValueError("use mysql://user:pw@host/db")
            if isinstance(parent, ast.Call) and current is not parent.func:
                if last_part(parent.func) in TRANSLATION_CALLS | OUTPUT_CALLS:
                    return True  # a message, or text printed for the user (setup help)
            current = parent
        return False

    # -- connect(password=...) -----------------------------------------------------

    def _check_connect_keywords(self) -> None:
        for scope in self.facts.scopes:
            for call, _ctx in scope.calls:
                if not _may_hold_password(call):
                    continue
                kind = self._password_factory(call)
                if kind is None:
                    continue
                for literal, where in self._password_literals(call, kind):
                    self.report(literal, "DBS501", where=where)

    def _password_factory(self, call: ast.Call) -> Optional[str]:
        """``connect`` for a DB-API connect function, ``url`` for SQLAlchemy's URL."""
        qualified = self.sem.qualified(call.func)
        if qualified is None:
            return None
        if qualified in CONNECT_FACTORIES:
            return "connect"
        if qualified in _SA_URL_CLASSES or (
            qualified.endswith(".create") and qualified[: -len(".create")] in _SA_URL_CLASSES
        ):
            return "url"
        return None

    def _password_literals(self, call: ast.Call, kind: str) -> Iterator[Tuple[ast.AST, str]]:
        factory = f"{dotted_name(call.func)}()"
        for kw in call.keywords:
            if kw.arg is None:
                continue
            text = const_str(kw.value)
            if text is None:
                continue
            name = kw.arg.lower()
            if name in PASSWORD_KEYWORDS and not is_placeholder(text):
                yield kw.value, f"{kw.arg}= of {factory}"
            elif name in DSN_KEYWORDS and dsn_has_password(text):
                yield kw.value, f"the DSN of {factory}"
        if call.args and kind == "connect":
            text = const_str(call.args[0])
            if text is not None and dsn_has_password(text):
                yield call.args[0], f"the DSN of {factory}"


def _may_hold_password(call: ast.Call) -> bool:
    """What ``_password_literals`` could report: a literal password/DSN keyword
    or a literal first argument. Checked before resolving the called name,
    which most calls never need."""
    if call.args and const_str(call.args[0]) is not None:
        return True
    return any(
        kw.arg is not None and kw.arg.lower() in _LITERAL_KEYWORDS and const_str(kw.value) is not None
        for kw in call.keywords
    )


_LITERAL_KEYWORDS = PASSWORD_KEYWORDS | DSN_KEYWORDS

