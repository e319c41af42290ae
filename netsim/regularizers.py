"""Weight penalties (never applied to biases): name -> Regularizer(penalty, gradient).

  l1          rate * sum |W|
  l2          rate / 2 * sum W^2
  elastic_net rate * (0.5 * sum |W| + 0.25 * sum W^2)
The gradient of |w| at exactly 0 is taken as 0 (the subgradient torch's sign() gives).

Weight matrices are (n_in, n_out) for one run or (runs, n_in, n_out) for a stack of runs;
`rate` is a number, or for a stack one per run: (runs,) for the penalty, (runs, 1, 1) for the
gradient. A penalty is a float for one run and a (runs,) array for a stack.
"""
import numpy as np

from .registry import Registry

REGULARIZERS = Registry("regularization")
LAST_TWO = (-2, -1)


class Regularizer:
    def penalty(self, weights, rate):
        """The penalty summed over every weight matrix in the list, per run."""
        return rate * sum(self.unscaled(w) for w in weights)

    def unscaled(self, w):
        """The penalty of one weight matrix at rate 1: a float, or (runs,) for a stack."""
        raise NotImplementedError

    def gradient(self, w, rate):
        """d penalty / d w for one weight matrix (or stack of them)."""
        raise NotImplementedError


def _sums(values):
    """Each run's sum of a (n_in, n_out) or (runs, n_in, n_out) array."""
    return float(values.sum()) if values.ndim == 2 else values.sum(axis=LAST_TWO)


@REGULARIZERS.register("none")
class NoPenalty(Regularizer):
    def unscaled(self, w): return 0.0 if w.ndim == 2 else np.zeros(w.shape[0])
    def gradient(self, w, rate): return np.zeros_like(w)


@REGULARIZERS.register("l1", "L1")
class L1(Regularizer):
    def unscaled(self, w): return _sums(np.abs(w))
    def gradient(self, w, rate): return rate * np.sign(w)


@REGULARIZERS.register("l2", "L2")
class L2(Regularizer):
    def unscaled(self, w): return 0.5 * _sums(w * w)
    def gradient(self, w, rate): return rate * w


@REGULARIZERS.register("elastic_net", "Elastic net (L1 + L2)")
class ElasticNet(Regularizer):
    def unscaled(self, w): return 0.5 * _sums(np.abs(w)) + 0.25 * _sums(w * w)
    def gradient(self, w, rate): return rate * (0.5 * np.sign(w) + 0.5 * w)
