"""A progress bar for long runs, on stderr, only for a person watching a terminal.

Nothing is drawn when stderr is not a terminal (a pipe, a file, pre-commit's capture), when
the CI variable is set, for `--no-progress` or `--quiet`, or before `delay` seconds have
passed: a quick run never flickers. The bar redraws one line in place and erases itself
when the run ends, so the report below starts on a clean line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import TextIO

BAR_WIDTH = 24
REDRAW_SECONDS = 0.1
ERASE_LINE = "\r\033[K"


def wanted(stream: TextIO, disabled: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    """Whether a bar belongs on `stream`: a terminal, outside CI, not turned off."""
    environ = os.environ if environ is None else environ
    in_ci = environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        terminal = False
    return not disabled and terminal and not in_ci and environ.get("TERM") != "dumb"


class ProgressBar:
    """`advance()` once per finished file; `close()` when done (also safe when never shown)."""

    def __init__(self, total: int, stream: TextIO, enabled: bool = True, delay: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.stream, self.enabled, self.delay, self.clock = total, stream, enabled, delay, clock
        self.done = 0
        self.started = clock()
        self.drawn_at: float | None = None

    def advance(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self.drawn_at is not None and now - self.drawn_at < REDRAW_SECONDS and self.done < self.total:
            return
        self.drawn_at = now
        self.stream.write("\r" + self.line(label))
        self.stream.flush()

    def line(self, label: str = "") -> str:
        """`healthlint [#########...............]  120/340 files  pages/sleep.md`, cut to the terminal."""
        import shutil  # only a visible bar needs it

        share = self.done / self.total if self.total else 1.0
        filled = min(BAR_WIDTH, int(share * BAR_WIDTH))
        text = f"healthlint [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {self.done:>{len(str(self.total))}}/" \
               f"{self.total} files"
        width = shutil.get_terminal_size((80, 24)).columns - 1
        if label and len(text) + 2 < width:
            room = width - len(text) - 2
            text += "  " + (label if len(label) <= room else "…" + label[-(room - 1):])
        return text[:width].ljust(width)

    def close(self) -> None:
        if self.drawn_at is not None:
            self.stream.write(ERASE_LINE)
            self.stream.flush()
            self.drawn_at = None
