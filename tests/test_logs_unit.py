"""DBS201/DBS202 (sensitive logging): patterns, logged-value forms, report shape."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace

import pytest

from flake8_dbsec.checker import check_source
from flake8_dbsec.options import DEFAULT_SETTINGS
from flake8_dbsec.analysis.semantics import percent_conversions

BOTH = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS201", "DBS202"}))
HEADER = "from oslo_log import log as logging\nLOG = logging.getLogger(__name__)\n"


def findings(body: str, settings=BOTH):
    source = HEADER + textwrap.dedent(body).lstrip("\n")
    return [
        (f.line - 2, f.code, f.message)
        for f in check_source(source, settings)
        if f.code in ("DBS201", "DBS202")
    ]


def codes(body: str, settings=BOTH):
    return [(line, code) for line, code, _ in findings(body, settings)]


# --- the default patterns against the spec's examples ------------------------------


@pytest.mark.parametrize(
    "name, matches",
    [
        ("consumer_uuid", True),
        ("uuid", True),
        ("rp_uuids", True),
        ("instanceUUID", True),
        ("node_guid", True),
        ("guids", True),
        ("uses_uuid_login", False),
        ("instance_id", False),
        ("project_id", False),
        ("uuidutils", False),
    ],
)
def test_identifier_pattern(name, matches):
    assert bool(DEFAULT_SETTINGS.identifier_pattern.search(name)) is matches


@pytest.mark.parametrize(
    "name, matches",
    [
        ("password", True),
        ("admin_password", True),
        ("_password", True),
        ("PASSWORD", True),
        ("passwd", True),
        ("db_pwd", True),
        ("client_secret", True),
        ("secret_key", True),
        ("auth_token", True),
        ("token", True),
        ("api_key", True),
        ("apikey", True),
        ("private_key", True),
        ("credential", True),
        ("credentials", True),
        ("dsn", True),
        ("db_url", True),
        ("database_url", True),
        ("connection_url", True),
        ("connection_string", True),
        ("conn_str", True),
        ("session_id", True),
        ("_session_key", True),
        ("session_key", True),
        ("cookie", True),
        ("sql_connection", True),
        ("password_policy", False),
        ("token_count", False),
        ("passwords_allowed", False),
        ("secret_uuid", False),
        ("tokenizer", False),
        ("keyword", False),
        ("replication_session_id", False),
        ("flow_cookie_mask", False),
        ("connection", False),
    ],
)
def test_secret_pattern(name, matches):
    assert bool(DEFAULT_SETTINGS.secret_pattern.search(name)) is matches


# --- which calls log, at which level ------------------------------------------------


def test_debug_and_log_debug_levels():
    body = """
    import logging as std
    def f(consumer_uuid, logger):
        LOG.debug("c %s", consumer_uuid)
        LOG.log(std.DEBUG, "c %s", consumer_uuid)
        LOG.log(10, "c %s", consumer_uuid)
        LOG.log(DEBUG, "c %s", consumer_uuid)
        LOG.log(std.INFO, "c %s", consumer_uuid)
        LOG.log(level, "c %s", consumer_uuid)
        LOG.info("c %s", consumer_uuid)
        LOG.exception("c %s", consumer_uuid)
    """
    assert codes(body) == [(3, "DBS201"), (4, "DBS201"), (5, "DBS201"), (6, "DBS201")]


@pytest.mark.parametrize("method", ["debug", "info", "warning", "warn", "error",
                                    "exception", "critical", "fatal"])
def test_secret_at_every_level(method):
    assert codes(f"LOG.{method}('p %s', password)\n") == [(1, "DBS202")]


@pytest.mark.parametrize(
    "receiver",
    ["LOG", "log", "logger", "_log", "_logger", "LOGGER", "self.log", "self._logger",
     "cls.LOG", "Logger"],
)
def test_logger_names(receiver):
    assert codes(f"{receiver}.debug('c %s', consumer_uuid)\n") == [(1, "DBS201")]


@pytest.mark.parametrize(
    "line",
    [
        "parser.debug('c %s', consumer_uuid)",
        "self.debug('c %s', consumer_uuid)",
        "print('c %s' % consumer_uuid)",
        "warnings.warn('p %s' % password)",
        "math.log(password, 10)",
        "debug('c %s', consumer_uuid)",
    ],
)
def test_not_a_logger(line):
    assert codes(line + "\n") == []


def test_loggers_bound_from_factories():
    source = textwrap.dedent("""\
    import logging
    import structlog
    def f(consumer_uuid):
        lg = logging.getLogger(__name__)
        slog = structlog.get_logger()
        lg.debug("c %s", consumer_uuid)
        slog.debug("c %s", consumer_uuid)
        logging.debug("c %s", consumer_uuid)
    """)
    found = [(f.line, f.code) for f in check_source(source, BOTH)]
    assert found == [(6, "DBS201"), (7, "DBS201"), (8, "DBS201")]


def test_extra_logger_names_option():
    settings = replace(BOTH, logger_names=BOTH.logger_names | {"audit"})
    assert codes("audit.debug('c %s', consumer_uuid)\n", settings) == [(1, "DBS201")]
    assert codes("audit.debug('c %s', consumer_uuid)\n") == []


# --- logged values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        "LOG.debug('c %s', consumer_uuid)",
        "LOG.debug('c %s %s', project, consumer_uuid)",
        "LOG.debug('c %(uuid)s', {'uuid': c})",
        "LOG.debug('c %(c)s', {'c': consumer.uuid})",
        "LOG.debug('c %(c)s', dict(uuid=c))",
        "LOG.debug(f'c {consumer_uuid}')",
        "LOG.debug(f'c {consumer_uuid!r:>40}')",
        "LOG.debug('c %s' % consumer_uuid)",
        "LOG.debug('c %s %s' % (project, consumer_uuid))",
        "LOG.debug('c %(uuid)s' % {'uuid': c})",
        "LOG.debug(_('c %s') % consumer_uuid)",
        "LOG.debug('c {}'.format(consumer_uuid))",
        "LOG.debug('c {u}'.format(u=consumer_uuid))",
        "LOG.debug('c {uuid}'.format(uuid=c))",
        "LOG.debug('c ' + consumer_uuid)",
        "LOG.debug('c', extra={'consumer_uuid': c})",
        "LOG.debug('c', extra={'c': consumer_uuid})",
        "LOG.debug('c', instance=instance)",
        "LOG.debug('c', instance=self.inst)",
        "LOG.debug('c', instance_uuid=instance_id)",
        "LOG.debug('c', resource=rp_uuid)",
        "LOG.debug('c %s', str(consumer_uuid))",
        "LOG.debug('c %s', repr(consumer_uuid))",
        "LOG.debug('c %s', format(consumer_uuid, ''))",
        "LOG.debug('c %s', six.text_type(consumer_uuid))",
        "LOG.debug('c %s', values['uuid'])",
        "LOG.debug('c %s', (a, consumer_uuid))",
        "LOG.debug('c %s', [consumer_uuid])",
        "LOG.debug('c %s', consumer_uuid if ok else None)",
        "LOG.debug('c %s', uuid.uuid4())",
        "LOG.debug('c %s', uuidutils.generate_uuid())",
        "LOG.debug('c %s', str(uuid.uuid1()))",
        "LOG.debug('c %s', uuid.uuid4().hex)",
        "LOG.debug('c %s', *rp_uuids)",
        "LOG.debug(consumer_uuid)",
        "LOG.debug('c %s', await consumer_uuid)",
    ],
)
def test_identifier_forms(call):
    assert codes(f"async def f():\n    {call}\n") == [(2, "DBS201")]


@pytest.mark.parametrize(
    "call",
    [
        "LOG.debug('Deleted consumer uuid')",
        "LOG.debug('uuid %s', consumer_id)",
        "LOG.debug('c %s', len(rp_uuids))",
        "LOG.debug('c %s', hash(consumer_uuid))",
        "LOG.debug('c %s', ','.join(rp_uuids))",
        "LOG.debug('c %s', values[consumer_uuid_key])",
        "LOG.debug('c %s', uses_uuid_login)",
        "LOG.debug('c %(uuid)s', {'uuid': None})",
        "LOG.debug('c', instance=None)",
        "LOG.debug('c %d', consumer_uuid)",
        "LOG.debug('c %(uuid)d', {'uuid': c})",
        "LOG.debug('c', exc_info=consumer_uuid)",
    ],
)
def test_identifier_look_alikes(call):
    assert codes(f"def f():\n    {call}\n") == []


@pytest.mark.parametrize(
    "call",
    [
        "LOG.info('p %s', password)",
        "LOG.info('p %(pw)s', {'pw': admin_password})",
        "LOG.info('p %(password)s', {'password': p})",
        "LOG.info(f'p {context.auth_token}')",
        "LOG.info('p {}'.format(creds.secret))",
        "LOG.info('p %s' % password)",
        "LOG.info('p', extra={'token': t})",
        "LOG.info('p %s', values['token'])",
        "LOG.info('p %s', CONF.database.connection)",
        "LOG.info('p %s', CONF.database.slave_connection)",
        "LOG.info('p %s', CONF.placement_database.connection)",
        "LOG.info('p %s', engine.url.render_as_string(hide_password=False))",
        "LOG.info('p %s', url.render_as_string(False))",
        "LOG.info('p %s', str(password))",
        "LOG.info('p %(p)s', {'p': str(context.auth_token)})",
        "LOG.info('p %s', (token := fetch()))",
        "LOG.info('p %(token)s', {'token': issue()})",
    ],
)
def test_secret_forms(call):
    assert codes(f"def f():\n    {call}\n") == [(2, "DBS202")]


SESSION_CALLS = [
    "LOG.info('p', session_key=key)",
    "LOG.info('p %s', self._session_key)",
    "LOG.debug('Continuing session %s', session_id)",
    "LOG.info(f'session {request.session_id}')",
]


@pytest.mark.parametrize("call", SESSION_CALLS)
@pytest.mark.parametrize(
    "authenticating",
    [
        "def login(self, user):\n    pass\n",
        "def f(client):\n    client.execute_login()\n",
        "def f(response):\n    auth_cookie = response.getheader('Set-Cookie')\n",
        "def f(resp):\n    resp.set_cookie('sid', 'x')\n",
        "def f(api):\n    api.logon()\n",
    ],
)
def test_session_names_are_secrets_where_the_module_authenticates(call, authenticating):
    """An auth session id is a password in all but name: in a module that
    logs in or handles cookies, a logged ``session_id`` is DBS202."""
    source = f"{authenticating}\n\ndef g():\n    {call}\n"
    assert codes(source) == [(source.count("\n"), "DBS202")]


@pytest.mark.parametrize("call", SESSION_CALLS)
@pytest.mark.parametrize(
    "elsewhere",
    [
        "",
        "@login_required\ndef view():\n    pass\n",  # a guard logs nobody in
        "def f():\n    return 'Login cookie'  # text is not code\n",
    ],
)
def test_session_names_elsewhere_name_a_chat_a_lock_or_a_record(call, elsewhere):
    """A module that never logs in and never touches a cookie logs
    conversation, lock, replication or DB-row sessions: not credentials."""
    assert codes(f"{elsewhere}\n\ndef g():\n    {call}\n") == []


@pytest.mark.parametrize(
    "call",
    [
        "LOG.info('%s %s', session_id, password)",
        "LOG.info('%(session_id)s', {'session_id': password})",
        "LOG.info('x', session_id=password)",
        "LOG.info('%s', x.session_id or password)",
    ],
)
def test_a_password_beside_or_under_a_record_session_is_still_reported(call):
    assert codes(f"def g(x, password):\n    {call}\n") == [(2, "DBS202")]


@pytest.mark.parametrize(
    "call",
    [
        "LOG.info('Password changed')",
        "LOG.info('p %s', len(password))",
        "LOG.info('p %s', bool(token))",
        "LOG.info('p %s', hash(secret))",
        "LOG.info('p %s', strutils.mask_password(body))",
        "LOG.info('p %s', strutils.mask_dict_password(d))",
        "LOG.info('p %s', str(strutils.mask_password(password)))",
        "LOG.info('p %(password)s', {'password': strutils.mask_password(p)})",
        "LOG.info('p %s', url.render_as_string(hide_password=True))",
        "LOG.info('p %s', url.render_as_string())",
        "LOG.info('p %s', password_policy)",
        "LOG.info('p %s', token_count)",
        "LOG.info('p %s', CONF.database.max_pool_size)",
        "LOG.info('p %s', CONF.connection)",
        "LOG.info('p %s', self.replication_session_id)",
        "LOG.info('cookie=%d', flow.cookie)",
        "LOG.info('cookie=0x%(cookie)x', {'cookie': c})",
        "LOG.info('p %(password)s', {'password': '***'})",
        # oslo.context's policy view of a request: ids, roles and scope, no token
        "LOG.debug('failed with %(credentials)s', {'credentials': context.to_policy_values()})",
    ],
)
def test_secret_look_alikes(call):
    assert codes(f"def f():\n    {call}\n") == []


def test_masked_local_is_not_a_leak():
    body = """
    def f(password, body, context):
        password = strutils.mask_password(password)
        LOG.info("p %s", password)
        credentials = context.to_policy_values()
        LOG.debug("p %(credentials)s", {"credentials": credentials})
        url = engine.url.render_as_string()
        LOG.info("p %s", url)
    """
    assert codes(body) == []


def test_extra_masking_function_option():
    settings = replace(BOTH, masking_functions=BOTH.masking_functions | {"scrub"})
    assert codes("LOG.info('p %s', scrub(password))\n", settings) == []
    assert codes("LOG.info('p %s', password)\n", settings) == [(1, "DBS202")]


def test_locals_are_followed():
    body = """
    import uuid
    def f(rp_uuid, password, generation):
        ref = uuid.uuid4()
        LOG.debug("ref %s", ref)
        args = {"rp_uuid": rp_uuid, "generation": generation}
        LOG.debug("rp %(rp_uuid)s gen %(generation)d", args)
        msg = "login with %s failed" % password
        LOG.error(msg)
        other = uuid.uuid4().hex
        LOG.debug("other %s", other)
    """
    assert codes(body) == [(4, "DBS201"), (6, "DBS201"), (8, "DBS202"), (10, "DBS201")]


def test_uuid_local_bound_later_is_not_used():
    body = """
    import uuid
    def f():
        LOG.debug("ref %s", ref)
        ref = uuid.uuid4()
    """
    assert codes(body) == []


def test_message_format_local_numeric_conversion():
    body = """
    def f(flow):
        fmt = 'cookie=%d table=%d'
        LOG.info(fmt, flow.cookie, flow.table)
    """
    assert codes(body) == []


# --- report shape ---------------------------------------------------------------------


def test_both_codes_once_per_call_at_call_start():
    body = """
    def f(consumer_uuid, rp_uuid, password, token):
        x = (1,
             LOG.debug(
                 "c %s r %s p %s t %s",
                 consumer_uuid, rp_uuid, password, token))
    """
    found = findings(body)
    assert [(line, code) for line, code, _ in found] == [(3, "DBS201"), (3, "DBS202")]
    by_code = {code: message for _, code, message in found}
    assert by_code["DBS201"].startswith("DBS201 consumer_uuid, rp_uuid logged at debug")
    assert by_code["DBS202"].startswith("DBS202 password, token logged")


def test_column_is_the_call_start():
    source = HEADER + "def f():\n    if x: LOG.debug('c %s', consumer_uuid)\n"
    (finding,) = check_source(source, BOTH)
    assert (finding.line, finding.col) == (4, 10)


def test_message_names_never_values():
    body = """
    def f():
        password = "hunter2-literal"
        LOG.info("p %s", password)
        LOG.info("p %(token)s", {"token": "tok-literal-value"})
    """
    found = findings(body)
    assert [(line, code) for line, code, _ in found] == [(3, "DBS202")]
    assert all("hunter2" not in message and "literal" not in message for *_, message in found)


def test_selected_codes_only():
    only_secrets = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS202"}))
    body = "LOG.debug('c %s %s', consumer_uuid, password)\n"
    assert codes(body, only_secrets) == [(1, "DBS202")]
    nothing = replace(DEFAULT_SETTINGS, enabled_codes=frozenset({"DBS101"}))
    assert codes(body, nothing) == []


def test_configured_identifier_pattern():
    settings = replace(BOTH, identifier_pattern=re.compile(r"(?i)(uuid|_id)$"))
    assert codes("LOG.debug('i %s', instance_id)\n", settings) == [(1, "DBS201")]


# --- robustness -------------------------------------------------------------------------


def test_deep_expressions_do_not_crash():
    deep_add = " + ".join(["consumer_uuid"] * 900)
    deep_tuple = "(" * 150 + "consumer_uuid" + ",)" * 150
    body = f"LOG.debug('c %s', {deep_add})\nLOG.debug('c %s', {deep_tuple})\n"
    found = codes(body)
    assert (1, "DBS201") in found


def test_self_referencing_locals_terminate():
    body = """
    def f(token):
        msg = "a"
        msg = msg + "b %s" % token
        msg = msg + msg
        LOG.info(msg)
    """
    assert codes(body) == [(5, "DBS202")]


def test_odd_calls_do_not_crash():
    body = """
    def f():
        LOG.debug()
        LOG.log()
        LOG.log(logging.DEBUG)
        LOG.debug(msg=consumer_uuid)
        LOG.debug(*args, **kwargs)
        LOG.debug("%s", **{"extra": {}})
        (lambda: LOG.debug)()("c %s", consumer_uuid)
        LOG.debug("%(a)s %*d", {"a": 1}, consumer_uuid)
    """
    assert codes(body) == [(5, "DBS201"), (9, "DBS201")]


def test_percent_conversions():
    assert percent_conversions("a %s b %d %% %5.2f") == (["s", "d", "f"], {})
    assert percent_conversions("%(uuid)s %(n)d") == ([], {"uuid": "s", "n": "d"})
    assert percent_conversions("%*d") is None


def test_only_builtin_wrappers_are_transparent():
    assert codes("LOG.debug('c %s', obj.str(consumer_uuid))\n") == []
    assert codes("LOG.debug('c %s', obj.repr(consumer_uuid))\n") == []
    assert codes("LOG.debug('c %s', str())\n") == []


def test_secret_locals_stand_for_their_value():
    body = """
    def f(engine):
        url = CONF.database.connection
        LOG.info("db %s", url)
        shown = engine.url.render_as_string(hide_password=False)
        LOG.info("db %s", shown)
        hidden = engine.url.render_as_string()
        LOG.info("db %s", hidden)
    """
    found = findings(body)
    assert [(line, code) for line, code, _ in found] == [(3, "DBS202"), (5, "DBS202")]
    assert found[0][2].startswith("DBS202 url logged")


def test_labels_of_calls():
    found = findings("LOG.debug('r %s %s', uuid.uuid4().hex, uuidutils.generate_uuid())\n")
    assert found[0][2].startswith("DBS201 uuid.uuid4().hex, uuidutils.generate_uuid() logged")
    found = findings("LOG.info('u %s', e.url.render_as_string(hide_password=False))\n")
    assert found[0][2].startswith("DBS202 e.url.render_as_string(hide_password=False) logged")


# --- oslo.log context keywords (--dbsec-context-keywords) -----------------------------


def test_context_keywords_default_to_all_three():
    body = """\
    LOG.debug('a', instance=inst)
    LOG.debug('b', instance_uuid=u)
    LOG.debug('c', resource=res)
    """
    assert codes(body) == [(1, "DBS201"), (2, "DBS201"), (3, "DBS201")]


def test_context_keywords_option_names_the_ones_that_count():
    from flake8_dbsec.options import settings_from_options

    class Options:
        dbsec_context_keywords = ["instance_uuid"]

    settings = replace(settings_from_options(Options()), enabled_codes=BOTH.enabled_codes)
    body = """\
    LOG.debug('a', instance=inst)
    LOG.debug('b', instance_uuid=u)
    LOG.debug('c', resource=res)
    LOG.debug('d %s', inst.uuid, instance=inst)
    """
    # left-out keywords are context, not values; a UUID logged by name still counts
    assert codes(body, settings) == [(2, "DBS201"), (4, "DBS201")]
    Options.dbsec_context_keywords = []  # ``dbsec-context-keywords =``: none count
    settings = replace(settings_from_options(Options()), enabled_codes=BOTH.enabled_codes)
    assert codes(body, settings) == [(4, "DBS201")]


@pytest.mark.parametrize(
    "call, reported",
    [
        ("LOG.debug('x %s', [c.uuid for c in cs])", True),
        ("LOG.debug('x %s', {c.uuid for c in cs})", True),
        ("LOG.debug('x %s', list(c.uuid for c in cs))", False),  # list() is opaque
        ("LOG.debug('x %s', {c.name: c.uuid for c in cs})", True),
        ("LOG.debug('x %s', getattr(c, 'uuid'))", True),
        ("LOG.debug('x %s', getattr(c, 'uuid', None))", True),
        ("LOG.debug('x %s', getattr(c, name))", False),
        ("LOG.debug('x %s', [len(c) for c in cs])", False),
    ],
)
def test_comprehensions_and_getattr(call, reported):
    assert codes(call) == ([(1, "DBS201")] if reported else [])


# --- a UUID by provenance is an identifier, not a secret ------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ("token = uuid.uuid4()\nLOG.info('%s', token)", []),
        ("session_id = str(uuid.uuid4())\nLOG.info('%s', session_id)", []),
        ("token = uuidutils.generate_uuid()\nLOG.info('%s', token)", []),
        ("LOG.info('%s', {'token': uuid.uuid4().hex})", []),
        ("token = uuid.uuid4()\nLOG.debug('%s', token)", [(2, "DBS201")]),
        ("token = issue()\nLOG.info('%s', token)", [(2, "DBS202")]),
        ("token = uuid.uuid4()\ntoken = issue(token)\nLOG.info('%s', token)", [(3, "DBS202")]),
    ],
)
def test_uuid_made_here_is_no_secret(body, expected):
    assert codes(f"def f(issue):\n" + textwrap.indent(body, "    ")) == [
        (line + 1, code) for line, code in expected
    ]


@pytest.mark.parametrize(
    "annotation, reported",
    [("UUID", False), ("uuid.UUID", False), ("Optional[UUID]", False), ('"UUID | None"', False),
     ("str", True), ("", True), ("UUID | str", True)],
)
def test_uuid_annotated_parameter_is_no_secret(annotation, reported):
    param = f"token: {annotation}" if annotation else "token"
    found = codes(f"def f({param}):\n    LOG.info('released %s', token)\n")
    assert (found == [(2, "DBS202")]) is reported
