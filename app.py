"""NetSim launcher: `python app.py [SESSION.netsim] [--screenshot PNG] [--steps N] [--config cfg.json]`.

Run `python app.py --help` for the options.
"""

import sys

from ui.shell.launch import launch

if __name__ == "__main__":
    sys.exit(launch())
