"""`readability`: how hard the prose is to read for the audience the copy is written for.

One kind, four measures (rulesets/readability.yaml has one rule for each):
  grade             the document's Flesch-Kincaid grade, SMOG grade and Flesch reading ease
  paragraph-grade   a paragraph whose own Flesch-Kincaid grade is above the target (+ margin)
  sentence-length   a sentence with more words than the limit
  paragraph-length  a paragraph with more words than the limit

YAML keys (besides the common ones):
  measure:         one of the four above (required)
  limits:          mapping audience -> limit: a grade for the grade measures, words for the
                   length measures (required; e.g. {patients: 8, general: 10, professionals: 14})
  audience:        the audience when neither config nor front matter names one (default patients)
  margin:          grades a paragraph may exceed the target by before it is flagged (default 0)
  min_words:       fewest words a grade is computed on (default 100; paragraph-grade 30)
  min_sentences:   fewest sentences a grade is computed on (default 5; paragraph-grade 1)
  smog_sentences:  fewest sentences before SMOG is reported and judged (default 30: SMOG was
                   normed on 30-sentence samples, so a short page is never failed on it)
  smog_margin:     grades SMOG may exceed the target by (default 0); SMOG predicts full
                   comprehension and so runs about two grades above Flesch-Kincaid
  hard_pages_only: paragraph-grade: look only on pages whose own Flesch-Kincaid grade is
                   above the target (default false); on a page that reads well, one dense
                   paragraph is normal

The audience is the document's front matter `audience:` if the limits know it, else the
config's `options.audience`, else the rule's `audience`. Messages may use {grade}, {fk},
{smog}, {fre}, {target}, {audience}, {words}, {sentences}, {limit} and {hard_words}.

What counts as prose for the formulas: paragraphs, and list items that read as sentences
(ending in . ! or ? with at least `LIST_SENTENCE_WORDS` words, or long ones). Headings,
table cells, footnotes, captions, short list items, one-sentence paragraphs with no end
punctuation (titles, bylines, taglines, menus) and anything under a "Sources" or
"References" heading are not sentences and would only distort the averages. Citations in parentheses ("(Smith et al.,
2020)") and bracketed markers ("[2]") are not counted as words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress
from operator import attrgetter

from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Block, Document, Sentence
from healthlint.errors import ConfigError
from healthlint.kinds.base import LintContext, Rule, SpecReader
from healthlint.language.textstats import (
    TextCounts,
    block_numbers,
    count_syllables,
    flesch_kincaid_grade,
    flesch_reading_ease,
    smog_index,
)

MEASURES = ("grade", "paragraph-grade", "sentence-length", "paragraph-length")
LIST_SENTENCE_WORDS = 6  # a punctuated list item this long reads as a sentence
LONG_ITEM_WORDS = 15  # an unpunctuated list item this long is prose too
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]*_]*\s*\Z")
_CLAUSE_END = re.compile(r"[.!?…:;][\"'”’»)\]*_]*\s*\Z")
# Citations and reference markers are read past, not read: "(Smith et al., 2020)", "[2]".
_CITATION = re.compile(r"\s?\((?=[^()]*(?:\bet al\b|\b(?:19|20)\d\d[a-z]?\b|\bdoi\b))[^()]*\)|\[\d+(?:[,–-]\d+)*\]")
_REFERENCE_HEADING = re.compile(
    r"^\s*(?:sources?|references?|bibliography|citations?|works cited|further reading|footnotes|notes)\s*:?\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SIMPLE_WORD = re.compile(r"[^\W\d_]+")  # hyphenated compounds count part by part
_ASCII_LETTERS_ONLY = bytes(code if 65 <= code <= 90 or 97 <= code <= 122 else 32 for code in range(256))
_TEXT = attrgetter("text")
_HARDNESS = attrgetter("hardness")
HARDEST_MIN_WORDS = 20  # a shorter block is not named as a page's hardest


@dataclass(slots=True)
class ProseBlock:
    index: int
    block: Block
    sentences: list[Sentence]  # the block's sentences that have words
    words: list[int]  # how many each has
    counts: TextCounts = field(default_factory=TextCounts)
    grade: float = 0.0  # its Flesch-Kincaid grade
    hardness: float = -99.0  # the same, for blocks long enough to name the hardest of a page


@dataclass(slots=True)
class Prose:
    """The document's sentences that the formulas see, grouped by block."""

    blocks: list[ProseBlock]
    counts: TextCounts
    hard: dict[int, str] = field(default_factory=dict)  # block index -> its hard words, as a message says them

    def hard_words(self, item: ProseBlock) -> str:
        """`hard_words` of a block, joined; the grade rules of a page ask for the same blocks."""
        found = self.hard.get(item.index)
        if found is None:
            found = self.hard[item.index] = ", ".join(hard_words(item.block.text))
        return found


