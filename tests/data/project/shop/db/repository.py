"""A repository whose delete() flushes: a DB write at its call sites."""


class OrderRepository:
    def delete(self, session, order):
        session.delete(order)
        session.flush()
