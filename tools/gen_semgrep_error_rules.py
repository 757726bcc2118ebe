"""Generate the error-family Semgrep YAMLs (DBS101-104, DBS602); the output is committed.

Every try shape (bare/named/tuple handler x else/finally) needs its own
Semgrep pattern, so these rules are generated: edit this file, run
``python tools/gen_semgrep_error_rules.py`` and commit the YAML.
"""
import pathlib
import sys
import textwrap

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from flake8_dbsec.catalog import RULES
from flake8_dbsec.options import INTEGRITY_ERRORS

SESSION_RE = r"^([\s\S]*\.)?(session|\w*_session|sess|conn|connection|\w*_conn|\w*_connection|cursor|cur|\w*_cursor|db)$"
DB_NAMES = ("DBError|DBDeadlock|DBConnectionError|DBDataError|DBInvalidUnicodeParameter|"
            "DBNonExistentConstraint|DBNonExistentTable|DBNonExistentDatabase|DBNotSupportedError|"
            "DBMigrationError|CantStartEngineError|SQLAlchemyError|DBAPIError|OperationalError|"
            "DatabaseError|StatementError|InterfaceError|DataError|ProgrammingError|InternalError|"
            "PendingRollbackError|NotSupportedError|StaleDataError|FlushError|InvalidRequestError|"
            "DeadlockDetected|Exception|BaseException")
DBAPI = "sqlite3|psycopg2|psycopg|pymysql|MySQLdb|cx_Oracle|oracledb|pyodbc|asyncpg|aiosqlite|aiomysql|pg8000"
#: the plugin's integrity-error classes (``options.INTEGRITY_ERRORS``), longest first
INTEGRITY = "|".join(sorted(INTEGRITY_ERRORS, key=lambda name: (-len(name), name)))
#: handler catches a non-integrity DB error or is broad (search anywhere in the class text)
HANDLING_RE = (r"^[\s\S]*?\b(" + DB_NAMES + r")\b|^[\s\S]*?\b(" + DBAPI +
               r")\.([\w]+\.)*(?!(" + INTEGRITY + r")\b)\w*(Error|Violation|Detected|Exception)\b")
#: any DB-error class, integrity-only ones included, or broad
ANY_DB_RE = HANDLING_RE + r"|^[\s\S]*?\b(" + INTEGRITY + r")\b"
INT_ONE = r"\s*([\w]+(\(\))?\.)*(" + INTEGRITY + r")\s*"
INTEGRITY_RE = r"^\(?" + INT_ONE + r"(," + INT_ONE + r")*,?\s*\)?$"


def ind(text, n):
    return textwrap.indent(textwrap.dedent(text).strip("\n"), " " * n)


def tries(handler_header, body_var="$...BODY", handler_body="...", tails=True):
    """try statement patterns with every else/finally tail."""
    out = []
    tail_list = ["", "else:\n    ...\n", "finally:\n    ...\n", "else:\n    ...\nfinally:\n    ...\n"] if tails else [""]
    for tail in tail_list:
        out.append(f"try:\n    {body_var}\n{handler_header}:\n    {handler_body}\n{tail}")
    return out


def pattern_list(patterns, n):
    lines = []
    for p in patterns:
        lines.append(" " * n + "- pattern: |")
        lines.append(ind(p, n + 4))
    return "\n".join(lines)


def try_with_handler(kind_regex, body_var="$...BODY", handler_body="...", with_bare=True, e="$E"):
    """pattern-either over try shapes whose handler class matches kind_regex."""
    typed = []
    n = "$N" if e == "$E" else e + "_AS"
    for form in (f"except {e} as {n}", f"except (..., {e}, ...)", f"except (..., {e}, ...) as {n}"):
        typed += tries(form, body_var, handler_body)
    s = "- pattern-either:\n"
    if with_bare:
        s += "  - pattern-either:\n" + pattern_list(tries("except", body_var, handler_body), 4) + "\n"
    s += "  - patterns:\n    - pattern-either:\n" + pattern_list(typed, 6) + "\n"
    s += f"    - metavariable-regex:\n        metavariable: {e}\n        regex: '{kind_regex}'\n"
    return s


#: the executed statement is an INSERT/UPDATE/DELETE, seen through locals by
#: Semgrep's symbolic propagation (``stmt = t.update(); stmt = stmt.where(...)``,
#: and a name rebound to a SELECT later is a SELECT there: flow-sensitive)
WRITE_STMT = """
- pattern-either:
  - pattern: <... sqlalchemy.update(...) ...>
  - pattern: <... sqlalchemy.insert(...) ...>
  - pattern: <... sqlalchemy.delete(...) ...>
  - pattern: <... $M.update(...) ...>
  - pattern: <... $M.insert(...) ...>
  - pattern: <... $M.delete(...) ...>
  - pattern: |
      "=~/(?i)^\\s*(insert|update|delete|replace|merge)(\\W|$)/"
"""

QUERY = r"""
- pattern-either:
  - patterns:
    - pattern: $SQ.query(...)
    - metavariable-regex:
        metavariable: $SQ
        regex: '%s'
  - pattern: model_query(...)
  - pattern: $MQ.model_query(...)
  - patterns:
    - pattern: $MODEL.query
    # Flask-SQLAlchemy's Model.query, an attribute: meta.Session.query(M) is
    # a call on a session named Session, which is not session-like
    - pattern-not-inside: $MODEL.query(...)
    - metavariable-regex:
        metavariable: $MODEL
        regex: '^([\s\S]*\.)?[A-Z]\w*$'
""" % SESSION_RE


VISIBLE_QUERY = r"""
- patterns:
  - pattern: $SQ.query(...)
  - metavariable-regex:
      metavariable: $SQ
      regex: '%s'
""" % SESSION_RE

