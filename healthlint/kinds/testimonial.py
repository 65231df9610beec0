"""`testimonial`: customer stories and social proof used to sell.

Two ways to find one, both configured from YAML:

* Quotes (`voice` and `outcome` set): a quotation ("…", “…”, «…» or a blockquote) in
  the first person that reports an outcome ("After three infusions my depression was
  gone"); or one in the first person, or reporting an outcome, that is signed the way
  testimonials are ("— Sarah K., Denver") or stands in a testimonial section ("What our
  patients say"). Reported speech ("…," she said) needs both voice and outcome, as
  health articles quote patients describing symptoms. The finding covers the quotation
  and its attribution. Quotes attributed to experts are left to the claims and citation
  rules. Without quotation marks, a first-person outcome counts in a testimonial section
  or when signed ("… I sleep again. — Dana, Austin", or a "— Dana" block right after).
* Phrases (`patterns` set): star ratings and appeals to crowds of happy customers. The
  finding covers the sentence that holds the phrase, since the whole sentence is the
  appeal ("Thousands of happy customers are living proof that it works.").

YAML keys (besides the common ones):
  patterns:         regexes ({{terms}} allowed); each match flags its sentence
  voice:            regexes for first-person voice inside a quotation
  outcome:          regexes for an outcome, result or endorsement inside a quotation
  attribution:      regexes matched right after a quotation: who said it ("— Jenna, mother of three")
  attribution_line: regexes for a short block after a quotation that only names who said it
  expert:           regexes; an attribution that matches one names an expert, not a customer
  sections:         regexes over heading text for headings that open a testimonial section
  min_words:        fewest words in a quotation worth judging (default 3)
Each regex key takes one regex or a list of alternatives. `patterns`, `voice`, `outcome`
and `sections` ignore case (write (?-i:I) where it matters); the attribution keys and
`expert` are case-sensitive, since a capital letter is what marks a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Block, Document
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader
from healthlint.kinds.disclaimer import Screened, prose_of
from healthlint.kinds.pattern import compile_terms_pattern

# A quotation: straight or typographic quotes, at most a long paragraph, no blank line inside.
QUOTATION = regex_store.compile(
    r"“(?P<c>(?:[^”\n]|\n(?!\s*\n)){2,800})”"
    r"|\"(?P<c>(?:[^\"\n]|\n(?!\s*\n)){2,800})\""
    r"|«(?P<c>[^»]{2,800})»"
    r"|„(?P<c>[^“”]{2,800})[“”]"
)
WORD = regex_store.compile(r"\w+")
SIGNATURE_DASHES = "—–~-"
# Where a signature may start: a dash after a space ("… sleep again. — Dana").
DASH = regex_store.compile(r"\s[—–~]|\s--?\s")
MESSAGE_QUOTE_CHARS = 100


_DASH_CHARS = re.compile(r"[—–~-]")
_INLINE_MULTILINE = re.compile(r"\(\?[a-zA-Z-]*[mM]")  # (?m), (?im-s): where ^ may match after a line break


def _dashes(text: str) -> Iterator[regex.Match[str]]:
    """`DASH.finditer(text)`, trying DASH only before a dash: every match is a space, then one."""
    end = 0
    for dash in _DASH_CHARS.finditer(text):
        at = dash.start() - 1
        if at < end:
            continue
        found = DASH.match(text, at)
        if found is not None:
            yield found
            end = found.end()


@dataclass
class Quote:
    """A quotation in a block: outer span (with marks), content span, attribution end."""

    start: int
    end: int
    content: str
    attributed_end: int | None = None  # end of an in-block attribution
    signed: bool = False  # signed the way testimonials are ("— Sarah K."), not reported ("she said")
    expert: bool = False


class TestimonialRule(Rule):
    kind = "testimonial"

    def configure(self, spec: SpecReader) -> None:
        flags = int(regex.IGNORECASE)
        # Phrase patterns run one by one over the whole prose, each screened by its literal words:
        # an alternation of them all is slower than the sum of its parts.
        self.patterns = [Screened(compile_terms_pattern(spec, "patterns", [p], self.terms, flags), p)
                         for p in spec.texts("patterns")]
        self.voice = self._optional(spec, "voice", flags)
        self.outcome = self._optional(spec, "outcome", flags)
        self.attribution = self._optional(spec, "attribution", 0)
        self.attribution_line = self._optional(spec, "attribution_line", 0)
        self.expert = self._optional(spec, "expert", 0)
        self.sections = self._optional(spec, "sections", flags)
        # Headings are matched at their start when every alternative is anchored there (^, not in
        # multi-line mode): the same answer as a search, without trying every later position.
        sections = spec.texts("sections")
        self.sections_anchored = bool(sections) and all(
            source.strip().startswith("^") and not _INLINE_MULTILINE.search(source) for source in sections)
        self.min_words = spec.integer("min_words", 3, minimum=1)
        if not self.patterns and (self.voice is None or self.outcome is None):
            raise spec.fail(None, "a testimonial rule needs 'patterns', or 'voice' and 'outcome'")

    def _optional(self, spec: SpecReader, key: str, flags: int) -> regex.Pattern[str] | None:
        """One regex from a string or a list of alternatives (a list keeps long ones readable)."""
        sources = [s.strip() for s in spec.texts(key)]
        return compile_terms_pattern(spec, key, sources, self.terms, flags) if sources else None

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        if not document.blocks:
            return
        # disclaimers/results-vary reads these findings too: find them once per document. The
        # first caller gets them, later callers copies (the linter sets the severity of its own).
        memo = prose_of(document).memo
        key = ("testimonial", id(self))
        found = memo.get(key)
        if not isinstance(found, list):
            found = [*self._phrases(document), *self._quotes(document)]
            memo[key] = found
            yield from found
            return
        for diagnostic in found:
            yield replace(diagnostic)

    # ---------------------------------------------------------------- phrases
    def _phrases(self, document: Document) -> Iterator[Diagnostic]:
        if not self.patterns:
            return
        prose = prose_of(document)
        found: list[tuple[int, int, int]] = []  # (block index, start, end) in block text
        for pattern in self.patterns:
            for match in pattern.finditer(prose.plain):
                located = prose.locate(match.start(), match.end())
                if located is not None:
                    found.append(located)
        last: tuple[int, int] = (-1, -1)
        for index, start, end in sorted(found):
            block = document.blocks[index]
            if (index, start) < last:
                continue  # one finding per sentence
            lo, hi = document.sentence_bounds(index, start, end)
            last = (index, hi)
            yield self.diagnostic(document, block, lo, hi)

    # ----------------------------------------------------------------- quotes
    def _quotes(self, document: Document) -> Iterator[Diagnostic]:
        if self.voice is None or self.outcome is None:
            return
        section_level = 0  # heading level of the open testimonial section; 0 when none
        blocks = document.blocks
        for index, block in enumerate(blocks):
            if block.kind == "heading":
                if self.sections is not None and (self.sections.match(block.text) if self.sections_anchored
                                                  else self.sections.search(block.text)):
                    section_level = block.level or 1
                    continue
                if section_level and (block.level or 1) <= section_level:
                    section_level = 0
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            span = self._testimonial_in(document, index, block, following, bool(section_level))
            for start, end in span:
                yield self.diagnostic(document, block, start, end, message=self._message(block.text[start:end]))

    def _testimonial_in(self, document: Document, index: int, block: Block, following: Block | None,
                        in_section: bool) -> list[tuple[int, int]]:
        """Spans of the testimonials in one block (block-text offsets)."""
        assert self.voice is not None and self.outcome is not None
        text = block.text
        quotes = self._quotations(block)
        spans: list[tuple[int, int]] = []
        for quote in quotes:
            if quote.expert or len(WORD.findall(quote.content)) < self.min_words:
                continue
            # A testimonial has voice and outcome, or one of them and a signature or section. The
            # outcome regex is the costly one: it decides only when voice and context disagree.
            voice = self.voice.search(quote.content) is not None
            placed = in_section or quote.signed or (not text[quote.end:].strip() and self._names_in(following))
            if not (voice or placed):
                continue
            if (voice and placed) or self.outcome.search(quote.content) is not None:
                spans.append((quote.start, quote.attributed_end or quote.end))
        if quotes:
            return spans
        # No quotation marks: a first-person outcome in a testimonial section, or one signed by a customer.
        signed = in_section or self._names_in(following) or self._signature_at_end(text) is not None
        if not signed or self.voice.search(text) is None:
            return []
        sentences = document.block_sentences[index]
        story = next((s for s in sentences if self.voice.search(s.text) and self.outcome.search(s.text)), None)
        return [(story.start, len(text.rstrip()))] if story is not None else []

    def _quotations(self, block: Block) -> list[Quote]:
        text = block.text
        quotes: list[Quote] = []
        marked = '"' in text or "“" in text or "«" in text or "„" in text
        for found in QUOTATION.finditer(text, timeout=REGEX_TIMEOUT) if marked else ():
            quote = Quote(found.start(), found.end(), found.group("c"))
            self._attribute(quote, text)
            quotes.append(quote)
        if block.quoted and not quotes and text.strip():
            # A blockquote is a quotation even without marks; its last line may sign it.
            signature = self._signature_at_end(text)
            end = signature.start() if signature else len(text.rstrip())
            quote = Quote(0, end, text[:end])
            if signature:
                quote.attributed_end = len(text.rstrip())
                quote.signed = True
                quote.expert = self._names_expert(signature.group())
            quotes.append(quote)
        return quotes

    def _attribute(self, quote: Quote, text: str) -> None:
        if self.attribution is None:
            return
        found = self.attribution.match(text, quote.end)
        if found is None:
            return
        quote.attributed_end = found.end()
        quote.signed = found.group().lstrip()[:1] in SIGNATURE_DASHES
        quote.expert = self._names_expert(found.group())

    def _signature_at_end(self, text: str) -> regex.Match[str] | None:
        """An attribution that closes the block ("… I sleep again. — Dana, Austin")."""
        if self.attribution is None:
            return None
        for found in _dashes(text):
            signature = self.attribution.fullmatch(text, found.start(), len(text.rstrip()))
            if signature is not None:
                return signature
        return None

    def _message(self, matched: str) -> str:
        """The message, quoting the testimonial without its own quotation marks, shortened."""
        shown = " ".join(matched.split()).strip("\"“”«»„ ")
        if len(shown) > MESSAGE_QUOTE_CHARS:
            shown = shown[:MESSAGE_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
        return self.render(self.message, shown) or ""

    def _names_expert(self, attribution: str) -> bool:
        return self.expert is not None and self.expert.search(attribution) is not None

    def _names_in(self, block: Block | None) -> bool:
        """`block` (the one after a quotation) only names who said it: "— Sarah K., Denver"."""
        if block is None or self.attribution_line is None or block.kind == "heading" or len(block.text) > 120:
            return False
        if "," not in block.text and block.text.lstrip()[:1] not in "—–~-":
            return False  # neither "— Name" nor "Name, Place"
        line = block.text.strip()
        return bool(line) and self.attribution_line.fullmatch(line) is not None and not self._names_expert(line)

