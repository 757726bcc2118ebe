"""A sqlite3 store whose tables are declared only in SQL text: the keys the
project model reads from ``CREATE TABLE`` (and ``__tablename__``) pin rows in
raw UPDATE/DELETE text written anywhere in the project."""
import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS karma (
    id INTEGER PRIMARY KEY,
    name TEXT,
    normalized TEXT UNIQUE ON CONFLICT IGNORE,
    added INTEGER,
    channel TEXT
)
"""
INDEXES = "CREATE UNIQUE INDEX IF NOT EXISTS karma_by_added ON karma (channel, added)"


def open_store(path):
    db = sqlite3.connect(path)
    db.execute(SCHEMA)
    db.execute(INDEXES)
    return db
