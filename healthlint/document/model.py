"""The document model: prose blocks of a file with an exact map back to the source.

Readers (one module per format) turn a file into a `Document`. Rules only ever see
`Block.text`; every position they report is translated back to the original file
through the block's `SourceMap`, so markup, entities and indentation never shift
a column.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

_LINE_BREAK = re.compile(r"\r\n?|\n")


class SourceMap:
    """Maps offsets in a block's prose text to code-point offsets in the source file.

    The map is a list of segments. A *verbatim* segment copies source text one to
    one; an *atomic* segment stands for a source span that became different text
    (an HTML entity, a joined line break), so all its characters map to the whole span.
    """

    __slots__ = ("_length", "_src_ends", "_src_starts", "_text_starts")

    def __init__(self) -> None:
        self._text_starts: list[int] = []
        self._src_starts: list[int] = []
        # -1 marks a verbatim segment; otherwise the exclusive source end of an atomic one.
        self._src_ends: list[int] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def add_verbatim(self, length: int, src_start: int) -> None:
        if length <= 0:
            return
        if self._src_ends and self._src_ends[-1] == -1:
            # Extend the previous verbatim segment when both sides are contiguous.
            last = len(self._text_starts) - 1
            if self._src_starts[last] + (self._length - self._text_starts[last]) == src_start:
                self._length += length
                return
        self._text_starts.append(self._length)
        self._src_starts.append(src_start)
        self._src_ends.append(-1)
        self._length += length

    def add_atomic(self, length: int, src_start: int, src_end: int) -> None:
        if length <= 0:
            return
        self._text_starts.append(self._length)
        self._src_starts.append(src_start)
        self._src_ends.append(src_end)
        self._length += length

    def _segment(self, index: int) -> int:
        return max(bisect_right(self._text_starts, index) - 1, 0)

    # start() and end() run for every finding and sentence bound: they clamp and look the
    # segment up inline, and skip the bisection for the usual one-segment map.

    def start(self, index: int) -> int:
        """Source offset of the character at text `index`."""
        text_starts = self._text_starts
        if not text_starts:
            return 0
        if index < 0:
            index = 0
        elif index >= self._length:
            index = max(self._length - 1, 0)
        k = 0 if len(text_starts) == 1 else max(bisect_right(text_starts, index) - 1, 0)
        if self._src_ends[k] == -1:
            return self._src_starts[k] + index - text_starts[k]
        return self._src_starts[k]

    def end(self, index: int) -> int:
        """Exclusive source offset just after text character `index - 1`."""
        text_starts = self._text_starts
        if not text_starts:
            return 0
        last = index - 1
        if last < 0:
            last = 0
        elif last >= self._length:
            last = max(self._length - 1, 0)
        k = 0 if len(text_starts) == 1 else max(bisect_right(text_starts, last) - 1, 0)
        src_end = self._src_ends[k]
        if src_end == -1:
            return self._src_starts[k] + last - text_starts[k] + 1
        return src_end

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span (start, exclusive end) of the text span [start, end).

        An empty span stands before the character at `start`; at (or past) the end of the
        text it stands just after the last character, where the block ends in the source.
        """
        if end <= start:
            pos = self.end(self._length) if start >= self._length > 0 else self.start(start)
            return pos, pos
        return self.start(start), self.end(end)

    def is_atomic(self, index: int) -> bool:
        """True when text `index` comes from an atomic segment (entity, joined break...)."""
        if not self._text_starts or not 0 <= index < self._length:
            return False
        return self._src_ends[self._segment(index)] != -1

    def segments(self) -> Iterator[tuple[int, int, int, int]]:
        """(text_start, text_end, src_start, src_end) of each segment; src_end is -1 for verbatim ones."""
        ends = [*self._text_starts[1:], self._length]
        return zip(self._text_starts, ends, self._src_starts, self._src_ends, strict=True)


