"""Routes: the application's DB error handler covers their writes."""
from sqlalchemy.exc import SQLAlchemyError

from shop import db
from shop.db import api
from shop.db.models import Session
from shop.db.repository import OrderRepository
from shop.web.app import app


@app.route("/orders/<order_no>", methods=["PATCH"])
def patch_order(order_no):
    # ok: dbs101-db-write-without-error-handling
    Session.commit()
    return {}


@app.route("/orders", methods=["POST"])
def post_order():
    return db.create_order({"order_no": "1"})


def purge(session, before):
    try:
        api.purge_orders(session, before)
    except SQLAlchemyError:
        session.rollback()
        raise


def forget(session, order):
    repository = OrderRepository()
    try:
        repository.delete(session, order)
    # ruleid: dbs103-db-error-swallowed
    except Exception:
        pass
