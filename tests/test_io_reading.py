"""The one way NetSim reads a whole file and its one JSON parser: only our own errors, and
nothing a file declares (its nesting, its numbers, what it is) can crash or stall them."""
import json
import os
import time

import pytest

from netsim.errors import ConfigError, FileFormatError
from netsim.io.limits import MAX_JSON_DEPTH
from netsim.io.reading import nesting_depth, open_regular, parse_json, read_bytes

from hostile_files import nested


@pytest.mark.parametrize("text, depth", [
    ("1", 0), ("[]", 1), ('{"a": [[1, 2], {"b": []}]}', 4),
    ('["[[[[", "]]]]]]", "\\"[["]', 1),           # brackets and escaped quotes inside strings
    ('{"a\\\\": [[1]]}', 3),                      # a backslash ending a string
], ids=["scalar", "empty", "mixed", "strings", "backslash"])
def test_nesting_depth_counts_brackets_outside_strings(text, depth):
    assert nesting_depth(text) == depth == _python_depth(json.loads(text))


def _python_depth(value) -> int:
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) \
        else None
    return 0 if children is None else 1 + max(map(_python_depth, children), default=0)


@pytest.mark.parametrize("text", [nested(10**6), "{\"a\": " * 10**6, "[" * 10**6])
def test_deep_nesting_is_refused_before_the_parser_recurses(text):
    with pytest.raises(FileFormatError, match=f"JSON nested 1000000 levels deep; NetSim reads "
                                              f"up to {MAX_JSON_DEPTH}"):
        parse_json(text, "deep.json", FileFormatError)


def test_nesting_at_the_limit_is_read():
    assert parse_json(nested(MAX_JSON_DEPTH), "ok.json", FileFormatError) == \
        json.loads(nested(MAX_JSON_DEPTH))


def test_an_unclosed_string_full_of_escaped_quotes_is_scanned_in_linear_time():
    text = '["\\"[' * 200_000
    start = time.perf_counter()
    with pytest.raises(FileFormatError, match="not valid JSON"):
        parse_json(text, "open.json", FileFormatError)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("text, match", [
    ("[" + "9" * 5000 + "]", "a number of 5000 characters"),
    ("[0." + "1" * 200 + "]", "a number of 202 characters"),
    ("[1e999]", "1e999 overflows to an infinite float"),
    ("[-1e999]", "-1e999 overflows"),
    ("[NaN]", "NaN is not a number JSON allows"),
    ("[-Infinity]", "-Infinity is not a number JSON allows"),
    ('{"a": 1', "not valid JSON: Expecting ',' delimiter at line 1, column 8"),
], ids=["digits", "float_digits", "overflow", "negative_overflow", "nan", "infinity", "invalid"])
def test_numbers_json_or_a_float_cannot_hold_are_refused_with_the_callers_error(text, match):
    with pytest.raises(ConfigError, match=match) as info:
        parse_json(text, "cfg.json", ConfigError)
    assert str(info.value).startswith("cfg.json")


def test_numbers_netsim_writes_are_read_exactly():
    text = json.dumps({"state": 2**128 - 1, "x": 0.1, "tiny": 5e-324,
                       "big": -1.7976931348623157e308})
    assert parse_json(text, "rng.json", FileFormatError) == json.loads(text)


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "pipe"
    os.mkfifo(path)
    with pytest.raises(FileFormatError, match="is a pipe, not a lesson"):
        open_regular(path, "lesson", 100, FileFormatError)


def test_a_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 101)
    with pytest.raises(ConfigError, match="the file has 101 bytes; NetSim reads a config file of "
                                          "up to 100 bytes"):
        read_bytes(path, "config file", 100, ConfigError)