ROW_METHODS = ("first|one|one_or_none|get|all|scalar|scalars|scalar_one|scalar_one_or_none|"
               "fetchone|fetchall|fetchmany|first_or_404|get_or_404|one_or_404|mappings|count")
#: a query chain ends at a row-returning call: ``row = q.first(); row.update(v)``
_ROW_CALL = r"[\s\S]*\.[\s\\]*(" + ROW_METHODS + r")\([^()]*(\([^()]*\)[^()]*)*\)"
#: text that does not end in a row-returning call, bare or in parentheses
#: (``result = (model_query(...)\n.first()\n)`` holds a row, not a query)
NOT_A_ROW_RE = r"^(?!(\(" + _ROW_CALL + r"\s*\)|" + _ROW_CALL + r")\s*$)"

#: ``row = q.first(); row.update(values)``: through the local (symbolic
#: propagation) the receiver is a row, not a query
NOT_A_ROW_SYMBOLIC = "\n".join(
    f"- pattern-not: $ROWQ.{m}(...).{op}(...)" for m in ROW_METHODS.split("|")
    for op in ("update", "delete"))
#: ... nor a receiver made by a plain function (set(...), a helper), whatever
#: symbolic propagation finds in its arguments
NOT_A_ROW_SYMBOLIC += """
- pattern-not:
    patterns:
    - pattern-either:
      - pattern: $MAKER(...).update(...)
      - pattern: $MAKER(...).delete(...)
    - metavariable-regex:
        metavariable: $MAKER
        regex: '^(?!(?:[\\w.]*\\.)?model_query$)[A-Za-z_]\\w*$'"""

BULK = """
- pattern-either:
  - pattern: $Q.update($VALUES, ...)
  - pattern: $Q.update(values=$VALUES, ...)
  - pattern: $Q.delete()
  - pattern: $Q.delete($KW=$KV, ...)
"""


#: a statement handed through a helper function (``query =
#: self._apply_criteria(ctx, table, query)``) is the helper's business: flake8
#: follows locals, not calls (a statement's own methods are not helpers)
HELPER = """
- pattern-not:
    patterns:
    - pattern-either:
      - pattern: {S}.execute($HELPER(...), ...)
      - pattern: {S}.exec_driver_sql($HELPER(...), ...)
      - pattern: {S}.executescript($HELPER(...), ...)
    - metavariable-regex:
        metavariable: $HELPER
        regex: '^(?!(?:[\\w.]*\\.)?(?:text|update|insert|delete|where|filter|filter_by|values|ordered_values|returning|return_defaults|execution_options|with_hint|prefix_with|suffix_with|limit|order_by|inline|correlate)$)[\\w.]+$'
"""


#: execute-family calls, by their literal names: Semgrep's matcher rejects
#: every other call at the name (``$S.$EXEC(...)`` plus a regex matched every
#: method call, and each one against every ``$STMT = ...`` region)
EXECUTE = """
- pattern-either:
  - pattern: {S}.execute($STMT, ...)
  - pattern: {S}.exec_driver_sql($STMT, ...)
  - pattern: {S}.executescript($STMT, ...)
"""


#: libraries whose objects have a save() that is no DB write (the flake8
#: rule's NON_DB_SAVE_MODULES): an image, a document, a translation catalog, a
#: job-queue job, an ML model
NON_DB_SAVE_MODULES = ("PIL", "imageio", "wand", "cv2", "babel", "polib", "rq", "huey", "docx",
                       "pptx", "openpyxl", "xlsxwriter", "reportlab", "keras", "tensorflow",
                       "torch", "gensim", "spacy", "joblib", "matplotlib", "configobj",
                       "zipfile", "tarfile")
#: seen through the local with symbolic propagation: ``img.save()`` after
#: ``img = Image.open(p)`` is ``PIL.Image.open(p).save()`` to Semgrep. One
#: pattern-not whose receiver is matched against the modules: 69 file-wide
#: ``<... PIL.$MAKER ...>.save(...)`` negations cost 1.2 s of DBS101's 1.3 s
#: on manila's 8,500-line db/sqlalchemy/api.py; this looks only at the
#: receivers of save() calls.
_MADE_OUTSIDE = """    - pattern-not:
        patterns:
        - pattern: $MADE.save(...)
        - metavariable-pattern:
            metavariable: $MADE
            pattern-either:
""" + "\n".join(
    f"            - pattern: <... {m}.{attrs} ...>"
    for m in NON_DB_SAVE_MODULES for attrs in ("$MAKER", "$PART.$MAKER", "$PART.$SUB.$MAKER"))
_ANNOTATED_OUTSIDE = "\n".join(
    f"""    - pattern-not-inside: |
        def $FUNC(..., $OBJ: {m}.$MOD.$CLASS, ...):
          ...""" for m in ("rq", "PIL", "babel"))

#: ``config.save()`` on a name imported from another module is that module's
#: object or function, not an ORM row (flake8: ``Scope.shadows_import``).
#: Semgrep resolves ``from pkg import config`` so that ``config.save()`` is
#: ``pkg.config.save()``, and does not resolve a parameter of the same name; a
#: local assignment, loop or ``with`` target hides the import as in Python.
_IMPORTED_RECEIVER = """    - pattern-not:
        patterns:
        - pattern-either:
          - patterns:
            - pattern: $OBJ.save(...)
            - pattern: $MOD.$NAME.save(...)
            - metavariable-regex:
                metavariable: $OBJ
                regex: '^\\w+$'
          - patterns:
            - pattern-inside: |
                import $OBJ
                ...
            - pattern: $OBJ.save(...)
            - pattern-not-inside: |
                def $FUNC(..., $OBJ, ...):
                  ...
        - pattern-not-inside: |
            $OBJ = $VALUE
            ...
        - pattern-not-inside: |
            for $OBJ in $ITEMS:
              ...
        - pattern-not-inside: |
            with $CM as $OBJ:
              ..."""

