# Fixture for DBS202 (dbs202-secret-logged): secret logged at any level.
# Shared by flake8 (tests/test_fixtures_flake8.py) and `semgrep --test`.
import dataclasses
import uuid
import warnings
from uuid import UUID, uuid4

import structlog

from oslo_config import cfg
from oslo_log import log as logging
from oslo_utils import strutils, uuidutils
from sqlalchemy import make_url

CONF = cfg.CONF
LOG = logging.getLogger(__name__)


def connect(username, password, context, values, engine):
    # ruleid: dbs202-secret-logged
    LOG.debug("Connecting as %s with %s", username, password)
    # ruleid: dbs202-secret-logged
    LOG.info("Setting chap creds to %(user)s : %(pass)s",
             {"user": username, "pass": password})
    # ruleid: dbs202-secret-logged
    LOG.warning("Token %(token)s rejected", {"token": context.token_ref})
    # ruleid: dbs202-secret-logged
    LOG.error(f"Request failed with {context.auth_token}")
    # ruleid: dbs202-secret-logged
    LOG.error("Admin login {} failed".format(context.admin_password))
    # ruleid: dbs202-secret-logged
    LOG.error("Login %s/%s failed" % (username, password))
    # ruleid: dbs202-secret-logged
    LOG.critical("Login failed", extra={"api_key": context.key})
    # ruleid: dbs202-secret-logged
    LOG.exception("Bad values %s", values["token"])
    # ruleid: dbs202-secret-logged
    LOG.info("Using %s", repr(context.private_key))
    # ruleid: dbs202-secret-logged
    LOG.info("Using %s", context.credentials)


def db_urls(engine, conf):
    # ruleid: dbs202-secret-logged
    LOG.info("Connecting to %s", CONF.database.connection)
    # ruleid: dbs202-secret-logged
    LOG.info("Connecting to %s", conf.api_database.connection)
    # ruleid: dbs202-secret-logged
    LOG.info("Connecting to %s", engine.url.render_as_string(hide_password=False))
    # ruleid: dbs202-secret-logged
    LOG.info("Connecting to %s", CONF.sql_connection)
    # ruleid: dbs202-secret-logged
    LOG.info("Connecting to %s", conf.db_url)
    # ok: dbs202-secret-logged
    LOG.info("Connecting to %s", engine.url.render_as_string(hide_password=True))
    # ok: dbs202-secret-logged
    LOG.info("Connecting to %s", engine.url.render_as_string())
    # ok: dbs202-secret-logged
    LOG.info("Pool size %s", CONF.database.max_pool_size)


class ArrayClient:
    def login(self, session_id):
        # ruleid: dbs202-secret-logged
        LOG.debug("execute_login session_id: %s", session_id)
        # ruleid: dbs202-secret-logged
        LOG.debug("session key = %s", self._session_key)
        # ruleid: dbs202-secret-logged
        LOG.debug("cookie %s", self.cookie)
        # ok: dbs202-secret-logged
        LOG.debug("Replication session %s ready", self.replication_session_id)


def masked(body, password, token, url, d):
    # ok: dbs202-secret-logged
    LOG.debug("Password is %d characters long", len(password))
    # ok: dbs202-secret-logged
    LOG.debug("Have token: %s", bool(token))
    # ok: dbs202-secret-logged
    LOG.debug("Request body %s", strutils.mask_password(body))
    # ok: dbs202-secret-logged
    LOG.debug("Request %s", strutils.mask_dict_password(d))
    # ok: dbs202-secret-logged
    LOG.debug("Request %s", str(strutils.mask_password(password)))
    # ok: dbs202-secret-logged
    LOG.info("Password changed for the admin user")
    # ok: dbs202-secret-logged
    LOG.info("Token expired, requesting a new token")
    # ok: dbs202-secret-logged
    print("Password %s" % password)
    # ok: dbs202-secret-logged
    warnings.warn("Password %s is weak" % password)
    # ok: dbs202-secret-logged
    LOG.info("Policy %s", password_policy)
    # ok: dbs202-secret-logged
    LOG.info("Issued %d tokens", token_count)
    # ok: dbs202-secret-logged
    LOG.info("Issued %s tokens", token_count)
    password = strutils.mask_password(password)
    # ok: dbs202-secret-logged
    LOG.info("Password %s", password)


