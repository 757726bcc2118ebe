"""Editor linting with the real clients' conventions.

* python-lsp-server (pylsp) over stdio, JSON-RPC with Content-Length framing,
  its flake8 plugin enabled through ``workspace/didChangeConfiguration``; the
  buffer is unsaved (its path does not exist), so pylsp pipes it to flake8 on
  stdin with ``--stdin-display-name``.
* the VS Code Flake8 extension: it runs flake8 in-process (``runpy`` of the
  ``flake8`` module, stdout redirected) over and over in one interpreter, with
  ``--format='%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s'`` (quotes included).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import queue
import re
import runpy
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

import pytest
from conftest import ROOT, tool

from flake8_dbsec import docgen
from flake8_dbsec.catalog import IMPLEMENTED

pytestmark = pytest.mark.slow

BUFFER = '''\
import sqlalchemy as sa


def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)


engine = sa.create_engine("postgresql://admin:hunter2@db/app")
'''


def line_of(source: str, needle: str) -> int:
    """0-based, as LSP counts."""
    return next(n for n, line in enumerate(source.splitlines()) if needle in line)


class LspClient:
    """A minimal editor: framed JSON-RPC over the server's stdin/stdout."""

    def __init__(self, command: List[str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: "queue.Queue[dict]" = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        while True:
            headers: Dict[str, str] = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.messages.put(json.loads(body))

    def send(self, method: str, params: dict, request: bool = False) -> Optional[int]:
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()
        return message.get("id")

    def wait_for(self, match, timeout: float = 90.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("the language server did not answer in time")
            message = self.messages.get(timeout=remaining)
            if match(message):
                return message

    def request(self, method: str, params: dict) -> dict:
        ident = self.send(method, params, request=True)
        return self.wait_for(lambda m: m.get("id") == ident and "method" not in m)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.request("shutdown", {})
            self.send("exit", {})
            self.proc.wait(timeout=10)
        if self.proc.poll() is None:
            self.proc.kill()


def dbs_diagnostics(client: LspClient, uri: str) -> List[Tuple[int, int, str]]:
    """The next non-empty flake8 diagnostics for ``uri``: (line, character, code)."""

    def published(message: dict) -> bool:
        params = message.get("params", {})
        return (
            message.get("method") == "textDocument/publishDiagnostics"
            and params.get("uri") == uri
            and any(str(d.get("code", "")).startswith("DBS") for d in params["diagnostics"])
        )

    diagnostics = client.wait_for(published)["params"]["diagnostics"]
    client.last_severities = {
        d["code"]: d.get("severity") for d in diagnostics if d.get("source") == "flake8"
    }
    return sorted(
        (d["range"]["start"]["line"], d["range"]["start"]["character"], d["code"])
        for d in diagnostics if d.get("source") == "flake8" and d["code"].startswith("DBS")
    )


def test_pylsp_lints_an_unsaved_buffer_through_flake8_stdin(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    document = workspace / "pkg" / "unsaved.py"
    assert not document.exists()
    uri = document.as_uri()
    client = LspClient([tool("pylsp")], cwd=workspace)
    try:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": workspace.as_uri(),
            "capabilities": {}, "workspaceFolders": [
                {"uri": workspace.as_uri(), "name": "ws"}],
        })
        client.send("initialized", {})
        client.send("workspace/didChangeConfiguration", {"settings": {"pylsp": {"plugins": {
            "flake8": {"enabled": True, "executable": tool("flake8")},
            "pycodestyle": {"enabled": False},
            "pyflakes": {"enabled": False},
            "mccabe": {"enabled": False},
        }}}})
        client.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1, "text": BUFFER}})
        found = dbs_diagnostics(client, uri)
        execute = line_of(BUFFER, "cursor.execute")
        url = line_of(BUFFER, "postgresql://")
        assert (execute, 4, "DBS401") in found
        assert (url, BUFFER.splitlines()[url].index('"postgresql'), "DBS501") in found
        # pylsp has no severity setting for flake8: every DBS finding is a Warning
        # (LSP severity 2), the catalog's "error" codes included (README, "Severities")
        assert IMPLEMENTED["DBS401"].severity == "error"
        assert {code: client.last_severities[code] for code in ("DBS401", "DBS501")} == {
            "DBS401": 2, "DBS501": 2}

        # An edit the editor has not saved: the findings follow the buffer.
        edited = "import os\nimport sys\n" + BUFFER
        client.send("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": edited}],
        })
        moved = dbs_diagnostics(client, uri)
        assert {(line + 2, col, code) for line, col, code in found} == set(moved)
    finally:
        client.close()


# --- the VS Code Flake8 extension's convention -----------------------------------

VSCODE_FORMAT = "--format='%(row)d,%(col)d,%(code).1s,%(code)s:%(text)s'"
VSCODE_LINE = re.compile(r"(?P<line>\d+),(?P<column>-?\d+),(?P<type>\w+),(?P<code>\w+\d+):")

