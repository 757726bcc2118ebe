"""``flake8-dbsec baseline``: record today's findings in a baseline file.

flake8 runs in-process with the project's configuration (``--dbsec-*``
options, excludes, ``per-file-ignores``), ``--select DBS`` and an existing
``dbsec-baseline`` setting turned off; its findings are collected in memory
(no output file, so any file name works) and keyed by :mod:`.baseline`.

The file is written atomically: a temporary file in the same directory,
flushed to disk, then renamed over the old one. A full disk, a size limit, a
kill or a crash mid-write leave the previous baseline byte for byte (at worst
a stray ``.<name>.<random>.tmp`` next to it), never a truncated one. Every
failure is one line on stderr and exit status 2. On a terminal, progress is
shown on stderr while flake8 checks the files.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import secrets
import stat
import sys
import time
from pathlib import Path
from typing import Callable, List, Optional, Sequence, TextIO, Tuple

from . import __version__
from .baseline import DEFAULT_PATH, OPTION, baseline_document

Record = Tuple[str, int, str]  # (path, row, code)


class RecordError(Exception):
    """Why nothing was recorded (one line)."""


# --- flake8, in-process ----------------------------------------------------------------


def run_flake8(paths: Sequence[str], flake8_args: Sequence[str] = (),
               progress: Optional[Callable[[int, int], None]] = None) -> List[Record]:
    """(path, row, code) of every DBS finding flake8 reports, in-process.

    ``--disable-noqa``: the filter sees findings before flake8 applies
    ``# noqa``, so the occurrence counts must include the noqa'd ones too.
    A flake8 failure (another plugin raising on one file, say) is a
    :class:`RecordError` carrying flake8's own message.
    """
    argv = [*flake8_args, "--select=DBS", f"{OPTION}=", "--exit-zero", "--disable-noqa", *paths]
    app = _recording_application(progress)
    said = io.StringIO()
    try:
        with contextlib.redirect_stdout(said):
            app.run(argv)
    except Exception as exc:  # a plugin raised: flake8 lets it through
        raise RecordError(f"flake8 failed, nothing was recorded: {exc}") from None
    if app.catastrophic_failure:
        why = " ".join(said.getvalue().split()) or "see 'flake8 --select DBS' for why"
        raise RecordError(f"flake8 failed, nothing was recorded: {why}")
    return app.formatter.records  # type: ignore[attr-defined,no-any-return]


def _recording_application(progress: Optional[Callable[[int, int], None]]):  # type: ignore[no-untyped-def]
    """A flake8 Application whose formatter keeps the DBS findings in memory
    and whose checker manager reports each finished file to ``progress``."""
    from flake8 import checker
    from flake8.formatting.base import BaseFormatter
    from flake8.main.application import Application

    class Collector(BaseFormatter):
        def after_init(self) -> None:
            self.records: List[Record] = []

        def start(self) -> None:
            """No output file: the records stay in memory."""

        def handle(self, error) -> None:  # type: ignore[no-untyped-def]
            if error.code.startswith("DBS"):
                self.records.append((error.filename, error.line_number, error.code))

        def format(self, error) -> None:  # type: ignore[no-untyped-def]
            return None

        def show_statistics(self, statistics) -> None:  # type: ignore[no-untyped-def]
            """Nothing to show."""

        def show_benchmarks(self, benchmarks) -> None:  # type: ignore[no-untyped-def]
            """Nothing to show."""

        def stop(self) -> None:
            """Nothing to close."""

    class RecordingApplication(Application):
        def make_formatter(self, *args) -> None:  # type: ignore[no-untyped-def]
            self.formatter = Collector(self.options)

        def make_file_checker_manager(self, *args) -> None:  # type: ignore[no-untyped-def]
            super().make_file_checker_manager(*args)
            manager = self.file_checker_manager
            if progress is not None and type(manager) is checker.Manager and _can_count(checker):
                manager.__class__ = _progress_manager(checker)
                manager.report_progress = progress  # type: ignore[attr-defined]

    return RecordingApplication()


def _can_count(checker) -> bool:  # type: ignore[no-untyped-def]
    """The flake8 (6.1 and later) whose file loop the progress manager repeats."""
    return all(hasattr(checker, name) for name in ("_mp_prefork", "_try_initialize_processpool",
                                                     "_mp_run", "FileChecker"))


def _progress_manager(checker):  # type: ignore[no-untyped-def]
    """flake8's checker manager, reporting every finished file.

    The same loops as ``flake8.checker.Manager.run_serial``/``run_parallel``
    with a call after each file; only used where those helpers exist.
    """

    class ProgressManager(checker.Manager):
        report_progress: Callable[[int, int], None]

        def run_serial(self) -> None:
            self.results = []
            for filename in self.filenames:
                self.results.append(checker.FileChecker(
                    filename=filename, plugins=self.plugins, options=self.options,
                ).run_checks())
                self.report_progress(len(self.results), len(self.filenames))

        def run_parallel(self) -> None:
            with checker._mp_prefork(self.plugins, self.options):
                pool = checker._try_initialize_processpool(self.jobs, self.argv)
            if pool is None:
                self.run_serial()
                return
            closed = False
            try:
                self.results = []
                for result in pool.imap_unordered(checker._mp_run, self.filenames):
                    self.results.append(result)
                    self.report_progress(len(self.results), len(self.filenames))
                pool.close()
                pool.join()
                closed = True
            finally:
                if not closed:
                    pool.terminate()
                    pool.join()

    return ProgressManager


class Progress:
    """``checked 1,234/7,441 files`` on one terminal line, at most ten times a second."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.shown_at = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.shown_at < 0.1:
            return
        self.shown_at = now
        self.shown = True
        self.stream.write(f"\rflake8-dbsec: checked {done:,}/{total:,} files")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


