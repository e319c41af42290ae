"""Weight penalties (never applied to biases): name -> Regularizer(penalty, gradient).

  l1          rate * sum |W|
  l2          rate / 2 * sum W^2
  elastic_net rate * (0.5 * sum |W| + 0.25 * sum W^2)
The gradient of |w| at exactly 0 is taken as 0 (the subgradient torch's sign() gives).
"""
import numpy as np

from .registry import Registry

REGULARIZERS = Registry("regularization")


class Regularizer:
    def penalty(self, weights, rate) -> float:
        """Penalty summed over every weight matrix in the list."""
        raise NotImplementedError

    def gradient(self, w, rate):
        """d penalty / d w for one weight matrix."""
        raise NotImplementedError


@REGULARIZERS.register("none")
class NoPenalty(Regularizer):
    def penalty(self, weights, rate): return 0.0
    def gradient(self, w, rate): return np.zeros_like(w)


@REGULARIZERS.register("l1")
class L1(Regularizer):
    def penalty(self, weights, rate):
        return rate * float(sum(np.abs(w).sum() for w in weights))

    def gradient(self, w, rate): return rate * np.sign(w)


@REGULARIZERS.register("l2")
class L2(Regularizer):
    def penalty(self, weights, rate):
        return 0.5 * rate * float(sum((w * w).sum() for w in weights))

    def gradient(self, w, rate): return rate * w


@REGULARIZERS.register("elastic_net")
class ElasticNet(Regularizer):
    def penalty(self, weights, rate):
        return rate * float(sum(0.5 * np.abs(w).sum() + 0.25 * (w * w).sum() for w in weights))

    def gradient(self, w, rate): return rate * (0.5 * np.sign(w) + 0.5 * w)