def policy_check_failed(context, action, credentials):
    # oslo.context's policy view (ids, roles, scope) leaves the auth token out
    # ok: dbs202-secret-logged
    LOG.debug("Policy check for %(action)s failed with credentials %(credentials)s",
              {"action": action, "credentials": context.to_policy_values()})
    policy_values = context.to_policy_values()
    # ok: dbs202-secret-logged
    LOG.debug("Policy check failed with %(credentials)s", {"credentials": policy_values})
    # a credentials parameter of unknown origin is still a secret by its name
    # ruleid: dbs202-secret-logged
    LOG.debug("enforce %(action)s: %(credentials)s", {"action": action, "credentials": credentials})


def numbers(msg, c):
    # ok: dbs202-secret-logged
    LOG.debug("Packet received: table_id=%d cookie=%d", msg.table_id, msg.cookie)
    # ok: dbs202-secret-logged
    LOG.warning("Deleting flow with cookie 0x%(cookie)x", {"cookie": c})
    # each value is paired with its conversion: the cookie is a %d
    # ok: dbs202-secret-logged
    LOG.debug("Packet received: buffer_id=%x total_len=%d reason=ACTION "
              "table_id=%d cookie=%d match=%s pkt=%s",
              msg.buffer_id, msg.total_len, msg.table_id, msg.cookie, msg.match, msg)
    # ruleid: dbs202-secret-logged
    LOG.debug("Packet received: table_id=%d cookie=%s", msg.table_id, msg.cookie)
    # ruleid: dbs202-secret-logged
    LOG.debug("Packet %d of %s received: cookie=%r", msg.table_id, msg, msg.cookie)
    # ruleid: dbs202-secret-logged
    LOG.debug("cookie=%(cookie)s", {"cookie": msg.cookie})
    # ruleid: dbs202-secret-logged
    LOG.debug("%(a)d %(b)s", msg.session_id)


def std_logging(password, token):
    logger = logging.getLogger(__name__)
    # ruleid: dbs202-secret-logged
    logger.log(logging.INFO, "Password %s", password)
    # ruleid: dbs202-secret-logged
    logger.warn("Token %s", token)
    # ruleid: dbs202-secret-logged
    logger.fatal("Token %s", token)


def locals_and_builders(token, password, uuid_list):
    creds = {"user": "admin", "password": password}
    # ruleid: dbs202-secret-logged
    LOG.debug("Credentials %s", creds)
    msg = f"Token {token} rejected"
    # ruleid: dbs202-secret-logged
    LOG.error(msg)
    # todoruleid: dbs202-secret-logged
    LOG.error(f"Password {password!r} rejected")
    masked = {"user": "admin", "password": strutils.mask_password(password)}
    # ok: dbs202-secret-logged
    LOG.debug("Credentials %s", masked)
    # todoruleid: dbs202-secret-logged
    LOG.error("Token {token} rejected".format(token=uuid_list.token_of(token)))


def keywords(pw, key):
    slog = structlog.get_logger()
    # ruleid: dbs202-secret-logged
    slog.info("login failed", password=pw)
    # ruleid: dbs202-secret-logged
    LOG.info("Login", session_key=key)
    # ok: dbs202-secret-logged
    slog.info("login failed", password=None, exc_info=True)


def both_codes(consumer_uuid, password):
    # ruleid: dbs202-secret-logged
    LOG.debug("Consumer %s uses %s", consumer_uuid, password)


def contexts(users, token, result):
    # ruleid: dbs202-secret-logged
    [LOG.info("User %s", u.password) for u in users]
    # ruleid: dbs202-secret-logged
    callback = lambda: LOG.info("Token %s", token)
    if (auth_token := result.token_id) is not None:
        # ruleid: dbs202-secret-logged
        LOG.info("Issued %s", auth_token)
    return callback


async def async_contexts(client, users):
    async for user in users:
        # ruleid: dbs202-secret-logged
        LOG.error("Login failed: %s", user.password)
        # ok: dbs202-secret-logged
        LOG.error("Login failed: %s", await client.mask_password(user))


# --- rendered URLs and path names (spec, Turn 2 "DBS202 - rendered URLs") -----


