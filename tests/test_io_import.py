"""Importing weights refuses, with a message naming the file and the problem, every file that
does not fit or cannot be trusted, and leaves the current weights and metrics as they were."""
import json
import struct

import numpy as np
import pytest

from netsim import FileFormatError, Trainer
from netsim.io import export_weights, import_weights

from hostile_files import (nested, npy_header, safetensors_bytes, safetensors_parts, write_zip,
                           zip_members)
from io_helpers import assert_parameters_equal, parameters, trained


@pytest.fixture
def trainer():
    return trained(dataset="circle", layers=[4, 2])


def assert_refused(trainer, path, match):
    before, metrics = parameters(trainer), trainer.metrics
    with pytest.raises(FileFormatError, match=match) as info:
        import_weights(trainer, path)
    assert str(path) in str(info.value)
    assert_parameters_equal(trainer, before)
    assert trainer.metrics == metrics


def npz_arrays(trainer, **changes):
    arrays = {}
    for l, (w, b) in enumerate(zip(trainer.network.weights, trainer.network.biases)):
        arrays[f"W{l}"], arrays[f"b{l}"] = w, b
    arrays.update(changes)
    return arrays


# ---- a file of another network -----------------------------------------------------------

@pytest.mark.parametrize("suffix", [".npz", ".json", ".safetensors"])
def test_other_layer_widths_are_refused_naming_the_layer_and_both_shapes(tmp_path, trainer,
                                                                         suffix):
    other = Trainer(trainer.config.replace(layers=(4, 3)))
    path = export_weights(other, tmp_path / f"other{suffix}")
    assert_refused(trainer, path,
                   r"layer 2: expected weights of shape \(4, 2\), the file has \(4, 3\)")


@pytest.mark.parametrize("suffix", [".npz", ".json", ".safetensors"])
def test_another_number_of_layers_is_refused(tmp_path, trainer, suffix):
    other = Trainer(trainer.config.replace(layers=(4,)))
    path = export_weights(other, tmp_path / f"other{suffix}")
    assert_refused(trainer, path, r"2 weight layers .* this one has 3")


def test_another_activation_is_refused_saying_which_to_choose(tmp_path, trainer):
    path = export_weights(Trainer(trainer.config.replace(activation="relu")), tmp_path / "r.npz")
    assert_refused(trainer, path, "uses the relu activation, this one tanh: choose relu")


def test_other_input_features_are_refused(tmp_path, trainer):
    other = Trainer(trainer.config.replace(features=("x1^2", "x2^2")))
    path = export_weights(other, tmp_path / "squares.json")
    assert_refused(trainer, path, "inputs x1\\^2, x2\\^2; this one takes x1, x2")


def test_plain_npz_without_architecture_is_imported_by_shape(tmp_path, trainer):
    source = trained(dataset="circle", layers=[4, 2], seed=5, steps=30)
    path = tmp_path / "plain.npz"
    np.savez(path, **npz_arrays(source))
    import_weights(trainer, path)
    assert_parameters_equal(trainer, parameters(source))


# ---- .npz ---------------------------------------------------------------------------------

def test_npz_with_a_pickled_object_array_is_refused(tmp_path, trainer):
    path = tmp_path / "evil.npz"
    evil = np.empty(2, dtype=object)
    evil[:] = [print, "payload"]
    np.savez(path, **npz_arrays(trainer, b1=evil))
    assert_refused(trainer, path, "pickle")


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_npz_is_refused(tmp_path, trainer, keep):
    path = export_weights(trainer, tmp_path / "net.npz")
    data = path.read_bytes()
    path.write_bytes(data[:int(len(data) * keep)])
    assert_refused(trainer, path, "not a valid")


def test_npz_with_a_damaged_member_is_refused(tmp_path, trainer):
    path = tmp_path / "net.npz"
    np.savez(path, **npz_arrays(trainer))
    data = bytearray(path.read_bytes())
    start = data.find(b"\x93NUMPY", data.find(b"W1.npy")) + 80
    data[start:start + 16] = b"\xff" * 16          # CRC no longer matches
    path.write_bytes(bytes(data))
    assert_refused(trainer, path, "not a valid")


def test_text_renamed_to_npz_is_refused(tmp_path, trainer):
    path = tmp_path / "notes.npz"
    path.write_text("these are not weights")
    assert_refused(trainer, path, "not a valid")