#: the saves whose session is not visible in the call (left out for DBS602)
SESSIONLESS_SAVES = """  - patterns:
    - pattern-either:
      - pattern: $OBJ.save()
      # keywords only (instance.save(expected_task_state=...)); a positional
      # argument makes it a file or model save (np.save(path, arr, allow_pickle=False))
      - patterns:
        - pattern: $OBJ.save($KW=$KV, ...)
        - pattern-not: $OBJ.save($POSITIONAL, ...)
    # provenance: an object made by a library that is not the database
    # (img = Image.open(p); catalog = read_po(f); job = queue.enqueue(f))
""" + _MADE_OUTSIDE + "\n" + _ANNOTATED_OUTSIDE + "\n" + _IMPORTED_RECEIVER + "\n"


def writes(session_var="$S", visible_session=False, focus=False):
    """The DB-write vocabulary (spec) as a Semgrep pattern-either.

    visible_session: only writes whose session is visible in the call (DBS602):
    no ``X.save()`` without a session, no ``model_query``/``Model.query`` chains.
    focus: the finding is the write itself (DBS101/102): report it on the line
    flake8 reports, the receiver's (``x = (\n    session.query(...)...update()\n)``
    starts at the parenthesis for Semgrep, at ``session`` for flake8)."""
    S = session_var
    text = _writes(S, focus)
    if visible_session:
        text = text.replace(SESSIONLESS_SAVES, "")
        text = text.replace(ind(QUERY, 10), ind(VISIBLE_QUERY, 10))
        assert "$OBJ.save()" not in text and "pattern: model_query" not in text
    return text


def _writes(S, focus=False):
    #: DBS101/102 report the write itself: on the receiver's line (a
    #: parenthesised chain starts at the parenthesis for Semgrep)
    fs = f"    - focus-metavariable: {S}\n" if focus else ""
    fq = "    - focus-metavariable: $Q\n" if focus else ""
    return f"""
# a DB write (spec vocabulary): session flush/commit/bulk/executemany,
# execute(INSERT|UPDATE|DELETE...), X.save(session), X.save(), ORM bulk
# query update/delete
- pattern-either:
  - patterns:
    - pattern-either:
      - pattern: {S}.flush(...)
      - pattern: {S}.commit()
      - pattern: {S}.bulk_save_objects(...)
      - pattern: {S}.bulk_insert_mappings(...)
      - pattern: {S}.bulk_update_mappings(...)
      - pattern: {S}.executemany(...)
    - metavariable-regex:
        metavariable: {S}
        regex: '{SESSION_RE}'
{fs}  # execute(INSERT|UPDATE|DELETE ...): the receiver is tested before the
  # statement's metavariable-pattern; tested after it, Semgrep (1.187) drops
  # the whole file with "Invalid_argument: String.sub" when the statement is
  # a local bound to an imported table's insert() (dagster's run storage)
  - patterns:
{ind(EXECUTE.format(S=S), 4)}
    - metavariable-regex:
        metavariable: {S}
        regex: '{SESSION_RE}'
    - metavariable-pattern:
        metavariable: $STMT
        patterns:
{ind(WRITE_STMT, 10)}
{ind(HELPER.format(S=S), 4)}
{fs}  # X.save(session) and X.save(session, flag=...): one positional
  # argument, the session (img.save(buf, format="PNG") is a file)
  - patterns:
    - pattern: $OBJ.save({S}, ...)
    - pattern-not: $OBJ.save({S}, $SECOND, ...)
    - metavariable-regex:
        metavariable: {S}
        regex: '{SESSION_RE}'
{SESSIONLESS_SAVES}  - patterns:
{ind(BULK, 4)}
    - pattern-inside: |
        $QNAME = $QBUILT
        ...
    # the local occurs in the receiver chain; unified by the matcher, not by
    # a metavariable-pattern per (assignment, call) pair, which was
    # quadratic on modules with hundreds of assignments
    - pattern-either:
      - pattern: <... $QNAME ...>.update(...)
      - pattern: <... $QNAME ...>.delete(...)
    - metavariable-regex:
        metavariable: $Q
        regex: '{NOT_A_ROW_RE}'
    - metavariable-pattern:
        metavariable: $QBUILT
        patterns:
{ind(QUERY, 10)}
    - metavariable-regex:
        metavariable: $QBUILT
        regex: '{NOT_A_ROW_RE}'
{ind(NOT_A_ROW_SYMBOLIC, 4)}
{fq}  - patterns:
{ind(BULK, 4)}
    - metavariable-pattern:
        metavariable: $Q
        patterns:
{ind(QUERY, 10)}
    - metavariable-regex:
        metavariable: $Q
        regex: '{NOT_A_ROW_RE}'
{ind(NOT_A_ROW_SYMBOLIC, 4)}
{fq}"""


CWE = {
    703: "CWE-703: Improper Check or Handling of Exceptional Conditions",
    755: "CWE-755: Improper Handling of Exceptional Conditions",
    391: "CWE-391: Unchecked Error Condition",
    664: "CWE-664: Improper Control of a Resource Through its Lifetime",
    772: "CWE-772: Missing Release of Resource after Effective Lifetime",
    362: "CWE-362: Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')",
    252: "CWE-252: Unchecked Return Value",
}