def rendered_urls(engine, db_url, conf):
    # ok: dbs202-secret-logged
    LOG.info("Connected to %s", str(engine.url))
    # ok: dbs202-secret-logged
    LOG.info("Connected", extra={"db_url": engine.url})
    database_url = engine.url
    # ok: dbs202-secret-logged
    LOG.info("Connected to %s", database_url)
    url = make_url(db_url)
    # ok: dbs202-secret-logged
    LOG.info("Parsed %s", repr(url))
    # ruleid: dbs202-secret-logged
    LOG.info("Password is %s", url.password)
    # ruleid: dbs202-secret-logged
    LOG.info("Connecting to %s", db_url)


def url_of_an_engine_a_call_returns(settings):
    # airflow's check_migrations: str() of the URL masks its password
    db_url = str(settings.get_engine().url)
    # ok: dbs202-secret-logged
    LOG.info("Checking migrations on %s", db_url)
    # ok: dbs202-secret-logged
    LOG.info("Connected to %s", get_engine().url)


def key_paths(path_to_private_key, ssh_key_file, private_key):
    # ok: dbs202-secret-logged
    LOG.info("Using key %s", path_to_private_key)
    # ok: dbs202-secret-logged
    LOG.info("Using key file %s", ssh_key_file)
    # ruleid: dbs202-secret-logged
    LOG.debug("Key %s", private_key)


def masked_copies(db, masked_token, token):
    # a name that says the value is masked (encode/databases' URL property)
    # ok: dbs202-secret-logged
    LOG.info("Connected to %s", db.url.obscure_password)
    # ok: dbs202-secret-logged
    LOG.info("Issued %s", masked_token)
    # ruleid: dbs202-secret-logged
    LOG.info("Issued %s", token)


def zookeeper_session_number(session_id):
    # zuul: %#x takes a number
    # ok: dbs202-secret-logged
    LOG.debug("ZooKeeper connection (session: %#x): LOST", session_id)


# A value made by a UUID factory names something (a limiter borrower, a
# telemetry session); whatever its name, it is an identifier, not a credential.
def uuid_tokens(limiter, token_source):
    token = uuid4()
    limiter.acquire_on_behalf_of_nowait(token)
    # ok: dbs202-secret-logged
    LOG.info("Limit slot acquired (token=%s)", token)
    session_id = str(uuid.uuid4())
    # ok: dbs202-secret-logged
    LOG.info("Telemetry session %s", session_id)
    version_token = uuid.uuid4().hex
    # ok: dbs202-secret-logged
    LOG.info("Bumped version token to %s", version_token)
    request_token = uuidutils.generate_uuid()
    # ok: dbs202-secret-logged
    LOG.warning("Request %s failed", request_token)
    auth_token = token_source.issue()
    # ruleid: dbs202-secret-logged
    LOG.info("Issued %s", auth_token)


def release(limiter, token: UUID, api_token: str, other_token):
    limiter.release_on_behalf_of(token)
    # ok: dbs202-secret-logged
    LOG.info("Limit slot released (token=%s)", token)
    # ruleid: dbs202-secret-logged
    LOG.info("Released %s", api_token)
    # ruleid: dbs202-secret-logged
    LOG.info("Released %s", other_token)


def rebound_token(limiter, token: UUID):
    token = limiter.credential_for(token)
    # todoruleid: dbs202-secret-logged
    LOG.info("Using %s", token)


# Numbers by provenance: a secret name on a number is a position or a
# counter (a replication stream's token: int), not a credential.
def stream_positions(token: int, stream, max_token: int = 0):
    # ok: dbs202-secret-logged
    LOG.info("replicating up to %s", token)
    # ok: dbs202-secret-logged
    LOG.info("max %s", max_token)
    last_token = int(stream.position)
    # ok: dbs202-secret-logged
    LOG.info("at %s", last_token)
    api_token: str = stream.token
    # ruleid: dbs202-secret-logged
    LOG.info("token %s", api_token)


# Classes with a generated __repr__ (dataclasses, attrs, NamedTuple) render
# their fields: one without a secret-named field (or with it declared
# repr=False) renders no secret, one with it does. Semgrep does not read
# the class behind an annotation.
@dataclasses.dataclass(frozen=True)
class StreamToken:
    room_key: int
    device_key: int


