"""Numbers a person reads are rewritten at most 5 times a second while training runs: faster,
no one can read them, and each rewrite repaints its widget and what lies behind it."""
import time

from PySide6.QtCore import QObject, QTimer

REWRITE_S = 0.2


class Throttle(QObject):
    """Passes the newest value to `apply` at most every `interval` seconds. A value that comes
    sooner is applied when that time is up, so the last one always shows; the first after a
    quiet spell is applied at once."""

    def __init__(self, parent, apply, interval: float = REWRITE_S):
        super().__init__(parent)
        self._apply = apply
        self._interval = interval
        self._pending = None
        self._has_pending = False
        self._applied_at = float("-inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    def submit(self, value):
        self._pending, self._has_pending = value, True
        wait = self._applied_at + self._interval - time.monotonic()
        if wait <= 0:
            self.flush()
        elif not self._timer.isActive():
            self._timer.start(int(wait * 1000) + 1)

    def flush(self):
        """Apply the pending value now, if there is one."""
        self._timer.stop()
        if self._has_pending:
            value, self._pending, self._has_pending = self._pending, None, False
            self._apply(value)
        self._applied_at = time.monotonic()

    def reset(self):
        """Forget the pending value; the next one is applied at once."""
        self._timer.stop()
        self._pending, self._has_pending = None, False
        self._applied_at = float("-inf")
