"""CSV import: the formats people save, and a DataError that points at the cell for every bad file."""

import os
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netsim.datasets import load_csv, make_dataset
from netsim.errors import DataError

IRIS_LIKE = "length,width,species\n1.0,2.0,a\n1.5,2.5,b\n3.0,0.5,a\n4.0,1.0,b\n"


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def load_error(tmp_path, text, **kwargs) -> str:
    path = write(tmp_path, text)
    with pytest.raises(DataError) as caught:
        load_csv(path, **kwargs)
    message = str(caught.value)
    assert str(path) in message
    return message


# --- good files ---------------------------------------------------------------------------

def test_loads_features_target_names_and_classes(tmp_path):
    raw, y, raw_names, class_names, task = load_csv(write(tmp_path, IRIS_LIKE))
    assert raw.tolist() == [[1.0, 2.0], [1.5, 2.5], [3.0, 0.5], [4.0, 1.0]]
    assert raw.dtype == np.float64 and y.dtype == np.int64
    assert y.tolist() == [0, 1, 0, 1]
    assert raw_names == ("length", "width") and class_names == ("a", "b") and task == "binary"


@pytest.mark.parametrize("variant", [
    "\ufeff" + IRIS_LIKE,                                     # UTF-8 with byte-order mark
    IRIS_LIKE.replace(",", ";"),                              # semicolons
    IRIS_LIKE.replace(",", "\t"),                             # tabs
    IRIS_LIKE.replace("\n", "\r\n"),                          # Windows line ends
    IRIS_LIKE.replace("\n", "\r"),                            # old Mac line ends
    re.sub(r"([^,\n]+)", r'"\1"', IRIS_LIKE),                 # every field quoted
    "\n" + IRIS_LIKE.replace("\n", "\n\n") + "   \n",         # blank lines anywhere
    IRIS_LIKE.replace(",", " , "),                            # spaces around fields
], ids=["bom", "semicolon", "tab", "crlf", "cr", "quoted", "blank-lines", "spaces"])
def test_common_csv_dialects_load_the_same(tmp_path, variant):
    expected = load_csv(write(tmp_path, IRIS_LIKE, "plain.csv"))
    loaded = load_csv(write(tmp_path, variant))
    assert np.array_equal(loaded[0], expected[0]) and np.array_equal(loaded[1], expected[1])
    assert loaded[2:] == expected[2:]


def test_quoted_fields_may_hold_delimiters_quotes_and_line_breaks(tmp_path):
    text = 'a,"b, with comma",label\n1,2,"say ""hi"""\n3,4,"two\nlines"\n'
    raw, y, raw_names, class_names, _ = load_csv(write(tmp_path, text))
    assert raw_names == ("a", "b, with comma")
    assert class_names == ('say "hi"', "two\nlines")
    assert raw.tolist() == [[1, 2], [3, 4]]


def test_mixed_line_ends_keep_every_row(tmp_path):
    raw, y, _, _, _ = load_csv(write(tmp_path, "a,b,t\r1,2,x\n3,4,y\r\n5,6,x\n"))
    assert raw.tolist() == [[1, 2], [3, 4], [5, 6]] and y.tolist() == [0, 1, 0]


def test_target_column_is_chosen_by_name(tmp_path):
    text = "a,b,c\n1,2,3\n4,5,6\n"
    raw, y, raw_names, _, task = load_csv(write(tmp_path, text), target="a")
    assert raw_names == ("b", "c") and raw.tolist() == [[2, 3], [5, 6]]
    assert y.tolist() == [1.0, 4.0] and task == "regression"


def test_target_column_in_the_middle(tmp_path):
    text = "a,label,b\n1,x,2\n3,y,4\n"
    raw, y, raw_names, class_names, _ = load_csv(write(tmp_path, text), target="label")
    assert raw.tolist() == [[1, 2], [3, 4]] and raw_names == ("a", "b")
    assert class_names == ("x", "y") and y.tolist() == [0, 1]


