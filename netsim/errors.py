"""The exceptions NetSim raises for input a person can fix.

Each names what was wrong and what would be accepted; the UI shows the message in a dialog or
the status bar and never a traceback. Each also derives from the built-in exception of the same
kind, so ``except ValueError`` in generic code still catches bad values.
"""


class NetsimError(Exception):
    """Base of every error NetSim reports to a person."""


class ConfigError(NetsimError, ValueError):
    """A setting is out of range, of the wrong type or inconsistent with another setting."""


class DataError(NetsimError, ValueError):
    """A data set cannot be built or loaded: bad parameters, or a bad or unreadable data file."""


class DivergenceError(NetsimError, ArithmeticError):
    """Training produced NaN or infinity in the loss or the weights."""


class FileFormatError(NetsimError, ValueError):
    """A weight, session or preset file is malformed, truncated or not one of ours."""


class ClusterError(NetsimError, RuntimeError):
    """Dask is not installed, its scheduler cannot be reached, or a task could not be done on
    the cluster (its workers kept dying)."""
