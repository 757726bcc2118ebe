"""Fixture for DBS304: bulk UPDATE/DELETE whose row count is never consulted.

Off by default (a policy for teams that want every count read). "Bulk" means
the WHERE pins no row by key (spec, "Row identity"): no WHERE, a filter on a
foreign key, a state or a timestamp, an exclusion (``!=``, ``NOT IN``), a
range, a subquery, or a key that is only one alternative of an ``OR``.
"""

import sqlalchemy as sa
from sqlalchemy import delete, select, text, update
from sql import Table as SqlTable
from psycopg2 import sql as pgsql


# --- positives: bulk statements ----------------------------------------------


def purge_soft_deleted(session, Model, before):
    # ruleid: dbs304-bulk-rowcount-unchecked
    session.execute(delete(Model).where(Model.deleted_at < before))


def state_sweep(session, Model):
    # ruleid: dbs304-bulk-rowcount-unchecked
    session.query(Model).filter(Model.status == "building").update({"status": "error"})


def children_by_foreign_key(context, Model, node_id):
    # node_id may be a unique key of a model in another module (Semgrep cannot
    # read it: the pack leaves *_id, *_key and name columns to flake8)
    # todoruleid: dbs304-bulk-rowcount-unchecked
    context.session.query(Model).filter_by(node_id=node_id).delete()


def no_where_at_all(conn, table):
    # ruleid: dbs304-bulk-rowcount-unchecked
    conn.execute(table.update().values(stale=True))


def exclusion_is_no_pin(session, Model, keep):
    # Semgrep calls no statement bulk that names a key column: it cannot follow
    # every form a pin takes (~, &, a nested where), so it leaves these to flake8
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model).where(Model.id.notin_(keep)).values(stale=True))


def not_equal_is_no_pin(session, Model, row_id):
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model).where(Model.id != row_id).values(stale=True))


def subquery_in_is_no_pin(session, Model, host):
    picked = select(Model.id).where(Model.host == host)
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model).where(Model.id.in_(picked)).values(host=None))


def key_under_or(session, Model, row_id, host):
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model).where(sa.or_(Model.id == row_id, Model.host == host)).values(a=1))


def sql_text_sweep(cursor, before):
    # ruleid: dbs304-bulk-rowcount-unchecked
    cursor.execute("DELETE FROM events WHERE created_at < %s", (before,))


def sql_text_exclusion(cursor, keep):
    # ruleid: dbs304-bulk-rowcount-unchecked
    cursor.execute("UPDATE t SET stale = 1 WHERE status NOT IN ('active', 'error')")


def sql_text_subquery(session):
    # ruleid: dbs304-bulk-rowcount-unchecked
    session.execute(text("DELETE FROM t WHERE id IN (SELECT id FROM x WHERE host = :h)"))


# --- negatives ----------------------------------------------------------------


def pinned_by_id_is_dbs301(session, Model, row_id):
    # ok: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model).where(Model.id == row_id).values(a=1))


def pinned_by_uuid_is_dbs303(context, Model, uuid):
    # ok: dbs304-bulk-rowcount-unchecked
    context.session.query(Model).filter_by(uuid=uuid).delete()


def pinned_by_key_list(session, Model, ids):
    # ok: dbs304-bulk-rowcount-unchecked
    session.execute(delete(Model).where(Model.id.in_(ids)))


def pinned_in_sql_text(cursor, row_id):
    # ok: dbs304-bulk-rowcount-unchecked
    cursor.execute("UPDATE t SET a = 1 WHERE id = %s AND status != 'gone'", (row_id,))


def count_returned(session, Model, before):
    # ok: dbs304-bulk-rowcount-unchecked
    return session.execute(delete(Model).where(Model.deleted_at < before)).rowcount


def count_logged(session, Model, LOG):
    # ok: dbs304-bulk-rowcount-unchecked
    count = session.query(Model).filter(Model.status == "building").update({"status": "error"})
    LOG.info("%d builds failed", count)


def count_bound_in_both_branches(session, Model, hard):
    if hard:
        # ok: dbs304-bulk-rowcount-unchecked
        n = session.query(Model).filter(Model.deleted == 1).delete()
    else:
        # ok: dbs304-bulk-rowcount-unchecked
        n = session.query(Model).filter(Model.deleted == 1).update({"purged": True})
    return n


def cursor_rowcount_after(cursor, before):
    # ok: dbs304-bulk-rowcount-unchecked
    cursor.execute("DELETE FROM events WHERE created_at < %s", (before,))
    return cursor.rowcount


