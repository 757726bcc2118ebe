"""A data migration's lightweight table: no key declared here, the model
(shop.db.models.Order, table ``orders``) declares it."""
import sqlalchemy as sa

ORDERS = sa.Table(
    "orders",
    sa.MetaData(),
    sa.Column("order_no", sa.String(36)),
    sa.Column("status", sa.String(16)),
)


def close_order(session, order_no):
    # ruleid: dbs101-db-write-without-error-handling, dbs301-update-rowcount-unchecked
    session.execute(ORDERS.update().where(ORDERS.c.order_no == order_no).values(status="closed"))
