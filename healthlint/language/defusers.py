"""Negation, hedge and quotation scope for claim rules.

Negation follows NegEx (Chapman et al., 2001): a trigger phrase ("not", "no",
"does not", "without") a few words before the claim, in the same clause, negates
it; termination terms ("but", "however") and clause punctuation end the scope.
Hedge cues follow the CoNLL-2010 / BioScope cue lists ("may", "might", "suggest",
"appear", "possible"), scoped to the clause that holds the claim.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

import regex

from healthlint import regex_store

# Words or marks that end a clause: NegEx termination terms plus clause punctuation.
_TERMINATION = r"\b(?:but|however|although|though|whereas|while|yet|unlike|except|instead)\b"
CLAUSE_BREAK = regex_store.compile(
    r"[;:()\[\]!?]|,(?!\d)|\s[–—-]\s|—|\.(?=\s|$)|\n\s*\n|" + _TERMINATION,
    regex.IGNORECASE,
)
# The same on ASCII text, for the standard engine, which scans it two to three times faster: there `\s` is
# these six characters to `regex` (the standard engine's own \s adds \x1c-\x1f), and words are ASCII words.
_WHITE = r"[\t\n\x0b\x0c\r ]"
_ASCII_CLAUSE_BREAK = re.compile(
    rf"[;:()\[\]!?]|,(?!\d)|{_WHITE}[–—-]{_WHITE}|—|\.(?={_WHITE}|$)|\n{_WHITE}*\n|" + _TERMINATION,
    re.IGNORECASE | re.ASCII,
)

# NegEx-style pre-triggers, written for marketing prose.
NEGATION = regex_store.compile(
    r"\b(?:not(?!\s+(?:only|just|merely|to\s+mention))|no(?!\s+(?:doubt|wonder|longer|more|matter))"
    r"|never|neither|nor|without|none|cannot|can't|won't|isn't|aren't|wasn't|weren't"
    r"|doesn't|don't|didn't|hasn't|haven't|shouldn't|wouldn't|couldn't|mustn't"
    r"|fails? to|failed to|unable to|unlikely to|rather than|instead of|lack of|lacks)\b"
    r"|n't\b",
    regex.IGNORECASE,
)
NEGATION_WINDOW_WORDS = 6
# A coordinated series just before the match ("not intended to diagnose, treat, cure, or
# prevent"): a negation before the series scopes over all of it, commas notwithstanding.
SERIES_TAIL = regex_store.compile(r"(?:[\w'-]+,\s+)+(?:(?:and|or|nor)\s+)?$")

# Hedge cues (BioScope / CoNLL-2010), limited to ones that weaken a claim of efficacy.
HEDGE = regex_store.compile(
    r"\b(?:may|might|could|possibly|perhaps|potentially|probably|likely|unlikely|uncertain"
    r"|suggests?|suggested|suggesting|appears? to|seems? to|indicates?|in some (?:people|cases|patients)"
    r"|some (?:people|patients|users|studies|evidence)|for some|varies|vary|differ|depending"
    r"|not (?:everyone|all)|limited evidence|more research|preliminary|early evidence)\b",
    regex.IGNORECASE,
)

QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_QUOTE_MARKS = re.compile("[" + "".join(sorted({*QUOTES, *QUOTES.values()})) + "]")
ATTRIBUTION = regex_store.compile(
    r"(?:[—–-]\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*\s*$)|\b(?:says?|said|claims?|told|according to|calls? it)\b",
)


def clause_bounds(text: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The clause around text[start:end], within [lo, hi) (usually the sentence)."""
    hi = len(text) if hi is None else hi
    return clause_start_of(text, start, lo), clause_end_of(text, end, hi)


def clause_start_of(text: str, start: int, lo: int = 0) -> int:
    """Where the clause that holds text[start] begins, at or after `lo`: after the last break before it."""
    breaks = _ASCII_CLAUSE_BREAK if text.isascii() else CLAUSE_BREAK
    last = deque(breaks.finditer(text, lo, start), maxlen=1)  # the matches run out in C
    return last[0].end() if last else lo


def clause_end_of(text: str, end: int, hi: int) -> int:
    """Where the clause that holds text[end - 1] ends, at or before `hi`."""
    found = (_ASCII_CLAUSE_BREAK if text.isascii() else CLAUSE_BREAK).search(text, end, hi)
    return found.start() if found else hi


def negated(text: str, clause_start: int, start: int, lo: int = 0) -> bool:
    """A negation trigger within a few words before the match, in its clause."""
    series = SERIES_TAIL.search(text, lo, start)
    if series is not None and series.start() < clause_start:
        start = series.start()
        clause_start = clause_start_of(text, start, lo)
    before = text[clause_start:start]
    words = before.split()
    if not words:
        return False
    window = " ".join(words[-NEGATION_WINDOW_WORDS:])
    return NEGATION.search(window) is not None


def hedged(text: str, clause_start: int, clause_end: int, start: int, end: int) -> bool:
    """A hedge cue in the clause, outside the matched words themselves."""
    return (HEDGE.search(text, clause_start, start) is not None
            or HEDGE.search(text, end, clause_end) is not None)


