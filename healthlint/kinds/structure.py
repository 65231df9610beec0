"""`structure`: defects of the copy itself, read from the shape of the document.

YAML keys (besides the common ones):
  check:        what to look for, one of
                  list-intro       a sentence ending in ":" that introduces a list, with no list after it
                  empty-list-item  a list item with no words
                  empty-section    a heading with nothing under it before the next heading of the
                                   same or a higher rank (Markdown and HTML; plain-text headings are guesses)
                  placeholder      leftover placeholder text ("lorem ipsum", "TODO", "[insert …]", "{{ … }}")
                  repeated-word    a word written twice in a row ("the the")
  patterns:     (placeholder) regexes, case-sensitive unless they say (?i)
  allow:        (repeated-word) words that may stand twice ("had had", "that that")
  label_words:  (list-intro) an introducer of at most this many words is a label ("Hours:",
                "Dosage:") and may be followed by its value (default 2); one that ends in a singular
                noun phrase ("The bottom line:", "Our team has one goal:") leads in to one thing, not a list

Rules never parse markup. Two checks look at the source *between* prose blocks, where
the readers put nothing: whether something that is not prose stands there (an image,
a table, code, an embed — then a colon or heading is answered), and, since readers drop
empty list items, whether a bare list marker or an empty <li> stands there.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, pairwise, repeat
from operator import eq

import regex

from healthlint import regex_store
from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Block, Document
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule, SpecReader
from healthlint.kinds.scan import StartScan

CHECKS = ("list-intro", "empty-list-item", "empty-section", "placeholder", "repeated-word")

# A block whose last sentence ends in a colon (closing quotes or brackets may follow).
_ENDS_WITH_COLON = regex_store.compile(r":[\s\"'”’)\]]*$")
_WORDS = regex_store.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’+-]*")
_HAS_WORD = regex_store.compile(r"[\p{L}\p{N}]")
# An introducer that ends in a word which needs an object ("such as:", "associated with:",
# "include:") promises what follows, however short it is.
_OPEN_ENDING = regex_store.compile(
    r"\b(?:as|with|to|of|for|from|by|like|in|on|about|than|include|includes|including|are|is|be|can"
    r"|will|may|might|could|should|must|following|below|these|those|were)$",
    regex.IGNORECASE,
)
# "a critical point:", "the bottom line:", "one goal:" — a lead-in to one thing, not a list.
_SINGULAR_LEAD_IN = regex_store.compile(
    r"\b(?:a|an|one|the|this|that|our|your|my|his|her|their|its)\s+(?:[\w'’-]+\s+){0,2}?"
    r"[\w'’-]*(?:[^\Ws\d]|ss|us|is)$",
    regex.IGNORECASE,
)
# "Signs your child may benefit from an adjustment:" ends in a singular noun phrase, but one inside a
# prepositional phrase; what it introduces is the plural noun it starts with: a list.
_PREPOSITION_BEFORE = regex_store.compile(
    r"\b(?:of|from|for|to|with|about|in|on|after|before|during|by|at|into|over|under|without|through|per|like)\s+$",
    regex.IGNORECASE,
)
_PLURAL_HEAD = regex_store.compile(
    r"^(?:(?:here|these|there)\s+are\s+)?(?:(?:the|some|a\s+few|common|key|main|top|early|warning|other|more|\d+"
    r"|two|three|four|five|six|seven|eight|nine|ten)\s+){0,2}"
    r"(?!(?:this|his|its|is|was|has|does|us|yes|as|thus|plus|less|perhaps|sometimes|always|unless|across|news)\b)"
    r"\p{L}{2,}(?<!ss|us|is)s\b",
    regex.IGNORECASE,
)
# A paragraph that is a list in all but markup: it starts with a bullet or an item number.
_LIST_LIKE = regex_store.compile(r"^\s*(?:[•◦▪‣●○■□➢➤✓✔✗✘→►▶☐☑·*–—-]|\(?\d{1,3}[.)]|\(?[a-z][.)]\s)", regex.IGNORECASE)
_TERMINAL = regex_store.compile(r"[.!?…][\"'”’)\]]*$")
_SHORT_FRAGMENT_WORDS = 6
_FLAT_ITEM_WORDS = 12
_BULLET_ONLY = regex_store.compile(r"^[\s•◦▪‣●○■□➢➤✓✔*·–—-]+$")
# A line of three or more of one mark ("---", "* * *", "___"): a separator (Markdown's thematic
# break, a flattened <hr>), not an empty bullet, though text and HTML readers keep it as prose.
_SEPARATOR_LINE = regex_store.compile(r"^[ \t]*([-*_=~•·–—])(?:[ \t]*\1){2,}[ \t]*$")

# What may stand between two prose blocks without being content of its own.
_COMMENT = regex_store.compile(r"<!--.*?(?:-->|$)", regex.DOTALL)
_CONTENT_TAG = regex_store.compile(
    r"<(?:img|picture|video|audio|iframe|embed|object|svg|canvas|form|input|button|select|textarea"
    r"|table|pre|code|math|script|noscript|figure|map|dl|a)\b|<[a-z]\w*-[\w-]*",
    regex.IGNORECASE,
)
_TAG = regex_store.compile(r"<[^<>]*>")
_MARKS = regex_store.compile(r"[\s#=*_>+|-]+|&(?:nbsp|#160|#x[aA]0);")
# Closing tags, then opening tags: the seam between two elements, with nothing inside.
_SEAM = regex_store.compile(r"(?:</[^<>]+>)*(?:<(?!/)[^<>]*>)*")

# Empty list items that readers drop: a bare Markdown marker on its own line, an empty <li>.
_EMPTY_MD_ITEM = regex_store.compile(r"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]*(?=\r?\n)")
_EMPTY_HTML_ITEM = regex_store.compile(
    r"<li\b(?![^>]*(?:divider|separator|spacer))[^>]*>"
    r"(?:\s|&nbsp;|&#160;|<br\s*/?>|</?(?:span|strong|em|b|i|p)\b[^>]*>)*</li\s*>",
    regex.IGNORECASE,
)
_CODE_FENCE = regex_store.compile(r"```|~~~|<pre\b|<code\b", regex.IGNORECASE)

_SEPARATOR = "\n\x00\n"  # between blocks joined for one regex pass
_WORD_EDGES = "\"'“”‘’()[]{}.,;:!?…*_<>«»"
_REPEATED_WORD = regex_store.compile(r"\b(\p{L}+)(\s+)(\1)\b", regex.IGNORECASE)


class StructureRule(Rule):
    kind = "structure"

    def configure(self, spec: SpecReader) -> None:
        self.check_name = spec.text("check", required=True, choices=CHECKS)
        self.label_words = spec.integer("label_words", 2, minimum=0)
        patterns = spec.texts("patterns")
        if self.check_name == "placeholder" and not patterns:
            raise spec.fail(None, "a placeholder check needs 'patterns'")
        for pattern in patterns:
            spec.compile("patterns", pattern)  # names the bad one, if any
        # Compiled one by one: each keeps its literal-prefix search, which one alternation loses.
        self.placeholders = [spec.compile("patterns", p) for p in patterns]
        self.placeholder_scans = [StartScan(pattern) for pattern in self.placeholders]
        self.allowed_doubles = frozenset(word.casefold() for word in spec.texts("allow"))

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        if not document.blocks:
            return iter(())
        finder = {
            "list-intro": self._list_intro,
            "empty-list-item": self._empty_list_items,
            "empty-section": self._empty_sections,
            "placeholder": self._placeholders,
            "repeated-word": self._repeated_words,
        }[self.check_name]
        return finder(document)

    # ------------------------------------------------------------------ list-intro

    def _list_intro(self, document: Document) -> Iterator[Diagnostic]:
        blocks = document.blocks
        section_level: int | None = None  # the rank of the heading whose section holds the block
        for index, block in enumerate(blocks):
            if block.kind == "heading":
                section_level = block.level
            if block.kind not in ("paragraph", "list_item") or not _ENDS_WITH_COLON.search(block.text):
                continue
            sentences = document.block_sentences[index]
            start = sentences[-1].start if sentences else 0
            intro = block.text[start:].rstrip()
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            gap_end = following.src_start if following is not None else len(document.source)
            if gap_has_content(document.source, block.src_end, gap_end):
                continue
            if following is not None and (self._lead_in(intro) or _answers(blocks, index + 1, section_level)):
                continue
            end = len(block.text.rstrip())
            message = None
            if following is None:
                message = (self.render(self.message, intro) or "") + " (Nothing follows it: the page ends here.)"
            yield self.diagnostic(document, block, start, end, message=message)

    def _lead_in(self, intro: str) -> bool:
        """A short label or a lead-in to one thing ("Note:", "The bottom line:"), not a list."""
        words = intro.rstrip(":\"'”’)] \t\n").strip()
        if _OPEN_ENDING.search(words):
            return False
        singular = _SINGULAR_LEAD_IN.search(words)
        in_phrase = singular is not None and _PREPOSITION_BEFORE.search(words, 0, singular.start()) is not None
        if in_phrase and _PLURAL_HEAD.match(words):
            singular = None  # "Signs … from an adjustment:" introduces signs
        return len(_WORDS.findall(words)) <= self.label_words or singular is not None

    # ------------------------------------------------------------------ empty-list-item

    def _empty_list_items(self, document: Document) -> Iterator[Diagnostic]:
        blocks = document.blocks
        for block in blocks:
            if ((block.kind == "list_item" and not _HAS_WORD.search(block.text)) or (
                    block.kind in ("paragraph", "heading") and _BULLET_ONLY.match(block.text))) and not (
                    _separator_line(document.source, block.src_start, block.src_end)):
                yield self.diagnostic(document, block, 0, len(block.text))
        if document.format not in ("markdown", "html"):
            return
        finder = _EMPTY_HTML_ITEM if document.format == "html" else _EMPTY_MD_ITEM
        for before, after in pairwise(blocks):
            if "list_item" not in (before.kind, after.kind):
                continue
            start, end = before.src_end, after.src_start
            if end <= start or _CODE_FENCE.search(document.source, start, end):
                continue
            for found in finder.finditer(document.source, start, end):
                if found.group().strip():
                    yield self.diagnostic_at(document, *_trimmed(document.source, *found.span()))

    # ------------------------------------------------------------------ empty-section

    def _empty_sections(self, document: Document) -> Iterator[Diagnostic]:
        if document.format not in ("markdown", "html"):
            return
        blocks = document.blocks
        for index, block in enumerate(blocks):
            if block.kind != "heading":
                continue
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if following is not None and not (following.kind == "heading" and following.level <= block.level):
                continue
            gap_end = following.src_start if following is not None else len(document.source)
            if gap_has_content(document.source, block.src_end, gap_end):
                continue
            yield self.diagnostic(document, block, 0, len(block.text))

    # ------------------------------------------------------------------ placeholder

    def _placeholders(self, document: Document) -> Iterator[Diagnostic]:
        # Each pattern runs once over the whole document (the blocks joined by a separator
        # no match can cross): a regex call with a timeout has a cost of its own.
        texts = [block.text for block in document.blocks]
        starts = list(accumulate((len(text) + len(_SEPARATOR) for text in texts[:-1]), initial=0))
        joined = _SEPARATOR.join(texts)
        found_spans: set[tuple[int, int, int]] = set()
        for scan in self.placeholder_scans:
            for found in scan.finditer(joined, _joined_starts(scan, document, starts), REGEX_TIMEOUT):
                start, end = found.span()
                index = bisect_right(starts, start) - 1
                if start < end <= starts[index] + len(texts[index]):
                    found_spans.add((index, start - starts[index], end - starts[index]))
        for index, start, end in sorted(found_spans):
            yield self.diagnostic(document, document.blocks[index], start, end)

    # ------------------------------------------------------------------ repeated-word

    def _repeated_words(self, document: Document) -> Iterator[Diagnostic]:
        for block in document.blocks:
            if not _may_repeat_a_word(block.text):
                continue
            for found in _REPEATED_WORD.finditer(block.text, timeout=REGEX_TIMEOUT):
                if self._deliberate_double(block, found):
                    continue
                yield self.diagnostic(document, block, found.start(), found.end())

    def _deliberate_double(self, block: Block, found: regex.Match[str]) -> bool:
        first, second = found.group(1), found.group(3)
        if first.casefold() in self.allowed_doubles or "\n\n" in found.group(2):
            return True
        # "Walla Walla", "Mahi Mahi": two capitalised words inside a sentence are a name.
        before = block.text[:found.start()].rstrip()
        sentence_start = not before or before[-1] in ".!?:;\"“(" or "\n" in found.group(2)
        return first[0].isupper() and second[0].isupper() and not sentence_start


def _joined_starts(scan: StartScan, document: Document, starts: list[int]) -> list[int] | None:
    """Where the scan's matches may start in the blocks joined by _SEPARATOR (None: anywhere)."""
    if scan.literals is None or any("\x00" in literal for literal in scan.literals):
        return None  # the index knows the blocks, not the separator between them
    by_block = scan.blocks(document)
    if by_block is None:
        return None
    return [starts[index] + offset for index in sorted(by_block) for offset in by_block[index]]


