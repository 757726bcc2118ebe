"""Logging token rows: the project model knows which classes render their
secrets (DBS202)."""
import logging
from typing import Optional

from shop.db import tokens
from shop.db.tokens import ApiToken, RawToken

LOG = logging.getLogger(__name__)


def check(db, token, customer, raw_token: RawToken, api_token: Optional[ApiToken]):
    orm_token = tokens.ApiToken.find(db, token)
    # ok: dbs202-secret-logged
    LOG.info("Not duplicating token %s", orm_token)
    for token in sorted(customer.api_tokens, key=lambda t: t.id):
        # ok: dbs202-secret-logged
        LOG.warning(f"Deleting expired token {token}")
    # ok: dbs202-secret-logged
    LOG.info("token %s", api_token)
    for token in customer.raw_tokens:
        # ruleid: dbs202-secret-logged
        LOG.warning(f"Deleting expired token {token}")
    # ruleid: dbs202-secret-logged
    LOG.info("token %s", raw_token)
    hashed_token = ApiToken.token_of(db, customer)
    # ruleid: dbs202-secret-logged
    LOG.info("token %s", hashed_token)
    # ruleid: dbs202-secret-logged
    LOG.info("token %s", orm_token.token)
