"""Generate the rowcount-family Semgrep YAMLs (DBS301-DBS304); the output is committed.

The four codes split one set of statements (spec, "Row identity" and
"DBS302 - guard"): an UPDATE/DELETE whose row count nobody reads is

* DBS302 when its WHERE pins rows by key and holds a guard (equality on a
  concurrency column, or on a state column the statement sets);
* DBS301 (UPDATE) / DBS303 (DELETE) when it pins rows by key without one;
* DBS304 when it pins no row by key (a bulk statement).

Written by hand, each YAML spelled the statement shapes, the key test and the
"consulted" shapes again, and they drifted apart (DBS301 and DBS302 on one
call). Here each predicate is written once and every rule is built from them,
so one statement lands in at most one code. Where Semgrep cannot tell (a key
compared under ``or_``, a subquery), the statement is left out of all four
rather than guessed.

Edit this file, run ``python tools/gen_semgrep_rowcount_rules.py`` and commit
the YAML.
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from gen_semgrep_error_rules import header as error_rules_header  # noqa: E402
from gen_semgrep_error_rules import ind  # noqa: E402

sys.path.insert(0, str(ROOT))
from flake8_dbsec.catalog import RULES  # noqa: E402

SESSION_RE = (r"^([\s\S]*\.)?(session|\w*_session|sess|conn|connection|\w*_conn|"
              r"\w*_connection|cursor|cur|\w*_cursor|db)$")
#: receivers of ``.query(...)`` (a cursor has no ORM query)
QUERY_SESSION_RE = (r"^([\s\S]*\.)?(session|\w*_session|sess|conn|connection|\w*_conn|"
                    r"\w*_connection|db)$")
#: a column that may pin rows: ``id`` or the identifier pattern (spec, row
#: identity). A statement that names one is never called bulk (DBS304).
KEY_RE = r"(?i)^(id|\w*uuids?|\w*guids?)$"
#: a column that may be a unique key of a model Semgrep cannot see (it is
#: defined in another module: dagster's ``RunsTable.c.run_id``, unique there):
#: a statement that names one is not called bulk (DBS304) by Semgrep either;
#: flake8 reads the model's keys and decides (``*_id`` is as often a foreign key)
MAYBE_KEY_RE = r"(?i)^(id|\w*uuids?|\w*guids?|\w+_ids?|\w+_key|name|key)$"
#: a column that pins rows for DBS301-DBS303: only the names that are the
#: row's own key whatever the model says. ``instance_uuid``, ``node_uuid``
#: are as often a foreign key (nova's console_auth_tokens, neutron's hash
#: ring) and flake8 decides them by the model's keys, which Semgrep cannot
#: read: a statement pinned only by such a column is left to flake8.
PIN_RE = r"(?i)^(id|uuids?|guids?)$"
#: a concurrency column (``lease_version`` too) and the state columns
GUARD_RE = r"(?i)^\w*(generation|version|revision|etag|updated_at)$"
STATE_RE = r"^(status|state|task_state|vm_state)$"
#: what a result read consults (rows, the count); ``close()`` does not
RESULT_READS = ("rowcount|fetchone|fetchall|fetchmany|first|one|one_or_none|all|scalar|"
                "scalars|scalar_one|scalar_one_or_none|mappings|tuples|partitions|"
                "returned_defaults|returned_defaults_rows|inserted_primary_key|lastrowid")
#: calls that end a query chain with rows, not a query
ROW_METHODS = ("first", "one", "one_or_none", "get", "all", "scalar", "one_or_404",
               "first_or_404", "get_or_404")

#: SQL text: the statement head, and the WHERE facts read from its text. These
#: regexes sit inside a Python string pattern ("=~/.../"), where \b would be a
#: backspace: word boundaries are spelled as lookarounds (W = (?<!\w), E = (?!\w))
_W, _E = r"(?<!\w)", r"(?!\w)"
SQL_UPDATE = r"(?is)^\s*\(?\s*UPDATE\s+\S+.*\sSET\s"
SQL_DELETE = r"(?is)^\s*\(?\s*DELETE\s+FROM\s"
_BEFORE_WHERE = rf"(?:(?!{_W}WHERE{_E}).)*{_W}WHERE{_E}"
#: a key column compared with = or IN (...) (not a subquery) in the WHERE of a
#: text without OR, before any subquery
#: (or a row value that holds one: ``(feed, id) = (:feed, :id)``)
#: ``IN %s``: PyMySQL and psycopg render a tuple parameter as the list
_IN_PARAM = r"(?:%s|%\(\w+\)s|:\w+)"
_ROW_VALUE_END = r"(?:\s*,\s*[\w.`]+)*\s*\)\s*(?:=(?!=)|IN\s*\()"
_KEY_COMPARE = (rf"(?:\w+\.)?[`]?(?:id|\w*uuids?|\w*guids?)[`]?(?:\s*(?:=(?!=)|IN\s*(?:\((?!\s*SELECT)|{_IN_PARAM}))"
                rf"|{_ROW_VALUE_END})")
#: the same with the names of PIN_RE (the column itself, after a dot or a
#: non-word character)
_PIN_COMPARE = (rf"(?:\w+\.)?[`]?(?:id|uuids?|guids?)[`]?(?:\s*(?:=(?!=)|IN\s*(?:\((?!\s*SELECT)|{_IN_PARAM}))"
                rf"|{_ROW_VALUE_END})")
SQL_KEY = (rf"(?is)^\s*\(?\s*(UPDATE|DELETE)\s{_BEFORE_WHERE}(?!.*{_W}OR{_E})"
           rf"(?:(?:(?!{_W}SELECT{_E}).)*[^\w.])?{_PIN_COMPARE}")
#: any key compared with = or IN (...) after WHERE (a bulk text has none)
SQL_KEY_ANY = rf"(?is)^\s*\(?\s*(UPDATE|DELETE)\s{_BEFORE_WHERE}(?:.*[^\w.])?{_KEY_COMPARE}"
#: a WHERE that Semgrep leaves to nobody: an OR, or a key compared after a
#: subquery begins (in it, or after it closes: Semgrep cannot tell which);
#: or a SELECT before the first WHERE (a subquery in a SET value: the first
#: WHERE may be the subquery's)
SQL_UNCLEAR = (rf"(?is)^\s*\(?\s*(UPDATE|DELETE)\s(?:(?:(?!{_W}WHERE{_E}).)*{_W}SELECT{_E}|{_BEFORE_WHERE}"
               rf"(?:.*{_W}OR{_E}|.*{_W}SELECT{_E}.*[^\w.]{_KEY_COMPARE}))")
SQL_GUARD = (rf"(?is)^\s*\(?\s*UPDATE\s{_BEFORE_WHERE}(?:.*[^\w.])?(?:\w+\.)?"
             r"\w*(generation|version|revision|etag|updated_at)\s*=(?!=)")
SQL_CAS = (r"(?is)^\s*\(?\s*UPDATE\s.*\sSET\s(.*[\s,])?(?P<col>status|state|task_state|vm_state)"
           r"\s*=.*\sWHERE\s(.*[^\w.])?(?:\w+\.)?(?P=col)\s*=(?!=)")
assert "\\b" not in _KEY_COMPARE + _PIN_COMPARE + SQL_KEY_ANY + SQL_KEY + SQL_UNCLEAR + SQL_GUARD + SQL_CAS


def either(*alternatives: str) -> str:
    return "- pattern-either:\n" + "\n".join(ind(a, 2) for a in alternatives)


def pat(p: str) -> str:
    """One pattern, quoted for YAML (patterns hold ``: `` and ``#``)."""
    if "\n" in p:
        return "- pattern: |\n" + ind(p, 4)
    quoted = p.replace("'", "''")
    return f"- pattern: '{quoted}'"


def regex(metavariable: str, expr: str) -> str:
    """The metavariable's text matches ``expr``. Inside a statement that
    symbolic propagation brought in from a local (``q = update(T)...;
    conn.execute(q)``) a ``metavariable-regex`` makes Semgrep 1.187 drop the
    file with ``Invalid_argument: String.sub`` (prefect); a generic
    ``pattern-regex`` on the metavariable reads the same text safely. The
    receiver ``$S`` of the call itself keeps the plain form."""
    if metavariable == "$S":
        return f"- metavariable-regex:\n    metavariable: {metavariable}\n    regex: '{expr}'"
    return (f"- metavariable-pattern:\n    metavariable: {metavariable}\n    language: generic\n"
            f"    patterns:\n    - pattern-regex: '{expr}'")


def compares(obj: str, column: str, value: str, calls=("where",), sides=("left", "right")) -> list:
    """``<... $W.where(..., $C.$COL == $V, ...) ...>`` and the ``and_`` /
    reversed forms: a comparison that is a direct condition of the statement
    (flake8 reads the same structure; under ``or_`` a key pins nothing)."""
    out = []
    conds = {"left": f"{obj}.{column} == {value}", "right": f"{value} == {obj}.{column}"}
    for call in calls:
        for side in sides:
            cond = conds[side]
            out.append(f"<... $W.{call}(..., {cond}, ...) ...>")
            out.append(f"<... $W.{call}(..., sqlalchemy.and_(..., {cond}, ...), ...) ...>")
    return out


def key_compares(call: str) -> list:
    """Key comparisons as branches: the column on the left, or on the right
    with a value that is no column (flake8 takes the first attribute)."""
    left_pins = ind(either(*(pat(p) for p in compares("$CK", "$KEY", "$KV", (call,), ("left",)))), 2) \
        + "\n" + ind(regex("$KEY", PIN_RE), 2)
    # ``content.id == Model.user_id``: flake8 takes the class's or table's
    # attribute as the column, so the left one pins only when it is such an
    # attribute itself or the right one is not
    left = either("- patterns:\n" + left_pins + "\n" + ind(regex("$CK", COLUMN_OWNER_RE), 2),
                  "- patterns:\n" + left_pins + "\n" + ind(regex("$KV", NOT_COLUMN_RE), 2))
    right = "- patterns:\n" + ind(either(*(pat(p) for p in compares("$CK", "$KEY", "$KV", (call,), ("right",)))), 2) \
        + "\n" + ind(regex("$KEY", PIN_RE), 2) + "\n" + ind(NOT_ATTRIBUTE_VALUE, 2)
    return [left, right]


# --- statement kinds (on $Q, the execute argument, seen through locals) -----

def kind_core(kinds: str) -> str:
    """$Q builds an UPDATE and/or DELETE (SQLAlchemy Core or SQL text)."""
    alts = []
    if "update" in kinds:
        alts += ["<... $T.update(...) ...>", "<... sqlalchemy.update(...) ...>",
                 f"<... \"=~/{SQL_UPDATE}/\" ...>"]
    if "delete" in kinds:
        alts += ["<... $T.delete(...) ...>", "<... sqlalchemy.delete(...) ...>",
                 f"<... \"=~/{SQL_DELETE}/\" ...>"]
    return either(*(pat(a) for a in alts))


#: a statement handed through a helper function is the helper's business
#: (flake8 follows locals, not calls): conn.execute(_filtered(upd, col))
HELPER = """- pattern-not:
    patterns:
    - pattern-either:
      - pattern: $S.execute($HELPER(...), ...)
      - pattern: $S.exec_driver_sql($HELPER(...), ...)
    - metavariable-regex:
        metavariable: $HELPER
        regex: '^(?!(?:[\\w.]*\\.)?(?:text|update|insert|delete|where|filter|filter_by|values|ordered_values|returning|return_defaults|execution_options|with_hint|prefix_with|suffix_with|limit|order_by|inline|correlate)$)[\\w.]+$'"""


#: SQLAlchemy's ORM bulk UPDATE by primary key: ``session.execute(update(M),
#: [{"id": 1, ...}, ...])`` (no WHERE, a list of parameter sets) updates each
#: set's row by its key and checks the matched count itself
BY_PRIMARY_KEY = """- pattern-not:
    patterns:
    - pattern-either:
      - pattern: $S.execute(sqlalchemy.update($M), $PARAMS)
      - pattern: $S.execute(sqlalchemy.update($M), params=$PARAMS)
    - pattern-not: $S.execute($X, {...})
    - pattern-not: $S.execute($X, params={...})"""


def key_core() -> str:
    """$Q pins rows by key (Core expressions or SQL text)."""
    key_in = ["<... $W.where(..., $CK.$KEY.in_($IDS), ...) ...>",
              "<... $W.where(..., sqlalchemy.and_(..., $CK.$KEY.in_($IDS), ...), ...) ...>"]
    return either(
        *key_compares("where"),
        # a subquery (id.in_(select(...))) makes the statement unclear
        "- patterns:\n" + ind(either(*(pat(p) for p in key_in)), 2) + "\n"
        + ind(regex("$KEY", PIN_RE), 2),
        # SQLAlchemy 2.0 statements take filter_by() too: delete(File).filter_by(id=x)
        "- patterns:\n" + ind(either(pat("<... $W.filter_by(..., $KEY=$KV, ...) ...>")), 2) + "\n"
        + ind(regex("$KEY", PIN_RE), 2),
        pat(f"<... \"=~/{SQL_KEY}/\" ...>"),
    )


def _pinning_calls(n: str) -> list:
    """A where()/filter()/filter_by() call (receiver ``$W{n}``) with one
    column compared for equality or IN as a direct condition."""
    out = []
    for call in ("where", "filter"):
        out += [f"$W{n}.{call}(..., $CE{n} == $VE{n}, ...)",
                f"$W{n}.{call}(..., $CE{n}.in_($VE{n}), ...)",
                f"$W{n}.{call}(..., sqlalchemy.and_(..., $CE{n} == $VE{n}, ...), ...)"]
    out.append(f"$W{n}.filter_by(..., $KE{n}=$VE{n}, ...)")
    return out


def multi_pin() -> str:
    """Two or more columns compared for equality (or IN) in the WHERE: they
    may be the model's composite key (a UniqueConstraint, a composite primary
    key: mlflow's role permissions, nova's tags), which only the model
    tells. flake8 reads the model (spec, row identity); Semgrep leaves such a
    statement to it rather than call it bulk."""
    eq = "$CE1 == $VE1"
    eq2 = "$CE2 == $VE2"
    inn = "$CE1.in_($VE1)"
    inn2 = "$CE2.in_($VE2)"
    one_call = []
    for call in ("where", "filter"):
        for a, b in ((eq, eq2), (eq, inn2), (inn, eq2), (inn, inn2)):
            one_call.append(f"<... $W.{call}(..., {a}, ..., {b}, ...) ...>")
            one_call.append(f"<... $W.{call}(..., sqlalchemy.and_(..., {a}, ..., {b}, ...), ...) ...>")
    one_call.append("<... $W.filter_by(..., $KE1=$VE1, ..., $KE2=$VE2, ...) ...>")
    # one pinning call chained on another (filter_by(a=x).filter(M.b == y))
    chained = ("- patterns:\n"
               + ind(either(*(pat(f"<... {c} ...>") for c in _pinning_calls("2"))), 2) + "\n"
               + ind(mv("$W2", either(*(pat(f"<... {c} ...>") for c in _pinning_calls("1")))), 2))
    return either(*(pat(p) for p in one_call), chained)


#: the key names of MAYBE_KEY_RE that are whole words, also matched as
#: literal attributes: in a statement built in parentheses and brought in by
#: symbolic propagation (``q = (update(T).where(T.id == x)); conn.execute(q)``)
#: Semgrep 1.187 hands the generic ``pattern-regex`` on ``$KEYM`` the wrong
#: text, so the key went unseen and the statement was called bulk (prefect)
LITERAL_KEYS = ("id", "uuid", "guid", "name", "key")


def mention_core() -> str:
    """$Q names a key column anywhere (a bulk statement names none): Semgrep
    cannot follow every form a pin takes (``~(M.id != x)``, ``&``, a nested
    ``where``), so a statement that names a key is not called bulk; nor is one
    that pins two columns (:func:`multi_pin`)."""
    return either(
        "- patterns:\n" + ind(either(pat("<... $CM.$KEYM ...>"),
                                       pat("<... $W.filter_by(..., $KEYM=$MV, ...) ...>")), 2)
        + "\n" + ind(regex("$KEYM", MAYBE_KEY_RE), 2),
        *(pat(f"<... $CM.{key} ...>") for key in LITERAL_KEYS),
        pat(f"<... \"=~/{SQL_KEY_ANY}/\" ...>"),
        multi_pin(),
    )


def mention_orm() -> str:
    return either(
        "- patterns:\n" + ind(either(pat("<... $CM.$KEYM ...>"),
                                       pat("<... $W.filter_by(..., $KEYM=$MV, ...) ...>")), 2)
        + "\n" + ind(regex("$KEYM", MAYBE_KEY_RE), 2),
        *(pat(f"<... $CM.{key} ...>") for key in LITERAL_KEYS),
        multi_pin(),
    )


#: what owns a column: a class (capitalised) or a table's ``c``/``columns``
COLUMN_OWNER_RE = r"^(?:[\w.]*\.)?(?:[A-Z]\w*|c|columns)$"
#: a value that is not such a column
NOT_COLUMN_RE = r"^(?!(?:[\w.]*\.)?(?:[A-Z]\w*|c|columns)\.[A-Za-z_]\w*$)"
#: ``t.c.owner_id == users.c.id``: the column is the left one (flake8 takes
#: the first attribute of a comparison), so the right one pins nothing
NOT_ATTRIBUTE_VALUE = """- metavariable-regex:
    metavariable: $KV
    regex: '^(?![A-Za-z_][\\w.]*\\.[A-Za-z_]\\w*$)'"""


def key_in_or() -> str:
    """A key compared inside ``or_(...)``: the rows it pins are not known."""
    return "- patterns:\n" + ind(either(
        pat("<... sqlalchemy.or_(..., <... $CU.$KEYU ...>, ...) ...>"),
    ), 2) + "\n" + ind(regex("$KEYU", KEY_RE), 2)


def key_in_subquery() -> str:
    """``key.in_(<subquery>)``: the rows come from another statement."""
    return ("- patterns:\n" + ind(either(pat("<... $CU.$KEYU.in_($SUB) ...>")), 2) + "\n"
            + ind(regex("$KEYU", KEY_RE), 2) + "\n"
            + ind("""- metavariable-pattern:
    metavariable: $SUB
    pattern-either:
    - pattern: <... sqlalchemy.select(...) ...>
    - pattern: <... $SUBQ.subquery(...) ...>
    - pattern: <... $SUBQ.scalar_subquery(...) ...>
    - pattern: <... sqlalchemy.exists(...) ...>
    - pattern: <... $SUBQ.query(...) ...>""", 2))


def unclear_core() -> str:
    """A WHERE Semgrep cannot judge: a key under ``or_``/``|``, a subquery."""
    return either(
        key_in_or(),
        pat("<... $OA | $OB ...>"),
        pat("<... $OA & $OB ...>"),
        pat(f"<... \"=~/{SQL_UNCLEAR}/\" ...>"),
        # a subquery anywhere: its own WHERE is not the statement's
        pat("<... sqlalchemy.select(...) ...>"),
        pat("<... $SUBQ.subquery(...) ...>"),
        pat("<... $SUBQ.scalar_subquery(...) ...>"),
        pat("<... sqlalchemy.exists(...) ...>"),
        key_in_subquery(),
    )


def guard_core() -> str:
    """$Q is a compare-and-swap: equality on a concurrency column, or on a
    state column that the statement also sets."""
    return either(
        "- patterns:\n" + ind(either(*(pat(p) for p in compares("$CG", "$GCOL", "$GV", ("where",)))), 2)
        + "\n" + ind(regex("$GCOL", GUARD_RE), 2),
        "- patterns:\n" + ind(either(*(pat(p) for p in compares("$CS", "$SCOL", "$SV", ("where",)))), 2)
        + "\n" + ind(either(
            pat("<... $SET.values(..., $SCOL=$NEW, ...) ...>"),
            pat("<... $SET.values({..., $SKEY: $NEW, ...}) ...>"),
        ), 2) + "\n" + ind(regex("$SCOL", STATE_RE), 2),
        pat(f"<... \"=~/{SQL_GUARD}/\" ...>"),
        pat(f"<... \"=~/{SQL_CAS}/\" ...>"),
    )


# --- ORM bulk query chains (on $Q, the receiver of .update()/.delete()) ------

QUERY = either(
    "- patterns:\n  - pattern: <... $SESS.query(...) ...>\n" + ind(regex("$SESS", QUERY_SESSION_RE), 2),
    pat("<... model_query(...) ...>"),
    pat("<... $API.model_query(...) ...>"),
)


def key_orm() -> str:
    key_in = ["<... $W.filter(..., $CK.$KEY.in_($IDS), ...) ...>",
              "<... $W.filter(..., sqlalchemy.and_(..., $CK.$KEY.in_($IDS), ...), ...) ...>"]
    return either(
        *key_compares("filter"),
        "- patterns:\n" + ind(either(pat("<... $W.filter_by(..., $KEY=$KV, ...) ...>")), 2) + "\n"
        + ind(regex("$KEY", PIN_RE), 2),
        "- patterns:\n" + ind(either(*(pat(p) for p in key_in)), 2) + "\n"
        + ind(regex("$KEY", PIN_RE), 2),
    )


def unclear_orm() -> str:
    return either(
        key_in_or(),
        pat("<... $OA | $OB ...>"),
        pat("<... $OA & $OB ...>"),
        pat("<... $W.filter_by(..., **$FILTERS, ...) ...>"),
        # a subquery anywhere: its own filter is not the statement's
        pat("<... $W.filter(..., <... $SUBS.query(...) ...>, ...) ...>"),
        pat("<... $SUBQ.subquery(...) ...>"),
        pat("<... $SUBQ.scalar_subquery(...) ...>"),
        pat("<... sqlalchemy.select(...) ...>"),
        pat("<... sqlalchemy.exists(...) ...>"),
        key_in_subquery(),
    )


def guard_orm() -> str:
    return either(
        "- patterns:\n" + ind(either(
            *(pat(p) for p in compares("$CG", "$GCOL", "$GV", ("filter",))),
            pat("<... $W.filter_by(..., $GCOL=$GV, ...) ...>"),
        ), 2) + "\n" + ind(regex("$GCOL", GUARD_RE), 2),
    )


#: compare-and-swap in an ORM bulk update: filter_by(status=old).update({"status": new})
GUARD_ORM_CAS = either(*(f"""- patterns:
  - pattern: '$Q.update({{..., "{col}": $NEW, ...}}, ...)'
  - metavariable-pattern:
      metavariable: $Q
      pattern-either:
      - pattern: <... $W.filter_by(..., {col}=$OLD, ...) ...>
      - pattern: <... $W.filter(..., $CS.{col} == $OLD, ...) ...>""" for col in (
    "status", "state", "task_state", "vm_state")))


# --- consulted ------------------------------------------------------------------

def consulted_execute() -> str:
    """The execute result is read: rows or the count in place, through a local,
    returned, yielded, passed on, iterated, stored; a cursor's rowcount after."""
    reads = f"^({RESULT_READS})$"
    out = []
    for call in ("$S.execute(...)", "$S.exec_driver_sql(...)"):
        out.append(f"""- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern: {call}.$ATTR
      - pattern: (await {call}).$ATTR
    - metavariable-regex:
        metavariable: $ATTR
        regex: '{reads}'""")
        out += [f"- pattern-not-inside: $F(..., {call}, ...)",
                f"- pattern-not-inside: $F(..., await {call}, ...)",
                f"- pattern-not-inside: $F(..., $K={call}, ...)"]
    out += ["- pattern-not-inside: return ...", "- pattern-not-inside: yield ...",
            "- pattern-not-inside: 'lambda: ...'",
            "- pattern-not-inside: |\n    for $ROW in $S.execute(...):\n        ...",
            "- pattern-not-inside: $OBJ.$FIELD = $S.execute(...)",
            "- pattern-not-inside: $OBJ[$INDEX] = $S.execute(...)"]
    # through a local: any later use but close() and a truth test
    for bind in ("$R = $S.execute(...)", "$R = await $S.execute(...)",
                 "$R = $S.exec_driver_sql(...)"):
        out.append(f"""- pattern-not-inside:
    patterns:
    - pattern-inside: |
        {bind}
        ...
        <... $R.$USE ...>
    - metavariable-regex:
        metavariable: $USE
        regex: '^(?!close$)'
- pattern-not-inside:
    patterns:
    - pattern-inside: |
        {bind}
        ...
    - pattern-either:
      - pattern-inside: |
          {bind}
          ...
          return <... $R ...>
      - pattern-inside: |
          {bind}
          ...
          <... $CALLEE(..., <... $R ...>, ...) ...>
      - pattern-inside: |
          {bind}
          ...
          for $ROW in $R:
              ...
      - pattern-inside: |
          {bind}
          ...
          $OBJ.$FIELD = $R""")
    for bind in ("$R = $S.execute(...)", "$R = await $S.execute(...)"):
        for block in ("if $COND:\n        ...\n        {b}\n        ...\n    else:\n        ...",
                      "if $COND:\n        ...\n    else:\n        ...\n        {b}\n        ...",
                      "async with $CTX:\n        ...\n        {b}\n        ...",
                      "async with $CTX as $CV:\n        ...\n        {b}\n        ...",
                      "with $CTX as $CV:\n        ...\n        {b}\n        ..."):
            out.append("- pattern-not-inside: |\n    " + block.format(b=bind) + "\n    ...\n    <... $R ...>")
    out.append("""- pattern-not-inside: |
    with $CTX:
        ...
        $R = $S.execute(...)
    ...
    <... $R ...>
- pattern-not-inside: |
    try:
        ...
        $R = $S.execute(...)
    except ...:
        ...
    ...
    <... $R ...>
- pattern-not-inside: |
    if ($R := $S.execute(...)).$ATTR:
        ...
- pattern-not-inside: ($R := $S.execute(...)).$ATTR
# DB-API: cursor.rowcount read after cursor.execute(...)
- pattern-not-inside: |
    $S.execute(...)
    ...
    <... $S.rowcount ...>
# DB-API: the rows of a RETURNING statement fetched after it (they tell
# which rows changed: chancy's UPDATE ... RETURNING j.queue)
- pattern-not-inside:
    patterns:
    - pattern-either:
      - pattern-inside: |
          $S.execute($SQL, ...)
          ...
          <... $S.$FETCH(...) ...>
      - pattern-inside: |
          $S.execute($SQL, ...)
          ...
          return <... $S.$FETCH(...) ...>
      - pattern-inside: |
          await $S.execute($SQL, ...)
          ...
          <... $S.$FETCH(...) ...>
      - pattern-inside: |
          await $S.execute($SQL, ...)
          ...
          return <... $S.$FETCH(...) ...>
    # that statement only, not the later ones the range holds
    - pattern-either:
      - pattern: $S.execute($SQL, ...)
      - pattern: await $S.execute($SQL, ...)
    - metavariable-regex:
        metavariable: $FETCH
        regex: '^(fetchone|fetchall|fetchmany)$'
    - metavariable-regex:
        metavariable: $SQL
        regex: '(?is).*\\bRETURNING\\b'""")
    return "\n".join(out)


def consulted_count(method: str) -> str:
    """An ORM bulk count is used in any expression."""
    m = f"$Q.{method}(...)"
    return f"""- pattern-not-inside: return ...
- pattern-not-inside: yield ...
- pattern-not-inside: $F(..., <... {m} ...>, ...)
- pattern-not-inside: $OBJ.$FIELD = <... {m} ...>
- pattern-not-inside: $OBJ[$INDEX] = <... {m} ...>
- pattern-not-inside: $A + <... {m} ...>
- pattern-not-inside: <... {m} ...> + $A
- pattern-not-inside: $A += <... {m} ...>
- pattern-not-inside: {m} == $N
- pattern-not-inside: {m} != $N
- pattern-not-inside: {m} > $N
- pattern-not-inside: not {m}
- pattern-not-inside: |
    if <... {m} ...>:
        ...
- pattern-not-inside: |
    with $CTX:
        ...
        $COUNT = <... {m} ...>
    ...
    <... $COUNT ...>
- pattern-not-inside: |
    $COUNT = <... {m} ...>
    ...
    <... $COUNT ...>
- pattern-not-inside: |
    try:
        ...
        $COUNT = <... {m} ...>
        ...
    except ...:
        ...
    ...
    <... $COUNT ...>
# flow-sensitive: a count bound in both branches and read after them
- pattern-not-inside: |
    if $COND:
        ...
        $COUNT = <... {m} ...>
    else:
        ...
    ...
    <... $COUNT ...>
- pattern-not-inside: |
    if $COND:
        ...
    else:
        ...
        $COUNT = <... {m} ...>
    ...
    <... $COUNT ...>"""


NOT_A_ROW = "\n".join(f"- pattern-not: $ROWQ.{m}(...).$BULK(...)" for m in ROW_METHODS)
#: a receiver made by a plain function (set(...), a helper) is no query chain,
#: whatever Semgrep's symbolic propagation finds inside its arguments
NOT_A_ROW += """
- pattern-not:
    patterns:
    - pattern: $MAKER(...).$BULK(...)
    - metavariable-regex:
        metavariable: $MAKER
        regex: '^(?!(?:[\\w.]*\\.)?model_query$)[A-Za-z_]\\w*$'"""


# --- the rules ------------------------------------------------------------------

#: the words any finding needs (the whole-file gate for Semgrep's prefilter)
GATE_CORE = (r"'\A(?=[\s\S]*?(?:session|sess|conn|connection|cursor|cur|db)\s*\.\s*"
             r"(?:execute|exec_driver_sql)\s*\()"
             r"(?=[\s\S]*?(?:\.\s*(?:update|delete)\s*\(|\b(?:update|delete)\s*\(|(?i:update\s+\S+\s+set|delete\s+from)\b))[\s\S]*'")
GATE_ORM = (r"'\A(?=[\s\S]*?(?:\.\s*query\s*\(|model_query))"
            r"(?=[\s\S]*?\.\s*(?:update|delete)\s*\()[\s\S]*'")


#: ``id.in_(subq)`` with ``subq = select(...)...`` bound earlier: the rows
#: come from another statement, as with the subquery written in place
#: (``key_in_subquery``); Semgrep's metavariable-pattern does not follow the
#: local, so the binding is matched in the function
SUBQUERY_LOCAL_CORE = """- pattern-not:
    patterns:
    - pattern-inside: |
        $SUBV = <... sqlalchemy.select(...) ...>
        ...
    - pattern-either:
      - pattern: $S.execute($Q, ...)
      - pattern: $S.exec_driver_sql($Q, ...)
    - metavariable-pattern:
        metavariable: $Q
        pattern: <... $CU.$KEYU.in_($SUBV) ...>"""


def core_branch(kinds: str, identity: str, guard: str) -> str:
    """session.execute(<statement>) / exec_driver_sql(<statement>)."""
    q = [kind_core(kinds)]
    parts = ["- patterns:",
             f"  - pattern-regex: {GATE_CORE}",
             "  - pattern-either:",
             "    - pattern: $S.execute($Q, ...)",
             "    - pattern: $S.exec_driver_sql($Q, ...)",
             ind(regex("$S", SESSION_RE), 2),
             "  - metavariable-pattern:\n      metavariable: $Q\n      patterns:\n" + ind("\n".join(q), 6),
             ind(HELPER, 2),
             ind(BY_PRIMARY_KEY, 2),
             ]
    parts.append(ind(not_call("$Q", unclear_core()), 2))
    parts.append(ind(SUBQUERY_LOCAL_CORE, 2))
    if identity == "key":
        parts.append(ind(mv("$Q", key_core()), 2))
    else:
        parts.append(ind(not_call("$Q", mention_core()), 2))
    if guard == "guard":
        parts.append(ind(mv("$Q", guard_core()), 2))
    elif guard == "no-guard":
        parts.append(ind(not_call("$Q", guard_core()), 2))
    parts.append(ind(consulted_execute(), 2))
    parts.append("  # the line flake8 reports: the receiver's, not a parenthesis before it")
    parts.append("  - focus-metavariable: $S")
    return "\n".join(parts)


def mv(metavariable: str, body: str) -> str:
    return (f"- metavariable-pattern:\n    metavariable: {metavariable}\n    patterns:\n"
            + ind(body, 4))


def not_call(metavariable: str, body: str, call: str = None) -> str:
    """The call is not one whose ``metavariable`` satisfies ``body``."""
    shapes = call or "- pattern-either:\n  - pattern: $S.execute($Q, ...)\n  - pattern: $S.exec_driver_sql($Q, ...)"
    return "- pattern-not:\n    patterns:\n" + ind(shapes, 4) + "\n" + ind(mv(metavariable, body), 4)


def orm_branch(method: str, identity: str, guard: str) -> str:
    """query(...).filter(...).update({...}) / .delete()."""
    if method == "update":
        shapes = "- pattern-either:\n  - pattern: $Q.update($VALUES, ...)\n  - pattern: $Q.update(values=$VALUES, ...)"
    else:
        shapes = "- pattern-either:\n  - pattern: $Q.delete()\n  - pattern: $Q.delete($OPTION=$SETTING, ...)"
    parts = ["- patterns:", f"  - pattern-regex: {GATE_ORM}", ind(shapes, 2),
             ind(mv("$Q", QUERY), 2), ind(NOT_A_ROW.replace("$BULK", method), 2)]
    parts.append(ind(not_call("$Q", unclear_orm(), shapes), 2))
    if identity == "key":
        parts.append(ind(mv("$Q", key_orm()), 2))
    else:
        parts.append(ind(not_call("$Q", mention_orm(), shapes), 2))
    if method == "update" and guard in ("guard", "no-guard"):
        guarded = either("- patterns:\n" + ind(shapes, 2) + "\n" + ind(mv("$Q", guard_orm()), 2),
                         GUARD_ORM_CAS)
        if guard == "guard":
            parts.append(ind(guarded, 2))
        else:
            parts.append("  - pattern-not:\n      patterns:\n" + ind(guarded, 6))
    parts.append(ind(consulted_count(method), 2))
    parts.append("  # the line flake8 reports: the chain's first line, not a parenthesis before it")
    parts.append("  - focus-metavariable: $Q")
    return "\n".join(parts)


MESSAGES = {
    "DBS301": ("UPDATE of rows pinned by key (id, *uuid) executed but its rowcount is never read: "
               "if no row matched, the change is silently lost; check result.rowcount (or use "
               "RETURNING and read the rows)."),
    "DBS302": ("UPDATE with an optimistic-concurrency check in WHERE (generation, version, revision, "
               "etag, updated_at, or the expected value of a state column it moves), but its "
               "rowcount is never read: a concurrent update is silently lost; check result.rowcount."),
    "DBS303": ("DELETE of rows pinned by key (id, *uuid) executed but its rowcount is never read: "
               "deleting nothing (already gone, wrong id) goes unnoticed; check result.rowcount."),
    "DBS304": ("Bulk UPDATE/DELETE (its WHERE pins no row by key) executed but its rowcount is never "
               "read: if the code relies on it having matched rows, a no-op goes unnoticed; read "
               "result.rowcount. (Policy, off by default.)"),
}
#: code -> (statement kinds, identity, guard)
PLAN = {
    "DBS301": ("update", "key", "no-guard"),
    "DBS302": ("update", "key", "guard"),
    "DBS303": ("delete", "key", None),
    "DBS304": ("update,delete", "bulk", None),
}


def header(code: str) -> str:
    return error_rules_header(
        code, MESSAGES[code], subcategory="vuln" if RULES[code].kind == "bug" else "audit",
        generated_by="tools/gen_semgrep_rowcount_rules.py",
        symbolic_why="follows `stmt = t.update(); stmt = stmt.where(...)` to the execute call")


def rule(code: str) -> str:
    kinds, identity, guard = PLAN[code]
    branches = [core_branch(kinds, identity, guard)]
    for method in ("update", "delete"):
        if method in kinds:
            branches.append(orm_branch(method, identity, guard))
    return header(code) + "  pattern-either:\n" + "\n".join(ind(b, 2) for b in branches) + "\n"


def main():
    for code in PLAN:
        path = ROOT / "semgrep-rules" / f"{RULES[code].semgrep_id}.yaml"
        path.write_text(rule(code))


if __name__ == "__main__":
    main()
