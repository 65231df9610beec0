"""`pattern`: terms and regular expressions, defused by what surrounds them.

YAML keys (besides the common ones):
  terms:       phrases matched as whole words; a space matches any run of spaces or a hyphen
  patterns:    regular expressions (the `regex` package); a named group `flag` narrows the span
  case:        match case exactly (default false)
  scope:       sentence | block — where `requires` and `unless` look (default sentence)
  requires:    regexes; the rule fires only if one matches in the scope
  unless:      regexes; a match anywhere in the scope defuses the finding
  unless_before: regex that, matched against the clause text just before the finding, defuses it
  defused_by:  any of negation, hedge, quotation, attribution, question, refutation
Term lists shared by a ruleset's rules are written `{{name}}` inside patterns.
"""

from __future__ import annotations

from collections.abc import Iterator

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Document
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader, bounded
from healthlint.kinds.scan import StartScan
from healthlint.language.defusers import DEFUSER_NAMES, Defusal

DEFUSERS = DEFUSER_NAMES
TERM_REF = regex_store.compile(r"\{\{([a-z0-9_]+)\}\}")
# Separators a multi-word term may have in copy: "side effects", "side-effects". Line breaks
# are matched as spaces because rules scan the text with newlines blanked (same offsets).
TERM_SEPARATORS = (" ", "-")
MAX_VARIANT_SEPARATORS = 3
# What may not survive being one alternative among others: back-references, named groups,
# conditionals, and inline flags that apply to the whole pattern.
_JOIN_UNSAFE = regex_store.compile(r"\\(?:[1-9]|g<)|\(\?(?:P=|\(|[a-zA-Z-]+\)|P?<(?![=!]))")


def term_regex(term: str) -> str:
    """A literal phrase as a regex: spaces and hyphens between words are interchangeable."""
    words = regex.split(r"[\s-]+", term.strip())
    return r"[\s-]+".join(regex.escape(word) for word in words)


def alternation(terms: list[str]) -> str:
    return "(?:" + "|".join(term_regex(t) for t in sorted(terms, key=len, reverse=True)) + ")"


def term_variants(terms: list[str]) -> list[str]:
    """Every spelling of each term with its word separators varied, for a `regex` named list.

    Named lists (`\\L<name>`) compile to a set lookup, ten times faster to build than an
    alternation of hundreds of phrases, and start-up time is what a pre-commit hook feels.
    """
    out: set[str] = set()
    for term in terms:
        words = regex.split(r"[\s-]+", term.strip())
        if len(words) - 1 > MAX_VARIANT_SEPARATORS:
            out.add(" ".join(words))
            continue
        spellings = [words[0]]
        for word in words[1:]:
            spellings = [f"{s}{sep}{word}" for s in spellings for sep in TERM_SEPARATORS]
        out.update(spellings)
    return sorted(out)


def with_term_lists(pattern: str, terms: dict[str, list[str]], spec: SpecReader, key: str) -> tuple[str, set[str]]:
    """Replace `{{name}}` by a named-list reference; returns the pattern and the names it uses."""
    used: set[str] = set()

    def replace(found: regex.Match[str]) -> str:
        name = found.group(1)
        if name not in terms:
            raise spec.fail(key, f"pattern uses unknown term list '{{{{{name}}}}}'")
        used.add(name)
        return rf"\L<{name}>"

    return TERM_REF.sub(replace, pattern), used


def compile_terms_pattern(spec: SpecReader, key: str, patterns: list[str], terms: dict[str, list[str]],
                          flags: int) -> regex.Pattern[str]:
    """One compiled regex for the alternatives in `patterns`, term lists bound as named lists."""
    sources: list[str] = []
    used: set[str] = set()
    for pattern in patterns:
        source, names = with_term_lists(pattern, terms, spec, key)
        sources.append(source)
        used |= names
    lists = {name: term_variants(terms[name]) for name in used}
    combined = sources[0] if len(sources) == 1 else "|".join(f"(?:{s})" for s in sources)
    try:
        return bounded(regex_store.compile(combined, flags, **lists))  # ruleset patterns run time-limited
    except regex.error:
        for source in sources:  # name the alternative that is wrong
            spec.compile(key, source, flags, **lists)
        raise


def read_defusal(spec: SpecReader, terms: dict[str, list[str]], flags: int, allowed: tuple[str, ...]) -> Defusal:
    """The `unless`, `unless_before` and `defused_by` keys, as the claim kinds share them."""
    sources = spec.texts("unless")
    if len(sources) > 1 and not any(_JOIN_UNSAFE.search(source) for source in sources):
        # One search for the whole list: whether any of them matches is whether their alternation does.
        unless: tuple[regex.Pattern[str], ...] = (compile_terms_pattern(spec, "unless", sources, terms, flags),)
    else:
        unless = tuple(compile_terms_pattern(spec, "unless", [p], terms, flags) for p in sources)
    before = spec.text("unless_before")
    unless_before = (compile_terms_pattern(spec, "unless_before", [f"(?:{before})\\s*$"], terms, flags)
                     if before else None)
    defused_by = tuple(spec.texts("defused_by"))
    for name in defused_by:
        if name not in allowed:
            raise spec.fail("defused_by", f"'{name}' is not one of: {', '.join(allowed)}")
    return Defusal(unless, unless_before, defused_by)


class PatternRule(Rule):
    kind = "pattern"

    def configure(self, spec: SpecReader) -> None:
        self.ignore_case = not spec.flag("case", False)
        flags = int(regex.IGNORECASE) if self.ignore_case else 0  # a plain int compiles faster than the enum
        terms = dict(self.terms)
        patterns = spec.texts("patterns")
        if spec.texts("terms"):
            terms["rule_terms"] = spec.texts("terms")
            patterns = [r"(?<![\w-]){{rule_terms}}(?!\w)", *patterns]
        if not patterns:
            raise spec.fail(None, "a pattern rule needs 'terms' or 'patterns'")
        self.regex = compile_terms_pattern(spec, "patterns", patterns, terms, flags)
        self.scan = StartScan(self.regex)
        self.scope = spec.text("scope", "sentence", choices=("sentence", "block"))
        self.requires = [compile_terms_pattern(spec, "requires", [p], terms, flags) for p in spec.texts("requires")]
        self.defusal = read_defusal(spec, terms, flags, DEFUSERS)

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        for index, found in self.scan.block_matches(document, REGEX_TIMEOUT, blank_newlines=True):
            block = document.blocks[index]
            text = block.text
            start, end = found.span("flag") if "flag" in found.groupdict() and found.group("flag") else found.span()
            if start == end:
                continue
            lo, hi = document.sentence_bounds(index, start, end)
            if self.scope == "block":
                lo_scope, hi_scope = 0, len(text)
            else:
                lo_scope, hi_scope = lo, hi
            if self.requires and not any(r.search(text, lo_scope, hi_scope) for r in self.requires):
                continue
            if self.defusal.defuses(text, start, end, lo, hi, in_quote=block.quoted, scope=(lo_scope, hi_scope)):
                continue
            yield self.diagnostic(document, block, start, end)

