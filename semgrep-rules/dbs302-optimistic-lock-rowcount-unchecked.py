"""Fixture for DBS302: optimistic-concurrency UPDATE whose row count is never consulted."""

import sqlalchemy as sa
from oslo_db.sqlalchemy import enginefacade
from sqlalchemy import text, update
from sqlalchemy.orm import Session

CONSUMER_TBL = sa.Table("consumers", sa.MetaData())


class ConcurrentUpdateDetected(Exception):
    pass


# --- positives ---------------------------------------------------------------


class Consumer:
    def update(self):
        """placement's Consumer.update: the generation guard is added step-wise."""

        @enginefacade.writer
        def _update_in_db(ctx):
            upd_stmt = CONSUMER_TBL.update().values(
                project_id=self.project.id, user_id=self.user.id)
            upd_stmt = upd_stmt.where(sa.and_(
                CONSUMER_TBL.c.id == self.id,
                CONSUMER_TBL.c.generation == self.generation))
            # ruleid: dbs302-optimistic-lock-rowcount-unchecked
            ctx.session.execute(upd_stmt)

        _update_in_db(self._context)


def orm20_version(session, Model, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id, Model.version == seen).values(name="x"))


def reversed_compare(session, Model, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(sa.update(Model).where(Model.id == row_id, seen == Model.revision).values(name="x"))


def suffix_word(session, Model, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(update(Model).where(Model.uuid == row_id, Model.lease_version == seen).values(holder="me"))


def core_stepwise(conn, table, row_id, seen):
    stmt = table.update()
    stmt = stmt.where(table.c.id == row_id)
    stmt = stmt.where(table.c.etag == seen)
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    conn.execute(stmt)


def orm_filter_by(session, Model, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.query(Model).filter_by(id=row_id, generation=seen).update({"name": "x"})


def model_query_locals(context, Model, row_id, seen, values):
    query = model_query(context, Model)
    query = query.filter(Model.id == row_id)
    query = query.filter(Model.generation == seen)
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    query.update(values)


def sql_text(session, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(text("UPDATE consumers SET project_id = :p WHERE id = :id AND generation = :g"), {"id": row_id, "g": seen, "p": 1})


def dbapi_cursor(cursor, value, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    cursor.execute("UPDATE t SET x = %s WHERE id = %s AND updated_at = %s", (value, row_id, seen))


def compare_and_swap_state(session, Model, volume_id):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(update(Model).where(Model.id == volume_id, Model.status == "available").values(status="attaching"))


def compare_and_swap_orm(session, Model, volume_id):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.query(Model).filter_by(id=volume_id, task_state=None).update({"task_state": "migrating"})


def compare_and_swap_sql(cursor, volume_id):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    cursor.execute("UPDATE volumes SET status = 'in-use' WHERE id = %s AND status = 'available'", (volume_id,))


async def async_execute(session, Model, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    await session.execute(update(Model).where(Model.id == row_id, Model.version == seen).values(a=1))


def only_closed(session, Model, row_id, seen):
    # ruleid: dbs302-optimistic-lock-rowcount-unchecked
    result = session.execute(update(Model).where(Model.id == row_id, Model.version == seen).values(a=1))
    result.close()


# --- negatives ---------------------------------------------------------------


@enginefacade.writer
def _increment_consumer_generation(ctx, consumer):
    """placement's checked increment: the rowcount is consulted."""
    consumer_gen = consumer.generation
    new_generation = consumer_gen + 1
    upd_stmt = CONSUMER_TBL.update().where(sa.and_(
            CONSUMER_TBL.c.id == consumer.id,
            CONSUMER_TBL.c.generation == consumer_gen)).values(
                    generation=new_generation)

    # ok: dbs302-optimistic-lock-rowcount-unchecked
    res = ctx.session.execute(upd_stmt)
    if res.rowcount != 1:
        raise ConcurrentUpdateDetected
    return new_generation


def checked_in_place(session, Model, row_id, seen):
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    if session.execute(update(Model).where(Model.version == seen).values(a=1)).rowcount != 1:
        raise ConcurrentUpdateDetected


def checked_orm_count(session, Model, row_id, seen):
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    rows = session.query(Model).filter_by(id=row_id, generation=seen).update({"generation": seen + 1})
    if rows != 1:
        raise ConcurrentUpdateDetected


def returning_read(session, Model, seen):
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    return session.execute(update(Model).where(Model.version == seen).values(a=1).returning(Model.id)).scalar_one()


def cursor_rowcount_after(cursor, row_id, seen):
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    cursor.execute("UPDATE t SET x = 1 WHERE id = %s AND version = %s", (row_id, seen))
    if cursor.rowcount == 0:
        raise ConcurrentUpdateDetected


def version_only_set(session, Model, row_id, new_version):
    # setting a version is not a guard: this is DBS301
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id).values(version=new_version))


def state_compared_not_moved(session, Model, row_id):
    # comparing a state it does not change is no compare-and-swap: DBS301
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id, Model.status == "available").values(name="x"))


def oslo_update_on_match(context, Model, instance, values):
    query = model_query(context, Model).filter_by(id=instance.id, generation=instance.generation)
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    query.update_on_match(instance, "id", values)


def plain_select(session, Model, seen):
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(sa.select(Model).where(Model.version == seen))


def model_query(context, model):
    return context.session.query(model)


def session_from_factory(engine, Model, row_id, seen):
    with Session(engine) as s:
        # todoruleid: dbs302-optimistic-lock-rowcount-unchecked
        s.execute(update(Model).where(Model.id == row_id, Model.version == seen).values(a=1))


def guard_in_an_and_operator(session, Model, row_id, seen):
    # Semgrep leaves statements whose pin sits in & / | to flake8
    # todoruleid: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(update(Model).where((Model.id == row_id) & (Model.version == seen)).values(a=1))


def parenthesised_chain(session, Model, row_id, seen):
    (
        # ruleid: dbs302-optimistic-lock-rowcount-unchecked
        session.query(Model)
        .filter_by(id=row_id, generation=seen)
        .update({"name": "x"})
    )


def set_state_unless_final(session, Invocation, invocation_id, state, final_states):
    # galaxy: `state NOT IN final OR state IS NULL` excludes states; the
    # IS NULL alternative is no compare-and-swap: DBS301, not DBS302
    # ok: dbs302-optimistic-lock-rowcount-unchecked
    session.execute(
        update(Invocation)
        .where(Invocation.id == invocation_id, sa.or_(~Invocation.state.in_(final_states), Invocation.state.is_(None)))
        .values(state=state)
    )
