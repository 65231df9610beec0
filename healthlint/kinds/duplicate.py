"""`duplicate`: a block repeated within a file, and a paragraph repeated across the files of a run.

Blocks are compared on their normalised words (case, punctuation and spacing ignored).
Equal words make an exact repeat; long blocks whose word shingles mostly coincide
(Jaccard similarity of k-word shingles, Broder 1997) make a near repeat.

Within a file (`scope: file`), consecutive repeats whose first copies are consecutive too
form one finding ("lines 273–543 repeat lines 1–271"), and a block said several times in
a row is one finding with its count. A finding spans the repeat, never the first copy.

Across files (`scope: corpus`), `collect` keeps for each paragraph only a hash of its
words, a bottom-k sketch of its shingle hashes and the short source slice it will point
at. `finish` walks the files in path order once, looking up each paragraph's hash and the
smallest values of its sketch in two dictionaries, and estimates similarity only for the
candidates they return: time and memory grow linearly with the text, with no comparison
of every pair. Every copy after the first (in path order) is reported, naming the first.

YAML keys (besides the common ones):
  scope:          file | corpus — repeats inside one file (default), or across the files of a run
  kinds:          block kinds compared (default: every kind for file; paragraph and list_item for corpus)
  min_words:      words a block needs to be reported on its own (default 8)
  run_min_words:  within a file, a run of short blocks (a repeated list) is reported from this many
                  words in all (default 40), when its blocks average four words or more (a menu
                  repeated in a footer does not count)
  near_threshold: shingle Jaccard similarity from which two blocks are near repeats; 1 means exact
                  repeats only (default 0.5)
  near_min_words: the shortest block compared for near repeats (default 12)
  shingle_size:   words per shingle (default 3)
  sketch_size:    shingle hashes kept per paragraph for the cross-file pass (default 16)
  index_size:     of those, how many smallest ones are indexed to find candidates (default 4)
  allow:          regexes for text that is meant to repeat (disclaimers, shared footers): a block
                  they match never counts. They are matched, as whole words, against the block's
                  normalised words: lower case, punctuation dropped, one space between words
                  ("not intended to diagnose", "results (?:may )?vary")
  allow_terms:    phrases, normalised the same way and matched as whole words
Config: `options.duplicate_allow` (phrases) and `options.duplicate_allow_patterns` (regexes, as
`allow`) add to every duplicate rule's allow-list.
A finding's message starts with what repeats what ("Lines 273–543 repeat lines 1–271 word
for word"), followed by the rule's `message`.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from hashlib import blake2b
from itertools import accumulate, chain, repeat
from operator import is_not
from typing import Any

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Block, Document
from healthlint.errors import ConfigError
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader, bounded
from healthlint.kinds.scan import WORD_START, leading_literals

SCOPES = ("file", "corpus")
CONFIG_ALLOW = "duplicate_allow"
CONFIG_ALLOW_PATTERNS = "duplicate_allow_patterns"
_WORD = regex_store.compile(r"[^\W_]+")
# ASCII letters lowered, digits kept, everything else a space: what is left between spaces are the words.
_ASCII_WORDS_ONLY = bytes(
    code + 32 if 65 <= code <= 90 else code if (48 <= code <= 57 or 97 <= code <= 122) else 32 for code in range(256))
_STANDARD_WORD = re.compile(r"[^\W_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_MASK = (1 << 64) - 1
_MIX = 0x9E3779B97F4A7C15  # odd 64-bit multiplier (golden ratio), spreads bits upward
_TOP_HALF = (32).__rrshift__  # value >> 32, called from C
# Within a file a shingle's posting list stops growing here: a phrase this common says
# nothing about which block a repeat copies, and the cap keeps the pass linear.
_POSTING_CAP = 64
# A cross-file finding points at the whole paragraph when it is this short in the source,
# else at its first words, so collect() keeps a short slice and no full text.
_SNIPPET_MAX = 120
_SNIPPET_CUT = 60
# A run of short blocks counts only when they average this many words: bullet points, not menu links.
_LIST_MEAN_WORDS = 4
_WORD_CACHE: dict[str, int] = {}
_LITTLE_ENDIAN = sys.byteorder == "little"  # _triple_hashes reads its lanes as native 64-bit integers
_LOW_LANE = b"\xff" * 8 + bytes(8)
_WORD_CACHE_MAX = 100_000


# --------------------------------------------------------------------------- hashing

def normalised_words(text: str) -> list[str]:
    """The words of a text, for comparison: Unicode-normalised, case-folded, no punctuation."""
    if text.isascii():  # runs of [a-z0-9] once capitals are lowered, as `regex` reads them: in C, no regex
        return text.encode("ascii").translate(_ASCII_WORDS_ONLY).decode("ascii").split()
    folded = unicodedata.normalize("NFKC", text).casefold()
    if all(map(_engines_agree, set(_NON_ASCII.findall(folded)))):
        return _STANDARD_WORD.findall(folded)
    return _WORD.findall(folded)


@lru_cache(maxsize=4096)
def _engines_agree(char: str) -> bool:
    """Both engines read `char` as a word character, or neither does (they differ on marks, for one)."""
    return (_WORD.match(char) is None) == (_STANDARD_WORD.match(char) is None)


def text_hash(normalised: str) -> int:
    """A 64-bit hash of normalised text, the same in every process (unlike `hash`)."""
    return int.from_bytes(blake2b(normalised.encode("utf-8"), digest_size=8).digest(), "little")


def _new_word_hash(word: str) -> int:
    if len(_WORD_CACHE) >= _WORD_CACHE_MAX:
        _WORD_CACHE.clear()
    value = int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little") or 1
    _WORD_CACHE[word] = value
    return value


def _triple_hashes(hashes: list[int]) -> set[int]:
    """`shingle_hashes` of 3-word shingles, every shingle at once.

    Each word's hash gets a 128-bit lane of one big integer; a product by _MIX (mod 2**64 in each
    lane) then never carries into the next lane, so the steps of the hash, (((a * _MIX) ^ b) * _MIX
    ^ c) * _MIX, run on all the shingles of a block in three big-integer products, in C. The next
    word's lane is a shift away.
    """
    count = len(hashes)
    lanes = array("Q", bytes(16 * count))
    lanes[::2] = array("Q", hashes)
    words = int.from_bytes(lanes, "little")
    low = int.from_bytes(_LOW_LANE * count, "little")  # the low 64 bits of every lane
    step = (words * _MIX & low ^ words >> 128) * _MIX & low
    step = (step ^ words >> 256) * _MIX & low
    return set(memoryview(step.to_bytes(16 * count, "little")).cast("Q")[0:2 * (count - 2):2].tolist())


def shingle_hashes(words: Sequence[str], size: int) -> set[int]:
    """64-bit hashes of the `size`-word shingles of `words` (one shingle when it is shorter)."""
    cache = _WORD_CACHE
    hashes = list(map(cache.get, words))  # word hashes are never 0: None marks a new word
    if None in hashes:
        hashes = [h if h is not None else _new_word_hash(w) for h, w in zip(hashes, words, strict=True)]
    if not hashes:
        return set()
    size = min(size, len(hashes))
    if size == 3 and _LITTLE_ENDIAN:  # the default: this runs on every word of every file
        return _triple_hashes(hashes)
    out: set[int] = set()
    for i in range(len(hashes) - size + 1):
        value = 0
        for h in hashes[i:i + size]:
            value = (value ^ h) * _MIX & _MASK
        out.add(value)
    return out


# The words and shingles of the last document seen: the file rule and the cross-file rule
# read the same document one after the other, and need not normalise it twice.
_MEMO: tuple[weakref.ref[Document], list[list[str]], dict[tuple[int, int], set[int]]] | None = None


def document_words(document: Document) -> list[list[str]]:
    """`normalised_words` of every block of a document, computed once per document."""
    global _MEMO
    memo = _MEMO
    if memo is not None and memo[0]() is document:
        return memo[1]
    words = [normalised_words(block.text) for block in document.blocks]
    _MEMO = (weakref.ref(document), words, {})
    return words


def block_shingles(document: Document, index: int, size: int) -> set[int]:
    """`shingle_hashes` of one block, shared like `document_words`."""
    words = document_words(document)
    memo = _MEMO
    cache: dict[tuple[int, int], set[int]] = memo[2] if memo is not None and memo[1] is words else {}
    shingles = cache.get((index, size))
    if shingles is None:
        shingles = cache[(index, size)] = shingle_hashes(words[index], size)
    return shingles


def bottom_sketch(shingles: set[int], size: int) -> list[int]:
    """The `size` smallest shingle hashes: a bottom-k MinHash sketch (Broder 1997)."""
    return sorted(shingles)[:size]


def sketch_similarity(a: Sequence[int], b: Sequence[int], size: int) -> float:
    """Estimated Jaccard similarity of two shingle sets from their bottom-k sketches.

    Exact when both sets have at most `size` shingles (the sketches are the sets).
    """
    set_a, set_b = set(a), set(b)
    union = sorted(set_a | set_b)[:size]
    if not union:
        return 0.0
    return len((set_a & set_b).intersection(union)) / len(union)


# --------------------------------------------------------------------------- collected data

@dataclass(slots=True)
class CorpusBlocks:
    """What one file contributes to the cross-file pass: hashes and positions, no full text."""

    hashes: array = field(default_factory=lambda: array("Q"))  # exact hash of each paragraph
    # Bottom-k sketches, concatenated; the top 32 bits of each shingle hash are enough to
    # estimate similarity and halve what every file keeps.
    sketches: array = field(default_factory=lambda: array("I"))
    sketch_ends: array = field(default_factory=lambda: array("I"))
    # Per paragraph: src_start, src_end, line, column, end_line, end_column of the span to
    # report, then the first and last line of the whole paragraph.
    places: array = field(default_factory=lambda: array("i"))
    matches: list[str] = field(default_factory=list)  # source slice of each span (short)

    def __len__(self) -> int:
        return len(self.hashes)

    def sketch(self, index: int) -> array:
        start = self.sketch_ends[index - 1] if index else 0
        return self.sketches[start:self.sketch_ends[index]]

    def place(self, index: int) -> tuple[int, ...]:
        return tuple(self.places[index * 8:index * 8 + 8])


# --------------------------------------------------------------------------- the rule

class DuplicateRule(Rule):
    kind = "duplicate"

    def configure(self, spec: SpecReader) -> None:
        self.scope = spec.text("scope", "file", choices=SCOPES)
        # The corpus pass runs only for rules that need it; the linter reads this per rule.
        self.corpus = self.scope == "corpus"
        default_kinds = ["paragraph", "list_item"] if self.corpus else []
        self.kinds = frozenset(spec.texts("kinds") or default_kinds)
        self.min_words = spec.integer("min_words", 8, minimum=1)
        self.run_min_words = spec.integer("run_min_words", 40, minimum=1)
        self.near_threshold = spec.number("near_threshold", 0.5, minimum=0.05)
        if self.near_threshold > 1:
            raise spec.fail("near_threshold", "must be at most 1")
        self.near_min_words = spec.integer("near_min_words", 12, minimum=3)
        self.shingle_size = spec.integer("shingle_size", 3, minimum=1)
        self.sketch_size = spec.integer("sketch_size", 16, minimum=4)
        self.index_size = min(spec.integer("index_size", 4, minimum=1), self.sketch_size)
        self.allow_sources = tuple(spec.texts("allow"))
        for pattern in self.allow_sources:
            spec.compile("allow", pattern)  # names the bad one, if any
        self.allow_terms = tuple(spec.texts("allow_terms"))
        # The rule's own allow-list, built now so that it is saved with the compiled rules (a
        # one-file run would otherwise spend ~10 ms analysing it); a config that adds to it builds its own.
        self.own_allow = _allow_test(self.allow_sources, self.allow_terms)

    # ------------------------------------------------------------------ allow-list

    def _allowed(self, context: LintContext) -> Callable[[str, list[str]], bool]:
        """A test, on a block's normalised text and words, for text meant to repeat: the rule's and the config's."""
        patterns, phrases = _option_texts(context, CONFIG_ALLOW_PATTERNS), _option_texts(context, CONFIG_ALLOW)
        test = (self.own_allow if not patterns and not phrases
                else _allow_test(self.allow_sources + patterns, self.allow_terms + phrases))
        return _never if test is None else test

    def _counts(self, block: Block) -> bool:
        return not self.kinds or block.kind in self.kinds

    # ------------------------------------------------------------------ within a file

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        if self.corpus or len(document.blocks) < 2:
            return
        allowed = self._allowed(context)
        words = document_words(document)
        keys = [" ".join(w) or b.text.strip() for w, b in zip(words, document.blocks, strict=True)]
        skip = [bool(self.kinds) and b.kind not in self.kinds for b in document.blocks]  # `_counts`, inlined
        if allowed is not _never:
            skip = [skipped or allowed(key, w) for skipped, key, w in zip(skip, keys, words, strict=True)]
        copies = self._copies_in_file(document, keys, skip)
        for run in _runs(copies):
            if self._reportable(run, words):
                yield self._run_diagnostic(document, run, copies)

    def _copies_in_file(self, document: Document, keys: list[str], skip: list[bool]) -> _FileCopies:
        """Which earlier blocks each block repeats: the same words, or (long blocks) most shingles."""
        copies = _FileCopies(keys, skip, [None] * len(keys), [{} for _ in keys])
        first_with: dict[str, int] = {}
        postings = _Postings()
        shingle_sets: dict[int, set[int]] = {}
        near = self.near_threshold < 1
        words = document_words(document)
        for i, key in enumerate(keys):
            if skip[i]:
                continue
            first = first_with.setdefault(key, i)
            if first != i:
                copies.first_exact[i] = first
            elif near and len(words[i]) >= self.near_min_words:
                shingles = block_shingles(document, i, self.shingle_size)
                copies.near[i] = self._near_earlier(i, shingles, postings, shingle_sets)
                shingle_sets[i] = shingles
        return copies

    def _near_earlier(self, index: int, shingles: set[int], postings: _Postings,
                      shingle_sets: dict[int, set[int]]) -> dict[int, float]:
        """Earlier first copies whose shingles mostly coincide with these (exact Jaccard)."""
        shared = postings.add(index, shingles)
        near: dict[int, float] = {}
        for j, count in shared.items():
            similarity = count / (len(shingles) + len(shingle_sets[j]) - count)
            if similarity >= self.near_threshold:
                near[j] = similarity
        return near

    def _reportable(self, run: _Run, words: list[list[str]]) -> bool:
        counts = [len(words[i]) for i in range(run.start, run.end + 1)]
        if max(counts) >= self.min_words:
            return True
        # A short label said again and again ("Yes" cells, "Learn more") is not copy that was
        # pasted twice, nor is a menu repeated in a footer (items of a word or two); a
        # repeated list of real bullet points is.
        return (run.start - run.source > 1 and sum(counts) >= self.run_min_words
                and sum(counts) >= _LIST_MEAN_WORDS * len(counts))

    def _run_diagnostic(self, document: Document, run: _Run, copies: _FileCopies) -> Diagnostic:
        blocks = document.blocks
        first, last = blocks[run.start], blocks[run.end]
        how = "word for word" if run.similarity >= 1 else f"with small changes ({run.similarity:.0%} alike)"
        first_line = document.position(blocks[run.source].src_start)[0]
        if run.source + (run.end - run.start) >= run.start:
            # The copied passage overlaps its own repeat: the same block(s) said again and again.
            times = (run.end - run.source + 1) // (run.start - run.source)
            detail = f"This passage appears {times} times in a row (first at line {first_line}), {how}"
        elif run.start == run.end:
            detail = f"This repeats line {first_line} {how}"
            total = copies.count(run.start)
            if total > 2:
                detail += f"; it appears {total} times in this file"
        else:
            source_end = blocks[run.source + run.end - run.start].src_end
            detail = (f"Lines {_line_range(document, first.src_start, last.src_end)} repeat lines "
                      f"{_line_range(document, blocks[run.source].src_start, source_end)} {how}")
        message = self._render(self.message, document.source[first.src_start:last.src_end], detail)
        return self.diagnostic_at(document, first.src_start, last.src_end, message=message)

    def _render(self, template: str, match: str, detail: str) -> str:
        """The finding's own detail (what repeats what, where), then the rule's message."""
        return f"{detail}. {self.render(template, match[:80]) or ''}".strip()

    # ------------------------------------------------------------------ across files

    def collect(self, document: Document, context: LintContext) -> CorpusBlocks | None:
        if not self.corpus:
            return None
        allowed = self._allowed(context)
        data = CorpusBlocks()
        seen: set[int] = set()
        all_words = document_words(document)
        for index, block in enumerate(document.blocks):
            if not self._counts(block):
                continue
            words = all_words[index]
            if len(words) < self.min_words:
                continue
            normalised = " ".join(words)
            if allowed(normalised, words):
                continue
            digest = text_hash(normalised)
            if digest in seen:  # a repeat inside the file: the file-scope rule reports it
                continue
            seen.add(digest)
            data.hashes.append(digest)
            if len(words) >= self.near_min_words:  # shorter ones are compared only for exact repeats
                sketch = bottom_sketch(block_shingles(document, index, self.shingle_size), self.sketch_size)
                data.sketches.extend(map(_TOP_HALF, sketch))
            data.sketch_ends.append(len(data.sketches))
            self._add_place(document, block, data)
        return data if len(data) else None

    @staticmethod
    def _add_place(document: Document, block: Block, data: CorpusBlocks) -> None:
        start, end = block.src_start, block.src_end
        span_end = end
        if end - start > _SNIPPET_MAX:
            cut = document.source.rfind(" ", start, start + _SNIPPET_CUT)
            span_end = cut if cut > start else start + _SNIPPET_CUT
        line, column = document.position(start)
        end_line, end_column = document.position(span_end)
        data.places.extend((start, span_end, line, column, end_line, end_column, line,
                            document.position(end)[0]))
        data.matches.append(document.source[start:span_end])

    def finish(self, collected: dict[str, Any], context: LintContext) -> Iterator[Diagnostic]:
        if not self.corpus:
            return
        paths = sorted(path for path, data in collected.items() if data)
        files = [collected[path] for path in paths]
        copies = _cross_file_copies(files, self.sketch_size, self.index_size, self.near_threshold)
        spread: dict[int, set[int]] = {}
        for paragraph, (first, _) in copies.first_copy.items():
            spread.setdefault(first, {copies.file_of[first]}).add(copies.file_of[paragraph])
        for paragraph, (first, similarity) in sorted(copies.first_copy.items()):
            yield self._cross_diagnostic(paths, files, copies.where(paragraph), copies.where(first),
                                         similarity, len(spread[first]) - 2)

    def _cross_diagnostic(self, paths: list[str], files: list[CorpusBlocks], here: tuple[int, int],
                          first: tuple[int, int], similarity: float, others: int) -> Diagnostic:
        data = files[here[0]]
        start, end, line, column, end_line, end_column, first_line, last_line = data.place(here[1])
        first_at = files[first[0]].place(first[1])[6]
        where = f"{_display(paths[first[0]])} (line {first_at})"
        if others > 0:
            where += f" and {others} other file{'s' if others > 1 else ''}"
        lines = f"line {first_line}" if first_line == last_line else f"lines {first_line}–{last_line}"
        if similarity >= 1:
            detail = f"The paragraph at {lines} also appears in {where}"
        else:
            detail = f"The paragraph at {lines} is nearly the same ({similarity:.0%} alike) as one in {where}"
        match = data.matches[here[1]]
        return Diagnostic(
            path=paths[here[0]], line=line, column=column, end_line=end_line, end_column=end_column,
            rule=self.id, category=self.category, severity=self.severity,
            message=self._render(self.message, match, detail), match=match,
            suggestion=self.render(self.suggestion, match), url=self.url, start=start, end=end,
        )


