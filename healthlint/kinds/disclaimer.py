"""`disclaimer`: content that creates a duty to disclose, and the disclosure it needs.

When a document has trigger content (enough of it, on a page of the right type), one
accepted disclosure must appear somewhere in its prose: headings, paragraphs, list
items, footnotes and footers all count. Front matter and comments never count, because
readers do not see them (a disclosure is a sentence the reader must be shown). The
finding sits at the first trigger in the document and names it.

YAML keys (besides the common ones):
  triggers:         regexes ({{terms}} allowed) searched in prose blocks; each match is one mention
  strong_triggers:  regexes of which a single match is enough, whatever `min_mentions` says
  trigger_rules:    ruleset names or rule ids whose findings are triggers too (`testimonials`);
                    found next to this ruleset's file, else among the built-in rulesets
  min_mentions:     mentions needed before the page counts as being about the trigger (default 1)
  heading_mentions: true when one mention in a heading is enough (the page is about it)
  unless:           regexes; a trigger whose sentence matches one does not count
  unless_before:    regex; a trigger right after a match of it does not count ("a form of ketamine")
  page_requires:    regexes that must each match somewhere in the prose (what kind of page it is)
  page_unless:      regexes; one match anywhere in the prose means the rule does not apply
  min_words:        the prose must have at least this many words (default 0)
  accept:           accepted disclosures; any one suffices (see "Wordings" below)
  accept_all:       wordings that count only all together (the two sentences of 21 CFR 101.93(c))
  accept_links:     regexes over link targets that count as the disclosure (tel:988)
  accept_front_matter: {key: regex}: a front matter value that counts (for bylines, which site
                    templates show; never used for disclaimers); case-sensitive
  locales:          {LOCALE: {accept, accept_all, accept_links, suggestion}}; config
                    `options: {locale: UK}` requires that locale's disclosure (or a common one);
                    with no locale set, any locale's disclosure counts
  default_locale:   the locale whose suggestion is quoted when the config sets none
  max_edits:        typo tolerance, 0 to match exactly (default 2)
In `message`, `{match}` is the trigger and `{suggestion}` the wording to add.

Wordings are regexes matched, case-insensitively, against the prose normalised for
comparison: every run of punctuation, markup residue and whitespace is one space,
apostrophes vanish ("doesn't" is "doesnt") and "&" is "and"; case is kept, so (?-i:MD)
works. Hyphens and apostrophes between letters in a wording are normalised the same way,
so "off-label" finds "off label". Wordings also match with typos: every misspelt long
word one edit away from a wording's word is corrected first (a SymSpell-style deletion
lookup), and long wordings without digits then match with up to `max_edits` edits (the
`regex` package's fuzzy matching) near their rare words. Every regex is screened first
by the literal words a match must contain (plain substring tests), so a page that lacks
them costs almost nothing.
"""

from __future__ import annotations

import html
import operator
import re
import weakref
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, islice
from pathlib import Path
from typing import Any

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Block, Document
from healthlint.errors import RulesetError
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader
from healthlint.kinds.pattern import compile_terms_pattern
from healthlint.kinds.scan import StartScan, TextIndex, matches_at, text_index

# Normalisation for comparing wordings: what a reader does not notice.
_APOSTROPHE = regex_store.compile(r"(?<=\w)['’ʼ`](?=\w)")
# Runs of non-word characters, and of underscores, become one space each: `[^\w]+|_+`, except
# that a lone space (most of them, between words) is left alone, as replacing it changes nothing.
_NOT_WORD = regex_store.compile(r"[^\w ][^\w]*| [^\w]+|_+")
# ASCII letters and digits kept, every other byte a space: with `_NOT_WORD` above, what is left of
# ASCII text between spaces (see `_collapse_non_words`).
_ASCII_NON_WORDS = bytes(code if chr(code).isalnum() else 32 for code in range(128)) + bytes([32]) * 128
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SPACE_RUN = re.compile(rb"  +")
# In a wording's regex: hyphens and apostrophes between letters, as normalised in the prose
# (character classes such as [a-z] are kept as they are).
_WORDING_PUNCT = regex_store.compile(r"(?P<cls>\[(?:\\.|[^\]])*\])|(?<=[A-Za-z])(?P<p>[-'’])(?=[A-Za-z])")
_WHOLE_WORD = regex_store.compile(r"(?:(?<=\\[A-Za-z])|(?<![A-Za-z\\]))[A-Za-z]{8,}(?![A-Za-z]|\\w|\[|\{)")
# Compiled once: screening reads every wording's regex, and regex.findall(...) with a pattern
# string looks the pattern up in the engine's cache on every call.
_LITERAL_WORD = regex_store.compile(r"[^\W_]{3,}")
_REPEAT_COUNTS = regex_store.compile(r"\d*(?:,\d*)?")
_DIGIT = regex_store.compile(r"\d")
_COUNTS_AND_ESCAPES = regex_store.compile(r"\{[\d,]*\}|\\.")
_LOCALE_SEPARATOR = regex_store.compile(r"[-_]")
_TAGS = regex_store.compile(r"<[^>]*>")
_QUOTE_MARKS = regex_store.compile(r"(?m)^[ \t]*>[ \t]?")
# Edits the fuzzy matcher allows by a wording's length in letters: short wordings match exactly.
EDIT_STEPS = ((12, 0), (24, 1))
FUZZY_ANCHOR_LETTERS = 5
MAX_FUZZY_WORD_RUNS = 2
FUZZY_BUDGET = 4000  # characters of text one wording is fuzzily matched against, at most
ANCHORS_PER_WORDING = 3
MESSAGE_QUOTE_CHARS = 80
# Characters to search, at least, before the regex is tried only where a match can start.
SCAN_FROM_CHARS = 1500
FIX_MEMO_SIZE = 50_000  # words whose correction the speller remembers


def normalise(text: str) -> str:
    """Prose as compared with wordings: punctuation and spacing are not significant."""
    # "&" is " and ": the spaces around it are non-word characters that become one space with it.
    text = _APOSTROPHE.sub("", text).replace("&", " and ")
    collapsed = _collapse_non_words(text)
    if collapsed is not None:
        return " " + collapsed + " "
    return " " + _NOT_WORD.sub(" ", text).strip() + " "


