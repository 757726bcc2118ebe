"""Fixture for DBS102: DB write whose handlers catch only integrity errors."""

import contextlib
import functools
import sqlite3

from oslo_db import api as oslo_db_api

import asyncpg
import psycopg2
import retrying
import tenacity
import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.exception import DBDuplicateEntry, DBReferenceError
from sqlalchemy import exc as sa_exc
from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError as IE

from myapp import exception, models


def create_in_db(ctx, values):
    db_obj = models.Consumer(**values)
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.ConsumerExists(uuid=values["uuid"])


def ensure_project(ctx, external_id):
    ins = sa.insert(models.Project.__table__).values(external_id=external_id)
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        ctx.session.execute(ins)
    except db_exc.DBDuplicateEntry:
        # The deliberate "already exists" idiom: the swallowed duplicate is
        # fine (no DBS103), but a deadlock on this INSERT still escapes.
        pass


def add_link(session, parent_id, child_id):
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        session.execute(insert(models.Link).values(parent=parent_id, child=child_id))
    except (DBDuplicateEntry, DBReferenceError):
        raise exception.Conflict()


def flush_alias(session):
    try:
        # todoruleid: dbs102-db-write-handles-only-integrity-errors
        session.flush()
    except IE:
        raise exception.Conflict()


def flush_named(session):
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        session.flush()
    except sa_exc.IntegrityError as exc:
        raise exception.Conflict() from exc


def dbapi_unique(conn, name):
    cur = conn.cursor()
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        cur.execute("INSERT INTO users (name) VALUES (%s)", (name,))
    except psycopg2.errors.UniqueViolation:
        conn.rollback()


def sqlite_integrity(conn):
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        conn.commit()
    except sqlite3.IntegrityError:
        conn.rollback()


async def async_create(session, obj):
    session.add(obj)
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        await session.flush()
    except sa_exc.IntegrityError:
        await session.rollback()
        raise exception.Conflict()


def nested_integrity(session, user_id):
    try:
        try:
            # ruleid: dbs102-db-write-handles-only-integrity-errors
            session.query(models.User).filter_by(id=user_id).update({"name": "x"})
        except db_exc.DBDuplicateEntry:
            raise exception.Conflict()
    finally:
        session.close()


def trystar_integrity(session):
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        session.commit()
    except* sa_exc.IntegrityError:
        raise exception.Conflict()


# --- not integrity-only ---------------------------------------------------------------


def mixed_tuple(session, obj):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        obj.save(session)
    except (db_exc.DBDuplicateEntry, db_exc.DBDeadlock):
        raise exception.Conflict()


def outer_dberror(session):
    try:
        try:
            # ok: dbs102-db-write-handles-only-integrity-errors
            session.flush()
        except db_exc.DBDuplicateEntry:
            raise exception.Conflict()
    except db_exc.DBError:
        raise exception.StorageError()


def second_handler(session):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        session.execute(update(models.User).values(active=False))
    except sa_exc.IntegrityError:
        raise exception.Conflict()
    except Exception:
        session.rollback()
        raise


def not_db_class_in_tuple(session):
    # The handler also names a non-DB class, so by the spec's definition it is
    # not integrity-only (a handler is integrity-only when all its classes are;
    # fittrackee's except (IntegrityError, ValueError) as e).
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        session.flush()
    except (db_exc.DBDuplicateEntry, KeyError):
        raise exception.Conflict()


def unguarded(session):
    # DBS101, never both codes for one call.
    # ok: dbs102-db-write-handles-only-integrity-errors
    session.commit()


def write_in_handler(session):
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        session.flush()
    except db_exc.DBDuplicateEntry:
        # Not guarded by its own try (this is DBS101).
        # ok: dbs102-db-write-handles-only-integrity-errors
        session.commit()


def staging_only(session, obj):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        session.add(obj)
    except db_exc.DBDuplicateEntry:
        pass


class Tag(models.Model):
    def save(self, **kwargs):
        try:
            # the override hands the write on; its callers are reported
            # ok: dbs102-db-write-handles-only-integrity-errors
            super().save(**kwargs)
        except IntegrityError:
            raise TagExists(self.name)


# --- deadlock retries: an integrity handler plus a retry decorator is the
# designed handling (spec, Turn 2 "DBS102 - retries") -----------------------------


@oslo_db_api.wrap_db_retry(max_retries=5, retry_on_deadlock=True)
def create_with_deadlock_retry(ctx, db_obj):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.ConsumerExists()