# --------------------------------------------------------------------------- helpers

@dataclass(slots=True)
class _Run:
    """Blocks start..end (inclusive) repeat blocks source..source+(end-start)."""

    start: int
    end: int
    source: int
    similarity: float


class _Postings:
    """Shingle -> the blocks that hold it, in order; at most _POSTING_CAP of them."""

    __slots__ = ("holders",)

    def __init__(self) -> None:
        # Postings are tuples, never changed in place: the shingles a block brings first share one
        # tuple, stored by dict.fromkeys in C; a shingle seen again gets a longer copy. A list per
        # shingle was as fast alone, but in a full run its ~900 containers per page woke the garbage
        # collector, whose full passes over every page's data landed here (measured: 0.30 s -> 0.17 s).
        self.holders: dict[int, tuple[int, ...]] = {}

    def add(self, index: int, shingles: set[int]) -> dict[int, int]:
        """Record that block `index` holds `shingles`; returns earlier block -> shingles in common."""
        holders = self.holders
        new = shingles.difference(holders)  # most shingles: set operations in C, no Python loop
        holders.update(dict.fromkeys(new, (index,)))
        if len(new) == len(shingles):
            return {}  # nothing in common with an earlier block
        seen = shingles.difference(new)
        shared = Counter(chain.from_iterable(map(holders.__getitem__, seen)))
        for value in seen:
            posting = holders[value]
            if len(posting) < _POSTING_CAP:
                holders[value] = (*posting, index)
        return shared


