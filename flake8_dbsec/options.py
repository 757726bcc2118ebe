"""Configuration: flake8 options (``--dbsec-*``) and the validated settings.

Everything the rules can be told lives in one frozen :class:`Settings` object.
It is built once per flake8 run in ``parse_options`` and stored on the options
namespace (never on a class or module), so two runs in one interpreter (an
editor running flake8 in-process) each see their own settings.
"""

from __future__ import annotations

import keyword
import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import FrozenSet, Iterable, Optional, Pattern, Tuple, Union

from . import regex_safety

# --- defaults -------------------------------------------------------------

DEFAULT_SESSION_PATTERN = (
    r"session|\w*_session|sess|conn|connection|\w*_conn|\w*_connection"
    r"|cursor|cur|\w*_cursor|db"
)
DEFAULT_IDENTIFIER_PATTERN = r"(?i)(uuids?|guids?)$"
# Secret words match as a whole name or an ``_``-suffix (admin_password);
# session_id/session_key/cookie/sql_connection only as the whole name (leading
# underscores allowed): replication_session_id is not an auth session.
DEFAULT_SECRET_PATTERN = (
    r"(?i)(?:(?:^|_)(?:password|passwd|pwd|secret|secret_key|token|api_key|apikey"
    r"|private_key|credentials?|dsn|db_url|database_url|connection_url"
    r"|connection_string|conn_str)"
    r"|^_*(?:session_id|session_key|cookie|sql_connection))$"
)
DEFAULT_CONCURRENCY_PATTERN = r"(?i)(generation|version|revision|etag|updated_at)$"
DEFAULT_STATE_COLUMNS = ("status", "state", "task_state", "vm_state")
DEFAULT_LOGGER_NAMES = ("LOG", "log", "logger", "_log", "_logger", "LOGGER")
DEFAULT_MASKING_FUNCTIONS = (
    "mask_password",
    "mask_dict_password",
    "mask_url",
    "obfuscate",
    "redact",
    # oslo.context: the request context's policy view (user/project ids,
    # roles, scope); it leaves the auth token out by design
    "to_policy_values",
)
#: oslo.log keywords that put a resource's identifier into the record
#: (``instance=``/``instance_uuid=`` render the instance UUID, ``resource=``
#: its type and id); the option names those that count for DBS201.
DEFAULT_CONTEXT_KEYWORDS = ("instance", "instance_uuid", "resource")
DEFAULT_WRITE_METHODS = (
    "flush",
    "commit",
    "bulk_save_objects",
    "bulk_insert_mappings",
    "bulk_update_mappings",
    "executemany",
)

OSLO_DB_ERRORS = (
    "DBError",
    "DBDuplicateEntry",
    "DBDeadlock",
    "DBConnectionError",
    "DBReferenceError",
    "DBConstraintError",
    "DBDataError",
    "DBInvalidUnicodeParameter",
    "DBNonExistentConstraint",
    "DBNonExistentTable",
    "DBNonExistentDatabase",
    "DBNotSupportedError",
    "DBMigrationError",
    "CantStartEngineError",
)
SQLALCHEMY_ERRORS = (
    "SQLAlchemyError",
    "DBAPIError",
    "IntegrityError",
    "OperationalError",
    "DatabaseError",
    "StatementError",
    "InterfaceError",
    "DataError",
    "ProgrammingError",
    "InternalError",
    "PendingRollbackError",
    "NotSupportedError",
    "StaleDataError",
    "FlushError",
    "InvalidRequestError",
)
DRIVER_ERRORS = ("UniqueViolation", "ForeignKeyViolation", "DeadlockDetected")
INTEGRITY_ERRORS = frozenset(
    {
        "DBDuplicateEntry",
        "DBReferenceError",
        "DBConstraintError",
        "IntegrityError",
        "UniqueViolation",
        "ForeignKeyViolation",
        # asyncpg's IntegrityConstraintViolationError family
        "IntegrityConstraintViolationError",
        "UniqueViolationError",
        "ForeignKeyViolationError",
        "NotNullViolationError",
        "CheckViolationError",
        "ExclusionViolationError",
        "RestrictViolationError",
    }
)
#: DB-API modules whose ``Error``/``DatabaseError``... classes count by module.
DBAPI_MODULES = frozenset(
    {
        "sqlite3",
        "psycopg2",
        "psycopg",
        "pymysql",
        "MySQLdb",
        "mysql.connector",
        "cx_Oracle",
        "oracledb",
        "pyodbc",
        "asyncpg",
        "aiosqlite",
        "aiomysql",
        "pg8000",
    }
)


