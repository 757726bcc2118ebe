"""Walk pg_catalog and describe what it lists (helpers in ``relations.py``)."""
from shop.db.relations import count_rows, describe_columns


def describe_all(cur):
    cur.execute("SELECT c.oid, c.relname FROM pg_catalog.pg_class c WHERE c.relkind = 'r'")
    out = []
    for oid, relname in cur.fetchall():
        out.append((describe_columns(cur, oid), count_rows(cur, relname)))
    return out
