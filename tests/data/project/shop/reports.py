"""Sessions made through project factories, one of them renamed on re-export."""
from shop import db
from shop.db import models


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