@oslo_db_api.retry_on_deadlock
def create_with_retry_on_deadlock(ctx, db_obj):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.ConsumerExists()


_retry = oslo_db_api.wrap_db_retry(max_retries=10, retry_on_deadlock=True)


@_retry
def create_with_module_retry(ctx, db_obj):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.ConsumerExists()


@oslo_db_api.wrap_db_retry(max_retries=5, retry_on_request=True)
def retry_without_deadlocks(ctx, db_obj):
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.ConsumerExists()


def _retry_on_deadlock(exc):
    if isinstance(exc, db_exc.DBDeadlock):
        LOG.warning("Deadlock detected. Retrying...")
        return True
    return False


def _retry_on_connection_error(exc):
    return isinstance(exc, db_exc.DBConnectionError)


@retrying.retry(retry_on_exception=_retry_on_deadlock, wait_fixed=500, stop_max_attempt_number=50)
def create_lock(ctx, db_obj):
    try:
        # todook: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.Conflict()


@tenacity.retry(retry=tenacity.retry_if_exception_type(db_exc.DBDeadlock), stop=tenacity.stop_after_attempt(5))
def create_with_tenacity(ctx, db_obj):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.Conflict()


@retrying.retry(retry_on_exception=_retry_on_connection_error, wait_fixed=1000)
def create_retried_on_lost_connections(ctx, db_obj):
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise exception.Conflict()


# --- issue 14: what flake8 learns from the rest of the module --------------------
# (see the DBS101 fixture: a project's context manager, a decorator named for
# errors, callers that handle the other DB errors)


@contextlib.contextmanager
def translating_session(factory):
    session = factory()
    try:
        yield session
        session.commit()
    except sa_exc.SQLAlchemyError as exc:
        session.rollback()
        raise exception.DatabaseError() from exc


def in_project_context_manager(factory, obj):
    with translating_session(factory) as session:
        try:
            # ok: dbs102-db-write-handles-only-integrity-errors
            session.execute(insert(models.Link).values(parent=obj.parent))
        except sa_exc.IntegrityError:
            raise exception.Conflict()


def in_library_context_manager(engine, obj):
    with engine.begin() as conn:
        try:
            # ruleid: dbs102-db-write-handles-only-integrity-errors
            conn.execute(insert(models.Link).values(parent=obj.parent))
        except sa_exc.IntegrityError:
            raise exception.Conflict()


def translate_db_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except sa_exc.SQLAlchemyError as exc:
            raise exception.DatabaseError() from exc
    return wrapper


@translate_db_errors
def error_decorated(session, obj):
    try:
        # ok: dbs102-db-write-handles-only-integrity-errors
        session.execute(insert(models.Link).values(parent=obj.parent))
    except sa_exc.IntegrityError:
        raise exception.Conflict()


class LinkStore:
    def add(self, session, obj):
        try:
            self._insert(session, obj)
        except db_exc.DBError:
            session.rollback()
            raise

    def _insert(self, session, obj):
        try:
            # ok: dbs102-db-write-handles-only-integrity-errors
            session.execute(insert(models.Link).values(parent=obj.parent))
        except db_exc.DBDuplicateEntry:
            raise exception.Conflict()


async def put_group_session(db, room_id, session_id, key):
    # asyncpg's UniqueViolationError is an integrity error (its
    # IntegrityConstraintViolationError family), like sqlalchemy's
    try:
        # ruleid: dbs102-db-write-handles-only-integrity-errors
        await db.execute("INSERT INTO sessions VALUES ($1, $2, $3)", room_id, session_id, key)
    except (sa_exc.IntegrityError, asyncpg.UniqueViolationError):
        pass


def _driver():
    return sqlite3


class History:
    def _writeout_input(self, conn):
        with conn:
            # every caller guards this helper with an integrity-only handler
            # todoruleid: dbs102-db-write-handles-only-integrity-errors
            conn.execute("INSERT INTO history VALUES (?, ?)", (self.session, self.line))

    def writeout(self, conn):
        try:
            self._writeout_input(conn)
        except _driver().IntegrityError:
            self.session += 1

    def record(self, conn):
        try:
            # the driver's IntegrityError named through a call: integrity-only
            # ruleid: dbs102-db-write-handles-only-integrity-errors
            conn.execute("INSERT INTO history VALUES (?, ?)", (self.session, self.line))
        except _driver().IntegrityError:
            self.session += 1
