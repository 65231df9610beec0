"""A baseline: today's findings, recorded so that a repository adopting healthlint sees only new ones.

A finding is known by (path, rule, normalised flagged text), never by line or column, so
editing a page elsewhere (which shifts lines) does not bring old findings back. Each key has
a count: a page that had one "cures insomnia" and now has two reports the second as new.

The file is JSON, sorted and stable so that it diffs well in review:

    {"healthlint_baseline": 1, "findings": [
        {"path": "pages/sleep.md", "rule": "claims/disease-claim", "match": "cures insomnia", "count": 1}]}

Paths are stored relative to the baseline file's folder, so the same baseline works whether
healthlint runs from the repository root or a sub-folder.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from healthlint.diagnostic import Diagnostic
from healthlint.errors import HealthlintError
from healthlint.fileio import write_atomic

FORMAT_KEY, FORMAT_VERSION = "healthlint_baseline", 1
Key = tuple[str, str, str]


def normalise(text: str) -> str:
    """Flagged text without differences of case, Unicode form or spacing (a re-wrapped line)."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _relative_path(path: str, base: Path) -> str:
    if path == "-":
        return path
    absolute = os.path.abspath(path)
    try:
        return Path(os.path.relpath(absolute, base)).as_posix()
    except ValueError:  # another drive (Windows)
        return Path(absolute).as_posix()


def key(diagnostic: Diagnostic, base: Path) -> Key:
    return _relative_path(diagnostic.path, base), diagnostic.rule, normalise(diagnostic.match)


def write(path: Path, diagnostics: Iterable[Diagnostic]) -> int:
    """Record `diagnostics` in `path` (atomically); returns how many findings were recorded."""
    base = Path(path).resolve().parent
    counted = Counter(key(d, base) for d in diagnostics)
    findings = [{"path": p, "rule": r, "match": m, "count": n} for (p, r, m), n in sorted(counted.items())]
    document = {FORMAT_KEY: FORMAT_VERSION, "findings": findings}
    write_atomic(Path(path), json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return counted.total()


def load(path: Path) -> Counter[Key]:
    """The recorded findings of a baseline file, as counts per key."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HealthlintError(f"{path}: baseline file not found (create it with --write-baseline)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HealthlintError(f"{path}: cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise HealthlintError(f"{path}:{exc.lineno}: baseline is not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get(FORMAT_KEY) != FORMAT_VERSION:
        raise HealthlintError(f"{path}: not a healthlint baseline (version {FORMAT_VERSION}); "
                              "write a new one with --write-baseline")
    known: Counter[Key] = Counter()
    for index, entry in enumerate(data.get("findings") or []):
        if not _valid(entry):
            raise HealthlintError(f"{path}: finding {index + 1} needs path, rule, match (strings) and count")
        known[(entry["path"], entry["rule"], normalise(entry["match"]))] += int(entry["count"])
    return known


def _valid(entry: Any) -> bool:
    return (isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("path", "rule", "match"))
            and isinstance(entry.get("count"), int) and entry["count"] > 0)


def new_findings(diagnostics: Iterable[Diagnostic], path: Path) -> Iterator[Diagnostic]:
    """The findings that the baseline in `path` does not account for, in their original order.

    The baseline is read now (a bad one is an error before any output); the findings as they come.
    """
    remaining = load(path)
    base = Path(path).resolve().parent

    def fresh() -> Iterator[Diagnostic]:
        for diagnostic in diagnostics:
            found = key(diagnostic, base)
            if remaining[found] > 0:
                remaining[found] -= 1
            else:
                yield diagnostic

    return fresh()
