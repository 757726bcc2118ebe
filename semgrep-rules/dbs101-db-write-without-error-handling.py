"""Fixture for DBS101: DB write with no handler for database errors in its function."""

import contextlib
import functools
import hashlib
import sqlite3
import sys

import numpy as np
import psycopg2
import requests
import sqlalchemy as sa
import torch
import rq as queue_module
from babel.messages.pofile import read_po
from gramps.gen.utils.configmanager import ConfigManager
from PIL import Image
from rq.job import Job
from oslo_db import exception as db_exc
from oslo_db.exception import DBError as DBErr
from oslo_service import service
from sqlalchemy import delete, insert, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm as sa_orm
from sqlalchemy.exc import IntegrityError as IE

from myapp import models
from myapp.api import wsgi
from myapp.db import model_query
from sql import Table as SqlTable
from psycopg2 import sql as pgsql
from textwrap import dedent

CONSUMER_TBL = models.Consumer.__table__


# --- oslo.db: context.session ------------------------------------------------


def increment_generation(ctx, consumer):
    upd_stmt = CONSUMER_TBL.update().where(
        CONSUMER_TBL.c.generation == consumer.generation
    ).values(generation=consumer.generation + 1)
    # ruleid: dbs101-db-write-without-error-handling
    res = ctx.session.execute(upd_stmt)
    return res.rowcount


def delete_consumers(ctx, uuids):
    # Core statement built step by step in locals.
    del_stmt = CONSUMER_TBL.delete()
    del_stmt = del_stmt.where(CONSUMER_TBL.c.uuid.in_(uuids))
    # ruleid: dbs101-db-write-without-error-handling
    ctx.session.execute(del_stmt)


def create_consumer(ctx, values):
    db_obj = models.Consumer(**values)
    # ruleid: dbs101-db-write-without-error-handling
    db_obj.save(ctx.session)
    # ruleid: dbs101-db-write-without-error-handling
    ctx.session.flush()


def reset_task_state(instance):
    instance.task_state = None
    # ruleid: dbs101-db-write-without-error-handling
    instance.save(expected_task_state=["deleting"])


def plain_versioned_save(migration):
    migration.status = "error"
    # ruleid: dbs101-db-write-without-error-handling
    migration.save()


def save_with_session_and_flag(ctx, db_obj):
    # ruleid: dbs101-db-write-without-error-handling
    db_obj.save(ctx.session, refresh=True)


def update_service_ref(service):
    # the parameter hides the imported oslo_service module: an object's save()
    service.version = 3
    # ruleid: dbs101-db-write-without-error-handling
    service.save()


def file_and_model_saves(image, buf, arr, path, model, explainer, handle):
    # ok: dbs101-db-write-without-error-handling
    image.save(buf, format="PNG")
    # ok: dbs101-db-write-without-error-handling
    np.save(path, arr, allow_pickle=False)
    # ok: dbs101-db-write-without-error-handling
    model.save(path, overwrite=True)
    # ok: dbs101-db-write-without-error-handling
    explainer.save(handle, model_saver=False)


class BlockDeviceMapping(base.NovaPersistentObject):
    def save(self):
        # an override that only hands the write on: each caller's
        # bdm.save() is the finding, not this line
        # ok: dbs101-db-write-without-error-handling
        super().save()

    def refresh(self):
        # ruleid: dbs101-db-write-without-error-handling
        super().save()


class Article(models.Model):
    def save(self, **kwargs):
        self.slug = slugify(self.title)
        # ok: dbs101-db-write-without-error-handling
        super(Article, self).save(**kwargs)


# --- SQLAlchemy 2.0 / Core ----------------------------------------------------


def rename(session, user_id, name):
    # ruleid: dbs101-db-write-without-error-handling
    session.execute(update(models.User).where(models.User.id == user_id).values(name=name))


def add_row(conn, name):
    # ruleid: dbs101-db-write-without-error-handling
    conn.execute(sa.insert(models.User.__table__).values(name=name))