#: A name pattern never sees a longer name: such a name matches no pattern.
#: This bounds what a polynomial pattern costs on names a pull request
#: chooses (real identifiers, keys and columns are far shorter).
MAX_NAME_LENGTH = 128


class NamePattern:
    """A compiled pattern applied to names of at most :data:`MAX_NAME_LENGTH`
    characters; longer names never match."""

    __slots__ = ("regex",)

    def __init__(self, regex: Union[str, Pattern[str]]) -> None:
        self.regex = re.compile(regex) if isinstance(regex, str) else regex

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    def search(self, name: str) -> "Optional[re.Match[str]]":
        return self.regex.search(name) if len(name) <= MAX_NAME_LENGTH else None

    def fullmatch(self, name: str) -> "Optional[re.Match[str]]":
        return self.regex.fullmatch(name) if len(name) <= MAX_NAME_LENGTH else None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NamePattern) and other.regex == self.regex

    def __hash__(self) -> int:
        return hash(self.regex)

    def __getstate__(self) -> Pattern[str]:  # for flake8's worker processes
        return self.regex

    def __setstate__(self, regex: Pattern[str]) -> None:
        self.regex = regex

    def __repr__(self) -> str:
        return f"NamePattern({self.regex.pattern!r})"


@dataclass(frozen=True)
class Settings:
    """Validated, compiled configuration shared by all rules of one run."""

    session_pattern: NamePattern = field(
        default_factory=lambda: NamePattern(DEFAULT_SESSION_PATTERN)
    )
    identifier_pattern: NamePattern = field(
        default_factory=lambda: NamePattern(DEFAULT_IDENTIFIER_PATTERN)
    )
    secret_pattern: NamePattern = field(
        default_factory=lambda: NamePattern(DEFAULT_SECRET_PATTERN)
    )
    concurrency_pattern: NamePattern = field(
        default_factory=lambda: NamePattern(DEFAULT_CONCURRENCY_PATTERN)
    )
    state_columns: FrozenSet[str] = frozenset(DEFAULT_STATE_COLUMNS)
    db_errors: FrozenSet[str] = frozenset(
        OSLO_DB_ERRORS + SQLALCHEMY_ERRORS + DRIVER_ERRORS
    )
    integrity_errors: FrozenSet[str] = INTEGRITY_ERRORS
    handler_decorators: FrozenSet[str] = frozenset()
    handler_context_managers: FrozenSet[str] = frozenset()
    masking_functions: FrozenSet[str] = frozenset(DEFAULT_MASKING_FUNCTIONS)
    logger_names: FrozenSet[str] = frozenset(n.lower() for n in DEFAULT_LOGGER_NAMES)
    write_methods: FrozenSet[str] = frozenset(DEFAULT_WRITE_METHODS)
    context_keywords: FrozenSet[str] = frozenset(DEFAULT_CONTEXT_KEYWORDS)
    authz_functions: FrozenSet[str] = frozenset()
    authz_decorators: FrozenSet[str] = frozenset()
    api_decorators: FrozenSet[str] = frozenset()
    api_base_classes: FrozenSet[str] = frozenset()
    #: codes the current flake8 run would report; rules skip the rest.
    enabled_codes: Optional[FrozenSet[str]] = None

    def is_session_name(self, name: str) -> bool:
        return self.session_pattern.fullmatch(name) is not None

    def wants(self, code: str) -> bool:
        return self.enabled_codes is None or code in self.enabled_codes


DEFAULT_SETTINGS = Settings()


class ConfigError(ValueError):
    """A bad ``--dbsec-*`` value; the message names the option."""


# --- flake8 glue ------------------------------------------------------------

