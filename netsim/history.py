"""Bounded metric histories: a run of a million steps costs the same to keep and draw as one
of a thousand.

A `Series` stores at most `capacity` points. Each stored point is the mean of `stride` raw
values (x = the step of the last of them); when the series fills, neighbouring pairs are
averaged and the stride doubles.
"""
import numpy as np

DEFAULT_CAPACITY = 2048


class Series:
    def __init__(self, capacity: int = DEFAULT_CAPACITY):
        if capacity < 2 or capacity % 2:
            raise ValueError(f"capacity must be an even number >= 2; got {capacity}")
        self.capacity = capacity
        self.steps = np.empty(capacity)      # (capacity,) x of each stored point
        self.values = np.empty(capacity)     # (capacity,) mean of the raw values it holds
        self.n = 0                           # stored points
        self.stride = 1                      # raw values per stored point
        self._sum = 0.0                      # the bucket being filled
        self._count = 0

    def append(self, step: float, value: float) -> bool:
        """Add one raw value; True when it completed a stored point."""
        self._sum += value
        self._count += 1
        if self._count == self.stride:
            if self.n == self.capacity:
                self._halve()          # the stride doubles: this bucket now wants more values
                return False
            self.steps[self.n] = step
            self.values[self.n] = self._sum / self._count
            self.n += 1
            self._sum, self._count = 0.0, 0
            return True
        return False

    def _halve(self):
        half = self.capacity // 2
        self.steps[:half] = self.steps[1::2]
        self.values[:half] = 0.5 * (self.values[0::2] + self.values[1::2])
        self.n = half
        self.stride *= 2

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """(steps, values) of the stored points, as copies."""
        return self.steps[:self.n].copy(), self.values[:self.n].copy()

    def last(self) -> float | None:
        return float(self.values[self.n - 1]) if self.n else None

    def truncate_after(self, step: float):
        """Forget every point after `step` (used when training rewinds)."""
        self.n = int(np.searchsorted(self.steps[:self.n], step, side="right"))
        self._sum, self._count = 0.0, 0

    def state_dict(self) -> dict:
        return {"capacity": self.capacity, "stride": self.stride, "sum": self._sum,
                "count": self._count, "steps": self.steps[:self.n].copy(),
                "values": self.values[:self.n].copy()}

    @classmethod
    def from_state(cls, d: dict) -> "Series":
        s = cls(int(d["capacity"]))
        n = len(d["steps"])
        if n > s.capacity or len(d["values"]) != n:
            raise ValueError("series data does not fit its capacity")
        s.steps[:n], s.values[:n], s.n = d["steps"], d["values"], n
        s.stride, s._sum, s._count = int(d["stride"]), float(d["sum"]), int(d["count"])
        return s


class History:
    """Named series, created on first use. Names: "batch_loss", "train_loss", "test_loss",
    "train_accuracy", "test_accuracy", "penalty", "learning_rate" (where it changes), per
    hidden layer k (1-based) "dead_share[k]", "saturated_share[k]", "activation_mean[k]",
    "activation_std[k]", and per weight layer l
    "weight_norm[l]", "mean_abs_weight[l]", "grad_norm[l]", "update_ratio[l]"."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY):
        self.capacity = capacity
        self.series: dict[str, Series] = {}

    def append(self, name: str, step: float, value: float) -> bool:
        """Add a raw value to the named series; True when it completed a stored point."""
        s = self.series.get(name)
        if s is None:
            s = self.series[name] = Series(self.capacity)
        return s.append(step, value)

    def __getitem__(self, name: str) -> Series:
        return self.series[name]

    def __contains__(self, name: str) -> bool:
        return name in self.series

    def names(self) -> list[str]:
        return list(self.series)

    def truncate_after(self, step: float):
        for s in self.series.values():
            s.truncate_after(step)

    def state_dict(self) -> dict:
        return {"capacity": self.capacity,
                "series": {name: s.state_dict() for name, s in self.series.items()}}

    @classmethod
    def from_state(cls, d: dict) -> "History":
        h = cls(int(d["capacity"]))
        h.series = {name: Series.from_state(s) for name, s in d["series"].items()}
        return h
