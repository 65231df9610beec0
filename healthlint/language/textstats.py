"""Text statistics for readability formulas: words, syllables, sentences, and the formulas.

The formulas are the published ones, with the constants textstat uses for English:
  Flesch-Kincaid grade (Kincaid et al., 1975): 0.39 * words/sentence + 11.8 * syllables/word - 15.59
  Flesch reading ease (Flesch, 1948):  206.835 - 1.015 * words/sentence - 84.6 * syllables/word
  SMOG grade (McLaughlin, 1969):       1.043 * sqrt(polysyllables * 30 / sentences) + 3.1291
where a polysyllable is a word of three or more syllables.

Syllables are counted by rule, not looked up. textstat 0.7.13 looks English words up in the
CMU Pronouncing Dictionary through NLTK (a 0.2 s import, and a download on first use) and
falls back to Pyphen's hyphenation points, which undercount: "bioavailability" gets 4
syllables, "area" and "idea" 1. The rules below (vowel groups, silent endings, vowel pairs
spoken apart, initialisms spelled out) agree with the CMU dictionary on about 95% of the
words of the project's seeds and stay within 1% of its syllable total, with no data file
to load and nothing to download. Counts are cached per word.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

# A word: letters or digits, with inner apostrophes and hyphens ("don't", "treatment-resistant").
WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*")  # the same on ASCII text, and faster
_ASCII_LOWER = re.compile(r"[a-z]")  # on ASCII text, where str.islower finds a lower-case letter
# Parts of a word that are counted separately: hyphen-joined pieces, letters apart from digits.
_PART_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+")

_VOWEL_GROUP = re.compile(r"[aeiouy]+")
# Vowel pairs spoken as two syllables ("me-di-a", "vi-de-o", "ac-tu-al", "qui-et", "be-ing").
_HIATUS = re.compile(
    r"(?<![cgst])i(?:a|o(?!r))(?![aeiou])"
    r"|iu|ii|(?<![pg])eo(?!u)|(?<![qg])u[ao]|ue(?=nc|nt)"
    r"|(?<![tcs])ie(?=t|nt|nc|st$|r$|rs$)"
    r"|^(?!(?:re|de|pre)a(?:d|ch|l|s))(?!coo|coa|coi|reo)(?:pre|de|re|bi|co)(?=[aeio])|^scie"
    r"|ea$|(?<=cr)ea(?=t)|ea(?=lit|liz|lis)"
    r"|[aeiouy](?=ing$|ings$|ingly$)"
    r"|(?<=[^aeiou])ie(?=r$|st$)"
    r"|(?<![aeiou])ire[ds]?$|(?<![yjfpt])ours?$"
    r"|is(?=ms?$)"
)
_SILENT_E = re.compile(r"(?<=[^aeiouy])e[sd]?$")
_SOUNDED_ENDING = re.compile(r"[^aeiouy]l(?:e|es|ed)$|(?:[cgsxz]|ch|sh)es$|[td]ed$")
_SILENT_GUE = re.compile(r"[gq]ue[sd]?$")
# A silent "e" inside a compound ("some-times", "life-style"): the first part ends in consonant + e.
_COMPOUND_E = re.compile(r"^(?:some|life|home|care|safe|whole|time|where|there|base|side|wide|more|fore|house"
                         r"|note|like|name|hope|love|make|take)(?=[bcdfghjklmnpqrstvwxz])")
_CALLY = re.compile(r"(?<=c)ally$")
# Suffixes counted apart from their stem, so the stem's silent "e" is still seen ("complete-ly").
_SUFFIXES = (("fully", 2), ("ments", 1), ("ment", 1), ("ness", 1), ("less", 1), ("ful", 1), ("ly", 1))
_NOT_LETTER = re.compile(r"[^a-z]")
_VOWELS = frozenset("AEIOU")


@lru_cache(maxsize=65536)
def count_syllables(word: str) -> int:
    """Syllables in one word as a reader would say it; digits count one per number."""
    total = 0
    for part in _PART_RE.findall(word):
        if part.isdigit():
            total += 1
        elif _is_initialism(part):
            total += sum(3 if letter == "W" else 1 for letter in part)
        else:
            total += _english_syllables(part)
    return max(total, 1) if word else 0


def _is_initialism(part: str) -> bool:
    """FDA, SSRI, ADHD are spelled out; AMPA, COVID, NASA are said as words."""
    if not part.isupper() or not 2 <= len(part) <= 5:
        return False
    return len(part) <= 3 or sum(ch in _VOWELS for ch in part) <= 1


def _english_syllables(part: str) -> int:
    lower = part.lower()
    apostrophe_nt = lower.endswith(("n't", "n’t")) and len(lower) > 4 and lower[-4] not in "aeiour"
    word = _NOT_LETTER.sub("", lower)
    if not word:
        return 0
    extra = 1 if apostrophe_nt else 0  # "does-n't", "is-n't"
    for suffix, syllables in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return _stem_syllables(word[: -len(suffix)]) + syllables + extra
    return _stem_syllables(word) + extra


def _stem_syllables(word: str) -> int:
    if len(word) <= 3:
        return 1
    if word[0] == "y":
        word = "j" + word[1:]  # a leading "y" is a consonant ("yes", "young")
    count = len(_VOWEL_GROUP.findall(word))
    if not _SOUNDED_ENDING.search(word) and _SILENT_E.search(word) and count > 1:
        count -= 1
    if _SILENT_GUE.search(word) and count > 1:
        count -= 1
    if _COMPOUND_E.search(word) and count > 1:
        count -= 1
    if _CALLY.search(word):
        count -= 1
    count += len(_HIATUS.findall(word))
    return max(count, 1)


@dataclass(slots=True)
class TextCounts:
    """What the formulas need, summed over sentences."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0
    polysyllables: int = 0

    def add(self, other: TextCounts) -> None:
        self.sentences += other.sentences
        self.words += other.words
        self.syllables += other.syllables
        self.polysyllables += other.polysyllables

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0


