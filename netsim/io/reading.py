"""Reading files that may come from anyone: the one way NetSim opens a file it reads whole,
and its one JSON parser.

    with open_regular(path, "CSV file", MAX_CSV_BYTES, DataError) as f: ...
    value = parse_json(text, f"{path}: manifest.json", FileFormatError)
    value = read_json_file(path, "lesson", MAX_SETTINGS_BYTES, FileFormatError)

Both refuse with the caller's error type (one of netsim.errors), never another exception:
a device, pipe or folder where a file was expected (reading /dev/zero never ends, a pipe
blocks), a file larger than the limit for its kind, JSON that nests deeper than
MAX_JSON_DEPTH (checked without recursion, before Python's recursive parser sees it), numbers
of more than MAX_NUMBER_CHARS characters, and NaN, Infinity or numbers that overflow to it.
"""
import json
import os
import re
import stat

import numpy as np

from .limits import MAX_JSON_DEPTH, MAX_NUMBER_CHARS, size_text

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"))


def open_regular(path, what: str, limit: int, error):
    """`path` opened for reading bytes if it is a regular file of at most `limit` bytes;
    `error` naming the file, what it is and the limit otherwise. OSError (missing, no
    permission) goes to the caller, who knows how to word it."""
    # O_NONBLOCK: opening a pipe would otherwise wait for a writer before fstat could look
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        kind = next((name for test, name in _KINDS if test(info.st_mode)), None)
        if kind is not None or not stat.S_ISREG(info.st_mode):
            raise error(f"{path}: is {kind or 'not a regular file'}, not a {what}")
        if info.st_size > limit:
            raise error(f"{path}: the file has {size_text(info.st_size)}; NetSim reads a {what} "
                        f"of up to {size_text(limit)}")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path, what: str, limit: int, error) -> bytes:
    """The whole of a regular file of at most `limit` bytes (see open_regular)."""
    with open_regular(path, what, limit, error) as f:
        data = f.read(limit + 1)            # a file growing while read stops at the limit too
    if len(data) > limit:
        raise error(f"{path}: the file has more than {size_text(limit)}; NetSim reads a {what} "
                    f"of up to {size_text(limit)}")
    return data


def read_json_file(path, what: str, limit: int, error):
    """The JSON value in the UTF-8 file at `path` (a byte-order mark is allowed)."""
    data = read_bytes(path, what, limit, error)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 text (byte {exc.start}); a {what} is JSON "
                    f"text") from None
    return parse_json(text, str(path), error)


# a string (its closing quote optional, so that an unclosed one ends the scan in linear time)
# or a run of characters that are neither brackets nor quotes: what is left are the brackets
_NOT_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[^"\[\]{}]+', re.DOTALL)
_CHUNK = 1 << 20


def nesting_depth(text: str) -> int:
    """How deep the arrays and objects of JSON text nest (of valid JSON; for invalid text a
    number the parser's own error makes moot). Without recursion, in C-speed passes."""
    brackets = _NOT_BRACKETS.sub("", text).encode("ascii")
    depth = deepest = 0
    for start in range(0, len(brackets), _CHUNK):
        codes = np.frombuffer(brackets, np.uint8, min(_CHUNK, len(brackets) - start), start)
        steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
        levels = depth + np.cumsum(steps)
        deepest = max(deepest, int(levels.max()))
        depth = int(levels[-1])
    return deepest


class _Refused(ValueError):
    """A number the parser hooks refuse; carries the message."""


def _number(text: str, convert):
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused(f"a number of {len(text)} characters ({text[:20]}…); NetSim reads numbers "
                       f"of up to {MAX_NUMBER_CHARS}")
    value = convert(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"the number {text} overflows to an infinite float; NaN or infinite "
                       f"values are refused")
    return value


def _int(text):
    return _number(text, int)


def _float(text):
    return _number(text, float)


def _constant(name):
    raise _Refused(f"not valid JSON: {name} is not a number JSON allows")


def parse_json(text: str, where: str, error):
    """The value of JSON `text` read from `where` (a file, or a file and its member), or
    `error` saying what is wrong with it."""
    depth = nesting_depth(text)
    if depth > MAX_JSON_DEPTH:
        raise error(f"{where}: JSON nested {depth} levels deep; NetSim reads up to "
                    f"{MAX_JSON_DEPTH} (its own files nest at most 5)")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except _Refused as exc:
        raise error(f"{where}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise error(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno}, column "
                    f"{exc.colno}") from None
    except (ValueError, RecursionError, MemoryError) as exc:    # the depth check makes these moot
        raise error(f"{where} cannot be read as JSON ({type(exc).__name__})") from None