def purge(connection, table):
    # ruleid: dbs101-db-write-without-error-handling
    connection.execute(table.delete().where(table.c.deleted == 1))


def purge_text(session, table):
    # ruleid: dbs101-db-write-without-error-handling
    session.execute(text("DELETE FROM %s WHERE deleted = 1" % table))


def insert_many(session, rows):
    # ruleid: dbs101-db-write-without-error-handling
    session.execute(insert(models.User), rows)


def bulk(session, objs, mappings):
    # ruleid: dbs101-db-write-without-error-handling
    session.bulk_save_objects(objs)
    # ruleid: dbs101-db-write-without-error-handling
    session.bulk_insert_mappings(models.User, mappings)


def driver_sql(conn, table):
    # ruleid: dbs101-db-write-without-error-handling
    conn.exec_driver_sql("UPDATE users SET active = 0")


# --- ORM bulk query operations ------------------------------------------------


def deactivate(session, user_id):
    # ruleid: dbs101-db-write-without-error-handling
    session.query(models.User).filter_by(id=user_id).update({"active": False})


def drop_user(session, user_id):
    # ruleid: dbs101-db-write-without-error-handling
    session.query(models.User).filter(models.User.id == user_id).delete()


def soft_delete(context, instance_uuid, values):
    query = model_query(context, models.Instance)
    query = query.filter_by(uuid=instance_uuid)
    # ruleid: dbs101-db-write-without-error-handling
    query.update(values)


# A query bound to a conditional expression (qinling's conditional_update):
# a query either way.
def conditional_update(context, model, values, insecure=False):
    query = model_query(context, model) if insecure else context.session.query(model)
    # ruleid: dbs101-db-write-without-error-handling
    result = query.update(values, synchronize_session=False)
    return result != 0


def remove_host(context, aggregate_id, host):
    query = context.session.query(models.AggregateHost)
    query = query.filter(models.AggregateHost.aggregate_id == aggregate_id)
    # ruleid: dbs101-db-write-without-error-handling
    count = query.filter_by(host=host).delete()
    return count


def flask_delete(user_id):
    # ruleid: dbs101-db-write-without-error-handling
    models.User.query.filter(models.User.id == user_id).delete()


# --- DB-API -------------------------------------------------------------------


def dbapi(path, rows):
    conn = sqlite3.connect(path)
    cursor = conn.cursor()
    # ruleid: dbs101-db-write-without-error-handling
    cursor.execute("UPDATE users SET active = 0 WHERE id = ?", (1,))
    # ruleid: dbs101-db-write-without-error-handling
    cursor.executemany("INSERT INTO users (name) VALUES (?)", rows)
    # ruleid: dbs101-db-write-without-error-handling
    conn.commit()


def fstring_sql(cur, table):
    # ruleid: dbs101-db-write-without-error-handling
    cur.execute(f"DELETE FROM {table} WHERE id = 1")


# --- async ----------------------------------------------------------------------


async def async_rename(session, user_id):
    # ruleid: dbs101-db-write-without-error-handling
    await session.execute(update(models.User).where(models.User.id == user_id))
    # ruleid: dbs101-db-write-without-error-handling
    await session.commit()


async def async_with(factory):
    # a factory passed in is nobody's definition: judged by its function
    async with factory() as session:
        session.add(models.User())
        # ruleid: dbs101-db-write-without-error-handling
        await session.flush()


# --- expressions: walrus, comprehension, lambda ------------------------------------


def walrus(session):
    # ruleid: dbs101-db-write-without-error-handling
    if (res := session.execute(delete(models.User).where(models.User.id == 1))) is not None:
        return res


def comprehension(session, ids):
    # ruleid: dbs101-db-write-without-error-handling
    return [session.execute(delete(models.User).where(models.User.id == i)) for i in ids]


def callback_factory(session):
    # ruleid: dbs101-db-write-without-error-handling
    return lambda obj: obj.save(session)


