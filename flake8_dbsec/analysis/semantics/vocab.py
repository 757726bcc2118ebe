"""The words of the spec: the SQLAlchemy, ORM and DB-API names that mark
database code, and the two shapes every concern trades in.

Sessions, statements, writes and the rule families all recognise code by
these sets (``SESSION_CLASSES``, ``STATEMENT_CHAIN``, ``QUERY_CHAIN``,
``STAGING_METHODS``, ``ENGINE_NAME``...) and describe what they found as a
:class:`Statement` or a :class:`Write`.  It is data only, with no logic,
and imports nothing from the other modules of this package, so each of them
can import it without a cycle.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import List, Optional

from ..sqltext import Comparison
from ..walker import Scope

# --- vocabularies -------------------------------------------------------------

SA_MODULE_PREFIXES = ("sqlalchemy", "sqlmodel", "flask_sqlalchemy")
SESSION_CLASSES = frozenset({"Session", "AsyncSession"})
SESSIONMAKERS = frozenset({"sessionmaker", "async_sessionmaker"})
SCOPED_FACTORIES = frozenset({"scoped_session", "async_scoped_session"})
DML_KINDS = frozenset({"insert", "update", "delete", "replace", "merge"})
SQL_STATEMENT_FUNCS = frozenset({"insert", "update", "delete", "select"})
#: methods that return the same statement, refined (SQLAlchemy Core / 2.0 ORM).
STATEMENT_CHAIN = frozenset(
    {
        "where",
        "filter",
        "filter_by",
        "values",
        "ordered_values",
        "returning",
        "return_defaults",
        "from_select",
        "execution_options",
        "prefix_with",
        "suffix_with",
        "with_hint",
        "with_dialect_options",
        "inline",
        "correlate",
        "correlate_except",
        "bindparams",
        "columns",
        "on_conflict_do_nothing",
        "on_conflict_do_update",
        "on_duplicate_key_update",
        "limit",
        "order_by",
        "params",
        "compile",
    }
)
#: ORM Query methods that return the query again.
QUERY_CHAIN = frozenset(
    {
        "filter",
        "filter_by",
        "where",
        "join",
        "outerjoin",
        "options",
        "order_by",
        "group_by",
        "having",
        "with_for_update",
        "with_lockmode",
        "limit",
        "offset",
        "execution_options",
        "params",
        "enable_eagerloads",
        "distinct",
        "select_from",
        "populate_existing",
        "autoflush",
        "yield_per",
        "correlate",
        "with_entities",
        "with_hint",
        "enable_assertions",
        "reset_joinpoint",
        "union",
        "union_all",
        "from_self",
        "with_parent",
        "soft_delete",
        "undefer",
    }
)
#: query steps that keep a query's rows of the same entity (``with_parent``
#: filters by a relationship, the rows stay the queried class's)
ROWS_CHAIN = (QUERY_CHAIN - {"with_entities", "union", "union_all", "from_self", "select_from"}) | {"with_parent"}
#: query calls that give one row (an instance of the queried class)
ONE_ROW = frozenset({"first", "one", "one_or_none", "get", "scalar_one", "scalar_one_or_none",
                     "first_or_404", "get_or_404"})
ROW_METHODS = frozenset(
    {
        "first",
        "one",
        "one_or_none",
        "get",
        "all",
        "scalar",
        "scalars",
        "scalar_one",
        "scalar_one_or_none",
        "fetchone",
        "fetchall",
        "fetchmany",
        "first_or_404",
        "get_or_404",
        "one_or_404",
        "mappings",
        "count",
        "exists",
        "partitions",
    }
)
STAGING_METHODS = frozenset({"add", "add_all", "delete", "merge"})
#: libraries whose objects have an argument-less ``save()`` that is no DB
#: write: images, documents, spreadsheets, translation catalogs, job queues,
#: ML models (top-level import names).
NON_DB_SAVE_MODULES = frozenset(
    {"PIL", "imageio", "wand", "cv2", "babel", "polib", "rq", "huey", "docx", "pptx",
     "openpyxl", "xlsxwriter", "reportlab", "keras", "tensorflow", "torch", "gensim",
     "spacy", "joblib", "matplotlib", "configobj", "zipfile", "tarfile"}
)
#: the module a class comes from says it holds configuration
#: (``gramps.gen.utils.configmanager``, ``app.config``, ``settings``): its
#: objects' ``save()`` writes a settings file. ORM models live in model modules.
CONFIG_MODULE = re.compile(r"(?i)config|^settings$")
EXECUTE_METHODS = frozenset({"execute", "exec_driver_sql", "executescript"})
ENGINE_NAME = re.compile(r"engine|\w*_engine|\w*Engine")
SQL_WORDS = frozenset(
    {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "REPLACE", "MERGE", "CREATE", "DROP",
     "ALTER"}
)


@dataclass
class Statement:
    """A SQL statement as far as it can be seen statically."""

    kind: str  # insert | update | delete | replace | merge | select | other
    #: what WHERE / filter / filter_by compare, with the operator
    where: List[Comparison] = field(default_factory=list)
    #: a WHERE / filter was given at all (its comparisons may be unreadable)
    filtered: bool = False
    #: column names set by values() / SET / query.update({...})
    set_columns: List[str] = field(default_factory=list)
    returning: bool = False
    text: Optional[str] = None
    #: what the statement targets (``M`` in ``update(M)``, ``session.query(M)``,
    #: ``T.update()``), for the keys the project model knows
    target: Optional[ast.expr] = None
    #: the scope the target expression belongs to
    scope: Optional[Scope] = field(default=None, repr=False)
    #: the table SQL text names (``UPDATE karma SET ...``), for the keys the
    #: project declares for it
    table: Optional[str] = None

    @property
    def where_columns(self) -> List[str]:
        return [c.column for c in self.where]


@dataclass
class Write:
    """A call that changes the database (spec: "DB write")."""

    call: ast.Call
    kind: str  # method | execute | save | query-update | query-delete | helper | helper-tx
    label: str
    receiver: Optional[ast.expr]
    statement: Optional[Statement] = None
