"""The project model: what a project defines once and uses everywhere.

It answers the questions the spec lets rules settle anywhere in the project
("Turn 2 revisions", "Project model") from the module summaries
(:mod:`.summary`), kept fresh in a cache (:mod:`.cache`):

* is this decorator or context manager a DB-error handler (it catches DB
  errors around the wrapped code and translates, retries or rolls back)?
* is this function's every resolved call site inside a DB-error or broad
  handler, or in a function that is (transitively)?  Is it retried on
  deadlocks by every caller?  Is it a web route of an application with an
  application-wide DB-error handler?
* is this module attribute a session (``Session = scoped_session(...)``), a
  session factory, an engine, a logger?  Does this function return a
  session, a logger, quoted SQL text, a masked value?
* which columns key this model or table (primary key, unique constraints,
  ``version_id_col``)?
* does this project function write to the database?

Names are qualified (``nova.db.main.api.instance_update``) and resolved
through re-exports and aliases, bounded.  Every answer is a pure function
of the project's files and the settings: the order in which files are
linted, the cache's state and ``-j`` never change it.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import re
import tokenize
import weakref
from typing import Any, Dict, List, Optional, Tuple

from ... import __version__
from ..semantics import Semantics
from ..walker import analyze, collector_paused
from .cache import NoSummaries, SummaryCache
from .layout import module_index, namespace_packages, python_files
from .summary import FORMAT, Summarizer, creator_names

#: how many hops of re-exports/aliases/bases/callers a question may follow
MAX_HOPS = 6
#: DBS701 follows a handler into the project function it calls and the ones
#: that calls (handler -> service -> DB); deeper writes are incidental (an
#: online data migration inside a getter) rather than what the request does
RISK_HOPS = 1
#: a function reached by this many call sites or more is judged on its own
#: (a widely shared helper: its callers' handling is not one design)
MAX_CALL_SITES = 400
QUOTING_NAME = re.compile(r"(?:^|_)(?:quote|quoted|escape|escaped)(?:_|$)", re.I)
MASKING_NAME = re.compile(r"(?:^|_)(?:mask|masked|redact|redacted|sanitize|sanitized|obfuscate)(?:_|$)", re.I)


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the analysis code itself: an edited (editable-installed)
    plugin never reads summaries an older version of it wrote."""
    return fingerprint_of(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fingerprint_of(analysis: str) -> str:
    """A digest of every ``.py`` file under ``analysis``, subpackages included."""
    digest = hashlib.sha1()
    for directory, folders, names in os.walk(analysis):
        folders.sort()  # every subpackage (semantics/, project/), in a fixed order
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                with open(path, "rb") as handle:
                    relative = os.path.relpath(path, analysis).encode()
                    digest.update(relative + b"\0" + handle.read())
    return digest.hexdigest()[:16]


def cache_key(settings: Any) -> str:
    """Plugin version and code, summary format and every setting a summary
    depends on."""
    parts = [
        __version__,
        code_fingerprint(),
        str(FORMAT),
        settings.session_pattern.pattern,
        settings.identifier_pattern.pattern,
        settings.secret_pattern.pattern,
        settings.concurrency_pattern.pattern,
    ]
    for name in ("state_columns", "db_errors", "integrity_errors", "handler_decorators",
                 "handler_context_managers", "masking_functions", "logger_names", "write_methods",
                 "authz_functions", "authz_decorators"):
        parts.append(",".join(sorted(getattr(settings, name))))
    # summaries hold authorization evidence only when DBS701 is selected
    parts.append("authz" if settings.wants("DBS701") else "")
    return "\x1f".join(parts)


def _stat(path: str) -> Optional[Tuple[int, int]]:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def _same_text(path: str, text: str) -> bool:
    """Is ``text`` what the file holds, as flake8 would read it?  Comparing
    bytes first spares decoding the file in the usual case (UTF-8, ``\n``
    line ends); anything else is decoded as flake8 decodes it."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError:
        return False
    try:
        if text.encode("utf-8") == raw:
            return True
    except UnicodeEncodeError:  # lone surrogates: decode the file instead
        pass
    return read_source(path) == text


def read_source(path: str) -> Optional[str]:
    """The file's text as flake8 reads it (PEP 263 encoding, else latin-1)."""
    try:
        with tokenize.open(path) as handle:
            return handle.read()
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError):
        try:
            with open(path, encoding="latin-1") as handle:
                return handle.read()
        except OSError:
            return None


def summarize_source(source: str, module: str, is_package: bool, settings: Any) -> Dict[str, Any]:
    """A module's summary; an empty one for code that does not parse.
    The tree and the facts are freed before it returns, so the collector is
    paused throughout (see ``collector_paused``)."""
    with collector_paused():
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return {"format": FORMAT, "module": module, "error": True}
        return summarize_tree(tree, module, is_package, settings)


def summarize_tree(tree: ast.AST, module: str, is_package: bool, settings: Any) -> Dict[str, Any]:
    try:
        facts = analyze(tree)
        try:
            return Summarizer(facts, Semantics(facts, settings), module, is_package).summary()
        finally:
            facts.release()
    except (RecursionError, MemoryError):
        return {"format": FORMAT, "module": module, "error": True}


