"""Describe one relation: helpers spliced with what their callers pass.

``shop/db/catalog.py`` calls them with columns it reads back from
``pg_catalog.pg_class``: the OID is a number, the name is text.
"""


def describe_columns(cur, oid):
    # every caller in the project passes a catalog OID unpacked from fetched rows
    # ok: dbs401-sql-built-from-strings
    cur.execute(f"SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = '{oid}'")
    return cur.fetchall()


def count_rows(cur, relname):
    # the caller passes the relation's name: text from the catalog
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(f'SELECT count(*) FROM "{relname}"')
    return cur.fetchone()