@dataclass(slots=True)
class _FileCopies:
    """Earlier copies of each block of one file, answered in constant time."""

    keys: list[str]  # normalised words of each block
    skip: list[bool]  # blocks that never count (allowed, or of a kind not compared)
    first_exact: list[int | None]  # the first earlier block with the same words
    near: list[dict[int, float]]  # earlier blocks (first copies) nearly the same, with similarity
    _counts: Counter[str] | None = None

    def similarity(self, block: int, earlier: int) -> float | None:
        """How alike `block` is to the earlier block `earlier`, when it repeats it."""
        if earlier >= block or self.skip[earlier]:
            return None
        if self.first_exact[block] is not None and self.keys[earlier] == self.keys[block]:
            return 1.0
        first = self.first_exact[block]
        near = self.near[block if first is None else first]
        # A repeat of a near copy is a near copy of the same earlier blocks.
        return near.get(earlier if self.first_exact[earlier] is None else self.first_exact[earlier])

    def first_copy(self, block: int) -> tuple[int, float] | None:
        """The earliest block this one repeats, with the similarity."""
        candidates = []
        exact = self.first_exact[block]
        if exact is not None:
            candidates.append((exact, 1.0))
        near = self.near[block if exact is None else exact]
        candidates.extend((j, similarity) for j, similarity in near.items() if j < block)
        return min(candidates) if candidates else None

    def count(self, block: int) -> int:
        if self._counts is None:
            self._counts = Counter(key for key, skipped in zip(self.keys, self.skip, strict=True) if not skipped)
        return self._counts[self.keys[block]]


