"""GitHub Actions workflow commands: one `::error|warning|notice …::message` line per finding.

GitHub turns these lines into annotations on the pull request's changed files. Syntax and
escaping follow GitHub's "Workflow commands for GitHub Actions" and the toolkit's command.ts:
in the message `%`, `\\r` and `\\n` are percent-encoded; in a property value `:` and `,` are too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from healthlint.diagnostic import Diagnostic
from healthlint.reporters import Summary

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def stream(diagnostics: Iterable[Diagnostic], summary: Summary) -> Iterator[str]:
    return (command(d) + "\n" for d in diagnostics)


def command(d: Diagnostic) -> str:
    properties = {
        "file": d.path,
        "line": str(d.line),
        "col": str(d.column),
        "endLine": str(d.end_line),
        "endColumn": str(d.end_column),
        "title": f"healthlint {d.rule}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = d.message if not d.suggestion else f"{d.message}\nSuggestion: {d.suggestion}"
    return f"::{COMMANDS[d.severity]} {joined}::{escape_data(message)}"