def deferred(session):
    try:
        # A lambda runs later, outside this try: it has no handler of its own.
        # todoruleid: dbs101-db-write-without-error-handling
        callback = lambda: session.commit()  # noqa: E731
    except db_exc.DBError:
        callback = None
    return callback


# --- try shapes that do not handle ------------------------------------------------


def try_finally_only(session):
    try:
        # ruleid: dbs101-db-write-without-error-handling
        session.commit()
    finally:
        session.close()


def unrelated_handler(session):
    try:
        # ruleid: dbs101-db-write-without-error-handling
        session.flush()
    except ValueError:
        pass


def write_in_handler(session, obj):
    try:
        session.flush()
    except db_exc.DBError:
        session.rollback()
        # ruleid: dbs101-db-write-without-error-handling
        session.execute(delete(models.User).where(models.User.id == obj.id))
        raise


def write_in_else(session):
    try:
        session.flush()
    except db_exc.DBError:
        raise
    else:
        # ruleid: dbs101-db-write-without-error-handling
        session.commit()


def nested_function(session):
    try:

        def inner():
            # its only call is inside the handler below: handled there (the
            # handler that swallows it is DBS103's)
            # ok: dbs101-db-write-without-error-handling
            session.flush()

        inner()
    except sa_exc.SQLAlchemyError:
        pass


class Repository:
    def remove(self, user_id):
        # ruleid: dbs101-db-write-without-error-handling
        self._session.query(models.User).filter_by(id=user_id).delete()


# --- handled ---------------------------------------------------------------------


def handled_oslo(ctx, stmt_values):
    try:
        # ok: dbs101-db-write-without-error-handling
        ctx.session.execute(update(models.User).values(**stmt_values))
    except db_exc.DBError:
        raise


def handled_broad(session):
    try:
        # ok: dbs101-db-write-without-error-handling
        session.commit()
    except Exception:
        session.rollback()
        raise


def handled_bare(session):
    try:
        # ok: dbs101-db-write-without-error-handling
        session.flush()
    except:  # noqa: E722
        session.rollback()
        raise


def handled_tuple(session, obj):
    try:
        # ok: dbs101-db-write-without-error-handling
        obj.save(session)
    except (db_exc.DBDuplicateEntry, db_exc.DBDeadlock):
        raise


def handled_second_handler(session):
    try:
        # ok: dbs101-db-write-without-error-handling
        session.flush()
    except ValueError:
        pass
    except sa_exc.OperationalError:
        raise


def handled_outer_try(session):
    try:
        try:
            # ok: dbs101-db-write-without-error-handling
            session.flush()
        finally:
            session.close()
    except sa_exc.SQLAlchemyError:
        raise


def handled_dbapi(path):
    conn = sqlite3.connect(path)
    try:
        # ok: dbs101-db-write-without-error-handling
        conn.execute("DELETE FROM t")
    except sqlite3.Error:
        conn.rollback()


def handled_psycopg(conn):
    try:
        # ok: dbs101-db-write-without-error-handling
        conn.commit()
    except psycopg2.OperationalError:
        conn.rollback()


def handled_by_alias(session):
    try:
        # todook: dbs101-db-write-without-error-handling
        session.commit()
    except DBErr:
        session.rollback()
        raise


def translated(ctx, values):
    try:
        # ok: dbs101-db-write-without-error-handling
        ctx.session.execute(sa.update(models.User).values(**values))
    except db_exc.DBError as exc:
        raise RuntimeError("update failed") from exc


def handled_trystar(session):
    try:
        # ok: dbs101-db-write-without-error-handling
        session.flush()
    except* db_exc.DBError:
        pass


# --- integrity-only handlers are DBS102, not DBS101 -------------------------------


def integrity_only(ctx, db_obj):
    try:
        # ok: dbs101-db-write-without-error-handling
        db_obj.save(ctx.session)
    except db_exc.DBDuplicateEntry:
        raise


