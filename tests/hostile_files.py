"""Building crafted files: what someone making a file to harm NetSim would write."""
import io
import json
import struct
import zipfile

import numpy as np


def npy_header(shape, descr="<f8") -> bytes:
    """An .npy header (version 1.0) claiming `shape` of `descr`, with no data after it."""
    text = repr({"descr": descr, "fortran_order": False, "shape": tuple(shape)}).encode("latin1")
    padding = 64 - (len(np.lib.format.MAGIC_PREFIX) + 2 + 2 + len(text) + 1) % 64
    header = text + b" " * padding + b"\n"
    return np.lib.format.magic(1, 0) + struct.pack("<H", len(header)) + header


def npy_bytes(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def zip_members(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_zip(path, members: dict, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def rewrite_session(path, manifest_change=None, members=None):
    """Rewrite a session with its manifest changed in place (manifest_change(manifest)) and
    members replaced (None removes one)."""
    contents = zip_members(path)
    manifest = json.loads(contents["manifest.json"])
    if manifest_change:
        manifest_change(manifest)
    contents["manifest.json"] = json.dumps(manifest).encode()
    for name, data in (members or {}).items():
        if data is None:
            contents.pop(name)
        else:
            contents[name] = data
    write_zip(path, contents)


def nested(depth: int, leaf="0") -> str:
    """JSON text of arrays nested `depth` deep."""
    return "[" * depth + leaf + "]" * depth


def safetensors_parts(path) -> tuple[dict, bytes]:
    data = path.read_bytes()
    (length,) = struct.unpack("<Q", data[:8])
    return json.loads(data[8:8 + length]), data[8 + length:]


def safetensors_bytes(header: dict | str, body: bytes) -> bytes:
    text = (header if isinstance(header, str) else json.dumps(header)).encode()
    return struct.pack("<Q", len(text)) + text + body
