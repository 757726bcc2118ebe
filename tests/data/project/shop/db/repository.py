"""A repository whose delete() flushes: a DB write at its call sites."""
from shop.db.models import Order


class OrderRepository:
    def delete(self, session, order):
        session.delete(order)
        session.flush()

    def purge(self, session, status):
        # the helper's own transaction block: a failed delete is rolled back
        # before the error reaches its caller
        with session.begin(subtransactions=True):
            # ruleid: dbs304-bulk-rowcount-unchecked
            session.query(Order).filter_by(status=status).delete()