@pytest.mark.parametrize("bad, match", [
    (np.array([[np.nan, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]), "NaN or infinite"),
    (np.full((4, 2), np.inf), "NaN or infinite"),
    (np.ones((4, 2), dtype=complex), "real numbers"),
    (np.ones((4, 2), dtype=bool), "real numbers"),
    (np.array([["a", "b"]] * 4), "real numbers"),
    (np.ones((2, 4)), r"expected weights of shape \(4, 2\), the file has \(2, 4\)"),
])
def test_npz_with_bad_values_or_dtypes_is_refused(tmp_path, trainer, bad, match):
    path = tmp_path / "bad.npz"
    np.savez(path, **npz_arrays(trainer, W1=bad))
    assert_refused(trainer, path, f"layer 2: .*{match}" if "expected" not in match else match)


def test_npz_missing_an_array_names_it(tmp_path, trainer):
    arrays = npz_arrays(trainer)
    del arrays["b1"]
    path = tmp_path / "missing.npz"
    np.savez(path, **arrays)
    assert_refused(trainer, path, "the array b1 is missing")


def test_npz_whose_architecture_is_not_json_is_refused(tmp_path, trainer):
    path = tmp_path / "arch.npz"
    np.savez(path, **npz_arrays(trainer, architecture=np.array("{sizes: [2")))
    assert_refused(trainer, path, "architecture is not valid JSON")


def test_a_failure_in_the_last_layer_leaves_earlier_layers_untouched(tmp_path, trainer):
    other = trained(dataset="circle", layers=[4, 2], seed=9)
    path = tmp_path / "late.npz"
    np.savez(path, **npz_arrays(other, b2=np.array([np.nan])))
    assert_refused(trainer, path, "layer 3")


# ---- .json --------------------------------------------------------------------------------

def json_document(trainer, tmp_path):
    path = export_weights(trainer, tmp_path / "net.json")
    return path, json.loads(path.read_text())


def test_truncated_json_is_refused(tmp_path, trainer):
    path, _ = json_document(trainer, tmp_path)
    path.write_text(path.read_text()[:500])
    assert_refused(trainer, path, "not valid JSON")


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_json_with_non_finite_numbers_is_refused(tmp_path, trainer, value):
    path, doc = json_document(trainer, tmp_path)
    text = json.dumps(doc).replace(repr(doc["layers"][0]["biases"][0]), value, 1)
    path.write_text(text)
    assert_refused(trainer, path, "not valid JSON|NaN or infinite")


@pytest.mark.parametrize("weights", [[[1.0, 2.0], [3.0]], [["1.0", "2.0"]] * 4,
                                     [[None, 1.0]] * 4, [[True, False]] * 4, "weights", {}])
def test_json_weights_that_are_not_a_matrix_of_numbers_are_refused(tmp_path, trainer, weights):
    path, doc = json_document(trainer, tmp_path)
    doc["layers"][1]["weights"] = weights
    path.write_text(json.dumps(doc))
    assert_refused(trainer, path, "layer 2 weights must be")


def test_json_of_something_else_is_refused(tmp_path, trainer):
    path = tmp_path / "package.json"
    path.write_text('{"name": "left-pad", "version": "1.3.0"}')
    assert_refused(trainer, path, "not a NetSim weight file")


def test_json_from_a_newer_netsim_asks_for_an_update(tmp_path, trainer):
    path, doc = json_document(trainer, tmp_path)
    doc["architecture"]["schema_version"] = 99
    path.write_text(json.dumps(doc))
    assert_refused(trainer, path, "newer NetSim .* update NetSim")


# ---- .safetensors -------------------------------------------------------------------------

def change_safetensors_header(path, change):
    """Rewrite a safetensors file with change(header) applied to its JSON header."""
    header, body = safetensors_parts(path)
    change(header)
    path.write_bytes(safetensors_bytes(header, body))


@pytest.mark.parametrize("lie", ["past_the_end", "overlapping", "wrong_size"])
def test_safetensors_header_lying_about_offsets_is_refused(tmp_path, trainer, lie):
    pytest.importorskip("safetensors")
    path = export_weights(trainer, tmp_path / "net.safetensors")
    body_length = len(safetensors_parts(path)[1])

    def lie_about(header):
        start, end = header["2.weight"]["data_offsets"]
        header["2.weight"]["data_offsets"] = {"past_the_end": [start, body_length + 64],
                                              "overlapping": [0, end - start],
                                              "wrong_size": [start, end - 8]}[lie]
    change_safetensors_header(path, lie_about)
    assert_refused(trainer, path, "not a valid safetensors file")


def test_safetensors_header_length_beyond_the_file_is_refused(tmp_path, trainer):
    pytest.importorskip("safetensors")
    path = export_weights(trainer, tmp_path / "net.safetensors")
    data = path.read_bytes()
    path.write_bytes(struct.pack("<Q", 10**12) + data[8:])
    assert_refused(trainer, path, "not a valid safetensors file")


@pytest.mark.parametrize("keep", [4, 40, -9])
def test_truncated_safetensors_is_refused(tmp_path, trainer, keep):
    pytest.importorskip("safetensors")
    path = export_weights(trainer, tmp_path / "net.safetensors")
    path.write_bytes(path.read_bytes()[:keep])
    assert_refused(trainer, path, "not a valid safetensors file")


def test_safetensors_with_nan_is_refused(tmp_path, trainer):
    st = pytest.importorskip("safetensors.numpy")
    tensors = {}
    for l, (w, b) in enumerate(zip(trainer.network.weights, trainer.network.biases)):
        tensors[f"{2 * l}.weight"] = np.ascontiguousarray(w.T)
        tensors[f"{2 * l}.bias"] = b.copy()
    tensors["0.bias"][1] = np.nan
    path = tmp_path / "nan.safetensors"
    st.save_file(tensors, str(path))
    assert_refused(trainer, path, "layer 1: the biases contain NaN")


def test_safetensors_of_another_model_lists_the_expected_keys(tmp_path, trainer):
    st = pytest.importorskip("safetensors.numpy")
    path = tmp_path / "bert.safetensors"
    st.save_file({"embeddings.weight": np.zeros((3, 2))}, str(path))
    assert_refused(trainer, path, "expected tensors named \"0.weight\".*embeddings.weight")


def test_unknown_import_suffix_is_refused(tmp_path, trainer):
    path = export_weights(trainer, tmp_path / "net.onnx")
    assert_refused(trainer, path, "cannot import weights from .onnx; use one of .npz, .json")


def test_missing_file_is_refused(tmp_path, trainer):
    assert_refused(trainer, tmp_path / "nowhere.npz", "cannot read the file")


def claim_member_size(path, member: str, size: int):
    """Rewrite the zip directory's entry of `member` to claim `size` bytes uncompressed (as a
    zip bomb's does), leaving its data as it is."""
    data = bytearray(path.read_bytes())
    entry = 0
    while True:
        entry = data.find(b"PK\x01\x02", entry)
        name_length = int.from_bytes(data[entry + 28:entry + 30], "little")
        if data[entry + 46:entry + 46 + name_length] == member.encode():
            break
        entry += 4
    data[entry + 24:entry + 28] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_npz_member_expanding_beyond_the_limit_is_refused_unread(tmp_path, trainer):
    path = export_weights(trainer, tmp_path / "bomb.npz")
    claim_member_size(path, "W1.npy", 0xFFFF_FFF0)
    assert_refused(trainer, path, r"W1\.npy would expand to 4 GiB; the largest NetSim reads is "
                                  r"512 MiB")


def test_single_npy_array_named_npz_is_refused(tmp_path, trainer):
    path = tmp_path / "one.npz"
    with open(path, "wb") as f:
        np.save(f, np.zeros((2, 4)))
    assert_refused(trainer, path, "single .npy array")


# ---- files made to exhaust memory or to slip wrong weights in ------------------------------

def test_npz_whose_header_claims_a_huge_shape_is_refused_before_allocating(tmp_path, trainer):
    path = export_weights(trainer, tmp_path / "net.npz")
    write_zip(path, {**zip_members(path), "W0.npy": npy_header((10**12,))})
    assert_refused(trainer, path, r"W0\.npy \(layer 1 weights\) claims shape \(1000000000000,\)")


def test_npz_naming_a_layer_beyond_any_network_is_refused_without_counting_to_it(tmp_path,
                                                                                trainer):
    path = tmp_path / "far.npz"
    np.savez(path, **npz_arrays(trainer), W99999999999=np.zeros(1))
    assert_refused(trainer, path, "the array W3 is missing")


def test_text_renamed_to_npz_is_said_not_to_be_a_netsim_weight_file(tmp_path, trainer):
    path = tmp_path / "notes.npz"
    path.write_text("these are not weights")
    before = parameters(trainer)
    with pytest.raises(FileFormatError) as info:
        import_weights(trainer, path)
    message = str(info.value)
    assert "not a NetSim weight file (.npz)" in message and "pickle" not in message
    assert_parameters_equal(trainer, before)


@pytest.mark.parametrize("suffix", [".npz", ".safetensors", ".json"])
def test_architecture_nested_deep_is_refused(tmp_path, trainer, suffix):
    pytest.importorskip("safetensors") if suffix == ".safetensors" else None
    path = export_weights(trainer, tmp_path / f"net{suffix}")
    deep = '{"schema_version": 1, "sizes": [2, 4, 2, 1], "x": ' + nested(100_000) + "}"
    if suffix == ".npz":
        np.savez(path, **npz_arrays(trainer), architecture=np.array(deep))
    elif suffix == ".safetensors":
        change_safetensors_header(path, lambda header: header["__metadata__"].update(
            architecture=deep))
    else:
        text = path.read_text()
        path.write_text(text.replace('"architecture": {', '"architecture": {"x": '
                                     + nested(100_000) + ", ", 1))
    assert_refused(trainer, path, "JSON nested 100001 levels deep|JSON nested 100002 levels deep")


@pytest.mark.parametrize("suffix", [".json", ".safetensors"])
@pytest.mark.parametrize("key, value", [("feature_names", 7), ("class_names", [1, 2]),
                                        ("feature_mean", ["0"])])
def test_architecture_entries_of_the_wrong_kind_are_refused(tmp_path, trainer, suffix, key,
                                                            value):
    pytest.importorskip("safetensors") if suffix == ".safetensors" else None
    path = export_weights(trainer, tmp_path / f"net{suffix}")
    if suffix == ".json":
        document = json.loads(path.read_text())
        document["architecture"][key] = value
        path.write_text(json.dumps(document))
    else:
        def change(header):
            arch = json.loads(header["__metadata__"]["architecture"])
            header["__metadata__"]["architecture"] = json.dumps({**arch, key: value})
        change_safetensors_header(path, change)
    assert_refused(trainer, path, f"the architecture's {key} must be")


@pytest.mark.parametrize("suffix", [".npz", ".json", ".safetensors"])
def test_weights_training_would_call_diverged_are_refused_at_import(tmp_path, trainer, suffix):
    pytest.importorskip("safetensors") if suffix == ".safetensors" else None
    source = trained(dataset="circle", layers=[4, 2])
    source.network.weights[1][...] = 1e8
    path = export_weights(source, tmp_path / f"huge{suffix}")
    assert_refused(trainer, path, r"layer 2: the weights have a norm of 2.83e\+08; training "
                                  r"takes a weight matrix of norm 1e\+08 or more for a diverged")


def test_json_weights_with_a_boolean_among_the_numbers_are_refused(tmp_path, trainer):
    path, doc = json_document(trainer, tmp_path)
    doc["layers"][1]["weights"][2][0] = True
    path.write_text(json.dumps(doc))
    assert_refused(trainer, path, "layer 2 weights must be a matrix of numbers")


@pytest.mark.parametrize("dtype", ["I64", "U8", "BF16"])
def test_safetensors_weights_that_are_not_floats_are_refused(tmp_path, trainer, dtype):
    pytest.importorskip("safetensors")
    path = export_weights(trainer, tmp_path / "net.safetensors")

    def relabel(header):            # the same float64 bytes, said to be of another dtype
        n_out, n_in = header["0.weight"]["shape"]
        per_float64 = {"I64": 1, "U8": 8, "BF16": 4}[dtype]
        header["0.weight"].update(dtype=dtype, shape=[n_out, n_in * per_float64])
    change_safetensors_header(path, relabel)
    assert_refused(trainer, path, f"layer 1: tensor '0.weight' has dtype {dtype}; weights are "
                                  f"read from F16, F32, F64 tensors")


def test_safetensors_header_beyond_the_limit_is_refused_unread(tmp_path, trainer):
    path = tmp_path / "big.safetensors"
    path.write_bytes(safetensors_bytes("{" + " " * (17 << 20) + "}", b""))
    assert_refused(trainer, path, "a header of 17 MiB; NetSim reads headers of up to 16 MiB")


@pytest.mark.parametrize("suffix", [".npz", ".json", ".safetensors"])
def test_a_device_named_as_a_weight_file_is_refused_unread(tmp_path, trainer, suffix):
    path = tmp_path / f"zero{suffix}"
    path.symlink_to("/dev/zero")
    assert_refused(trainer, path, "is a device, not a")