def header(code, message, technology=("python", "sqlalchemy", "oslo.db", "dbapi"), symbolic=True,
           subcategory="audit", generated_by=None,
           symbolic_why="an executed statement is followed through locals, flow-sensitively"):
    """The rule's head: id, message and the registry metadata from the catalog
    (shared by every generator in tools/)."""
    r = RULES[code]
    sev = {"error": "ERROR", "warning": "WARNING", "note": "INFO"}[r.severity]
    refs = "\n".join(f"    - {u}" for u in r.references)
    cwes = "\n".join(f'    - "{CWE[n]}"' for n in r.cwe)
    generated = f"  # Generated by {generated_by}: edit that, not this file.\n" if generated_by else ""
    return f"""rules:
- id: {r.semgrep_id}
{generated}  languages: [python]
  severity: {sev}
  message: >-
{ind(message, 4)}
  metadata:
    flake8-code: {code}
    flake8-kind: {r.kind}
    cwe:
{cwes}
    category: security
    subcategory: [{subcategory}]
    technology: [{", ".join(technology)}]
    likelihood: {r.likelihood}
    impact: {r.impact}
    confidence: {r.confidence}
    references:
{refs}
""" + (f"""  options:
    # {symbolic_why}
    symbolic_propagation: true
""" if symbolic else "")


def not_handled(kind_regex=None):
    kind_regex = kind_regex or HANDLING_RE
    return ("# not in the body of a try whose handler catches DB errors\n"
            "- pattern-not-inside:\n    patterns:\n"
            + ind(try_with_handler(kind_regex, body_var="$...GUARDED", e="$HANDLED"), 4)
            + "\n    - focus-metavariable: $...GUARDED\n")


#: words every DB write (the ``writes()`` vocabulary) has in its source text
WRITE_WORDS = (r"flush|commit|bulk_save_objects|bulk_insert_mappings|bulk_update_mappings|"
               r"executemany|execute|exec_driver_sql|executescript|save|update|delete")
STAGING_WORDS = r"add|add_all|delete|merge"


def file_gate(*word_groups):
    """A ``pattern-regex`` over the whole file that holds when the file has a
    word of every group: what any finding of the rule needs in its text.

    Semgrep builds its per-file prefilter from it (rules made only of
    metavariables, like bare ``except:`` shapes, get none otherwise) and skips
    files that fail it. The range is the whole file, so findings keep their
    positions."""
    looks = "".join(r"(?=[\s\S]*?\b(?:" + g + r")\b)" for g in word_groups)
    return ("# the whole file, when it has the words a finding needs: lets Semgrep\n"
            "# skip (not even parse) files without them\n"
            "- pattern-regex: '\\A" + looks + r"[\s\S]*'" + "\n")


def not_delegating_save():
    """``super().save(...)`` in a ``save()`` override only hands the write on;
    every call of the override is a write reported where it is made."""
    return ("# super().save() in a save() override hands the write on: the callers\n"
            "# of the override are reported where they call it\n"
            "- pattern-not-inside:\n    patterns:\n    - pattern: super(...).save(...)\n"
            "    - pattern-inside: |\n        def save(...):\n            ...\n")


#: context managers of the libraries (SQLAlchemy, oslo.db, DB-API drivers,
#: oslo.utils, the standard library) that hand a DB error on: a write inside
#: one is still judged by its own function. Any other ``with f(...)`` is a
#: project's, which may roll back and translate (mlflow's
#: ``ManagedSessionMaker``, glance's ``get_db``): flake8's project model reads
#: its definition, Semgrep cannot, so DBS101/102 leave its block alone.
LIBRARY_CONTEXT_MANAGERS = (
    # SQLAlchemy, oslo.db enginefacade (writer.using(ctx)), DB-API drivers,
    # peewee/sqlite-utils transactions
    "begin|begin_nested|begin_twophase|connect|raw_connection|cursor|connection|using|"
    "atomic|transaction|savepoint|Session|AsyncSession|"
    # oslo.utils, oslo.concurrency, threading
    "save_and_reraise_exception|lock|synchronized|external_lock|Lock|RLock|Semaphore|"
    "BoundedSemaphore|Condition|"
    # contextlib, tempfile, io, unittest.mock, asyncio, concurrent.futures, warnings
    "closing|nullcontext|suppress|ExitStack|AsyncExitStack|redirect_stdout|redirect_stderr|"
    "chdir|open|TemporaryDirectory|NamedTemporaryFile|TemporaryFile|patch|object|dict|"
    "timeout|TaskGroup|ThreadPoolExecutor|ProcessPoolExecutor|catch_warnings|"
    # OpenTelemetry spans
    "start_as_current_span|start_span")

NOT_IN_PROJECT_CONTEXT_MANAGER = r"""# inside a with block of a project's context manager (one that is not the
# libraries'): it may roll back and translate the block's DB errors (mlflow's
# ManagedSessionMaker, glance's get_db); flake8's project model reads its
# definition, Semgrep cannot, so the block is left to flake8
- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern: |
          with $CMF(...):
              ...
      - pattern: |
          with $CMF(...) as $CMV:
              ...
      - pattern: |
          async with $CMF(...):
              ...
      - pattern: |
          async with $CMF(...) as $CMV:
              ...
    - metavariable-regex:
        metavariable: $CMF
        regex: '^(?!(?:[\s\S]*\.)?(?:%s)$)'
    # ... but a factory passed in as a parameter is nobody's definition:
    # flake8 cannot resolve it either and judges the write by its function
    - pattern-not-inside: |
        def $CMDEF(..., $CMF, ...):
            ...
    - pattern-not-inside: |
        def $CMDEF(..., $CMF: $CMT, ...):
            ...
    - pattern-not-inside: |
        def $CMDEF(..., $CMF=$CMD, ...):
            ...
    - pattern-not-inside: |
        def $CMDEF(..., $CMF: $CMT = $CMD, ...):
            ...
""" % LIBRARY_CONTEXT_MANAGERS

#: a handler that catches a DB error or is broad, in the file's text (the
#: whole-file condition of the callers' exclusion below)
FILE_HANDLER_RE = (r"\A(?=[\s\S]*?(?:\bexcept[ \t]*:|\bexcept\b[^:]{0,400}?\b(?:" + DB_NAMES + r"|(?:" +
                   DBAPI + r")\.[\w.]*Error)\b))[\s\S]*")


