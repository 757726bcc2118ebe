"""Never lose a baseline (issue 16): the recorder writes atomically, every
failure is one line (exit status 2) and leaves the previous file byte for
byte; a damaged or odd baseline path stops flake8 with one line, never a
hang; progress shows on a terminal only.

Killing the recorder mid-write is done for real: the recorder runs in a
child process whose file writes kill it with SIGKILL once half of the new
baseline is on disk (Python ignores SIGXFSZ, so a file-size limit cannot
kill it); a file-size limit (``RLIMIT_FSIZE``) makes the write itself fail
(EFBIG), as a full disk does.
"""

from __future__ import annotations

import os
import pty
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Callable, List, Optional

import pytest
from conftest import tool

from flake8_dbsec import recorder

pytestmark = pytest.mark.slow

SOURCE = """\
def purge(cursor, uid):
    cursor.execute("DELETE FROM users WHERE id = " + uid)
"""
#: many findings with long statements: a baseline far larger than SOURCE's
GROWN = SOURCE + "".join(
    f"\n\ndef purge_{n}(cursor, uid):\n"
    f"    cursor.execute('DELETE FROM table_{n} WHERE some_long_column_name = ' + uid)\n"
    for n in range(200)
)


def make_project(root: Path, source: str = SOURCE) -> Path:
    (root / "pkg").mkdir(exist_ok=True)
    (root / "pkg" / "legacy.py").write_text(source)
    return root


def run_recorder(cwd: Path, *args: str, preexec: Optional[Callable[[], None]] = None,
                 stderr_tty: bool = False) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    command = [sys.executable, "-m", "flake8_dbsec", "baseline", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=env, preexec_fn=preexec)