def _runs(copies: _FileCopies) -> Iterator[_Run]:
    """Group repeated blocks into runs that copy a consecutive stretch of earlier blocks.

    A block extends the current run when it repeats the block after the previous one's
    copy; otherwise it starts a run at the earliest block it repeats.
    """
    run: _Run | None = None
    for i in range(len(copies.keys)):
        first = None if copies.skip[i] else copies.first_copy(i)
        if first is None:
            if run is not None:
                yield run
            run = None
            continue
        if run is not None and run.end == i - 1:
            follow = run.source + (i - run.start)
            similarity = copies.similarity(i, follow)
            if similarity is not None:
                run.end = i
                run.similarity = min(run.similarity, similarity)
                continue
            yield run
        run = _Run(i, i, *first)
    if run is not None:
        yield run


@dataclass(slots=True)
class _Copies:
    """Result of the cross-file pass. Paragraphs are numbered across files (a global id)."""

    first_copy: dict[int, tuple[int, float]]  # id -> (id of the first copy, similarity)
    file_of: array  # id -> index of its file
    first_id: array  # file index -> id of its first paragraph

    def where(self, paragraph: int) -> tuple[int, int]:
        file_index = self.file_of[paragraph]
        return file_index, paragraph - self.first_id[file_index]


def _cross_file_copies(files: list[CorpusBlocks], sketch_size: int, index_size: int, threshold: float) -> _Copies:
    """Every paragraph that repeats one of an earlier file, with the first copy it repeats.

    One pass in file order: an exact-hash dictionary, and an index from the smallest
    sketch values to the first paragraph that had them. Only paragraphs sharing an
    indexed value are compared, so the cost is linear in the number of paragraphs.
    """
    exact: dict[int, int] = {}
    index: dict[int, int] = {}
    result = _Copies({}, array("I"), array("I"))
    copies, file_of = result.first_copy, result.file_of
    near = threshold < 1
    here = 0
    for file_index, data in enumerate(files):
        result.first_id.append(here)
        file_of.extend([file_index] * len(data))
        for block_index in range(len(data)):
            here += 1
            paragraph = here - 1
            first = exact.setdefault(data.hashes[block_index], paragraph)
            if first != paragraph:
                if file_of[first] != file_index:
                    copies[paragraph] = (copies[first][0] if first in copies else first, 1.0)
                continue
            sketch = data.sketch(block_index)
            if not near or not sketch:
                continue
            best: tuple[int, float] | None = None
            tried: set[int] = set()
            for value in sketch[:index_size]:
                holder = index.setdefault(value, paragraph)
                if holder == paragraph or holder in tried or file_of[holder] == file_index:
                    continue
                tried.add(holder)
                other_file, other_block = result.where(holder)
                similarity = sketch_similarity(sketch, files[other_file].sketch(other_block), sketch_size)
                if similarity >= threshold and (best is None or similarity > best[1]):
                    best = (holder, similarity)
            if best is not None:
                holder, similarity = best
                copies[paragraph] = (copies[holder][0] if holder in copies else holder, similarity)
    return result


