"""HTML reader on the standard library's HTMLParser, with exact source offsets.

The parser runs with convert_charrefs=False so entities arrive as their own events
and can be mapped atomically to their source span; `getpos()` gives the line and
column of every event, which we turn into a code-point offset through line starts.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from healthlint.document.model import BlockBuilder, Comment, Document, Link, Marker
from healthlint.document.text import add_checked, add_newline, finish_block


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Elements whose content is never prose.
_SKIP = _words(
    "head title script style noscript template svg math code pre kbd samp textarea select "
    "iframe object canvas audio video"
)
# Elements that end the current block although they hold no prose (code, svg... may sit inside a sentence).
_ENDS_BLOCK = frozenset(["head", "pre", "hr"])
_VOID = _words("area base br col embed hr img input link meta param source track wbr")
# Elements that start a block of their own kind.
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_KIND_OF = {"li": "list_item", "td": "table_cell", "th": "table_cell", "caption": "caption", "figcaption": "caption"}
_BLOCKS = frozenset(["p", "dt", "dd", "blockquote", "address", "legend", "summary", *_HEADINGS, *_KIND_OF])
# Containers: their boundaries end a block; text directly inside is an anonymous paragraph.
_CONTAINERS = _words(
    "html body main article section header footer nav aside div ul ol menu dl table thead tbody tfoot tr "
    "figure form fieldset details hgroup center search dialog"
)
_LISTS = frozenset(["ul", "ol", "menu"])
# Implicitly closed elements: a new one closes the open one, but never past its container.
_IMPLICIT = {
    "li": (frozenset(["li"]), _LISTS),
    "dt": (frozenset(["dt", "dd"]), frozenset(["dl"])),
    "dd": (frozenset(["dt", "dd"]), frozenset(["dl"])),
    "td": (frozenset(["td", "th"]), frozenset(["tr", "table"])),
    "th": (frozenset(["td", "th"]), frozenset(["tr", "table"])),
    "tr": (frozenset(["tr"]), frozenset(["table", "thead", "tbody", "tfoot"])),
    "thead": (frozenset(["thead", "tbody", "tfoot"]), frozenset(["table"])),
    "tbody": (frozenset(["thead", "tbody", "tfoot"]), frozenset(["table"])),
    "tfoot": (frozenset(["thead", "tbody", "tfoot"]), frozenset(["table"])),
}
# A whitespace run holding a line break collapses to one "\n" (indentation is markup).
_BREAK_RUN_RE = re.compile(r"[^\S\r\n]*(\r\n?|\n)\s*")


class _Anchor:
    __slots__ = ("builder", "href", "src_start", "start")

    def __init__(self, href: str, src_start: int, builder: BlockBuilder | None, start: int) -> None:
        self.href = href
        self.src_start = src_start
        self.builder = builder
        self.start = start


class _Reader(HTMLParser):
    def __init__(self, doc: Document) -> None:
        super().__init__(convert_charrefs=False)
        self.doc = doc
        self.source = doc.source
        # HTMLParser counts lines by "\n" only, so its line starts must too.
        src = doc.source
        starts = [0]
        pos = src.find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = src.find("\n", pos + 1)
        self.nl_starts = starts
        self.stack: list[str] = []  # open block and container elements
        self.skip: str | None = None  # element being skipped, with its nesting depth
        self.skip_depth = 0
        self.sup: tuple[int, list[str]] | None = None
        self.anchor: _Anchor | None = None
        self.builder: BlockBuilder | None = None
        self.links: list[Link] = []
        self.markers: list[Marker] = []

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.nl_starts[min(line, len(self.nl_starts)) - 1] + col

    def _tag_end(self, pos: int) -> int:
        end = self.source.find(">", pos)
        return end + 1 if end >= 0 else len(self.source)

    # -- blocks -------------------------------------------------------------------------

    def _ensure_builder(self) -> BlockBuilder:
        if self.builder is None:
            self.builder = BlockBuilder()
            if self.anchor is not None and self.anchor.builder is None:
                # A link opened between blocks (a linked card): it belongs to this block.
                self.anchor.builder = self.builder
                self.anchor.start = 0
        return self.builder

    def flush(self) -> None:
        builder = self.builder
        if builder is None:
            return
        anchor = self.anchor
        if anchor is not None and anchor.builder is builder:
            # The link outlives its block: end it with the block.
            self.links.append(Link(anchor.href, "", anchor.start, len(builder), anchor.src_start, self._pos()))
            anchor.builder = None
        kind, level, depth, quoted = "paragraph", 0, 0, False
        for tag in reversed(self.stack):
            if kind == "paragraph" and level == 0:
                if tag in _HEADINGS:
                    kind, level = "heading", _HEADINGS[tag]
                elif tag in _KIND_OF:
                    kind = _KIND_OF[tag]
            if tag in _LISTS:
                depth += 1
            elif tag == "blockquote":
                quoted = True
        block = finish_block(
            builder,
            kind,
            level=level,
            quoted=quoted,
            list_depth=max(depth, 1) if kind == "list_item" else 0,
            links=self.links,
            markers=self.markers,
        )
        if block is not None:
            self.doc.blocks.append(block)
        self.builder = None
        self.links = []
        self.markers = []

    def _pop_to(self, names: frozenset[str], stops: frozenset[str]) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            tag = self.stack[i]
            if tag in names:
                del self.stack[i:]
                return
            if tag in stops:
                return

    # -- parser events ------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skip is not None:
            if tag == self.skip and tag not in _VOID:
                self.skip_depth += 1
                return
            if not (self.skip == "head" and tag == "body"):
                return
            self.skip = None  # <body> ends an unclosed <head>
        if self.sup is not None:
            return
        pos = self._pos()
        hidden = any(name == "hidden" for name, _ in attrs)
        if tag in _BLOCKS or tag in _CONTAINERS or tag in _ENDS_BLOCK:
            self.flush()
            if self.stack and self.stack[-1] == "p":
                self.stack.pop()  # a block start closes an open paragraph
            if tag in _IMPLICIT:
                self._pop_to(*_IMPLICIT[tag])
        if tag in _SKIP or hidden:
            if tag not in _VOID:
                self.skip, self.skip_depth = tag, 1
            return
        if tag in _BLOCKS or tag in _CONTAINERS:
            self.stack.append(tag)
        elif tag == "br":
            raw = self.get_starttag_text() or "<br>"
            self._ensure_builder().atomic("\n", pos, pos + len(raw))
        elif tag == "sup":
            self._ensure_builder()
            self.sup = (pos, [])
        elif tag == "a":
            href = next((value for name, value in attrs if name == "href"), None)
            if href is not None:
                start = len(self.builder) if self.builder is not None else 0
                self.anchor = _Anchor(href.strip(), pos, self.builder, start)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # XML-style <x/>: a start and an end, so <sup/> or <svg/> can never swallow the page.
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip is not None:
            if tag == self.skip:
                self.skip_depth -= 1
                if self.skip_depth <= 0:
                    self.skip = None
            return
        if self.sup is not None:
            if tag == "sup":
                start, parts = self.sup
                self.sup = None
                at = len(self._ensure_builder())
                self.markers.append(Marker("".join(parts).strip(), at, at, start, self._tag_end(self._pos())))
            return
        if tag == "a":
            anchor = self.anchor
            self.anchor = None
            if anchor is not None and anchor.builder is not None and anchor.builder is self.builder:
                end = self._tag_end(self._pos())
                self.links.append(Link(anchor.href, "", anchor.start, len(anchor.builder), anchor.src_start, end))
        elif tag in _BLOCKS or tag in _CONTAINERS:
            self.flush()
            if tag in self.stack:
                del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        if self.skip is not None or not data:
            return
        if self.sup is not None:
            self.sup[1].append(data)
            return
        if self.builder is None and data.isspace():
            return
        builder = self._ensure_builder()
        pos = self._pos()
        source = self.source
        if not source.startswith(data, pos):
            # Should not happen; never let a wrong guess become a verbatim segment.
            found = source.find(data, pos)
            if found < 0:
                end = min(pos + len(data), len(source))
                builder.atomic(data, pos, max(end, pos + 1))
                return
            pos = found
        if "\n" not in data and "\r" not in data:
            builder.verbatim(data, pos)
            return
        last = 0
        for m in _BREAK_RUN_RE.finditer(data):
            if m.start() > last:
                builder.verbatim(data[last : m.start()], pos + last)
            add_newline(builder, source, pos + m.start(1))
            last = m.end()
        if last < len(data):
            builder.verbatim(data[last:], pos + last)

    def _reference(self, raw: str) -> None:
        if self.skip is not None:
            return
        decoded = html.unescape(raw)
        if self.sup is not None:
            self.sup[1].append(decoded)
            return
        if self.builder is None and decoded.isspace():
            return
        pos = self._pos()
        builder = self._ensure_builder()
        if decoded == raw:
            add_checked(builder, self.source, raw, pos)  # not an entity after all: literal text
        else:
            builder.atomic(decoded, pos, pos + len(raw))

    def handle_entityref(self, name: str) -> None:
        pos = self._pos()
        end = pos + 1 + len(name)
        self._reference(self.source[pos : end + 1] if self.source.startswith(";", end) else self.source[pos:end])

    def handle_charref(self, name: str) -> None:
        pos = self._pos()
        end = pos + 2 + len(name)
        self._reference(self.source[pos : end + 1] if self.source.startswith(";", end) else self.source[pos:end])

    def handle_comment(self, data: str) -> None:
        pos = self._pos()
        if self.source.startswith("<!--", pos):
            end = self.source.find(">", pos + 4 + len(data))
        else:
            end = self.source.find(">", pos + len(data))
        self.doc.comments.append(Comment(data, pos, end + 1 if end >= 0 else len(self.source)))


def read_html(path: str, source: str) -> Document:
    """Read an HTML file into prose blocks with exact source maps; never raises on bad markup."""
    doc = Document(path, source, "html")
    reader = _Reader(doc)
    try:
        reader.feed(source)
        reader.close()
    except Exception as exc:  # HTMLParser can still trip on pathological input
        doc.notices.append(f"HTML parsing stopped early: {exc!r}")
    reader.flush()
    return doc
