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
import weakref
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Document
from healthlint.errors import RulesetError
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader
from healthlint.kinds.pattern import compile_terms_pattern
from healthlint.kinds.scan import StartScan

# Normalisation for comparing wordings: what a reader does not notice.
_APOSTROPHE = regex_store.compile(r"(?<=\w)['’ʼ`](?=\w)")
_NOT_WORD = regex_store.compile(r"[^\w]+|_+")
_AMPERSAND = regex_store.compile(r"\s*&\s*")
# In a wording's regex: hyphens and apostrophes between letters, as normalised in the prose
# (character classes such as [a-z] are kept as they are).
_WORDING_PUNCT = regex_store.compile(r"(?P<cls>\[(?:\\.|[^\]])*\])|(?<=[A-Za-z])(?P<p>[-'’])(?=[A-Za-z])")
_WHOLE_WORD = regex_store.compile(r"(?:(?<=\\[A-Za-z])|(?<![A-Za-z\\]))[A-Za-z]{8,}(?![A-Za-z]|\\w|\[|\{)")
_TAGS = regex_store.compile(r"<[^>]*>")
_QUOTE_MARKS = regex_store.compile(r"(?m)^[ \t]*>[ \t]?")
# Edits the fuzzy matcher allows by a wording's length in letters: short wordings match exactly.
EDIT_STEPS = ((12, 0), (24, 1))
FUZZY_ANCHOR_LETTERS = 5
MAX_FUZZY_WORD_RUNS = 2
FUZZY_BUDGET = 4000  # characters of text one wording is fuzzily matched against, at most
ANCHORS_PER_WORDING = 3
MESSAGE_QUOTE_CHARS = 80
FIX_MEMO_SIZE = 50_000  # words whose correction the speller remembers


def normalise(text: str) -> str:
    """Prose as compared with wordings: punctuation and spacing are not significant."""
    text = _AMPERSAND.sub(" and ", _APOSTROPHE.sub("", text))
    return " " + _NOT_WORD.sub(" ", text).strip() + " "


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
        if not regex.fullmatch(r"\d*(?:,\d*)?", body) or not body:
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


def _run_words(run: str) -> list[str]:
    return [w.lower() for w in regex.findall(r"[^\W_]{3,}", run)]


class Haystack:
    """A text to search, its lower-cased form, and a memo of which words it contains."""

    def __init__(self, text: str, lowered: str | None = None) -> None:
        self.text = text
        self.lowered = text.lower() if lowered is None else lowered
        self._has: dict[str, bool] = {}
        # Where each word occurs, and the windows around them: rules with the same words share them.
        self._found: dict[str, list[int]] = {}
        self._near: dict[tuple[object, ...], list[tuple[int, int]]] = {}

    def occurrences(self, word: str) -> list[int]:
        """Every offset where `word` occurs in `lowered`, overlapping ones included."""
        found = self._found.get(word)
        if found is None:
            found = self._found[word] = []
            lowered, at = self.lowered, self.lowered.find(word)
            while at >= 0:
                found.append(at)
                at = lowered.find(word, at + 1)
        return found

    def has(self, word: str) -> bool:
        known = self._has.get(word)
        if known is None:
            known = self._has[word] = word in self.lowered
        return known


class Screened:
    """A regex with the literal words every match needs.

    A search first checks that each clause has a word in the text (substring tests, memoised
    per text); the regex then runs only near the occurrences of its key clause (the one with
    the longest words, likely the rarest), since every match contains one of them.
    """

    def __init__(self, pattern: regex.Pattern[str], source: str) -> None:
        self.pattern = pattern
        self.clauses = required_words(source)
        self.key = max(self.clauses, key=lambda c: (min(map(len, c)), -len(c)), default=None)
        # How far a match may reach from one of its words; repeats such as (?:\w+\s){0,6} stretch it.
        self.reach = 2 * len(source) + 80

    def possible(self, hay: Haystack) -> bool:
        return all(any(map(hay.has, clause)) for clause in self.clauses)

    def search(self, hay: Haystack) -> regex.Match[str] | None:
        for found in self.finditer(hay):
            return found
        return None

    def finditer(self, hay: Haystack) -> Iterator[regex.Match[str]]:
        """Every match, searched only near the key words (a match never spans two windows,
        since windows that come within `reach` of each other are merged)."""
        if self.key is None:
            yield from self.pattern.finditer(hay.text, timeout=REGEX_TIMEOUT)
            return
        if not self.possible(hay):
            return
        for lo, hi in _near(hay, self.key, self.reach):
            yield from self.pattern.finditer(hay.text, lo, hi, timeout=REGEX_TIMEOUT)


def _near(hay: Haystack, words: frozenset[str] | dict[str, int], reach: int,
          at_least: int = 1) -> list[tuple[int, int]]:
    """Merged spans within `reach` of occurrences of `words`. With a mapping of words to
    groups and `at_least` > 1, only spans where words of that many groups occur."""
    key = (words if isinstance(words, frozenset) else tuple(words.items()), reach, at_least)
    found = hay._near.get(key)
    if found is None:
        found = hay._near[key] = _windows(hay, words, reach, at_least)
    return found