def test_numeric_target_means_regression(tmp_path):
    raw, y, _, class_names, task = load_csv(write(tmp_path, "a,price\n1,10.5\n2,20\n3,-1e3\n"))
    assert task == "regression" and class_names == ()
    assert y.dtype == np.float64 and y.tolist() == [10.5, 20.0, -1000.0]


@pytest.mark.parametrize("labels, task", [((0, 1), "binary"), ((1, 2, 3, 4, 5), "multiclass"),
                                          (tuple(range(10)), "multiclass")])
def test_a_few_whole_number_labels_mean_classes_by_default(tmp_path, labels, task):
    text = "a,label\n" + "".join(f"{k},{labels[k % len(labels)]}\n" for k in range(30))
    _, y, _, class_names, found = load_csv(write(tmp_path, text))
    assert found == task and class_names == tuple(str(v) for v in labels)
    assert y.tolist() == [k % len(labels) for k in range(30)]


def test_many_whole_numbers_or_fractions_mean_regression_by_default(tmp_path):
    many = "a,age\n" + "".join(f"{k},{20 + k}\n" for k in range(30))
    assert load_csv(write(tmp_path, many))[4] == "regression"
    halves = "a,y\n" + "".join(f"{k},{k % 3 + 0.5}\n" for k in range(30))
    assert load_csv(write(tmp_path, halves, "halves.csv"))[4] == "regression"


def test_numeric_labels_become_classes_in_numeric_order_when_asked(tmp_path):
    text = "a,digit\n" + "".join(f"{k},{k % 11}\n" for k in range(22))
    _, y, _, class_names, task = load_csv(write(tmp_path, text), task="classification")
    assert task == "multiclass"
    assert class_names == tuple(str(k) for k in range(11))
    assert y.tolist() == [k % 11 for k in range(22)]


def test_class_labels_are_sorted_and_stripped(tmp_path):
    text = "a,b,t\n1,2, zebra\n3,4,ant \n5,6,zebra\n"
    _, y, _, class_names, _ = load_csv(write(tmp_path, text))
    assert class_names == ("ant", "zebra") and y.tolist() == [1, 0, 1]


def test_empty_header_names_are_numbered(tmp_path):
    _, _, raw_names, _, _ = load_csv(write(tmp_path, ",b,t\n1,2,x\n3,4,y\n"))
    assert raw_names == ("column 1", "b")


def test_fast_and_careful_parsers_agree(tmp_path):
    rng = np.random.default_rng(0)
    rows = [f"{a:.17g},{b:.17g},{'xyz'[k]}" for a, b, k in
            zip(rng.normal(size=300), rng.normal(size=300) * 1e6, rng.integers(0, 3, 300))]
    plain = "p,q,r\n" + "\n".join(rows) + "\n"
    quoted = plain.replace(",x", ',"x"')          # a quote anywhere sends the file the careful way
    fast, careful = load_csv(write(tmp_path, plain, "a.csv")), load_csv(write(tmp_path, quoted, "b.csv"))
    assert np.array_equal(fast[0], careful[0]) and np.array_equal(fast[1], careful[1])
    assert fast[2:] == careful[2:]


# --- bad files: one test per kind of mistake ----------------------------------------------------

def test_missing_value_names_line_and_column(tmp_path):
    message = load_error(tmp_path, "a,b,t\n1,2,x\n3,,y\n")
    assert "line 3, column 2 ('b')" in message and "missing value" in message


@pytest.mark.parametrize("marker", ["NA", "nan", "NaN", "?", "null"])
def test_missing_value_markers_are_called_missing(tmp_path, marker):
    message = load_error(tmp_path, f"a,b,t\n1,2,x\n3,4,y\n{marker},5,x\n")
    assert "line 4, column 1 ('a')" in message and "missing value" in message


