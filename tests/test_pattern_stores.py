"""The pattern stores: what a run loads from the cache directory is the pattern a compile would make.

re_store keeps the standard library's `re` patterns as compiled code; regex_store keeps the `regex`
package's patterns as their pickles and unpickles one only when it is looked up.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import regex

from healthlint import re_store, regex_store

PAGE = ("Our Sleep-Well gummies helped 87% of users (n=120) fall asleep faster.\n"
        "« Résultats garantis » — see https://example.org/study?id=42 and PMID: 31234567.\n")

# Shapes the linter uses: named groups, look-arounds, flags inline and passed, verbose mode, classes, bytes.
PATTERNS: list[tuple[str | bytes, int]] = [
    (r"(?P<number>\d+(?:\.\d+)?)\s*%", 0),
    (r"(?<!\w)fall\ asleep(?!\w)", re.IGNORECASE),
    (r"(?i)\b(?:PMID|PMCID)\s*:?\s*(\d{5,9})\b", 0),
    (r"""
        https?://        # scheme
        [^\s)>\]]+       # the rest, up to a closing mark
     """, re.VERBOSE),
    (r"^[«\"“](.+?)[»\"”]", re.MULTILINE),
    (r"[^\W\d_]+(?:[-’'][^\W\d_]+)*", 0),
    (rb"PMID:\s*(\d+)", 0),
]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_rebuilt_pattern_matches_exactly_like_a_compiled_one(pattern: str | bytes, flags: int) -> None:
    fresh = re.compile(pattern, flags)
    rebuilt = re_store.build(pattern, re_store.code_of(pattern, flags))
    assert (rebuilt.pattern, rebuilt.flags, rebuilt.groups, rebuilt.groupindex) == \
           (fresh.pattern, fresh.flags, fresh.groups, fresh.groupindex)
    text: str | bytes = PAGE.encode() if isinstance(pattern, bytes) else PAGE
    assert [m.span() + m.groups() for m in rebuilt.finditer(text)] == \
           [m.span() + m.groups() for m in fresh.finditer(text)]


def test_a_saved_pattern_is_served_from_the_store_in_the_next_process(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    pattern = r"(?P<dose>\d+)\s*mg of (?:melatonin|magnesium) per night"
    monkeypatch.setattr(re_store, "_rows", {})
    re.compile(pattern)
    re_store.save(tmp_path)
    # A new process: neither re's cache nor the store's rows hold the pattern.
    monkeypatch.setattr(re, "_cache", {})
    monkeypatch.setattr(re_store, "_rows", {})
    re_store.load(tmp_path)
    served = re._cache[(str, pattern, 0)]
    assert re.compile(pattern) is served
    assert served.search("take 300 mg of magnesium per night").group("dose") == "300"


def test_a_tampered_store_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(re_store, "_rows", {})
    re.compile(r"clinically\s+proven")
    re_store.save(tmp_path)
    (stored,) = tmp_path.glob("re-patterns-*.pickle")
    stored.write_bytes(stored.read_bytes()[:-8] + b"tampered")
    monkeypatch.setattr(re, "_cache", {})
    monkeypatch.setattr(re_store, "_rows", {})
    re_store.load(tmp_path)
    assert re._cache == {}
    assert re.compile(r"clinically\s+proven").search("clinically  proven") is not None


def new_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a fresh process has: an empty memo and nothing loaded."""
    for name, empty in (("_compiled", {}), ("_stored", {}), ("_used", set()), ("_dirty", False)):
        monkeypatch.setattr(regex_store, name, empty)


def test_regex_store_serves_saved_patterns_and_builds_only_those_looked_up(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    claim = r"\b(?:cures?|reverses?)\s+(?P<disease>diabetes|arthritis)\b"
    hedge = r"\b(?:may|might|could)\s+help\b"
    new_process(monkeypatch)
    regex_store.compile(claim, regex.IGNORECASE)
    regex_store.compile(hedge)
    regex_store.save(tmp_path)
    new_process(monkeypatch)
    regex_store.load(tmp_path)
    assert len(regex_store._stored) == 2 and regex_store._compiled == {}
    served = regex_store.compile(claim, regex.IGNORECASE)
    assert served.search("It Reverses Arthritis in weeks").group("disease") == "Arthritis"
    assert len(regex_store._compiled) == 1  # the hedge pattern stays a pickle until someone asks for it
    assert regex_store.compile(claim, regex.IGNORECASE) is served
    assert not regex_store._dirty  # nothing compiled anew: nothing to write back
