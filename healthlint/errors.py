"""Errors that end a run with exit code 2 and a one-line message on stderr."""

from __future__ import annotations


class HealthlintError(Exception):
    """A usage, config or ruleset problem the user must fix; never shown as a traceback."""


class ConfigError(HealthlintError):
    """Bad configuration file or option."""


class RulesetError(HealthlintError):
    """A ruleset file that does not load or validate; the message names file, line and key."""

    def __init__(self, path: str, line: int | None, key: str | None, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        what = f" key '{key}'" if key else ""
        super().__init__(f"{where}:{what} {problem}")
        self.path, self.line, self.key, self.problem = path, line, key, problem