def assert_one_error_line(proc: subprocess.CompletedProcess, *needles: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("flake8-dbsec: error: "), proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def flake8_with_baseline(cwd: Path, baseline: str) -> subprocess.CompletedProcess:
    return subprocess.run([tool("flake8"), "--select=DBS", f"--dbsec-baseline={baseline}", "pkg"],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    """A project with a recorded baseline, then more findings to record."""
    make_project(tmp_path)
    assert run_recorder(tmp_path, "pkg").returncode == 0
    make_project(tmp_path, GROWN)
    return tmp_path


def limit_file_size(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


def leftovers(root: Path) -> List[str]:
    return sorted(p.name for p in root.iterdir() if p.name.endswith(".tmp"))


#: the recorder, killed (SIGKILL) after writing half of the new baseline
KILLED_MID_WRITE = """
import builtins, os, signal, sys

real_open = builtins.open


class HalfThenKill:
    def __init__(self, handle):
        self.handle = handle

    def write(self, data):
        self.handle.write(data[: len(data) // 2])
        self.handle.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    def __getattr__(self, name):
        return getattr(self.handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self.handle.__exit__(*exc)


def dying_open(file, mode="r", *args, **kwargs):
    handle = real_open(file, mode, *args, **kwargs)
    if "w" in mode and str(file).endswith(".tmp"):
        return HalfThenKill(handle)
    return handle


builtins.open = dying_open
from flake8_dbsec.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_killed_mid_write_leaves_the_previous_baseline(recorded: Path):
    baseline = recorded / ".dbsec-baseline.json"
    before = baseline.read_bytes()
    proc = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, "baseline", "pkg"],
                          cwd=recorded, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    (stray,) = leftovers(recorded)  # the half-written new file, never renamed
    assert (recorded / stray).stat().st_size > 0
    assert baseline.read_bytes() == before
    result = flake8_with_baseline(recorded, ".dbsec-baseline.json")
    assert result.returncode == 1 and result.stderr == "", result.stderr  # only new findings


def test_a_failing_write_is_one_line_and_changes_nothing(recorded: Path):
    """A size limit (or a full disk) makes the write fail: one line, and the
    previous baseline byte for byte."""
    baseline = recorded / ".dbsec-baseline.json"
    before = baseline.read_bytes()
    proc = run_recorder(recorded, "pkg", preexec=limit_file_size(len(before) + 100))
    assert_one_error_line(proc, ".dbsec-baseline.json", "the previous baseline is unchanged")
    assert baseline.read_bytes() == before
    assert leftovers(recorded) == []


def test_re_recording_replaces_the_file_and_keeps_its_permissions(recorded: Path):
    baseline = recorded / ".dbsec-baseline.json"
    baseline.chmod(0o640)
    link = recorded / "link.json"
    link.symlink_to(baseline.name)
    assert run_recorder(recorded, "pkg", "-o", "link.json").returncode == 0
    assert link.is_symlink() and "purge_199" in baseline.read_text()
    assert baseline.stat().st_mode & 0o777 == 0o640
    assert leftovers(recorded) == []


@pytest.mark.parametrize("output, why", [
    ("pkg", "it is a directory"),
    ("missing/baseline.json", "does not exist"),
    ("fifo.json", "not a regular file"),
    ("/dev/full", "not a regular file"),
])
def test_bad_output_paths_are_one_line(tmp_path: Path, output: str, why: str):
    make_project(tmp_path)
    if output == "fifo.json":
        os.mkfifo(tmp_path / output)
    if output.startswith("/dev/") and not os.path.exists(output):
        pytest.skip(f"no {output}")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert_one_error_line(run_recorder(tmp_path, "pkg", "-o", output), output, why)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_another_plugin_failing_is_one_line_and_keeps_the_baseline(recorded: Path):
    """flake8 stops when any plugin raises on a file; the recorder says so
    in one line (with flake8's reason) and writes nothing."""
    (recorded / "failing_plugin.py").write_text(textwrap.dedent("""\
        class Failing:
            name = "failing"
            version = "1"

            def __init__(self, tree, filename):
                self.filename = filename

            def run(self):
                if self.filename.endswith("legacy.py"):
                    raise RuntimeError("boom")
                return iter(())
        """))
    (recorded / "setup.cfg").write_text(
        "[flake8:local-plugins]\nextension =\n    ZZZ = failing_plugin:Failing\npaths = .\n"
    )
    baseline = recorded / ".dbsec-baseline.json"
    before = baseline.read_bytes()
    assert_one_error_line(run_recorder(recorded, "pkg"), "flake8 failed", "boom")
    assert baseline.read_bytes() == before


def test_bad_configuration_while_re_recording_keeps_the_baseline(recorded: Path):
    baseline = recorded / ".dbsec-baseline.json"
    before = baseline.read_bytes()
    (recorded / "setup.cfg").write_text("[flake8]\ndbsec-session-pattern = (a+)+$\n")
    assert_one_error_line(run_recorder(recorded, "pkg"), "--dbsec-session-pattern", "exponential")
    assert baseline.read_bytes() == before


def test_non_utf8_file_names_are_recorded_and_hidden(tmp_path: Path):
    if sys.platform == "darwin":  # pragma: no cover - APFS refuses such names
        pytest.skip("the file system needs UTF-8 names")
    make_project(tmp_path)
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / "pkg" / name).write_text(SOURCE)
    proc = run_recorder(tmp_path, "pkg")
    assert proc.returncode == 0, proc.stderr
    assert "\\udce9" in (tmp_path / ".dbsec-baseline.json").read_text(encoding="utf-8")
    result = flake8_with_baseline(tmp_path, ".dbsec-baseline.json")
    # no warning either: the project model's cache keeps such names as bytes
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


# --- a damaged or odd baseline stops flake8 with one line ---------------------------------------


@pytest.mark.parametrize("content", [
    '{"version": 1, "findings": [{"code": "DBS401", "file": "x", "statement": "s", "count": Infinity}]}',
    "[" * 100_000,
    "",
])
def test_damaged_baseline_is_one_line_naming_the_file(tmp_path: Path, content: str):
    make_project(tmp_path)
    (tmp_path / "damaged.json").write_text(content)
    result = flake8_with_baseline(tmp_path, "damaged.json")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    (line,) = result.stderr.splitlines()
    assert "damaged.json" in line and "re-record it with 'flake8-dbsec baseline -o damaged.json'" in line


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "directory"])
def test_baseline_path_that_is_not_a_file_never_hangs(tmp_path: Path, kind: str):
    make_project(tmp_path)
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo.json")
        path = "fifo.json"
    elif kind == "directory":
        path = "pkg"
    else:
        path = kind
        if not os.path.exists(path):
            pytest.skip(f"no {path}")
    result = flake8_with_baseline(tmp_path, path)  # the timeout fails a hang
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert path in result.stderr and "Traceback" not in result.stderr


# --- progress ------------------------------------------------------------------------------------


def test_progress_on_a_terminal_only(tmp_path: Path):
    make_project(tmp_path, GROWN)
    for number in range(5):
        (tmp_path / "pkg" / f"more_{number}.py").write_text(SOURCE)
    quiet = run_recorder(tmp_path, "pkg")
    assert quiet.returncode == 0 and quiet.stderr == ""
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "flake8_dbsec", "baseline", "pkg"], cwd=tmp_path,
            stdout=subprocess.PIPE, stderr=follower, timeout=300,
        )
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(leader)
    assert proc.returncode == 0
    assert b"flake8-dbsec: checked 6/6 files" in shown, shown


def test_progress_line_is_throttled_but_ends_complete():
    class Stream:
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    stream = Stream()
    progress = recorder.Progress(stream)  # type: ignore[arg-type]
    for done in range(1, 1001):
        progress(done, 1000)
    progress.finish()
    assert stream.text.count("\r") < 100
    assert stream.text.endswith("checked 1,000/1,000 files\n")