#: (option, dest, help, kind) where kind is "regex" or "list".
OPTION_SPECS: Tuple[Tuple[str, str, str, str], ...] = (
    (
        "--dbsec-session-pattern",
        "dbsec_session_pattern",
        "regex (full match) for the last name part of a session-like object; "
        "default: %s" % DEFAULT_SESSION_PATTERN,
        "regex",
    ),
    (
        "--dbsec-db-errors",
        "dbsec_db_errors",
        "extra exception class names (last dotted part) that count as DB errors",
        "list",
    ),
    (
        "--dbsec-integrity-errors",
        "dbsec_integrity_errors",
        "extra exception class names that count as integrity-only (DBS102)",
        "list",
    ),
    (
        "--dbsec-handler-decorators",
        "dbsec_handler_decorators",
        "decorators (last dotted part) that handle DB errors for the whole "
        "function, e.g. handle_conflicts",
        "list",
    ),
    (
        "--dbsec-handler-context-managers",
        "dbsec_handler_context_managers",
        "context managers (last dotted part of the called name) whose with "
        "block handles DB errors, e.g. ManagedSessionMaker",
        "list",
    ),
    (
        "--dbsec-identifier-pattern",
        "dbsec_identifier_pattern",
        "regex (search) on a logged value's name marking an identifier "
        "(DBS201); default: %s" % DEFAULT_IDENTIFIER_PATTERN,
        "regex",
    ),
    (
        "--dbsec-secret-pattern",
        "dbsec_secret_pattern",
        "regex (search) on a logged value's name marking a secret (DBS202)",
        "regex",
    ),
    (
        "--dbsec-masking-functions",
        "dbsec_masking_functions",
        "extra functions whose result is never a leak, e.g. mask_token",
        "list",
    ),
    (
        "--dbsec-concurrency-pattern",
        "dbsec_concurrency_pattern",
        "regex (search) on a WHERE column marking an optimistic-concurrency "
        "check (DBS302); default: %s" % DEFAULT_CONCURRENCY_PATTERN,
        "regex",
    ),
    (
        "--dbsec-logger-names",
        "dbsec_logger_names",
        "extra logger names (last name part, case-insensitive)",
        "list",
    ),
    (
        "--dbsec-write-methods",
        "dbsec_write_methods",
        "extra session methods that write to the database (like flush/commit)",
        "list",
    ),
    (
        "--dbsec-authz-functions",
        "dbsec_authz_functions",
        "extra calls that check authorization (DBS701), e.g. ensure_can_edit",
        "list",
    ),
    (
        "--dbsec-authz-decorators",
        "dbsec_authz_decorators",
        "extra decorators that check authorization before a handler runs (DBS701)",
        "list",
    ),
    (
        "--dbsec-api-decorators",
        "dbsec_api_decorators",
        "extra decorators that make a function an API request handler (DBS701)",
        "list",
    ),
    (
        "--dbsec-api-base-classes",
        "dbsec_api_base_classes",
        "extra base classes whose methods are API request handlers (DBS701)",
        "list",
    ),
    (
        "--dbsec-context-keywords",
        "dbsec_context_keywords",
        "oslo.log context keywords whose value counts as a logged identifier "
        "(DBS201); the others are left out as context the log format adds by "
        "design; empty: none count",
        "names",
    ),
)

#: The default of each option in OPTION_SPECS, for the generated README table.
#: A regex option replaces its default; a list option adds to the built-in names.
OPTION_DEFAULTS: dict[str, str] = {
    "--dbsec-session-pattern": DEFAULT_SESSION_PATTERN,
    "--dbsec-db-errors": ", ".join(OSLO_DB_ERRORS + SQLALCHEMY_ERRORS + DRIVER_ERRORS)
    + "; the error classes of the DB-API modules " + ", ".join(sorted(DBAPI_MODULES)),
    "--dbsec-integrity-errors": ", ".join(sorted(INTEGRITY_ERRORS)),
    "--dbsec-handler-decorators": "",
    "--dbsec-handler-context-managers": "",
    "--dbsec-identifier-pattern": DEFAULT_IDENTIFIER_PATTERN,
    "--dbsec-secret-pattern": DEFAULT_SECRET_PATTERN,
    "--dbsec-masking-functions": ", ".join(DEFAULT_MASKING_FUNCTIONS),
    "--dbsec-concurrency-pattern": DEFAULT_CONCURRENCY_PATTERN,
    "--dbsec-logger-names": ", ".join(DEFAULT_LOGGER_NAMES),
    "--dbsec-write-methods": ", ".join(DEFAULT_WRITE_METHODS),
    "--dbsec-context-keywords": ", ".join(DEFAULT_CONTEXT_KEYWORDS),
    "--dbsec-authz-functions": "can, authorize, enforce, check_policy, has_permission, has_perm... (see DBS701)",
    "--dbsec-authz-decorators": "login_required, permission_required, protected... (see DBS701)",
    "--dbsec-api-decorators": "route, get/post/put/patch/delete, api_route, expose, PlacementWsgify (see DBS701)",
    "--dbsec-api-base-classes": "MethodView, Resource, APIView, ViewSet, wsgi.Controller... (see DBS701)",
}