class ProjectModel:
    """One project's summaries and the answers derived from them."""

    def view(self, path: str, tree: ast.AST, facts: Any, lines: Optional[List[str]] = None):
        """The model as the linted file at ``path`` sees it."""
        from .view import ProjectView

        self.use_current(path, tree, lines, facts)
        module, is_package = self.module_for(path)
        return ProjectView(self, module, facts, is_package)

    def __init__(self, root: str, settings: Any, cache_dir: Optional[str],
                 excluded: Tuple[str, ...] = (), files: Optional[List[str]] = None) -> None:
        self.root = root
        self.settings = settings
        files = python_files(root, excluded) if files is None else sorted(files)
        self.by_module, self.by_path = module_index(root, files)
        self.cache: Any = (SummaryCache(cache_dir, root, cache_key(settings))
                           if files or cache_dir else NoSummaries())
        self.learned = 0  # summaries computed in this run (the rest came from the cache)
        self._loaded: Dict[str, Optional[Dict[str, Any]]] = {}
        self._own: Dict[str, Dict[str, Any]] = {}
        #: the linted file whose summary is not made yet: (path, its facts,
        #: weakly: they die with the check), made when first asked for
        self._pending: Optional[Tuple[str, Any, str, bool]] = None
        #: linted files the index does not hold (tests, stdin): never summarised on disk
        self._unindexed: set = set()
        #: top directories of namespace packages (``namespace_packages``), when first needed
        self._namespaces: Optional[frozenset] = None
        self._resolved: Dict[str, Optional[Tuple[str, str, str]]] = {}
        self._handled: Dict[str, bool] = {}
        self._retried: Dict[str, bool] = {}
        self._constant_params: Dict[Tuple[str, str], bool] = {}
        self._constant_attrs: Dict[str, bool] = {}
        self._risky: Dict[str, bool] = {}
        #: qualified name -> what calling it creates (asked for every call)
        self._creates: Dict[str, Optional[str]] = {}
        #: every last name part a creating call can have (``creator_names``)
        self._creator_names: Optional[frozenset] = None
        #: the same for the linted module, when it is not the file on disk
        self._own_creators: Optional[frozenset] = None
        self._sites: Dict[str, Tuple[tuple, ...]] = {}
        self._tables: Dict[str, Optional[Tuple[List[str], List[List[str]], List[str]]]] = {}
        #: id(summary) -> (summary, {callee's last name part: its call rows}):
        #: each summary's calls are grouped once, not scanned per function asked
        self._calls_by_name: Dict[int, Tuple[Dict[str, Any], Dict[str, Tuple[tuple, ...]]]] = {}
        self._central: Optional[bool] = None
        self._teardown: Optional[bool] = None
        self._own_text: Optional[str] = None
        self._refresh(files)

    # -- keeping the summaries fresh ---------------------------------------------

    def _refresh(self, files: List[str]) -> None:
        current = {path: (*stat, self.by_path[path]) for path in files if (stat := _stat(path)) is not None}
        stale, removed = self._changes(current)
        if not (stale or removed):
            return
        self.cache.begin()
        try:
            cached = self.cache.stats()
            stale, removed = self._changes(current, cached)  # another process may have done it
            # a new file has no rows to delete: forgetting only the known ones
            # keeps a cold build linear (three of the tables have no path index)
            self.cache.forget(removed + [path for path in stale if path in cached])
            for path in stale:
                self.cache.store(path, current[path], self._summarize(path))
                self.learned += 1
            self.cache.commit()
        except BaseException:
            self.cache.rollback()
            raise

    def _changes(self, current: Dict[str, Tuple[int, int, str]],
                 cached: Optional[Dict[str, Tuple[int, int, str]]] = None) -> Tuple[List[str], List[str]]:
        """(files new or changed since they were summarised, files gone)."""
        cached = self.cache.stats() if cached is None else cached
        stale = sorted(path for path, stat in current.items() if cached.get(path) != stat)
        removed = sorted(path for path in cached if path not in current)
        return stale, removed

    def _summarize(self, path: str) -> Dict[str, Any]:
        source = read_source(path)
        module = self.by_path.get(path, "")
        if source is None:
            return {"format": FORMAT, "module": module, "error": True}
        return summarize_source(source, module, path.endswith("__init__.py"), self.settings)

    def module_for(self, path: str) -> Tuple[str, bool]:
        """(module name, is a package) of a file, in the project or not."""
        absolute = os.path.abspath(path)
        module = self.by_path.get(absolute)
        if module is None:
            from .layout import module_name

            module = module_name(absolute, self.root)
        return module, absolute.endswith("__init__.py")

    def use_current(self, path: str, tree: ast.AST, lines: Optional[List[str]], facts: Any = None) -> None:
        """The linted file's facts come from the text flake8 checks: when it
        differs from the file on disk (an editor's unsaved buffer, stdin), its
        summary is made from the tree flake8 parsed."""
        absolute = os.path.abspath(path)
        text = "".join(lines) if lines is not None else None
        if (text is not None and absolute in self.by_path and absolute not in self._unindexed
                and _same_text(absolute, text)):
            if self._own or self._pending:
                self._own = {}
                self._pending = None
                self._loaded.pop(absolute, None)
                self._reset_answers()
            return
        if absolute in self._own and self._own_text == text:
            return
        module, is_package = self.module_for(absolute)
        # a file outside the indexed project (stdin, a fixture, a test
        # module) still answers questions about its own definitions; from
        # the check's facts, and only once a rule asks (most never do)
        self.by_module.setdefault(module, absolute)
        if absolute not in self.by_path:
            self.by_path[absolute] = module
            self._unindexed.add(absolute)
        self._own = {}
        self._pending = None
        if facts is not None:
            self._pending = (absolute, weakref.ref(facts), module, is_package)
        else:
            self._own = {absolute: summarize_tree(tree, module, is_package, self.settings)}
        self._own_text = text
        self._loaded.pop(absolute, None)
        self._central = None
        self._teardown = None
        self._reset_answers()

    def _pending_summarizer(self) -> Optional[Summarizer]:
        """A summarizer of the linted file whose summary is not made yet
        (None once the check that set it is over: its facts are gone)."""
        if self._pending is None:
            return None
        _path, facts_ref, module, is_package = self._pending
        facts = facts_ref()
        if facts is None:
            return None
        return Summarizer(facts, Semantics(facts, self.settings), module, is_package)

    def _own_summaries(self) -> Dict[str, Dict[str, Any]]:
        """{the linted file's path: its summary} when it is not the file on
        disk; the summary is made here, the first time it is needed."""
        if self._pending is not None:
            summarizer = self._pending_summarizer()
            if summarizer is not None:
                self._own = {self._pending[0]: summarizer.summary()}
            self._pending = None
        return self._own

    def settle_own_summary(self) -> None:
        """Make the linted file's summary now, from its facts as the walk
        left them (before the view adjusts its import map)."""
        self._own_summaries()

    def _reset_answers(self) -> None:
        self._risky.clear()
        self._creates.clear()
        self._creator_names = None
        self._own_creators = None
        self._resolved.clear()
        self._handled.clear()
        self._retried.clear()
        self._constant_params.clear()
        self._constant_attrs.clear()
        self._sites.clear()
        self._tables.clear()
        self._calls_by_name.clear()  # also lets go of the previous file's summary

    # -- summaries ------------------------------------------------------------------

    def summary_at(self, path: str) -> Optional[Dict[str, Any]]:
        if self._pending is not None and self._pending[0] == path:
            self._own_summaries()
        if path in self._own:
            return self._own[path]
        if path not in self._loaded:
            self._loaded[path] = self.cache.summary(path)
        return self._loaded[path]

    def module(self, name: str) -> Optional[Dict[str, Any]]:
        path = self.by_module.get(name)
        return self.summary_at(path) if path else None

    def _split(self, qualified: str) -> Optional[Tuple[str, str]]:
        """(module, rest) with the longest module prefix the project has."""
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            name = ".".join(parts[:cut])
            if name in self.by_module:
                return name, ".".join(parts[cut:])
        if len(parts) > 1:
            if self._namespaces is None:
                self._namespaces = namespace_packages(self.root, self.by_path)
            if parts[0] in self._namespaces:
                return self._split(".".join(parts[1:]))  # meltano.core.x: the index's core.x
        return None

    def reexported_module(self, qualified: str) -> Optional[str]:
        """The module outside the project that a project module only imports
        under this name (``mapproxy.util.sqlite3.sqlite3`` -> ``sqlite3``:
        ``import sqlite3`` there, plus its adapters), following re-exports;
        None when the name is the project's own or unknown."""
        for _ in range(MAX_HOPS):
            split = self._split(qualified)
            if split is None or not split[1] or "." in split[1]:
                return None
            summary = self.module(split[0]) or {}
            if split[1] in summary.get("functions", {}) or split[1] in summary.get("classes", {}) \
                    or split[1] in summary.get("attrs", {}):
                return None
            imported = summary.get("imports", {}).get(split[1])
            if not imported:
                return None
            if self._split(imported) is None:
                return imported
            qualified = imported
        return None

    def resolve(self, qualified: Optional[str]) -> Optional[Tuple[str, str, str]]:
        """(kind, module, qualname) of a project definition, or None.

        kind is "function", "class", "attr" or "module"; re-exports
        (``from .api import f`` in a package), module aliases (``f = g``) and
        inherited methods are followed."""
        if not qualified:
            return None
        if qualified in self._resolved:
            return self._resolved[qualified]
        self._resolved[qualified] = None  # cycles resolve to nothing
        found = self._resolve(qualified, 0)
        self._resolved[qualified] = found
        return found

    def _resolve(self, qualified: str, hops: int) -> Optional[Tuple[str, str, str]]:
        if hops > MAX_HOPS:
            return None
        split = self._split(qualified)
        if split is None:
            return None
        module, rest = split
        summary = self.module(module)
        if summary is None:
            return None
        if not rest:
            return "module", module, ""
        if rest in summary.get("functions", {}):
            return "function", module, rest
        if rest in summary.get("classes", {}):
            return "class", module, rest
        head, _, tail = rest.partition(".")
        attrs = summary.get("attrs", {})
        if head in attrs and not tail:
            fact = attrs[head]
            if fact.get("kind") == "alias":
                return self._resolve(fact["value"], hops + 1) or ("attr", module, head)
            return "attr", module, head
        imported = summary.get("imports", {}).get(head)
        if imported:
            return self._resolve(f"{imported}.{tail}" if tail else imported, hops + 1)
        if head in attrs and attrs[head].get("kind") in ("alias", "instance"):
            # ``db_manager.session_context``: a method of the instance's class
            return self._resolve(f"{attrs[head]['value']}.{tail}", hops + 1)
        owner, _, method = rest.rpartition(".")
        if owner in summary.get("classes", {}):
            return self._inherited(module, owner, method, hops)
        return None

    def _inherited(self, module: str, owner: str, member: str, hops: int) -> Optional[Tuple[str, str, str]]:
        """``Class.method`` found on a base class of the project."""
        summary = self.module(module) or {}
        for base in summary.get("classes", {}).get(owner, {}).get("bases", ()):
            target = self._resolve(f"{base}.{member}", hops + 1)
            if target is not None:
                return target
        return None

    def function(self, qualified: Optional[str]) -> Optional[Dict[str, Any]]:
        target = self.resolve(qualified)
        if target is None or target[0] != "function":
            return None
        return (self.module(target[1]) or {}).get("functions", {}).get(target[2])

    def klass(self, qualified: Optional[str]) -> Optional[Tuple[str, str, Dict[str, Any]]]:
        target = self.resolve(qualified)
        if target is None or target[0] != "class":
            return None
        info = (self.module(target[1]) or {}).get("classes", {}).get(target[2])
        return (target[1], target[2], info) if info is not None else None

    def attr(self, qualified: Optional[str]) -> Optional[Dict[str, Any]]:
        target = self.resolve(qualified)
        if target is None or target[0] != "attr":
            return None
        return (self.module(target[1]) or {}).get("attrs", {}).get(target[2])

    # -- vocabulary learned from definitions --------------------------------------

    def decorator_kind(self, qualified: Optional[str]) -> str:
        """"db" / "integrity" for a project decorator whose wrapper calls the
        decorated function inside a DB-error handler, or inside a ``with``
        block of a context manager that handles DB errors, or that is itself
        such a context manager (a ``@contextmanager`` object is a
        ``ContextDecorator``: reader's ``@wrap_exceptions()``); "" otherwise."""
        info = self.function(qualified)
        if not info:
            return ""
        if info.get("wrapper"):
            return info["wrapper"]  # type: ignore[no-any-return]
        via = info.get("wrapper_via", ())
        if any(self.handles_as_context_manager(name) for name in via):
            return "db"
        return "db" if self.handles_as_context_manager(qualified) else ""

    def handles_as_context_manager(self, qualified: Optional[str]) -> bool:
        """A ``@contextmanager`` that handles DB errors around its ``yield``,
        a class whose ``__exit__`` rolls back or translates, or a function
        that returns such a context manager (mlflow's
        ``_get_managed_session_maker(...)``)."""
        return self._cm_handles(qualified, 0)

    def _cm_handles(self, qualified: Optional[str], hops: int) -> bool:
        if not qualified or hops > MAX_HOPS:
            return False
        if qualified.startswith("call:"):
            return self._makes_handling_cm(qualified[len("call:"):], hops)
        info = self.function(qualified)
        if info is not None:
            if info.get("cm") or info.get("returns") == "handler_cm":
                return True
            via = info.get("cm_via")
            return bool(via) and all(self._cm_handles(name, hops + 1) for name in via)
        klass = self.klass(qualified)
        if klass is not None:
            return bool(klass[2].get("exit"))
        fact = self.attr(qualified)
        if fact is not None and fact.get("kind") == "factory" and fact.get("class"):
            # ``Session = sessionmaker(class_=ContextSession)``: ``with Session()``
            # enters a ContextSession (flexget's rolls back in ``__exit__``)
            return self._cm_handles(fact["class"], hops + 1)
        return False

    def _makes_handling_cm(self, qualified: str, hops: int) -> bool:
        """Does calling ``qualified`` give a context manager that handles DB
        errors (it returns one: mlflow's ``_get_managed_session_maker``)?"""
        target = self.resolve(qualified)
        if target is None or target[0] != "function":
            return False
        info = self.function(qualified) or {}
        if info.get("returns") == "handler_cm":
            return True
        inner = info.get("returns_function")
        return bool(inner) and self._cm_handles(f"{target[1]}.{target[2]}.{inner}", hops + 1)

    def returns(self, qualified: Optional[str]) -> str:
        info = self.function(qualified)
        return info.get("returns", "") if info else ""

    def may_create(self, last_name: str) -> bool:
        """Can a call whose last name part is ``last_name`` create a session
        through a project definition?  False is certain; True means: ask
        ``creates``."""
        if self._creator_names is None:
            self._creator_names = frozenset(self.cache.creator_names())
        if last_name in self._creator_names:
            return True
        if self._own_creators is None:
            summaries = list(self._own.values())
            # asked for nearly every call: a linted module whose summary is
            # not made yet gives the part of it that names creators
            summarizer = self._pending_summarizer()
            if summarizer is not None:
                summaries.append(summarizer.creators())
            self._own_creators = frozenset(
                name for summary in summaries for name in creator_names(summary))
        return last_name in self._own_creators

    def creates(self, qualified: str) -> Optional[str]:
        """What calling this project name gives: "session" (a module
        attribute bound to ``sessionmaker(...)``, or a function that returns
        a new session or connection), "scoped" (a ``scoped_session`` proxy or
        a session attribute: the thread's session), or None.  DBS601 asks it
        for every call of every function, so answers are kept for the run."""
        if qualified in self._creates:
            return self._creates[qualified]
        kind = self.attr_kind(qualified)
        if kind == "factory":
            found: Optional[str] = "session"
        elif kind in ("session", "scoped"):
            found = "scoped"
        else:
            found = {"session": "session", "shared": "scoped"}.get(self.returns(qualified) or "")
        self._creates[qualified] = found
        return found

    def attr_kind(self, qualified: Optional[str]) -> str:
        fact = self.attr(qualified)
        if fact is not None:
            return fact.get("kind", "")
        return ""

    def is_quoting(self, qualified: Optional[str], hops: int = 0) -> bool:
        """A project helper that quotes text for SQL: it returns a string
        built around quote doubling or a quoting call, or its name says it
        quotes or escapes (``quote_identifier``, ``escape_sqlite``), or it
        returns literal text around the results of such helpers only
        (tap-postgres' ``fully_qualified_table_name(schema, table)``)."""
        target = self.resolve(qualified)
        if target is None or target[0] != "function":
            return False
        info = self.function(qualified) or {}
        if info.get("returns") in ("quoted", "validated"):
            return True
        if QUOTING_NAME.search(target[2].rsplit(".", 1)[-1]):
            return True
        via = info.get("quoted_via")
        return bool(via) and hops < MAX_HOPS and all(self.is_quoting(name, hops + 1) for name in via)

    def validates(self, qualified: Optional[str]) -> bool:
        """A project function that raises unless its first parameter (after
        ``self``/``cls``) is allowed or a safe identifier: past a call of it,
        that argument is checked (``_validate_identifier(name)``)."""
        info = self.function(qualified)
        return info is not None and bool(info.get("validates"))

    def is_masking(self, qualified: Optional[str]) -> bool:
        target = self.resolve(qualified)
        if target is None or target[0] != "function":
            return False
        info = self.function(qualified) or {}
        return info.get("returns") == "masked" or bool(MASKING_NAME.search(target[2].rsplit(".", 1)[-1]))

    # -- what an object renders (DBS202) -------------------------------------------

    def repr_hides(self, qualified: Optional[str], hops: int = 0) -> bool:
        """Does the project class render without its secrets: its own
        ``__repr__``/``__str__`` reads no secret-named attribute (summary
        ``repr`` "hides"), and no project base defines one that does?"""
        klass = self.klass(qualified)
        if klass is None or klass[2].get("repr") != "hides":
            return False
        return not self._base_shows(klass[2], hops)

    def _base_shows(self, info: Dict[str, Any], hops: int) -> bool:
        if hops >= MAX_HOPS:
            return True
        for base in info.get("bases", ()):
            klass = self.klass(base)
            if klass is None:
                continue
            if klass[2].get("repr") == "shows" or self._base_shows(klass[2], hops + 1):
                return True
        return False

    def gives_rows(self, qualified: str, want: str, hops: int = 0) -> bool:
        """Does the method ``module.Class.method`` (inherited ones found)
        return ``want`` -- "instance" (one object of the class it is called
        on, or None) or "rows" (a query of them) -- with every ``cls.<m>()``
        it relies on giving rows?"""
        info = self.function(qualified)
        if not info or info.get("returns") != want or hops >= MAX_HOPS:
            return False
        owner = qualified.rsplit(".", 1)[0]
        return all(self.gives_rows(f"{owner}.{m}", "rows", hops + 1) for m in info.get("rows_via", ()))

    def constant_attribute(self, attr: str) -> bool:
        """Is ``attr`` a constant of the project: defined somewhere, and every
        definition and store of it in any module a literal (roundup's
        backends' ``arg = '%s'``/``arg = '?'`` read as ``self.db.arg``;
        lnbits' properties that return ``"now()"`` or another such
        property)?  Stores the walk cannot see (``setattr``, a loop target)
        are not counted."""
        if attr not in self._constant_attrs:
            own = self._own_summaries()
            values = [summary["cattrs"][attr] for summary in own.values()
                      if attr in summary.get("cattrs", {})]
            varying = set(self.cache.marked(f"cattr!:{attr}")) - set(own)
            constant = set(self.cache.marked(f"cattr:{attr}")) - set(own)
            self._constant_attrs[attr] = not varying and 0 not in values and bool(constant or values)
        return self._constant_attrs[attr]

    def relationship_class(self, attr: str) -> Optional[str]:
        """The one class that every ORM ``relationship()`` attribute named
        ``attr`` in the project points to (None if none or several)."""
        paths = set(self.cache.marked(f"rel:{attr}"))
        summaries = []
        own = self._own_summaries()
        for path in paths - set(own):
            summaries.append(self.summary_at(path) or {})
        summaries += list(own.values())
        targets = set()
        for summary in summaries:
            module = summary.get("module", "")
            for info in summary.get("classes", {}).values():
                target = info.get("rels", {}).get(attr)
                if not target:
                    continue
                head, _, rest = target.partition(".")
                imported = summary.get("imports", {}).get(head)
                if imported:
                    targets.add(f"{imported}.{rest}" if rest else imported)
                else:
                    targets.add(f"{module}.{target}")
        return targets.pop() if len(targets) == 1 else None

    def writes(self, qualified: Optional[str]) -> bool:
        """Does this project function write to the database: a write the
        module sees by itself, or a write method called on a session that
        another module defines (``Session.commit()`` with ``Session`` a
        scoped_session proxy imported from the models module)?"""
        info = self.function(qualified)
        if not info:
            return False
        if info.get("writes"):
            return True
        return any(self.attr_kind(receiver) in ("session", "scoped") for receiver in info.get("via", ()))

    def rolls_back(self, qualified: Optional[str]) -> bool:
        """Does this project function call ``rollback()`` (an error helper
        a handler calls instead of rolling back itself)?"""
        info = self.function(qualified)
        return bool(info and info.get("rollback"))

    def writes_in_own_transaction(self, qualified: Optional[str]) -> bool:
        """Does every DB write of this project function sit in a ``with`` of
        its own that ends the transaction (``with session.begin():``)? Then a
        failed write is rolled back before its caller's handler runs."""
        info = self.function(qualified)
        return bool(info and info.get("tx"))

    def key_columns(self, qualified: Optional[str]) -> Optional[Tuple[List[str], List[List[str]], List[str]]]:
        """(primary key, unique column sets, concurrency columns) of a model
        class (its bases and mixins included) or a ``Table``; None when the
        project does not define it."""
        klass = self.klass(qualified)
        if klass is not None:
            keys = self._class_keys(klass[0], klass[2], 0, orm=True)
            return self._or_declared_elsewhere(keys, klass[2].get("table"))
        fact = self.attr(qualified)
        if fact is not None and fact.get("kind") == "table":
            keys = list(fact.get("keys", ())), [list(u) for u in fact.get("unique", ())], []
            return self._or_declared_elsewhere(keys, fact.get("name"))
        return None

    def _or_declared_elsewhere(self, keys, table: Optional[str]):  # type: ignore[no-untyped-def]
        """A declaration with no primary key (a migration's lightweight
        ``sa.Table("x", meta, sa.Column("network_id"))``) names a table whose
        keys the project declares elsewhere (its model): take those."""
        if keys[0] or not table:
            return keys
        declared = self.table_keys(table)
        if declared is None or not declared[0]:
            return keys
        unique = keys[1] + [u for u in declared[1] if u not in keys[1]]
        return declared[0], unique, keys[2] or declared[2]

    def table_keys(self, table: str) -> Optional[Tuple[List[str], List[List[str]], List[str]]]:
        """The keys of a table named in SQL text (``UPDATE karma ...``) as the
        project declares it: an ORM class's ``__tablename__``, a
        ``Table("karma", ...)`` or ``CREATE TABLE karma (...)`` text; None
        when nothing declares it, or the declarations disagree on the
        primary key (two databases, a migration's older shape)."""
        name = table.lower()
        if name in self._tables:
            return self._tables[name]
        declared = []
        paths = list(self.cache.marked(f"table:{name}"))
        paths += [path for path in self._own_summaries() if path not in paths]
        for path in paths:
            summary = self.summary_at(path) or {}
            module = summary.get("module", "")
            for info in summary.get("classes", {}).values():
                if (info.get("table") or "").lower() == name:
                    declared.append(self._class_keys(module, info, 0))
            for fact in summary.get("attrs", {}).values():
                if fact.get("kind") == "table" and (fact.get("name") or "").lower() == name:
                    declared.append((list(fact.get("keys", ())), [list(u) for u in fact.get("unique", ())], []))
            ddl = summary.get("ddl", {}).get(name)
            if ddl:
                declared.append((list(ddl.get("keys", ())), [list(u) for u in ddl.get("unique", ())], []))
        self._tables[name] = _agreed_keys(declared)
        return self._tables[name]

    def _class_keys(self, module: str, info: Dict[str, Any], hops: int, orm: bool = False):
        """Keys, unique sets and version columns of a model class and its
        bases, as the database names them; with ``orm`` each key or unique
        set a ``Column("RepoID", ...)`` renames is also a unique set under the
        attribute's names (``RepoObject.id``), while the column's own name
        still pins (a hybrid property ``domain`` over ``_domain =
        Column("domain")``)."""
        keys = list(info.get("keys", ()))
        unique = [list(u) for u in info.get("unique", ())]
        concurrency = list(info.get("concurrency", ()))
        renamed = info.get("renamed", {}) if orm else {}
        if renamed:
            for columns in [keys] + unique:
                alias = [renamed.get(c, c) for c in columns]
                if columns and alias != columns:
                    unique.append(alias)
            concurrency += [renamed[c] for c in concurrency if c in renamed]
        if hops < MAX_HOPS:
            for base in info.get("bases", ()):
                klass = self.klass(base)
                if klass is None:
                    continue
                base_keys, base_unique, base_concurrency = self._class_keys(klass[0], klass[2], hops + 1, orm)
                if not keys:
                    keys = base_keys
                unique += base_unique
                concurrency = concurrency or base_concurrency
        return keys, unique, concurrency

    def class_attr(self, module: str, owner: str, name: str) -> Optional[str]:
        """A class-level ``name = <dotted>`` of ``module.owner`` or its bases."""
        for _ in range(MAX_HOPS):
            info = (self.module(module) or {}).get("classes", {}).get(owner)
            if info is None:
                return None
            value = info.get("attrs", {}).get(name)
            if value:
                return value
            for base in info.get("bases", ()):
                klass = self.klass(base)
                if klass is not None:
                    found = self.class_attr(klass[0], klass[1], name)
                    if found:
                        return found
            return None
        return None

    def self_attr(self, module: str, owner: str, name: str) -> List[str]:
        """Every value ``self.<name>`` gets in ``module.owner``'s methods, its
        bases', or, for a mixin that never sets it, in the project's classes
        that inherit it (``"call:<qualified>"`` for the result of a call)."""
        info = (self.module(module) or {}).get("classes", {}).get(owner)
        if info is None:
            return []
        values = list(info.get("self_attrs", {}).get(name, ()))
        if values:
            return values
        for base in info.get("bases", ())[:8]:
            klass = self.klass(base)
            if klass is not None:
                values = list((klass[2].get("self_attrs") or {}).get(name, ()))
                if values:
                    return values
        found: List[str] = []
        for sub_module, sub_name, sub_info in self.subclasses(module, owner):
            for value in (sub_info.get("self_attrs") or {}).get(name, ()):
                if value not in found:
                    found.append(value)
        return found

    def subclasses(self, module: str, owner: str) -> List[Tuple[str, str, Dict[str, Any]]]:
        """The project's classes that name ``module.owner`` among their bases."""
        wanted = f"{module}.{owner}"
        out = []
        for path in self.cache.paths_with_base(owner.rsplit(".", 1)[-1]):
            summary = self.summary_at(path) or {}
            for name, info in summary.get("classes", {}).items():
                for base in info.get("bases", ()):
                    target = self.resolve(base)
                    if target is not None and ".".join(t for t in target[1:] if t) == wanted:
                        out.append((summary.get("module", ""), name, info))
                        break
        return out[:50]

    # -- call sites -----------------------------------------------------------------

    def call_sites(self, qualified: str) -> Tuple[tuple, ...]:
        """Every project call site that resolves to ``qualified``:
        (callee, line, caller qualname, guard, (managers, (arguments,)) path,
        module) (``_site_managers``, ``_site_arguments``).  Tuples: the
        answers live for the whole run, and the collector stops tracking a
        tuple of strings and numbers (see ``summary.frozen``)."""
        if qualified in self._sites:
            return self._sites[qualified]
        name = qualified.rsplit(".", 1)[-1]
        found: List[tuple] = []
        for path in self._calling_paths(name):
            summary = self.summary_at(path)
            if not summary:
                continue
            for row in self._calls_named(summary).get(name, ()):
                target = self.resolve(row[0])
                if target is not None and ".".join(t for t in target[1:] if t) == qualified:
                    found.append((*row, path, summary.get("module", "")))
            if len(found) >= MAX_CALL_SITES:
                break
        sites = self._sites[qualified] = tuple(found)
        return sites

    def _calling_paths(self, name: str) -> List[str]:
        paths = set(self.cache.paths_calling(name))
        for path, summary in self._own_summaries().items():
            paths.discard(path)
            if name in self._calls_named(summary):
                paths.add(path)
        return sorted(paths)

    def _calls_named(self, summary: Dict[str, Any]) -> Dict[str, Tuple[tuple, ...]]:
        """A summary's call rows grouped by the callee's last name part, in
        order; tuples, like the summary itself, so that the groups of every
        summary asked in a run are not traversed by each full collection."""
        entry = self._calls_by_name.get(id(summary))
        if entry is None or entry[0] is not summary:
            grouped: Dict[str, List[tuple]] = {}
            for row in summary.get("calls", ()):
                grouped.setdefault(row[0].rsplit(".", 1)[-1], []).append(row)
            entry = self._calls_by_name[id(summary)] = (
                summary, {name: tuple(rows) for name, rows in grouped.items()})
        return entry[1]

    def function_handled(self, qualified: str, handler_cms: frozenset, handler_decorators: frozenset) -> bool:
        """Are the DB errors of this function's writes handled by design?

        Yes when it is decorated by a DB-error handling decorator (learned or
        configured), when it is a web route and the project registers an
        application-wide DB-error handler, or when it has resolved call sites
        and every one sits inside a DB-error or broad handler, a handling
        context manager, or a function for which this holds (transitively).
        A function with no resolved call site is judged on its own: no."""
        if qualified in self._handled:
            return self._handled[qualified]
        self._handled[qualified] = False  # a cycle proves nothing
        result = self._handled_by_design(qualified, handler_cms, handler_decorators, 0)
        self._handled[qualified] = result
        return result

    def integrity_by_callers(self, qualified: str) -> bool:
        """Does every resolved call site of this function sit inside a
        DB-error handler of its caller, some of them integrity-only
        (``try: self._writeout(conn) except sqlite3.IntegrityError:``)?
        Then its writes are guarded as an integrity-only handler guards a
        write written there: DBS102, not DBS101."""
        sites = self.call_sites(qualified)
        return bool(sites) and len(sites) < MAX_CALL_SITES and all(
            site[3] in ("db", "integrity") for site in sites)

    def _handled_by_design(self, qualified: str, cms: frozenset, decorators: frozenset, hops: int) -> bool:
        info = self.function(qualified)
        if info is not None:
            for decorator in info.get("decorators", ()):
                if decorator.rsplit(".", 1)[-1] in decorators or self.decorator_kind(decorator) == "db":
                    return True
            if info.get("route") and self.has_central_db_handler():
                return True
        if hops >= MAX_HOPS:
            return False
        sites = self.call_sites(qualified)
        if not sites or len(sites) >= MAX_CALL_SITES:
            return False
        return all(self._site_handled(site, cms, decorators, hops) for site in sites)

    def _site_handled(self, site: list, cms: frozenset, decorators: frozenset, hops: int) -> bool:
        callee, _line, caller, guard = site[:4]
        managers = _site_managers(site)
        module = site[-1]
        if guard == "db":
            return True
        if any(self._site_manager_handles(m, module, caller, cms) for m in managers):
            return True
        if not caller:
            return False  # module-level code: scripts, import time
        qualified = f"{module}.{caller}"
        if qualified in self._handled:
            return self._handled[qualified]
        self._handled[qualified] = False
        result = self._handled_by_design(qualified, cms, decorators, hops + 1)
        self._handled[qualified] = result
        return result

    def _site_manager_handles(self, manager: str, module: str, caller: str, cms: frozenset) -> bool:
        if manager.rsplit(".", 1)[-1] in cms:
            return True
        if manager.startswith("self:"):
            attr = manager[len("self:"):]
            if attr in cms:
                return True
            owner = self._owning_class(module, caller)
            if not owner:
                return False
            values = self.self_attr(module, owner, attr)
            if values:
                return all(self.handles_as_context_manager(v) for v in values)
            return self.handles_as_context_manager(f"{module}.{owner}.{attr}")  # a method of the class
        return self.handles_as_context_manager(manager)

    def _owning_class(self, module: str, qualname: str) -> str:
        """The class a method (or a function nested in one) belongs to."""
        classes = (self.module(module) or {}).get("classes", {})
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:cut])
            if prefix in classes:
                return prefix
        return ""

    def function_retried(self, qualified: str) -> bool:
        """Is the function re-run on deadlocks: decorated with a deadlock
        retry, or every resolved caller is (transitively)?"""
        if qualified in self._retried:
            return self._retried[qualified]
        self._retried[qualified] = False
        info = self.function(qualified)
        result = bool(info and info.get("retry"))
        if not result:
            sites = self.call_sites(qualified)
            result = bool(sites) and len(sites) < MAX_CALL_SITES and all(
                bool(site[2]) and self.function_retried(f"{site[-1]}.{site[2]}") for site in sites
            )
        self._retried[qualified] = result
        return result

    def param_constant(self, qualified: str, param: str, hops: int = 0) -> bool:
        """Does every resolved call site of the function pass a constant for
        ``param`` (a literal, an UPPER_CASE constant, a constant default, or a
        parameter of the caller for which this holds, transitively)?  A
        function with no resolved call site is judged on its own: no."""
        key = (qualified, param)
        if key in self._constant_params:
            return self._constant_params[key]
        self._constant_params[key] = False  # a cycle proves nothing
        result = hops < MAX_HOPS and self._passed_constant(qualified, param, hops)
        self._constant_params[key] = result
        return result

    def signature(self, qualified: Optional[str]) -> Optional[Tuple[str, Dict[str, Any], int, int]]:
        """A project function's (qualified name, facts, positional parameters,
        offset): the offset is 1 for a method called on an instance or class
        (``self``/``cls`` is not passed), 0 for functions and static methods."""
        target = self.resolve(qualified)
        if target is None or target[0] != "function":
            return None
        summary = self.module(target[1]) or {}
        info = summary.get("functions", {}).get(target[2])
        if not info:
            return None
        owner = target[2].rpartition(".")[0]
        bound = bool(owner) and owner in summary.get("classes", {}) and not any(
            d.rsplit(".", 1)[-1] == "staticmethod" for d in info.get("decorators", ()))
        positional = len(info.get("params", ())) - info.get("kwonly", 0)
        return f"{target[1]}.{target[2]}", info, positional, 1 if bound else 0

    def sql_text(self, qualified: Optional[str]) -> Optional[Tuple[int, List[str], Tuple[str, Dict[str, Any], int, int]]]:
        """What SQL-safe text a project function returns (its summary's
        ``sql``): (-1 the value / 0 the first element of the tuple it returns,
        the parameters the text is built from, its signature); None if not."""
        found = self.signature(qualified)
        if found is None or "sql" not in found[1]:
            return None
        index, _, params = found[1]["sql"].partition(":")
        return int(index), [p for p in params.split(",") if p], found

    def _passed_constant(self, qualified: str, param: str, hops: int) -> bool:
        found = self.signature(qualified)
        if found is None or param not in found[1].get("params", ()):
            return False
        name, info, positional, offset = found
        index = list(info["params"]).index(param)
        slot = index - offset
        if slot < 0:
            return False  # ``self``/``cls``
        sites = self.call_sites(name)
        if not sites or len(sites) >= MAX_CALL_SITES:
            return False
        defaults = info.get("cdefaults", ())
        for site in sites:
            arguments = _site_arguments(site)
            if not arguments:
                return False  # the call passes nothing known
            token = _passed_token(arguments, param, slot if index < positional else -1)
            if token == "default" and param in defaults:
                continue
            if token == "1":
                continue
            if token.startswith("@") and site[2] and self.param_constant(
                    f"{site[-1]}.{site[2]}", token[1:], hops + 1):
                continue
            return False
        return True

    def authorizes(self, qualified: str) -> bool:
        """Does the project function check authorization (a policy call, a
        user check, a guarding decorator)?"""
        info = self.function(qualified)
        return bool(info and info.get("authz"))

    def wrapper_authorizes(self, qualified: str, hops: int = 0) -> bool:
        """Is the project function a decorator (or decorator factory) whose
        returned wrapper checks authorization: ``def user_login_required(f):
        def wrapped(...): <check>; return f(...); return wrapped``?"""
        target = self.resolve(qualified)
        if target is None or target[0] != "function" or hops > 2:
            return False
        inner = (self.function(qualified) or {}).get("returns_function")
        if not inner:
            return False
        nested = f"{target[1]}.{target[2]}.{inner}"
        return self.authorizes(nested) or self.wrapper_authorizes(nested, hops + 1)

    def risky(self, qualified: str, hops: int = 0) -> bool:
        """Does calling this function update or delete records (itself or
        through a project function it calls: service -> DB) before it checks
        authorization?  Memoized; cycles and longer chains count as no."""
        if qualified in self._risky:
            return self._risky[qualified]
        self._risky[qualified] = False
        result = self._risky_now(qualified, hops)
        self._risky[qualified] = result
        return result

    def _risky_now(self, qualified: str, hops: int) -> bool:
        target = self.resolve(qualified)
        if target is None or target[0] != "function" or hops > RISK_HOPS:
            return False
        module, name = target[1], target[2]
        info = (self.module(module) or {}).get("functions", {}).get(name, {})
        first_check = min(info.get("authz", ()), default=None)
        if first_check is not None and first_check <= info.get("line", 0):
            return False  # a guarding decorator
        for line in info.get("destroys", ()):
            if first_check is None or line < first_check:
                return True
        for row in (self.module(module) or {}).get("calls", ()):
            if row[2] != name or (first_check is not None and row[1] >= first_check):
                continue
            if self.risky(row[0], hops + 1):
                return True
        return False

    def has_central_db_handler(self) -> bool:
        """Does the project register an application-wide DB-error handler?"""
        if self._central is None:
            self._central = self._marked_anywhere("db_error_handler", "error_handlers")
        return self._central

    def has_request_teardown(self) -> bool:
        """Does the project end its sessions after every request (a Flask
        ``teardown_request``/``teardown_appcontext`` that removes, closes or
        rolls back a session)?"""
        if self._teardown is None:
            self._teardown = self._marked_anywhere("request_teardown", "teardowns")
        return self._teardown

    def _marked_anywhere(self, mark: str, field: str) -> bool:
        """A module-level fact of any summary: the cache's index, with the
        linted module's own summary in place of its stored one."""
        paths = set(self.cache.marked(mark))
        for path, summary in self._own_summaries().items():
            paths.discard(path)
            if summary.get(field):
                paths.add(path)
        return bool(paths)

    def request_scoped(self, qualified: Optional[str]) -> bool:
        """A session the web application ends after every request: a
        ``scoped_session`` proxy in a project with a request teardown, or
        the ``session`` of Flask-SQLAlchemy's extension object (it removes
        the session when every application context ends)."""
        if not qualified:
            return False
        owner, _, last = qualified.rpartition(".")
        if last == "session" and owner:
            fact = self.attr(owner)
            if fact is not None and fact.get("kind") == "instance" \
                    and str(fact.get("value", "")).startswith("flask_sqlalchemy."):
                return True
        return self.attr_kind(qualified) == "scoped" and self.has_request_teardown()

    # -- what was learned, for `flake8-dbsec model` ------------------------------------

    def facts(self) -> List[Tuple[str, int, str]]:
        """(path, line, fact) for every learned fact, sorted."""
        out: List[Tuple[str, int, str]] = []
        for module, path in sorted(self.by_module.items()):
            summary = self.summary_at(path) or {}
            out += _describe(
                module, path, summary, lambda name: self.attr_kind(name) in ("session", "scoped")
            )
            for name, info in summary.get("functions", {}).items():
                if info.get("wrapper_via") and self.decorator_kind(f"{module}.{name}") == "db":
                    out.append((path, info.get("line", 0), f"decorator {module}.{name} runs the "
                                "function in a context manager that handles DB errors"))
                if info.get("quoted_via") and self.is_quoting(f"{module}.{name}"):
                    out.append((path, info.get("line", 0), f"{module}.{name} returns text around "
                                f"{', '.join(info['quoted_via'])} only: SQL-quoted"))
            for name, line in summary.get("cattrs", {}).items():
                if line and self.constant_attribute(name):
                    out.append((path, line, f"attribute .{name} is a constant: the project "
                                            "defines and stores it only as a literal or a number"))
        return sorted(out)


