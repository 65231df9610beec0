"""Plain-text reader, and the helpers every reader uses to finish a block.

Plain text has no markup, so structure is guessed from layout: blank lines separate
chunks, and inside a chunk a line starts a new block when the previous one ends a
sentence or the line is a bullet; hard-wrapped lines are joined with their "\\n" kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from healthlint.document.model import Block, BlockBuilder, Document, Link, Marker, SourceMap

# --- shared helpers (used by the Markdown and HTML readers too) -------------------------

_BREAK_RE = re.compile(r"\r\n?|\n")

# A bare URL in prose. It must not continue a word, a path or an e-mail address. This is
# (?<![\w@/.\-])(?:https?://|www\.)... with the "h" or "w" matched first, so that the regex
# engine skips ahead to those letters instead of testing the lookbehind at every position.
BARE_URL_RE = re.compile(r"[hw](?<![\w@/.\-][hw])(?:(?<=h)ttps?://|(?<=w)ww\.)[^\s<>\"'`\[\]{}|\\^]+", re.IGNORECASE)
_URL_TRAILING = frozenset(".,;:!?'\"*_~…”’»")


def line_table(source: str) -> tuple[list[int], list[int]]:
    """Start offsets and end offsets (before the line break) of every line.

    \\n, \\r\\n and a lone \\r end a line, as in `Document.line_starts` and markdown-it.
    The last line is always present, even when empty.
    """
    starts = [0]
    ends: list[int] = []
    if "\r" not in source:
        # The common case: str.find is much faster than a regex scan.
        pos = source.find("\n")
        while pos >= 0:
            ends.append(pos)
            starts.append(pos + 1)
            pos = source.find("\n", pos + 1)
    else:
        for m in _BREAK_RE.finditer(source):
            ends.append(m.start())
            starts.append(m.end())
    ends.append(len(source))
    return starts, ends


def add_newline(builder: BlockBuilder, source: str, pos: int) -> None:
    """Append "\\n" for the line break that starts at `pos` in the source."""
    if pos >= len(source):
        return
    ch = source[pos]
    if ch == "\n":
        builder.verbatim("\n", pos)
    elif ch == "\r" and source.startswith("\n", pos + 1):
        # Map to the "\n" of "\r\n" so the character matches its source.
        builder.verbatim("\n", pos + 1)
    else:
        builder.atomic("\n", pos, pos + 1)


def add_checked(builder: BlockBuilder, source: str, text: str, pos: int) -> None:
    """Append text believed to be verbatim at `pos`; characters that differ become atomic.

    Readers that align parser output with the source call this so that a wrong guess
    can never produce a verbatim segment pointing at a different character.
    """
    if source.startswith(text, pos):
        builder.verbatim(text, pos)
        return
    for i, ch in enumerate(text):
        p = pos + i
        if p < len(source) and source[p] == ch:
            builder.verbatim(ch, p)
        else:
            p = min(p, max(len(source) - 1, 0))
            builder.atomic(ch, p, p + 1)


# Characters that show nothing yet split a word for a regex: soft hyphen, zero-width space,
# non-joiner and joiner, word joiner, zero-width no-break space. Pasted copy and CMS output carry
# them ("cu\u00adres"); they are left out of block text (the source map skips them, so a
# finding's `match` is still the exact source slice, invisible character included).
INVISIBLE_RE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def _without_invisible(keep: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The kept ranges with every invisible character cut out of them."""
    out: list[tuple[int, int]] = []
    for a, b in keep:
        cursor = a
        for found in INVISIBLE_RE.finditer(text, a, b):
            if found.start() > cursor:
                out.append((cursor, found.start()))
            cursor = found.end()
        if cursor < b:
            out.append((cursor, b))
    return out


def _may_hold_url(text: str) -> bool:
    return "://" in text or "www." in text or "WWW." in text


def find_bare_urls(text: str) -> list[tuple[int, int]]:
    """Spans of bare URLs in `text`, without trailing sentence punctuation."""
    if not _may_hold_url(text):
        return []
    spans: list[tuple[int, int]] = []
    for m in BARE_URL_RE.finditer(text):
        start, end = m.span()
        while end > start:
            ch = text[end - 1]
            if ch in _URL_TRAILING:
                end -= 1
            elif ch == ")" and text.count("(", start, end) < text.count(")", start, end):
                # Keep balanced parentheses (Wikipedia-style URLs), drop a closing one.
                end -= 1
            else:
                break
        if end - start > 8:
            spans.append((start, end))
    return spans