#: regex options matched against the whole name (the others are searched)
FULL_MATCH_OPTIONS = frozenset({"--dbsec-session-pattern"})


def add_options(manager) -> None:  # type: ignore[no-untyped-def]
    """Register the ``--dbsec-*`` options with flake8's option manager."""
    for flag, dest, help_text, kind in OPTION_SPECS:
        kwargs = dict(dest=dest, default=None, parse_from_config=True, help=help_text)
        if kind in ("list", "names"):
            kwargs["comma_separated_list"] = True
        manager.add_option(flag, **kwargs)
    manager.add_option(
        "--dbsec-project-model",
        dest="dbsec_project_model",
        default=None,
        parse_from_config=True,
        help="on (default): learn the project's database vocabulary across its "
        "files (handlers, sessions, loggers, helpers, model keys, callers); off: "
        "check each file on its own",
    )
    manager.add_option(
        "--dbsec-cache-dir",
        dest="dbsec_cache_dir",
        default=None,
        parse_from_config=True,
        help="where the project model keeps its per-file summaries (default: "
        "~/.cache/flake8-dbsec, $XDG_CACHE_HOME honoured); off: keep them in memory",
    )
    manager.add_option(
        "--dbsec-baseline",
        dest="dbsec_baseline",
        default=None,
        parse_from_config=True,
        help="a baseline file (python -m flake8_dbsec baseline); findings "
        "recorded in it are not reported; a relative path in a config file is "
        "relative to that file's directory",
    )
    _resolve_against_config(manager, "dbsec-baseline")


class _ConfigRelativePath:
    """A flake8 option whose value in a config file is a path relative to
    that file's directory (flake8's own ``normalize_paths`` leaves a bare
    file name such as ``.dbsec-baseline.json`` relative to the working
    directory, so running from a subdirectory would not find it).

    flake8 calls ``normalize(value, config_dir)`` only for config-file values;
    every other attribute is the wrapped option's.
    """

    def __init__(self, option: object) -> None:
        self._option = option

    def __getattr__(self, name: str) -> object:
        return getattr(self._option, name)

    def normalize(self, value: object, *parents: str) -> object:
        value = self._option.normalize(value, *parents)  # type: ignore[attr-defined]
        if isinstance(value, str) and value and parents and not os.path.isabs(value):
            value = os.path.abspath(os.path.join(parents[0], value))
        return value


def _resolve_against_config(manager, name: str) -> None:  # type: ignore[no-untyped-def]
    """Make config-file values of option ``name`` relative to the config file.

    Uses the option manager's ``config_options_dict`` (flake8 5 to 7); where
    it is missing, values stay relative to the working directory.
    """
    options = getattr(manager, "config_options_dict", None)
    if not isinstance(options, dict):  # pragma: no cover - another flake8
        return
    for key in (name, name.replace("-", "_")):
        if key in options and not isinstance(options[key], _ConfigRelativePath):
            options[key] = _ConfigRelativePath(options[key])


def _compile(flag: str, value: object, default: NamePattern) -> NamePattern:
    """A ``--dbsec-*-pattern`` value: valid, not empty, and safe to run.

    None (the option is not set) is the default. An empty value is an error,
    not the default: it would match every name, and is more likely an
    unset variable in a config file than a wish.
    """
    if value is None:
        return default
    if not isinstance(value, str):
        raise ConfigError(f"{flag}: expected a regular expression, got {value!r}")
    if not value:
        raise ConfigError(
            f"{flag}: empty regular expression (it would match every name); "
            "remove the option to use the default"
        )
    searched = flag not in FULL_MATCH_OPTIONS
    if len(value) > regex_safety.MAX_PATTERN_LENGTH:
        raise ConfigError(
            f"{flag}: regular expression {_shorten(value)} is longer than "
            f"{regex_safety.MAX_PATTERN_LENGTH:,} characters"
        )
    try:
        regex = re.compile(value)
        regex_safety.check(value, searched)
    except regex_safety.UnsafePattern as exc:
        raise ConfigError(f"{flag}: regular expression {_shorten(value)} {exc}") from None
    except (re.error, OverflowError, RecursionError, MemoryError, ValueError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc) or type(exc).__name__
        raise ConfigError(f"{flag}: invalid regular expression {_shorten(value)}: {why}") from None
    if searched and regex.search("") is not None:
        raise ConfigError(
            f"{flag}: regular expression {_shorten(value)} matches the empty string, "
            "so it would match every name"
        )
    return NamePattern(regex)


