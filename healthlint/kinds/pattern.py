"""`pattern`: terms and regular expressions, defused by what surrounds them.

YAML keys (besides the common ones):
  terms:       phrases matched as whole words; a space matches any run of spaces or a hyphen
  patterns:    regular expressions (the `regex` package); a named group `flag` narrows the span
  case:        match case exactly (default false)
  scope:       sentence | block — where `requires` and `unless` look (default sentence)
  requires:    regexes; the rule fires only if one matches in the scope
  unless:      regexes; a match anywhere in the scope defuses the finding
  unless_before: regex that, matched against the clause text just before the finding, defuses it
  defused_by:  any of negation, hedge, quotation, attribution, question
Term lists shared by a ruleset's rules are written `{{name}}` inside patterns.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

import regex

from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Block, Document, Sentence
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader
from healthlint.language import defusers

DEFUSERS = ("negation", "hedge", "quotation", "attribution", "question")
TERM_REF = regex.compile(r"\{\{([a-z0-9_-]+)\}\}")


def term_regex(term: str) -> str:
    """A literal phrase as a regex: spaces and hyphens between words are interchangeable."""
    words = regex.split(r"[\s-]+", term.strip())
    return r"[\s-]+".join(regex.escape(word) for word in words)


def alternation(terms: list[str]) -> str:
    return "(?:" + "|".join(term_regex(t) for t in sorted(terms, key=len, reverse=True)) + ")"


def expand_terms(pattern: str, terms: dict[str, list[str]], spec: SpecReader, key: str) -> str:
    def replace(found: regex.Match[str]) -> str:
        name = found.group(1)
        if name not in terms:
            raise spec.fail(key, f"pattern uses unknown term list '{{{{{name}}}}}'")
        return alternation(terms[name])

    return TERM_REF.sub(replace, pattern)


class PatternRule(Rule):
    kind = "pattern"

    def configure(self, spec: SpecReader) -> None:
        self.ignore_case = not spec.flag("case", False)
        flags = regex.IGNORECASE if self.ignore_case else 0
        sources = [rf"(?<![\w-]){alternation(spec.texts('terms'))}(?![\w])"] if spec.texts("terms") else []
        for pattern in spec.texts("patterns"):
            sources.append(expand_terms(pattern, self.terms, spec, "patterns"))
        if not sources:
            raise spec.fail(None, "a pattern rule needs 'terms' or 'patterns'")
        for source in sources:
            spec.compile("patterns", source, flags)  # names the bad one, if any
        self.regex = spec.compile("patterns", "|".join(f"(?:{s})" for s in sources), flags)
        self.scope = spec.text("scope", "sentence", choices=("sentence", "block"))
        self.requires = [spec.compile("requires", expand_terms(p, self.terms, spec, "requires"), flags)
                         for p in spec.texts("requires")]
        self.unless = [spec.compile("unless", expand_terms(p, self.terms, spec, "unless"), flags)
                       for p in spec.texts("unless")]
        before = spec.text("unless_before")
        self.unless_before = None
        if before:
            expanded = expand_terms(before, self.terms, spec, "unless_before")
            self.unless_before = spec.compile("unless_before", f"(?:{expanded})\\s*$", flags)
        self.defused_by = spec.texts("defused_by")
        for name in self.defused_by:
            if name not in DEFUSERS:
                raise spec.fail("defused_by", f"'{name}' is not one of: {', '.join(DEFUSERS)}")

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        for index, block in enumerate(document.blocks):
            text = block.text
            if not text:
                continue
            sentences: list[Sentence] | None = None
            for found in self.regex.finditer(text, timeout=REGEX_TIMEOUT):
                start, end = found.span("flag") if "flag" in found.groupdict() and found.group("flag") else found.span()
                if start == end:
                    continue
                if sentences is None:
                    sentences = document.block_sentences[index]
                lo, hi = _enclosing(sentences, start, end, len(text))
                if self.scope == "block":
                    lo_scope, hi_scope = 0, len(text)
                else:
                    lo_scope, hi_scope = lo, hi
                if self._defused(block, text, start, end, lo, hi, lo_scope, hi_scope):
                    continue
                yield self.diagnostic(document, block, start, end)

    def _defused(self, block: Block, text: str, start: int, end: int, lo: int, hi: int,
                 lo_scope: int, hi_scope: int) -> bool:
        if self.requires and not any(r.search(text, lo_scope, hi_scope) for r in self.requires):
            return True
        if any(u.search(text, lo_scope, hi_scope) for u in self.unless):
            return True
        clause_start, clause_end = defusers.clause_bounds(text, start, end, lo, hi)
        if self.unless_before is not None and self.unless_before.search(text[clause_start:start]):
            return True
        for name in self.defused_by:
            if name == "negation" and defusers.negated(text, clause_start, start, lo):
                return True
            if name == "hedge" and defusers.hedged(text, clause_start, clause_end, start, end):
                return True
            if name == "quotation" and (block.quoted or defusers.quoted(text, lo, start, end)):
                return True
            if name == "attribution" and defusers.attributed(text[lo:hi]):
                return True
            if name == "question" and defusers.question(text[lo:hi]):
                return True
        return False


def _enclosing(sentences: list[Sentence], start: int, end: int, length: int) -> tuple[int, int]:
    """Bounds of the sentence holding a match (a match across sentences gets both)."""
    if not sentences:
        return 0, length
    starts = [s.start for s in sentences]
    first = max(bisect_right(starts, start) - 1, 0)
    last = max(bisect_right(starts, max(end - 1, start)) - 1, first)
    return min(sentences[first].start, start), max(sentences[last].end, end)
