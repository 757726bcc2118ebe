"""DB API functions: handled by decorators, context managers or callers."""
from oslo_db import api as oslo_db_api
from sqlalchemy import exc as sa_exc
from sqlalchemy import text, update

from shop.db import errors, models, repository
from shop.db.models import Session
from shop.log import audit, get_logger

LOG = get_logger(__name__)


@errors.translate_db_errors
def create_order(values):
    order = models.Order(**values)
    Session.add(order)
    # ok: dbs101-db-write-without-error-handling
    Session.commit()
    return order


@errors.log_errors
def touch(session):
    # a decorator that logs and re-raises handles nothing
    # ruleid: dbs101-db-write-without-error-handling
    session.flush()


def purge_orders(session, before):
    # its only caller (shop.web.views.purge) handles DB errors
    # ruleid: dbs304-bulk-rowcount-unchecked
    session.execute(text("DELETE FROM orders WHERE created_at < :b"), {"b": before})


def cancel_order(order_no):
    with errors.transaction(Session) as session:
        # the context manager handles DB errors; the key pins the row
        # ruleid: dbs301-update-rowcount-unchecked
        session.execute(update(models.Order).where(models.Order.order_no == order_no).values(status="x"))


def rename(order_no, name):
    # a proxy from another module is a session; nobody handles this write
    # ruleid: dbs101-db-write-without-error-handling
    Session.commit()


def set_status(session, order_no, status):
    # the model's primary key pins the row
    # ruleid: dbs101-db-write-without-error-handling, dbs301-update-rowcount-unchecked
    session.query(models.Order).filter_by(order_no=order_no).update({"status": status})


def set_customer_status(session, customer_id, status):
    # no key of the model: a bulk update
    # ruleid: dbs101-db-write-without-error-handling, dbs304-bulk-rowcount-unchecked
    session.query(models.Order).filter_by(customer_id=customer_id).update({"status": status})


def drop_line(session, order_no):
    # half of a composite primary key: bulk
    # ruleid: dbs101-db-write-without-error-handling, dbs304-bulk-rowcount-unchecked
    session.query(models.Line).filter_by(order_no=order_no).delete()


def drop_sku(session, order_no, sku):
    # a full unique constraint pins the row
    # ruleid: dbs101-db-write-without-error-handling, dbs303-delete-rowcount-unchecked
    session.query(models.Line).filter_by(order_no=order_no, sku=sku).delete()


def bump(session, order_no, seen):
    # the model's version_id_col is a concurrency guard
    # ruleid: dbs101-db-write-without-error-handling, dbs302-optimistic-lock-rowcount-unchecked
    session.query(models.Order).filter_by(order_no=order_no, version=seen).update({"status": "y"})


def new_session_leaks():
    # a factory defined in another module makes a session that nobody closes
    # ruleid: dbs601-db-resource-not-closed
    session = models.SessionFactory()
    return session.query(models.Order).count()


@oslo_db_api.wrap_db_retry(max_retries=3, retry_on_deadlock=True)
def add_line(session, values):
    try:
        add_line_row(session, values)
    # add_line_row flushes this session: the failed transaction stays open
    # ruleid: dbs602-failed-transaction-left-open
    except sa_exc.IntegrityError:
        LOG.info("line exists")


def purge_orders_in(session, status):
    try:
        orders = repository.OrderRepository()
        orders.purge(session, status)
    # the helper rolls its own transaction back before this handler runs
    # ok: dbs602-failed-transaction-left-open
    except sa_exc.SQLAlchemyError:
        LOG.warning("%s orders not purged", status)


def add_line_row(session, values):
    try:
        # every caller retries deadlocks and handles integrity errors around it
        # ok: dbs102-db-write-handles-only-integrity-errors
        session.flush()
    except sa_exc.IntegrityError:
        raise


def logging(order, password, table):
    tracker = get_logger("orders")
    # ruleid: dbs201-uuid-logged-at-debug
    audit.debug("order %s", order.customer_uuid)
    # ruleid: dbs201-uuid-logged-at-debug
    tracker.debug("order %s", order.customer_uuid)
    # ok: dbs202-secret-logged
    LOG.info("password %s", errors.mask_secret(password))
    # ok: dbs401-sql-built-from-strings
    return text(f"SELECT * FROM {errors.quote_name(table)}")


def release(session, allocation_id):
    # no primary key in sight (SQLAlchemy maps none without one): it is in
    # the mixin, and ``id`` pins the row
    # ruleid: dbs101-db-write-without-error-handling, dbs301-update-rowcount-unchecked
    session.query(models.Allocation).filter_by(id=allocation_id).update({"status": "free"})


def release_slot(session, slot):
    # the unique column in sight pins the row too
    # ruleid: dbs101-db-write-without-error-handling, dbs301-update-rowcount-unchecked
    session.query(models.Allocation).filter_by(slot=slot).update({"status": "free"})


def release_all(session, status):
    # ruleid: dbs101-db-write-without-error-handling, dbs304-bulk-rowcount-unchecked
    session.query(models.Allocation).filter_by(status=status).update({"status": "free"})
