"""Reporters turn diagnostics into one output format each; they know nothing of rules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from healthlint.diagnostic import Diagnostic

FORMATS: dict[str, str] = {
    "text": "healthlint.reporters.text",
    "json": "healthlint.reporters.json",
    "sarif": "healthlint.reporters.sarif",
    "github": "healthlint.reporters.github",
    "junit": "healthlint.reporters.junit",
}


@dataclass
class Summary:
    """Run facts a reporter may print next to the findings."""

    files_checked: int = 0
    seconds: float = 0.0
    color: bool = False
    # Metadata of the rules that ran, by rule id (summary, why, source, url, category, severity, kind),
    # filled by the CLI for formats that describe rules (SARIF); reporters never import rules.
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Every file the run linted, findings or not (JUnit lists clean files as passing test cases).
    paths: list[str] = field(default_factory=list)


Render = Callable[[list[Diagnostic], Summary], str]
# A reporter writes as findings arrive, so a run's report is never held whole in memory.
Stream = Callable[[Iterable[Diagnostic], Summary], Iterator[str]]


def streamer(name: str) -> Stream:
    stream: Stream = import_module(FORMATS[name]).stream
    return stream


def reporter(name: str) -> Render:
    """The whole report as one string (for tests and callers that want it so)."""
    stream = streamer(name)
    return lambda diagnostics, summary: "".join(stream(diagnostics, summary))
