"""Fixture for DBS602: DB error caught after a write, failed transaction left open."""

import logging
import sys

import sqlite3

import psycopg2
from neutron_lib.db import api as db_api
from oslo_db import exception as db_exc
from oslo_utils import excutils
from sqlalchemy import create_engine, text, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import IntegrityError
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from myapp import db, exception, models

LOG = logging.getLogger(__name__)
engine = create_engine("sqlite://")


class Store:
    def rename(self, user_id, name):
        try:
            self.session.execute(update(models.User).where(models.User.id == user_id).values(name=name))
            self.session.commit()
        # ruleid: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.exception("rename failed")
            return False
        return True


def flask_signup(user):
    db.session.add(user)
    try:
        db.session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except IntegrityError:
        LOG.warning("user exists")
        return None
    return user


def oslo_context(context, values):
    try:
        context.session.execute(update(models.Instance).values(**values))
    # ruleid: dbs602-failed-transaction-left-open
    except db_exc.DBError as exc:
        LOG.error("update failed: %s", exc)


def local_session(ids):
    session = Session(engine)
    try:
        session.query(models.User).filter(models.User.id.in_(ids)).delete()
        session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except Exception:
        LOG.exception("purge failed")
    finally:
        LOG.debug("purge done")


def dbapi(dsn, fh):
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    try:
        cur.execute("UPDATE users SET active = false")
        conn.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except psycopg2.Error as exc:
        fh.close()
        print(exc)


async def async_commit(session):
    try:
        await session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.OperationalError:
        LOG.warning("commit failed")


def saved_with_session(session, db_obj):
    try:
        db_obj.save(session)
    # ruleid: dbs602-failed-transaction-left-open
    except (db_exc.DBDeadlock, ValueError):
        LOG.warning("save failed")


def bare_handler(session):
    try:
        session.flush()
    # todoruleid: dbs602-failed-transaction-left-open
    except:  # noqa: E722
        LOG.warning("flush failed")


def unrelated_with(session, path):
    with open(path) as fh:
        try:
            session.flush()
        # todoruleid: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            fh.write("flush failed")


# --- rolled back, closed, re-raised ------------------------------------------------------


def rolled_back(session):
    try:
        session.commit()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        session.rollback()
        LOG.exception("commit failed")


def transaction_rolled_back(conn, trans):
    try:
        conn.execute("DELETE FROM t")
    # ok: dbs602-failed-transaction-left-open
    except Exception:
        trans.rollback()


def closed(session):
    try:
        session.flush()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        session.close()


def invalidated(conn):
    try:
        conn.commit()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.DBAPIError:
        conn.invalidate()


def closed_in_finally(session):
    try:
        session.commit()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.exception("commit failed")
    finally:
        session.close()


def reraised_conditionally(session, strict):
    try:
        session.flush()
    # ok: dbs602-failed-transaction-left-open
    except db_exc.DBError:
        LOG.warning("flush failed")
        if strict:
            raise


def translated(session):
    try:
        session.flush()
    # ok: dbs602-failed-transaction-left-open
    except db_exc.DBDuplicateEntry as exc:
        raise exception.Conflict() from exc


def save_and_reraise(session):
    try:
        session.commit()
    # ok: dbs602-failed-transaction-left-open
    except Exception:
        with excutils.save_and_reraise_exception():
            LOG.error("commit failed")


def exits_the_process(session):
    try:
        session.execute(text("DROP TABLE ndfc_tmp"))
        session.commit()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.error("could not drop the table")
        sys.exit(1)


def exit_elsewhere(session):
    try:
        session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.error("commit failed")

    def later():
        sys.exit(1)

    return later


# --- managed sessions and invisible sessions ----------------------------------------------


def with_target():
    with Session(engine) as session:
        try:
            session.execute(update(models.User).values(active=False))
        # ok: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.exception("update failed")


def with_begin(session):
    with session.begin():
        try:
            session.flush()
        # ok: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.exception("flush failed")


def engine_begin():
    with engine.begin() as conn:
        try:
            conn.execute(update(models.User).values(active=False))
        # ok: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.exception("update failed")


def enginefacade(context, writer):
    with writer.using(context):
        try:
            context.session.execute(update(models.User).values(active=False))
        # ok: dbs602-failed-transaction-left-open
        except db_exc.DBError:
            LOG.exception("update failed")


def writer_block_inside_try(context, segment):
    # neutron's segment allocation: the writer block rolls back before the handler runs
    try:
        with db_api.CONTEXT_WRITER.using(context):
            alloc = models.Segment(allocated=True, **segment)
            alloc.save(context.session)
    # ok: dbs602-failed-transaction-left-open
    except db_exc.DBDuplicateEntry:
        alloc = None
        LOG.debug("segment %s already allocated", segment)
    return alloc


def savepoint_inside_try(session, name):
    # mlflow's synthetic role: the SAVEPOINT rolls back only its own INSERT
    try:
        with session.begin_nested():
            session.add(models.Role(name=name))
            session.flush()
    # ok: dbs602-failed-transaction-left-open
    except IntegrityError:
        return session.query(models.Role).filter_by(name=name).one()


