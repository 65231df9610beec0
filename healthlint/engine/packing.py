"""Findings kept compact between linting a file and reporting it.

A run over ten thousand pages makes hundreds of thousands of findings. Held as objects they
cost gigabytes; packed per file (rows of plain values, pickled and compressed) they cost a few
megabytes, cross from worker processes without being rebuilt in the parent, and go into the
result cache as they are. They are unpacked one file at a time while the report is written.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable

from healthlint.diagnostic import Diagnostic

# Level 1: most of the saving (messages repeat) for a fraction of the time of the default level.
COMPRESSION_LEVEL = 1


def pack(diagnostics: Iterable[Diagnostic]) -> bytes:
    rows = [d.to_row() for d in diagnostics]
    return zlib.compress(pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), COMPRESSION_LEVEL)


def unpack(data: bytes) -> list[Diagnostic]:
    """Only ever given our own bytes: packed in this run, or read from a signed cache file."""
    return [Diagnostic(*row) for row in pickle.loads(zlib.decompress(data))]
