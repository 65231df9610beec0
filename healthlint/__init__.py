"""healthlint: a linter for health marketing copy.

The library API is small and returns plain, picklable `Diagnostic`s:

    from healthlint import lint_text, lint_paths
    lint_text("Our gummies cure insomnia.", path="page.md")
    lint_paths(["site/"])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from healthlint.config import Config
    from healthlint.diagnostic import Diagnostic
    from healthlint.engine.linter import RunResult


def lint_text(text: str, path: str = "-", config: Config | None = None, fmt: str | None = None) -> list[Diagnostic]:
    """Findings for one text; `path` names it (its extension picks the reader)."""
    from healthlint.engine.linter import Linter

    return Linter(config).lint_text(text, path, fmt)


def lint_paths(paths: list[str], config: Config | None = None) -> RunResult:
    """Findings for files and directories, including the cross-file pass."""
    from healthlint.discovery import discover
    from healthlint.engine.linter import Linter

    linter = Linter(config)
    files, missing = discover(paths, linter.config.exclude, linter.config.root)
    run = linter.lint_paths(files)
    run.errors[:0] = missing
    return run


__all__ = ["__version__", "lint_paths", "lint_text"]