def savepoint_through_local(session, name):
    # ceilometer's _create_meter: the transaction is a local, entered later
    try:
        trans = session.begin_nested()
        if session.bind.dialect.name == "sqlite":
            trans = session.begin()
        with trans:
            session.add(models.Role(name=name))
            session.flush()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.exception("meter not created")


def other_context_through_local(session, lock, name):
    try:
        guard = lock.acquire_context()
        with guard:
            session.add(models.Role(name=name))
            session.flush()
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.exception("role not created")


def lock_inside_try(session, lock):
    try:
        with lock:
            session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.exception("commit failed")


def versioned_object(instance):
    # X.save() without a session: no visible session to roll back.
    try:
        instance.save(expected_task_state=None)
    # ok: dbs602-failed-transaction-left-open
    except Exception:
        LOG.exception("save failed")


def model_query_update(context, values):
    try:
        model_query(context, models.Instance).filter_by(id=1).update(values)
    # ok: dbs602-failed-transaction-left-open
    except db_exc.DBError:
        LOG.exception("update failed")


def swallowed(session):
    # DBS103 reports this handler; not DBS602 too.
    try:
        session.commit()
    # ok: dbs602-failed-transaction-left-open
    except Exception:
        pass


def already_exists(ctx, ins):
    # Integrity-only "already exists" idiom (DBS102 reports the write).
    try:
        ctx.session.execute(ins)
    # ok: dbs602-failed-transaction-left-open
    except db_exc.DBDuplicateEntry:
        pass


def unrelated_error(session):
    try:
        session.commit()
    # ok: dbs602-failed-transaction-left-open
    except ValueError:
        LOG.warning("bad value")


def staging_only(session, obj):
    try:
        session.add(obj)
    # ok: dbs602-failed-transaction-left-open
    except Exception:
        LOG.warning("bad object")


def model_query(context, model):
    return context.session.query(model)


# --- managed sessions (spec, Turn 2 "DBS602 - managed sessions") -----------------


def with_target_shadows_a_parameter(maker, session=None):
    with maker() as session:
        try:
            session.commit()
        # ok: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.warning("commit failed")


def with_target_after_an_annotation(maker):
    session: Session
    with maker() as session:
        try:
            session.commit()
        # ok: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.warning("commit failed")


class Database:
    def insert_all(self, rows):
        try:
            with self.atomic():
                self.conn.execute(text("INSERT INTO t VALUES (1)"))
        # ok: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.warning("insert failed")

    def nested(self, session):
        try:
            with session.begin_nested():
                session.execute(text("DELETE FROM t WHERE id = 1"))
        # ok: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.warning("savepoint rolled back")

    def left_open(self, session):
        try:
            session.execute(text("DELETE FROM t WHERE id = 1"))
        # ruleid: dbs602-failed-transaction-left-open
        except sa_exc.SQLAlchemyError:
            LOG.warning("delete failed")


# --- sessions the application ends after every request (heldout14) ------------
# Flask runs the teardown after every request, error or not: a handler that
# returns ends the request, and the teardown rolls the failed transaction
# back (dallinger). Flask-SQLAlchemy's db.session is removed the same way.
# The pack cannot relate the teardown to the route: it leaves every route
# handler whose except returns to flake8.

app = Flask(__name__)
db_session = scoped_session(sessionmaker())
ext = SQLAlchemy(app)


@app.teardown_request
def shutdown_session(exception=None):
    if exception is not None:
        db_session.rollback()
    db_session.remove()


@app.route("/recruit", methods=["POST"])
def open_recruitment():
    try:
        db_session.add(models.User())
        db_session.commit()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.exception("recruitment failed")
        return "recruitment failed", 500
    return "ok"


@app.route("/workouts", methods=["POST"])
def add_workout():
    try:
        ext.session.add(models.User())
        ext.session.commit()
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        return "could not save", 500
    return "ok"


@app.route("/node/<int:node_id>/vectors")
def node_vectors(node_id):
    node = db_session.get(models.User, node_id)
    try:
        db_session.add(models.User())
        db_session.commit()
    # dallinger: the response reads node.participant, a lazy load through the
    # failed session (PendingRollbackError) before the request ends
    # todoruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        return "failed", 500, node.participant
    return "ok"


@app.route("/archive", methods=["POST"])
def archive_all(engine):
    session = Session(engine)
    try:
        session.execute(text("DELETE FROM t WHERE id = 1"))
    # a session made here: no teardown ends it; the pack leaves every route
    # handler that returns to flake8
    # todoruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        return "failed", 500
    return "ok"


@app.route("/notify", methods=["POST"])
def notify_and_continue():
    try:
        db_session.add(models.User())
        db_session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.exception("could not save")
    # the request goes on with the failed session
    db_session.add(models.User())
    return "ok"


