"""Notice a layer whose weights grow fast: the first sign of a learning rate that is too high.

The view feeds it each snapshot's per-layer norms; a layer counts as rising when its ‖W‖ is more
than RISE_FRACTION above the smallest it had within the last RISE_WINDOW steps. Going back in
steps (reset, rewind, a loaded session) starts afresh.
"""
from collections import deque

RISE_WINDOW = 200        # steps
RISE_FRACTION = 0.25     # 25 % growth within the window counts as rising
MIN_SPAN = 10            # steps: fewer than this between snapshots says nothing yet


class NormWatch:
    def __init__(self):
        self._history = deque()          # (step, norms tuple) within the window, oldest first

    def update(self, step: int, norms) -> list:
        """Growth of each layer's norm within the window (e.g. 0.3 = +30 %), None if unknown."""
        norms = tuple(norms)
        if self._history and (step < self._history[-1][0]
                              or len(self._history[-1][1]) != len(norms)):
            self._history.clear()
        if not self._history or step > self._history[-1][0]:
            self._history.append((step, norms))
        while self._history and self._history[0][0] < step - RISE_WINDOW:
            self._history.popleft()
        if step - self._history[0][0] < MIN_SPAN:
            return [None] * len(norms)
        growth = []
        for l, norm in enumerate(norms):
            lowest = min(past[l] for _, past in self._history)
            growth.append(norm / lowest - 1.0 if lowest > 0 else None)
        return growth


def is_rising(growth) -> bool:
    return growth is not None and growth > RISE_FRACTION
