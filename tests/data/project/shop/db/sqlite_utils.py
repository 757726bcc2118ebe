"""sqlite helpers: an error-translating context manager and a row-count check."""
import sqlite3
from contextlib import contextmanager


@contextmanager
def wrap_exceptions(exc_type, message="unexpected error"):
    # a @contextmanager is a ContextDecorator: ``@wrap_exceptions()`` runs the
    # decorated function inside this handler
    try:
        yield
    except sqlite3.OperationalError as exc:
        raise exc_type(message) from exc
    except sqlite3.DatabaseError as exc:
        raise exc_type(message) from exc


def rowcount_exactly_one(cursor, make_exc):
    if cursor.rowcount == 0:
        raise make_exc()


TABLE_OF_KIND = {"feed": "feeds", "entry": "entries"}


def table_of(kind):
    # returns one of the constant table names: safe in SQL text
    for key, table in TABLE_OF_KIND.items():
        if kind.startswith(key):
            return table
    return None
