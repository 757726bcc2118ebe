"""A lock table through the project's re-exported driver."""
from shop.db.sqlite_compat import sqlite3


def initialize_lockfile(path):
    # the driver itself, imported through the module that re-exports it
    # ruleid: dbs601-db-resource-not-closed
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS cache_locks (cache_name TEXT NOT NULL)")
        db.commit()
    except sqlite3.DatabaseError:
        db.rollback()
        raise
    db.close()


def count_locks(path):
    # ok: dbs601-db-resource-not-closed
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM cache_locks").fetchone()[0]
