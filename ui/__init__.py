"""NetSim's PySide6 + pyqtgraph user interface: shows and edits, never computes training maths."""
