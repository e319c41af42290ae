"""Every user-visible setting of a run, declared once.

`Config` is frozen: a change makes a new Config (`config.replace(learning_rate=0.1)`), validated
as a whole. `FIELDS` drives validation, JSON (`to_dict`/`from_dict`) and the UI's ranges; the
registries supply the allowed names. Whether a change applies live or needs a new network is
declared per field (`LIVE`).
"""
import math
import reprlib
from dataclasses import dataclass, fields, replace as dc_replace

from .activations import ACTIVATIONS
from .errors import ConfigError
from .initializers import INITIALIZERS
from .optimizers import OPTIMIZERS
from .regularizers import REGULARIZERS
from .schedules import SCHEDULES

SCHEMA_VERSION = 1
DTYPES = ("float64", "float32")
CSV_TASKS = ("auto", "classification", "regression")
MAX_LAYERS = 16
MAX_WIDTH = 4096


@dataclass(frozen=True)
class Spec:
    """How one field is checked: its type, inclusive or exclusive bounds, or its choices."""
    kind: type                      # int, float, str, bool, tuple (layers/features)
    low: float | None = None
    high: float | None = None
    low_open: bool = False          # True: value must be > low rather than >= low
    choices: object = None          # a Registry or tuple of allowed strings
    optional: bool = False          # None allowed
    group: str = "training"         # data | network | training
    live: bool = False              # applies to a running trainer without a reset
    label: str = ""                 # how a person reads its name: "Learning rate"
    short: str = ""                 # in a run's name, "lr 0.3"; the label when empty
    per_layer: bool = False         # one value for every hidden layer, or a list of one each


FIELDS: dict[str, Spec] = {
    # data: a change rebuilds the data set and the network
    "dataset": Spec(str, group="data", label="Data set"),
    "noise": Spec(float, 0.0, 0.5, group="data", label="Noise"),
    "n_samples": Spec(int, 4, 1_000_000, optional=True, group="data",
                      label="Number of points", short="points"),
    "train_fraction": Spec(float, 0.1, 0.9, group="data", label="Training share"),
    "features": Spec(tuple, group="data", label="Input features", short="features"),
    "classes": Spec(int, 3, 6, group="data", label="Number of classes", short="classes"),
    "standardize": Spec(bool, optional=True, group="data", label="Standardisation"),
    "csv_path": Spec(str, optional=True, group="data", label="CSV file"),
    "target_column": Spec(str, optional=True, group="data", label="Target column", short="target"),
    "csv_task": Spec(str, choices=CSV_TASKS, group="data", label="Task"),
    "data_seed": Spec(int, 0, 2**32 - 1, group="data", label="Data seed"),
    # network: a change builds a new network
    "layers": Spec(tuple, group="network", label="Hidden layers", short="layers"),
    "activation": Spec(str, choices=ACTIVATIONS, group="network", label="Activation",
                       per_layer=True),
    "init": Spec(str, choices=INITIALIZERS, group="network", label="Initialization", short="init"),
    "bias_init": Spec(float, -10.0, 10.0, group="network", label="Bias init"),
    "seed": Spec(int, 0, 2**32 - 1, group="network", label="Seed (random start)", short="seed"),
    "dtype": Spec(str, choices=DTYPES, group="network", label="Precision"),
    "dropout": Spec(float, 0.0, 0.95, group="network", label="Dropout rate", short="dropout",
                    per_layer=True),
    # training: applies live
    "learning_rate": Spec(float, 0.0, 100.0, low_open=True, live=True,
                          label="Learning rate", short="lr"),
    "optimizer": Spec(str, choices=OPTIMIZERS, live=True, label="Optimizer"),
    "momentum": Spec(float, 0.0, 1.0, live=True, label="Momentum"),
    "beta1": Spec(float, 0.0, 1.0, live=True, label="Adam beta1", short="beta1"),
    "beta2": Spec(float, 0.0, 1.0, live=True, label="Adam beta2", short="beta2"),
    "eps": Spec(float, 0.0, 1.0, low_open=True, live=True, label="Epsilon", short="eps"),
    "alpha": Spec(float, 0.0, 1.0, live=True, label="RMSprop alpha", short="alpha"),
    "weight_decay": Spec(float, 0.0, 1.0, live=True, label="Weight decay"),
    "regularization": Spec(str, choices=REGULARIZERS, live=True,
                           label="Regularization", short="reg"),
    "reg_rate": Spec(float, 0.0, 10.0, live=True, label="Regularization rate", short="reg rate"),
    "batch_size": Spec(int, 1, 1_000_000, live=True, label="Batch size", short="batch"),
    # the learning-rate schedule (netsim/schedules.py), live; torch.optim.lr_scheduler's names
    "schedule": Spec(str, choices=SCHEDULES, live=True, label="Schedule"),
    "step_size": Spec(int, 1, 1_000_000, live=True, label="Step size (epochs)"),
    "gamma": Spec(float, 0.0, 1.0, low_open=True, live=True, label="Decay (gamma)"),
    "T_max": Spec(int, 1, 1_000_000, live=True, label="Period (T_max)"),
    "eta_min": Spec(float, 0.0, 100.0, live=True, label="Floor (eta_min)"),
    "total_iters": Spec(int, 0, 1_000_000, live=True, label="Warm-up epochs"),
    "start_factor": Spec(float, 0.0, 1.0, low_open=True, live=True,
                         label="Warm-up start"),
}


