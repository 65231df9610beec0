"""Compiled regular expressions kept across processes.

The `regex` package compiles in Python, and a one-file run of a pre-commit hook would
spend most of its time there. Its patterns pickle as their compiled code, so modules
compile through `compile()` here, and the engine loads the patterns the previous run
saved (in the cache directory) before the rule kinds are imported, and saves new ones
after. Without a cache directory this is plain `regex.compile` with a per-process memo.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import regex

_compiled: dict[tuple[Any, ...], regex.Pattern[str]] = {}
_used: set[tuple[Any, ...]] = set()
_dirty = False


def compile(pattern: str, flags: int = 0, **lists: list[str]) -> regex.Pattern[str]:
    """`regex.compile`, served from the store when this pattern was compiled before."""
    global _dirty
    key = (pattern, int(flags), tuple(sorted((name, tuple(items)) for name, items in lists.items())))
    found = _compiled.get(key)
    if found is None:
        found = regex.compile(pattern, flags, **lists)
        _compiled[key] = found
        _dirty = True
    _used.add(key)
    return found


def _file(directory: Path) -> Path:
    from healthlint import __version__

    stamp = f"{__version__}-{regex.__version__}-{sys.version_info[0]}.{sys.version_info[1]}"
    return directory / f"patterns-{stamp}.pickle"


def load(directory: Path) -> None:
    """Add the patterns saved in `directory` (absent or unreadable: nothing to add)."""
    from healthlint import signed_pickle

    try:
        stored = signed_pickle.load(_file(directory))
    except Exception:  # a missing, foreign or broken store only costs compile time
        return
    if isinstance(stored, dict):
        for key, pattern in stored.items():
            _compiled.setdefault(key, pattern)


def save(directory: Path) -> None:
    """Write the patterns this process used, if any were compiled anew."""
    global _dirty
    if not _dirty:
        return
    from healthlint import signed_pickle
    from healthlint.fileio import write_atomic_bytes

    try:
        data = signed_pickle.dumps({key: _compiled[key] for key in _used})
        if data is None:
            return
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(_file(directory), data)
        _dirty = False
    except OSError:  # a read-only or full disk: the next run compiles again
        pass