def quoted(text: str, lo: int, start: int, end: int) -> bool:
    """The match stands inside quotation marks opened earlier in the same sentence."""
    open_char = ""
    for found in _QUOTE_MARKS.finditer(text, lo, start):  # only quotation marks change the state
        char = found.group()
        if open_char:
            if char == QUOTES[open_char]:
                open_char = ""
        elif char in QUOTES:
            open_char = char
    if not open_char:
        return False
    return text.find(QUOTES[open_char], end) >= 0 or text.find('"', end) >= 0


# Myth-busting copy reports a claim in order to refute it. The claim is framed as somebody else's
# (quoted, "the idea that", "promising that", "Myth:") and the same or the next sentence says it is
# false ("That is not what the research found", "is simply wrong"). "It's no myth that..." is neither.
_MYTH = r"(?<!\b(?:no|not\s+a|n['’]t\s+a)\s+)\bmyths?\b"
REPORTING_FRAME = regex_store.compile(
    _MYTH + r"|\b(?:(?:idea|claim|belief|notion|promise|assertion|message|rumou?r)s?\s+that"
    r"|(?:claim|promis|suggest|insist)(?:s|es|e|ed|ing)?\s+(?:that|to)"
    r"|(?:say|says|said|saying)\s+that|(?:seen|heard|read)\s+(?:that|claims?|it\s+said))\b",
    regex.IGNORECASE,
)
REFUTATION = regex_store.compile(
    _MYTH + r"|\b(?:(?:is|are|was|were)|['’]s)\s+(?:simply\s+|just\s+|plainly\s+|completely\s+|flat(?:ly)?\s+"
    r"|totally\s+|also\s+)?(?:wrong|false|untrue|incorrect|misleading|nonsense|unfounded|not\s+true"
    r"|not\s+(?:supported|backed(?:\s+up)?)\s+by)\b"
    r"|\b(?:isn['’]t|not)\s+true\b"
    r"|\bnot\s+what\s+(?:the\s+)?(?:research|evidence|science|studies|data|trials)\s+(?:found|finds|shows?|showed|says?)\b"
    r"|\bno\s+(?:good\s+|reliable\s+|scientific\s+|clinical\s+|strong\s+|real\s+)?evidence\s+"
    r"(?:for|behind|to\s+support|supports?)\s+(?:this|that|these|those|such|the|it|them)\b"
    r"|\b(?:go|goes|went)\s+(?:far\s+|well\s+|way\s+)?beyond\s+what\b|\boverstat(?:e|es|ed|ing)\b"
    r"|\bdebunk(?:s|ed|ing)?\b|\bfact\s*:",
    regex.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?:\s|$)")


def refuted(text: str, lo: int, start: int, end: int, hi: int, in_quote: bool = False) -> bool:
    """The claim text[start:end] is reported (quoted, in a blockquote or framed as somebody else's)
    and refuted in its own sentence text[lo:hi] or the next one."""
    if not (in_quote or REPORTING_FRAME.search(text, lo, start) or quoted(text, lo, start, end)):
        return False
    next_end = _SENTENCE_END.search(text, hi)  # sentences end after their own mark
    reach = next_end.end() if next_end is not None else len(text)
    return REFUTATION.search(text, lo, reach) is not None


def attributed(sentence: str) -> bool:
    """Reported speech: the sentence attributes its words to somebody else."""
    return ATTRIBUTION.search(sentence) is not None


def question(sentence: str) -> bool:
    return sentence.rstrip().rstrip("\"'”’)").endswith("?")


# What every claim kind reads as defusers (`defused_by`), in the order they are tried.
DEFUSER_NAMES = ("negation", "hedge", "quotation", "attribution", "question", "refutation")


@dataclass(frozen=True)
class Defusal:
    """What around a match takes the claim out of it, as the `pattern` and `citation` kinds configure it:
    `unless` (regexes, a match in the scope defuses), `unless_before` (a regex matched against the
    clause text just before the match) and `defused_by` (names from DEFUSER_NAMES)."""

    unless: tuple[regex.Pattern[str], ...] = ()
    unless_before: regex.Pattern[str] | None = None
    defused_by: tuple[str, ...] = ()

    def defuses(self, text: str, start: int, end: int, lo: int, hi: int, *, in_quote: bool = False,
                scope: tuple[int, int] | None = None) -> bool:
        """Whether text[start:end], in the sentence text[lo:hi], is defused.

        `scope`: where `unless` looks (default: the sentence); `in_quote`: the block is a blockquote.
        """
        scope_lo, scope_hi = scope if scope is not None else (lo, hi)
        for pattern in self.unless:
            if pattern.search(text, scope_lo, scope_hi):
                return True
        clause_start = clause_start_of(text, start, lo)
        if self.unless_before is not None and self.unless_before.search(text[clause_start:start]):
            return True
        for name in self.defused_by:
            if name == "negation" and negated(text, clause_start, start, lo):
                return True
            if name == "hedge" and hedged(text, clause_start, clause_end_of(text, end, hi), start, end):
                return True
            if name == "quotation" and (in_quote or quoted(text, lo, start, end)):
                return True
            if name == "attribution" and attributed(text[lo:hi]):
                return True
            if name == "question" and question(text[lo:hi]):
                return True
            if name == "refutation" and refuted(text, lo, start, end, hi, in_quote):
                return True
        return False