#: a function's body in the file's text: its ``def`` line, then the lines
#: indented deeper than it (or blank), and the closing ``)`` (or ``]``) of a
#: signature written over several lines at the def's indentation (black's
#: style); a docstring line written further left ends it early (the write
#: after it is then not left out)
_DEF = r"(?P<IND>[ \t]*)(?:async[ \t]+)?def[ \t]+"
_BODY = r"[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n|(?P=IND)(?:[ \t]+|[)\]])[^\n]*(?:\n|\z))*"
#: a call of the function named FUNC (``f(...)``, ``self.f(...)``,
#: ``cls.f(...)``; not ``other.f(...)``, not its ``def``)
_CALL = r"(?<![\w.])(?<!def )(?:self\.|cls\.)?(?P=FUNC)[ \t]*\("
#: how far the callers' exclusion looks from a function for its call site:
#: a lookahead over the rest of the file from every ``def`` is quadratic
#: (0.9 s of PCRE on nova's compute/manager.py and virt/libvirt/driver.py, the
#: files that timed out under load); bounded, it is linear in the file (0.1 s),
#: and a call further away than this is not seen (the write stays reported)
CALL_WINDOW_CHARS = 60000
#: the same bound for a method called before its ``def``, in lines: PCRE
#: copies a bounded group once per repetition, so it stays in the hundreds
CALL_WINDOW_LINES = 600
#: the function, when the file calls it further down (within the window)
CALLED_AFTER_RE = (r"(?m)^" + _DEF + r"(?P<FUNC>\w+)[ \t]*\((?=[\s\S]{0,%d}?" % CALL_WINDOW_CHARS
                   + _CALL + ")" + _BODY)
#: from a method call (self.f(...), cls.f(...)) to the end of the method f
#: defined further down in the same indented block (the lines in between are
#: blank or indented; read line by line, within the window); FUNC is unified
#: with the function that holds the write, so the methods in between are not
#: left out. The match (call to end of f) is one Semgrep range, and the
#: matches of one regex do not overlap: a call inside that range (often in f's
#: own body) is not read again. So the method calls are read by several
#: regexes, each for one class of names: split by the initial letter (after
#: underscores), and split again by the length of the name modulo 27; a call
#: is hidden only behind a longer match of a method with the same initial and
#: a name length of the same class (then that write stays reported). One split
#: alone left helpers hidden: by initial, those sharing a prefix with their
#: caller (_cleanup_incomplete_*, _cleanup_one_*); by length, others
CALLED_BEFORE_RE = (r"(?<![\w.])(?:self|cls)\.(?P<FUNC>%s)(?!\w)[ \t]*\([^\n]*\n"
                    r"(?:(?:[ \t][^\n]*)?\n){0,%d}?" + _DEF + r"(?P=FUNC)[ \t]*\(" + _BODY)
METHOD_INITIALS = tuple(c + c.upper() for c in "abcdefghijklmnopqrstuvwxyz") + ("0-9",)
METHOD_LENGTHS = 27
METHOD_NAME_CLASSES = (tuple(r"_*[%s]\w*" % initial for initial in METHOD_INITIALS)
                       + tuple(r"\w{%d}(?:\w{%d})*" % (n, METHOD_LENGTHS)
                               for n in range(1, METHOD_LENGTHS + 1)))
CALLED_BEFORE_RES = tuple(CALLED_BEFORE_RE % (names, CALL_WINDOW_LINES) for names in METHOD_NAME_CLASSES)


def _quote(regex):
    return "'" + regex.replace("'", "''") + "'"


NOT_CALLED_IN_FILE = ("""# in a function that the file calls (f(...) below its def, self.f(...) or
# cls.f(...) above it in its class; within a window), in a file that has a DB-error or broad
# handler: that handler may be on the call path. flake8 follows every call
# site, transitively and across modules, and drops the write when all of them
# are handled; Semgrep cannot follow calls, so it leaves every function the
# file calls to flake8. Text patterns: an AST pattern relating each def to
# the rest of its module was quadratic (minutes on manila's db/sqlalchemy/api.py)
- pattern-not-inside:
    patterns:
    - pattern-regex: """ + _quote(FILE_HANDLER_RE) + """
    - pattern-either:
      - pattern-regex: """ + _quote(CALLED_AFTER_RE) + """
""" + "".join("      - pattern-regex: " + _quote(r) + "\n" for r in CALLED_BEFORE_RES))

#: a decorator whose name says it deals with errors (nova's
#: ``wsgi.expected_errors``, ironic's ``fail_on_error``): a project decorator
#: that may catch the DB error; oslo.messaging's ``expected_exceptions`` and
#: the retry decorators hand it on
ERROR_DECORATOR_RE = (r"^(?!(?:[\w.]*\.)?(?:expected_exceptions|retry\w*)$)"
                      r"(?:[\w.]*\.)?\w*(?:[Ee]rrors?|[Ee]xceptions?|[Ff]aults?)$")
NOT_ERROR_DECORATED = r"""# in a function with a decorator named for errors (expected_errors,
# fail_on_error): a project decorator that may handle the DB error; flake8's
# project model reads its definition, Semgrep cannot
- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern: |
          @$ERRDEC(...)
          def $FUNC(...):
              ...
      - pattern: |
          @$ERRDEC
          def $FUNC(...):
              ...
    - metavariable-regex:
        metavariable: $ERRDEC
        regex: '%s'
""" % ERROR_DECORATOR_RE


def project_handling():
    """What flake8 learns from the rest of the project (a handling context
    manager or decorator, callers that handle the error) and Semgrep cannot:
    DBS101/102 are narrowed to writes where none of it can apply."""
    return NOT_IN_PROJECT_CONTEXT_MANAGER + NOT_ERROR_DECORATED + NOT_CALLED_IN_FILE


