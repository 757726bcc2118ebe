"""One warning when ``pyproject.toml`` holds flake8-dbsec settings that flake8 ignores.

flake8 reads ``.flake8``, ``setup.cfg`` and ``tox.ini``, not
``pyproject.toml``. The Flake8-pyproject plugin (``pip install
Flake8-pyproject``) makes it read ``[tool.flake8]`` from the
``pyproject.toml`` of the directory flake8 runs in (and then ignores the
other files). Without it, a ``dbsec-baseline`` or ``dbsec-*`` key there is
silently ignored: the baseline hides nothing, the options change nothing. This
module turns that silence into one line on stderr, once per run (not in
flake8's worker processes), naming the keys and the two ways out.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
from pathlib import Path
from typing import Any, List, Optional, TextIO

PLUGIN_MODULE = "flake8p"  # Flake8-pyproject's import name

_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*flake8\s*\]\s*(?:#.*)?$")
_ANY_TABLE = re.compile(r"^\s*\[")
_KEY = re.compile(r"""^\s*["']?(dbsec[-_][A-Za-z0-9_-]+)["']?\s*=""")


def _keys_by_lines(text: str) -> List[str]:
    """``dbsec-*`` keys of ``[tool.flake8]``, read line by line (no TOML parser)."""
    keys: List[str] = []
    inside = False
    for line in text.splitlines():
        if _TABLE.match(line):
            inside = True
        elif _ANY_TABLE.match(line):
            inside = False
        elif inside:
            match = _KEY.match(line)
            if match:
                keys.append(match.group(1))
    return keys


def dbsec_keys(text: str) -> List[str]:
    """The ``dbsec-*`` keys set under ``[tool.flake8]`` in a pyproject.toml text."""
    try:
        import tomllib as toml  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.9/3.10
        try:
            import tomli as toml  # type: ignore[no-redef]
        except ImportError:
            return _keys_by_lines(text)
    try:
        section = toml.loads(text).get("tool", {}).get("flake8", {})
    except (toml.TOMLDecodeError, AttributeError):
        return _keys_by_lines(text)
    if not isinstance(section, dict):
        return []
    return [key for key in section if re.match(r"dbsec[-_]", str(key))]


def pyproject_reader_loaded() -> bool:
    """Is Flake8-pyproject loaded (flake8 imports every installed plugin)?"""
    return PLUGIN_MODULE in sys.modules


def ignored_settings_warning(options: Any, directory: Optional[str] = None) -> Optional[str]:
    """The warning for this run, or None when there is nothing to say."""
    if getattr(options, "isolated", False) or pyproject_reader_loaded():
        return None
    path = Path(directory or os.getcwd()) / "pyproject.toml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    keys = dbsec_keys(text)
    if not keys:
        return None
    return (
        f"flake8-dbsec: warning: {path.name} sets {', '.join(keys)} under [tool.flake8], "
        "but flake8 does not read pyproject.toml, so this run ignores them: install "
        "Flake8-pyproject (pip install Flake8-pyproject) or move them to the [flake8] "
        "section of .flake8, setup.cfg or tox.ini\n"
    )


def warn_ignored_pyproject_settings(options: Any, stream: Optional[TextIO] = None) -> None:
    """Print :func:`ignored_settings_warning` once per flake8 run (main process only)."""
    if multiprocessing.parent_process() is not None:
        return
    message = ignored_settings_warning(options)
    if message:
        (stream or sys.stderr).write(message)
