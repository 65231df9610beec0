"""`path:line:col: severity rule message`, one finding a line, and a summary line."""

from __future__ import annotations

from collections import Counter

from healthlint.diagnostic import Diagnostic
from healthlint.reporters import Summary

COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
BOLD, RESET = "\033[1m", "\033[0m"


def render(diagnostics: list[Diagnostic], summary: Summary) -> str:
    lines = []
    for d in diagnostics:
        severity = f"{COLORS[d.severity]}{d.severity}{RESET}" if summary.color else d.severity
        location = f"{BOLD}{d.path}{RESET}" if summary.color else d.path
        lines.append(f"{location}:{d.line}:{d.column}: {severity} {d.rule} {d.message}")
    lines.append(summary_line(diagnostics, summary))
    return "\n".join(lines) + "\n"


def summary_line(diagnostics: list[Diagnostic], summary: Summary) -> str:
    counts = Counter(d.severity for d in diagnostics)
    files = f"{summary.files_checked} file{'s' if summary.files_checked != 1 else ''}"
    if not diagnostics:
        return f"No problems found in {files} ({summary.seconds:.2f}s)."
    parts = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
                      for s in ("error", "warning", "info") if counts[s])
    total = len(diagnostics)
    return f"Found {total} problem{'s' if total != 1 else ''} ({parts}) in {files} ({summary.seconds:.2f}s)."
