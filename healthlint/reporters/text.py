"""`path:line:col: severity rule message`, one finding a line, and a summary line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from healthlint.diagnostic import Diagnostic
from healthlint.reporters import Summary

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, RESET = "\033[1m", "\033[0m"


def stream(diagnostics: Iterable[Diagnostic], summary: Summary) -> Iterator[str]:
    counts: Counter[str] = Counter()
    for d in diagnostics:
        counts[d.severity] += 1
        severity = f"{COLORS[d.severity]}{d.severity}{RESET}" if summary.color else d.severity
        location = f"{BOLD}{d.path}{RESET}" if summary.color else d.path
        yield f"{location}:{d.line}:{d.column}: {severity} {d.rule} {d.message}\n"
    yield summary_line(counts, summary) + "\n"


def summary_line(counts: Counter[str], summary: Summary) -> str:
    """The last line; `counts` are findings by severity."""
    files = f"{summary.files_checked} file{'s' if summary.files_checked != 1 else ''}"
    total = counts.total()
    if not total:
        return f"No problems found in {files} ({summary.seconds:.2f}s)."
    parts = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
                      for s in ("error", "warning", "info") if counts[s])
    return f"Found {total} problem{'s' if total != 1 else ''} ({parts}) in {files} ({summary.seconds:.2f}s)."
