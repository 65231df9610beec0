"""A result cache like ruff's: an unchanged file under unchanged settings is not linted again.

Entries are keyed by path and a hash of the file's bytes; the cache file itself is
named by a fingerprint of the healthlint version and the effective configuration
(selected rules, their ruleset files' contents, severities, options), so any change
of settings starts a fresh cache. The file is replaced atomically, so two runs
sharing a cache never see half of one (the last writer wins).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from healthlint import signed_pickle
from healthlint.fileio import write_atomic, write_atomic_bytes

if TYPE_CHECKING:
    from healthlint.engine.linter import FileResult

CACHE_DIR_NAME = ".healthlint_cache"
FORMAT = 1


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class ResultCache:
    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.directory = directory
        self.file = directory / f"results-{fingerprint[:24]}.pickle"
        self.entries: dict[str, tuple[str, FileResult]] = {}
        self.changed = False

    def load(self) -> ResultCache:
        try:
            stored = signed_pickle.load(self.file)
            if isinstance(stored, dict) and stored.get("format") == FORMAT:
                self.entries = stored["entries"]
        except Exception:  # a missing, old or corrupt cache is an empty one
            self.entries = {}
        return self

    def get(self, path: str, key: str) -> FileResult | None:
        entry = self.entries.get(path)
        return entry[1] if entry is not None and entry[0] == key else None

    def put(self, path: str, key: str, result: FileResult) -> None:
        if result.error is None and not result.rule_errors:  # a timeout may not recur: lint it again
            self.entries[path] = (key, result)
            self.changed = True

    def save(self) -> None:
        """Write the cache; a cache that cannot be written (read-only, full disk) is only a slower next run."""
        if not self.changed:
            return
        data = signed_pickle.dumps({"format": FORMAT, "entries": self.entries})
        if data is None:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():  # atomic too: another run may be writing it at this moment
                write_atomic(ignore, "# Created by healthlint; the cache is never worth committing.\n*\n")
            write_atomic_bytes(self.file, data, durable=False)
        except OSError:
            return
        self.changed = False