def _shorten(value: str, limit: int = 80) -> str:
    """``repr`` of a value, cut to stay on one readable line."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...'"


def _names(flag: str, value: object) -> Tuple[str, ...]:
    """The last parts of a comma-separated list of (dotted) Python names.

    Names are NFKC-normalized as Python normalizes identifiers, so a
    non-ASCII name in the config matches the same name in code; ``.a``,
    ``a..b`` and keywords such as ``class`` are not names.
    """
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    names = []
    for item in value:  # type: ignore[union-attr]
        item = unicodedata.normalize("NFKC", str(item).strip())
        if not item:
            continue
        parts = item.split(".")
        if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
            raise ConfigError(f"{flag}: {_shorten(item)} is not a Python name")
        names.append(parts[-1])
    return tuple(names)


def settings_from_options(options: object) -> Settings:
    """Validate the ``--dbsec-*`` values of a flake8 namespace.

    Raises :class:`ConfigError` with a one-line message naming the option.
    """

    def get(dest: str) -> object:
        return getattr(options, dest, None)

    base = DEFAULT_SETTINGS
    return replace(
        base,
        session_pattern=_compile(
            "--dbsec-session-pattern", get("dbsec_session_pattern"), base.session_pattern
        ),
        identifier_pattern=_compile(
            "--dbsec-identifier-pattern",
            get("dbsec_identifier_pattern"),
            base.identifier_pattern,
        ),
        secret_pattern=_compile(
            "--dbsec-secret-pattern", get("dbsec_secret_pattern"), base.secret_pattern
        ),
        concurrency_pattern=_compile(
            "--dbsec-concurrency-pattern",
            get("dbsec_concurrency_pattern"),
            base.concurrency_pattern,
        ),
        db_errors=base.db_errors
        | frozenset(_names("--dbsec-db-errors", get("dbsec_db_errors")))
        | frozenset(_names("--dbsec-integrity-errors", get("dbsec_integrity_errors"))),
        integrity_errors=base.integrity_errors
        | frozenset(_names("--dbsec-integrity-errors", get("dbsec_integrity_errors"))),
        handler_decorators=frozenset(
            _names("--dbsec-handler-decorators", get("dbsec_handler_decorators"))
        ),
        handler_context_managers=frozenset(
            _names(
                "--dbsec-handler-context-managers", get("dbsec_handler_context_managers")
            )
        ),
        masking_functions=base.masking_functions
        | frozenset(_names("--dbsec-masking-functions", get("dbsec_masking_functions"))),
        logger_names=base.logger_names
        | frozenset(
            n.lower() for n in _names("--dbsec-logger-names", get("dbsec_logger_names"))
        ),
        write_methods=base.write_methods
        | frozenset(_names("--dbsec-write-methods", get("dbsec_write_methods"))),
        authz_functions=frozenset(_names("--dbsec-authz-functions", get("dbsec_authz_functions"))),
        authz_decorators=frozenset(_names("--dbsec-authz-decorators", get("dbsec_authz_decorators"))),
        api_decorators=frozenset(_names("--dbsec-api-decorators", get("dbsec_api_decorators"))),
        api_base_classes=frozenset(_names("--dbsec-api-base-classes", get("dbsec_api_base_classes"))),
        context_keywords=_replacing_names(
            "--dbsec-context-keywords", get("dbsec_context_keywords"), base.context_keywords
        ),
    )


def _replacing_names(flag: str, value: object, default: FrozenSet[str]) -> FrozenSet[str]:
    """A list option that replaces its default; given but empty means none."""
    if value is None:
        return default
    return frozenset(_names(flag, value))


def project_model_enabled(options: object) -> bool:
    """``--dbsec-project-model``: on (default) or off; anything else is an error."""
    value = getattr(options, "dbsec_project_model", None)
    if value is None or str(value).strip() == "":
        return True
    word = str(value).strip().lower()
    if word in ("on", "yes", "true", "1"):
        return True
    if word in ("off", "no", "false", "0"):
        return False
    raise ConfigError(f"--dbsec-project-model: expected on or off, got {value!r}")


def enabled_codes(options: object, codes: Iterable[str]) -> Optional[FrozenSet[str]]:
    """The codes flake8 would report for this run, or None when unknown."""
    try:
        from flake8.style_guide import Decision, DecisionEngine

        engine = DecisionEngine(options)  # type: ignore[arg-type]
        return frozenset(
            c for c in codes if engine.decision_for(c) is Decision.Selected
        )
    except Exception:  # pragma: no cover - older/newer flake8 internals
        return None
