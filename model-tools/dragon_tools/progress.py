"""A dependency-free progress bar for long-running commands (stderr, one line, ETA)."""
from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str, stream=sys.stderr, width: int = 28):
        self.total, self.label, self.stream, self.width = max(1, total), label, stream, width
        self.start = time.time()
        self.tty = getattr(stream, "isatty", lambda: False)()
        self._last_print = 0.0

    def update(self, done: int, **fields) -> None:
        now = time.time()
        if done < self.total and now - self._last_print < (0.2 if self.tty else 30.0):
            return
        self._last_print = now
        elapsed = now - self.start
        frac = min(1.0, done / self.total)
        eta = elapsed / frac - elapsed if frac > 0 else 0.0
        bar = "#" * int(frac * self.width)
        extra = " ".join(f"{k}={_fmt(v)}" for k, v in fields.items())
        line = (f"{self.label} [{bar:<{self.width}}] {done}/{self.total} {extra} "
                f"elapsed={_clock(elapsed)} eta={_clock(eta)}")
        self.stream.write(("\r" + line + "\x1b[K") if self.tty else line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _fmt(v) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"