@lru_cache(maxsize=32)
def _allow_regex(patterns: tuple[str, ...], phrases: tuple[str, ...]) -> re.Pattern[str] | regex.Pattern[str] | None:
    """One regex for the whole allow-list, run on normalised text.

    Normalised text has no case or punctuation left, so the alternation needs no
    IGNORECASE and the standard library's engine runs it fastest (measured: 7 us a
    paragraph, against 18 us for the same list as separate case-insensitive regexes
    on the raw text).
    """
    source = _allow_source(patterns, phrases)
    if source is None:
        return None
    if not patterns:  # escaped phrases only: they cannot run away
        return re.compile(source)
    try:  # user patterns (ruleset or config) run in the `regex` engine, time-limited
        return bounded(regex_store.compile(source))
    except regex.error as exc:  # the ruleset's were checked at load; so this is the config's
        raise ConfigError(f"options.{CONFIG_ALLOW_PATTERNS}: invalid regular expression: {exc}") from None


def _allow_source(patterns: tuple[str, ...], phrases: tuple[str, ...]) -> str | None:
    parts = list(patterns)
    parts += [re.escape(" ".join(words)) for words in map(normalised_words, phrases) if words]
    if not parts:
        return None
    return r"\b(?:" + "|".join(f"(?:{part})" for part in parts) + r")\b"