def nightly_cleanup():
    # not a request: nothing ends the session for it
    try:
        db_session.execute(text("DELETE FROM t WHERE id = 1"))
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        return False
    return True



# --- a project helper that rolls back (heldout15) ------------------------------
# fittrackee's handlers return handle_error_and_return_response(e, db=db),
# which rolls the session back: the handler ends the transaction through it.
# The pack cannot read the helper and still reports these.


def error_response(error, db=None):
    if db is not None:
        db.session.rollback()
    LOG.error(error)
    return "error", 500


def log_response(error):
    LOG.error(error)
    return "error", 500


def like_workout(workout):
    try:
        db.session.add(workout)
        db.session.commit()
    # todook: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError as e:
        return error_response(e, db=db)
    try:
        db.session.delete(workout)
        db.session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError as e:
        return log_response(e)
    return "ok"


# --- a handler that aborts the request or removes the scoped session ----------
# (heldout20: timesketch) Flask's abort() always raises an HTTPException, a
# domain error that ends the request; a scoped session's remove() closes
# (and so rolls back) its session.

from flask import abort


def add_rule(rule):
    try:
        db_session.add(rule)
        db_session.commit()
    # ok: dbs602-failed-transaction-left-open
    except IntegrityError:
        LOG.warning("rule exists")
        abort(409, "Rule already exists")


def run_task(task):
    try:
        db_session.add(task)
        db_session.commit()
    # ok: dbs602-failed-transaction-left-open
    except Exception:
        LOG.exception("task failed")
        db_session.remove()
        return None
    return task


def run_task_logged(task):
    try:
        db_session.add(task)
        db_session.commit()
    # ruleid: dbs602-failed-transaction-left-open
    except Exception:
        LOG.exception("task failed")
        task.errors.remove("timeout")
        return None
    return task


class Collector:
    def save_metas(self, cur, conn, srvid):
        cur.execute("SAVEPOINT metas")
        try:
            cur.execute("UPDATE metas SET seen = now() WHERE srvid = %s", (srvid,))
        # ROLLBACK TO the savepoint set before the write: the transaction is usable again
        # ok: dbs602-failed-transaction-left-open
        except psycopg2.Error:
            cur.execute("ROLLBACK TO metas")
        conn.commit()

    def _disconnect_all(self):
        if self._remote_conn is not None:
            self._remote_conn.close()
            self._remote_conn = None

    def load_extension(self, conn):
        try:
            cur = conn.cursor()
            cur.execute("INSERT INTO loaded (name) VALUES ('powa')")
            conn.commit()
        # the handler calls a method of the class that closes the connection
        # todook: dbs602-failed-transaction-left-open
        except psycopg2.Error:
            LOG.error("could not load")
            self._disconnect_all()

    def _report_error(self, cur, error):
        cur.execute("SAVEPOINT report")
        try:
            cur.execute("UPDATE errors SET msg = %s", (error,))
        except psycopg2.Error:
            cur.execute("ROLLBACK TO report")

    def connect(self, cur):
        try:
            cur.execute("INSERT INTO sessions (name) VALUES ('worker')")
        # the helper returns to a savepoint of its own: the caller's failed transaction stays
        # ruleid: dbs602-failed-transaction-left-open
        except psycopg2.Error as exc:
            self._report_error(cur, str(exc))

    def note(self, cur):
        try:
            cur.execute("INSERT INTO notes (body) VALUES ('x')")
        # a SELECT run in the handler ends nothing
        # ruleid: dbs602-failed-transaction-left-open
        except psycopg2.Error:
            cur.execute("SELECT 1")


def upsert_last_measure(path, key, data):
    with sqlite3.connect(path) as conn:
        cur = conn.cursor()
        try:
            cur.execute("INSERT INTO last_measures VALUES (?, ?)", (key, data))
        # the cursor's connection is a ``with`` target: it ends the transaction
        # ok: dbs602-failed-transaction-left-open
        except sqlite3.IntegrityError:
            cur.execute("UPDATE last_measures SET data = ? WHERE key = ?", (data, key))


def upsert_unmanaged(path, key, data):
    conn = sqlite3.connect(path)
    cur = conn.cursor()
    try:
        cur.execute("INSERT INTO last_measures VALUES (?, ?)", (key, data))
    # the connection is managed by hand
    # ruleid: dbs602-failed-transaction-left-open
    except sqlite3.IntegrityError:
        cur.execute("UPDATE last_measures SET data = ? WHERE key = ?", (data, key))
    conn.commit()
    conn.close()


def execute_block(query, cursor):
    cursor.execute(query.sql)
    query.status = "done"
    db.session.commit()


def run_blocks(database, query):
    with database.get_raw_connection() as conn:
        cursor = conn.cursor()
        try:
            execute_block(query, cursor)
        # the helper is handed the cursor but writes through db.session: still open
        # todoruleid: dbs602-failed-transaction-left-open
        except Exception as ex:
            query.error_message = str(ex)
            return None
    return query
