"""NetSim's engine: a multilayer perceptron trained step by step in numpy.

    from netsim import Config, Trainer
    trainer = Trainer(Config(dataset="circle", layers=[4, 2]))
    trainer.step(25); trainer.run_epoch(); trainer.evaluate()
"""
import os

# The matrices here are small (a batch of tens to hundreds of rows through layers of at most a
# few hundred units): BLAS threads cost more to wake than they save. Measured on 2 cores: a
# (128, 256) @ (256, 256) product takes 0.25 ms on one thread and 1 to 5 ms on two. Takes
# effect when netsim is imported before numpy (the app, the CLI); a user's setting wins.
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from .activations import ACTIVATIONS
from .config import Config
from .errors import ConfigError, DataError, DivergenceError, FileFormatError, NetsimError
from .initializers import INITIALIZERS
from .losses import LOSSES
from .network import Network
from .optimizers import OPTIMIZERS
from .regularizers import REGULARIZERS
from .trainer import Metrics, Trainer

__all__ = ["ACTIVATIONS", "INITIALIZERS", "LOSSES", "OPTIMIZERS", "REGULARIZERS", "Config",
           "ConfigError", "DataError", "DivergenceError", "FileFormatError", "Metrics",
           "NetsimError", "Network", "Trainer"]
