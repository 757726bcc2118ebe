"""Fixture for DBS303: DELETE whose row count is never consulted (off by default)."""

import sqlite3

import sqlalchemy as sa
from oslo_db.sqlalchemy import enginefacade
from sqlalchemy import delete, text
from sqlalchemy.orm import Session, declarative_base
from sqlmodel import col

CONSUMER_TBL = sa.Table("consumers", sa.MetaData())


# --- positives ---------------------------------------------------------------


@enginefacade.writer
def delete_consumers_if_no_allocations(ctx, consumer_uuids):
    """placement: the DELETE is built step-wise and its result dropped."""
    del_stmt = CONSUMER_TBL.delete()
    del_stmt = del_stmt.where(CONSUMER_TBL.c.uuid.in_(consumer_uuids))
    # ruleid: dbs303-delete-rowcount-unchecked
    ctx.session.execute(del_stmt)


@enginefacade.writer
def _delete_consumer(ctx, consumer):
    del_stmt = CONSUMER_TBL.delete().where(CONSUMER_TBL.c.id == consumer.id)
    # ruleid: dbs303-delete-rowcount-unchecked
    ctx.session.execute(del_stmt)


def orm20_delete(session, Model, row_id):
    # ruleid: dbs303-delete-rowcount-unchecked
    session.execute(delete(Model).where(Model.id == row_id))


def sa_delete_alias(session, Model, row_id):
    # ruleid: dbs303-delete-rowcount-unchecked
    session.execute(sa.delete(Model).where(Model.id == row_id))


def formatted_text(session, table_name, row_id):
    # ruleid: dbs303-delete-rowcount-unchecked
    session.execute(text("DELETE FROM %s WHERE id = :id" % table_name), {"id": row_id})


def dbapi_cursor(path, row_id):
    conn = sqlite3.connect(path)
    cursor = conn.cursor()
    # ruleid: dbs303-delete-rowcount-unchecked
    cursor.execute("DELETE FROM t WHERE id = ?", (row_id,))
    conn.commit()


def orm_bulk(session, Model, row_id):
    # ruleid: dbs303-delete-rowcount-unchecked
    session.query(Model).filter_by(id=row_id).delete(synchronize_session=False)


def model_query_locals(context, Model, row_id):
    query = model_query(context, Model)
    query = query.filter(Model.id == row_id)
    # ruleid: dbs303-delete-rowcount-unchecked
    query.delete()


async def async_delete(session, Model, row_id):
    # ruleid: dbs303-delete-rowcount-unchecked
    await session.execute(delete(Model).where(Model.id == row_id))


def only_closed(session, Model, row_id):
    # ruleid: dbs303-delete-rowcount-unchecked
    result = session.execute(delete(Model).where(Model.id == row_id))
    result.close()


# --- negatives ---------------------------------------------------------------


def checked_via_local(session, Model, row_id):
    # ok: dbs303-delete-rowcount-unchecked
    result = session.execute(delete(Model).where(Model.id == row_id))
    if not result.rowcount:
        raise LookupError(row_id)


def orm_count_returned(session, Model, row_id):
    # ok: dbs303-delete-rowcount-unchecked
    count = session.query(Model).filter_by(id=row_id).delete()
    return count


def orm_count_compared(context, Model, row_id):
    # ok: dbs303-delete-rowcount-unchecked
    if model_query(context, Model).filter_by(id=row_id).delete() == 0:
        raise LookupError(row_id)


def conditional_counts(session_factory, models, tables):
    # mlflow's delete_sql_trace_rollups: the counts are kept and returned
    with session_factory.begin() as session:
        deleted = {
            name: (
                # ok: dbs303-delete-rowcount-unchecked
                session.query(model).delete(synchronize_session=False)
                if model.__tablename__ in tables
                else 0
            )
            for name, model in models.items()
        }
        queued = (
            # ok: dbs303-delete-rowcount-unchecked
            session.query(models["queue"]).delete(synchronize_session=False)
            if "queue" in tables
            else 0
        )
    return deleted, queued


def cursor_rowcount_after(cursor, row_id):
    # ok: dbs303-delete-rowcount-unchecked
    cursor.execute("DELETE FROM t WHERE id = %s", (row_id,))
    return cursor.rowcount


def staged_delete(session, obj):
    # ok: dbs303-delete-rowcount-unchecked
    session.delete(obj)


def row_delete(context, Model, row_id):
    row = model_query(context, Model).filter_by(id=row_id).first()
    # ok: dbs303-delete-rowcount-unchecked
    row.delete()


def cache_delete(cache, key):
    # ok: dbs303-delete-rowcount-unchecked
    cache.delete(key)


def update_is_not_delete(session, Model, row_id):
    # ok: dbs303-delete-rowcount-unchecked
    session.execute(sa.update(Model).where(Model.id == row_id).values(deleted=True))


# --- bulk statements (no row identity) are DBS304, off by default -----------------


def bulk_purge(session, Model, before):
    # ok: dbs303-delete-rowcount-unchecked
    session.execute(delete(Model).where(Model.deleted_at < before))


def bulk_children_by_foreign_key(context, Model, node_id):
    # ok: dbs303-delete-rowcount-unchecked
    context.session.query(Model).filter_by(node_id=node_id).delete()


def bulk_subquery(cursor):
    # ok: dbs303-delete-rowcount-unchecked
    cursor.execute("DELETE FROM t WHERE id IN (SELECT id FROM x WHERE host = 'h')")


