"""Commands over the karma table of shop/db/karma.py (its DDL declares the keys)."""
import sqlite3


class KarmaError(Exception):
    pass


def increment(db, name):
    try:
        # ``normalized`` is UNIQUE in the table's DDL: one row, its count unread
        # ruleid: dbs301-update-rowcount-unchecked
        db.execute("UPDATE OR IGNORE karma SET added=added+1 WHERE normalized=?", (name.lower(),))
    except sqlite3.Error as exc:
        raise KarmaError(name) from exc


def forget(db, channel, added):
    try:
        # the unique index (channel, added) pins one row
        # ruleid: dbs303-delete-rowcount-unchecked
        db.execute("DELETE FROM karma WHERE channel = ? AND added = ?", (channel, added))
    except sqlite3.Error as exc:
        raise KarmaError(channel) from exc


def forget_channel(db, channel):
    try:
        # ``channel`` alone is no key of karma: a bulk DELETE
        # ruleid: dbs304-bulk-rowcount-unchecked
        db.execute("DELETE FROM karma WHERE channel = ?", (channel,))
    except sqlite3.Error as exc:
        raise KarmaError(channel) from exc


def rename_order(db, order_no, status):
    try:
        # ``orders`` is the __tablename__ of shop.db.models.Order, keyed by order_no
        # ruleid: dbs301-update-rowcount-unchecked
        db.execute("UPDATE orders SET status = ? WHERE order_no = ?", (status, order_no))
    except sqlite3.Error as exc:
        raise KarmaError(order_no) from exc
