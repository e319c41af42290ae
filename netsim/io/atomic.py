"""Atomic file writes: a file we write is either the old one or the complete new one.

The bytes go to a temporary file in the same directory (same file system, so the final
`os.replace` is atomic), are flushed and fsynced, and only then replace the target. On any
failure the temporary file is removed and the old file, if any, is left as it was.
"""
import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_write(path, mode: str = "wb", encoding: str | None = None, newline: str | None = None):
    """Open a temporary file beside `path` for writing; on a clean exit it replaces `path`.

        with atomic_write("run.netsim") as f:
            f.write(data)
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:          # name the file the user asked for, not our temporary one
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _keep_permissions(path, tmp_name)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(directory)


def write_bytes_atomic(path, data: bytes):
    with atomic_write(path, "wb") as f:
        f.write(data)


def write_text_atomic(path, text: str):
    with atomic_write(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _keep_permissions(path: Path, tmp_name: str):
    # mkstemp creates files readable by the owner alone; a replaced file keeps its mode,
    # a new one gets the usual mode for new files (0o666 minus the umask).
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp_name, mode)


def _fsync_directory(directory: Path):
    # Makes the rename itself durable; not possible (nor needed) on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