def field_label(name: str, in_sentence: bool = False) -> str:
    """The label of Config field `name`; lower-cased to sit inside a sentence (an acronym
    such as "CSV file" keeps its capitals)."""
    label = FIELDS[name].label
    if in_sentence and not label[1:2].isupper():
        return label[:1].lower() + label[1:]
    return label


def field_short(name: str) -> str:
    """The field's name in a run's name: "lr" for the learning rate."""
    return FIELDS[name].short or field_label(name, in_sentence=True)


OPTIMIZER_FIELDS = ("learning_rate", "momentum", "beta1", "beta2", "eps", "alpha", "weight_decay")
"""Fields handed to the optimizer as hyperparameters (each optimizer takes those it knows)."""


@dataclass(frozen=True)
class Config:
    dataset: str = "circle"
    noise: float = 0.0
    n_samples: int | None = None        # None: the data set's default size
    train_fraction: float = 0.5
    features: tuple = ("x1", "x2")      # input features for 2-D data (netsim.datasets.FEATURES)
    classes: int = 3                    # for the multi-class "blobs"
    standardize: bool | None = None     # None: the data set's default (real data yes, synthetic no)
    csv_path: str | None = None         # for dataset "csv"
    target_column: str | None = None    # None: the last column
    csv_task: str = "auto"
    data_seed: int = 0
    layers: tuple = (4, 2)              # hidden layer widths; () is a network with no hidden layer
    activation: str | tuple = "tanh"    # one name for every hidden layer, or one per layer
    init: str = "xavier_uniform"
    bias_init: float = 0.0
    seed: int = 0
    dtype: str = "float64"
    dropout: float | tuple = 0.0        # a rate for every hidden layer, or one per layer; 0: off
    learning_rate: float = 0.03
    optimizer: str = "sgd"
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    alpha: float = 0.99
    weight_decay: float = 0.01
    regularization: str = "none"
    reg_rate: float = 0.0
    batch_size: int = 10
    schedule: str = "constant"
    step_size: int = 10                 # step: the rate is multiplied by gamma every step_size
    gamma: float = 0.1                  # epochs (exponential: every epoch); torch StepLR's default
    T_max: int = 50                     # cosine: epochs from the rate down to eta_min
    eta_min: float = 0.0
    total_iters: int = 0                # warm-up epochs before the schedule; 0: none
    start_factor: float = 1.0 / 3.0     # the warm-up starts at this share of the rate (LinearLR)

    def __post_init__(self):
        for name, spec in FIELDS.items():
            object.__setattr__(self, name, _checked(name, getattr(self, name), spec))
        for name, spec in FIELDS.items():
            value = getattr(self, name)
            if spec.per_layer and isinstance(value, tuple) and len(value) != len(self.layers):
                raise ConfigError(f"{name} lists {len(value)} values for {len(self.layers)} "
                                  f"hidden layers: give one value, or one per hidden layer")

    def per_layer(self, name: str) -> tuple:
        """A per-layer field's value for each hidden layer: ("tanh", "tanh") for
        activation "tanh" on two hidden layers."""
        value = getattr(self, name)
        return value if isinstance(value, tuple) else (value,) * len(self.layers)

    def with_layers(self, layers) -> "Config":
        """This config with other hidden layers, each per-layer list cut or extended (by its
        last value) to fit, and given as one value when all values agree."""
        layers = tuple(layers)
        changes = {"layers": layers}
        for name, spec in FIELDS.items():
            value = getattr(self, name)
            if spec.per_layer and isinstance(value, tuple):
                fitted = (value + value[-1:] * len(layers))[:len(layers)]
                changes[name] = fitted if len(set(fitted)) > 1 else value[0]
        return self.replace(**changes)

    def replace(self, **changes) -> "Config":
        """A new, validated Config with these fields changed."""
        _reject_unknown(changes)
        return dc_replace(self, **changes)

    def to_dict(self) -> dict:
        """JSON-ready: tuples become lists; names, never indices."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}

    @classmethod
    def from_dict(cls, d: dict) -> "Config":
        if not isinstance(d, dict):
            raise ConfigError(f"a config must be a JSON object; got {type(d).__name__}")
        d = {k: v for k, v in d.items() if k != "schema_version"}
        _reject_unknown(d)
        return cls(**d)

    def differing_fields(self, other: "Config") -> list[str]:
        return [name for name in FIELDS if getattr(self, name) != getattr(other, name)]

    def needs_reset(self, other: "Config") -> bool:
        """True if going from self to other needs a new network (not just live changes)."""
        return any(not FIELDS[name].live for name in self.differing_fields(other))

    def optimizer_hyper(self) -> dict:
        return {name: getattr(self, name) for name in OPTIMIZER_FIELDS}

    def data_kwargs(self) -> dict:
        """Keyword arguments of netsim.datasets.make_dataset for this config."""
        return dict(n=self.n_samples, noise=self.noise, train_fraction=self.train_fraction,
                    features=self.features, seed=self.data_seed, standardize=self.standardize,
                    classes=self.classes, path=self.csv_path, target=self.target_column,
                    task=self.csv_task)


def _reject_unknown(d):
    unknown = sorted(set(d) - set(FIELDS))
    if unknown:
        raise ConfigError(f"unknown config key {unknown[0]!r}; known keys: {', '.join(FIELDS)}")


def _checked(name, value, spec: Spec):
    """The value normalised (lists to tuples, ints to floats), or ConfigError naming the field."""
    if value is None:
        if spec.optional:
            return None
        raise ConfigError(f"{name} is required")
    if spec.per_layer and isinstance(value, (list, tuple)):
        single = dc_replace(spec, per_layer=False)
        items = tuple(_checked(f"{name}[{k}]", item, single) for k, item in enumerate(value))
        if not items:
            raise ConfigError(f"{name} must be one value or a list of one per hidden layer")
        return items
    if spec.kind is tuple:
        return _checked_tuple(name, value)
    if spec.kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false; got {_shown(value)}")
        return value
    if spec.kind is str:
        if not isinstance(value, str):
            raise ConfigError(f"{name} must be a string; got {_shown(value)}")
        if spec.choices is not None and value not in spec.choices:
            raise ConfigError(f"{name} must be one of {', '.join(spec.choices)}; "
                              f"got {_shown(value)}")
        return value
    return _checked_number(name, value, spec)


def _checked_number(name, value, spec: Spec):
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if spec.kind is int:
        if not is_number or (isinstance(value, float) and not value.is_integer()):
            raise ConfigError(f"{name} must be a whole number; got {_shown(value)}")
        value = int(value)
    else:
        if not is_number or not _finite(value):
            raise ConfigError(f"{name} must be a finite number; got {_shown(value)}")
        value = float(value)
    too_low = value <= spec.low if spec.low_open else value < spec.low
    if too_low or value > spec.high:
        low = f"> {spec.low:g}" if spec.low_open else f">= {spec.low:g}"
        got = _shown(value) if _is_huge(value) else f"{value:g}"
        raise ConfigError(f"{name} must be {low} and <= {spec.high:g}; got {got}")
    return value


def _finite(number) -> bool:
    return not _is_huge(number) and math.isfinite(number)


def _is_huge(value) -> bool:
    """A whole number beyond any float (Python's ints have no bound)."""
    return isinstance(value, int) and value.bit_length() > 1000


def _shown(value) -> str:
    """A value for a message, kept short (a file may hold a list of a million numbers, or a
    whole number of thousands of digits, which Python will not even print)."""
    if _is_huge(value):
        return f"a whole number of about {int(value.bit_length() * 0.30103) + 1} digits"
    return reprlib.repr(value)


def _checked_tuple(name, value):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise ConfigError(f"{name} must be a list; got {_shown(value)}")
    items = tuple(value)
    if name == "features":
        if not items or not all(isinstance(f, str) for f in items):
            raise ConfigError(f"features must be a non-empty list of feature names; "
                              f"got {_shown(value)}")
        return items
    if len(items) > MAX_LAYERS:
        raise ConfigError(f"layers may have at most {MAX_LAYERS} hidden layers; got {len(items)}")
    for k, width in enumerate(items):
        if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= MAX_WIDTH:
            raise ConfigError(f"layers[{k}] must be a whole number of neurons from 1 to "
                              f"{MAX_WIDTH}; got {_shown(width)}")
    return items