def model_query(context, model):
    return context.session.query(model)


def session_from_factory(engine, Model, row_id):
    with Session(engine) as s:
        # todoruleid: dbs303-delete-rowcount-unchecked
        s.execute(delete(Model).where(Model.id == row_id))


def parenthesised_chain(session, Model, row_id):
    (
        # ruleid: dbs303-delete-rowcount-unchecked
        session.query(Model)
        .filter(Model.id == row_id)
        .delete(synchronize_session=False)
    )


def pinned_by_a_named_uuid(context, Model, instance_uuid):
    # A column named *_uuid is a key only where the model says so (nova's
    # console_auth_tokens.instance_uuid is a foreign key): flake8 reads the
    # model, and without one takes the name; Semgrep cannot read the model
    # and leaves the statement to flake8 (not DBS304 either)
    # todoruleid: dbs303-delete-rowcount-unchecked
    context.session.query(Model).filter_by(instance_uuid=instance_uuid).delete()


def pinned_by_uuid(context, Model, uuid):
    # ruleid: dbs303-delete-rowcount-unchecked
    context.session.query(Model).filter(Model.uuid == uuid).delete()


def delete_shelves_of(session, BookShelf, content):
    # calibre-web: the column is BookShelf.user (a foreign key); content.id is
    # the value it is compared with. A bulk delete (DBS304), no row identity.
    # ok: dbs303-delete-rowcount-unchecked
    session.query(BookShelf).filter(content.id == BookShelf.user_id).delete()


Base = declarative_base()


class DatasetLabelLink(Base):
    __tablename__ = "datasets_dataset_labels"
    __table_args__ = (sa.PrimaryKeyConstraint("dataset_id", "dataset_label_id"),)
    dataset_id = sa.Column(sa.Integer)
    dataset_label_id = sa.Column(sa.Integer)


def unlink_labels(session, pairs):
    # phoenix: tuple_() compares the composite primary key pair by pair,
    # which pins rows; the pack cannot read the model and leaves it to flake8
    # todoruleid: dbs303-delete-rowcount-unchecked
    session.execute(
        delete(DatasetLabelLink).where(
            sa.tuple_(DatasetLabelLink.dataset_id, DatasetLabelLink.dataset_label_id).in_(pairs)
        )
    )


class UserIdentity(Base):
    __tablename__ = "accounts_useridentity"
    id = sa.Column(sa.String(255), primary_key=True)
    method = sa.Column(sa.String(255), primary_key=True)
    id_user = sa.Column(sa.Integer(), nullable=False)
    note = sa.Column(sa.String(255))
    __table_args__ = (sa.Index("ix_user_method", id_user, method, unique=True),)

    @classmethod
    def delete_by_user(cls, session, method, user):
        # invenio-accounts: query(cls) in a classmethod is the class itself,
        # whose unique index (id_user, method) pins one row
        # todoruleid: dbs303-delete-rowcount-unchecked
        session.query(cls).filter_by(id_user=user.id, method=method).delete()

    @classmethod
    def delete_by_note(cls, session, note):
        # no key of the class: a bulk statement (DBS304)
        # ok: dbs303-delete-rowcount-unchecked
        session.query(cls).filter_by(note=note).delete()


def delete_transaction(session, ApiTransactionSchema, transaction_id):
    # SQLModel's col() hands the column back typed: the key is still pinned;
    # the pack's patterns do not see through it
    # todoruleid: dbs303-delete-rowcount-unchecked
    session.execute(delete(ApiTransactionSchema).where(col(ApiTransactionSchema.id) == transaction_id))


def delete_file_by_id(session, File, id):
    # a SQLAlchemy 2.0 statement filtered with filter_by(): the key still pins
    # ruleid: dbs303-delete-rowcount-unchecked
    session.execute(delete(File).filter_by(id=id))


def pop_message(conn, session_id):
    cursor = conn.cursor()
    # the rows RETURNING gives are read: they tell which row went
    # ok: dbs303-delete-rowcount-unchecked
    cursor.execute(
        "DELETE FROM message_structure WHERE id = "
        "(SELECT id FROM message_structure WHERE session_id = ? ORDER BY seq DESC LIMIT 1) "
        "RETURNING message_id",
        (session_id,),
    )
    return cursor.fetchone()


def drop_message(conn, message_id):
    cursor = conn.cursor()
    # RETURNING, but nothing reads the rows
    # ruleid: dbs303-delete-rowcount-unchecked
    cursor.execute("DELETE FROM messages WHERE id = ? RETURNING id", (message_id,))
    conn.commit()


def drop_without_returning(conn, message_id):
    cursor = conn.cursor()
    # a later SELECT's rows say nothing about this DELETE
    # ruleid: dbs303-delete-rowcount-unchecked
    cursor.execute("DELETE FROM messages WHERE id = ?", (message_id,))
    cursor.execute("SELECT count(*) FROM messages")
    return cursor.fetchone()


def pop_and_clean(conn, session_id, turn):
    cursor = conn.cursor()
    # ok: dbs303-delete-rowcount-unchecked
    cursor.execute("DELETE FROM structure WHERE id = ? RETURNING message_id", (session_id,))
    row = cursor.fetchone()
    # a later DELETE in the same stretch is not the RETURNING one
    # ruleid: dbs303-delete-rowcount-unchecked
    cursor.execute("DELETE FROM messages WHERE id = ?", (turn,))
    return row
