"""Fixture for DBS103: database error swallowed by a handler that does nothing."""

import sqlite3

import sqlalchemy as sa
from oslo_db import exception as db_exc
from sqlalchemy import delete, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.exc import IntegrityError

from myapp import models

LOG = None


def mark_deleted(session, ids):
    try:
        session.execute(update(models.User).where(models.User.id.in_(ids)).values(deleted=True))
        session.commit()
    # ruleid: dbs103-db-error-swallowed
    except Exception:
        pass


def purge(ctx, user_id):
    stmt = sa.delete(models.User.__table__)
    stmt = stmt.where(models.User.__table__.c.id == user_id)
    try:
        ctx.session.execute(stmt)
    # ruleid: dbs103-db-error-swallowed
    except db_exc.DBError:
        return


def rename(session, user_id, name):
    try:
        session.query(models.User).filter_by(id=user_id).update({"name": name})
    # ruleid: dbs103-db-error-swallowed
    except sa_exc.SQLAlchemyError as exc:  # noqa: F841
        return None


def save_all(session, objs):
    for obj in objs:
        try:
            obj.save(session)
        # ruleid: dbs103-db-error-swallowed
        except (db_exc.DBDeadlock, db_exc.DBConnectionError):
            continue


def bare(session):
    try:
        session.flush()
    # todoruleid: dbs103-db-error-swallowed
    except:  # noqa: E722
        pass


def ellipsis_body(path):
    conn = sqlite3.connect(path)
    try:
        conn.execute("DELETE FROM sessions")
        conn.commit()
    # todoruleid: dbs103-db-error-swallowed
    except sqlite3.Error:
        ...


def docstring_body(session):
    try:
        session.commit()
    # todoruleid: dbs103-db-error-swallowed
    except sa_exc.OperationalError:
        "best effort"
        pass


async def async_commit(session):
    try:
        await session.commit()
    # ruleid: dbs103-db-error-swallowed
    except Exception:
        pass


def swallowed_outer(session):
    try:
        try:
            session.execute(delete(models.User))
        finally:
            session.close()
    # ruleid: dbs103-db-error-swallowed
    except sa_exc.DBAPIError:
        pass


def trystar(session):
    try:
        session.flush()
    # ruleid: dbs103-db-error-swallowed
    except* db_exc.DBError:
        pass


def second_handler(session):
    try:
        session.flush()
    except ValueError:
        raise
    # ruleid: dbs103-db-error-swallowed
    except db_exc.DBError:
        pass


# --- not swallowed, or not around a DB write ------------------------------------------


def already_exists(ctx, db_obj):
    # The deliberate "already exists" idiom: DBS102 reports the write instead.
    try:
        db_obj.save(ctx.session)
    # ok: dbs103-db-error-swallowed
    except db_exc.DBDuplicateEntry:
        pass


def logged(session):
    try:
        session.commit()
    # ok: dbs103-db-error-swallowed
    except Exception:
        LOG.exception("commit failed")
        session.rollback()


def reraised(session):
    try:
        session.commit()
    # ok: dbs103-db-error-swallowed
    except sa_exc.SQLAlchemyError:
        raise


def returns_value(session):
    try:
        session.flush()
    # ok: dbs103-db-error-swallowed
    except db_exc.DBError:
        return False
    return True


def unrelated_error(session):
    try:
        session.commit()
    # ok: dbs103-db-error-swallowed
    except ValueError:
        pass


def no_write(session, obj, values, x):
    try:
        values.update(x)
        session.add(obj)
    # ok: dbs103-db-error-swallowed
    except Exception:
        pass


def write_in_handler(session):
    try:
        session.rollback()
    # ok: dbs103-db-error-swallowed
    except Exception:
        session.commit()


def write_in_nested_function(session):
    try:

        def later():
            session.commit()

        schedule(later)
    # ok: dbs103-db-error-swallowed
    except Exception:
        pass


def schedule(fn):
    return fn


# --- nested tries: only the handler that receives the write's error (issue 11) ----


def revert_quota(session, LOG):
    try:
        session.query(models.Quota).filter_by(project_id=1).first()
        try:
            session.commit()
        except Exception:
            session.rollback()
            LOG.error("quota revert failed")
    # ok: dbs103-db-error-swallowed
    except Exception:
        pass


def inner_reraises(session):
    try:
        try:
            session.commit()
        except Exception:
            session.rollback()
            raise
    # ruleid: dbs103-db-error-swallowed
    except Exception:
        pass


def inner_integrity_only(session):
    try:
        try:
            session.flush()
        except IntegrityError:
            LOG.info("exists")
    # ruleid: dbs103-db-error-swallowed
    except Exception:
        pass
