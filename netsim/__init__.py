"""NetSim's engine: a multilayer perceptron trained step by step in numpy.

    from netsim import Config, Trainer
    trainer = Trainer(Config(dataset="circle", layers=[4, 2]))
    trainer.step(25); trainer.run_epoch(); trainer.evaluate()
"""
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