def _may_repeat_a_word(text: str) -> bool:
    """A cheap test before the regex: two neighbouring words alike once case and punctuation go."""
    words = list(map(str.strip, text.casefold().split(), repeat(_WORD_EDGES)))
    # Neighbours compared in C first; only a page with a pair alike looks whether it is a real word.
    return any(map(eq, words, words[1:])) and any(a == b and a for a, b in pairwise(words))


def _answers(blocks: list[Block], index: int, section_level: int | None = None) -> bool:
    """Whether the blocks from `index` on can be what a colon introduced: a list, a table, a quote, sub-sections...

    `section_level`: the rank of the heading over the lead-in. A heading of that rank or higher starts the
    next section ("## About the author"), so it cannot be what the lead-in promised."""
    block = blocks[index]
    if block.kind == "heading":
        return section_level is None or block.level > section_level
    if block.kind in ("list_item", "table_cell", "caption", "footnote") or block.quoted:
        return True
    text = block.text.strip()
    if _LIST_LIKE.match(text):
        return True
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) >= 2 and sum(1 for line in lines if _list_line(line)) >= len(lines) - 1:
        return True  # lines joined by <br> or hard breaks, each an item
    words = len(_WORDS.findall(text))
    if words <= _SHORT_FRAGMENT_WORDS and not _TERMINAL.search(text):
        return True  # a label's value ("(555) 010-2040") or an item without its bullet
    # Short paragraphs one after another: a list whose bullets were lost, not a dangling lead-in.
    after = blocks[index + 1] if index + 1 < len(blocks) else None
    return (after is not None and after.kind == block.kind
            and all(_flat_item(item.text) for item in (block, after)))


