"""Pickles that only this user's healthlint will load.

The cache lives in the repository being linted, and loading a pickle runs code, so a
cache file planted in a repository must never be loaded. Every cache file carries an
HMAC-SHA256 of its bytes under a random key kept in the user's cache directory
(`$XDG_CACHE_HOME/healthlint/key`, mode 0600), outside any repository; a file whose
tag does not verify is ignored as if it were absent. Without a usable key directory
nothing is cached at all.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Any

TAG_BYTES = 32
MAGIC = b"HLPK1"


def key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "healthlint" / "key"


@lru_cache(maxsize=1)
def _key() -> bytes | None:
    path = key_file()
    try:
        data = path.read_bytes()
        if len(data) == 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))  # what secrets.token_bytes does
        return path.read_bytes()
    except FileExistsError:  # another run created it a moment ago
        try:
            data = path.read_bytes()
            return data if len(data) == 32 else None
        except OSError:
            return None
    except OSError:
        return None


def dumps(value: Any) -> bytes | None:
    """Signed bytes of `value`, or None when there is no key to sign with."""
    key = _key()
    if key is None:
        return None
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + hmac.new(key, data, hashlib.sha256).digest() + data


def load(path: Path) -> Any:
    """The value in a signed file; raises ValueError when it is absent, foreign or altered."""
    key = _key()
    if key is None:
        raise ValueError("no cache key")
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise ValueError(str(exc)) from None
    tag, data = blob[len(MAGIC):len(MAGIC) + TAG_BYTES], blob[len(MAGIC) + TAG_BYTES:]
    if not blob.startswith(MAGIC) or not hmac.compare_digest(tag, hmac.new(key, data, hashlib.sha256).digest()):
        raise ValueError(f"{path}: not written by this user's healthlint")
    return pickle.loads(data)