class BlockBuilder:
    """Accumulates a block's text and its source map as a reader walks the source."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.map = SourceMap()

    def __len__(self) -> int:
        return len(self.map)

    def verbatim(self, text: str, src_start: int) -> None:
        """Text that appears in the source exactly as given, starting at `src_start`."""
        self.parts.append(text)
        self.map.add_verbatim(len(text), src_start)

    def atomic(self, text: str, src_start: int, src_end: int) -> None:
        """Text that stands for the source span [src_start, src_end) as a whole."""
        self.parts.append(text)
        self.map.add_atomic(len(text), src_start, src_end)

    def text(self) -> str:
        return "".join(self.parts)


@dataclass(slots=True)
class Link:
    """A hyperlink kept as data: rules read it as evidence, never as prose.

    `start`/`end` are offsets in the text of the block that holds the link (its visible
    text; start == end when it has none, as for a bare URL). A link that no block's text
    holds has start == end == -1 and is found only in `Document.links` (and in
    `Document.loose_links` when its paragraph had no prose left: a URL-only or image-only
    paragraph, an `<a>` around an image; in `Document.marker_links` when it is a reference
    marker's link, as in `<sup><a href="...">2</a></sup>`).
    """

    url: str
    text: str
    start: int  # offsets in the block text; -1 when no block holds the link
    end: int
    src_start: int  # offsets of the whole link construct in the source file
    src_end: int


@dataclass(slots=True)
class Marker:
    """A reference marker in prose: a footnote reference such as [^1] or <sup>2</sup>."""

    label: str
    start: int  # offsets in the block text where the marker stands (may be empty)
    end: int
    src_start: int
    src_end: int


BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_cell", "footnote", "caption")


@dataclass(slots=True)
class Block:
    """One unit of prose: a heading, paragraph, list item, table cell or footnote."""

    kind: str
    text: str
    map: SourceMap
    level: int = 0  # heading level (1-6); 0 for other kinds
    quoted: bool = False  # inside a blockquote
    list_depth: int = 0  # nesting depth of the list holding it (0 when not in a list)
    label: str = ""  # footnote label, for kind == "footnote"
    links: list[Link] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.map.span(start, end)

    @property
    def link_only(self) -> bool:
        """Navigation rather than copy: (almost) every letter of the block is inside a link.

        Menus, breadcrumbs and footer link rows name topics ("Depression", "Anxiety") without
        being about them; rules that judge what a page is about skip such blocks.
        """
        if not self.links:
            return False
        text = self.text
        letters = sum(map(str.isalnum, text))
        linked = sum(sum(map(str.isalnum, text[link.start : link.end])) for link in self.links if link.start >= 0)
        return letters > 0 and linked >= 0.8 * letters

    @property
    def src_start(self) -> int:
        return self.map.start(0)

    @property
    def src_end(self) -> int:
        return self.map.end(len(self.text))


@dataclass(slots=True)
class Comment:
    """A source comment (HTML or Markdown); suppression directives live here."""

    text: str
    src_start: int
    src_end: int


@dataclass(slots=True)
class Sentence:
    """A sentence of a block: [start, end) in the block's text."""

    block_index: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """A parsed file: its source text and its prose blocks in reading order."""

    path: str
    source: str
    format: str  # "markdown", "html" or "text"
    blocks: list[Block] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    front_matter: str = ""  # raw front matter text, kept for rules that read metadata
    front_matter_data: dict[str, Any] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # reader warnings (e.g. invalid UTF-8)
    # Links outside every block (a URL-only or image-only paragraph, an <a> around an image).
    loose_links: list[Link] = field(default_factory=list)
    # Links inside reference markers (<sup><a href="...">2</a></sup>); the marker is in its block's `markers`.
    marker_links: list[Link] = field(default_factory=list)
    # What rules derive from the document and share (lower-cased text, word positions...), by name.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def links(self) -> list[Link]:
        """Every link of the document in source order: markup links, autolinks, bare URLs, <a href>.

        The links of blocks are the same objects as in `Block.links` (offsets into that block's
        text); `loose_links` and `marker_links` are in no block's text: start == end == -1.
        An HTML link around several blocks (a linked card) is held by each but listed once.
        """
        merged = [link for block in self.blocks for link in block.links]
        merged.extend(self.loose_links)
        merged.extend(self.marker_links)
        merged.sort(key=lambda link: link.src_start)
        seen: set[tuple[int, str]] = set()
        unique: list[Link] = []
        for link in merged:
            key = (link.src_start, link.url)
            if key not in seen:
                seen.add(key)
                unique.append(link)
        return unique

    @cached_property
    def line_starts(self) -> list[int]:
        """Offsets where each line starts; \\n, \\r\\n and a lone \\r end a line."""
        starts = [0]
        src = self.source
        i = src.find("\r")
        if i < 0:
            pos = src.find("\n")
            while pos >= 0:
                starts.append(pos + 1)
                pos = src.find("\n", pos + 1)
            return starts
        # A regex scan, not a per-character loop: this runs on every file with \r line ends.
        starts.extend(m.end() for m in _LINE_BREAK.finditer(src))
        return starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset; columns count code points."""
        starts = self.line_starts
        line = bisect_right(starts, offset) - 1
        return line + 1, offset - starts[line] + 1

    @cached_property
    def block_sentences(self) -> list[list[Sentence]]:
        """Sentences of each block, indexed like `blocks`; split once, on first use."""
        from healthlint.document.sentences import split_sentences

        return [
            [Sentence(index, start, end, block.text[start:end]) for start, end in split_sentences(block.text)]
            for index, block in enumerate(self.blocks)
        ]

    @cached_property
    def _sentence_starts(self) -> list[list[int]]:
        return [[sentence.start for sentence in block] for block in self.block_sentences]

    def sentence_at(self, block_index: int, offset: int) -> int:
        """Index (in `block_sentences[block_index]`) of the sentence holding `offset`; 0 when there is none."""
        return max(bisect_right(self._sentence_starts[block_index], offset) - 1, 0)

    def sentence_bounds(self, block_index: int, start: int, end: int) -> tuple[int, int]:
        """Bounds of the sentence(s) holding block text [start, end) — the whole block when it has none."""
        sentences = self.block_sentences[block_index]
        if not sentences:
            return 0, len(self.blocks[block_index].text)
        first = sentences[self.sentence_at(block_index, start)]
        last = sentences[self.sentence_at(block_index, max(end - 1, start))]
        return min(first.start, start), max(last.end, end)

    @property
    def sentences(self) -> list[Sentence]:
        return [s for block in self.block_sentences for s in block]
