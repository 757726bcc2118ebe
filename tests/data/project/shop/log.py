"""The project's logger, used under other names elsewhere."""
import logging

LOGGER = logging.getLogger("shop")
audit = LOGGER


def get_logger(name):
    return logging.getLogger(name)
