"""The summaries of a project's modules, cached on disk between runs.

One SQLite database per project root and settings (stdlib, safe for several
flake8 processes and an editor at once: SQLite locks, and every change is a
transaction, so a killed run leaves the previous state).  A row holds a
file's summary as JSON (data only: reading a cache planted in a repository
can never run code) with the file's ``mtime_ns`` and size: a changed, added
or deleted file is summarised again before any question is answered, so an
answer never comes from stale data.  The key of the database holds the
plugin version, the summary format and a fingerprint of the settings.

Where the cache directory cannot be written (read-only, absent, full), the
same database lives in memory for the run: slower, same findings.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from typing import Dict, Iterable, List, Optional, Tuple

from .summary import creator_names, declared_table_names, frozen

#: (mtime_ns, size, module name): a file whose name in the project changes
#: (an ``__init__.py`` added above it) is summarised again, as its relative
#: imports and qualified names change with it
Stat = Tuple[int, int, str]
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS files ("
    " path BLOB PRIMARY KEY, mtime_ns INTEGER, size INTEGER, module BLOB, summary TEXT)",
    # calls by the callee's last name part: re-exports and ``self.`` calls
    # resolve to the same function under other qualified names
    "CREATE TABLE IF NOT EXISTS calls (name TEXT, path BLOB)",
    "CREATE INDEX IF NOT EXISTS calls_by_name ON calls (name)",
    "CREATE INDEX IF NOT EXISTS calls_by_path ON calls (path)",
    "CREATE TABLE IF NOT EXISTS marks (kind TEXT, path BLOB)",
    "CREATE TABLE IF NOT EXISTS bases (name TEXT, path BLOB)",
    # names a call can have and still create a session (``creator_names``)
    "CREATE TABLE IF NOT EXISTS creators (name TEXT, path BLOB)",
    "CREATE INDEX IF NOT EXISTS bases_by_name ON bases (name)",
    "CREATE INDEX IF NOT EXISTS marks_by_kind ON marks (kind)",
)
#: how long a process waits for another one that is summarising the project
BUSY_TIMEOUT = 600.0


def default_cache_dir() -> str:
    """``$XDG_CACHE_HOME/flake8-dbsec`` (``~/.cache/flake8-dbsec``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "flake8-dbsec")


