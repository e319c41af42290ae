"""Real data sets shipped in resources/datasets/ (see the README there for origin and citation)."""

from dataclasses import dataclass
from pathlib import Path

from netsim.datasets.csv_loader import load_csv
from netsim.datasets.dataset import DatasetInfo

RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"   # repo/netsim/datasets/ -> repo/


@dataclass(frozen=True)
class Bundled:
    """A CSV file in resources/datasets/, target in its last column, and its default plane."""

    info: DatasetInfo
    file_name: str
    plane_axes: tuple[int, int]      # the pair of raw columns whose class centroids part best

    @property
    def path(self) -> Path:
        return RESOURCES_DIR / "datasets" / self.file_name


def _entry(name, title, rows, columns, description, plane_axes):
    info = DatasetInfo(name, title, "bundled", "multiclass", rows, description, columns, ())
    return name, Bundled(info, f"{name}.csv", plane_axes)


BUNDLED: dict[str, Bundled] = dict([
    _entry("iris", "Iris", 150, 4, "Fisher's irises: 4 flower measurements (cm), 3 species; "
           "the plane shows petal length and width.", (2, 3)),
    _entry("wine", "Wine", 178, 13, "13 chemical measurements of wines from 3 cultivars, on very "
           "different scales; the plane shows alcohol and flavanoids.", (0, 6)),
    _entry("digits", "Digits", 1797, 64, "8×8 images of handwritten digits 0-9, 64 pixel values "
           "0..16; the plane shows pixels (2, 5) and (5, 2).", (21, 42)),
])


def load_bundled(name: str):
    """load_csv's (raw, y, raw_names, class_names, task) for a bundled data set; numeric labels
    (the digits) are classes too."""
    return load_csv(BUNDLED[name].path, task="classification")
