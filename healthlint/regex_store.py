"""Compiled regular expressions kept across processes.

The `regex` package compiles in Python, and a one-file run of a pre-commit hook would
spend most of its time there. Its patterns pickle as their compiled code, so modules
compile through `compile()` here, and the engine loads the patterns the previous run
saved (in the cache directory) before the rule kinds are imported, and saves new ones
after. Without a cache directory this is plain `regex.compile` with a per-process memo.

The store keeps each pattern's pickle and unpickles it on first use: a run whose rules come
from the compiled-rules cache (they carry their own patterns) looks up about a hundred of
the store's several hundred patterns, and building the rest would be wasted.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Any

import regex

_compiled: dict[tuple[Any, ...], regex.Pattern[str]] = {}
_stored: dict[tuple[Any, ...], bytes] = {}  # pickles of saved patterns not yet used in this process
_used: set[tuple[Any, ...]] = set()
_dirty = False
STORE_FORMAT = 2  # 2: each pattern's own pickle, unpickled on first use


def compile(pattern: str, flags: int = 0, **lists: list[str]) -> regex.Pattern[str]:
    """`regex.compile`, served from the store when this pattern was compiled before."""
    global _dirty
    key = (pattern, int(flags), tuple(sorted((name, tuple(items)) for name, items in lists.items())))
    found = _compiled.get(key)
    if found is None:
        saved = _stored.get(key)
        if saved is not None:
            found = pickle.loads(saved)
        else:
            found = regex.compile(pattern, flags, **lists)
            _dirty = True
        _compiled[key] = found
    _used.add(key)
    return found


def _file(directory: Path) -> Path:
    from healthlint import __version__

    stamp = f"{__version__}-{regex.__version__}-{sys.version_info[0]}.{sys.version_info[1]}"
    return directory / f"patterns-{STORE_FORMAT}-{stamp}.pickle"


def load(directory: Path) -> None:
    """Add the patterns saved in `directory` (absent or unreadable: nothing to add)."""
    from healthlint import signed_pickle

    try:
        stored = signed_pickle.load(_file(directory))
    except Exception:  # a missing, foreign or broken store only costs compile time
        return
    if isinstance(stored, dict):
        for key, saved in stored.items():
            if isinstance(saved, bytes):
                _stored.setdefault(key, saved)


def save(directory: Path) -> None:
    """Write the patterns this process used, if any were compiled anew."""
    global _dirty
    if not _dirty:
        return
    from healthlint import signed_pickle
    from healthlint.fileio import write_atomic_bytes

    try:
        data = signed_pickle.dumps({key: _stored.get(key) or pickle.dumps(_compiled[key], pickle.HIGHEST_PROTOCOL)
                                    for key in _used})
        if data is None:
            return
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(_file(directory), data, durable=False)
        _dirty = False
    except OSError:  # a read-only or full disk: the next run compiles again
        pass