def _never(normalised: str, words: list[str]) -> bool:
    return False


@lru_cache(maxsize=32)
def _allow_test(patterns: tuple[str, ...], phrases: tuple[str, ...]) -> _AllowList | None:
    pattern = _allow_regex(patterns, phrases)
    if pattern is None:
        return None
    # Patterns whose matches begin with no word the analysis can tell ("^about the author") are
    # searched apart, in every block; the others only where their first words stand.
    residual = tuple(p for p in patterns if leading_literals(rf"\b(?:{p})\b") is None)
    told = _allow_source(tuple(p for p in patterns if p not in residual), phrases)
    literals = None if told is None else leading_literals(told, pairs=True)
    words = None if literals is None else _WordFilter.of(literals)
    return _AllowList(pattern, words, _allow_regex(residual, ()) if words is not None and residual else None)


_FOUND = partial(is_not, None)  # a match was found, tested in C


class _AllowList:
    """The allow-list regex, searched only in blocks whose words could begin one of its matches."""

    def __init__(self, pattern: re.Pattern[str] | regex.Pattern[str], words: _WordFilter | None,
                 residual: re.Pattern[str] | regex.Pattern[str] | None) -> None:
        self.pattern = pattern
        self.words = words
        self.residual = residual  # the part of the allow-list `words` says nothing about
        compiled = getattr(pattern, "compiled", None)  # a BoundedPattern's own: called with its time limit
        self._match = pattern.match if compiled is None else partial(compiled.match, timeout=REGEX_TIMEOUT)

    def __call__(self, normalised: str, words: list[str]) -> bool:
        if self.words is None or not words or not normalised.isascii():
            return self.pattern.search(normalised) is not None
        # Every match of the rest begins at one of these offsets: try it there only.
        starts = self.words.starts(normalised, words)
        if starts and any(map(_FOUND, map(self._match, repeat(normalised), starts))):
            return True
        return self.residual is not None and self.residual.search(normalised) is not None


