"""Reporters turn diagnostics into one output format each; they know nothing of rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from healthlint.diagnostic import Diagnostic

FORMATS: dict[str, str] = {
    "text": "healthlint.reporters.text",
    "json": "healthlint.reporters.json",
}


@dataclass
class Summary:
    """Run facts a reporter may print next to the findings."""

    files_checked: int = 0
    seconds: float = 0.0
    color: bool = False


Render = Callable[[list[Diagnostic], Summary], str]


def reporter(name: str) -> Render:
    render: Render = import_module(FORMATS[name]).render
    return render
