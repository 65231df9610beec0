"""The standard library's `re` patterns kept across processes, as their compiled code.

CPython compiles an `re` pattern in Python (re._parser, re._compiler), and nothing of
it outlives the process: a one-file run used to spend about 13 ms compiling the same
~150 patterns (ours, markdown-it's, the standard library's) on every start. This
module saves the compiled code of the patterns a run used in the cache directory; the
next run rebuilds them with `_sre.compile` (the last step of re._compiler.compile,
done in C) and puts them in `re`'s own cache, where `re.compile` and the module-level
patterns of every later import find them.

The code is private to one CPython build, so the store is stamped with the exact
version and `_sre.MAGIC`, is written only by this user's healthlint (signed_pickle),
and the store stays off on an interpreter whose `re` works differently. Anything that
does not match only costs compile time. `regex_store` does the same for the `regex`
package, whose patterns pickle as compiled code by themselves.
"""

from __future__ import annotations

import marshal
import re
import sys
from pathlib import Path
from typing import Any

try:  # CPython's internals; elsewhere the store is off
    import _sre
    from re import _compiler, _constants, _parser
except ImportError:  # pragma: no cover - not CPython
    _sre = None

Key = tuple[type, str | bytes, int]
# What `re._cache` may hold: it drops its oldest entry beyond 512 (3.11), so a store
# larger than that would only push out patterns this run needs.
MAX_PATTERNS = 400

# The patterns of the loaded store (and of this run, once saved), by re._cache key.
_rows: dict[Key, tuple[Any, ...]] = {}


def _re_cache() -> dict[Key, re.Pattern[Any]] | None:
    cache = getattr(re, "_cache", None)
    usable = _sre is not None and isinstance(cache, dict) and hasattr(_sre, "compile")
    return cache if usable else None


def _file(directory: Path) -> Path:
    stamp = f"{sys.implementation.cache_tag}-{sys.hexversion:x}-{_constants.MAGIC}"
    return directory / f"re-patterns-{stamp}.pickle"


def code_of(pattern: str | bytes, flags: int) -> tuple[Any, ...]:
    """The arguments `_sre.compile` takes for this pattern, as re._compiler.compile works them out."""
    parsed = _parser.parse(pattern, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    # Opcodes are int subclasses that neither marshal nor pickle by value.
    code = [int(op) for op in _compiler._code(parsed, flags)]
    return (int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def build(pattern: str | bytes, row: tuple[Any, ...]) -> re.Pattern[Any]:
    return _sre.compile(pattern, *row)


def load(directory: Path) -> None:
    """Put the patterns saved in `directory` into `re`'s cache (absent or unreadable: nothing)."""
    cache = _re_cache()
    if cache is None:
        return
    from healthlint import signed_pickle

    try:
        stored = marshal.loads(signed_pickle.load(_file(directory)))
        for pattern, flags, *row in stored:
            key = (type(pattern), pattern, flags)
            _rows[key] = tuple(row)
            if key not in cache:
                cache[key] = build(pattern, tuple(row))
    except Exception:  # a missing, foreign or broken store only costs compile time
        return


def save(directory: Path) -> None:
    """Add the patterns this process compiled that the store lacks, if any."""
    cache = _re_cache()
    if cache is None:
        return
    new = [key for key in list(cache) if key not in _rows and key[0] in (str, bytes) and not key[2] & re.DEBUG]
    if not new:
        return
    try:
        for key in new:
            _rows[key] = code_of(key[1], key[2])
        kept = list(_rows.items())[-MAX_PATTERNS:]
        from healthlint import signed_pickle
        from healthlint.fileio import write_atomic_bytes

        data = signed_pickle.dumps(marshal.dumps([(key[1], key[2], *row) for key, row in kept]))
        if data is None:
            return
        directory.mkdir(parents=True, exist_ok=True)
        write_atomic_bytes(_file(directory), data, durable=False)
    except (OSError, ValueError, TypeError, re.error):  # read-only disk, or an unusual pattern: compile next time
        pass
