"""Zip archives of .npy arrays (.npz weights, .netsim sessions), read without trusting them.

    with ArrayArchive(path, ".npz weight file") as archive:
        text = archive.text("manifest.json", MAX_SETTINGS_BYTES)
        w = archive.array("weights/W0.npy", "layer 1 weights", kinds="f", shape=(2, 4))

Every size the archive declares is checked before anything is read or allocated: the zip
directory (no member named twice, only stored or deflated members, each at most an array's
limit and all together at most MAX_ARCHIVE_BYTES), then each array's .npy header (a plain
numeric dtype, never an object array that needs pickle; at most MAX_ARRAY_ELEMENTS elements;
the dtype and shape the caller expects; a member exactly as long as the header says), and only
then the array's bytes. A member is read at most once, so a manifest that names one member
many times cannot multiply it. Every failure is a FileFormatError naming the file and member.
"""
import math
import zipfile
import zlib

import numpy as np

from ..errors import FileFormatError
from .limits import (MAX_ARCHIVE_BYTES, MAX_ARRAY_BYTES, MAX_ARRAY_ELEMENTS,
                     MAX_NPY_HEADER_BYTES, size_text)
from .reading import open_regular

NPY_MAGIC = b"\x93NUMPY"
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError)
_DTYPE_WORDS = {"f": "floating-point numbers", "iu": "whole numbers", "fiu": "numbers"}


