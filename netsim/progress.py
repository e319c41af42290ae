"""A plain-text progress bar for the command-line tools (netsim-train, netsim-sweep)."""
import time


class Progress:
    """A plain-text progress bar on a stream: redrawn in place on a terminal (at most 10 times
    a second), otherwise a line at every tenth of the way."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.total, self.last_draw, self.last_tenth = 0, 0.0, -1
        self.finished = False

    def start(self, total: int):
        self.total = total

    def update(self, done: int, status: str, total: int | None = None, final: bool = False):
        """`done` of the total (steps, runs ...), with a status; a sweep passes its total as it
        goes."""
        self.total = self.total if total is None else total
        fraction = min(done / self.total, 1.0) if self.total else 1.0
        final = final or done >= self.total
        if self.finished:
            return
        self.finished = final
        if self.tty:
            now = time.monotonic()
            if now - self.last_draw < 0.1 and not final:
                return
            self.last_draw = now
            filled = int(self.WIDTH * fraction)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {fraction:4.0%} {status}" + ("\n" if final else ""))
        else:
            tenth = int(fraction * 10)
            if tenth <= self.last_tenth:
                return
            self.last_tenth = tenth
            self.stream.write(f"{fraction:4.0%} {status}\n")
        self.stream.flush()
