"""`substitution`: words with a plainer alternative, each finding suggesting it (Vale's kind).

YAML keys (besides the common ones):
  swap:       mapping of term -> replacement. A term is a phrase matched as whole words
              (a space matches any run of spaces or a hyphen); list each inflection you
              mean ("administer", "administered"). The replacement becomes the finding's
              suggestion, in the case of the match ("Utilize" -> "Use"), and fills
              `{replacement}` in the message.
  case:       match case exactly (default false)
  explained:  quiet when the replacement already stands in the same sentence, as in
              "hypertension (high blood pressure)" (default true)
All terms compile into one regular expression; a match finds its replacement by its
normalised text (lower case, single spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Document
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader
from healthlint.kinds.scan import StartScan

_SEPARATORS = re.compile(r"[\s-]+")


def normalise(term: str) -> str:
    return _SEPARATORS.sub(" ", term.strip()).lower()


def alternation(terms: list[str]) -> str:
    """Literal phrases as one regex, longest first; spaces and hyphens between words interchange."""
    def phrase(term: str) -> str:
        return r"[\s-]+".join(regex.escape(word) for word in _SEPARATORS.split(term.strip()))

    return "(?:" + "|".join(phrase(t) for t in sorted(terms, key=len, reverse=True)) + ")"


class SubstitutionRule(Rule):
    kind = "substitution"

    def configure(self, spec: SpecReader) -> None:
        swap = spec.mapping("swap")
        if not swap:
            raise spec.fail(None, "a substitution rule needs 'swap' (term: replacement)")
        self.replacements: dict[str, str] = {}
        for term, replacement in swap.items():
            if not isinstance(replacement, str) or not replacement.strip() or not str(term).strip():
                raise spec.fail("swap", f"'{term}' needs a replacement text")
            key = normalise(str(term))
            if key in self.replacements:
                raise spec.fail("swap", f"'{term}' is listed twice")
            self.replacements[key] = replacement.strip()
        self.case = spec.flag("case", False)
        flags = 0 if self.case else regex.IGNORECASE
        source = rf"(?<![\w-]){alternation([str(term) for term in swap])}(?!\w)"
        self.regex = spec.compile("swap", source, flags)
        self.scan = StartScan(self.regex)
        self.explained = spec.flag("explained", True)

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        for index, found in self.scan.block_matches(document, REGEX_TIMEOUT):
            block = document.blocks[index]
            matched = found.group()
            replacement = self.replacements.get(normalise(matched))
            if replacement is None:  # cannot happen with literal terms; kept as a guard
                continue
            if self.explained and _explained(document, index, found.start(), found.end(), replacement):
                continue
            suggestion = match_case(replacement, matched)
            message = (self.render(self.message, matched) or "").replace("{replacement}", replacement)
            yield self.diagnostic(document, block, found.start(), found.end(),
                                  message=message, suggestion=suggestion)


def _explained(document: Document, index: int, start: int, end: int, replacement: str) -> bool:
    """Whether the plain words already stand in the sentence that holds the match."""
    text, sentences = document.blocks[index].text, document.block_sentences[index]
    lo, hi = 0, len(text)
    if sentences:
        sentence = sentences[document.sentence_at(index, start)]
        lo, hi = sentence.start, max(sentence.end, end)
    plain = re.compile(rf"(?<!\w){re.escape(normalise(replacement))}(?!\w)")
    return plain.search(normalise(text[lo:start] + " " + text[end:hi])) is not None


def match_case(replacement: str, matched: str) -> str:
    """The replacement written in the case of the text it replaces."""
    if len(matched) > 1 and matched.isupper():
        return replacement.upper()
    if matched[:1].isupper() and not replacement[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