class SummaryCache:
    """Per-file summaries of one project, in SQLite (disk, else memory)."""

    def __init__(self, directory: Optional[str], root: str, key: str) -> None:
        self.location = ":memory:"
        self.connection = self._open(directory, root, key)
        for statement in SCHEMA:
            self.connection.execute(statement)
        self.connection.commit()

    def _open(self, directory: Optional[str], root: str, key: str) -> sqlite3.Connection:
        if directory:
            name = hashlib.sha1(f"{os.path.abspath(root)}\0{key}".encode()).hexdigest()[:20]
            path = os.path.join(directory, f"{name}.sqlite3")
            try:
                os.makedirs(directory, exist_ok=True)
                _ignore_for_git(directory)
                connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                for statement in SCHEMA:
                    connection.execute(statement)
                self.location = path
                return connection
            except (OSError, sqlite3.Error):
                pass  # read-only, absent or damaged: compute in memory
        return sqlite3.connect(":memory:", isolation_level=None)

    # -- freshness ---------------------------------------------------------------

    def stats(self) -> Dict[str, Stat]:
        rows = self.connection.execute("SELECT path, mtime_ns, size, module FROM files")
        return {_decode(path): (mtime, size, _decode(module)) for path, mtime, size, module in rows}

    def begin(self) -> None:
        """Take the write lock: one process summarises, the others wait and
        then find the work done."""
        self.connection.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.connection.execute("COMMIT")

    def rollback(self) -> None:
        try:
            self.connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def store(self, path: str, stat: Stat, summary: dict) -> None:
        """Add a file's summary (its old rows, if any, were forgotten first)."""
        path = _encode(path)  # type: ignore[assignment]
        self.connection.execute(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
            (path, stat[0], stat[1], _encode(stat[2]), json.dumps(summary, separators=(",", ":"))),
        )
        names = sorted({row[0].rsplit(".", 1)[-1] for row in summary.get("calls", ())})
        self.connection.executemany("INSERT INTO calls VALUES (?, ?)", [(n, path) for n in names])
        if summary.get("error_handlers"):
            self.connection.execute("INSERT INTO marks VALUES ('db_error_handler', ?)", (path,))
        if summary.get("teardowns"):
            self.connection.execute("INSERT INTO marks VALUES ('request_teardown', ?)", (path,))
        rels = sorted({
            attr for info in summary.get("classes", {}).values() for attr in info.get("rels", {})
        })
        self.connection.executemany("INSERT INTO marks VALUES (?, ?)", [(f"rel:{a}", path) for a in rels])
        # constant attributes: "cattr:x" where every store of x is a literal, "cattr!:x" where one is not
        self.connection.executemany("INSERT INTO marks VALUES (?, ?)", [
            (f"cattr{'' if constant else '!'}:{name}", path)
            for name, constant in sorted(summary.get("cattrs", {}).items())])
        # tables the module declares, by their SQL name: "table:<name>"
        self.connection.executemany("INSERT INTO marks VALUES (?, ?)", [
            (f"table:{name}", path) for name in declared_table_names(summary)])
        bases = sorted({
            base.rsplit(".", 1)[-1]
            for info in summary.get("classes", {}).values()
            for base in info.get("bases", ())
        })
        self.connection.executemany("INSERT INTO bases VALUES (?, ?)", [(b, path) for b in bases])
        self.connection.executemany(
            "INSERT INTO creators VALUES (?, ?)", [(n, path) for n in creator_names(summary)])

    def forget(self, paths: Iterable[str]) -> None:
        for path in paths:
            for table in ("files", "calls", "marks", "bases", "creators"):
                self.connection.execute(f"DELETE FROM {table} WHERE path = ?", (_encode(path),))

    # -- reading ------------------------------------------------------------------

    def summary(self, path: str) -> Optional[dict]:
        row = self.connection.execute(
            "SELECT summary FROM files WHERE path = ?", (_encode(path),)
        ).fetchone()
        if row is None:
            return None
        try:
            value = json.loads(row[0])
        except ValueError:
            return None
        return frozen(value) if isinstance(value, dict) else None

    def paths_calling(self, name: str) -> List[str]:
        """Files with a call whose callee's last name part is ``name``."""
        rows = self.connection.execute("SELECT DISTINCT path FROM calls WHERE name = ?", (name,))
        return sorted(_decode(path) for (path,) in rows)

    def paths_with_base(self, name: str) -> List[str]:
        """Files with a class whose base's last name part is ``name``."""
        rows = self.connection.execute("SELECT DISTINCT path FROM bases WHERE name = ?", (name,))
        return sorted(_decode(path) for (path,) in rows)

    def creator_names(self) -> List[str]:
        rows = self.connection.execute("SELECT DISTINCT name FROM creators")
        return [name for (name,) in rows]

    def marked(self, kind: str) -> List[str]:
        rows = self.connection.execute("SELECT DISTINCT path FROM marks WHERE kind = ?", (kind,))
        return sorted(_decode(path) for (path,) in rows)

    def close(self) -> None:
        try:
            self.connection.close()
        except sqlite3.Error:
            pass


class NoSummaries:
    """The cache of a project with no files on disk (one module checked on
    its own: tests, tools, ``--dbsec-project-model=off``): nothing is ever
    stored, so every question has the empty answer, without opening a
    database for each file checked (an in-memory SQLite database and its
    schema cost ~0.2 ms, paid per file with the model off)."""

    location = ":none:"

    def stats(self) -> Dict[str, Stat]:
        return {}

    def summary(self, path: str) -> Optional[dict]:
        return None

    def paths_calling(self, name: str) -> List[str]:
        return []

    def paths_with_base(self, name: str) -> List[str]:
        return []

    def creator_names(self) -> List[str]:
        return []

    def marked(self, kind: str) -> List[str]:
        return []

    def close(self) -> None:
        pass


def _encode(path: str) -> bytes:
    """A path as its file-system bytes: a name that is not valid UTF-8
    (Linux allows it) is stored exactly."""
    return os.fsencode(path)


def _decode(value: object) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else str(value)


def _ignore_for_git(directory: str) -> None:
    """A cache directory inside a repository ignores itself."""
    marker = os.path.join(directory, ".gitignore")
    if not os.path.exists(marker):
        try:
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write("*\n")
        except OSError:
            pass