@dataclasses.dataclass
class LoginSecret:
    user: str
    password: str = dataclasses.field(repr=False)


@dataclasses.dataclass
class BearerToken:
    user: str
    access_token: str


def sync(since_token: StreamToken, login_token: LoginSecret, bearer_token: BearerToken):
    # todook: dbs202-secret-logged
    LOG.info("sync since %s", since_token)
    # todook: dbs202-secret-logged
    LOG.info("login %s", login_token)
    # ruleid: dbs202-secret-logged
    LOG.info("bearer %s", bearer_token)


# A row loaded through an ORM query is logged through its class's __repr__
# (indico's PersonalToken): a query of the class (Cls.query...first(),
# session.query(Cls)...one(), session.get(Cls, pk)), also kept on self by
# another method or a base class, renders what that __repr__ reads.
class PersonalToken:
    query = None

    def __repr__(self):
        return f"<PersonalToken({self.id}, {self.user_id}, {self.name})>"


class SigningKey:
    query = None

    def __repr__(self):
        return f"<SigningKey {self.id} {self.private_key}>"


def revoke(session, user, token_id):
    token = PersonalToken.query.with_parent(user).filter_by(id=token_id).first_or_404()
    # todook: dbs202-secret-logged
    LOG.info("revoked %r", token)
    api_token = session.query(PersonalToken).filter(PersonalToken.id == token_id).one()
    # todook: dbs202-secret-logged
    LOG.info("revoked %r", api_token)
    stored_token = session.get(PersonalToken, token_id)
    # todook: dbs202-secret-logged
    LOG.info("revoked %r", stored_token)
    private_key = SigningKey.query.filter_by(id=token_id).first()
    # ruleid: dbs202-secret-logged
    LOG.info("rotated %r", private_key)


class TokenHandlerBase:
    def _process_args(self, user, token_id):
        self.token: PersonalToken = PersonalToken.query.with_parent(user).filter_by(id=token_id).first_or_404()


class RevokeTokenHandler(TokenHandlerBase):
    def _process(self):
        # todook: dbs202-secret-logged
        LOG.info("revoked token %r", self.token)


class LoginHandler:
    def _process_args(self, form):
        self.token = form.token.data

    def _process(self):
        # ruleid: dbs202-secret-logged
        LOG.info("login with %r", self.token)


def token_response(data):
    token = data.get("access_token")
    if not token:
        token_str = "****" if token else "missing"
        # ok: dbs202-secret-logged
        LOG.warning("no token in the response: token=%s", token_str)


def token_masked_on_one_path(token, debug):
    shown_token = token
    if not debug:
        shown_token = "****"
    # ruleid: dbs202-secret-logged
    LOG.info("token=%s", shown_token)
    display_token = "****" if not debug else token
    # ruleid: dbs202-secret-logged
    LOG.info("token %s", display_token)


def ci_backend(db_hostname, user, password):
    connection_string = f"postgresql://postgres@{db_hostname}/test_ci"
    # todook: dbs202-secret-logged
    LOG.warning("cannot connect to %s", connection_string)
    local_dsn = f"sqlite:///{db_hostname}.db"
    # todook: dbs202-secret-logged
    LOG.warning("cannot open %s", local_dsn)
    connection_string = f"postgresql://{user}:{password}@{db_hostname}/test_ci"
    # ruleid: dbs202-secret-logged
    LOG.warning("cannot connect to %s", connection_string)
    connection_string = f"postgresql://{db_hostname}/test_ci"
    # ruleid: dbs202-secret-logged
    LOG.warning("cannot connect to %s", connection_string)


def log_query(cursor, conn, query, elapsed, config):
    # psycopg2's connection.dsn obscures the password; psycopg 3's info.dsn leaves it out
    # ok: dbs202-secret-logged
    LOG.debug("query on {dsn}: {ms} ms\n{query}".format(dsn=cursor.connection.dsn, ms=elapsed, query=query))
    # ok: dbs202-secret-logged
    LOG.debug("connected to %s", conn.info.dsn)
    # a dsn from the configuration is the connection string itself
    # ruleid: dbs202-secret-logged
    LOG.debug("connecting to %s", config.dsn)
