"""Sentence splitting for prose blocks.

One compiled regex finds candidate boundaries (terminal punctuation, optional closing
quotes, whitespace, then something that can start a sentence); only those candidates
are checked in Python against abbreviations, initials and list numbers. Decimals and
dates (3.5, 10.15.2025) never match because the period is not followed by whitespace.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Terminator run (group 1) + closing quotes/brackets, whitespace, and a lookahead for
# what can start a sentence: an uppercase letter, a digit, an opening quote or a bullet.
# "[.!?…][.!?…]*" is "[.!?…]+" spelled so that the regex engine can skip ahead to the next
# terminator character instead of trying the pattern at every position (twice as fast).
_CANDIDATE_RE = re.compile(
    r"([.!?…][.!?…]*[\"'”’»)\]]*)\s+"
    r"(?=[A-Z0-9\u00c0-\u00d6\u00d8-\u00de\u0391-\u03a9\u0410-\u042f\"'“‘«•◦▪‣●])"
)

# Never end a sentence after these (compared lowercased, without the final period).
_ABBREVIATIONS = _words("""
    dr mr mrs ms mx prof st jr sr rev hon gen col capt lt sgt vs e.g i.e al approx
    cf viz esp incl
""")
# These end a sentence only when a word that cannot continue it follows ("5 p.m. The");
# a degree often ends a byline ("Dana Reyes, M.D. She leads the clinic.").
_UNLESS_OPENER = _words("etc a.m p.m u.s u.k u.s.a e.u ph.d m.d d.o r.n n.p d.c b.sc m.sc")
# Month and weekday abbreviations (case-sensitive: "mar." is a word) continue a sentence
# before a number ("Jan. 15", "Fri. 9-5"); a range ("Mon.–Fri.") is read by its last part.
_WEEKDAYS = _words("Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun")
_CALENDAR = _words("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec") | _WEEKDAYS
# Abbreviations that are only abbreviations before a number ("No. 59", "Fig. 2").
_BEFORE_NUMBER = _words("no nos fig figs vol vols p pp eq ref art ch sec ex")
# A single initial ("J. Smith") or a run of them ("J.R.", "U.S.").
_INITIALS_RE = re.compile(r"(?:[A-Z]\.)*[A-Z]\Z")
# Words after which a single capital letter is a name, not an initial ("vitamin D. It").
_LETTER_NAMES = _words(
    "vitamin vitamins hepatitis type group grade stage class phase plan part schedule section "
    "appendix option level tier zone size blood omega"
)
# Sentence openers that cannot be a surname, so "in the U.S. The" still splits.
_OPENERS = _words("""
    A An The This That These Those It Its They Their There Then We Our You Your He She His Her
    I In If On At As For But And Or So Yet Not No Most Many Some Each Every All One Take Ask Talk
    Call Book Learn Read See Try What When Why How Who Where Which While Although However
    """)
_OPENING_PUNCT = "\"'“‘«(["
# How far back `_word_start` looks at C speed before it steps character by character.
_WORD_WINDOW = 48


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Spans [start, end) of the sentences of `text`; no span is empty or padded with spaces."""
    start = len(text) - len(text.lstrip())
    stop = len(text.rstrip())
    if start >= stop:
        return []
    spans: list[tuple[int, int]] = []
    for m in _CANDIDATE_RE.finditer(text, start, stop):
        term_start = m.start(1)
        # Only a single period can belong to an abbreviation; "!", "?" and "..." always end.
        if (
            text[term_start] == "."
            and text[term_start + 1 : term_start + 2] != "."
            and _is_abbreviation(text, term_start, m.end())
        ):
            continue
        if term_start > start:
            spans.append((start, m.end(1)))
            start = m.end()
    if start < stop:
        spans.append((start, stop))
    return spans


def _is_abbreviation(text: str, dot: int, next_start: int) -> bool:
    """Whether the period at `dot` ends an abbreviation, an initial or a list number."""
    word_start = _word_start(text, dot)
    word = text[word_start:dot].lstrip(_OPENING_PUNCT)
    if not word:
        return False
    if word.islower():
        # Most sentences end in a lower-case word; no calendar name, number or initial is one.
        return _is_lower_case_abbreviation(word, text, next_start)
    lower = word.lower()
    if lower in _ABBREVIATIONS:
        return True
    calendar = word if word in _CALENDAR else _range_end(word)
    if calendar in _CALENDAR:
        if text[next_start].isdigit():
            return True
        following = _next_word(text, next_start)
        # "Closed Sun. Open Mon." ends at a weekday; a month ends only before an opener.
        return following in _CALENDAR if calendar in _WEEKDAYS else following not in _OPENERS
    if lower in _UNLESS_OPENER:
        return _next_word(text, next_start) not in _OPENERS
    if lower in _BEFORE_NUMBER:
        return text[next_start].isdigit()
    if word.isdigit():
        # "2. Look Beyond": a list number at the start of the block or of a line.
        return len(word) <= 3 and (word_start == 0 or text[word_start - 1] == "\n" or not text[:word_start].strip())
    if _INITIALS_RE.match(word):
        if _next_word(text, next_start) in _OPENERS:
            return False
        prev_end = word_start
        while prev_end > 0 and text[prev_end - 1].isspace():
            prev_end -= 1
        prev_start = prev_end
        while prev_start > 0 and text[prev_start - 1].isalpha():
            prev_start -= 1
        return text[prev_start:prev_end].lower() not in _LETTER_NAMES
    return False


def _is_lower_case_abbreviation(word: str, text: str, next_start: int) -> bool:
    """`_is_abbreviation` for a word that `str.islower` (the same checks, in the same order)."""
    if word in _ABBREVIATIONS:
        return True
    if word in _UNLESS_OPENER:
        return _next_word(text, next_start) not in _OPENERS
    if word in _BEFORE_NUMBER:
        return text[next_start].isdigit()
    return False


def _word_start(text: str, end: int) -> int:
    """Start of the run of non-blank characters that ends at `end`."""
    if end == 0 or text[end - 1].isspace():
        return end
    # rsplit finds the last blank at C speed; a short window keeps long texts from being copied.
    window = max(end - _WORD_WINDOW, 0)
    word = text[window:end].rsplit(None, 1)[-1]
    if len(word) < end - window or window == 0:
        return end - len(word)
    start = window  # a word longer than the window
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return start


def _range_end(word: str) -> str:
    """The part of "Mon.–Fri" after its last dash or slash ("Fri"); "" when there is none."""
    cut = max(word.rfind("-"), word.rfind("–"), word.rfind("—"), word.rfind("/"))
    return word[cut + 1 :] if cut >= 0 else ""


def _next_word(text: str, start: int) -> str:
    end = start
    while end < len(text) and text[end].isalpha():
        end += 1
    return text[start:end]