# Clean by default; each function is changed by one --dbsec-* option.
CONFIGURABLE = '''\
import logging

LOG = logging.getLogger(__name__)


def save_all(store):
    store.flush()


def show(consumer_id):
    LOG.debug("consumer %s", consumer_id)
'''
OPTIONS = [
    "--dbsec-session-pattern=session|conn|cursor|db|store",
    "--dbsec-identifier-pattern=(?i)(uuids?|_id)$",
]


def run_like_vscode(argv: List[str], cwd: Path) -> Set[Tuple[int, str]]:
    """One lint run as the extension does it: runpy, argv and stdio swapped."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    saved = sys.argv, sys.stdout, sys.stderr, os.getcwd()
    try:
        sys.argv, sys.stdout, sys.stderr = ["flake8", *argv], out, err
        os.chdir(cwd)
        with contextlib.suppress(SystemExit):
            runpy.run_module("flake8", run_name="__main__")
    finally:
        sys.argv, sys.stdout, sys.stderr = saved[:3]
        os.chdir(saved[3])
    out.seek(0)
    found = set()
    for line in out.read().splitlines():
        match = VSCODE_LINE.match(line.strip("'"))
        if match and match["code"].startswith("DBS"):
            found.add((int(match["line"]), match["code"]))
    return found


def test_vscode_in_process_runs_each_get_their_own_options(tmp_path):
    (tmp_path / "mod.py").write_text(CONFIGURABLE)
    store_line = CONFIGURABLE.splitlines().index("    store.flush()") + 1
    log_line = CONFIGURABLE.splitlines().index('    LOG.debug("consumer %s", consumer_id)') + 1
    base = [VSCODE_FORMAT, "--select=DBS", "mod.py"]

    assert run_like_vscode(base, tmp_path) == set()
    configured = run_like_vscode([*OPTIONS, *base], tmp_path)
    assert {(store_line, "DBS101"), (log_line, "DBS201")} <= configured
    assert run_like_vscode(base, tmp_path) == set(), "options leaked into the next run"
    only_ids = run_like_vscode([OPTIONS[1], *base], tmp_path)
    assert (log_line, "DBS201") in only_ids and (store_line, "DBS101") not in only_ids


# --- severities in VS Code -------------------------------------------------------

SEVERITY_SOURCE = '''\
import logging

import sqlalchemy as sa

LOG = logging.getLogger(__name__)
engine = sa.create_engine("postgresql://admin:hunter2@db/app")


def purge(session, cursor, uid, password):
    LOG.info("password %s", password)
    cursor.execute("DELETE FROM users WHERE id = " + uid)
    session.flush()
'''


def vscode_severity(code: str, code_type: str, severity: Dict[str, str]) -> str:
    """The Flake8 extension's lookup (``_get_severity`` in its bundled
    ``lsp_server.py``): the code, then each shorter prefix, then the type
    field (the code's first letter), else Error."""
    value = None
    while code and value is None:
        value = severity.get(code)
        code = code[:-1]
    if value is None:
        value = severity.get(code_type, "Error")
    return value if value in ("Error", "Warning", "Information", "Hint") else "Error"


def readme_vscode_severity() -> Dict[str, str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- vscode-severity:", 1)[1].split("<!-- end vscode-severity -->")[0]
    document = json.loads(block.split("```json", 1)[1].split("```", 1)[0])
    return document["flake8.severity"]


def test_vscode_severity_map_gives_each_code_its_catalog_level(tmp_path):
    (tmp_path / "mod.py").write_text(SEVERITY_SOURCE)
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    saved = sys.argv, sys.stdout, os.getcwd()
    try:
        sys.argv, sys.stdout = ["flake8", VSCODE_FORMAT, "--select=DBS", "mod.py"], out
        os.chdir(tmp_path)
        with contextlib.suppress(SystemExit):
            runpy.run_module("flake8", run_name="__main__")
    finally:
        sys.argv, sys.stdout = saved[:2]
        os.chdir(saved[2])
    out.seek(0)
    reported = [VSCODE_LINE.match(line.strip("'")) for line in out.read().splitlines()]
    findings = [(m["code"], m["type"]) for m in reported if m]
    assert {code for code, _ in findings} >= {"DBS101", "DBS202", "DBS401", "DBS501"}

    documented = readme_vscode_severity()
    assert documented == docgen.vscode_severity()
    default = {"E": "Error", "F": "Error", "I": "Information", "W": "Warning"}
    assert {k: documented[k] for k in default} == default, "the extension's defaults are kept"
    levels = {"error": "Error", "warning": "Warning", "note": "Information"}
    for code, code_type in findings:
        assert code_type == "D"
        assert vscode_severity(code, code_type, default) == "Error", "extension default changed"
        assert vscode_severity(code, code_type, documented) == levels[IMPLEMENTED[code].severity]
    # a code the catalog gains later falls back to the DBS entry, not to Error
    assert vscode_severity("DBS999", "D", documented) == "Warning"