def select_is_not_bulk_write(session, Model):
    # ok: dbs304-bulk-rowcount-unchecked
    session.execute(select(Model).where(Model.status == "x"))


def dict_update(values, extra):
    # ok: dbs304-bulk-rowcount-unchecked
    values.update(extra)


def helper_built_statement(conn, base_child_upd, child, col_name):
    # mlflow's workspace_move: the statement goes through a helper function,
    # which flake8 does not follow
    # ok: dbs304-bulk-rowcount-unchecked
    conn.execute(_filtered(base_child_upd, child.c[col_name]))


def pin_in_an_and_operator(session, Model, row_id, seen):
    # & is an AND: flake8 reads the pin and reports DBS302
    # ok: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model).where((Model.id == row_id) & (Model.version == seen)).values(a=1))


def parenthesised_chain(session, Model, before):
    (
        # ruleid: dbs304-bulk-rowcount-unchecked
        session.query(Model)
        .filter(Model.deleted_at < before)
        .delete(synchronize_session=False)
    )


async def result_read_after_async_with(db, Model):
    # prefect's foreman: the result is read after the session block
    async with db.session_context(begin_transaction=True) as session:
        # ok: dbs304-bulk-rowcount-unchecked
        result = await session.execute(update(Model).where(Model.heartbeat < 1).values(status="OFFLINE"))
    if result.rowcount:
        print(result.rowcount)


def set_update_is_no_query(db, orm, client_id, required):
    orm_client = db.query(orm.Client).filter_by(identifier=client_id).first()
    allowed = set(orm_client.allowed_scopes)
    # ok: dbs304-bulk-rowcount-unchecked
    allowed.update(required)
    return allowed


def two_columns_pinned(session, Model, role_ids, resource_type):
    # Two columns compared for equality may be the model's composite key
    # (mlflow's role permissions: UniqueConstraint(role_id, resource_type,
    # resource_pattern)): flake8 reads the model (here it sees none, so the
    # statement is bulk); Semgrep cannot, and leaves it to flake8
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.query(Model).filter(Model.role_id.in_(role_ids), Model.resource_type == resource_type).delete()


def two_columns_pinned_in_a_chain(context, Model, resource_id, tags):
    # nova's tags: primary key (resource_id, tag)
    # todoruleid: dbs304-bulk-rowcount-unchecked
    context.session.query(Model).filter_by(resource_id=resource_id).filter(Model.tag.in_(tags)).delete()


def two_columns_pinned_in_core(session, Model, trace_id, key):
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.execute(delete(Model).where(Model.request_id == trace_id, Model.key == key))


def composite_key_pairs(session, Model, pairs):
    # tuple_() pins every column of the tuple by pairs of values: where they
    # are the model's key (phoenix's dataset labels) the DELETE targets
    # identified rows (DBS303); without a visible model flake8 finds no key
    # in them and keeps it bulk; the pack leaves tuple_ to flake8
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.execute(delete(Model).where(sa.tuple_(Model.dataset_id, Model.label_id).in_(pairs)))


def one_column_and_a_range(context, Model, host, now):
    # one equality beside a range pins no composite key: still bulk
    # ruleid: dbs304-bulk-rowcount-unchecked
    context.session.query(Model).filter_by(host=host).filter(Model.expires <= now).delete()


def delete_shelves_of(session, BookShelf, content):
    # the column is the class's attribute (BookShelf.user_id), the value is
    # read off an object (content.id): bulk. Semgrep sees a key named on the
    # left and leaves the statement to flake8
    # todoruleid: dbs304-bulk-rowcount-unchecked
    session.query(BookShelf).filter(content.id == BookShelf.user_id).delete()


class EndpointStore:
    def _filter_binding_query(self, session, query):
        """Hook for subclasses to add filters (mlflow): gives the query back."""
        return query

    def delete_bindings(self, session, resource_id):
        # the hook returns its query parameter: the chain goes on through it
        # (resource_id: left to flake8 by the pack, as above)
        # todoruleid: dbs304-bulk-rowcount-unchecked
        self._filter_binding_query(
            session, session.query(Binding).filter_by(resource_id=resource_id)
        ).delete()


# --- a key-pinned statement built in a parenthesised multi-line chain (prefect) ---


