"""Last measure per metric, upserted: the table keys on a column named ``key``."""
import json
import sqlite3
from textwrap import dedent


def create(path):
    with sqlite3.connect(path) as conn:
        conn.execute(dedent("""
            CREATE TABLE IF NOT EXISTS last_measures (
                time REAL,
                key TEXT PRIMARY KEY,
                data TEXT
            )
        """))


def upsert(path, time, key, data):
    with sqlite3.connect(path) as conn:
        c = conn.cursor()
        try:
            # ruleid: dbs102-db-write-handles-only-integrity-errors
            c.execute("INSERT INTO last_measures VALUES(?, ?, ?)", (time, key, json.dumps(data)))
        # the cursor's connection is a ``with`` target: not DBS602
        # ok: dbs602-failed-transaction-left-open
        except sqlite3.IntegrityError:
            # ``key`` is the PRIMARY KEY: one identified row, its count unread
            # ruleid: dbs101-db-write-without-error-handling, dbs301-update-rowcount-unchecked
            c.execute("UPDATE last_measures SET time = ?, data = ? WHERE key = ?",
                      (time, json.dumps(data), key))