def integrity_alias(session):
    try:
        # todook: dbs101-db-write-without-error-handling
        session.flush()
    except IE:
        raise


def unique_violation(conn):
    try:
        # ok: dbs101-db-write-without-error-handling
        conn.commit()
    except psycopg2.errors.UniqueViolation:
        pass


# --- look-alikes: not DB writes ------------------------------------------------------


def look_alikes(values, x, img, wb, path, obj, f, file, b, digest, seen, session, q):
    # ok: dbs101-db-write-without-error-handling
    {}.update({"a": 1})
    # ok: dbs101-db-write-without-error-handling
    values.update(x)
    # ok: dbs101-db-write-without-error-handling
    img.save("a.png")
    # ok: dbs101-db-write-without-error-handling
    wb.save(path)
    # ok: dbs101-db-write-without-error-handling
    torch.save(obj, f)
    # ok: dbs101-db-write-without-error-handling
    file.flush()
    # ok: dbs101-db-write-without-error-handling
    sys.stdout.flush()
    # ok: dbs101-db-write-without-error-handling
    hashlib.sha256().update(b)
    # ok: dbs101-db-write-without-error-handling
    digest.update()
    # ok: dbs101-db-write-without-error-handling
    seen.add(x)
    # ok: dbs101-db-write-without-error-handling
    session.add(obj)
    # ok: dbs101-db-write-without-error-handling
    session.execute(sa.select(models.User))
    # ok: dbs101-db-write-without-error-handling
    session.execute("SELECT 1")


def http_session(url):
    session = requests.Session()
    # ok: dbs101-db-write-without-error-handling
    session.post(url, data={"a": 1})
    # ok: dbs101-db-write-without-error-handling
    session.close()


def row_update(session, values):
    q = session.query(models.User).filter_by(id=1)
    row = q.first()
    # ok: dbs101-db-write-without-error-handling
    row.update(values)


def fetched_row_update(context, rc_id, updates):
    # oslo.db ModelBase.update() sets attributes on the fetched row.
    db_rc = context.session.query(models.ResourceClass).filter_by(id=rc_id).first()
    # ok: dbs101-db-write-without-error-handling
    db_rc.update(updates)
    # ok: dbs101-db-write-without-error-handling
    context.session.query(models.User).filter_by(id=rc_id).one().update(updates)
    try:
        # ok: dbs101-db-write-without-error-handling
        db_rc.save(context.session)
    except db_exc.DBError:
        raise


def continued_row_update(context, volume_id, values):
    current_usage = model_query(context, models.VolumeUsage).\
        filter_by(volume_id=volume_id).\
        first()
    # ok: dbs101-db-write-without-error-handling
    current_usage.update(values)


def parenthesised_row_update(context, group_snapshot_id, values):
    # cinder's group_snapshot_update: the chain in parentheses ends in .first()
    result = (
        model_query(context, models.GroupSnapshot, project_only=True)
        .filter_by(id=group_snapshot_id)
        .first()
    )
    # ok: dbs101-db-write-without-error-handling
    result.update(values)
    # ruleid: dbs101-db-write-without-error-handling
    result.save(context.session)


def oslo_update_on_match(context, values):
    query = model_query(context, models.Instance).filter_by(uuid="u")
    # ok: dbs101-db-write-without-error-handling
    query.update_on_match(models.Instance(), "uuid", values)


# Module-level code (scripts, migrations) is not checked.
engine_session = None
# ok: dbs101-db-write-without-error-handling
engine_session.commit()


# --- save() on objects that provenance shows are no DB models (issue 11) ---------


def _open_image(path):
    return Image.open(path)


def not_models(path, queue, po_file):
    img = Image.open(path)
    # ok: dbs101-db-write-without-error-handling
    img.save()
    thumb = _open_image(path)
    # todook: dbs101-db-write-without-error-handling
    thumb.save()
    catalog = read_po(po_file)
    # ok: dbs101-db-write-without-error-handling
    catalog.save()
    job = queue_module.Queue().enqueue(print)
    # ok: dbs101-db-write-without-error-handling
    job.save()
    # a class of another package from a configuration module: a settings file
    settings = ConfigManager(path)
    settings.set("tree.uuid", "x")
    # todook: dbs101-db-write-without-error-handling
    settings.save()