def update_by_id_in_a_parenthesised_chain(session, db, variable_id):
    query = (
        sa.update(db.Variable)
        .where(db.Variable.id == variable_id)
        .values(value=1)
    )
    # ok: dbs304-bulk-rowcount-unchecked
    session.execute(query)


def rename_module_models(cursor, module, string):
    table = SqlTable("ir_model")
    # python-sql: a bulk UPDATE whose where= pins no key
    # ruleid: dbs304-bulk-rowcount-unchecked
    cursor.execute(*table.update([table.string], [string], where=table.module == module))
    # DELETE ... RETURNING read back: consulted
    # ok: dbs304-bulk-rowcount-unchecked
    cursor.execute(*table.delete(where=table.module == module, returning=[table.id]))
    cursor.fetchall()


def reset_baselines(conn, conditions):
    # psycopg's composed SQL: the literal of sql.SQL(...) is the statement
    query = pgsql.SQL("UPDATE {} SET is_baseline = FALSE WHERE {}").format(
        pgsql.Identifier("monitoring"), pgsql.SQL(" AND ").join(conditions))
    with conn.cursor() as cur:
        # ruleid: dbs304-bulk-rowcount-unchecked
        cur.execute(query)
    with conn.cursor() as cur:
        # ok: dbs304-bulk-rowcount-unchecked
        cur.execute(pgsql.SQL("SELECT * FROM {}").format(pgsql.Identifier("monitoring")))


def delete_file_by_id(session, File, id):
    # filter_by(id=...) pins the row: DBS303, not bulk
    # ok: dbs304-bulk-rowcount-unchecked
    session.execute(delete(File).filter_by(id=id))


def delete_files_of(session, File, status):
    # ruleid: dbs304-bulk-rowcount-unchecked
    session.execute(delete(File).filter_by(status=status))


class RepoObject(sa.orm.declarative_base()):
    __tablename__ = "repos"
    # the attribute is id, the column RepoID: the code pins the key as .id
    id = sa.Column("RepoID", sa.Integer, primary_key=True)
    repopath = sa.Column("RepoPath", sa.String)


def strip_repo_paths(session, rows):
    for row in rows:
        # rdiffweb: an UPDATE of one identified row (DBS301), not bulk
        # ok: dbs304-bulk-rowcount-unchecked
        session.query(RepoObject).filter(RepoObject.id == row.id).update({RepoObject.repopath: "x"})
        # ruleid: dbs304-bulk-rowcount-unchecked
        session.query(RepoObject).filter(RepoObject.repopath == row.repopath).update({RepoObject.repopath: "y"})


class Domain(sa.orm.declarative_base()):
    __tablename__ = "accounts_domains"
    id = sa.Column(sa.Integer, primary_key=True)
    # the attribute is _domain, the column domain (a hybrid property
    # Domain.domain reads it): the column's own name still pins
    _domain = sa.Column("domain", sa.String(255), unique=True)
    num_users = sa.Column(sa.Integer)


def count_domain_users(session, domain, users):
    # invenio-accounts: the unique domain pins one row (DBS301)
    # todook: dbs304-bulk-rowcount-unchecked
    session.query(Domain).filter(Domain.domain == domain).update({"num_users": users})


def move_feed_entries(db, old, new):
    # reader's change_feed_url: the subquery in the SET value has a WHERE of
    # its own; the statement's WHERE filters on the feed (a foreign key).
    # Semgrep cannot tell which WHERE is the statement's: it leaves the text
    # todoruleid: dbs304-bulk-rowcount-unchecked
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
    # a row value compared with = pins each of its columns: id is the key
    # ok: dbs304-bulk-rowcount-unchecked
    db.execute("UPDATE entries SET title = :title WHERE (feed, id) = (:feed, :id)", intent)


def move_events(cursor, end, ids):
    # ``id IN %s`` pins the listed rows: not bulk
    # ok: dbs304-bulk-rowcount-unchecked
    cursor.execute("UPDATE `event` SET `start` = %s WHERE `id` IN %s", (end, ids))


async def update_many(session, Model, rows):
    # ORM bulk UPDATE by primary key: each parameter set updates the row of its
    # key, and SQLAlchemy checks the matched count itself (StaleDataError)
    # ok: dbs304-bulk-rowcount-unchecked
    await session.execute(update(Model), rows)
    # ok: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model), [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}])


def rename_all(session, Model, name):
    # one parameter set and no WHERE: every row
    # ruleid: dbs304-bulk-rowcount-unchecked
    session.execute(update(Model), {"name": name})
