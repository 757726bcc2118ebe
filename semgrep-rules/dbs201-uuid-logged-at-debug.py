# Fixture for DBS201 (dbs201-uuid-logged-at-debug): UUID/identifier logged at debug level.
# Shared by flake8 (tests/test_fixtures_flake8.py) and `semgrep --test`.
import logging
import uuid

import structlog

from oslo_log import log as oslo_logging
from oslo_utils import uuidutils

LOG = oslo_logging.getLogger(__name__)


def ensure_consumer(ctx, consumer_uuid, project_id, consumer):
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Supplied project or user ID for consumer %s was "
              "different than existing record.", consumer_uuid)
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %s", consumer.uuid)
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %(uuid)s in project %(project)s",
              {"uuid": consumer.uuid, "project": project_id})
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %(consumer)s", {"consumer": consumer_uuid})
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug(f"Deleting consumer {consumer_uuid} now")
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer {} in {}".format(consumer_uuid, project_id))
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %s in %s" % (consumer_uuid, project_id))
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %(uuid)s" % {"uuid": consumer.uuid})
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer {c}".format(c=consumer_uuid))
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer seen", extra={"consumer_uuid": consumer.id})
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %s", str(consumer_uuid))
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Allocations for %s", consumer.allocations["uuid"])
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Providers %s", rp_uuids)
    # ok: dbs201-uuid-logged-at-debug
    LOG.info("Deleted consumer %s", consumer_uuid)
    # ok: dbs201-uuid-logged-at-debug
    LOG.warning("Consumer %(uuid)s gone", {"uuid": consumer.uuid})
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Deleted consumer by uuid, %d left", len(rp_uuids))
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Deleted consumer record for uuid")
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %s in project %s", consumer.id, project_id)
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Login mode %s", uses_uuid_login)
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Consumer %(id)d", {"id": consumer.consumer_id})


def instance_keyword(instance, context):
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Building instance", instance=instance)
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Fetching instance by UUID", instance_uuid=context.instance_id)
    # ok: dbs201-uuid-logged-at-debug
    LOG.info("Instance built", instance=instance)
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("No instance yet", instance=None)


def keywords(consumer):
    slog = structlog.get_logger()
    # ruleid: dbs201-uuid-logged-at-debug
    slog.debug("consumer deleted", consumer_uuid=consumer.id)
    # ok: dbs201-uuid-logged-at-debug
    slog.info("consumer deleted", consumer_uuid=consumer.id)


def std_logging(values, host):
    logger = logging.getLogger(__name__)
    # ruleid: dbs201-uuid-logged-at-debug
    logger.debug("Host %s", host.uuid)
    # ruleid: dbs201-uuid-logged-at-debug
    logger.log(logging.DEBUG, "Value %s", values["uuid"])
    # ruleid: dbs201-uuid-logged-at-debug
    logger.log(10, "Value %s", values["node_uuid"])
    # ok: dbs201-uuid-logged-at-debug
    logger.log(logging.INFO, "Value %s", values["uuid"])
    # ruleid: dbs201-uuid-logged-at-debug
    logging.debug("Host %s", host.uuid)
    # ok: dbs201-uuid-logged-at-debug
    print("Host %s" % host.uuid)


class Driver:
    def __init__(self):
        self.log = logging.getLogger("driver")

    def attach(self, volume):
        # ruleid: dbs201-uuid-logged-at-debug
        self.log.debug("Attaching %s", volume.volume_uuid)
        # ruleid: dbs201-uuid-logged-at-debug
        self._logger.debug("Attaching %s", self.uuid)
        # ok: dbs201-uuid-logged-at-debug
        self.debug("Attaching %s", self.uuid)


def generated(node):
    ref = uuid.uuid4()
    tmp_name = str(uuidutils.generate_uuid())
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Created reference %s", ref)
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Temporary name %s", tmp_name)
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Request %s", uuid.uuid4())
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Request %s", uuid.uuid4().hex)
    marker = uuid.uuid4().hex
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Marker %s", marker)
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Node %s", node.id)


def built_message(rp_uuid, generation):
    msg_args = {"rp_uuid": rp_uuid, "generation": generation}
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Provider %(rp_uuid)s at generation %(generation)d", msg_args)
    full_msg = "Filtering removed all hosts for %(uuid)s" % {"uuid": rp_uuid}
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug(full_msg)
    note = f"Provider {rp_uuid} done"
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug(note)
    # ruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Provider {p}".format(p=str(rp_uuid)))
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Provider {p}".format(p=rp_uuid.upper()))
    # todoruleid: dbs201-uuid-logged-at-debug
    LOG.debug(f"Provider {rp_uuid!r}")


def contexts(consumers, rp_uuid, consumer):
    # ruleid: dbs201-uuid-logged-at-debug
    [LOG.debug("Consumer %s", c.uuid) for c in consumers]
    # ruleid: dbs201-uuid-logged-at-debug
    callback = lambda: LOG.debug("Provider %s", rp_uuid)
    if (target_uuid := consumer.target) is not None:
        # ruleid: dbs201-uuid-logged-at-debug
        LOG.debug("Moving to %s", target_uuid)
    # todoruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Provider %s", (new := rp_uuid))
    return callback, new


async def async_contexts(session, consumers):
    async with session.begin():
        async for consumer in consumers:
            # ruleid: dbs201-uuid-logged-at-debug
            LOG.debug("Consumer %s", consumer.uuid)
            # ok: dbs201-uuid-logged-at-debug
            LOG.debug("Consumer %s", await session.refresh(consumer))


def integers(instance_id, project_id, node):
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Instance %s project %s", instance_id, project_id)
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Node %(id)s", {"id": node.id})


def comprehensions_and_getattr(consumers, provider, allocations):
    # todoruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Deleting consumers %s", [c.uuid for c in consumers])
    # the spec sees through str()/repr()/format() only: join() is opaque
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Providers %s", ", ".join(p.uuid for p in provider.children))
    # todoruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Provider %s", getattr(provider, "uuid", None))
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Sizes %s", [len(a) for a in allocations])
    # ok: dbs201-uuid-logged-at-debug
    LOG.debug("Provider %s", getattr(provider, "name"))


def oslo_context_keywords(instance, resource):
    # todoruleid: dbs201-uuid-logged-at-debug
    LOG.debug("Resizing", resource=resource)
    # ok: dbs201-uuid-logged-at-debug
    LOG.info("Resizing", resource=resource)