def imported_objects():
    # a module's object or function (calibre-web's ``from . import config``;
    # myapp.models imported as a module), not an ORM row
    # ok: dbs101-db-write-without-error-handling
    service.save()
    # ok: dbs101-db-write-without-error-handling
    models.save()
    # ok: dbs101-db-write-without-error-handling
    sqlite3.save()


def imported_name_as_loop_variable(rows):
    for service in rows:
        # a loop variable hides the import: the row is saved
        # ruleid: dbs101-db-write-without-error-handling
        service.save()


def imported_name_rebound(make):
    models = make()
    # a local assignment hides the import: the row is saved
    # ruleid: dbs101-db-write-without-error-handling
    models.save()


def annotated_job(job: Job, instance):
    # ok: dbs101-db-write-without-error-handling
    job.save()
    # ruleid: dbs101-db-write-without-error-handling
    instance.save()


# --- issue 14: reported on flake8's line ---------------------------------------


def parenthesised_bulk(session, Model, before):
    deleted = (
        # ruleid: dbs101-db-write-without-error-handling
        session.query(Model)
        .filter(Model.deleted_at < before)
        .delete(synchronize_session=False)
    )
    return deleted


async def parenthesised_execute(session, stmt_values):
    await (
        # ruleid: dbs101-db-write-without-error-handling
        session.execute(update(models.User).values(**stmt_values))
    )


def select_after_insert(cursor, name):
    # sqlite-utils/designate: the name is bound to a SELECT by the time of the
    # second execute
    sql = "INSERT INTO users (name) VALUES (?)"
    # ruleid: dbs101-db-write-without-error-handling
    cursor.execute(sql, (name,))
    sql = "SELECT * FROM users"
    # ok: dbs101-db-write-without-error-handling
    cursor.execute(sql)


def statement_through_a_helper(self, ctx, table, obj, session):
    query = table.update().where(table.c.id == obj.id).values(a=1)
    query = self._apply_tenant_criteria(ctx, table, query)
    # ok: dbs101-db-write-without-error-handling
    session.execute(query)


class ResourceView:
    @classmethod
    def delete_not_in_view_types(cls, meta, view_types):
        # ckan: a session named Session (capitalised) is not session-like, and
        # meta.Session.query(...) is a call, not Flask's Model.query
        query = meta.Session.query(cls).filter(cls.view_type.notin_(view_types))
        # ok: dbs101-db-write-without-error-handling
        return query.delete(synchronize_session="fetch")


# --- issue 14: what flake8 learns from the rest of the module --------------------
# A project's context manager that translates DB errors, a decorator named for
# errors, callers that handle the error: flake8 reads their definitions and
# follows the calls; Semgrep cannot, so DBS101 leaves these writes to flake8
# (when the definition does not handle the error, flake8 alone reports).


@contextlib.contextmanager
def managed_session(factory):
    session = factory()
    try:
        yield session
        session.commit()
    except sa_exc.SQLAlchemyError as exc:
        session.rollback()
        raise RuntimeError("database error") from exc


def in_project_context_manager(factory, user_id):
    # mlflow's ManagedSessionMaker, glance's get_db
    with managed_session(factory) as session:
        # ok: dbs101-db-write-without-error-handling
        session.execute(delete(models.User).where(models.User.id == user_id))