def count_sentence(text: str) -> TextCounts:
    """Counts for one sentence of prose; a sentence with no word counts for nothing."""
    words, syllables, polysyllables = block_numbers([text], text.isascii())
    return TextCounts(1, words[0], syllables, polysyllables) if words[0] else TextCounts()


def block_numbers(sentences: list[str], all_ascii: bool = False) -> tuple[list[int], int, int]:
    """How many words each sentence has, and the syllables and polysyllables of them all.

    `all_ascii`: every sentence is ASCII (they come from one ASCII block). Built for speed, as this
    runs on every sentence of every page: the regex runs on each sentence, and everything else on
    the words of all of them at once, in C.
    """
    words = list(map((_ASCII_WORD_RE if all_ascii else WORD_RE).findall, sentences))
    # A sentence with no lower-case letter is shouted: its words are read as ordinary words.
    lowered = list(map(_ASCII_LOWER.search if all_ascii else _has_lowercase, sentences))
    if not all(lowered):
        for index, has_lower in enumerate(lowered):
            if not has_lower:
                words[index] = list(map(str.lower, words[index]))
    everyone = list(chain.from_iterable(words))
    counts = list(map(count_syllables, everyone))  # its cache answers known words in C
    # Syllable counts are whole numbers from 0 up: those of three or more, counted in C.
    polysyllables = len(counts) - counts.count(0) - counts.count(1) - counts.count(2)
    return list(map(len, words)), sum(counts), polysyllables


def _has_lowercase(text: str) -> bool:
    return any(map(str.islower, text))


def flesch_kincaid_grade(counts: TextCounts) -> float:
    if not counts.words:
        return 0.0
    return 0.39 * counts.words_per_sentence + 11.8 * counts.syllables_per_word - 15.59


def flesch_reading_ease(counts: TextCounts) -> float:
    if not counts.words:
        return 0.0
    return 206.835 - 1.015 * counts.words_per_sentence - 84.6 * counts.syllables_per_word


def smog_index(counts: TextCounts) -> float:
    """SMOG grade, scaled to 30 sentences as McLaughlin's formula is; valid only on 30 or more."""
    if not counts.sentences:
        return 0.0
    return 1.043 * math.sqrt(counts.polysyllables * 30 / counts.sentences) + 3.1291