def _collapse_non_words(text: str) -> str | None:
    """`_NOT_WORD.sub(" ", text).strip()` without the regex, when every run of non-word characters
    simply becomes one space: the text has no underscore (a run of those is a space of its own) and
    no non-ASCII word character. Non-ASCII symbols (★, —, no-break spaces) are spaces first, each
    replaced in one pass; then the ASCII text is one byte translation, and runs of spaces one each.
    About half the time of the regex. None otherwise."""
    if "_" in text:
        return None
    if not text.isascii():
        for char in set(_NON_ASCII.findall(text)):
            if not _is_non_word(char):
                return None
            text = text.replace(char, " ")
    spaced = text.encode("ascii").translate(_ASCII_NON_WORDS)
    return _SPACE_RUN.sub(b" ", spaced).strip().decode("ascii")


@lru_cache(maxsize=4096)
def _is_non_word(char: str) -> bool:
    """Not a word character to the `regex` engine (which `_NOT_WORD` runs in)."""
    return _NOT_WORD.fullmatch(char) is not None


def _as_prose(source: str) -> str:
    """Source text shown in a message: without tags, entities or blockquote marks."""
    return _QUOTE_MARKS.sub("", html.unescape(_TAGS.sub("", source)))


def _normalise_wording_punct(found: regex.Match[str]) -> str:
    if found.group("cls"):
        return found.group()
    return " " if found.group("p") == "-" else ""


# ---------------------------------------------------------------- screening
def required_words(source: str) -> list[frozenset[str]]:
    """The literal words any match of `source` contains, as clauses: each clause lists
    alternatives, one of which (lower-cased) is a substring of every match.

    Covers the regex syntax rules use: literals, escapes, classes, groups, alternation,
    quantifiers, lookarounds, `{{term lists}}` and `\\L<named lists>` (which require nothing).
    Anything it does not understand simply requires nothing, so screening never loses a match.
    """
    try:
        clauses, _ = _sequence(source, 0)
    except IndexError:
        return []
    return clauses


def _sequence(src: str, i: int) -> tuple[list[frozenset[str]], int]:
    """Clauses of an alternation starting at `i`, up to its closing parenthesis (exclusive)."""
    branches: list[list[frozenset[str]]] = []
    clauses: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        clauses.extend(frozenset({w}) for w in _run_words("".join(run)))
        run.clear()

    while i < len(src) and src[i] != ")":
        char = src[i]
        if char == "|":
            flush()
            branches.append(clauses)
            clauses = []
            i += 1
        elif char == "(":
            inner, i = _group(src, i)
            optional, i = _quantifier(src, i)
            flush()
            if not optional:
                clauses.extend(inner)
        elif char == "[":
            i = _skip_class(src, i)
            flush()
            _, i = _quantifier(src, i)
        elif char == "\\":
            i = _skip_escape(src, i)
            flush()
            _, i = _quantifier(src, i)
        elif src.startswith("{{", i):
            i = src.index("}}", i) + 2
            flush()
        elif char in "?*+{":
            # A quantifier on the last literal character: it may be absent or repeated.
            optional, i = _quantifier(src, i)
            last = run.pop() if run else ""
            flush()
            if not optional and last:
                run.append(last)
                flush()
        elif char in ".^$":
            flush()
            i += 1
        else:
            run.append(char)
            i += 1
    flush()
    if not branches:
        return clauses, i
    branches.append(clauses)
    return _either(branches), i


def _either(branches: list[list[frozenset[str]]]) -> list[frozenset[str]]:
    """A clause for "one of these branches": each branch's most telling clause, united."""
    if any(not branch for branch in branches):
        return []
    best = [max(branch, key=lambda c: min(len(w) for w in c)) for branch in branches]
    return [frozenset().union(*best)]


def _group(src: str, i: int) -> tuple[list[frozenset[str]], int]:
    """Clauses of the group opening at `i`; returns the index after its ')'."""
    i += 1
    lookaround = False
    if src.startswith("?", i):
        if src.startswith(("?=", "?!", "?<=", "?<!"), i):
            lookaround = True
            i += 3 if src.startswith(("?<=", "?<!"), i) else 2
        elif src.startswith(("?P<", "?<"), i):
            i = src.index(">", i) + 1
        else:  # (?:  (?i:  (?-i:  (?i)
            close = i
            while src[close] not in ":)":
                close += 1
            if src[close] == ")":  # an inline flag group such as (?i): nothing inside
                return [], close + 1
            i = close + 1
    clauses, i = _sequence(src, i)
    return ([] if lookaround else clauses), i + 1


def _quantifier(src: str, i: int) -> tuple[bool, int]:
    """Skips a quantifier at `i`; True when it allows zero repetitions."""
    if i >= len(src):
        return False, i
    char = src[i]
    optional = False
    if char in "?*":
        optional, i = True, i + 1
    elif char == "+":
        i += 1
    elif char == "{" and not src.startswith("{{", i):
        close = src.find("}", i)
        if close < 0:
            return False, i
        body = src[i + 1:close]
        if not _REPEAT_COUNTS.fullmatch(body) or not body:
            return False, i  # not a quantifier (a fuzzy constraint or literal brace): leave it
        optional = body.startswith(",") or int(body.split(",")[0] or 0) == 0
        i = close + 1
    else:
        return False, i
    if i < len(src) and src[i] in "?+":  # lazy or possessive
        i += 1
    return optional, i


def _skip_class(src: str, i: int) -> int:
    i += 1
    if i < len(src) and src[i] == "^":
        i += 1
    if i < len(src) and src[i] == "]":
        i += 1
    while src[i] != "]":
        i += 2 if src[i] == "\\" else 1
    return i + 1


def _skip_escape(src: str, i: int) -> int:
    kind = src[i + 1]
    if kind in "pPN" and src.startswith("{", i + 2):
        return src.index("}", i) + 1
    if kind in "Lg" and src.startswith("<", i + 2):
        return src.index(">", i) + 1
    return i + 2


_LEADING_CLASS = regex_store.compile(r"\[([^\]\[\\^-]+)\](?!\?|\*|\{0|\{,)")


