"""Fixture for DBS104: a try whose body only stages changes; its DB handler is dead."""

from oslo_db import exception as db_exc
from sqlalchemy import exc as sa_exc

from myapp import db, exception, models, sql


def create_volume_type(context, values):
    # ruleid: dbs104-dead-db-error-handler
    try:
        volume_type_ref = models.VolumeType()
        volume_type_ref.update(values)
        context.session.add(volume_type_ref)
    except Exception as e:
        raise db_exc.DBError(e)
    return volume_type_ref


def create_user(session, name):
    user = models.User(name=name)
    # ruleid: dbs104-dead-db-error-handler
    try:
        session.add(user)
    except sa_exc.IntegrityError:
        raise exception.Conflict()
    session.commit()


def create_implied_role(prior_role_id, implied_role_id):
    with sql.session_for_write() as session:
        ref = models.ImpliedRole(prior=prior_role_id, implied=implied_role_id)
        # The INSERT runs when the with block commits, after this try.
        # ruleid: dbs104-dead-db-error-handler
        try:
            session.add(ref)
        except db_exc.DBReferenceError:
            raise exception.RoleNotFound()
        return ref


def flask_rename(user, name):
    # ruleid: dbs104-dead-db-error-handler
    try:
        user.name = name
        db.session.add(user)
    except:  # noqa: E722
        db.session.rollback()
        raise
    db.session.commit()


def stage_many(session, objs, old):
    # ruleid: dbs104-dead-db-error-handler
    try:
        session.add_all(objs)
        session.delete(old)
    except (db_exc.DBDuplicateEntry, db_exc.DBDeadlock):
        raise exception.Conflict()


def merge_detached(session, obj):
    # ruleid: dbs104-dead-db-error-handler
    try:
        merged = session.merge(obj)
    except sa_exc.SQLAlchemyError:
        merged = None
    return merged


async def async_stage(session, obj):
    # ruleid: dbs104-dead-db-error-handler
    try:
        session.add(obj)
    except sa_exc.IntegrityError:
        raise exception.Conflict()
    await session.commit()


def trystar(session, obj):
    # ruleid: dbs104-dead-db-error-handler
    try:
        session.add(obj)
    except* sa_exc.IntegrityError:
        raise exception.Conflict()
    session.commit()


# --- the database is reached inside the try -------------------------------------------


def flushed(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        session.flush()
    except sa_exc.IntegrityError:
        raise exception.Conflict()


def committed(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        session.commit()
    except Exception:
        session.rollback()
        raise


def transaction_block(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        with session.begin():
            session.add(obj)
    except sa_exc.IntegrityError:
        raise exception.Conflict()


def enginefacade_block(context, binding, writer):
    # ok: dbs104-dead-db-error-handler
    try:
        with writer.using(context):
            context.session.add(binding)
    except sa_exc.StaleDataError:
        pass


def autoflush_query(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        count = session.query(models.User).count()
    except sa_exc.IntegrityError:
        raise exception.Conflict()
    return count


def handed_on(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        finish(session)
    except sa_exc.IntegrityError:
        raise exception.Conflict()


def handed_on_by_keyword(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        finish(obj, session=session)
    except db_exc.DBError:
        raise exception.Conflict()


def carried_by_context(context, obj):
    # The helper gets the context that owns the session: it may flush.
    # todook: dbs104-dead-db-error-handler
    try:
        context.session.add(obj)
        finish(context)
    except db_exc.DBError:
        raise exception.Conflict()


def staged_context(session, obj):
    # The consumer of this generator runs inside the try and may flush.
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        yield obj
    except sa_exc.IntegrityError:
        session.rollback()
        raise


def saved(session, obj, other):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        other.save(session)
    except db_exc.DBError:
        raise exception.Conflict()


def unrelated_handler(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
    except ValueError:
        raise


def not_a_session(seen, x):
    # ok: dbs104-dead-db-error-handler
    try:
        seen.add(x)
    except Exception:
        pass


def finally_only(session, obj):
    # ok: dbs104-dead-db-error-handler
    try:
        session.add(obj)
    finally:
        session.close()


def finish(*args, **kwargs):
    return args, kwargs


# --- a broad handler that guards other work too is not dead (issue 11) ------------


def stage_and_cache(session, cache, key, obj):
    # todook: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        cache.set(key, obj)
    except Exception:
        LOG.warning("could not cache %s", key)
    session.commit()


def build_and_stage(session, values):
    # ruleid: dbs104-dead-db-error-handler
    try:
        ref = models.Thing(**values)
        ref.update({"state": "new"})
        session.add(ref)
        session.add(models.Event(thing=ref))
    except Exception:
        raise exception.Invalid()
    session.commit()


def db_handler_ignores_other_work(session, cache, key, obj):
    # ruleid: dbs104-dead-db-error-handler
    try:
        session.add(obj)
        cache.set(key, obj)
    except sa_exc.IntegrityError:
        raise exception.Conflict()
    session.commit()


def handler_written_for_db_errors(context, values, build_refs):
    # other work in the body, but the handler treats what it catches as a DB error
    # ruleid: dbs104-dead-db-error-handler
    try:
        values["extra_specs"] = build_refs(values.get("extra_specs"))
        volume_type_ref = models.VolumeType()
        volume_type_ref.update(values)
        context.session.add(volume_type_ref)
    except Exception as e:
        raise db_exc.DBError(e)


# --- a module's own commit helper (lemur's database.commit) ------------------------


def commit():
    db.session.commit()


def stage_and_commit_through_a_helper(model):
    # ok: dbs104-dead-db-error-handler
    try:
        db.session.add(model)
        commit()
    except sa_exc.IntegrityError:
        db.session.rollback()


def git_flush():
    """Named like a flush, writes nothing to the database."""


def stage_then_a_helper_that_is_no_flush(model):
    # flake8 reads git_flush's body; the pack takes a commit/flush name for one
    # todoruleid: dbs104-dead-db-error-handler
    try:
        db.session.add(model)
        git_flush()
    except sa_exc.IntegrityError:
        db.session.rollback()