# --- the file -------------------------------------------------------------------------------


def check_output(path: str) -> str:
    """Where ``path`` will be written (a symlink's target); a directory, a
    device, a FIFO or a missing directory is a :class:`RecordError`, raised
    before flake8 runs."""
    target = os.path.realpath(path)
    try:
        info: Optional[os.stat_result] = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise RecordError(f"cannot write {path!r}: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise RecordError(f"cannot write {path!r}: it is a directory")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise RecordError(f"cannot write {path!r}: it is not a regular file")
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise RecordError(f"cannot write {path!r}: directory {directory!r} does not exist")
    return target


def write_atomically(target: str, data: bytes) -> None:
    """Replace ``target`` with ``data`` so that it is either the old file or
    the whole new one: a temporary file in the same directory, fsync, rename,
    then fsync of the directory. The file keeps the old file's permissions
    (a new one gets the umask's)."""
    directory = os.path.dirname(target) or "."
    temporary = _create_temporary(target)
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_directory(directory)


def _create_temporary(target: str) -> str:
    directory, name = os.path.split(target)
    for _ in range(100):
        temporary = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name next to {target}")  # pragma: no cover


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (POSIX; a no-op where directories
    cannot be opened)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - file systems without directory fsync
        pass
    finally:
        os.close(descriptor)


def encode_document(document: dict) -> bytes:
    """Sorted, indented JSON; a file name that is not valid UTF-8 keeps its
    undecodable bytes as ``\\udcXX`` escapes (read back as the same name)."""
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return text.encode("utf-8", "backslashreplace")


def record(paths: Sequence[str], output: str, flake8_args: Sequence[str] = (),
           progress: Optional[Progress] = None) -> int:
    """Write the baseline for ``paths`` to ``output``; the finding count."""
    target = check_output(output)
    try:
        records = run_flake8(paths or ["."], flake8_args, progress)
    finally:
        if progress is not None:
            progress.finish()
    root = Path(os.path.dirname(target))
    document = baseline_document(records, root, f"flake8-dbsec {__version__}")
    try:
        write_atomically(target, encode_document(document))
    except OSError as exc:
        raise RecordError(
            f"cannot write {output!r}: {exc.strerror or exc}; the previous baseline is unchanged"
        ) from None
    return sum(entry["count"] for entry in document["findings"])


# --- command line (``flake8-dbsec baseline``) ----------------------------------------------------


def add_arguments(parser) -> None:  # type: ignore[no-untyped-def]
    """Arguments of the ``baseline`` subcommand."""
    parser.add_argument("paths", nargs="*", help="files or directories (default: .)")
    parser.add_argument(
        "-o",
        "--output",
        default=DEFAULT_PATH,
        help=f"baseline file to write (default: {DEFAULT_PATH}); replaced atomically",
    )
    parser.add_argument(
        "--flake8-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for flake8 (repeatable), e.g. --flake8-arg=--config=tox.ini",
    )


def main(args) -> int:  # type: ignore[no-untyped-def]
    """Run the ``baseline`` subcommand with parsed ``args``."""
    missing = [path for path in args.paths if not os.path.exists(path)]
    if missing:
        return _fail(f"no such file or directory: {missing[0]}")
    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        count = record(args.paths, args.output, args.flake8_arg, progress)
    except RecordError as exc:
        return _fail(str(exc))
    print(
        f"flake8-dbsec: recorded {count} finding(s) in {args.output}; "
        f"run flake8 with {OPTION}={args.output} to report only new ones"
    )
    return 0


def _fail(message: str) -> int:
    print(f"flake8-dbsec: error: {message}", file=sys.stderr)
    return 2