def _leading_symbols(source: str) -> frozenset[str] | None:
    """The characters one of which every match of `source` starts with, when it starts with a
    plain class of symbols that case does not change ("[★⭐]{3,5}"); None otherwise."""
    found = _LEADING_CLASS.match(source)
    if found is None or "|" in source:
        return None
    chars = frozenset(found.group(1))
    if any(char.isalnum() or char.lower() != char or char.upper() != char for char in chars):
        return None
    return chars


def _run_words(run: str) -> list[str]:
    return [w.lower() for w in _LITERAL_WORD.findall(run)]


# Syntax `one_edit_cut` does not cut: word boundaries, anchors, lookarounds, named
# or numbered groups and backreferences, inline flags, term lists and named lists.
_UNSPLITTABLE = regex_store.compile(r"\\[bBAZGLg\d]|\(\?(?:[=!<P]|[a-zA-Z-]*\))|[\^$]|\{\{")
MIN_SCREEN_LETTERS = 3  # a part whose longest required word is shorter screens out too little


def one_edit_cut(source: str) -> tuple[str, str] | None:
    """`source` cut in two consecutive parts, head and tail, each needing a literal word of at least
    `MIN_SCREEN_LETTERS` letters: the cut whose weaker part needs the longest word. None when no cut
    qualifies, or `source` has syntax this reader does not follow.

    A match with one edit has the edit in the head's text or in the tail's (an inserted character
    between them counts for either), so it matches `head(?:tail){e<=1}` or `(?:head){e<=1}tail`.
    """
    if _UNSPLITTABLE.search(source):
        return None
    items = _top_level_items(source)
    if items is None:
        return None
    best: tuple[int, int] = (MIN_SCREEN_LETTERS - 1, 0)
    chosen: tuple[str, str] | None = None
    for cut in range(1, len(items)):
        if not required_words(items[cut]):
            continue  # a part starts with a word, which the engine looks for fast
        head, tail = "".join(items[:cut]), "".join(items[cut:])
        strengths = [max((min(map(len, clause)) for clause in required_words(part)), default=0)
                     for part in (head, tail)]
        score = (min(strengths), sum(strengths))
        if score > best:
            best, chosen = score, (head, tail)
    return chosen


def _top_level_items(source: str) -> list[str] | None:
    """The items of `source`'s top-level concatenation, each with its quantifier; None when it has
    a top-level alternation or syntax this reader does not follow."""
    items: list[str] = []
    i = 0
    try:
        while i < len(source):
            char, start = source[i], i
            if char in "|)?*+{":
                return None
            if char.isalnum() or char == " ":
                while i < len(source) and (source[i].isalnum() or source[i] == " "):
                    i += 1  # a run of literal letters is one item: cuts fall between words
                if i < len(source) and source[i] in "?*+{":
                    if i - start > 1:
                        i -= 1  # a quantifier applies to the run's last letter only: that letter is an item
                    else:
                        _, i = _quantifier(source, i)
                items.append(source[start:i])
                continue
            if char == "(":
                _, i = _group(source, i)
            elif char == "[":
                i = _skip_class(source, i)
            elif char == "\\":
                i = _skip_escape(source, i)
            else:
                i += 1
            _, i = _quantifier(source, i)
            items.append(source[start:i])
    except (IndexError, ValueError):
        return None
    return items


class Haystack:
    """A text to search, its lower-cased form, and a memo of which words it contains."""

    def __init__(self, text: str, lowered: str | None = None, index: TextIndex | None = None) -> None:
        self.text = text
        self.lowered = text.lower() if lowered is None else lowered
        # The document's scan index when `text` is its block texts joined: where literals occur.
        self.index = index if index is not None and index.usable else None
        self._has: dict[str, bool] = {}
        # Where each word occurs, and the windows around them: rules with the same words share them.
        self._found: dict[str, list[int]] = {}
        self._near: dict[tuple[object, ...], list[tuple[int, int]]] = {}  # windows, by (words, reach, at_least)
        self._searched: dict[tuple[int, int], regex.Match[str] | None] = {}  # see `Screened.search`

    def occurrences(self, word: str) -> list[int]:
        """Every offset where `word` occurs in `lowered`, overlapping ones included."""
        found = self._found.get(word)
        if found is None:
            found = self._found[word] = []
            if self._has.get(word) is False:
                return found  # known to be absent: no need to scan for it
            lowered, at = self.lowered, self.lowered.find(word)
            while at >= 0:
                found.append(at)
                at = lowered.find(word, at + 1)
            self._has[word] = bool(found)
        return found

    def has_all(self, clauses: tuple[tuple[str, ...], ...]) -> bool:
        """Each clause has a word in the text (substring tests, each word's answer remembered)."""
        memo, lowered = self._has, self.lowered
        for clause in clauses:
            for word in clause:
                known = memo.get(word)
                if known is None:
                    known = memo[word] = word in lowered
                if known:
                    break
            else:
                return False
        return True