def dbs101():
    msg = ("DB write with no handler for database errors in this function: a deadlock, lost "
           "connection or constraint violation escapes as a raw driver error; wrap it in "
           "try/except DBError (or SQLAlchemyError) and translate or retry")
    body = "  patterns:\n" + ind("""
- pattern-inside: |
    def $FUNC(...):
        ...
""", 2) + "\n" + ind(writes(focus=True), 2) + "\n" + ind(not_delegating_save(), 2) + "\n" + \
        ind(not_handled(ANY_DB_RE), 2) + "\n" + ind(project_handling(), 2)
    return header("DBS101", msg) + body


def main():
    for name, fn in GENERATORS.items():
        rid = [r for r in RULES.values() if r.semgrep_id.startswith(name)][0].semgrep_id
        (ROOT / "semgrep-rules" / f"{rid}.yaml").write_text(fn())


def inside_integrity():
    return ("# in the body of a try with an integrity-error handler\n- pattern-inside:\n    patterns:\n"
            + ind(try_with_handler(INTEGRITY_ANY_RE, with_bare=False), 4)
            + "\n    - focus-metavariable: $...BODY\n"
            "# ... that is integrity-only: a tuple naming any other class is not\n"
            "# (Semgrep binds the classes of a tuple one by one, so a try whose tuple\n"
            "# handler names one is left out; any enclosing one: a handler with\n"
            "# another class is no integrity-only handler, wherever it is. Its body\n"
            "# has a name of its own: unified with $...BODY above, Semgrep 1.x kept\n"
            "# (IntegrityError, ValueError) as integrity-only)\n- pattern-not-inside:\n    patterns:\n"
            "    - pattern-either:\n"
            + pattern_list(tries("except (..., $OTHER, ...)", "$...TUPLE_BODY")
                           + tries("except (..., $OTHER, ...) as $ON", "$...TUPLE_BODY"), 6)
            + f"\n    - metavariable-regex:\n        metavariable: $OTHER\n        regex: '^(?!{INT_ONE}$)'\n"
            "    - focus-metavariable: $...TUPLE_BODY\n")


#: decorators that re-run the function on a deadlock (spec, DBS102 retries):
#: an integrity handler plus one of these is the designed handling
DEADLOCK_RETRIES = "retry_on_deadlock|retry_db_transaction|retry_db_errors|retry_if_session_inactive"


#: the errors a deadlock raises (oslo.db, psycopg2/psycopg)
DEADLOCK_ERRORS = ("DBDeadlock", "DeadlockDetected")


def _told_to_retry_deadlocks():
    """A decorator call whose arguments (positional or keyword) name a
    deadlock error class, bare or through a module."""
    return [f"@$GRETRY(..., {kw}<... {owner}{error} ...>, ...)\ndef $FUNC(...):\n  ...\n"
            for error in DEADLOCK_ERRORS for owner in ("", "$DLM.") for kw in ("", "$KW=")]


def not_retried():
    return f"""# retried on deadlocks by a decorator: the integrity handler is the designed
# handling (oslo.db's wrap_db_retry(retry_on_deadlock=True), retry_on_deadlock)
- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern: |
          @$RETRY
          def $FUNC(...):
            ...
      - pattern: |
          @$RETRY(...)
          def $FUNC(...):
            ...
    - metavariable-regex:
        metavariable: $RETRY
        regex: '^(?:[\\w.]*\\.)?(?:{DEADLOCK_RETRIES})$'
- pattern-not-inside: |
    @$API.wrap_db_retry(..., retry_on_deadlock=True, ...)
    def $FUNC(...):
      ...
- pattern-not-inside: |
    @wrap_db_retry(..., retry_on_deadlock=True, ...)
    def $FUNC(...):
      ...
- pattern-not-inside: |
    $RETRIER = $API.wrap_db_retry(..., retry_on_deadlock=True, ...)
    ...
    @$RETRIER
    def $FUNC(...):
      ...
# a generic retry decorator (tenacity, retrying, backoff) told to retry a
# deadlock error class in its arguments
- pattern-not-inside:
    patterns:
    - pattern-either:
{pattern_list(_told_to_retry_deadlocks(), 6)}
    - metavariable-regex:
        metavariable: $GRETRY
        regex: '^(?:[\\w.]*\\.)?(?:retry\\w*|on_exception)$'
"""


INTEGRITY_ANY_RE = r"^[\s\S]*?\b(" + INTEGRITY + r")\b"


def dbs102():
    msg = ("DB write whose handlers catch only integrity errors (e.g. only DBDuplicateEntry): "
           "deadlocks, lost connections and data errors escape; also handle DBError (or "
           "SQLAlchemyError)")
    body = "  patterns:\n" + ind(file_gate(INTEGRITY, WRITE_WORDS), 2) + "\n" + ind("""
- pattern-inside: |
    def $FUNC(...):
        ...
""", 2) + "\n" + ind(writes(focus=True), 2) + "\n" + ind(not_delegating_save(), 2) + "\n" + \
        ind(inside_integrity(), 2) + "\n" + ind(not_handled(), 2) + "\n" + ind(not_retried(), 2) + "\n" + \
        ind(project_handling(), 2)
    return header("DBS102", msg) + body


GENERATORS = {"dbs101": dbs101, "dbs102": dbs102}


def handler_body_either(build):
    """pattern-either over handler bodies that do nothing."""
    pats = []
    for body in ("pass", "continue", "return", "return None"):
        pats += build(body)
    return pats


