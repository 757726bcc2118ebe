"""A decorator and a context manager that handle DB errors (defined once)."""
import contextlib
import functools

from sqlalchemy import exc as sa_exc

from shop.log import LOGGER as LOG


class ShopError(Exception):
    pass


def translate_db_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except sa_exc.SQLAlchemyError as error:
            raise ShopError(str(error)) from error
    return wrapper


def log_errors(func):
    """Logs and re-raises: no handling (nothing translated or rolled back)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception:
            LOG.exception("failed")
            raise
    return wrapper


@contextlib.contextmanager
def transaction(session):
    try:
        yield session
        session.commit()
    except sa_exc.SQLAlchemyError as error:
        session.rollback()
        raise ShopError(str(error)) from error


def quote_name(name):
    return '"' + name.replace('"', '""') + '"'


def mask_secret(value):
    return "*" * 8 + value[-2:]