def _windows(hay: Haystack, words: frozenset[str] | dict[str, int], reach: int,
             at_least: int) -> list[tuple[int, int]]:
    lowered = hay.lowered
    group = words if isinstance(words, dict) else dict.fromkeys(words, 0)
    hits = [(at, word) for word in group for at in hay.occurrences(word)]
    spans: list[tuple[int, int, set[int]]] = []
    for at, word in sorted(hits):
        lo, hi = max(at - reach, 0), min(at + reach, len(lowered))
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi, spans[-1][2] | {group[word]})
        else:
            spans.append((lo, hi, {group[word]}))
    return [(lo, hi) for lo, hi, seen in spans if len(seen) >= at_least]


# ---------------------------------------------------------------- the prose
@dataclass
class Prose:
    """What page-level checks read, built once per document and shared by every rule."""

    plain: Haystack  # block texts joined by blank lines
    normal: Haystack  # the same, normalised for wording comparison
    words: int
    block_starts: list[int]  # where each block's text starts in `plain.text`
    corrected: dict[int, tuple[Haystack, frozenset[str]] | None] = field(default_factory=dict)
    memo: dict[object, object] = field(default_factory=dict)  # per-document results rules share

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


_PROSE_CACHE: dict[int, tuple[weakref.ref[Document], Prose]] = {}


def prose_of(document: Document) -> Prose:
    """The document's prose, cached while the document lives (rules run one after another)."""
    key = id(document)
    cached = _PROSE_CACHE.get(key)
    if cached is not None and cached[0]() is document:
        return cached[1]
    text = "\n\n".join(block.text for block in document.blocks)
    starts, offset = [], 0
    for block in document.blocks:
        starts.append(offset)
        offset += len(block.text) + 2
    normal = normalise(text)
    prose = Prose(Haystack(text), Haystack(normal), len(normal.split()), starts)
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
        self.reach = len(self.source) + 2 * edits + 8

    def _edits(self, max_edits: int) -> int:
        if regex.search(r"\d", regex.sub(r"\{[\d,]*\}|\\.", "", self.source)):
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
        # Near two of its telling words (one when it has one): with a typo or two, a window
        # still holds that many intact words, and pages dense in one common word stay cheap.
        at_least = min(self.anchor_clauses, 2)
        budget = FUZZY_BUDGET
        for lo, hi in _near(hay, self.anchors, self.reach, at_least):
            budget -= hi - lo
            if budget < 0:
                return False  # anchors everywhere: a page this dense in them gets the exact and spelled checks only
            if self.fuzzy.search(hay.text, lo, hi, timeout=REGEX_TIMEOUT):
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
        def matches(wording: Wording) -> bool:
            if only is not None and not (wording.words & only):
                return False
            return wording.found_fuzzily(hay) if fuzzy else wording.found(hay)

        if any(matches(w) for w in self.any):
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
        for word in set(prose.normal.lowered.split()):
            # Typos seldom hit a word's first two letters; checking those first skips most words.
            if len(word) >= self.MIN_LETTERS - 1 and word[:2] in self.prefixes and word.isalpha():
                fixed = self.fix(word)
                if fixed is not None:
                    fixes[word] = fixed
        result = None
        if fixes:
            misspelt = regex_store.compile(r"\b(?:" + "|".join(map(regex.escape, fixes)) + r")\b")
            text = misspelt.sub(lambda m: fixes[m.group()], prose.normal.lowered)
            result = (Haystack(text, text), frozenset(fixes.values()))
        prose.corrected[self.generation] = result
        return result


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
        if self.max_edits:
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
        if prose.words < self.min_words:
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
        first: Mention | None = None
        enough = False
        for count, mention in enumerate(self._mentions(document, context), start=1):
            if first is None or (mention.start, mention.end) < (first.start, first.end):
                first = mention
            enough = enough or count >= self.min_mentions or mention.strong or (
                self.heading_mentions and mention.heading)
            if enough and not self.trigger_rules:
                return first  # block order: nothing later comes earlier in the file
        return first if enough else None

    def _mentions(self, document: Document, context: LintContext) -> Iterator[Mention]:
        """Trigger matches in document order, then the findings of the trigger rules."""
        if self.triggers is not None:
            prose = prose_of(document)
            # Triggers are common words: scan lazily from the top, the caller stops when it has enough.
            assert self.trigger_scan is not None
            scan = self.trigger_scan.finditer_from(prose.plain.text, self.trigger_scan.iter_starts(document),
                                                   REGEX_TIMEOUT)
            for found in scan if self.triggers.possible(prose.plain) else ():
                located = prose.locate(*found.span())
                if located is None or found.start() == found.end():
                    continue
                index, start, end = located
                if document.blocks[index].link_only or self._excused(document, index, start, end):
                    continue  # a menu naming a topic is not a page about it
                block = document.blocks[index]
                src_start, src_end = block.span(start, end)
                strong = "strong" in found.groupdict() and found.group("strong") is not None
                yield Mention(src_start, src_end, found.group(), block.kind == "heading", strong)
        for rule in self.trigger_rules:
            for diagnostic in rule.check(document, context):
                yield Mention(diagnostic.start, diagnostic.end, _as_prose(diagnostic.match), strong=True)

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
        return regex.split(r"[-_]", str(chosen).strip())[-1].upper()

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