def test_missing_target_value(tmp_path):
    message = load_error(tmp_path, "a,b,t\n1,2,x\n3,4,\n")
    assert "line 3, column 3 ('t')" in message and "missing target" in message


def test_non_numeric_feature(tmp_path):
    message = load_error(tmp_path, "a,b,t\n1,2,x\n3,4,y\n5,six,x\n")
    assert "line 4, column 2 ('b')" in message and "'six'" in message and "number" in message


def test_a_feature_too_large_to_standardise_is_refused_at_its_cell(tmp_path):
    message = load_error(tmp_path, "a,b,t\n1,2,x\n3,1e200,y\n5,6,x\n")
    assert "line 3, column 2 ('b')" in message and "too large" in message
    assert "rescale" in message


def test_decimal_comma_gets_a_hint(tmp_path):
    message = load_error(tmp_path, "a;b;t\n1,5;2;x\n3;4;y\n")
    assert "line 2, column 1 ('a')" in message and "decimal comma" in message


def test_infinite_feature(tmp_path):
    message = load_error(tmp_path, "a,b,t\n1,2,x\n3,1e999,y\n")
    assert "line 3, column 2 ('b')" in message and "not a finite number" in message


@pytest.mark.parametrize("row", ["3,4", "3,4,y,5"])
def test_ragged_row(tmp_path, row):
    message = load_error(tmp_path, f"a,b,t\n1,2,x\n{row}\n")
    assert "line 3" in message and f"{row.count(',') + 1} fields" in message and "header has 3" in message


def test_line_numbers_count_lines_inside_quotes_and_blank_lines(tmp_path):
    message = load_error(tmp_path, 'a,b,t\n\n1,2,"two\nlines"\n3,x,y\n')
    assert "line 5, column 2 ('b')" in message


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_file(tmp_path, text):
    assert "empty" in load_error(tmp_path, text)


def test_header_without_rows(tmp_path):
    assert "no data rows" in load_error(tmp_path, "a,b,t\n")


def test_single_column_file(tmp_path):
    assert "single column" in load_error(tmp_path, "a\n1\n2\n")


def test_only_one_class(tmp_path):
    message = load_error(tmp_path, "a,b,t\n1,2,x\n3,4,x\n")
    assert "only one class" in message and "'x'" in message


def test_target_column_not_found_lists_the_columns(tmp_path):
    message = load_error(tmp_path, IRIS_LIKE, target="colour")
    assert "'colour' not found" in message and "length, width, species" in message


def test_ambiguous_target_column(tmp_path):
    assert "rename one" in load_error(tmp_path, "t,b,t\n1,2,x\n3,4,y\n", target="t")


def test_regression_needs_a_numeric_target(tmp_path):
    message = load_error(tmp_path, IRIS_LIKE, task="regression")
    assert "line 2, column 3 ('species')" in message and "not a number" in message


def test_too_many_classes(tmp_path):
    text = "a,id\n" + "".join(f"{k},id{k}\n" for k in range(150))
    assert "up to 100 classes" in load_error(tmp_path, text)


def test_file_that_is_not_utf8(tmp_path):
    message = load_error(tmp_path, b"a,b,t\n1,2,x\n3,4,caf\xe9\n")
    assert "line 3" in message and "UTF-8" in message


def test_utf16_file(tmp_path):
    assert "UTF-16" in load_error(tmp_path, IRIS_LIKE.encode("utf-16"))


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_file_is_named_utf32_not_utf16(tmp_path, encoding):
    data = IRIS_LIKE.encode(encoding)
    if encoding != "utf-32":
        data = "\ufeff".encode(encoding) + data
    message = load_error(tmp_path, data)
    assert "is UTF-32 text" in message and "UTF-16" not in message


def test_header_of_more_columns_than_the_limit_is_refused(tmp_path):
    header = ",".join(f"c{j}" for j in range(4097))
    message = load_error(tmp_path, header + "\n" + ",".join(["1"] * 4097) + "\n")
    assert "the header has 4097 columns; NetSim reads up to 4096" in message