def _submap(old: SourceMap, keep: Sequence[tuple[int, int]]) -> SourceMap:
    """A new map holding only the text ranges in `keep` (sorted, disjoint)."""
    new = SourceMap()
    segments = list(old.segments())
    k = 0
    for a, b in keep:
        while k < len(segments) and segments[k][1] <= a:
            k += 1
        j = k
        while j < len(segments) and segments[j][0] < b:
            ts, te, ss, se = segments[j]
            lo, hi = max(a, ts), min(b, te)
            if se == -1:
                new.add_verbatim(hi - lo, ss + lo - ts)
            else:
                new.add_atomic(hi - lo, ss, se)
            j += 1
    return new


def _remap(offset: int, keep: Sequence[tuple[int, int]]) -> int:
    """Offset in the kept text of an offset in the original text (clamped into gaps)."""
    acc = 0
    for a, b in keep:
        if offset <= a:
            return acc
        if offset < b:
            return acc + offset - a
        acc += b - a
    return acc


def _trim_ranges(text: str, keep: list[tuple[int, int]]) -> None:
    """Drop whitespace at both ends of the kept text (a removed URL may expose some)."""
    while keep:
        a, b = keep[0]
        while a < b and text[a].isspace():
            a += 1
        if a < b:
            keep[0] = (a, b)
            break
        keep.pop(0)
    while keep:
        a, b = keep[-1]
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            keep[-1] = (a, b)
            break
        keep.pop()


def finish_block(
    builder: BlockBuilder,
    kind: str,
    *,
    level: int = 0,
    quoted: bool = False,
    list_depth: int = 0,
    label: str = "",
    links: list[Link] | None = None,
    markers: list[Marker] | None = None,
    loose: list[Link] | None = None,
) -> Block | None:
    """Turn a builder into a Block: bare URLs become Links, outer whitespace is trimmed.

    `links` and `markers` carry offsets into the builder's text; they are moved to the
    final text. Returns None when no prose is left (an image- or URL-only paragraph);
    the links of such a paragraph, bare URLs included, are appended to `loose` with
    start == end == -1, so the document still knows them.
    """
    text = builder.text()
    links = links if links is not None else []
    markers = markers if markers is not None else []
    n = len(text)
    lead = n - len(text.lstrip())
    trail = len(text.rstrip())
    if lead >= trail:
        _keep_loose(links, loose)
        return None
    urls = find_bare_urls(text)
    invisible = INVISIBLE_RE.search(text) is not None
    if not urls and not invisible and lead == 0 and trail == n:
        # The common case: nothing to trim or take out, the builder's text and map are final.
        for link in links:
            link.text = text[link.start : link.end]
        return Block(kind, text, builder.map, level, quoted, list_depth, label, links, markers)
    keep: list[tuple[int, int]] = []
    new_links: list[Link] = []
    if urls:
        cursor = lead
        old_map = builder.map
        for start, end in urls:
            inside_link = any(link.start <= start and end <= link.end for link in links)
            if not inside_link:
                src_start, src_end = old_map.span(start, end)
                # The URL's place in prose is an empty span at `start`, remapped below.
                new_links.append(Link(text[start:end], "", start, start, src_start, src_end))
            lo, hi = max(start, lead), min(end, trail)
            if lo > cursor:
                keep.append((cursor, min(lo, trail)))
            cursor = max(cursor, hi)
        if cursor < trail:
            keep.append((cursor, trail))
        _trim_ranges(text, keep)
    else:
        keep.append((lead, trail))
    if invisible:
        keep = _without_invisible(keep, text)
        _trim_ranges(text, keep)  # a removed character may expose a blank at either end
    if not keep:
        _keep_loose(links + new_links, loose)
        return None
    if keep == [(0, n)]:
        final_text, final_map = text, builder.map
    else:
        final_text = "".join(text[a:b] for a, b in keep)
        final_map = _submap(builder.map, keep)
        for link in links:
            link.start = _remap(link.start, keep)
            link.end = _remap(link.end, keep)
        for marker in markers:
            marker.start = _remap(marker.start, keep)
            marker.end = _remap(marker.end, keep)
        for link in new_links:
            link.start = link.end = _remap(link.start, keep)
    if not final_text.strip():
        _keep_loose(links + new_links, loose)
        return None
    for link in links:
        link.text = final_text[link.start : link.end]
    all_links = sorted(links + new_links, key=lambda link: link.src_start) if new_links else links
    return Block(
        kind,
        final_text,
        final_map,
        level=level,
        quoted=quoted,
        list_depth=list_depth,
        label=label,
        links=all_links,
        markers=markers,
    )