class Screened:
    """A regex with the literal words every match needs.

    A search first checks that each clause has a word in the text (substring tests, memoised
    per text); the regex then runs only near the occurrences of its key clause (the one with
    the longest words, likely the rarest), since every match contains one of them.
    """

    def __init__(self, pattern: regex.Pattern[str], source: str) -> None:
        self.pattern = pattern
        # The engine's own pattern: calls below pass their timeout, and skip the wrapper's frame.
        self.compiled: regex.Pattern[str] = getattr(pattern, "compiled", pattern)
        self.clauses = required_words(source)
        self.key = max(self.clauses, key=lambda c: (min(map(len, c)), -len(c)), default=None)
        # The clauses as `Haystack.has_all` takes them, longest words first: they are the likeliest
        # to be missing, and a missing word ends the test (the order changes no answer).
        self.screen = tuple(tuple(sorted(c)) for c in sorted(self.clauses, key=lambda c: -min(map(len, c))))
        # How far a match may reach from one of its words; repeats such as (?:\w+\s){0,6} stretch it.
        self.reach = 2 * len(source) + 80
        self.near_key = None if self.key is None else (self.key, self.reach, 1)
        self.key_words = () if self.key is None else tuple(sorted(self.key, key=lambda w: (len(w), w)))
        self.first_chars = _leading_symbols(source)
        # Built here, at configure time, so that it is saved with the compiled rules: working it out
        # on first use cost a one-file run with cached rules about 14 ms.
        self._scan: StartScan | None = StartScan(self.compiled)

    def possible(self, hay: Haystack) -> bool:
        return hay.has_all(self.screen)

    def search(self, hay: Haystack) -> regex.Match[str] | None:
        """The first match (of the first window that has one), as `finditer` would yield it first.

        Remembered per text: rules and locales that accept the same wording share the answer.
        """
        memo_key = (id(self.compiled), self.reach)
        if memo_key in hay._searched:
            return hay._searched[memo_key]
        found = hay._searched[memo_key] = next(self.finditer(hay), None)
        return found

    def finditer(self, hay: Haystack) -> Iterator[regex.Match[str]]:
        """Every match, searched only near the key words (a match never spans two windows,
        since windows that come within `reach` of each other are merged)."""
        plan = self._plan(hay)
        if plan is None:
            return
        spans, starts = plan
        text = hay.text
        if starts is not None:
            for lo, hi in spans:
                yield from matches_at(self.compiled, text, starts, REGEX_TIMEOUT, lo, hi)
            return
        for lo, hi in spans:
            yield from self.compiled.finditer(text, lo, hi, timeout=REGEX_TIMEOUT)

    def _plan(self, hay: Haystack) -> tuple[list[tuple[int, int]], tuple[int, ...] | None] | None:
        """The spans to search, and where in them matches may start (None: anywhere); None when
        the text lacks a word every match needs.

        With the document's scan index and much text to search, the regex is tried only where a
        match can start (`StartScan`): that finds exactly the matches a search of the same span
        finds. Finding those places costs more than searching a few short windows.
        """
        if self.key is None:
            if self.first_chars is not None and not any(char in hay.text for char in self.first_chars):
                return None
            spans = [(0, len(hay.text))]
        elif hay.has_all(self.screen):
            spans = self.windows(hay)
        else:
            return None
        index = hay.index
        if index is None or not spans:
            return spans, None
        scan = self._scanner()
        if scan is None or sum(hi - lo for lo, hi in spans) < SCAN_FROM_CHARS:
            return spans, None
        whole = spans[0][1] - spans[0][0] == len(hay.text)  # no window ends mid-text: whole-word literals hold
        literals = scan.literals if whole else scan.open_literals
        assert literals is not None
        return spans, index.starts_in_text(literals)

    def _scanner(self) -> StartScan | None:
        """The pattern's StartScan, or None when no literal starts every match."""
        if self._scan is None:
            self._scan = StartScan(self.compiled)
        return self._scan if self._scan.literals is not None else None

    def windows(self, hay: Haystack) -> list[tuple[int, int]]:
        """The spans around the key clause's words that the regex searches (memoised per text:
        patterns with the same key words and reach share them)."""
        assert self.key is not None and self.near_key is not None
        found = hay._near.get(self.near_key)
        if found is None:
            found = hay._near[self.near_key] = _windows(hay, self.key_words, self.reach)
        return found


def _spans(places: list[int], reach: int, size: int) -> list[tuple[int, int]]:
    """Spans within `reach` of the sorted offsets `places`, clipped to [0, size], merged where
    consecutive offsets are at most `2 * reach` apart."""
    if not places:
        return []
    # Where a new span starts: after a gap wider than two reaches (found by C iterators, not a loop).
    gaps = map(operator.sub, islice(places, 1, None), places)
    cuts = list(compress(range(1, len(places)), map((2 * reach).__lt__, gaps)))
    firsts, lasts = [0, *cuts], [k - 1 for k in cuts]
    lasts.append(len(places) - 1)
    return [(max(places[a] - reach, 0), min(places[b] + reach, size)) for a, b in zip(firsts, lasts, strict=True)]


def _windows(hay: Haystack, words: tuple[str, ...], reach: int, at_least: int = 1,
             groups: dict[str, int] | None = None) -> list[tuple[int, int]]:
    """Spans [at - reach, at + reach] (clipped to the text) around the occurrences of `words`
    (shortest first), merged where they touch: where consecutive occurrences are at most
    `2 * reach` apart. With `groups` (word -> group) and `at_least` > 1, only the spans where
    words of that many groups occur."""
    size = len(hay.lowered)
    found, known = hay._found, hay._has
    if at_least <= 1:
        if len(words) == 1:
            return _spans(hay.occurrences(words[0]), reach, size)
        every = []
        for word in words:  # short words first: the likeliest to be everywhere
            places = found.get(word)
            if places is None:
                places = _NOWHERE if known.get(word) is False else hay.occurrences(word)
            if places and places[0] <= reach and places[-1] + reach >= size and (
                    len(places) == 1 or max(map(operator.sub, islice(places, 1, None), places)) <= 2 * reach):
                return [(0, size)]  # one word's window already covers the text: the others change nothing
            every.append(places)
        return _spans(sorted(set().union(*every)), reach, size)
    group = groups if groups is not None else dict.fromkeys(words, 0)
    hits = sorted((at, group[word]) for word in words for at in hay.occurrences(word))
    spans: list[tuple[int, int]] = []
    first = previous = -1
    seen: set[int] = set()
    for at, kind in hits:
        if first >= 0 and at - previous > 2 * reach:
            if len(seen) >= at_least:
                spans.append((max(first - reach, 0), min(previous + reach, size)))
            seen = set()
            first = -1
        if first < 0:
            first = at
        previous = at
        seen.add(kind)
    if first >= 0 and len(seen) >= at_least:
        spans.append((max(first - reach, 0), min(previous + reach, size)))
    return spans


_NOWHERE: list[int] = []  # the occurrences of a word known to be absent (never appended to)


