"""Writes under a handler learned through an alias made with partial()."""
import sqlite3

from .sqlite_utils import rowcount_exactly_one, table_of
from .storage import wrap_exceptions


class Feeds:
    def __init__(self, db):
        self.db = db

    @wrap_exceptions()
    def add_feed(self, url):
        try:
            # ok: dbs102-db-write-handles-only-integrity-errors
            self.db.execute("INSERT INTO feeds (url) VALUES (?)", (url,))
        except sqlite3.IntegrityError:
            raise KeyError(url)

    def add_feed_unguarded(self, url):
        try:
            # ruleid: dbs102-db-write-handles-only-integrity-errors
            self.db.execute("INSERT INTO feeds (url) VALUES (?)", (url,))
        except sqlite3.IntegrityError:
            raise KeyError(url)

    @wrap_exceptions()
    def delete_entry(self, entry_id):
        cursor = self.db.cursor()
        # the cursor goes to a helper that reads its rowcount
        # ok: dbs303-delete-rowcount-unchecked
        cursor.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        rowcount_exactly_one(cursor, lambda: KeyError(entry_id))

    @wrap_exceptions()
    def delete_entry_unchecked(self, entry_id):
        cursor = self.db.cursor()
        # ruleid: dbs303-delete-rowcount-unchecked
        cursor.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
        print(cursor)

    @wrap_exceptions()
    def count(self, kind, workspace):
        # ok: dbs401-sql-built-from-strings
        return self.db.execute(f"SELECT count(*) FROM {table_of(kind)} WHERE workspace = ?", (workspace,))