def prose_of(document: Document) -> Prose:
    """The prose model of a document, built once and shared by the four rules."""
    prose = document.memo.get("readability.prose")
    if prose is None:
        prose = document.memo["readability.prose"] = _build_prose(document)
    return prose  # type: ignore[no-any-return]


def _build_prose(document: Document) -> Prose:
    blocks: list[ProseBlock] = []
    total = TextCounts()
    in_references = False
    for index, block in enumerate(document.blocks):
        if block.kind == "heading":
            in_references = bool(_REFERENCE_HEADING.match(block.text))
            continue
        block_sentences = document.block_sentences[index]
        if in_references or not _reads_as_prose(block, len(block_sentences)):
            continue
        texts = list(map(_TEXT, block_sentences))
        # Every citation holds a parenthesis or a bracket: most blocks need no substitution.
        if "(" in block.text or "[" in block.text:
            texts = [_CITATION.sub("", text) if "(" in text or "[" in text else text for text in texts]
        words, syllables, polysyllables = block_numbers(texts, block.text.isascii())
        if any(words):
            sentences = list(compress(block_sentences, words))
            words = list(filter(None, words))
            counts = TextCounts(len(words), sum(words), syllables, polysyllables)
            grade = flesch_kincaid_grade(counts)
            blocks.append(ProseBlock(index, block, sentences, words, counts, grade,
                                     grade if counts.words >= HARDEST_MIN_WORDS else -99.0))
            total.add(counts)
    return Prose(blocks, total)


def _reads_as_prose(block: Block, sentences: int) -> bool:
    if block.kind == "paragraph":
        # An unpunctuated one-line paragraph is a title, byline, tagline or menu, not a sentence.
        return _CLAUSE_END.search(block.text) is not None or sentences >= 2
    if block.kind == "list_item":
        words = _word_count(block.text)
        punctuated = _SENTENCE_END.search(block.text) is not None
        return words >= LONG_ITEM_WORDS or (words >= LIST_SENTENCE_WORDS and punctuated)
    return False  # headings, table cells, footnotes and captions are not sentences


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def hard_words(text: str, limit: int = 3) -> list[str]:
    """The longest words (four syllables or more) of a text, each once, as first written, for a message."""
    if text.isascii():  # runs of letters, as the regex finds them, split off in C
        words = text.encode("ascii").translate(_ASCII_LETTERS_ONLY).decode("ascii").split()
    else:
        words = _SIMPLE_WORD.findall(text)
    first: dict[str, str] = {}  # each word's first spelling, in the order the words first appear
    for key, word in zip(map(str.lower, words), words, strict=True):
        if key not in first:
            first[key] = word
    # A word of three letters or fewer has one syllable, unless it is spelled out ("WHO"): not counted.
    ranked = [(count, word) for word in first.values()
              if (len(word) > 3 or word.isupper()) and (count := count_syllables(word)) >= 4]
    ranked.sort(key=_hardest_first)
    return [word for _, word in ranked[:limit]]


def _hardest_first(item: tuple[int, str]) -> tuple[int, int]:
    return -item[0], -len(item[1])