def plain_block(
    text: str, src_start: int, kind: str, level: int, quoted: bool, list_depth: int, label: str
) -> Block | None:
    """The Block `finish_block` makes of `text` standing verbatim at `src_start`, without a builder.

    Only for text with no blank at either end and no bare URL, the usual paragraph or heading,
    which `finish_block` keeps as it is; returns None for any other text.
    """
    if not text or text[0].isspace() or text[-1].isspace() or _may_hold_url(text) or INVISIBLE_RE.search(text):
        return None
    source_map = SourceMap()
    source_map.add_verbatim(len(text), src_start)
    return Block(kind, text, source_map, level, quoted, list_depth, label, [], [])


def _keep_loose(links: list[Link], loose: list[Link] | None) -> None:
    """Record the links of a dropped block as links that no block holds."""
    if loose is None or not links:
        return
    for link in sorted(links, key=lambda link: link.src_start):
        link.start = link.end = -1
        link.text = ""
        loose.append(link)


# --- the plain-text reader ----------------------------------------------------------------

# A bullet or a list number, after optional indentation, followed by the item's text.
_BULLET_RE = re.compile(r"(?:[•◦▪‣●○■□➢➤✓✔\-*–]|\d{1,3}[.)])[ \t\u00a0]+(?=\S)")
# Terminal punctuation, optionally followed by closing quotes or brackets.
_TERMINAL_RE = re.compile(r"[.!?:;…][\"'”’»)\]]*\Z")
_NESTED_BULLETS = frozenset("◦▪‣○□")
_HEADING_MAX = 80
_WRAP_MIN = 60


class _Line:
    __slots__ = ("bullet", "end", "eol", "indent", "marker_end", "start")

    def __init__(self, start: int, indent: int, end: int, eol: int) -> None:
        self.start = start  # offset of the first non-blank character
        self.indent = indent  # width of the leading whitespace
        self.end = end  # offset after the last non-blank character
        self.eol = eol  # offset of the line break (or end of file)
        self.bullet = ""
        self.marker_end = start  # where the item's text starts, after a bullet


def read_text(path: str, source: str) -> Document:
    """Read plain text: blank-line chunks, split into paragraphs, list items and headings."""
    doc = Document(path, source, "text")
    starts, ends = line_table(source)
    groups: list[list[_Line]] = []  # one list of lines per block
    chunk_ends: list[int] = []  # index in `groups` after the last block of each chunk
    prev: _Line | None = None
    for ls, le in zip(starts, ends, strict=True):
        raw = source[ls:le]
        stripped = raw.strip()
        if not stripped:
            if prev is not None:
                chunk_ends.append(len(groups))
            prev = None
            continue
        indent = len(raw) - len(raw.lstrip())
        line = _Line(ls + indent, indent, ls + len(raw.rstrip()), le)
        m = _BULLET_RE.match(source, line.start, line.end)
        if m:
            line.bullet = source[line.start]
            line.marker_end = m.end()
        if prev is None or line.bullet or _ends_sentence(source, prev):
            groups.append([line])
        elif source[line.start].islower() or prev.end - prev.start >= _WRAP_MIN:
            groups[-1].append(line)
        else:
            groups.append([line])
        prev = line
    if prev is not None:
        chunk_ends.append(len(groups))

    # Nesting of bullets: deeper indentation than the chunk's shallowest bullet, or a
    # second-level bullet character, puts an item at depth 2.
    chunk_start = 0
    min_indent: dict[int, int] = {}
    for chunk_end in chunk_ends:
        indents = [g[0].indent for g in groups[chunk_start:chunk_end] if g[0].bullet]
        if indents:
            base = min(indents)
            for gi in range(chunk_start, chunk_end):
                min_indent[gi] = base
        chunk_start = chunk_end

    loose = doc.loose_links
    for gi, group in enumerate(groups):
        first = group[0]
        builder = BlockBuilder()
        builder.verbatim(source[first.marker_end : first.end], first.marker_end)
        for before, line in pairwise(group):
            add_newline(builder, source, before.eol)
            builder.verbatim(source[line.start : line.end], line.start)
        if first.bullet:
            nested = first.indent > min_indent.get(gi, first.indent) or first.bullet in _NESTED_BULLETS
            block = finish_block(builder, "list_item", list_depth=2 if nested else 1, loose=loose)
        elif (
            len(group) == 1
            and gi + 1 < len(groups)
            and first.end - first.start < _HEADING_MAX
            and not _ends_sentence(source, first)
        ):
            block = finish_block(builder, "heading", level=2, loose=loose)
        else:
            block = finish_block(builder, "paragraph", loose=loose)
        if block is not None:
            doc.blocks.append(block)
    return doc


def _ends_sentence(source: str, line: _Line) -> bool:
    return _TERMINAL_RE.search(source, max(line.start, line.end - 8), line.end) is not None
