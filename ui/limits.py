"""The largest network the app shows: 8 hidden layers of 32 neurons (7,424 edges with seven
inputs) is what the network view keeps readable and draws about 20 times a second. Config files
and netsim-train allow more (netsim.config MAX_LAYERS, MAX_WIDTH); the app says so instead of
drawing a network it cannot show."""
from netsim import ConfigError
from netsim.config import MAX_LAYERS, MAX_WIDTH

MAX_HIDDEN_LAYERS = min(8, MAX_LAYERS)
MAX_NEURONS = min(32, MAX_WIDTH)


def check_drawable(layers) -> None:
    """ConfigError, saying what to do, for hidden layers beyond what the app shows."""
    layers = tuple(layers)
    if len(layers) > MAX_HIDDEN_LAYERS or max(layers, default=0) > MAX_NEURONS:
        raise ConfigError(
            f"the app shows networks of up to {MAX_HIDDEN_LAYERS} hidden layers of up to "
            f"{MAX_NEURONS} neurons; this one has {len(layers)} hidden layers of up to "
            f"{max(layers)} neurons. Train it with netsim-train, which has no such limit.")
