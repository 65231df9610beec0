"""Turning command-line paths into the list of files to lint."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".md", ".markdown", ".html", ".htm", ".txt"})
# Folders that hold tooling, dependencies or history, never a site's copy.
SKIPPED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__",
                          ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".healthlint_cache"})


def excluded(path: str, patterns: list[str], root: Path) -> bool:
    """Whether a path matches an exclude glob, relative to the config root or by name."""
    if not patterns:
        return False
    try:
        relative = Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        relative = Path(path).as_posix()
    name = os.path.basename(path)
    return any(fnmatch.fnmatch(relative, p) or fnmatch.fnmatch(name, p)
               or fnmatch.fnmatch(relative, p.rstrip("/") + "/*") for p in patterns)


def discover(paths: list[str], exclude: list[str], root: Path) -> tuple[list[str], list[str]]:
    """Files to lint (sorted, unique) and one-line errors for paths that do not exist.

    A file named on the command line is linted whatever its extension (as text
    when unknown); a directory is walked for supported extensions. Symlinked
    directories are not followed, so a link loop cannot trap the walk.
    """
    files: list[str] = []
    errors: list[str] = []

    def unreadable(exc: OSError) -> None:  # os.walk would skip such a folder without a word
        errors.append(f"{exc.filename}: cannot read the folder: {exc.strerror} (make it readable, or exclude it)")

    for raw in paths:
        if os.path.isdir(raw):
            for directory, subdirs, names in os.walk(raw, onerror=unreadable):
                subdirs[:] = sorted(d for d in subdirs if d not in SKIPPED_DIRS
                                    and not excluded(os.path.join(directory, d), exclude, root))
                for name in sorted(names):
                    full = os.path.join(directory, name)
                    if os.path.splitext(name)[1].lower() in SUPPORTED_SUFFIXES and not excluded(full, exclude, root):
                        files.append(os.path.normpath(full))
        elif os.path.exists(raw) or os.path.islink(raw):
            if not excluded(raw, exclude, root):
                files.append(os.path.normpath(raw))
        else:
            errors.append(f"{raw}: no such file or directory")
    return sorted(dict.fromkeys(files)), errors
