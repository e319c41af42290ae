"""A write that fails part-way leaves the old file intact and no temporary file behind."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from netsim.io import atomic, export_weights
from netsim.io.atomic import atomic_write, write_bytes_atomic
from netsim.session import save_session

from io_helpers import trained

ROOT = Path(__file__).resolve().parents[1]


class DiskFull(OSError):
    pass


def test_successful_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with atomic_write(path) as f:
        f.write(b"new")
    assert path.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_exception_inside_the_block_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.bin"
    path.write_bytes(b"old")
    with pytest.raises(DiskFull):
        with atomic_write(path) as f:
            f.write(b"half of the new")
            raise DiskFull("no space left on device")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.bin"]


def test_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "shared.json"
    path.write_text("{}")
    path.chmod(0o644)
    with atomic_write(path, "w") as f:
        f.write("[]")
    assert path.stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("suffix", [".npz", ".json", ".safetensors", ".onnx", ".py"])
def test_export_failing_at_fsync_leaves_the_previous_export(tmp_path, monkeypatch, suffix):
    first, second = trained(seed=1), trained(seed=2)
    path = export_weights(first, tmp_path / f"net{suffix}")
    good = path.read_bytes()

    def failing_fsync(fd):
        raise DiskFull("no space left on device")
    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)
    with pytest.raises(DiskFull):
        export_weights(second, path)
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == [path.name]


def test_session_save_failing_mid_write_keeps_the_old_session(tmp_path, monkeypatch):
    trainer = trained(steps=5)
    path = save_session(trainer, tmp_path / "run.netsim")
    good = path.read_bytes()
    trainer.step(20)
    calls = {"n": 0}
    real_save = np.save

    def save_then_fail(*args, **kwargs):       # dies after a few arrays are in the archive
        calls["n"] += 1
        if calls["n"] == 4:
            raise DiskFull("no space left on device")
        return real_save(*args, **kwargs)
    monkeypatch.setattr(np, "save", save_then_fail)
    with pytest.raises(DiskFull):
        save_session(trainer, path)
    assert calls["n"] == 4
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["run.netsim"]


def test_a_missing_folder_is_reported_with_the_path_asked_for(tmp_path):
    target = tmp_path / "absent" / "net.onnx"
    with pytest.raises(FileNotFoundError) as info:
        write_bytes_atomic(target, b"x")
    assert info.value.filename == str(target) and ".tmp" not in str(info.value)


def test_temporary_files_of_killed_writes_are_removed_by_the_next_write(tmp_path):
    path = tmp_path / "run.netsim"
    script = ("import os, sys; from netsim.io.atomic import atomic_write\n"
              "with atomic_write(sys.argv[1]) as f:\n"
              "    f.write(b'x' * 1000); f.flush(); os._exit(9)\n")     # killed mid-write
    for _ in range(3):         # each killed write removes the one before it
        subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, check=False)
        assert len(list(tmp_path.glob(".run.netsim.*.tmp"))) == 1
    other = tmp_path / ".other.netsim.abcdefgh.tmp"         # another target's: not ours
    other.write_bytes(b"keep")
    write_bytes_atomic(path, b"saved")
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "run.netsim"]


def test_a_write_in_progress_keeps_its_temporary_file(tmp_path):
    path = tmp_path / "run.netsim"
    with atomic_write(path) as f:
        f.write(b"first")
        write_bytes_atomic(path, b"second")           # another save of the same file
        f.write(b" and more")
    assert path.read_bytes() == b"first and more"


def test_saving_onto_a_folder_names_the_folder_not_a_temporary_file(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    with pytest.raises(IsADirectoryError) as caught:
        write_bytes_atomic(folder, b"data")
    assert caught.value.filename == str(folder) and ".tmp" not in str(caught.value)
    assert list(tmp_path.iterdir()) == [folder] and not list(folder.iterdir())
