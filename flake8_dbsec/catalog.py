"""The rule catalog: the single source of truth for every DBS code.

The flake8 plugin, the SARIF formatter, the generated docs, the Semgrep parity
tests and ``python -m flake8_dbsec explain`` all read this module.  Codes never
change meaning once released (see ``../shared/dbsec-spec.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Tuple

FULL = "full"
PARTIAL = "partial"
NONE = "none"

#: A *bug* check reports code that is wrong whatever the team's conventions;
#: a *policy* check enforces a review rule a team adopts (spec, "Two kinds of
#: code"). Policy codes stay on by default but are meant to be adopted on new
#: code first (README, "Adopting policy codes").
BUG = "bug"
POLICY = "policy"
KINDS = (BUG, POLICY)


@dataclass(frozen=True)
class Rule:
    """One catalog entry.

    ``message`` is a ``str.format`` template; the rule module fills in the
    named fields.  It always says what was found and what to do.
    """

    code: str
    slug: str
    title: str
    message: str
    cwe: Tuple[int, ...]
    family: str
    kind: str = BUG
    default_on: bool = True
    implemented: bool = True
    semgrep: str = PARTIAL
    semgrep_reason: str = ""
    owasp: Tuple[str, ...] = ()
    likelihood: str = "MEDIUM"
    impact: str = "MEDIUM"
    confidence: str = "MEDIUM"
    severity: str = "warning"  # SARIF level
    references: Tuple[str, ...] = field(default_factory=tuple)

    @property
    def semgrep_id(self) -> str:
        return f"{self.code.lower()}-{self.slug}"

    def format(self, **fields: object) -> str:
        return f"{self.code} {self.message.format(**fields)}"

    @property
    def cwe_urls(self) -> Tuple[str, ...]:
        return tuple(
            f"https://cwe.mitre.org/data/definitions/{n}.html" for n in self.cwe
        )


OSLO_DB_EXC = "https://docs.openstack.org/oslo.db/latest/reference/exception.html"
SA_ERRORS = "https://docs.sqlalchemy.org/en/20/core/exceptions.html"
SA_ROWCOUNT = (
    "https://docs.sqlalchemy.org/en/20/core/connections.html"
    "#sqlalchemy.engine.CursorResult.rowcount"
)
SA_SESSION_BASICS = "https://docs.sqlalchemy.org/en/20/orm/session_basics.html"
SA_TEXT = "https://docs.sqlalchemy.org/en/20/core/sqlelement.html#sqlalchemy.sql.expression.text"
SA_VERSIONING = "https://docs.sqlalchemy.org/en/20/orm/versioning.html"
OSLO_ENGINEFACADE = "https://docs.openstack.org/oslo.db/latest/user/usage.html"
OSLO_LOG_GUIDE = "https://docs.openstack.org/oslo.log/latest/user/guidelines.html"
OSLO_MASK = "https://docs.openstack.org/oslo.utils/latest/reference/strutils.html"
DBAPI_PEP249 = "https://peps.python.org/pep-0249/"
OWASP_LOGGING = "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html"
OWASP_SQLI = "https://cheatsheetseries.owasp.org/cheatsheets/SQL_Injection_Prevention_Cheat_Sheet.html"

#: what the Semgrep pack leaves to flake8 for DBS101/DBS102: what only the
#: project model can decide (shared by both rules' ``semgrep_reason``)
PROJECT_HANDLING_GAP = (
    "; and it cannot read what flake8's project model reads, so it leaves "
    "to flake8 a write in a with block of a context manager that is not a "
    "known library one (SQLAlchemy, oslo.db, DB-API drivers, contextlib, "
    "locks, mocks) nor a parameter of the function, a write in a function "
    "with a decorator named for errors (expected_errors, fail_on_error), "
    "and, in a file with a DB-error or broad handler anywhere, a write in a "
    "function the file calls (f(...) within 60,000 characters after its "
    "def, self.f(...) up to 600 lines before it): where that context "
    "manager, decorator or caller does not handle the error, only flake8 "
    "reports"
)

_RULES = (
    Rule(
        code="DBS101",
        slug="db-write-without-error-handling",
        title="DB write with no handler for database errors",
        message=(
            "{what} has no handler for database errors in this function: a "
            "deadlock, lost connection or constraint violation escapes as a "
            "raw driver error; wrap it in try/except DBError (or "
            "SQLAlchemyError) and translate or retry"
        ),
        cwe=(703, 755),
        family="errors",
        kind=POLICY,
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep matches handler classes by name only (an aliased import "
            "such as 'DBError as DBErr' is not recognised), reports self.save() "
            "in a class whose own save() writes no database (pyload's "
            "ConfigParser) or on an object of a configuration module's class "
            "(gramps's ConfigManager), cannot tell that "
            "a lambda or nested function written inside a try body runs outside "
            "that try, and reads save() provenance from the library that made the "
            "object in this function only (not through a helper that returns it); "
            "a save() on a name imported from another module (calibre-web's "
            "'from . import config; config.save()') is left out like flake8 does, "
            "but where only a global or nonlocal statement or a del makes the "
            "name local again Semgrep still takes it for the import; a query "
            "handed through a module helper that filters it (cyborg's "
            "add_identity_filter(query, uuid)) is followed in some shapes only"
            + PROJECT_HANDLING_GAP
        ),
        references=(OSLO_DB_EXC, SA_ERRORS, OSLO_ENGINEFACADE),
    ),
    Rule(
        code="DBS102",
        slug="db-write-handles-only-integrity-errors",
        title="DB write whose handlers catch only integrity errors",
        message=(
            "{what} is only guarded by {handled}: deadlocks, lost connections "
            "and data errors escape; also handle DBError (or SQLAlchemyError)"
        ),
        cwe=(703,),
        family="errors",
        kind=POLICY,
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep matches the handler classes by name only (no import-alias "
            "resolution: 'IntegrityError as IE'); it sees a generic retry decorator retry "
            "deadlocks only when the decorator's own arguments name the deadlock "
            "class, not through a predicate function (retry_on_exception="
            "_retry_on_deadlock); it does not see that every caller of a "
            "function guards it with integrity-only handlers (the pack reports "
            "DBS101 there)"
            + PROJECT_HANDLING_GAP
        ),
        references=(OSLO_DB_EXC, SA_ERRORS),
    ),
    Rule(
        code="DBS103",
        slug="db-error-swallowed",
        title="Database error swallowed",
        message=(
            "handler for {handled} around a DB write does nothing: the failure "
            "is silently lost; log it, re-raise, or roll back and report"
        ),
        cwe=(391,),
        family="errors",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep reports at the except line only when the handler names a "
            "class (a bare 'except:' has no node to focus on) and matches a "
            "handler body of exactly one pass/continue/return (not '...' or a "
            "docstring); an inner try keeps a write's error from the outer "
            "handler when its own handler catches DB errors and never raises"
        ),
        likelihood="MEDIUM",
        impact="MEDIUM",
        references=(OSLO_DB_EXC, SA_ERRORS),
    ),
    Rule(
        code="DBS104",
        slug="dead-db-error-handler",
        title="Dead handler: try only stages changes, the DB error comes later",
        message=(
            "this try only stages changes ({staged}) and never flushes: the "
            "database error is raised at the next flush or commit, outside this "
            "handler; call session.flush() inside the try"
        ),
        cwe=(703,),
        family="errors",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep cannot tell that a helper receiving the session's owner "
            "(finish(context) after context.session.add(...)) may flush, nor that "
            "a broad handler guards other work in the try (cache.set(...) beside "
            "session.add(...)), so it reports such a try where flake8, "
            "conservatively, does not; and it takes a helper named for a "
            "commit or flush (commit(), self._flush()) for one without "
            "reading its body, so it misses a try whose helper only has "
            "the name"
        ),
        references=(SA_SESSION_BASICS, OSLO_DB_EXC),
    ),
    Rule(
        code="DBS201",
        slug="uuid-logged-at-debug",
        title="UUID/identifier logged at debug level",
        message=(
            "{names} logged at debug level: identifiers in debug logs let "
            "whoever reads the logs correlate and enumerate resources; log at "
            "info as a deliberate audit record, or drop the identifier"
        ),
        cwe=(532,),
        family="logging",
        kind=POLICY,
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep matches loggers by name or a getLogger() binding and "
            "logged values by a regex on their source text: it misses f-string "
            "fields with a conversion or format spec ({x!r}), walrus targets "
            "inside the call and locals followed over more than one assignment"
        ),
        owasp=("A09:2021 - Security Logging and Monitoring Failures",),
        likelihood="HIGH",
        impact="LOW",
        references=(OSLO_LOG_GUIDE, OWASP_LOGGING),
    ),
    Rule(
        code="DBS202",
        slug="secret-logged",
        title="Secret logged",
        message=(
            "{names} logged: passwords, tokens and DB URLs in logs are "
            "credentials in clear text; drop them or pass them through "
            "strutils.mask_password() first"
        ),
        cwe=(532,),
        family="logging",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep matches secret names with a regex on the logged "
            "expression's source text: it leaves out any call whose message "
            "has only numeric conversions (even if it also logs keywords), "
            "pairs a value with its conversion only for the first six values "
            "after a literal message (a later value with a secret's name is "
            "reported whatever its conversion), sees "
            "a masked local, a URL object, a UUID or a number only in the plain "
            "x = mask(...) / x = engine.url / x = uuid4() / x: UUID / x: int / "
            "x = int(...) shapes (a later rebinding of x is not seen), does not "
            "read a local bound to a DB URL f-string without a password part "
            "(f\"postgresql://postgres@{host}/db\"), does not "
            "know, as the project model does, which classes render without their "
            "secrets (a token row whose __repr__ prints a prefix, a dataclass or "
            "attrs class without a secret-named field, a row loaded by a query of "
            "such a class or kept on self), and misses f-string fields with a "
            "conversion ({x!r}) and calls under a .format() keyword. Whether "
            "a file authenticates (a session_id is a credential only there) "
            "is read from its text with a regex; where it does not, the pack "
            "leaves out every call that logs a session id, so a password "
            "logged beside one there is given up"
        ),
        owasp=("A09:2021 - Security Logging and Monitoring Failures",),
        likelihood="MEDIUM",
        impact="HIGH",
        severity="error",
        references=(OSLO_LOG_GUIDE, OSLO_MASK, OWASP_LOGGING),
    ),
    Rule(
        code="DBS301",
        slug="update-rowcount-unchecked",
        title="UPDATE whose affected-row count is never consulted",
        message=(
            "UPDATE of the row(s) with this {column} executed but its rowcount "
            "is never read: if no row matched, the change is silently lost; "
            "check result.rowcount (or use RETURNING)"
        ),
        cwe=(362, 252),
        family="rowcount",
        kind=POLICY,
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep knows sessions by name only (not locals bound from a session "
            "factory), cannot follow module functions that return a query, and "
            "reads row identity from the usual shapes: a key compared with == or "
            "in_() as a direct condition of where()/filter()/and_(), filter_by(), "
            "or SQL text, and takes as a key only a column named id or uuid "
            "(instance_uuid, node_uuid are keys only where the model says so, "
            "which it cannot read: such a statement is left to flake8); a "
            "statement whose key sits under or_/|/&, beside a "
            "subquery, or in filter_by(**kw) is left out of DBS301-DBS304 alike; "
            "a python-sql statement's where= keyword (cursor.execute(*t.update("
            "cols, vals, where=t.id == x))) is no row identity to it, nor a key "
            "inside SQLModel's col() (col(M.id) == x), nor SQL given as a list "
            "of fragments that the project's execute joins (isso's "
            "db.execute(['UPDATE comments SET', 'text=?', 'WHERE id=?']))"
        ),
        references=(SA_ROWCOUNT, DBAPI_PEP249),
    ),
    Rule(
        code="DBS302",
        slug="optimistic-lock-rowcount-unchecked",
        title="Optimistic-concurrency UPDATE whose row count is never consulted",
        message=(
            "UPDATE with a {column} check in WHERE, but its rowcount is never "
            "read: a concurrent update is silently lost; check result.rowcount"
        ),
        cwe=(362,),
        family="rowcount",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep knows sessions by name only (not locals bound from a session "
            "factory), cannot follow module functions that return a query, and "
            "reads row identity from the usual shapes: a key compared with == or "
            "in_() as a direct condition of where()/filter()/and_(), filter_by(), "
            "or SQL text, and takes as a key only a column named id or uuid "
            "(instance_uuid, node_uuid are keys only where the model says so, "
            "which it cannot read: such a statement is left to flake8); a "
            "statement whose key sits under or_/|/&, beside a "
            "subquery, or in filter_by(**kw) is left out of DBS301-DBS304 alike; a compare-and-swap on a state "
            "column is seen in .values(...) and update({...}) shapes"
        ),
        likelihood="MEDIUM",
        impact="HIGH",
        severity="error",
        references=(SA_ROWCOUNT, SA_VERSIONING),
    ),
    Rule(
        code="DBS303",
        slug="delete-rowcount-unchecked",
        title="DELETE whose row count is never consulted",
        message=(
            "DELETE of the row(s) with this {column} executed but its rowcount "
            "is never read: deleting nothing (already gone, wrong id) goes "
            "unnoticed; check result.rowcount"
        ),
        cwe=(252,),
        family="rowcount",
        kind=POLICY,
        default_on=False,
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep knows sessions by name only (not locals bound from a session "
            "factory), cannot follow module functions that return a query, and "
            "reads row identity from the usual shapes: a key compared with == or "
            "in_() as a direct condition of where()/filter()/and_(), filter_by(), "
            "or SQL text, and takes as a key only a column named id or uuid "
            "(instance_uuid, node_uuid are keys only where the model says so, "
            "which it cannot read: such a statement is left to flake8); a "
            "statement whose key sits under or_/|/&, beside a "
            "subquery, or in filter_by(**kw) is left out of DBS301-DBS304 alike, "
            "and so is a key inside SQLModel's col() (col(M.id) == x)"
        ),
        likelihood="LOW",
        impact="LOW",
        severity="note",
        references=(SA_ROWCOUNT, DBAPI_PEP249),
    ),
    Rule(
        code="DBS304",
        slug="bulk-rowcount-unchecked",
        title="Bulk UPDATE/DELETE whose row count is never consulted",
        message=(
            "bulk {statement} (its WHERE pins no row by key) executed but its "
            "rowcount is never read: if the code relies on it having matched "
            "rows, a no-op goes unnoticed; read result.rowcount"
        ),
        cwe=(252,),
        family="rowcount",
        kind=POLICY,
        default_on=False,
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep calls a statement bulk only when it names no key column "
            "at all (a key compared with != or notin_() makes it leave the "
            "statement to flake8) and compares at most one column for equality "
            "or IN (two may be the model's composite key or a unique "
            "constraint, which only the model tells: such a statement is left "
            "to flake8); a column named like an identifier (*_id, *_key, name) "
            "counts as a key column here, since the model that says whether it "
            "is unique is often in another module (dagster's run_id): flake8 "
            "reads it and reports the bulk ones, Semgrep leaves them; it knows "
            "sessions by name only, and cannot follow module functions that "
            "return a query; in a statement built in parentheses and bound to "
            "a local (stmt = (update(T).where(T.id == x))), it sees a key "
            "column only as an attribute with a whole-word name (T.id, T.uuid, "
            "T.guid, T.name, T.key), not a *_id or *_key one, nor a "
            "filter_by() keyword; SQL text's WHERE on a column that the "
            "project declares unique or primary elsewhere (CREATE TABLE text, "
            "an ORM __tablename__) is bulk to it, a row to flake8, and so is "
            "a single column the model declares unique under another name "
            "than its own (a hybrid property over Column(\"domain\", "
            "unique=True)); SQL text with a SELECT before its first WHERE (a "
            "subquery in a SET value) is left to flake8, which tells the "
            "subquery's WHERE from the statement's"
        ),
        likelihood="LOW",
        impact="LOW",
        severity="note",
        references=(SA_ROWCOUNT, DBAPI_PEP249),
    ),
    Rule(
        code="DBS401",
        slug="sql-built-from-strings",
        title="SQL text built from non-constant values",
        message=(
            "SQL built with {how} from non-constant values passed to {sink}: "
            "SQL injection; use bound parameters (execute(sql, params), "
            "text(':x').bindparams(x=v))"
        ),
        cwe=(89,),
        family="sql",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep reads the values spliced into a string by their shape and "
            "by constant propagation, not by following every local: a local "
            "holding a number (n = len(ids)) looks like a value, and any "
            "UPPER_CASE name counts as a constant, whatever it is bound to; "
            "the groups of a regex match that captures only digits (\\d+) "
            "look like values, since Semgrep does not read the pattern behind "
            "the match; placeholder lists, quoted names and loops over literals "
            "are recognised in the usual shapes only (a loop over a literal, an "
            "UPPER_CASE constant, a constant dict's items, or a local list of "
            "literals or of literal pairs); and it sees one function "
            "at a time, so a parameter that every caller in the project fills "
            "with a constant, or SQL text a project helper returns built from "
            "constants and its parameters ((clause, args) helpers), is a value "
            "to it; it does not read an allow-list reset before the call "
            "(if sort not in columns: sort = 'id'), and a quoting function called "
            "through a local (qi = self.quote_identifier; qi(name)) looks like "
            "a value to it; a list built by appending literals (conditions.append("
            "'name <= ?')) and then joined is a value to it, while a local list "
            "of literals that no method call changes is a constant to it even "
            "when it is extended with += later; a loop over a model table's columns (column.name) "
            "is a value to it, and so is a nested helper's parameter that every "
            "call in the enclosing function fills with a literal; and an "
            "f-string of a self attribute is safe to "
            "it when one method of the class stores random text in it (a "
            "savepoint name made from a UUID in start()), whatever the other "
            "stores of the attribute hold; an attribute that the project "
            "defines only as a literal in other modules (self.db.arg, each "
            "backend's placeholder) is a value to it; a local bound to "
            "cur.mogrify(\"...\", params) is safe to it; the items of a "
            "lowercase module-level map of literals are values to it (it cannot "
            "see whether the module changes the map later; a string bound once "
            "is a constant to its constant propagation, as to flake8), and so "
            "is a helper that returns one of a constant map's values; a column "
            "unpacked from fetched rows that the SELECT returns as a number "
            "(c.oid, count(*), a ::int cast) is a value to it unless it is "
            "named oid (or *_oid): the pack takes any value so named for a "
            "PostgreSQL OID, a number, also a parameter no caller fills; a "
            "project helper that returns literal text around a quoting "
            "helper's results (fully_qualified_table_name(schema, table)) is a "
            "value to it; and a template held in a class attribute and filled "
            "by .format() (self._SQL_INSERT.format(table_name=...)) is not read "
            "at all"
        ),
        owasp=("A03:2021 - Injection",),
        likelihood="MEDIUM",
        impact="HIGH",
        severity="error",
        references=(OWASP_SQLI, SA_TEXT, DBAPI_PEP249),
    ),
    Rule(
        code="DBS501",
        slug="hardcoded-db-password",
        title="Hard-coded database password",
        message=(
            "hard-coded database password in {where}: anyone with the source "
            "has the credential; read it from configuration or the environment"
        ),
        cwe=(798,),
        family="secrets",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep judges each constant piece of an f-string on its own (an "
            "f-string that is prose only as a whole is reported when one piece "
            "holds a URL), reads an f-string URL with an interpolated user from "
            "its source line, and counts a literal only where a value can stand "
            "(call arguments, assignments, returns, collections, comparisons, "
            "defaults): it has no test for a bare string statement; text "
            "printed for the user (print, click's echo) is left alone by the "
            "called name, as flake8 does"
        ),
        owasp=("A07:2021 - Identification and Authentication Failures",),
        likelihood="MEDIUM",
        impact="HIGH",
        severity="error",
        references=(
            "https://docs.sqlalchemy.org/en/20/core/engines.html#database-urls",
        ),
    ),
    Rule(
        code="DBS601",
        slug="db-resource-not-closed",
        title="Session, connection or cursor that leaks on error",
        message=(
            "{what} is created outside a with block and not closed in a "
            "finally: it leaks when an error is raised; use 'with' (or close "
            "it in finally)"
        ),
        cwe=(664, 772),
        family="resources",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep cannot resolve sessionmaker-made factories defined at "
            "module level (SessionLocal()), relates a cursor to its connection "
            "by the receiver's name only (conn.cursor() and "
            "conn.connection.cursor() of a with target; not a connection "
            "reached otherwise), "
            "takes a module imported under the name sqlite3 for sqlite3, and "
            "leaves a connection entered by hand (connect().__enter__()) to "
            "flake8 once it is bound to a local, and does not see a nested "
            "function that reads the object handed on (self.run_sql = "
            "run_sql: the closure keeps it); a connection created in a try "
            "whose next statement after the try closes it is left alone even "
            "when more work follows the creation inside the try (Semgrep "
            "cannot tell the try body's last statement); and it does not read "
            "a module function that stores the object on another of its "
            "arguments (piecash's adapt_session(s, book=b): book.session = "
            "session), which flake8 follows to where that argument goes"
        ),
        references=(SA_SESSION_BASICS, DBAPI_PEP249),
    ),
    Rule(
        code="DBS602",
        slug="failed-transaction-left-open",
        title="DB error caught but the failed transaction is left open",
        message=(
            "{handled} caught after a write, but the session is neither rolled "
            "back, closed nor is the error re-raised: its next use fails "
            "(PendingRollbackError) or commits a broken transaction; call "
            "session.rollback() or re-raise"
        ),
        cwe=(664,),
        family="errors",
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep cannot focus a bare 'except:' and cannot tell which with "
            "block manages the session: it skips every try inside a with block "
            "without a target or with a session-like target, and every write in "
            "a with block or a begin()/begin_nested()/using()/atomic() block "
            "inside the try (also a local bound to such a call and entered "
            "later: trans = conn.begin_nested(); with trans:, without checking "
            "that every binding of the local is one), whichever session that "
            "block manages; it cannot "
            "relate a Flask request teardown (or Flask-SQLAlchemy's db.session) "
            "to the route whose handler returns, so it leaves every route "
            "handler whose except returns to flake8; and it cannot read a "
            "project helper the handler calls that rolls back or closes the "
            "connection (handle_error_and_return_response(e, db=db), a method "
            "of the class that closes its connections), and still reports those"
        ),
        references=(SA_SESSION_BASICS, OSLO_ENGINEFACADE),
    ),
    Rule(
        code="DBS701",
        slug="api-write-without-authorization",
        title="API handler writes without an authorization check",
        message=(
            "{what} in API request handler {handler} with no authorization "
            "check before it: whoever can reach this route can change or "
            "delete these records; check the policy first (context.can(...), "
            "a permission decorator or dependency)"
        ),
        cwe=(285, 862),
        family="authz",
        default_on=False,
        semgrep=PARTIAL,
        semgrep_reason=(
            "Semgrep sees one file: it recognises Flask/FastAPI route "
            "decorators, Django/DRF view methods and OpenStack-style "
            "handlers with a direct UPDATE/DELETE in their own body, and a "
            "check written before it in that body or a guarding decorator; "
            "it cannot follow the handler into project functions (handler "
            "-> service -> DB), nested helpers or checks made in a called "
            "helper; and it tells a view class's handler methods by the "
            "class's base and the method's name separately, so a function "
            "nested in a method of such a class and named like an HTTP method "
            "passes for a handler; and, since it cannot read the project's own "
            "decorators, it takes any decorator named for authentication "
            "(user_login_required, requires_basic_auth_if_no_ano, "
            "*_admin_required) as a guard where flake8 reads whether its "
            "wrapper checks"
        ),
        owasp=("A01:2021 - Broken Access Control",),
        likelihood="MEDIUM",
        impact="HIGH",
        severity="warning",
        references=(
            "https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html",
            "https://docs.openstack.org/oslo.policy/latest/",
        ),
    ),
)

RULES: Dict[str, Rule] = {rule.code: rule for rule in _RULES}
IMPLEMENTED: Dict[str, Rule] = {c: r for c, r in RULES.items() if r.implemented}
BY_SEMGREP_ID: Dict[str, Rule] = {r.semgrep_id: r for r in _RULES}
DEFAULT_OFF: Tuple[str, ...] = tuple(
    c for c, r in IMPLEMENTED.items() if not r.default_on
)


def rule(code: str) -> Rule:
    return RULES[code]