def dbs103():
    msg = ("database error swallowed: a handler around a DB write whose body is only pass, "
           "continue, ... or a bare return, with no log and no re-raise; the failure is silently "
           "lost: log it, re-raise, or roll back and report")
    body = "  patterns:\n" + ind(file_gate("except", WRITE_WORDS, DB_NAMES + "|" + DBAPI), 2) + \
        "\n  - pattern-either:\n" + pattern_list(typed_tries("$...BODY", "$SWALLOW"), 4) + "\n" + ind(f"""
- metavariable-regex:
    metavariable: $SWALLOW
    regex: '{SWALLOW_RE}'
- metavariable-regex:
    metavariable: $E
    regex: '{HANDLING_RE}'
- metavariable-pattern:
    metavariable: $...BODY
    patterns:
{ind(writes(), 6)}
{ind(NOT_REACHING, 6)}
- focus-metavariable: $E
""", 2) + "\n"
    return header("DBS103", msg) + body


def named_tries(body_var, handler_body, e, n):
    """typed_tries with other metavariable names (for a try nested in one)."""
    pats = []
    for form in (f"except {e} as {n}", f"except (..., {e}, ...)", f"except (..., {e}, ...) as {n}"):
        pats += tries(form, body_var, handler_body)
    return pats


_RAISING_HANDLER = "$...IRAISE"
#: a write whose error never reaches this handler: it runs later (a nested
#: function or lambda), or an inner try catches it with a DB-error or broad
#: handler that does not re-raise
NOT_REACHING = f"""- pattern-not-inside: |
    def $LATER(...):
      ...
- pattern-not-inside: |
    async def $LATER(...):
      ...
- pattern-not-inside:
    patterns:
    - pattern-either:
{pattern_list(named_tries("$...INNER", _RAISING_HANDLER, "$IE", "$IN"), 6)}
    - metavariable-regex:
        metavariable: $IE
        regex: '{HANDLING_RE}'
    # the inner handler never raises (a re-raise reaches this handler)
    - metavariable-regex:
        metavariable: $...IRAISE
        regex: '^(?![\\s\\S]*(?<![\\w.])raise(?![\\w]))'
    - focus-metavariable: $...INNER"""


GENERATORS["dbs103"] = dbs103


def any_try(body_var):
    """Every try/except shape (any handler), binding the body.

    ``except ...:`` matches every handler form (bare, typed, tuple, ``as``)."""
    return tries("except ...", body_var, "...")


STAGING = f"""
- pattern-either:
  - pattern: $SS.add($OBJ, ...)
  - pattern: $SS.add_all($OBJ, ...)
  - pattern: $SS.delete($OBJ, ...)
  - pattern: $SS.merge($OBJ, ...)
- metavariable-regex:
    metavariable: $SS
    regex: '{SESSION_RE}'
"""

MAY_FLUSH = f"""
- pattern-either:
  - patterns:
    - pattern: $FS.$FM(...)
    - metavariable-regex:
        metavariable: $FS
        regex: '{SESSION_RE}'
    - metavariable-regex:
        metavariable: $FM
        regex: '^(?!(add|add_all|delete|merge)$)'
  - patterns:
    - pattern-either:
      - pattern: $FF(..., $FA, ...)
      - pattern: $FF(..., $FK=$FA, ...)
    - metavariable-regex:
        metavariable: $FA
        regex: '{SESSION_RE}'
  # a project helper named for a commit or flush (lemur's module-level
  # commit() around db.session.commit()): flake8 reads its definition, the
  # pack takes the name
  - patterns:
    - pattern: $FN(...)
    - metavariable-regex:
        metavariable: $FN
        regex: '^(?:(?:self|cls)\.)?(?:\w*_)?(?:commit|flush)(?:_\w*)?$'
  - pattern: |
      with $CM:
          ...
  - pattern: |
      with $CM as $CV:
          ...
  - pattern: |
      async with $CM:
          ...
  - pattern: |
      async with $CM as $CV:
          ...
  - pattern: yield
  - pattern: yield $YV
  - pattern: yield from $YV
"""


def dbs104():
    msg = ("dead handler: this try only stages changes (session.add/add_all/delete/merge) and "
           "holds no flush, commit or execute; the database error is raised at the next flush "
           "or commit, outside this handler; call session.flush() inside the try")
    body = "  patterns:\n" + ind(file_gate("except", STAGING_WORDS), 2) + "\n" + ind(try_with_handler(ANY_DB_RE), 2) + "\n" + ind(f"""
- metavariable-pattern:
    metavariable: $...BODY
    patterns:
{ind(STAGING, 6)}
- pattern-not:
    patterns:
    - pattern-either:
{pattern_list(any_try("$...FLUSHING"), 6)}
    - metavariable-pattern:
        metavariable: $...FLUSHING
        patterns:
        - pattern-either:
{ind(MAY_FLUSH, 10)}
{ind(writes(), 10)}
""", 2) + "\n"
    return header("DBS104", msg) + body


GENERATORS["dbs104"] = dbs104


#: ``except (..., $E, ...)`` also matches a single class (``except E:``) with
#: the same binding, so a separate ``except $E`` form is not needed; with
#: ``as`` it does not, so both ``as`` forms stay.
TYPED_FORMS = ("except $E as $N", "except (..., $E, ...)", "except (..., $E, ...) as $N")
#: a handler body that does nothing (one statement)
SWALLOW_RE = r"^(pass|continue|return|return None)$"


def typed_tries(body_var, handler_body, tails=True):
    pats = []
    for form in TYPED_FORMS:
        pats += tries(form, body_var, handler_body, tails)
    return pats


def finally_tries(stmt_var):
    pats = []
    for form in TYPED_FORMS:
        for tail in ("", "else:\n    ...\n"):
            pats.append(f"try:\n    ...\n{form}:\n    ...\n{tail}finally:\n    ...\n    {stmt_var}\n")
    return pats