def test_column_name_longer_than_the_limit_is_refused(tmp_path):
    message = load_error(tmp_path, "a," + "b" * 300 + ",t\n1,2,x\n3,4,y\n")
    assert "the name of column 2 has 300 characters; NetSim reads names of up to 256" in message


def test_file_larger_than_the_limit_is_refused_unread(tmp_path, monkeypatch):
    from netsim.datasets import csv_loader
    monkeypatch.setattr(csv_loader, "MAX_CSV_BYTES", 20)
    assert "the file has 61 bytes; NetSim reads a CSV file of up to 20 bytes" in load_error(
        tmp_path, IRIS_LIKE)


@pytest.mark.parametrize("device, kind", [("/dev/zero", "a device"), ("fifo", "a pipe")])
def test_device_or_pipe_instead_of_a_file_is_refused_unread(tmp_path, device, kind):
    path = tmp_path / "data.csv"
    if device == "fifo":
        os.mkfifo(path)            # reading would wait for a writer forever
    else:
        path.symlink_to(device)
    with pytest.raises(DataError, match=f"is {kind}, not a CSV file"):
        load_csv(path)


def test_file_that_does_not_exist(tmp_path):
    path = tmp_path / "nowhere.csv"
    with pytest.raises(DataError, match="not found") as caught:
        load_csv(path)
    assert str(path) in str(caught.value)


def test_folder_instead_of_a_file(tmp_path):
    with pytest.raises(DataError, match="is a folder"):
        load_csv(tmp_path)


def test_unterminated_quote_swallowing_the_file(tmp_path):
    message = load_error(tmp_path, 'a,b,t\n1,2,x\n3,4,"y\n' + "5,6,y\n" * 30000)
    assert "line 3" in message and "never closed" in message


def test_unclosed_quote_closed_by_a_later_one_is_named_not_only_counted(tmp_path):
    message = load_error(tmp_path, 'a,b,c,t\n1,2,3,x\n4,"5,6,y\n7,8,9,y\n10,11,12",x\n')
    assert "line 3" in message and "3 fields but the header has 4" in message
    assert "line 5" in message and "never closed" in message


def test_too_few_rows_for_the_split(tmp_path):
    path = write(tmp_path, "a,b,t\n1,2,x\n3,4,y\n")
    with pytest.raises(DataError, match="too few rows"):
        make_dataset("csv", path=str(path))


@pytest.mark.parametrize("kwargs, match", [
    ({"task": "guess"}, "task must be one of"),
    ({"target": 3}, "target must be a column name"),
])
def test_bad_arguments(tmp_path, kwargs, match):
    with pytest.raises(DataError, match=match):
        load_csv(write(tmp_path, IRIS_LIKE), **kwargs)


def test_path_must_be_a_path():
    with pytest.raises(DataError, match="path must be a file name"):
        load_csv(42)


# --- anything at all --------------------------------------------------------------------------

def _loads_or_refuses(path):
    try:
        raw, y, raw_names, class_names, task = load_csv(path)
    except DataError:
        return
    assert raw.ndim == 2 and raw.shape[0] == len(y) >= 1 and raw.shape[1] == len(raw_names)
    assert np.isfinite(raw).all()
    assert task in ("binary", "multiclass", "regression")


CSV_ALPHABET = st.sampled_from(list('0123456789.,;\t"\n\r -eE+xyNA\ufeff\x00é') + ["nan", "inf"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(CSV_ALPHABET, max_size=80).map("".join))
def test_csv_like_text_loads_or_raises_data_error(tmp_path, text):
    _loads_or_refuses(write(tmp_path, text))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_random_text_loads_or_raises_data_error(tmp_path, text):
    _loads_or_refuses(write(tmp_path, text.encode("utf-8", "surrogatepass")))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_random_bytes_load_or_raise_data_error(tmp_path, data):
    _loads_or_refuses(write(tmp_path, data))
