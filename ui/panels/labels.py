"""How registry names read in the drop-downs. The names themselves come from the engine's
registries; a name missing here reads as itself, capitalised, with spaces for underscores."""

SPELLED = {
    "sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW",
    "momentum": "Momentum", "nesterov": "Nesterov momentum",
    "relu": "ReLU", "leaky_relu": "Leaky ReLU", "elu": "ELU", "gelu": "GELU", "silu": "SiLU",
    "l1": "L1", "l2": "L2", "elastic_net": "Elastic net (L1 + L2)",
    "xavier_uniform": "Xavier (Glorot) uniform", "xavier_normal": "Xavier (Glorot) normal",
    "he_uniform": "He uniform", "he_normal": "He normal", "lecun_normal": "LeCun normal",
    "binary_crossentropy": "binary cross-entropy", "softmax_crossentropy": "cross-entropy",
    "mse": "mean squared error",
}


def label(name: str) -> str:
    return SPELLED.get(name, name.replace("_", " ").capitalize())