RETURNS_TEXT = {
    "session": "returns a new session or connection",
    "shared": "returns a session it also keeps (a cached or request-wide session its callers borrow)",
    "logger": "returns a logger",
    "quoted": "returns SQL-quoted text",
    "validated": "returns its argument once checked as a safe identifier",
    "masked": "returns a masked value",
    "handler_cm": "returns a context manager that handles DB errors",
    "instance": "returns one object of the class it is called on",
    "rows": "returns a query of the rows of the class it is called on",
}
ATTR_TEXT = {
    "session": "is a session",
    "scoped": "is a scoped session proxy (a session, and a factory of the thread's session)",
    "factory": "is a session factory",
    "engine": "is an engine",
    "logger": "is a logger",
}


def _site_managers(site: list) -> list:
    """The ``with`` managers around a call site (``call_sites`` row)."""
    return site[4] if len(site) > 6 else []


def _site_arguments(site: list) -> str:
    """A call site's argument kinds (``summary.argument_kinds``), "" if none kept."""
    return site[5] if len(site) > 7 else ""


def _passed_token(arguments: str, param: str, slot: int) -> str:
    """What a call site passes for a parameter, from the summary's compact
    ``arguments`` string (``Summarizer.argument_kinds``): "1" (a constant),
    "0", "@name" (the caller's parameter), or "default" when the call
    leaves it out; a spread (``*args``/``**kw``) hides it: "0"."""
    parts = arguments.split(";")
    positional = [t for t in parts[0].split(",") if t]
    if 0 <= slot < len(positional):
        return positional[slot]
    for pair in parts[1].split(",") if len(parts) > 1 else ():
        name, _, token = pair.partition("=")
        if name == param:
            return token
    return "0" if len(parts) > 2 else "default"