# ---------------------------------------------------------------- the prose
class Prose:
    """What page-level checks read, built once per document and shared by every rule."""

    def __init__(self, plain: Haystack, block_starts: list[int]) -> None:
        self.plain = plain  # block texts joined by blank lines
        self.block_starts = block_starts  # where each block's text starts in `plain.text`
        self.corrected: dict[int, tuple[Haystack, frozenset[str]] | None] = {}
        self.memo: dict[object, object] = {}  # per-document results rules share
        self._normal: Haystack | None = None
        self._words: list[str] | None = None
        self._link_only: dict[int, bool] = {}

    @property
    def normal(self) -> Haystack:
        """The prose normalised for wording comparison (made when a rule first compares wordings)."""
        if self._normal is None:
            self._normal = Haystack(normalise(self.plain.text))
        return self._normal

    @property
    def words(self) -> int:
        """How many words the prose has."""
        lowered = self.normal.lowered
        if "  " not in lowered:  # " word word " with single spaces: one space before each word, and one more
            return lowered.count(" ") - 1
        return len(self._word_list())

    def _word_list(self) -> list[str]:
        if self._words is None:
            self._words = self.normal.lowered.split()
        return self._words

    def long_words(self, shortest: int) -> set[str]:
        """The distinct words of the normalised prose, lower-cased, of letters only and `shortest`
        letters or more."""
        lowered = self.normal.lowered
        if lowered.isascii():  # words are runs of [a-z0-9] between spaces: one scan finds the long ones
            return set(_long_ascii_words(shortest).findall(lowered))
        return {w for w in set(self._word_list()) if len(w) >= shortest and w.isalpha()}

    def link_only(self, block: Block, index: int) -> bool:
        """`block.link_only` (it counts the block's letters), answered once per block for every rule."""
        known = self._link_only.get(index)
        if known is None:
            known = self._link_only[index] = block.link_only
        return known

    def locate(self, start: int, end: int) -> tuple[int, int, int] | None:
        """(block index, start, end) in block text of a span of `plain.text`; None across blocks."""
        index = bisect_right(self.block_starts, start) - 1
        if index < 0:
            return None
        base = self.block_starts[index]
        next_start = self.block_starts[index + 1] if index + 1 < len(self.block_starts) else len(self.plain.text) + 2
        if end > next_start - 2:
            return None
        return index, start - base, end - base


@lru_cache(maxsize=8)
def _long_ascii_words(shortest: int) -> re.Pattern[str]:
    return re.compile(rf"(?<= )[a-z]{{{shortest},}}(?= )")


_PROSE_CACHE: dict[int, tuple[weakref.ref[Document], Prose]] = {}


def prose_of(document: Document) -> Prose:
    """The document's prose, cached while the document lives (rules run one after another)."""
    key = id(document)
    cached = _PROSE_CACHE.get(key)
    if cached is not None and cached[0]() is document:
        return cached[1]
    index = text_index(document)  # the block texts joined by blank lines, shared with other kinds
    text = index.text
    blocks = document.blocks
    starts = list(accumulate([len(block.text) + 2 for block in blocks[:-1]], initial=0)) if blocks else []
    prose = Prose(Haystack(text, index.lowered if index.usable else None, index), starts)
    if len(_PROSE_CACHE) > 16:
        _PROSE_CACHE.clear()
    _PROSE_CACHE[key] = (weakref.ref(document), prose)
    return prose


# ---------------------------------------------------------------- wordings
class Wording:
    """One accepted disclosure: exact regex, and a fuzzy one for typos near its rare words."""

    def __init__(self, source: str, max_edits: int, spec: SpecReader, key: str) -> None:
        self.source = _WORDING_PUNCT.sub(_normalise_wording_punct, source.strip())
        self.exact = Screened(spec.compile(key, rf"\b(?:{self.source})\b", regex.IGNORECASE), self.source)
        # Whole words the speller may correct typos into (not stems such as "therap" in therap\w+).
        self.words = {w.lower() for w in _WHOLE_WORD.findall(self.source)}
        self.fuzzy: regex.Pattern[str] | None = None
        edits = self._edits(max_edits)
        # Anchors: the words of the (up to three) clauses with the longest words.
        telling = sorted((c for c in self.exact.clauses
                          if all(len(w) >= FUZZY_ANCHOR_LETTERS and w.isalpha() for w in c)),
                         key=lambda c: min(map(len, c)), reverse=True)[:ANCHORS_PER_WORDING]
        self.anchors = {word: index for index, clause in enumerate(telling) for word in clause}
        self.anchor_clauses = len(telling)
        # Fuzzy matching multiplies the cost of free word runs ((?:\w+\s){0,6}): keep it to plain wordings.
        if edits and self.anchors and self.source.count("\\w") <= MAX_FUZZY_WORD_RUNS:
            self.fuzzy = spec.compile(key, rf"(?:{self.source}){{e<={edits}}}", regex.IGNORECASE)
        # Two cheaper searches that every match with one edit passes (see `one_edit_cut`): the fuzzy
        # regex tries an edit at every position of a window, these only next to an exact part. The
        # second looks behind its exact tail (it may see before the window: it only screens).
        cut = one_edit_cut(self.source) if self.fuzzy is not None and edits == 1 else None
        self.fuzzy_screens: tuple[regex.Pattern[str], ...] = () if cut is None else (
            spec.compile(key, rf"(?:{cut[0]})(?:{cut[1]}){{e<=1}}", regex.IGNORECASE),
            spec.compile(key, rf"(?<=(?:{cut[0]}){{e<=1}})(?:{cut[1]})", regex.IGNORECASE))
        self.reach = len(self.source) + 2 * edits + 8
        # Near two of its telling words (one when it has one): with a typo or two, a window
        # still holds that many intact words, and pages dense in one common word stay cheap.
        self.at_least = min(self.anchor_clauses, 2)
        self.fuzzy_windows_key = (tuple(self.anchors.items()), self.reach, self.at_least)  # memo key of its windows
        self.anchor_words = tuple(sorted(self.anchors, key=lambda w: (len(w), w)))

    def _edits(self, max_edits: int) -> int:
        if _DIGIT.search(_COUNTS_AND_ESCAPES.sub("", self.source)):
            return 0  # "988" must never match "911"
        letters = sum(min(map(len, c)) for c in self.exact.clauses)  # the shortest match's letters
        for limit, allowed in EDIT_STEPS:
            if letters < limit:
                return min(max_edits, allowed)
        return max_edits

    def found(self, hay: Haystack) -> bool:
        return self.exact.search(hay) is not None

    def found_fuzzily(self, hay: Haystack) -> bool:
        """A match with a few edits, near the wording's telling words."""
        if self.fuzzy is None:
            return False
        windows = hay._near.get(self.fuzzy_windows_key)
        if windows is None:
            windows = hay._near[self.fuzzy_windows_key] = _windows(hay, self.anchor_words, self.reach, self.at_least,
                                                                   self.anchors)
        search, text = getattr(self.fuzzy, "compiled", self.fuzzy).search, hay.text
        screens = [getattr(screen, "compiled", screen).search for screen in self.fuzzy_screens]
        budget = FUZZY_BUDGET
        for lo, hi in windows:
            budget -= hi - lo
            if budget < 0:
                return False  # anchors everywhere: a page this dense in them gets the exact and spelled checks only
            if screens and all(screen(text, lo, hi, timeout=REGEX_TIMEOUT) is None for screen in screens):
                continue  # no match with the edit in the head, nor with it in the tail: none at all
            if search(text, lo, hi, timeout=REGEX_TIMEOUT):
                return True
        return False