ENDS_TRANSACTION = f"""
- pattern-either:
  - pattern: $RB.rollback(...)
  - pattern: rollback(...)
  # ROLLBACK run as text (also ROLLBACK TO a savepoint the code set)
  - pattern: $RB.execute("=~/(?i)^\\s*rollback(\\s|;|$)/", ...)
  - patterns:
    - pattern-either:
      - pattern: $CS.close()
      - pattern: $CS.invalidate()
      # a scoped session's remove() closes its session (timesketch's db_session)
      - pattern: $CS.remove()
    - metavariable-regex:
        metavariable: $CS
        regex: '{SESSION_RE}'
"""


#: a write inside a transaction block within the try body: the block rolls
#: back before the handler runs (neutron's ``try: with
#: db_api.CONTEXT_WRITER.using(ctx): alloc.save(ctx.session) except
#: DBDuplicateEntry:``, mlflow's ``with session.begin_nested():``)
NOT_IN_TRANSACTION_BLOCK = """
# the write is in a transaction block inside the try: it rolls back itself
- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern: |
          with $TXN.$BEGIN(...):
              ...
      - pattern: |
          with $TXN.$BEGIN(...) as $TV:
              ...
      - pattern: |
          async with $TXN.$BEGIN(...):
              ...
      - pattern: |
          async with $TXN.$BEGIN(...) as $TV:
              ...
      # ``trans = conn.begin_nested()`` ... ``with trans:`` (ceilometer)
      - pattern: |
          $TL = $TXN.$BEGIN(...)
          ...
          with $TL:
              ...
    - metavariable-regex:
        metavariable: $BEGIN
        regex: '^(begin|begin_nested|begin_twophase|using|atomic|transaction)$'
# ... or in a with block inside the try that binds a session (async with
# maker() as session: the block closes it before the handler runs)
- pattern-not-inside: |
    with $CMW as $CVW:
        ...
- pattern-not-inside: |
    async with $CMW as $CVW:
        ...
"""


def dbs602():
    msg = ("DB error caught after a write in a manually managed session, and neither rollback() "
           "nor close() nor a re-raise follows: the session stays in a failed transaction, its "
           "next use fails (PendingRollbackError) or commits a broken transaction; call "
           "session.rollback() or re-raise")
    reraise_tries = pattern_list(typed_tries("...", "...\n    $HSTMT"), 6)
    finally_pats = pattern_list(finally_tries("$FSTMT"), 6)
    swallow_pats = pattern_list(typed_tries("...", "$SWALLOW"), 6)
    return_pats = pattern_list(typed_tries("...", "...\n    return ..."), 6)
    body = "  patterns:\n" + ind(file_gate("except", WRITE_WORDS, DB_NAMES + "|" + DBAPI + "|" + INTEGRITY), 2) + \
        "\n  - pattern-either:\n" + pattern_list(typed_tries("$...BODY", "$...HANDLER"), 4) + "\n" + ind(f"""
- metavariable-regex:
    metavariable: $E
    regex: '{ANY_DB_RE}'
- metavariable-pattern:
    metavariable: $...BODY
    patterns:
{ind(writes(visible_session=True), 6)}
{ind(NOT_IN_TRANSACTION_BLOCK, 6)}
# the handler re-raises, rolls back or closes the session
- pattern-not:
    patterns:
    - pattern-either:
{reraise_tries}
    - metavariable-pattern:
        metavariable: $HSTMT
        patterns:
        - pattern-either:
          - pattern: raise
          - pattern: raise $X
          - pattern: raise $X from $Y
          - pattern: $RR.save_and_reraise_exception(...)
          - pattern: save_and_reraise_exception(...)
          # a call that ends the process: SystemExit unwinds every with
          - pattern: sys.exit(...)
          - pattern: exit(...)
          - pattern: quit(...)
          - pattern: os._exit(...)
          - pattern: os.abort(...)
          # a web framework's abort() raises an HTTP error: a domain error
          - pattern: flask.abort(...)
          - pattern: quart.abort(...)
          - pattern: werkzeug.exceptions.abort(...)
          - pattern: pecan.abort(...)
          - pattern: bottle.abort(...)
{ind(ENDS_TRANSACTION, 10)}
# the finally rolls back or closes the session
- pattern-not:
    patterns:
    - pattern-either:
{finally_pats}
    - metavariable-pattern:
        metavariable: $FSTMT
        patterns:
{ind(ENDS_TRANSACTION, 8)}
# a request handler whose except returns ends the request there: a Flask
# teardown that removes the session (or Flask-SQLAlchemy's db.session) ends
# the failed transaction with it; flake8 reads whether the project has one,
# Semgrep cannot, and leaves these handlers to flake8
- pattern-not:
    patterns:
    - pattern-either:
{return_pats}
    - pattern-either:
      - pattern-inside: |
          @$APP.$ROUTE(...)
          def $RF(...):
              ...
      - pattern-inside: |
          @$APP.$ROUTE(...)
          async def $RF(...):
              ...
    - metavariable-regex:
        metavariable: $ROUTE
        regex: '^(route|get|post|put|patch|delete)$'
# a handler that does nothing is DBS103 (or the integrity-only idiom)
- pattern-not:
    patterns:
    - pattern-either:
{swallow_pats}
    - metavariable-regex:
        metavariable: $SWALLOW
        regex: '{SWALLOW_RE}'
# a session managed by a with block around the try: one that binds a
# session-like name, or one without a target (Semgrep cannot tell which
# session that manages); with open(...) as fh manages none
- pattern-not-inside: |
    with $CM:
        ...
- pattern-not-inside: |
    async with $CM:
        ...
- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern: |
          with $CM as $CV:
              ...
      - pattern: |
          async with $CM as $CV:
              ...
    - metavariable-regex:
        metavariable: $CV
        regex: '{SESSION_RE}'
- focus-metavariable: $E
""", 2) + "\n"
    return header("DBS602", msg) + body


GENERATORS["dbs602"] = dbs602


if __name__ == "__main__":
    main()
