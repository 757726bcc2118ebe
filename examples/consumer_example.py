"""Consumers and their generations, in the style of OpenStack placement.

An example for flake8-dbsec with real findings (it is not meant to run):

    flake8 --select DBS examples/

Each function says in its docstring what the plugin reports and why.
"""

import sqlalchemy as sa
from oslo_db import exception as db_exc
from oslo_db.sqlalchemy import enginefacade
from oslo_log import log as logging
from oslo_utils import uuidutils

from placement.db import models

LOG = logging.getLogger(__name__)
CONSUMER_TBL = models.Consumer.__table__


class ConsumerExists(Exception):
    pass


class ConcurrentUpdate(Exception):
    pass


@enginefacade.writer
def create_consumer(context, project_id, user_id):
    """DBS201: a UUID in a debug log. DBS102: only duplicates are handled."""
    consumer_uuid = uuidutils.generate_uuid()
    LOG.debug("Creating consumer %s in project %s", consumer_uuid, project_id)
    ins = CONSUMER_TBL.insert().values(
        uuid=consumer_uuid, project_id=project_id, user_id=user_id,
        generation=0,
    )
    try:
        context.session.execute(ins)
    except db_exc.DBDuplicateEntry:
        raise ConsumerExists(consumer_uuid)
    return consumer_uuid


@enginefacade.writer
def increment_generation(context, consumer_uuid, generation):
    """DBS101: no handler for DB errors. DBS302: the generation guard is inert,
    because nobody reads how many rows the UPDATE matched."""
    upd = CONSUMER_TBL.update().where(
        sa.and_(
            CONSUMER_TBL.c.uuid == consumer_uuid,
            CONSUMER_TBL.c.generation == generation,
        )
    )
    upd = upd.values(generation=generation + 1)
    context.session.execute(upd)
    return generation + 1


@enginefacade.writer
def increment_generation_checked(context, consumer_uuid, generation):
    """No finding: DB errors are translated and the row count is checked."""
    upd = (
        CONSUMER_TBL.update()
        .where(CONSUMER_TBL.c.uuid == consumer_uuid)
        .where(CONSUMER_TBL.c.generation == generation)
        .values(generation=generation + 1)
    )
    try:
        result = context.session.execute(upd)
    except db_exc.DBError as exc:
        raise ConcurrentUpdate(consumer_uuid) from exc
    if result.rowcount != 1:
        raise ConcurrentUpdate(consumer_uuid)
    return generation + 1


@enginefacade.writer
def delete_consumers_for_project(context, project_id):
    """DBS101: the bulk DELETE has no handler. (DBS304, off by default, would
    add that nobody reads how many rows were deleted; the WHERE pins no row by
    key, so zero rows is a normal outcome here.)"""
    query = context.session.query(models.Consumer)
    query.filter_by(project_id=project_id).delete()


def connect_log(conf):
    """DBS202: the DB URL (with its password) goes to the log."""
    LOG.info("Connecting to %s", conf.database.connection)