class Disclosures:
    """The wordings and link patterns of one rule or one locale."""

    def __init__(self, spec: SpecReader, max_edits: int) -> None:
        self.any = [Wording(s, max_edits, spec, "accept") for s in spec.texts("accept")]
        self.all = [Wording(s, max_edits, spec, "accept_all") for s in spec.texts("accept_all")]
        self.links = [spec.compile("accept_links", p, regex.IGNORECASE) for p in spec.texts("accept_links")]

    def __bool__(self) -> bool:
        return bool(self.any or self.all or self.links)

    def found(self, hay: Haystack, only: frozenset[str] | None = None, fuzzy: bool = False) -> bool:
        """A wording is in `hay` (exactly, or fuzzily); with `only`, just the wordings using those words."""
        for wording in self.any:
            if only is not None and wording.words.isdisjoint(only):
                continue
            if wording.found_fuzzily(hay) if fuzzy else wording.exact.search(hay) is not None:
                return True
        # Wordings that count together: each must be there in some form.
        return bool(self.all) and all(w.found(hay) or (fuzzy and w.found_fuzzily(hay)) for w in self.all)

    def linked(self, urls: list[str]) -> bool:
        return any(p.search(url) for p in self.links for url in urls)


class Speller:
    """Corrects one-edit typos of the wordings' long words (a SymSpell-style deletion lookup).

    "substitut", "advise" and "evaluted" become "substitute", "advice" and "evaluated".
    One vocabulary serves every rule, so a document is corrected once. Only long words are
    touched (eight letters in the vocabulary, seven in the prose): between short words one
    edit often turns one real word into another ("clearer" and "cleared").
    """

    MIN_LETTERS = 8

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.prefixes: set[str] = set()
        self.by_deletion: dict[str, str] = {}
        self.generation = 0
        self._fixed: dict[str, str | None] = {}  # answers of `fix`, for this vocabulary: pages share words

    def learn(self, words: set[str]) -> None:
        new = {w for w in words if len(w) >= self.MIN_LETTERS and w.isalpha()} - self.words
        if not new:
            return
        self.words |= new
        self.prefixes |= {w[:2] for w in new}
        for word in sorted(new):
            for variant in _deletions(word):
                self.by_deletion.setdefault(variant, word)
        self.generation += 1
        self._fixed.clear()

    def fix(self, word: str) -> str | None:
        """The vocabulary word one edit away from `word`, if there is one."""
        if word in self._fixed:
            return self._fixed[word]
        if len(self._fixed) >= FIX_MEMO_SIZE:
            self._fixed.clear()
        fixed = self._fixed[word] = self._fix(word)
        return fixed

    def _fix(self, word: str) -> str | None:
        if word in self.words:
            return None
        if word in self.by_deletion:  # a letter missing
            return self.by_deletion[word]
        for variant in _deletions(word):
            if variant in self.words:  # a letter too many
                return variant
            if variant in self.by_deletion:  # a letter wrong, or two swapped
                return self.by_deletion[variant]
        return None

    def corrected(self, prose: Prose) -> tuple[Haystack, frozenset[str]] | None:
        """The normalised prose with typos corrected, and the words the corrections put in;
        None when nothing needed correcting (cached per document)."""
        if self.generation in prose.corrected:
            return prose.corrected[self.generation]
        fixes = {}
        prefixes, known = self.prefixes, self._fixed
        for word in prose.long_words(self.MIN_LETTERS - 1):
            # Typos seldom hit a word's first two letters; checking those first skips most words.
            if word[:2] in prefixes:
                fixed = known[word] if word in known else self.fix(word)
                if fixed is not None:
                    fixes[word] = fixed
        result = None
        if fixes:
            text = _replace_words(prose.normal.lowered, fixes)
            result = (Haystack(text, text), frozenset(fixes.values()))
        prose.corrected[self.generation] = result
        return result


def _replace_words(normal: str, fixes: dict[str, str]) -> str:
    """`normal` (normalised, lower-cased prose) with each whole word that `fixes` maps replaced."""
    if normal.isascii():
        # Words are then exactly the runs between spaces, and the text starts and ends with one:
        # " word " finds each. A second pass finds those that shared a space with a replaced one
        # ("a a"); no replacement is itself a key (the speller only corrects unknown words).
        for word, fixed in fixes.items():
            normal = normal.replace(f" {word} ", f" {fixed} ").replace(f" {word} ", f" {fixed} ")
        return normal
    misspelt = regex_store.compile(r"\b(?:" + "|".join(map(regex.escape, fixes)) + r")\b")
    return misspelt.sub(lambda m: fixes[m.group()], normal)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


SPELLER = Speller()


@dataclass
class Mention:
    """A trigger: its source span and text."""

    start: int
    end: int
    text: str
    heading: bool = False
    strong: bool = False


# ---------------------------------------------------------------- the rule
def _pattern_id(pattern: Screened | regex.Pattern[str] | None) -> int | None:
    """The compiled pattern behind `pattern`: patterns are compiled once per source, flags and term lists."""
    if pattern is None:
        return None
    if isinstance(pattern, Screened):
        pattern = pattern.pattern
    return id(getattr(pattern, "compiled", pattern))


