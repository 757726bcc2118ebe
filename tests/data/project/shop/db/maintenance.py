"""Table helpers whose SQL names come from their callers (shop/reports.py)."""
from sqlalchemy import text


def vacuum(session, table):
    # every caller in the project passes a constant, directly or through a
    # parameter of its own: the SQL says only what their source says
    # ok: dbs401-sql-built-from-strings
    session.execute(text(f"VACUUM {table}"))


def rows_named(session, name):
    # one caller passes a parameter nobody in the project fills
    # ruleid: dbs401-sql-built-from-strings
    return session.execute(text(f"SELECT * FROM people WHERE name = '{name}'"))


def name_clause(column):
    return "%s = :value" % column


def people_named(session, name):
    # the helper returns SQL text built from its parameter, a constant here
    # ok: dbs401-sql-built-from-strings
    return session.execute(text("SELECT * FROM people WHERE " + name_clause("name")), {"value": name})