class ReadabilityRule(Rule):
    kind = "readability"

    def configure(self, spec: SpecReader) -> None:
        self.measure: str = spec.text("measure", required=True, choices=MEASURES)
        self.limits = self._read_limits(spec)
        self.default_audience: str = spec.text("audience", "patients")
        if self.default_audience not in self.limits:
            raise spec.fail("audience", f"'{self.default_audience}' has no entry in 'limits'")
        paragraph = self.measure == "paragraph-grade"
        self.margin = spec.number("margin", 0.0, minimum=0)
        self.min_words = spec.integer("min_words", 30 if paragraph else 100, minimum=1)
        self.min_sentences = spec.integer("min_sentences", 1 if paragraph else 5, minimum=1)
        self.smog_sentences = spec.integer("smog_sentences", 30, minimum=1)
        self.smog_margin = spec.number("smog_margin", 0.0, minimum=0)
        self.hard_pages_only = spec.flag("hard_pages_only", False)

    def _read_limits(self, spec: SpecReader) -> dict[str, float]:
        limits = spec.mapping("limits")
        if not limits:
            raise spec.fail(None, "a readability rule needs 'limits' (audience: grade or word count)")
        out: dict[str, float] = {}
        for audience, value in limits.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise spec.fail("limits", f"limit for '{audience}' must be a positive number")
            out[str(audience)] = float(value)
        return out

    def audience(self, document: Document, context: LintContext) -> str:
        from_page = document.front_matter_data.get("audience")
        if isinstance(from_page, str) and from_page in self.limits:
            return from_page
        configured = context.options.get("audience")
        if configured is None:
            return self.default_audience
        if not isinstance(configured, str) or configured not in self.limits:
            raise ConfigError(f"options.audience: {configured!r} is not one of: {', '.join(self.limits)} "
                              f"(rule {self.id})")
        return configured

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        if not document.blocks:
            return
        audience = self.audience(document, context)
        limit = self.limits[audience]
        prose = prose_of(document)
        if self.measure == "grade":
            yield from self._document_grade(document, prose, audience, limit)
        elif self.measure == "paragraph-grade":
            yield from self._paragraph_grades(document, prose, audience, limit)
        elif self.measure == "sentence-length":
            yield from self._long_sentences(document, prose, audience, limit)
        else:
            yield from self._long_paragraphs(document, prose, audience, limit)

    def _enough(self, counts: TextCounts) -> bool:
        return counts.words >= self.min_words and counts.sentences >= self.min_sentences

    def _document_grade(self, document: Document, prose: Prose, audience: str,
                        target: float) -> Iterator[Diagnostic]:
        counts = prose.counts
        if not self._enough(counts):
            return
        fk = flesch_kincaid_grade(counts)
        smog = smog_index(counts) if counts.sentences >= self.smog_sentences else None
        if fk <= target + self.margin and (smog is None or smog <= target + self.smog_margin):
            return
        metrics = {
            "flesch_kincaid_grade": round(fk, 1),
            "flesch_reading_ease": round(flesch_reading_ease(counts), 1),
            "target_grade": target,
            "sentences": counts.sentences,
            "words": counts.words,
            "syllables": counts.syllables,
            "polysyllables": counts.polysyllables,
        }
        if smog is not None:
            metrics["smog_index"] = round(smog, 1)
        hardest = max(prose.blocks, key=_HARDNESS)
        values = {
            "grade": f"{fk if fk > target + self.margin or smog is None else smog:.1f}",
            "fk": f"{fk:.1f}",
            "smog": f"{smog:.1f}" if smog is not None else f"not computed (fewer than {self.smog_sentences} sentences)",
            "fre": f"{metrics['flesch_reading_ease']:.1f}",
            "target": _number(target),
            "audience": audience,
            "words": str(counts.words),
            "sentences": str(counts.sentences),
            "limit": _number(target),
            "hard_words": prose.hard_words(hardest) or "none",
        }
        title = _title_block(document)
        yield self.diagnostic(document, title, 0, len(title.text), message=_fill(self.message, values),
                              metrics=metrics)

    def _paragraph_grades(self, document: Document, prose: Prose, audience: str,
                          target: float) -> Iterator[Diagnostic]:
        if self.hard_pages_only and flesch_kincaid_grade(prose.counts) <= target:
            return
        for item in prose.blocks:
            if not self._enough(item.counts):
                continue
            fk = item.grade
            if fk <= target + self.margin:
                continue
            values = {"grade": f"{fk:.1f}", "fk": f"{fk:.1f}", "target": _number(target), "audience": audience,
                      "words": str(item.counts.words), "sentences": str(item.counts.sentences),
                      "limit": _number(target + self.margin),
                      "hard_words": prose.hard_words(item) or "long sentences"}
            metrics = {"flesch_kincaid_grade": round(fk, 1), "target_grade": target,
                       "words": item.counts.words, "sentences": item.counts.sentences}
            yield self.diagnostic(document, item.block, 0, len(item.block.text),
                                  message=_fill(self.message, values), metrics=metrics)

    def _long_sentences(self, document: Document, prose: Prose, audience: str,
                        limit: float) -> Iterator[Diagnostic]:
        for item in prose.blocks:
            if max(item.words) <= limit:
                continue
            for sentence, words in zip(item.sentences, item.words, strict=True):
                if words <= limit:
                    continue
                values = {"words": str(words), "limit": _number(limit), "audience": audience}
                yield self.diagnostic(document, item.block, sentence.start, sentence.end,
                                      message=_fill(self.message, values),
                                      metrics={"words": words, "limit": limit})

    def _long_paragraphs(self, document: Document, prose: Prose, audience: str,
                         limit: float) -> Iterator[Diagnostic]:
        for item in prose.blocks:
            words = item.counts.words
            if item.block.kind != "paragraph" or words <= limit:
                continue
            values = {"words": str(words), "sentences": str(item.counts.sentences), "limit": _number(limit),
                      "audience": audience}
            yield self.diagnostic(document, item.block, 0, len(item.block.text),
                                  message=_fill(self.message, values),
                                  metrics={"words": words, "sentences": item.counts.sentences, "limit": limit})


def _title_block(document: Document) -> Block:
    """Where a document-level finding sits: the first level-1 heading, else the first block."""
    for block in document.blocks:
        if block.kind == "heading" and block.level == 1:
            return block
    return document.blocks[0]


_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _fill(template: str, values: dict[str, str]) -> str:
    """The message with {name} placeholders filled; unknown names are left as written."""
    parts = list(_template_parts(template))
    for at in range(1, len(parts), 2):  # text, name, text, name, ..., text
        parts[at] = values.get(parts[at], "{" + parts[at] + "}")
    return " ".join("".join(parts).split())


@lru_cache(maxsize=64)
def _template_parts(template: str) -> tuple[str, ...]:
    return tuple(_PLACEHOLDER.split(template))


def _number(value: float) -> str:
    return f"{value:g}"
