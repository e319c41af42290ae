import json

import pytest

from netsim import Config, ConfigError
from netsim.config import FIELDS, field_label, field_short


def test_issue_example_builds():
    cfg = Config(dataset="circle", layers=[4, 2], activation="tanh", init="xavier_uniform",
                 learning_rate=0.03, optimizer="sgd", regularization="l2", reg_rate=0.001,
                 batch_size=10, seed=0)
    assert cfg.layers == (4, 2)


def test_json_round_trip():
    cfg = Config(layers=[8, 8, 3], learning_rate=0.1, optimizer="adam", features=["x1", "x1*x2"])
    assert Config.from_dict(json.loads(json.dumps(cfg.to_dict()))) == cfg


def test_no_hidden_layer_is_allowed():
    assert Config(layers=[]).layers == ()


@pytest.mark.parametrize("field,value", [
    ("learning_rate", -0.1), ("learning_rate", 0), ("learning_rate", float("nan")),
    ("learning_rate", "fast"), ("learning_rate", True),
    ("batch_size", 0), ("batch_size", 2.5), ("batch_size", "10"),
    ("activation", "swish"), ("activation", 3), ("init", "glorot"),
    ("optimizer", "lbfgs"), ("regularization", "l3"),
    ("layers", [0]), ("layers", [4, 0]), ("layers", [4, -1]), ("layers", [4, 2.5]),
    ("layers", "4,2"), ("layers", 4), ("layers", [[]]),
    ("reg_rate", -0.001), ("noise", 0.9), ("train_fraction", 0.95), ("seed", -1),
    ("dtype", "float16"), ("features", []), ("standardize", "yes"), ("momentum", 1.5),
])
def test_invalid_field_names_the_field(field, value):
    with pytest.raises(ConfigError, match=field.split("[")[0]):
        Config(**{field: value})


@pytest.mark.parametrize("field, value, shown", [
    ("seed", 10**5000, "got a whole number of about 5001 digits"),
    ("learning_rate", 10**400, "got a whole number of about 401 digits"),
    ("layers", [10**400], "got a whole number of about 401 digits"),
    ("learning_rate", [0.1] * 10**5, r"got \[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, \.\.\.\]"),
], ids=["seed", "learning_rate", "layers", "list"])
def test_values_too_large_to_print_are_named_by_their_size(field, value, shown):
    with pytest.raises(ConfigError, match=shown):
        Config(**{field: value})


def test_unknown_key_is_named():
    with pytest.raises(ConfigError, match="learnin_rate"):
        Config.from_dict({"learnin_rate": 0.1})


def test_replace_validates():
    with pytest.raises(ConfigError, match="learning_rate"):
        Config().replace(learning_rate=-1)


def test_from_dict_rejects_non_objects():
    with pytest.raises(ConfigError):
        Config.from_dict([1, 2])


@pytest.mark.parametrize("field", [n for n, s in FIELDS.items() if s.live])
def test_live_fields_do_not_need_reset(field):
    changed = {"learning_rate": 0.5, "optimizer": "adam", "momentum": 0.5, "beta1": 0.8,
               "beta2": 0.99, "eps": 1e-6, "alpha": 0.9, "weight_decay": 0.1,
               "regularization": "l1", "reg_rate": 0.01, "batch_size": 20,
               "schedule": "cosine", "step_size": 3, "gamma": 0.5, "T_max": 7,
               "eta_min": 0.001, "total_iters": 2, "start_factor": 0.5}[field]
    assert not Config().needs_reset(Config().replace(**{field: changed}))


@pytest.mark.parametrize("field,value", [("layers", (4,)), ("activation", "relu"),
                                         ("activation", ("relu", "tanh")), ("dropout", 0.2),
                                         ("init", "he_normal"), ("dataset", "xor"),
                                         ("seed", 3), ("noise", 0.1)])
def test_structural_fields_need_reset(field, value):
    assert Config().needs_reset(Config().replace(**{field: value}))


def test_every_field_has_a_label_and_a_short_name():
    for name in FIELDS:
        assert FIELDS[name].label and field_label(name)[0].isupper(), name
        assert field_short(name), name


def test_labels_sit_in_sentences_keeping_acronyms():
    assert field_label("learning_rate", in_sentence=True) == "learning rate"
    assert field_label("csv_path", in_sentence=True) == "CSV file"
    assert field_short("learning_rate") == "lr" and field_short("noise") == "noise"