class VectorStore:
    """mem0's PGVector: a ``@contextmanager`` method of the class hands out
    the cursor, rolls back, logs and re-raises."""

    @contextlib.contextmanager
    def _get_cursor(self, commit=False):
        conn = self.pool.getconn()
        cur = conn.cursor()
        try:
            yield cur
            if commit:
                conn.commit()
        except Exception:
            conn.rollback()
            log.error("cursor failed", exc_info=True)
            raise
        finally:
            cur.close()
            self.pool.putconn(conn)

    def delete(self, vector_id):
        with self._get_cursor(commit=True) as cur:
            # ok: dbs101-db-write-without-error-handling
            cur.execute("DELETE FROM vectors WHERE id = %s", (vector_id,))

    def delete_unmanaged(self, vector_id):
        with self.pool.getconn().cursor() as cur:
            # ruleid: dbs101-db-write-without-error-handling
            cur.execute("DELETE FROM vectors WHERE id = %s", (vector_id,))


class ContextSession(sa_orm.Session):
    """flexget's session class: its ``__exit__`` commits, or rolls back."""

    def __exit__(self, exc_type, exc_val, exc_tb):
        try:
            if exc_type is None:
                self.commit()
            else:
                self.rollback()
        finally:
            super().__exit__(exc_type, exc_val, exc_tb)


ContextMaker = sa_orm.sessionmaker(class_=ContextSession)
PlainMaker = sa_orm.sessionmaker()


def forget_series(name):
    with ContextMaker() as session:
        # the sessions ContextMaker makes roll back on error
        # ok: dbs101-db-write-without-error-handling
        session.execute(delete(models.User).where(models.User.name == name))
    with PlainMaker() as session:
        # a project factory's sessions: the pack leaves them to flake8
        # todoruleid: dbs101-db-write-without-error-handling
        session.execute(delete(models.User).where(models.User.name == name))


class ConfigFile:
    """pyload's ConfigParser: its own save() writes a file."""

    def save(self):
        with open(self.path, "w") as handle:
            handle.write(self.text)

    def set_option(self, option, value):
        self.options[option] = value
        # the pack cannot read what the class's own save() does
        # todook: dbs101-db-write-without-error-handling
        self.save()


class Article(models.Model):
    def save(self, *args, **kwargs):
        self.slug = self.title.lower()
        super().save(*args, **kwargs)

    def publish(self):
        self.published = True
        # save() hands on to the ORM's save
        # ruleid: dbs101-db-write-without-error-handling
        self.save()


def in_library_context_manager(engine, user_id):
    # SQLAlchemy's begin() hands the error on
    with engine.begin() as conn:
        # ruleid: dbs101-db-write-without-error-handling
        conn.execute(delete(models.User).where(models.User.id == user_id))


def in_passed_factory(user_id, factory: "Callable[[], Session]" = None):
    with factory() as session:
        # ruleid: dbs101-db-write-without-error-handling
        session.execute(delete(models.User).where(models.User.id == user_id))


def in_imported_context_manager(user_id):
    # defined in another module: flake8 alone on this file cannot read it
    # (in a project it can); Semgrep never can, and leaves the block alone
    with model_query.writer_session() as session:
        # todoruleid: dbs101-db-write-without-error-handling
        session.execute(delete(models.User).where(models.User.id == user_id))


def translate_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except sa_exc.SQLAlchemyError as exc:
            raise RuntimeError("database error") from exc
    return wrapper


@translate_errors
def error_decorated(session):
    # ok: dbs101-db-write-without-error-handling
    session.flush()


@wsgi.expected_errors((400, 404))
def imported_error_decorator(req, session, id):
    # nova's API decorator: flake8 reads it in the project (here, alone on the
    # file, it cannot); Semgrep leaves a function with such a decorator alone
    # todoruleid: dbs101-db-write-without-error-handling
    session.flush()


def _purge_rows(session, table):
    # every caller handles the error
    # ok: dbs101-db-write-without-error-handling
    session.execute(delete(table))


def _purge_audit_rows(
    session,
    table,
):
    # a signature over several lines, closed at the def's indentation
    # ok: dbs101-db-write-without-error-handling
    session.execute(delete(table).where(table.c.audit.is_(True)))


