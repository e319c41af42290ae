"""The network diagram: NetworkView (network_view.py) and the parts it is made of and owns."""
