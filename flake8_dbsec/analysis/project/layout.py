"""Where a project is and which modules it has.

The root is what a user expects: the directory of the flake8 configuration
in use, when the linted file lies under it; else the nearest ancestor of the
file holding ``pyproject.toml``, ``setup.cfg``, ``setup.py``, ``tox.ini`` or
``.git``; else the directory its top-level package is imported from (an
unpacked wheel: beside its ``.dist-info``).  Module names follow Python's
package rules: a file's dotted name starts at the highest ancestor directory
that still has an ``__init__.py`` (namespace packages and ``src/`` layouts
included: the first directory without one ends the name); an import through
a namespace package right under the root (``meltano.core.x`` for
``meltano/core/x.py``) is read without its first part.
"""

from __future__ import annotations

import os
import re
from typing import Dict, Iterable, List, Optional, Tuple

ROOT_MARKERS = ("pyproject.toml", "setup.cfg", "setup.py", "tox.ini", ".git")
#: directories never part of a project's code
SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".tox", ".nox", ".venv", "venv", "env", ".env", "__pycache__",
     "node_modules", "build", "dist", ".eggs", ".mypy_cache", ".pytest_cache", "site-packages",
     ".dbsec_cache", ".cache"}
)
#: test code: its calls exercise functions, they are not the design the
#: project model learns from (pytest.raises around a write is no handler)
TEST_DIRS = frozenset({"tests", "test", "testing"})


def is_test_name(name: str) -> bool:
    return name.startswith("test_") or name.endswith("_test.py") or name in ("conftest.py", "test.py")


#: a project bigger than this is indexed up to this many modules (sorted by
#: path, so the cut is deterministic); huge monorepos stay bounded.
MAX_FILES = 20_000


def find_root(path: str, config_dir: Optional[str] = None) -> str:
    """The project root for the file at ``path`` (absolute, normalised)."""
    absolute = os.path.abspath(path)
    directory = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
    if config_dir:
        config_dir = os.path.abspath(config_dir)
        if _is_under(directory, config_dir):
            return config_dir
    current = directory
    for _ in range(64):
        if any(os.path.exists(os.path.join(current, marker)) for marker in ROOT_MARKERS):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return package_base(directory)


def package_base(directory: str) -> str:
    """The directory the file's top-level package sits in (the ``sys.path``
    entry it is imported from): an unpacked wheel has no project marker.
    A namespace package's directory (no ``__init__.py``) sits in the wheel's
    root, beside its ``.dist-info``; a folder without one inside a package
    (``open_webui/models/``) is part of that package."""
    current = directory
    known: Dict[str, bool] = {}
    top = os.path.abspath(os.sep)
    for _ in range(64):
        if not _has_init(current, known) and not _inside_package(current, top, known):
            break
        parent = os.path.dirname(current)
        if parent == current:
            return current
        current = parent
    parent = os.path.dirname(current)
    if parent != current and current != directory and _is_unpacked_wheel(parent):
        return parent
    return current


def _is_unpacked_wheel(directory: str) -> bool:
    """A wheel's root: distribution metadata beside the packages (an
    installed environment's ``site-packages`` is never a project)."""
    if os.path.basename(directory) in ("site-packages", "dist-packages"):
        return False
    try:
        return any(name.endswith((".dist-info", ".egg-info")) for name in os.listdir(directory))
    except OSError:
        return False


def _is_under(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def module_name(path: str, root: str, packages: Optional[Dict[str, bool]] = None) -> str:
    """``root/nova/compute/manager.py`` -> ``nova.compute.manager``.
    ``packages`` remembers which directories hold an ``__init__.py`` across
    the calls of one indexing (every file of a project climbs the same ones)."""
    absolute = os.path.abspath(path)
    directory, filename = os.path.split(absolute)
    stem = filename[:-3] if filename.endswith(".py") else filename
    parts: List[str] = [] if stem == "__init__" else [stem]
    known = packages if packages is not None else {}
    for _ in range(64):
        if not _has_init(directory, known) and not _inside_package(directory, root, known):
            break
        parent, name = os.path.split(directory)
        parts.append(name)
        if directory == root or parent == directory:
            break
        directory = parent
    parts.reverse()
    return ".".join(parts) or stem


def _has_init(directory: str, known: Dict[str, bool]) -> bool:
    is_package = known.get(directory)
    if is_package is None:
        is_package = known[directory] = os.path.isfile(os.path.join(directory, "__init__.py"))
    return is_package


def _inside_package(directory: str, root: str, known: Dict[str, bool]) -> bool:
    """A folder without ``__init__.py`` below a regular package of the
    project (``open_webui/models/``): Python imports its modules through that
    package (``open_webui.models.messages``, PEP 420), so it is a part of
    their names. Only ancestors inside the root count."""
    current = os.path.dirname(directory)
    for _ in range(64):
        if current == directory or not _is_under(current, root) or current == root:
            return False
        if _has_init(current, known):
            return True
        directory, current = current, os.path.dirname(current)
    return False


def python_files(root: str, excluded: Iterable[str] = ()) -> List[str]:
    """Every ``.py`` file under ``root`` (absolute paths, sorted), skipping
    virtualenvs, build output, hidden directories and ``excluded`` patterns
    (flake8's ``exclude``/``extend-exclude``, matched on names and paths)."""
    from fnmatch import translate

    patterns = [p for p in excluded if p]
    # one regex for all patterns (what ``fnmatch`` does per pattern, on POSIX
    # and Windows alike: ``normcase`` first); asked for every file and folder
    matcher = re.compile("|".join(translate(p) for p in patterns)) if patterns else None

    def is_excluded(full: str, name: str) -> bool:
        if matcher is None:
            return False
        return bool(matcher.match(os.path.normcase(name)) or matcher.match(os.path.normcase(full)))

    found: List[str] = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames
            if d not in SKIP_DIRS and d not in TEST_DIRS and not d.startswith(".")
            and not d.endswith((".egg-info", ".dist-info"))
            and not is_excluded(os.path.join(directory, d), d)
        )
        for name in sorted(filenames):
            if name.endswith(".py"):
                full = os.path.join(directory, name)
                if not is_excluded(full, name) and not is_test_name(name):
                    found.append(full)
        if len(found) >= MAX_FILES:
            break
    found.sort()
    return found[:MAX_FILES]


def namespace_packages(root: str, by_path: Dict[str, str]) -> frozenset:
    """Directories right under the root (or its ``src/``) with no
    ``__init__.py`` that hold packages: PEP 420 namespace packages. Python
    imports ``root/meltano/core/job_state.py`` as ``meltano.core.job_state``;
    the index names it ``core.job_state``, so an import through the
    namespace is read without it."""
    found = set()
    for base in (root, os.path.join(root, "src")):
        for path, name in by_path.items():
            parts = os.path.relpath(path, base).split(os.sep)
            if (len(parts) >= 3 and parts[0] not in ("..", "src") and name.split(".")[0] == parts[1]
                    and not os.path.isfile(os.path.join(base, parts[0], "__init__.py"))):
                found.add(parts[0])
    return frozenset(found)


def module_index(root: str, files: Iterable[str]) -> Tuple[Dict[str, str], Dict[str, str]]:
    """(module name -> path, path -> module name) for the project's files."""
    by_module: Dict[str, str] = {}
    by_path: Dict[str, str] = {}
    packages: Dict[str, bool] = {}
    for path in files:
        name = module_name(path, root, packages)
        by_path[path] = name
        by_module.setdefault(name, path)
    return by_module, by_path