class ArrayArchive:
    """A zip archive of .npy members; `what` names the kind of file in messages."""

    def __init__(self, path, what: str):
        self.path, self.what = path, what
        self._read: set[str] = set()
        try:
            self._file = open_regular(path, what, MAX_ARCHIVE_BYTES, FileFormatError)
        except FileNotFoundError:
            raise FileFormatError(f"{path}: cannot read the file: file not found") from None
        except OSError as exc:
            raise FileFormatError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
        try:
            self.zip = zipfile.ZipFile(self._file)
            infos = self.zip.infolist()
        except _READ_ERRORS:
            start = self._start()
            self._file.close()
            raise FileFormatError(self._not_an_archive(start)) from None
        self._infos = {}
        for info in infos:
            if info.filename in self._infos:
                self.close()
                raise FileFormatError(f"{path}: the archive holds two members named "
                                      f"{info.filename!r}")
            self._infos[info.filename] = info
        total = sum(info.file_size for info in infos)
        if total > MAX_ARCHIVE_BYTES:
            self.close()
            raise FileFormatError(f"{path}: the archive's members would expand to "
                                  f"{size_text(total)}; NetSim reads a {what} of up to "
                                  f"{size_text(MAX_ARCHIVE_BYTES)}")

    def _start(self) -> bytes:
        try:
            self._file.seek(0)
            return self._file.read(len(NPY_MAGIC))
        except OSError:
            return b""

    def _not_an_archive(self, start: bytes) -> str:
        if start == NPY_MAGIC:
            return (f"{self.path}: this is a single .npy array, not a {self.what} (a zip "
                    f"archive of arrays)")
        return (f"{self.path}: not a {self.what}: this is not a valid zip archive, or a "
                f"truncated one")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.zip.close()
        self._file.close()

    def names(self) -> list[str]:
        return list(self._infos)

    def _info(self, name, limit) -> zipfile.ZipInfo:
        info = self._infos.get(name)
        if info is None:
            shown = name if len(name) <= 80 else name[:80] + "…"
            raise FileFormatError(f"{self.path}: the {self.what} is missing {shown}")
        if name in self._read:
            raise FileFormatError(f"{self.path}: {name} is named twice; each array of a "
                                  f"{self.what} has a member of its own")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise FileFormatError(f"{self.path}: {name} is compressed with method "
                                  f"{info.compress_type}; NetSim reads stored or deflated members")
        if info.file_size > limit:
            raise FileFormatError(f"{self.path}: {name} would expand to "
                                  f"{size_text(info.file_size)}; the largest NetSim reads is "
                                  f"{size_text(limit)}")
        self._read.add(name)
        return info

    def text(self, name: str, limit: int) -> str:
        """A text member of at most `limit` bytes, as UTF-8."""
        info = self._info(name, limit)
        try:
            with self.zip.open(info) as member:
                data = member.read(limit + 1)
        except _READ_ERRORS as exc:
            raise FileFormatError(f"{self.path}: not a valid {self.what}: {name} is damaged "
                                  f"({_reason(exc)})") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise FileFormatError(f"{self.path}: {name} is not UTF-8 text") from None

    def array(self, name, what: str, kinds="f", shape=None, check=None) -> np.ndarray:
        """The .npy member `name` (described in messages as `what`), of a dtype kind among
        `kinds` and of `shape` if given; `check(dtype, shape)` may refuse the header too.
        Nothing beyond the header is read unless every check passes."""
        if not isinstance(name, str):
            raise FileFormatError(f"{self.path}: the entry for {what} is not a member name")
        info = self._info(name, MAX_ARRAY_BYTES + MAX_NPY_HEADER_BYTES)
        try:
            with self.zip.open(info) as member:
                dtype, found, fortran = _header(member)
                self._check(name, what, dtype, found, kinds, shape)
                if check is not None:
                    check(dtype, found)
                n_bytes = math.prod(found) * dtype.itemsize
                if info.file_size != member.tell() + n_bytes:
                    raise FileFormatError(
                        f"{self.path}: {name} ({what}) is {info.file_size} bytes long; its "
                        f"header promises {member.tell() + n_bytes}")
                data = member.read(n_bytes)
        except FileFormatError:
            raise
        except _READ_ERRORS as exc:
            raise FileFormatError(
                f"{self.path}: not a valid {self.what}: {name} ({what}) is damaged or not a "
                f"plain numeric array ({_reason(exc)})") from None
        if len(data) != n_bytes:
            raise FileFormatError(f"{self.path}: {name} ({what}) is truncated")
        return np.frombuffer(data, dtype).reshape(found, order="F" if fortran else "C")

    def _check(self, name, what, dtype, shape, kinds, expected):
        if dtype.hasobject:
            raise FileFormatError(f"{self.path}: {name} ({what}) is not a plain numeric array: "
                                  f"it holds Python objects, which only pickle could read")
        if dtype.kind not in kinds:
            raise FileFormatError(f"{self.path}: {name} ({what}) has dtype {dtype}; expected "
                                  f"{_DTYPE_WORDS.get(kinds, 'a plain array')}")
        elements = math.prod(shape)
        if elements > MAX_ARRAY_ELEMENTS or elements * dtype.itemsize > MAX_ARRAY_BYTES:
            raise FileFormatError(f"{self.path}: {name} ({what}) claims shape {shape}, "
                                  f"{elements} elements; NetSim reads arrays of up to "
                                  f"{MAX_ARRAY_ELEMENTS} elements ({size_text(MAX_ARRAY_BYTES)})")
        if expected is not None and shape != tuple(expected):
            raise FileFormatError(f"{self.path}: {what}: expected shape {tuple(expected)}, the "
                                  f"file has {shape}")


def _reason(exc: Exception) -> str:
    """An exception's message, cut short: numpy's quote a whole (hostile) header."""
    text = str(exc)
    return text if len(text) <= 160 else text[:160] + "…"


def _header(member) -> tuple[np.dtype, tuple, bool]:
    """(dtype, shape, fortran order) from an .npy header, the file left at the data."""
    version = np.lib.format.read_magic(member)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(
            member, max_header_size=MAX_NPY_HEADER_BYTES)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(
            member, max_header_size=MAX_NPY_HEADER_BYTES)
    else:
        raise ValueError(f".npy format version {version[0]}.{version[1]} is not read here")
    if not all(isinstance(n, int) and n >= 0 for n in shape):
        raise ValueError(f"the header's shape {shape} is not a shape")
    return dtype, tuple(shape), fortran
