"""Walk pg_catalog and describe what it lists (helpers in ``relations.py``)."""
from shop.db.identifiers import qualified_table, schema_dot
from shop.db.relations import count_rows, describe_columns


def describe_all(cur):
    cur.execute("SELECT c.oid, c.relname FROM pg_catalog.pg_class c WHERE c.relkind = 'r'")
    out = []
    for oid, relname in cur.fetchall():
        out.append((describe_columns(cur, oid), count_rows(cur, relname)))
    return out


def truncate(cur, schema, table):
    # a helper in another module that returns literal text around a quoting helper's results
    # ok: dbs401-sql-built-from-strings
    cur.execute(f"TRUNCATE {qualified_table(schema, table)}")
    # its table part is spliced unquoted
    # ruleid: dbs401-sql-built-from-strings
    cur.execute(f"TRUNCATE {schema_dot(schema, table)}")
