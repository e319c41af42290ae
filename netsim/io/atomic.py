"""Atomic file writes: a file we write is either the old one or the complete new one.

The bytes go to a temporary file in the same directory (same file system, so the final
`os.replace` is atomic), are flushed and fsynced, and only then replace the target. On any
failure the temporary file is removed and the old file, if any, is left as it was.

A process killed mid-write cannot remove its temporary file (".NAME.xxxxxxxx.tmp"). The
writer holds a lock on it while it writes; the next write to the same target removes those
of its pattern that no live writer holds. Errors name the file the person asked for, never
the temporary one.
"""
import contextlib
import errno
import os
import re
import tempfile
import time
from pathlib import Path

try:
    import fcntl                # POSIX: the writer's lock tells a live temporary file
except ImportError:             # from one a killed writer left
    fcntl = None

ORPHAN_AGE_S = 3600             # without locks (Windows): a temporary file this old is orphaned


@contextlib.contextmanager
def atomic_write(path, mode: str = "wb", encoding: str | None = None, newline: str | None = None):
    """Open a temporary file beside `path` for writing; on a clean exit it replaces `path`.

        with atomic_write("run.netsim") as f:
            f.write(data)
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder: choose a file name in it",
                                str(path))
    remove_orphans(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:          # name the file the user asked for, not our temporary one
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)          # released when the file is closed
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
            _keep_permissions(path, tmp_name)
            try:
                os.replace(tmp_name, path)
            except OSError as exc:
                raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(directory)


def remove_orphans(path: Path):
    """Remove the temporary files of `path`'s earlier writes that no live writer holds."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[A-Za-z0-9_]{{8}}\.tmp")
    directory = path.parent if str(path.parent) else Path(".")
    with contextlib.suppress(OSError):
        candidates = [entry for entry in os.scandir(directory)
                      if pattern.fullmatch(entry.name) and entry.is_file(follow_symlinks=False)]
        for entry in candidates:
            with contextlib.suppress(OSError):
                if _orphaned(entry.path):
                    os.unlink(entry.path)


def _orphaned(name: str) -> bool:
    if fcntl is None:
        return time.time() - os.stat(name).st_mtime > ORPHAN_AGE_S
    fd = os.open(name, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)     # taken: nobody is writing it
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def check_writable(path) -> None:
    """OSError naming `path` and why, unless a file can be written there: its folder exists
    and can be written, and the path is not a folder or a file that cannot be replaced.
    Checked before work whose result would go there (a long training run)."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "it is a folder: choose a file name in it",
                                str(path))
    if not directory.is_dir():
        raise FileNotFoundError(errno.ENOENT, f"the folder {directory} does not exist",
                                str(path))
    if not os.access(directory, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, f"the folder {directory} cannot be written",
                              str(path))


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