class _WordFilter:
    """Whether ASCII normalised text (lower-case words, one space apart) can hold a match that begins
    with one of the literals `leading_literals` gives: a whole word, a word beginning, a pair of
    words, or a string anywhere. Both engines agree on word boundaries in such text."""

    def __init__(self, exact: frozenset[str], beginnings: tuple[str, ...], pairs: dict[str, tuple[str, ...]],
                 anywhere: tuple[str, ...]) -> None:
        self.exact, self.beginnings, self.pairs, self.anywhere = exact, beginnings, pairs, anywhere

    @classmethod
    def of(cls, literals: frozenset[str]) -> _WordFilter | None:
        exact: set[str] = set()
        beginnings: list[str] = []
        pairs: dict[str, set[str]] = {}
        anywhere: list[str] = []
        for literal in literals:
            if _NOT_IN_NORMALISED.search(literal.strip(WORD_START)):
                continue  # punctuation, capitals, doubled spaces: such a literal cannot occur
            if not literal.startswith(WORD_START):
                anywhere.append(literal)
                continue
            words = literal[1:].split(WORD_START)
            if literal.endswith(WORD_START) and len(words) == 2 and not words[1]:
                exact.add(words[0])
            elif len(words) == 1:
                beginnings.append(words[0])
            elif len(words) == 2 and all(words):
                pairs.setdefault(words[0], set()).add(words[1])
            else:
                return None
        return cls(frozenset(exact), tuple(beginnings), {w: tuple(sorted(a)) for w, a in pairs.items()},
                   tuple(anywhere))

    def starts(self, normalised: str, words: list[str]) -> list[int]:
        """Offsets in `normalised` where a match may begin, in order."""
        found: set[int] = set()  # word numbers
        present = set(words)
        for word in present.intersection(self.exact):
            found.update(_indices(words, word))
        if self.beginnings:
            for word in present:
                if word.startswith(self.beginnings):
                    found.update(_indices(words, word))
        last = len(words) - 1
        for first in present.intersection(self.pairs):
            seconds = self.pairs[first]
            found.update(at for at in _indices(words, first) if at < last and words[at + 1].startswith(seconds))
        if found:
            offsets = list(accumulate(map(len, words), initial=0))
            starts = {offsets[at] + at for at in found}  # the words before, and a space after each
        else:
            starts = set()
        for literal in self.anywhere:
            at = normalised.find(literal)
            while at >= 0:
                starts.add(at)
                at = normalised.find(literal, at + 1)
        return sorted(starts)


def _indices(words: list[str], word: str) -> list[int]:
    """Where `word` stands in `words` (list.index scans in C)."""
    out = [words.index(word)]
    try:
        while True:
            out.append(words.index(word, out[-1] + 1))
    except ValueError:
        return out


_NOT_IN_NORMALISED = re.compile(r"[^a-z0-9 ]|  ")


def _option_texts(context: LintContext, key: str) -> tuple[str, ...]:
    value = context.options.get(key) or ()
    return (value,) if isinstance(value, str) else tuple(str(item) for item in value)


def _line_range(document: Document, start: int, end: int) -> str:
    first = document.position(start)[0]
    last = document.position(max(end - 1, start))[0]
    return str(first) if first == last else f"{first}–{last}"


def _display(path: str) -> str:
    """A path as short as it can be said: relative to the working directory when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if relative.startswith("..") else relative
