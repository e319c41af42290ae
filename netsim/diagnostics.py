"""Health of a network's units, computed from a forward pass over the training data."""
import numpy as np

from .network import Network
from .workspace import Workspace


def dead_units(network: Network, X: np.ndarray, workspace: Workspace | None = None) -> list:
    """dead[l]: (sizes[l],) bool for every layer l = 0..L; True for a hidden unit whose
    pre-activation is <= 0 on every row of X (a dead ReLU: no output, no gradient).
    Inputs and outputs are never dead. With a workspace, X is passed through it in chunks."""
    dead = [np.zeros(n, dtype=bool) for n in network.sizes]
    if any(a.can_die for a in network.activations):
        for l, activation in enumerate(network.activations, start=1):
            dead[l][:] = activation.can_die
        rows = workspace.rows if workspace is not None else max(1, len(X))
        for start in range(0, len(X), rows):
            pre, _ = network.forward_all(X[start:start + rows], workspace)
            keep_dead(dead[1:-1], pre[:-1])
    return dead


def keep_dead(dead: list, hidden_pre_activations: list):
    """Narrow each hidden layer's dead mask (in place) to the units whose pre-activation is
    <= 0 on every one of these rows too; the masks start all True and meet the rows in parts.
    A mask is (width,) for one run, (runs, width) for a stack (pre-activations (runs, rows,
    width))."""
    for mask, z in zip(dead, hidden_pre_activations):
        mask &= (z <= 0).all(axis=-2)
