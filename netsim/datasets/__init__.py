"""Data for the network: synthetic 2-D and 1-D problems, bundled real data, the user's CSV files.

    from netsim.datasets import make_dataset
    data = make_dataset("circle", noise=0.1, features=("x1", "x2", "x1^2", "x2^2"))
    data.X_train, data.y_train          # (n_train, 4) inputs, (n_train,) class indices
"""

from netsim.datasets.bundled import RESOURCES_DIR
from netsim.datasets.csv_loader import load_csv
from netsim.datasets.dataset import Dataset, DatasetInfo
from netsim.datasets.features import FEATURES, Feature
from netsim.datasets.make import CSV, DATASETS, make_dataset

__all__ = ["CSV", "DATASETS", "FEATURES", "RESOURCES_DIR", "Dataset", "DatasetInfo", "Feature",
           "load_csv", "make_dataset"]