def _describe(module: str, path: str, summary: Dict[str, Any], is_session=None) -> List[Tuple[str, int, str]]:
    out: List[Tuple[str, int, str]] = []
    for name, fact in summary.get("attrs", {}).items():
        kind = fact.get("kind")
        if kind in ATTR_TEXT:
            out.append((path, fact.get("line", 0), f"{module}.{name} {ATTR_TEXT[kind]}"))
        elif kind == "table" and fact.get("keys"):
            out.append((path, fact.get("line", 0), f"table {module}.{name} is keyed by {', '.join(fact['keys'])}"))
    for name, info in summary.get("functions", {}).items():
        line = info.get("line", 0)
        where = f"{module}.{name}"
        short = name.rsplit(".", 1)[-1]
        if info.get("wrapper"):
            out.append((path, line, f"decorator {where} handles DB errors ({info['wrapper']})"))
        if info.get("cm"):
            out.append((path, line, f"context manager {where} handles DB errors"))
        if info.get("rollback"):
            out.append((path, line, f"{where} ends a failed transaction (rollback, close or ROLLBACK)"))
        if info.get("validates"):
            out.append((path, line, f"{where} raises unless its first argument is allowed or a safe identifier"))
        returns = info.get("returns")
        if returns in RETURNS_TEXT:
            out.append((path, line, f"{where} {RETURNS_TEXT[returns]}"))
        elif QUOTING_NAME.search(short):
            out.append((path, line, f"{where} quotes SQL text (by its name)"))

        elif MASKING_NAME.search(short):
            out.append((path, line, f"{where} masks secrets (by its name)"))
        if info.get("sql"):
            index, _, params = info["sql"].partition(":")
            part = "SQL text" if index == "-1" else "a (SQL text, ...) tuple"
            built = f"built from constants and {params.replace(',', ', ')}" if params else "built from constants"
            out.append((path, line, f"{where} returns {part} {built}"))
        if info.get("counts"):
            out.append((path, line, f"{where} reads the rowcount of its {', '.join(info['counts'])}: "
                                    "passing a cursor to it consults the cursor's last statement"))
        if info.get("retry"):
            out.append((path, line, f"{where} is retried on deadlocks"))
        if info.get("route"):
            out.append((path, line, f"{where} is a web route"))
        if info.get("writes"):
            inside = " inside its own transaction blocks" if info.get("tx") else ""
            out.append((path, line, f"{where} writes to the database{inside}"))
        elif info.get("via") and is_session:
            sessions = [r for r in info["via"] if is_session(r)]
            if sessions:
                out.append((path, line, f"{where} writes through {', '.join(sessions)}"))
    for name, info in summary.get("classes", {}).items():
        line = info.get("line", 0)
        if info.get("keys"):
            out.append((path, line, f"model {module}.{name} is keyed by {', '.join(info['keys'])}"))
        for columns in info.get("unique", ()):
            out.append((path, line, f"model {module}.{name} is unique on {', '.join(columns)}"))
        if info.get("concurrency"):
            out.append((path, line, f"model {module}.{name} has version column {info['concurrency'][0]}"))
        if info.get("exit"):
            out.append((path, line, f"context manager class {module}.{name} handles DB errors on exit"))
        if info.get("repr") == "hides":
            out.append((path, line, f"{module}.{name} renders without its secret attributes (__repr__/__str__)"))
    for table, info in summary.get("ddl", {}).items():
        line = info.get("line", 0)
        if info.get("keys"):
            out.append((path, line, f"SQL text declares table {table} keyed by {', '.join(info['keys'])}"))
        for columns in info.get("unique", ()):
            out.append((path, line, f"SQL text declares table {table} unique on {', '.join(columns)}"))
    for line in summary.get("error_handlers", ()):
        out.append((path, line, "application-wide DB error handler registered"))
    for line in summary.get("teardowns", ()):
        out.append((path, line, "ends a session after every request (request teardown)"))
    return out


def _agreed_keys(declared):  # type: ignore[no-untyped-def]
    """One table's declarations merged: None when there is none or their
    primary keys differ; else that key, every unique set, the concurrency
    columns of the first that has any."""
    if not declared:
        return None
    primaries = {tuple(keys) for keys, _unique, _versions in declared if keys}
    if len(primaries) > 1:
        return None
    unique: List[List[str]] = []
    for _keys, sets, _versions in declared:
        unique += [columns for columns in sets if columns not in unique]
    versions = next((v for _k, _u, v in declared if v), [])
    return (list(primaries.pop()) if primaries else []), unique, list(versions)
