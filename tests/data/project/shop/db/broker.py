"""A database broker whose ``get()`` context manager handles DB errors
(swift's DatabaseBroker): subclasses in other modules write inside it."""
import sqlite3
from contextlib import contextmanager


class BrokerError(Exception):
    pass


class DatabaseBroker(object):
    def __init__(self, path):
        self.path = path
        self.conn = None

    @contextmanager
    def get(self):
        conn = self.conn or sqlite3.connect(self.path)
        self.conn = None
        try:
            yield conn
            conn.rollback()
            self.conn = conn
        except sqlite3.DatabaseError as err:
            conn.close()
            raise BrokerError(str(err))
