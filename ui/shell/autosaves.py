"""Each running NetSim keeps its own autosave file, locked while it runs, so that several
instances never restore, offer or delete each other's runs.

    autosaves = Autosaves(folder)       # this instance's file: autosaves.path, locked
    orphans = autosaves.claim_orphans()  # files whose instance is gone (crashed): locked by us
    autosaves.remove(orphans)            # declined, or restored: gone, locks released
    autosaves.release()                  # a clean exit: our file goes, our lock is released

A lock is a QLockFile beside its autosave file ("NAME.lock"): it names the process holding it,
and a lock whose process no longer runs is stale, so the file it guarded is an orphan. Locks
never go stale by age (a run may stay open for days). Autosave files of versions without
locks (one "autosave.netsim") are orphans as well.
"""
import os
import uuid
from pathlib import Path

from PySide6.QtCore import QLockFile

PREFIX, SUFFIX = "autosave-", ".netsim"
UNLOCKED_NAME = "autosave.netsim"          # the one autosave file of earlier versions


def _lock_of(path: Path) -> QLockFile:
    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)                # stale only when its process is gone
    return lock


class Autosaves:
    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = _lock_of(self.path)
        self._lock.tryLock(0)
        self._claimed: dict[Path, QLockFile] = {}

    def claim_orphans(self) -> list[Path]:
        """The autosave files of instances that are gone, newest first, each now locked by
        this instance (so another starting at the same time does not offer it too)."""
        self._remove_orphaned_locks()
        found = []
        candidates = list(self.folder.glob(f"{PREFIX}*{SUFFIX}")) + \
            [p for p in [self.folder / UNLOCKED_NAME] if p.exists()]
        for path in candidates:
            if path == self.path or path in self._claimed:
                continue
            lock = _lock_of(path)
            if lock.tryLock(0):                 # its owner is gone (or never locked it)
                self._claimed[path] = lock
                found.append(path)
        return sorted(found, key=lambda p: p.stat().st_mtime if p.exists() else 0,
                      reverse=True)

    def _remove_orphaned_locks(self):
        """Locks of instances that ended before they saved anything (no file beside them)."""
        for lock_path in self.folder.glob(f"{PREFIX}*{SUFFIX}.lock"):
            path = lock_path.with_suffix("")
            if path.exists() or path == self.path:
                continue
            lock = _lock_of(path)
            if lock.tryLock(0):
                lock.unlock()                    # removes the lock file

    def remove(self, paths):
        """Delete claimed orphans and their locks."""
        for path in paths:
            Path(path).unlink(missing_ok=True)
            lock = self._claimed.pop(Path(path), None)
            if lock is not None:
                lock.unlock()

    def release(self):
        """This instance ends cleanly: its autosave goes, and its lock."""
        self.path.unlink(missing_ok=True)
        self._lock.unlock()
