"""Sessions made through project factories, one of them renamed on re-export."""
from shop import db
from shop.db import maintenance, models


def count_orders():
    # ruleid: dbs601-db-resource-not-closed
    session = db.new_session()
    return session.query(models.Order).count()


def count_lines():
    # ruleid: dbs601-db-resource-not-closed
    session = models.SessionFactory()
    return session.query(models.Line).count()


def count_closed():
    session = db.new_session()
    try:
        return session.query(models.Order).count()
    finally:
        session.close()


def tidy(session):
    maintenance.vacuum(session, "orders")
    _tidy(session, "lines")
    maintenance.rows_named(session, "admin")


def _tidy(session, table):
    maintenance.vacuum(session, table)


def lookup(session, who):
    return maintenance.rows_named(session, who)


def export_rows(path):
    from shop.db import driver
    # the project's connect() returns a connection: it leaks when the query fails
    # ruleid: dbs601-db-resource-not-closed
    conn = driver.connect(path)
    rows = conn.execute("SELECT id FROM orders").fetchall()
    conn.close()
    return rows
