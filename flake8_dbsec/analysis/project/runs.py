"""The project models of one flake8 run.

A run may lint files of several projects; each root gets one model, built
on first use and kept for the run (on flake8's options namespace, never in
a module global: an editor running flake8 in-process starts each run fresh,
and the on-disk cache makes that cheap).
"""

from __future__ import annotations

import os
import sys
from typing import Dict, Optional, Tuple

from .cache import default_cache_dir
from .layout import find_root
from .model import ProjectModel

OFF_WORDS = frozenset({"off", "none", "no", "false", "0"})


def config_dir(options: object) -> Optional[str]:
    """The directory of the flake8 configuration this run uses, if any."""
    config = getattr(options, "config", None)
    if config:
        return os.path.dirname(os.path.abspath(config))
    if getattr(options, "isolated", False):
        return None
    try:
        from flake8.options.config import _find_config_file  # flake8 >= 5

        found = _find_config_file(os.path.abspath("."))
    except Exception:  # pragma: no cover - other flake8 internals
        return None
    return os.path.dirname(os.path.abspath(found)) if found else None


class ModelRegistry:
    """One :class:`ProjectModel` per project root, for one run."""

    def __init__(self, settings: object, options: object) -> None:
        self.settings = settings
        self.config_dir = config_dir(options)
        cache = getattr(options, "dbsec_cache_dir", None)
        if cache is None or cache == "":
            self.cache_dir: Optional[str] = default_cache_dir()
        elif str(cache).strip().lower() in OFF_WORDS:
            self.cache_dir = None
        else:
            self.cache_dir = os.path.abspath(os.path.expanduser(str(cache)))
        self.excluded: Tuple[str, ...] = tuple(
            str(p) for p in (getattr(options, "exclude", None) or [])
        ) + tuple(str(p) for p in (getattr(options, "extend_exclude", None) or []))
        self.models: Dict[str, Optional[ProjectModel]] = {}
        #: directory -> its project root: the files of one directory share it,
        #: so the ancestors' markers are looked up once per directory
        self.roots: Dict[str, str] = {}
        self.warned = False

    def for_file(self, filename: str) -> Optional[ProjectModel]:
        """The model of the project holding ``filename`` (None: unavailable)."""
        absolute = os.path.abspath(filename)
        directory = absolute if os.path.isdir(absolute) else os.path.dirname(absolute)
        root = self.roots.get(directory)
        if root is None:
            root = self.roots[directory] = find_root(filename, self.config_dir)
        if root not in self.models:
            self.models[root] = self._build(root)
        return self.models[root]

    def _build(self, root: str) -> Optional[ProjectModel]:
        try:
            return ProjectModel(root, self.settings, self.cache_dir, self.excluded)
        except Exception as exc:  # never crash a run: check files on their own
            if not self.warned:
                reason = (str(exc).strip().splitlines() or [""])[0][:200]
                sys.stderr.write(
                    f"flake8-dbsec: warning: project model of {root!r} unavailable "
                    f"({type(exc).__name__}: {reason}); checking each file on its own\n"
                )
                self.warned = True
            return None
