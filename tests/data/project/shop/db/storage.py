"""reader-style storage: the handler is bound with ``functools.partial`` in
one module and used as ``@wrap_exceptions()`` in another."""
from functools import partial

from . import sqlite_utils


class StorageError(Exception):
    pass


wrap_exceptions = partial(sqlite_utils.wrap_exceptions, StorageError)
