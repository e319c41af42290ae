"""The output view: what the network predicts over the input plane, with the data on top."""