def purge_tables(session, tables):
    for table in tables:
        try:
            _purge_rows(session, table)
            _purge_audit_rows(session, table)
        except sa_exc.SQLAlchemyError:
            session.rollback()
            raise


class Purger:
    def run(self, session):
        try:
            self._purge(session)
        except db_exc.DBError:
            session.rollback()
            raise

    def _purge(self, session):
        # called before its def, by a method that handles the error
        # ok: dbs101-db-write-without-error-handling
        session.execute(delete(models.User))


def _unguarded_helper(session):
    # the file calls it and has a handler, but not around this call: flake8
    # follows the call, Semgrep cannot tell this caller from purge_tables
    # todoruleid: dbs101-db-write-without-error-handling
    session.execute(delete(models.User))


def calls_helper_unguarded(session):
    _unguarded_helper(session)


# --- a query filtered by a helper that returns it (cyborg's add_identity_filter)


def add_identity_filter(query, value):
    if value.isdigit():
        return query.filter_by(id=value)
    return query.filter_by(uuid=value)


def deployable_delete(context, uuid):
    query = model_query(context, models.Deployable)
    query = add_identity_filter(query, uuid)
    # todoruleid: dbs101-db-write-without-error-handling
    count = query.delete()
    if count != 1:
        raise LookupError(uuid)


def register_model(cursor, name):
    # python-sql: execute(*table.insert(...)) passes the statement's text and
    # parameters (trytond's ORM)
    table = SqlTable("ir_model")
    # ruleid: dbs101-db-write-without-error-handling
    cursor.execute(*table.insert([table.name], [[name]]))
    # a SELECT is no write
    # ok: dbs101-db-write-without-error-handling
    cursor.execute(*table.select(table.id))


def reset_baselines(conn, conditions):
    # psycopg's composed SQL: the literal of sql.SQL(...) is the statement
    query = pgsql.SQL("UPDATE {} SET is_baseline = FALSE WHERE {}").format(
        pgsql.Identifier("monitoring"), pgsql.SQL(" AND ").join(conditions))
    with conn.cursor() as cur:
        # ruleid: dbs101-db-write-without-error-handling
        cur.execute(query)
    with conn.cursor() as cur:
        # ok: dbs101-db-write-without-error-handling
        cur.execute(pgsql.SQL("SELECT * FROM {}").format(pgsql.Identifier("monitoring")))


async def finish_migrations(pool, versions_table, target):
    # the literal of sql.SQL(dedent("""...""")) is the statement: dedent only
    # changes its layout (saq's queue migrations)
    async with pool.connection() as conn, conn.cursor() as cursor:
        # ruleid: dbs101-db-write-without-error-handling
        await cursor.execute(
            pgsql.SQL(
                dedent(
                    """
                    DELETE FROM {versions_table};
                    INSERT INTO {versions_table} (version) VALUES ({target});
                    """
                )
            ).format(versions_table=pgsql.Identifier(versions_table), target=target)
        )
        # ok: dbs101-db-write-without-error-handling
        await cursor.execute(pgsql.SQL(dedent("SELECT version FROM {}")).format(pgsql.Identifier(versions_table)))


def blank_comment(db, comment_id):
    # isso: the project's execute joins a list of SQL fragments; the first
    # fragment says what the statement is
    # ruleid: dbs101-db-write-without-error-handling
    db.execute(["UPDATE comments SET", "text=?", "WHERE id=?"], ("", comment_id))
    # ok: dbs101-db-write-without-error-handling
    return db.execute(["SELECT * FROM comments", "WHERE id=?"], (comment_id,)).fetchone()


class History:
    def _writeout_output(self, conn):
        with conn:
            # its only caller guards it with an integrity-only handler: DBS102, not DBS101
            # ok: dbs101-db-write-without-error-handling
            conn.execute("INSERT INTO output_history VALUES (?, ?)", (self.session, self.line))

    def writeout(self, conn):
        try:
            self._writeout_output(conn)
        except sqlite3.IntegrityError:
            self.session += 1
