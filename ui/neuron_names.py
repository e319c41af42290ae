"""What the network view calls each neuron: inputs by feature, hidden units H<layer>.<unit>,
outputs by class (or ŷ for a regression target)."""
from netsim.datasets import FEATURES

LONG_NAME = 14          # characters: longer column names of real data are elided in the middle
ELISION_SLACK = 4       # ... unless they are at most this much longer: eliding would hide a
                        # word to save a character or two


def elided(name: str, limit: int = LONG_NAME) -> str:
    if len(name) <= limit + ELISION_SLACK:
        return name
    head = (limit - 1) // 2
    return f"{name[:head]}\u2026{name[-(limit - 1 - head):]}"


def input_name(feature: str) -> str:
    feature_info = FEATURES.get(feature)
    return feature_info.label if feature_info is not None else elided(feature)


def output_names(task: str, class_names: tuple, n_outputs: int) -> list:
    if task == "binary" and len(class_names) == 2:
        return [f"P({elided(class_names[1])})"]
    if task == "multiclass" and len(class_names) == n_outputs:
        return [elided(c) for c in class_names]
    if n_outputs == 1:
        return ["\u0177"]
    return [f"\u0177{k + 1}" for k in range(n_outputs)]


def neuron_names(sizes: tuple, feature_names: tuple, class_names: tuple, task: str) -> list:
    """names[l][j] for every layer l = 0 (inputs) .. L (outputs)."""
    inputs = [input_name(f) for f in feature_names]
    if len(inputs) != sizes[0]:
        inputs = [f"in{k + 1}" for k in range(sizes[0])]
    hidden = [[f"H{l}.{j + 1}" for j in range(n)] for l, n in enumerate(sizes[1:-1], start=1)]
    return [inputs, *hidden, output_names(task, class_names, sizes[-1])]
