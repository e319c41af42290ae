"""Sessions: save, open, continue exactly; refuse anything that is not a complete session."""
import io
import json
import zipfile

import numpy as np
import pytest

from netsim import Config, FileFormatError, Trainer
from netsim.session import load_session, save_session

from hostile_files import npy_bytes, npy_header, rewrite_session as rewrite
from io_helpers import assert_parameters_equal, parameters

SMALL = dict(dataset="circle", layers=[4, 2], learning_rate=0.05, batch_size=10)


def assert_same_run(a: Trainer, b: Trainer):
    """Bit for bit: parameters, optimizer state, rng, counters, order and every history value."""
    assert_parameters_equal(b, parameters(a))
    sa, sb = a.capture(), b.capture()
    assert sa["config"] == sb["config"] and sa["rng"] == sb["rng"]
    for key in ("cursor", "step", "epoch", "examples_seen"):
        assert sa[key] == sb[key], key
    np.testing.assert_array_equal(sa["order"], sb["order"])
    oa, ob = sa["optimizer"], sb["optimizer"]
    assert (oa["t"], oa["hyper"], oa["state"].keys()) == (ob["t"], ob["hyper"], ob["state"].keys())
    for slot in oa["state"]:
        for x, y in zip(oa["state"][slot], ob["state"][slot], strict=True):
            np.testing.assert_array_equal(x, y)
    ha, hb = sa["history"], sb["history"]
    assert ha["series"].keys() == hb["series"].keys()
    for name, series in ha["series"].items():
        other = hb["series"][name]
        assert (series["stride"], series["sum"], series["count"]) == \
            (other["stride"], other["sum"], other["count"]), name
        np.testing.assert_array_equal(series["steps"], other["steps"])
        np.testing.assert_array_equal(series["values"], other["values"])
    assert a.metrics == b.metrics


@pytest.mark.parametrize("fields", [
    dict(optimizer="adam"),
    dict(optimizer="momentum", regularization="l2", reg_rate=0.001),
    dict(optimizer="rmsprop", dtype="float32", features=["x1", "x2", "x1*x2"]),
    dict(optimizer="sgd", dataset="iris", layers=[3]),
    dict(optimizer="adam", schedule="step", step_size=1, gamma=0.5),
], ids=["adam", "momentum_l2", "rmsprop_float32", "sgd_iris", "adam_step_schedule"])
def test_n_steps_save_open_m_steps_equals_n_plus_m_uninterrupted(tmp_path, fields):
    config = Config(**{**SMALL, **fields})
    uninterrupted, first_half = Trainer(config), Trainer(config)
    uninterrupted.step(37 + 150)
    first_half.step(37)                                # mid-epoch: cursor and order matter
    path = save_session(first_half, tmp_path / "run.netsim")
    resumed = load_session(path)
    resumed.step(150)
    assert_same_run(uninterrupted, resumed)


def test_resume_after_the_history_has_been_decimated(tmp_path):
    config = Config(**SMALL, optimizer="adam")
    uninterrupted, first_half = Trainer(config), Trainer(config)
    uninterrupted.step(2100 + 100)
    first_half.step(2100)
    assert first_half.history["batch_loss"].stride == 2
    resumed = load_session(save_session(first_half, tmp_path / "run.netsim"))
    resumed.step(100)
    assert_same_run(uninterrupted, resumed)


def test_fresh_run_saved_before_any_step_resumes_exactly(tmp_path):
    config = Config(**SMALL, optimizer="adam")
    uninterrupted = Trainer(config)
    resumed = load_session(save_session(Trainer(config), tmp_path / "run.netsim"))
    uninterrupted.step(60)
    resumed.step(60)
    assert_same_run(uninterrupted, resumed)


def write_csv_data(path):
    rng = np.random.default_rng(4)
    x = rng.normal(size=(60, 3))
    y = x @ [1.5, -2.0, 0.5] + 0.1 * rng.normal(size=60)
    lines = ["height,width,depth,volume"] + [",".join(map(str, [*row, v]))
                                               for row, v in zip(x.tolist(), y.tolist())]
    path.write_text("\n".join(lines) + "\n")


def test_csv_session_opens_and_continues_after_the_csv_file_is_gone(tmp_path):
    csv_path = tmp_path / "measurements.csv"
    write_csv_data(csv_path)
    config = Config(dataset="csv", csv_path=str(csv_path), layers=[4], batch_size=8,
                    optimizer="adam", learning_rate=0.01)
    uninterrupted, first_half = Trainer(config), Trainer(config)
    uninterrupted.step(23 + 40)
    first_half.step(23)
    path = save_session(first_half, tmp_path / "run.netsim")
    csv_path.unlink()
    resumed = load_session(path)
    resumed.step(40)
    assert_same_run(uninterrupted, resumed)
    assert resumed.dataset.raw_names == ("height", "width", "depth")
    np.testing.assert_array_equal(resumed.dataset.raw_test, uninterrupted.dataset.raw_test)