class DisclaimerRule(Rule):
    kind = "disclaimer"

    def configure(self, spec: SpecReader) -> None:
        self.configure_scope(spec)
        self.max_edits = spec.integer("max_edits", 2, minimum=0)
        self.common = Disclosures(spec, self.max_edits)
        self.locales: dict[str, tuple[Disclosures, str | None]] = {}
        for name, value in spec.mapping("locales").items():
            if not isinstance(value, dict):
                raise spec.fail("locales", f"locale '{name}' must be a mapping of accept, accept_links, suggestion")
            reader = SpecReader(value, self.path)  # type: ignore[arg-type]
            disclosures = Disclosures(reader, self.max_edits)
            suggestion = reader.text("suggestion")
            reader.check_unknown(())
            self.locales[str(name).upper()] = (disclosures, suggestion)
        self.default_locale = (spec.text("default_locale") or "").upper()
        if self.locales and self.default_locale not in self.locales:
            raise spec.fail("default_locale", "must name one of the rule's locales")
        self.front_matter = {str(k): spec.compile("accept_front_matter", str(v))
                             for k, v in spec.mapping("accept_front_matter").items()}
        if not (self.common or self.locales or self.front_matter):
            raise spec.fail(None, "a disclaimer rule needs 'accept', 'accept_all', 'accept_links' or 'locales'")
        self._teach_speller()

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A rule from the compiled-rules cache is not configured again, but the speller the rules
        # share must still learn its wordings: otherwise a warm cache misses disclosures with typos.
        self.__dict__.update(state)
        self._teach_speller()

    def _teach_speller(self) -> None:
        if not getattr(self, "max_edits", 0):  # 0, or a subclass that reads no disclosures
            return
        for disclosures in [self.common, *(d for d, _ in self.locales.values())]:
            for wording in [*disclosures.any, *disclosures.all]:
                SPELLER.learn(wording.words)

    def configure_scope(self, spec: SpecReader) -> None:
        """The keys that say when the rule applies: triggers and the kind of page."""
        flags = int(regex.IGNORECASE)
        weak, strong = spec.texts("triggers"), spec.texts("strong_triggers")
        sources = [f"(?P<strong>{s})" for s in strong] + weak
        self.triggers = None
        if sources:
            combined = "|".join(f"(?:{s})" for s in sources)
            try:
                compiled = compile_terms_pattern(spec, "triggers", sources, self.terms, flags)
            except RulesetError:
                for source in strong:  # name the right key when the wrong pattern is a strong one
                    compile_terms_pattern(spec, "strong_triggers", [source], self.terms, flags)
                raise
            self.triggers = Screened(compiled, combined)
        self.trigger_scan = StartScan(self.triggers.pattern) if self.triggers is not None else None
        # Whether a trigger match can be strong: the pattern has a group of that name.
        self.strong_group = self.triggers is not None and "strong" in self.triggers.compiled.groupindex
        self.trigger_rules = self._load_trigger_rules(spec)
        if self.triggers is None and not self.trigger_rules:
            raise spec.fail(None, "a disclaimer rule needs 'triggers', 'strong_triggers' or 'trigger_rules'")
        self.min_mentions = spec.integer("min_mentions", 1, minimum=1)
        self.heading_mentions = spec.flag("heading_mentions", False)
        unless = spec.texts("unless")
        self.unless = compile_terms_pattern(spec, "unless", unless, self.terms, flags) if unless else None
        before = spec.text("unless_before")
        self.unless_before = (compile_terms_pattern(spec, "unless_before", [rf"(?:{before})\s*$"], self.terms, flags)
                              if before else None)
        self.page_requires = [self._screened(spec, "page_requires", p, flags) for p in spec.texts("page_requires")]
        self.page_unless = [self._screened(spec, "page_unless", p, flags) for p in spec.texts("page_unless")]
        self.min_words = spec.integer("min_words", 0, minimum=0)
        # Rules with the same scope (the info-quality rules share theirs) share its answers per document.
        self._page_key = ("disclaimer.applies", type(self)._applies, self.min_words,
                          *map(_pattern_id, self.page_requires), "|", *map(_pattern_id, self.page_unless))
        self._trigger_key = None if self.trigger_rules or self.triggers is None else (
            "disclaimer.first_trigger", type(self)._mentions, _pattern_id(self.triggers), self.min_mentions,
            self.heading_mentions, _pattern_id(self.unless), _pattern_id(self.unless_before))

    def _screened(self, spec: SpecReader, key: str, source: str, flags: int) -> Screened:
        return Screened(compile_terms_pattern(spec, key, [source], self.terms, flags), source)

    def _load_trigger_rules(self, spec: SpecReader) -> list[Rule]:
        from healthlint.engine.rulesets import builtin_dir, load_ruleset

        rules: list[Rule] = []
        for name in spec.texts("trigger_rules"):
            ruleset, _, rule_id = name.partition("/")
            candidates = [Path(self.path).parent / f"{ruleset}.yaml", builtin_dir() / f"{ruleset}.yaml"]
            path = next((p for p in candidates if p.is_file()), None)
            if path is None:
                raise spec.fail("trigger_rules", f"no ruleset '{ruleset}' next to this file or built in")
            if path.resolve() == Path(self.path).resolve():
                raise spec.fail("trigger_rules", "a rule cannot take its triggers from its own ruleset")
            chosen = [r for r in load_ruleset(path).rules if r.enabled and (not rule_id or r.id == name)]
            if not chosen:
                raise spec.fail("trigger_rules", f"no rule '{name}'")
            rules.extend(chosen)
        return rules

    # ------------------------------------------------------------------ scope
    def applies(self, document: Document) -> bool:
        """The page is of the kind the rule is about (before looking for triggers)."""
        found = document.memo.get(self._page_key)
        if found is None:
            found = document.memo[self._page_key] = self._applies(document)
        return found  # type: ignore[no-any-return]

    def _applies(self, document: Document) -> bool:
        prose = prose_of(document)
        if self.min_words and prose.words < self.min_words:
            return False
        if any(r.search(prose.plain) is None for r in self.page_requires):
            return False
        return not any(r.search(prose.plain) for r in self.page_unless)

    def first_trigger(self, document: Document, context: LintContext) -> Mention | None:
        """The earliest trigger, if the page has enough of them to count as being about it."""
        if self._trigger_key is None:
            return self._first_trigger(document, context)
        if self._trigger_key not in document.memo:
            document.memo[self._trigger_key] = self._first_trigger(document, context)
        return document.memo[self._trigger_key]  # type: ignore[no-any-return]

    def _first_trigger(self, document: Document, context: LintContext) -> Mention | None:
        overridden = type(self)._mentions is not DisclaimerRule._mentions  # a subclass's own mentions
        first: Mention | None = None
        enough = False
        mentions = self._mentions(document, context) if overridden else self._trigger_matches(document)
        for count, mention in enumerate(mentions, start=1):
            if first is None or (mention.start, mention.end) < (first.start, first.end):
                first = mention
            enough = enough or count >= self.min_mentions or mention.strong or (
                self.heading_mentions and mention.heading)
            if enough and not self.trigger_rules:
                return first  # block order: nothing later comes earlier in the file
        if overridden:
            return first if enough else None
        # The trigger rules' findings are strong mentions; only the earliest can come first, so
        # only its text is read.
        earliest: Diagnostic | None = None
        for rule in self.trigger_rules:
            for diagnostic in rule.check(document, context):
                if earliest is None or (diagnostic.start, diagnostic.end) < (earliest.start, earliest.end):
                    earliest = diagnostic
        if earliest is not None:
            enough = True
            if first is None or (earliest.start, earliest.end) < (first.start, first.end):
                first = Mention(earliest.start, earliest.end, _as_prose(earliest.match), strong=True)
        return first if enough else None

    def _mentions(self, document: Document, context: LintContext) -> Iterator[Mention]:
        """Trigger matches in document order, then the findings of the trigger rules."""
        yield from self._trigger_matches(document)
        for rule in self.trigger_rules:
            for diagnostic in rule.check(document, context):
                yield Mention(diagnostic.start, diagnostic.end, _as_prose(diagnostic.match), strong=True)

    def _trigger_matches(self, document: Document) -> Iterator[Mention]:
        """The matches of `triggers` in document order, outside menus and excused sentences."""
        if self.triggers is None or self.trigger_scan is None:
            return
        prose = prose_of(document)
        if not self.triggers.possible(prose.plain):
            return
        # Triggers are common words: scan lazily from the top, the caller stops when it has enough.
        scan = self.trigger_scan.finditer_from(prose.plain.text, self.trigger_scan.iter_starts(document),
                                               REGEX_TIMEOUT)
        blocks, strong_group = document.blocks, self.strong_group
        for found in scan:
            start, end = found.span()
            located = prose.locate(start, end)
            if located is None or start == end:
                continue
            index, start, end = located
            block = blocks[index]
            if prose.link_only(block, index) or self._excused(document, index, start, end):
                continue  # a menu naming a topic is not a page about it
            src_start, src_end = block.span(start, end)
            strong = strong_group and found.group("strong") is not None
            yield Mention(src_start, src_end, found.group(), block.kind == "heading", strong)

    def _excused(self, document: Document, index: int, start: int, end: int) -> bool:
        """The trigger's sentence matches `unless`, or the words just before it `unless_before`."""
        if self.unless is None and self.unless_before is None:
            return False
        text = document.blocks[index].text
        lo, hi = document.sentence_bounds(index, start, end)
        if self.unless is not None and self.unless.search(text, lo, hi) is not None:
            return True
        return self.unless_before is not None and self.unless_before.search(text[lo:start]) is not None

    # ------------------------------------------------------------- disclosure
    def locale_of(self, context: LintContext) -> str | None:
        """The configured locale's region, upper-case: "uk", "en-GB" and "en_GB" give "UK", "GB", "GB"."""
        chosen = context.options.get("locale")
        if not chosen:
            return None
        return _LOCALE_SEPARATOR.split(str(chosen).strip())[-1].upper()

    def disclosed(self, document: Document, context: LintContext) -> bool:
        """One accepted disclosure is in the prose: exactly, then with typos corrected, then fuzzily."""
        if self._front_matter_accepts(document):
            return True
        prose = prose_of(document)
        sets = self._disclosure_sets(context)
        if any(d.found(prose.normal) for d in sets):
            return True
        urls = [link.url for block in document.blocks for link in block.links]
        if urls and any(d.linked(urls) for d in sets):
            return True
        if not self.max_edits:
            return False
        corrected = SPELLER.corrected(prose)
        if corrected is not None and any(d.found(corrected[0], only=corrected[1]) for d in sets):
            return True
        return any(d.found(prose.normal, fuzzy=True) for d in sets)

    def _disclosure_sets(self, context: LintContext) -> list[Disclosures]:
        sets = [self.common]
        locale = self.locale_of(context)
        if locale in self.locales:
            sets.append(self.locales[locale][0])
        else:  # no locale configured (or one we have no data for): any locale's resource counts
            sets.extend(disclosures for disclosures, _ in self.locales.values())
        return sets

    def _front_matter_accepts(self, document: Document) -> bool:
        data = document.front_matter_data
        if not self.front_matter or not isinstance(data, dict):
            return False
        return any(key in data and pattern.search(str(data[key])) for key, pattern in self.front_matter.items())

    def suggestion_for(self, context: LintContext) -> str | None:
        locale = self.locale_of(context)
        if locale not in self.locales:
            locale = self.default_locale
        if locale in self.locales and self.locales[locale][1]:
            return self.locales[locale][1]
        return self.suggestion

    # ------------------------------------------------------------------ check
    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        if not document.blocks or not self.applies(document):
            return
        trigger = self.first_trigger(document, context)
        if trigger is None or self.disclosed(document, context):
            return
        yield self.finding(document, trigger, self.suggestion_for(context))

    def finding(self, document: Document, trigger: Mention, suggestion: str | None,
                message: str | None = None) -> Diagnostic:
        """A finding at the trigger; `{match}` and `{suggestion}` filled in."""
        quoted = " ".join(trigger.text.split())
        if len(quoted) > MESSAGE_QUOTE_CHARS:
            quoted = quoted[:MESSAGE_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
        suggestion = " ".join(suggestion.split()) if suggestion else None
        text = (message or self.message).replace("{match}", quoted).replace("{suggestion}", suggestion or "")
        return self.diagnostic_at(document, trigger.start, trigger.end, message=" ".join(text.split()),
                                  suggestion=suggestion)
