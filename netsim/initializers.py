"""Weight initializers: name -> fn(fan_in, fan_out, rng) -> (fan_in, fan_out) array.

Formulas as torch.nn.init (He = kaiming with the ReLU gain sqrt(2), fan_in mode); `uniform`
is TensorFlow Playground's U(-0.5, 0.5). Every draw comes from the caller's seeded rng.
"""
import numpy as np

from .registry import Registry

INITIALIZERS = Registry("initializer")


@INITIALIZERS.register("zeros")
def zeros(fan_in, fan_out, rng):
    return np.zeros((fan_in, fan_out))


@INITIALIZERS.register("uniform")
def uniform(fan_in, fan_out, rng):
    return rng.uniform(-0.5, 0.5, size=(fan_in, fan_out))


@INITIALIZERS.register("normal")
def normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out))


@INITIALIZERS.register("xavier_uniform", "Xavier (Glorot) uniform")
def xavier_uniform(fan_in, fan_out, rng):
    bound = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-bound, bound, size=(fan_in, fan_out))


@INITIALIZERS.register("xavier_normal", "Xavier (Glorot) normal")
def xavier_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / (fan_in + fan_out))


@INITIALIZERS.register("he_uniform", "He uniform")
def he_uniform(fan_in, fan_out, rng):
    bound = np.sqrt(6.0 / fan_in)
    return rng.uniform(-bound, bound, size=(fan_in, fan_out))


@INITIALIZERS.register("he_normal", "He normal")
def he_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)


@INITIALIZERS.register("lecun_normal", "LeCun normal")
def lecun_normal(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(1.0 / fan_in)


@INITIALIZERS.register("orthogonal")
def orthogonal(fan_in, fan_out, rng):
    """Rows or columns orthonormal (whichever fit), as torch.nn.init.orthogonal_ with gain 1."""
    tall = fan_in >= fan_out
    a = rng.standard_normal((fan_in, fan_out) if tall else (fan_out, fan_in))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))          # makes the decomposition unique, hence uniformly distributed
    return q if tall else q.T
