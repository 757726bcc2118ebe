"""Writes through closures run inside the inherited ``get()`` block."""
from shop.db.broker import DatabaseBroker


def run_later(func, *args):
    return func(*args)


class LedgerBroker(DatabaseBroker):
    def merge_items(self, items):
        def _really_merge_items(conn):
            # the closure's only call site is inside the handling block
            # ok: dbs101-db-write-without-error-handling
            conn.executemany("INSERT INTO ledger (name) VALUES (?)", items)
            # ok: dbs101-db-write-without-error-handling
            conn.commit()

        with self.get() as conn:
            _really_merge_items(conn)

    def merge_later(self, items):
        def _merge(conn):
            # handed on as well: its call sites are not all known
            # ruleid: dbs101-db-write-without-error-handling
            conn.executemany("INSERT INTO ledger (name) VALUES (?)", items)

        with self.get() as conn:
            _merge(conn)
        run_later(_merge, self.conn)

    def merge_unguarded(self, conn, items):
        def _write(conn):
            # called outside any handler
            # ruleid: dbs101-db-write-without-error-handling
            conn.executemany("INSERT INTO ledger (name) VALUES (?)", items)

        _write(conn)
