"""The project's own DB-API wrapper, imported as a module (patroni's psycopg.py)."""
import sqlite3


def connect(path):
    """A sqlite3 connection with the project's settings."""
    return sqlite3.connect(path, timeout=5, isolation_level=None)
