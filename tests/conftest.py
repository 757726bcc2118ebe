"""Shared test fixtures and paths."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "semgrep-rules"
SHARED = ROOT.parent / "shared"

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Semgrep must never phone home in tests.
os.environ.setdefault("SEMGREP_ENABLE_VERSION_CHECK", "0")
os.environ.setdefault("SEMGREP_SEND_METRICS", "off")


def tool(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if not found:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found
