"""Fixture for DBS301: UPDATE whose affected-row count is never consulted."""

import sqlite3

import sqlalchemy as sa
from oslo_db.sqlalchemy import enginefacade
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session
from sql import Table as SqlTable

CONSUMER_TBL = sa.Table("consumers", sa.MetaData())
Host = object


# --- positives ---------------------------------------------------------------


@enginefacade.writer
def set_project(context, consumer_id, project_id):
    upd_stmt = CONSUMER_TBL.update().where(CONSUMER_TBL.c.id == consumer_id).values(
        project_id=project_id
    )
    # ruleid: dbs301-update-rowcount-unchecked
    context.session.execute(upd_stmt)


def core_stepwise(conn, table, row_id, value):
    stmt = table.update()
    stmt = stmt.where(table.c.id == row_id)
    stmt = stmt.values(value=value)
    # ruleid: dbs301-update-rowcount-unchecked
    conn.execute(stmt)


def orm20_update(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id).values(name="x"))


def sa_update_alias(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(sa.update(Model).where(Model.id == row_id).values(name="x"))


def table_of_model(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(Model.__table__.update().where(Model.id == row_id).values(a=1))


def text_update(session, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(text("UPDATE hosts SET enabled = 0 WHERE id = :id"), {"id": row_id})


def formatted_head(session, table_name, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(text("UPDATE %s SET enabled = 0 WHERE id = :id" % table_name), {"id": row_id})


def dbapi_cursor(cursor, value, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    cursor.execute("UPDATE t SET x=%s WHERE id=%s", (value, row_id))


def dbapi_local_cursor(path, row_id):
    connection = sqlite3.connect(path)
    cur = connection.cursor()
    # ruleid: dbs301-update-rowcount-unchecked
    cur.execute("UPDATE t SET x = 1 WHERE id = ?", (row_id,))
    connection.close()


def sql_in_local(cursor, row_id):
    sql = "UPDATE t SET x = 1 WHERE id = %s"
    # ruleid: dbs301-update-rowcount-unchecked
    cursor.execute(sql, (row_id,))


def driver_sql(conn):
    # ruleid: dbs301-update-rowcount-unchecked
    conn.exec_driver_sql("UPDATE t SET x = 1 WHERE id = 2")


def orm_bulk(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    session.query(Model).filter_by(id=row_id).update({"name": "x"})


def model_query_locals(context, Model, row_id, values):
    query = model_query(context, Model)
    query = query.filter(Model.id == row_id)
    # ruleid: dbs301-update-rowcount-unchecked
    query.update(values)


def count_assigned_unused(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    count = session.query(Model).filter_by(id=row_id).update({"name": "x"})


def _host_query(context, **filters):
    return model_query(context, Host).filter_by(**filters)


def through_query_helper(context, host_id):
    # todoruleid: dbs301-update-rowcount-unchecked
    _host_query(context, id=host_id).update({"disabled": True})


def session_from_factory(engine, Model, row_id):
    with Session(engine) as s:
        # todoruleid: dbs301-update-rowcount-unchecked
        s.execute(update(Model).where(Model.id == row_id).values(a=1))
        s.commit()


async def async_execute(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    await session.execute(update(Model).where(Model.id == row_id).values(a=1))


async def async_with(async_session_factory, Model, row_id):
    async with async_session_factory() as session:
        # ruleid: dbs301-update-rowcount-unchecked
        await session.execute(update(Model).where(Model.id == row_id).values(a=1))


def walrus_not_read(session, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    if (res := session.execute(text("UPDATE t SET a = 1 WHERE id = :id"), {"id": row_id})) is not None:
        pass


def comprehension(session, tables):
    # ruleid: dbs301-update-rowcount-unchecked
    [session.execute(t.update().where(t.c.id == 1).values(stale=True)) for t in tables]


def only_closed(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    result = session.execute(update(Model).where(Model.id == row_id).values(a=1))
    result.close()


def version_only_set(session, Model, row_id, new_version):
    # a version column that is only SET is no optimistic-concurrency guard
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id).values(version=new_version))


def state_compared_not_moved(session, Model, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    session.query(Model).filter_by(id=row_id, status="available").update({"name": "x"})


# --- negatives ---------------------------------------------------------------


def checked_in_place(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    if session.execute(update(Model).where(Model.id == row_id).values(a=1)).rowcount != 1:
        raise LookupError(row_id)


def checked_via_local(context, row_id):
    upd_stmt = CONSUMER_TBL.update().where(CONSUMER_TBL.c.id == row_id).values(a=1)
    # ok: dbs301-update-rowcount-unchecked
    res = context.session.execute(upd_stmt)
    if res.rowcount != 1:
        raise LookupError(row_id)


async def checked_async(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    res = await session.execute(update(Model).where(Model.id == row_id).values(a=1))
    return res.rowcount == 1


def walrus_read(session, row_id):
    # ok: dbs301-update-rowcount-unchecked
    if (res := session.execute(text("UPDATE t SET a = 1 WHERE id = :id"), {"id": row_id})).rowcount != 1:
        raise LookupError(row_id)


def returning_fetched(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    row = session.execute(update(Model).where(Model.id == row_id).values(a=1).returning(Model.id)).fetchone()
    return row


def returned_to_caller(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    return session.execute(update(Model).where(Model.id == row_id).values(a=1))


def passed_to_helper(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    _expect_one(session.execute(update(Model).where(Model.id == row_id).values(a=1)))


def lambda_body(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    return retry(lambda: session.execute(update(Model).where(Model.id == row_id).values(a=1)))


def cursor_rowcount_after(cursor, value, row_id):
    # ok: dbs301-update-rowcount-unchecked
    cursor.execute("UPDATE t SET x=%s WHERE id=%s", (value, row_id))
    if cursor.rowcount != 1:
        raise LookupError(row_id)


def driver_sql_checked_via_local(conn):
    # ok: dbs301-update-rowcount-unchecked
    res = conn.exec_driver_sql("UPDATE t SET x = 1 WHERE id = 2")
    return res.rowcount == 1


def orm_count_compared(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    if session.query(Model).filter_by(id=row_id).update({"name": "x"}) != 1:
        raise LookupError(row_id)


def orm_count_assigned_used(context, Model, row_id, values):
    query = model_query(context, Model).filter_by(id=row_id)
    # ok: dbs301-update-rowcount-unchecked
    rows = query.update(values)
    if not rows:
        raise LookupError(row_id)


def orm_count_read_after_with(context, Model, row_id):
    with enginefacade.writer.using(context):
        query = context.session.query(Model).filter_by(id=row_id)
        # ok: dbs301-update-rowcount-unchecked
        count = query.update({"name": "x"})
    if not count:
        raise LookupError(row_id)


def result_read_after_try(session, Model, row_id):
    try:
        # ok: dbs301-update-rowcount-unchecked
        result = session.execute(update(Model).where(Model.id == row_id).values(a=1))
    except sa.exc.DBAPIError:
        raise
    return result.rowcount == 1


def dict_updates(values, extra):
    # ok: dbs301-update-rowcount-unchecked
    values.update(extra)
    settings = {}
    # ok: dbs301-update-rowcount-unchecked
    settings.update({"a": 1})


def row_update(context, Model, values):
    row = model_query(context, Model).first()
    # ok: dbs301-update-rowcount-unchecked
    row.update(values)
    row.save(context.session)


def select_and_insert(session, Model):
    # ok: dbs301-update-rowcount-unchecked
    session.execute(select(Model).where(Model.id == 1))
    # ok: dbs301-update-rowcount-unchecked
    session.execute(sa.insert(Model).values(a=1))
    # ok: dbs301-update-rowcount-unchecked
    session.execute(text("INSERT INTO t (a) VALUES (1)"))


def oslo_update_on_match(context, Model, instance, values):
    query = model_query(context, Model).filter_by(id=instance.id)
    # ok: dbs301-update-rowcount-unchecked
    query.update_on_match(instance, "id", values)
    # ok: dbs301-update-rowcount-unchecked
    query.update_returning_pk(values, {"id": instance.id})


def non_db_execute(runner, hasher):
    # ok: dbs301-update-rowcount-unchecked
    runner.execute("UPDATE cache")
    # ok: dbs301-update-rowcount-unchecked
    hasher.update(b"data")


def optimistic_is_dbs302(session, Model, row_id, seen):
    # ok: dbs301-update-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id, Model.generation == seen).values(a=1))


def lease_version_is_dbs302(session, Model, row_id, seen):
    # ok: dbs301-update-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id, Model.lease_version == seen).values(a=1))


def sql_guard_is_dbs302(cursor, row_id, seen):
    # ok: dbs301-update-rowcount-unchecked
    cursor.execute("UPDATE t SET x = 1 WHERE id = %s AND row_version = %s", (row_id, seen))


def compare_and_swap_is_dbs302(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    session.query(Model).filter_by(id=row_id, status="available").update({"status": "in-use"})


def model_query(context, model):
    return context.session.query(model)


def _expect_one(result):
    if result.rowcount != 1:
        raise LookupError()


def retry(func):
    return func()


def _session():
    return Session()


# --- bulk statements (no row identity) are DBS304, off by default -----------------


def bulk_state_sweep(session, Model):
    # ok: dbs301-update-rowcount-unchecked
    session.query(Model).filter(Model.status == "building").update({"status": "error"})


def bulk_by_foreign_key(session, Model, node_id):
    # ok: dbs301-update-rowcount-unchecked
    session.execute(update(Model).where(Model.node_id == node_id).values(a=1))


def bulk_exclusion(cursor, row_id):
    # ok: dbs301-update-rowcount-unchecked
    cursor.execute("UPDATE t SET a = 1 WHERE id != %s", (row_id,))


def bulk_no_where(conn, table):
    # ok: dbs301-update-rowcount-unchecked
    conn.execute(table.update().values(stale=True))



# --- issue 14: one code per call, on flake8's line ------------------------------


def compare_and_swap_core_is_dbs302(session, Model, volume_id):
    # ok: dbs301-update-rowcount-unchecked
    session.execute(update(Model).where(Model.id == volume_id, Model.status == "available").values(status="attaching"))


def parenthesised_chain(session, Model, row_id):
    (
        # ruleid: dbs301-update-rowcount-unchecked
        session.query(Model)
        .filter_by(id=row_id)
        .update({"name": "x"})
    )


def parenthesised_assignment(session, Model, row_id):
    unused = (
        # ruleid: dbs301-update-rowcount-unchecked
        session.execute(update(Model).where(Model.id == row_id).values(a=1))
    )


def multi_line_call(conn, table, row_id):
    # ruleid: dbs301-update-rowcount-unchecked
    conn.execute(
        table.update()
        .where(table.c.id == row_id)
        .values(a=1)
    )


def join_condition_names_the_other_key(conn, t, users):
    # the column compared is t.c.owner_id; users.c.id is its value
    # ok: dbs301-update-rowcount-unchecked
    conn.execute(t.update().where(t.c.owner_id == users.c.id).values(a=1))


def result_iterated(session, Model, row_id):
    # ok: dbs301-update-rowcount-unchecked
    result = session.execute(update(Model).where(Model.id == row_id).values(a=1).returning(Model.id))
    for row in result:
        print(row)


def result_closed_in_place(conn, table, row_id):
    # close() reads nothing
    # ruleid: dbs301-update-rowcount-unchecked
    conn.execute(table.update().where(table.c.id == row_id).values(a=1)).close()


async def result_bound_in_each_branch(session, Model, row_id, slug):
    # prefect's update_deployment_schedule: the count is read after the if
    if row_id:
        # ok: dbs301-update-rowcount-unchecked
        result = await session.execute(update(Model).where(Model.id == row_id).values(a=1))
    elif slug:
        result = await session.execute(update(Model).where(Model.slug == slug).values(a=1))
    else:
        raise ValueError(slug)
    return result.rowcount > 0


def count_read_after_try(context, Model, type_id, values):
    # manila's share_type_update: the count is read after the try
    query = model_query(context, Model)
    try:
        # ok: dbs301-update-rowcount-unchecked
        result = query.filter_by(id=type_id).update(values)
    except LookupError:
        raise
    if not result:
        raise LookupError(type_id)


def pinned_by_a_named_uuid(context, Model, node_uuid):
    # the hash ring's node_uuid: a key only where the model says so; Semgrep
    # leaves it to flake8 (which, without a model, takes the name)
    # todoruleid: dbs301-update-rowcount-unchecked
    context.session.query(Model).filter(Model.node_uuid == node_uuid).update({"updated_at": 1})


def update_alarms_from_subquery(conn, a, q, set_values, parms):
    # id IN (a subquery bound to a local first): the rows come from another
    # statement (monasca's alarms repository), as with the subquery in place
    select_tmp = (sa.select([sa.literal_column("id")])
                  .select_from(q)
                  .distinct()
                  .alias("temporarytable"))
    update_query = sa.update(a).values(set_values).where(a.c.id.in_(select_tmp))
    # ok: dbs301-update-rowcount-unchecked
    conn.execute(update_query, parms)


def rename_model(cursor, model_id, string):
    table = SqlTable("ir_model")
    # python-sql's where= pins the row by id; the pack reads no where= keyword
    # todoruleid: dbs301-update-rowcount-unchecked
    cursor.execute(*table.update([table.string], [string], where=table.id == model_id))


def rename_file(session, File, id, name):
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(update(File).filter_by(id=id).values(filename=name))


def set_state_unless_final(session, Invocation, invocation_id, state, final_states):
    # an exclusion with an IS NULL alternative guards nothing: the row's count
    # is still unread
    # ruleid: dbs301-update-rowcount-unchecked
    session.execute(
        update(Invocation)
        .where(Invocation.id == invocation_id, sa.or_(~Invocation.state.in_(final_states), Invocation.state.is_(None)))
        .values(state=state)
    )


def blank_comment(db, comment_id):
    # isso: SQL as a list of fragments the project's execute joins
    # todoruleid: dbs301-update-rowcount-unchecked
    db.execute(["UPDATE comments SET", "text=?", "WHERE id=?"], ("", comment_id))


def move_feed_entries(db, old, new):
    # the id compared in the SET value's subquery pins nothing of the UPDATE
    # ok: dbs301-update-rowcount-unchecked
    db.execute(
        """
        UPDATE entries
        SET original_feed = (
            SELECT coalesce(sub.original_feed, :old)
            FROM entries AS sub
            WHERE entries.id = sub.id AND entries.feed = sub.feed
        )
        WHERE feed = :new;
        """,
        dict(old=old, new=new),
    )


def update_entry_by_row_value(db, intent):
    # reader's (feed, id) = (:feed, :id): a row value that holds the key
    # ruleid: dbs301-update-rowcount-unchecked
    db.execute("UPDATE entries SET title = :title WHERE (feed, id) = (:feed, :id)", intent)


def move_events(cursor, end, ids):
    # oncall's event_override: PyMySQL renders the tuple parameter as the list
    # ruleid: dbs301-update-rowcount-unchecked
    cursor.execute("UPDATE `event` SET `start` = %s WHERE `id` IN %s", (end, ids))


async def retry_jobs(cursor, ids):
    # chancy: the rows RETURNING gives are read right after
    # ok: dbs301-update-rowcount-unchecked
    await cursor.execute(
        """
        UPDATE jobs SET state = 'retrying', attempts = 0
        WHERE id = ANY(%(ids)s) AND state != 'running'
        RETURNING queue
        """,
        {"ids": ids},
    )
    rows = await cursor.fetchall()
    return {row["queue"] for row in rows}


async def retry_jobs_unread(cursor, ids):
    # ruleid: dbs301-update-rowcount-unchecked
    await cursor.execute(
        "UPDATE jobs SET state = 'retrying' WHERE id = ANY(%(ids)s) RETURNING queue",
        {"ids": ids},
    )
    return len(ids)