def test_session_is_a_zip_of_a_json_manifest_and_pickle_free_arrays(tmp_path):
    trainer = Trainer(Config(**SMALL, optimizer="adam"))
    trainer.step(12)
    path = save_session(trainer, tmp_path / "run.netsim")
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
        for name in names:
            if name.endswith(".npy"):
                np.load(io.BytesIO(archive.read(name)), allow_pickle=False)
    assert manifest["format"] == "netsim-session" and manifest["schema_version"] == 1
    assert manifest["config"] == trainer.config.to_dict()
    assert manifest["data"]["recipe"] == trainer.dataset.recipe
    assert manifest["counters"]["step"] == 12
    assert "weights/W2.npy" in names and "optimizer/exp_avg_sq/5.npy" in names


# ---- refusing bad files --------------------------------------------------------------------

@pytest.fixture
def saved(tmp_path):
    trainer = Trainer(Config(**SMALL, optimizer="adam"))
    trainer.step(30)
    return save_session(trainer, tmp_path / "run.netsim")


def assert_refused(path, match):
    with pytest.raises(FileFormatError, match=match) as info:
        load_session(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_truncated_session_is_refused(saved, keep):
    data = saved.read_bytes()
    saved.write_bytes(data[:int(len(data) * keep)])
    assert_refused(saved, "not a NetSim session|damaged|missing")


def test_other_zip_is_refused(tmp_path):
    path = tmp_path / "photos.netsim"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("cat.jpg", b"\xff\xd8")
    assert_refused(path, "missing manifest.json")


def test_pickled_object_array_in_a_session_is_refused(saved):
    evil = np.empty(1, dtype=object)
    evil[0] = print
    rewrite(saved, members={"weights/b1.npy": npy_bytes(evil)})
    assert_refused(saved, "weights/b1.npy .* not a plain numeric array")


def test_manifest_that_is_not_json_is_refused(saved):
    with zipfile.ZipFile(saved) as archive:
        contents = {name: archive.read(name) for name in archive.namelist()}
    contents["manifest.json"] = contents["manifest.json"][:100]
    with zipfile.ZipFile(saved, "w") as archive:
        for name, data in contents.items():
            archive.writestr(name, data)
    assert_refused(saved, "manifest.json is not valid JSON")


@pytest.mark.parametrize("change, match", [
    (lambda m: m.update(schema_version=7), "newer NetSim"),
    (lambda m: m.update(format="other"), "not a NetSim session"),
    (lambda m: m["config"].update(learning_rate=-1), "settings are invalid: learning_rate"),
    (lambda m: m["counters"].update(cursor=10**6), "cursor must be >= 0 and <= 250"),
    (lambda m: m["counters"].update(step="many"), "'step' has the wrong type"),
    (lambda m: m["rng"].update(bit_generator="MT19937"), "random generator state is invalid"),
    (lambda m: m["data"].update(fingerprint="0" * 64), "comes out differently"),
    (lambda m: m["optimizer"]["state"].pop("exp_avg"), "slots"),
    (lambda m: m["history"]["series"][0].update(stride=0), "stride 0"),
    (lambda m: m["weights"].pop(), "2 weight layers, this network has 3"),
], ids=["newer", "format", "config", "cursor", "step_type", "rng", "fingerprint",
        "optimizer_slots", "history_stride", "layers"])
def test_inconsistent_manifest_is_refused(saved, change, match):
    rewrite(saved, change)
    assert_refused(saved, match)


@pytest.mark.parametrize("member, array, match", [
    ("weights/W1.npy", np.zeros((2, 4)), r"layer 2: expected weights of shape \(4, 2\)"),
    ("weights/W0.npy", np.full((2, 4), np.nan), "layer 1: the weights contain NaN"),
    ("optimizer/exp_avg/0.npy", np.zeros(3), r"expected shape \(2, 4\)"),
    ("order.npy", np.zeros(250, dtype=np.int64), "not a permutation"),
    ("order.npy", np.arange(250.0), "dtype float64; expected whole numbers"),
    ("history/0/values.npy", np.zeros(99), "history is malformed"),
])
def test_bad_arrays_are_refused(saved, member, array, match):
    rewrite(saved, members={member: npy_bytes(array)})
    assert_refused(saved, match)


def test_missing_member_is_named(saved):
    rewrite(saved, members={"weights/b2.npy": None})
    assert_refused(saved, "missing weights/b2.npy")


def test_missing_file_is_refused(tmp_path):
    assert_refused(tmp_path / "gone.netsim", "file not found")


@pytest.fixture
def csv_session(tmp_path):
    csv_path = tmp_path / "measurements.csv"
    write_csv_data(csv_path)
    trainer = Trainer(Config(dataset="csv", csv_path=str(csv_path), layers=[4]))
    trainer.step(5)
    return save_session(trainer, tmp_path / "csv.netsim")


@pytest.mark.parametrize("change, match", [
    (lambda m: m["data"].update(source="config"), "must hold the data itself"),
    (lambda m: m["data"]["fields"].update(transforms=["x1^3"]), "malformed"),
    (lambda m: m["data"]["fields"].update(raw_names=["height"]), "do not fit together"),
    (lambda m: m["data"]["fields"].update(class_names=["a", "b"], task="binary"),
     "do not fit|class labels"),
], ids=["csv_from_config", "unknown_transform", "raw_names", "task"])
def test_inconsistent_embedded_data_is_refused(csv_session, change, match):
    rewrite(csv_session, change)
    assert_refused(csv_session, match)


def test_embedded_inputs_that_are_not_the_transform_of_the_raw_data_are_refused(csv_session):
    with zipfile.ZipFile(csv_session) as archive:
        x_train = np.load(io.BytesIO(archive.read("data/X_train.npy")))
    rewrite(csv_session, members={"data/X_train.npy": npy_bytes(x_train[::-1].copy())})
    assert_refused(csv_session, "do not fit together")


# ---- files made to exhaust memory or slip wrong state in -----------------------------------

@pytest.mark.parametrize("member, dtype", [("weights/W0.npy", "<f8"), ("order.npy", "<i8")])
def test_array_header_claiming_a_huge_shape_is_refused_before_allocating(saved, member, dtype):
    rewrite(saved, members={member: npy_header((10**12,), dtype)})
    assert_refused(saved, rf"{member} .*claims shape \(1000000000000,\).* up to 67108864 elements")


@pytest.mark.parametrize("change, match", [
    (lambda m: m["history"].update(capacity=10**12),
     "capacity must be >= 0 and <= 65536; got 1000000000000"),
    (lambda m: m["history"]["series"][0].update(capacity=10**12),
     "history series 0: its capacity differs"),
], ids=["history", "series"])
def test_history_capacity_beyond_the_limit_is_refused(saved, change, match):
    rewrite(saved, change)
    assert_refused(saved, match)


def test_a_member_named_many_times_is_read_once_and_refused(saved):
    rewrite(saved, lambda m: m.update(weights=["weights/W0.npy"] * 3))
    assert_refused(saved, "weights/W0.npy is named twice")


def test_a_huge_network_with_too_few_arrays_is_refused_before_it_is_built(saved, monkeypatch):
    def build(*args):
        raise AssertionError("the network was built before the arrays were checked")
    monkeypatch.setattr("netsim.session.Trainer", build)
    rewrite(saved, lambda m: m["config"].update(layers=[4096] * 16))
    assert_refused(saved, r"holds 3 weight layers, this network has 17 \(sizes \[2, 4096")


def test_embedded_class_names_that_are_not_a_list_are_refused(csv_session):
    rewrite(csv_session, lambda m: m["data"]["fields"].update(class_names=5))
    assert_refused(csv_session, "the embedded data set: 'class_names' has the wrong type")


@pytest.mark.parametrize("name, value", [("learning_rate", -5), ("learning_rate", 0.5),
                                         ("beta1", True), ("eps", "small")])
def test_optimizer_settings_other_than_the_configs_are_refused(saved, name, value):
    rewrite(saved, lambda m: m["optimizer"]["hyper"].update({name: value}))
    assert_refused(saved, rf"the optimizer's {name} is {value!r} but the session's settings make it")


@pytest.mark.parametrize("where", ["step", "epoch", "examples_seen"])
def test_counters_beyond_what_a_run_can_reach_are_refused(saved, where):
    rewrite(saved, lambda m: m["counters"].update({where: 10**30}))
    assert_refused(saved, rf"{where} must be >= 0 and <= 9007199254740992; got 10{{30}}")


@pytest.mark.parametrize("stride, match", [(10**30, "stride must be >= 0 and <= 9007"),
                                           (6, "stride 6 and count")])
def test_history_stride_that_is_not_a_power_of_two_within_the_limit_is_refused(saved, stride,
                                                                                match):
    rewrite(saved, lambda m: [s.update(stride=stride, count=0)
                              for s in m["history"]["series"]])
    assert_refused(saved, match)


def test_history_series_the_network_does_not_record_are_refused(saved):
    def add_series(manifest):
        series = manifest["history"]["series"]
        series.append({**series[0], "name": "weight_norm[99]"})
    rewrite(saved, add_series)
    assert_refused(saved, r"'weight_norm\[99\]' is not a series of this network's history")


def test_manifest_nested_beyond_the_limit_is_refused(saved):
    rewrite(saved, lambda m: m["data"].update(recipe=json.loads("[" * 40 + "]" * 40)))
    assert_refused(saved, "manifest.json: JSON nested 42 levels deep; NetSim reads up to 32")


def test_session_that_is_a_device_is_refused(tmp_path):
    assert_refused("/dev/zero", "is a device, not a NetSim session")