def _flat_item(text: str) -> bool:
    """Short, and neither a lead-in of its own nor the lower-case rest of a broken sentence."""
    text = text.strip()
    return (len(_WORDS.findall(text)) <= _FLAT_ITEM_WORDS and not _ENDS_WITH_COLON.search(text)
            and not text[:1].islower())


def _list_line(line: str) -> bool:
    return bool(_LIST_LIKE.match(line)) or (len(_WORDS.findall(line)) <= 8 and not _TERMINAL.search(line))


def gap_has_content(source: str, start: int, end: int) -> bool:
    """Whether the source between two prose blocks holds something other than markup seams.

    An image, a table, code, an embed or a URL the reader dropped counts as content;
    whitespace, comments, list and heading marks and closing/opening tags do not.
    """
    if end <= start:
        return False
    gap = source[start:end]
    if "<!--" in gap:
        gap = _COMMENT.sub("", gap)
    if not gap.strip():
        return False
    if _CONTENT_TAG.search(gap):
        return True
    if _MARKS.sub("", _TAG.sub(" ", gap)):
        return True  # text the reader left out of prose: a dropped URL, a code span...
    return _SEAM.fullmatch("".join(_TAG.findall(gap))) is None


def _trimmed(source: str, start: int, end: int) -> tuple[int, int]:
    while start < end and source[start].isspace():
        start += 1
    while end > start and source[end - 1].isspace():
        end -= 1
    return start, end


def _separator_line(source: str, start: int, end: int) -> bool:
    """Whether the source line(s) holding [start, end), marker included, are a separator line."""
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", end)
    line = source[line_start:line_end if line_end != -1 else len(source)].rstrip("\r")
    if _SEPARATOR_LINE.match(line):
        return True
    # HTML: the separator is the element's text, e.g. <p>---</p>.
    return _SEPARATOR_LINE.match(source[start:end]) is not None
