"""HTML reader on the standard library's HTMLParser, with exact source offsets.

The parser runs with convert_charrefs=False so entities arrive as their own events
and can be mapped atomically to their source span; `getpos()` gives the line and
column of every event, which we turn into a code-point offset through line starts.
The same reader parses the HTML blocks of Markdown files, one fragment at a time.
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
_EMPTY_COMMENT_RE = re.compile(r"<!---?>")
# A whitespace run holding a line break collapses to one "\n" (indentation is markup).
_BREAK_RUN_RE = re.compile(r"[^\S\r\n]*(\r\n?|\n)\s*")


class _Anchor:
    __slots__ = ("builder", "href", "src_start", "start", "used")

    def __init__(self, href: str, src_start: int, builder: BlockBuilder | None, start: int) -> None:
        self.href = href
        self.src_start = src_start
        self.builder = builder
        self.start = start
        self.used = builder is not None  # some block's text has held this link


class HtmlReader(HTMLParser):
    """Turns HTML into prose blocks appended to a Document, with exact source offsets.

    `read` parses a whole HTML file, or one fragment of a file (an HTML block of a
    Markdown page), as many times as needed; blocks, links and comments accumulate
    on the document in reading order.
    """

    def __init__(self, doc: Document) -> None:
        super().__init__(convert_charrefs=False)
        self.doc = doc
        self.source = doc.source
        self._begin("", 0, "paragraph", "", False, 0)

    def _begin(self, text: str, base: int, kind: str, label: str, quoted: bool, list_depth: int) -> None:
        self.reset()
        self.text = text  # what the parser sees; offsets in it plus `base` are source offsets
        self.base = base
        # False when `text` is not a plain slice of the source (blanked Markdown prefixes):
        # then every character is checked against the source before it is mapped verbatim.
        self.exact = self.source.startswith(text, base)
        # HTMLParser counts lines by "\n" only, so its line starts must too.
        starts = [0]
        pos = text.find("\n")
        while pos >= 0:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.nl_starts = starts
        self.outer_kind, self.outer_label = kind, label
        self.outer_quoted, self.outer_depth = quoted, list_depth
        self.stack: list[str] = []  # open block and container elements
        self.skip: str | None = None  # element being skipped, with its nesting depth
        self.skip_depth = 0
        self.sup: tuple[int, list[str]] | None = None
        self.sup_anchor: tuple[str, int] | None = None  # an <a href> inside <sup>: href, source start
        self.anchor: _Anchor | None = None
        self.builder: BlockBuilder | None = None
        self.links: list[Link] = []
        self.markers: list[Marker] = []
        self.marker_links: list[Link] = []  # links inside this block's reference markers

    def read(
        self,
        text: str,
        base: int = 0,
        *,
        kind: str = "paragraph",
        label: str = "",
        quoted: bool = False,
        list_depth: int = 0,
    ) -> None:
        """Parse `text`, which stands at source offset `base` and has the source's length there.

        `kind`, `label`, `quoted` and `list_depth` describe what holds the fragment (a
        Markdown list item, footnote or blockquote); they apply to its prose blocks.
        """
        self._begin(text, base, kind, label, quoted, list_depth)
        first_block, first_loose = len(self.doc.blocks), len(self.doc.loose_links)
        try:
            self.feed(text)
            self._finish_comments()
            self.close()
        except Exception as exc:  # HTMLParser can still trip on pathological input
            self.doc.notices.append(f"HTML parsing stopped early: {exc!r}")
        self._end_sup_anchor(self.base + len(self.text))
        self.flush()
        anchor = self.anchor
        if anchor is not None and not anchor.used:
            self._loose_link(anchor.href, anchor.src_start, self.base + len(self.text))
        self.anchor = None
        self._drop_held_loose_links(first_block, first_loose)

    def _drop_held_loose_links(self, first_block: int, first_loose: int) -> None:
        """A link around several blocks, some empty (a <br>), is loose once, and only if no block holds it."""
        doc = self.doc
        added = len(doc.loose_links) - first_loose
        if added == 0 or (added == 1 and len(doc.blocks) == first_block):
            return
        seen = {(link.src_start, link.url) for block in doc.blocks[first_block:] for link in block.links}
        kept: list[Link] = []
        for link in doc.loose_links[first_loose:]:
            key = (link.src_start, link.url)
            if key not in seen:
                seen.add(key)
                kept.append(link)
        doc.loose_links[first_loose:] = kept

    def _finish_comments(self) -> None:
        """An unclosed "<!--" runs to the end (HTML5); HTMLParser.close would make it prose."""
        rest = self.rawdata
        if rest.startswith("<!--") and not self.cdata_elem:
            self.doc.comments.append(Comment(rest[4:], self._pos(), self.base + len(self.text)))
            self.rawdata = ""

    def parse_comment(self, i: int, report: bool = True) -> int:
        # "<!-->" and "<!--->" are empty comments in HTML5, not the start of a longer one.
        empty = _EMPTY_COMMENT_RE.match(self.rawdata, i)
        if empty is None:
            return int(super().parse_comment(i, report))
        if report:
            self.handle_comment("")
        return empty.end()

    def _pos(self) -> int:
        line, col = self.getpos()
        return self.base + self.nl_starts[min(line, len(self.nl_starts)) - 1] + col

    def _tag_end(self, pos: int) -> int:
        end = self.text.find(">", pos - self.base)
        return self.base + (end + 1 if end >= 0 else len(self.text))

    def _verbatim(self, builder: BlockBuilder, text: str, pos: int) -> None:
        if self.exact:
            builder.verbatim(text, pos)
        else:
            add_checked(builder, self.source, text, pos)

    def _loose_link(self, href: str, src_start: int, src_end: int) -> None:
        self.doc.loose_links.append(Link(href, "", -1, -1, src_start, src_end))

    def _end_sup_anchor(self, end: int) -> None:
        if self.sup_anchor is not None:
            href, start = self.sup_anchor
            self.marker_links.append(Link(href, "", -1, -1, start, end))
            self.sup_anchor = None

    # -- blocks -------------------------------------------------------------------------

    def _ensure_builder(self) -> BlockBuilder:
        if self.builder is None:
            self.builder = BlockBuilder()
            if self.anchor is not None and self.anchor.builder is None:
                # A link opened between blocks (a linked card): it belongs to this block.
                self.anchor.builder = self.builder
                self.anchor.start = 0
                self.anchor.used = True
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
        kind, level, depth, quoted = "paragraph", 0, self.outer_depth, self.outer_quoted
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
        label = ""
        if kind == "paragraph" and self.outer_kind != "paragraph":
            kind, label = self.outer_kind, self.outer_label
        block = finish_block(
            builder,
            kind,
            level=level,
            quoted=quoted,
            list_depth=max(depth, 1) if kind == "list_item" else 0,
            label=label,
            links=self.links,
            markers=self.markers,
            loose=self.doc.loose_links,
        )
        if block is not None:
            self.doc.blocks.append(block)
        if self.marker_links:
            if block is not None:
                self.doc.marker_links.extend(self.marker_links)
            else:
                self.doc.loose_links.extend(self.marker_links)  # without a block the marker is gone too
            self.marker_links = []
        self.builder = None
        self.links = []
        self.markers = []

    def _close_anchor(self, end: int) -> None:
        anchor = self.anchor
        self.anchor = None
        if anchor is None:
            return
        if anchor.builder is not None and anchor.builder is self.builder:
            self.links.append(Link(anchor.href, "", anchor.start, len(anchor.builder), anchor.src_start, end))
        elif not anchor.used:
            # No prose inside (an image, an icon): the page still links there.
            self._loose_link(anchor.href, anchor.src_start, end)

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
            if tag == "a":
                # A reference marker's link (<sup><a href="#r1">1</a></sup>): kept beside the marker.
                href = _href(attrs)
                if href is not None:
                    pos = self._pos()
                    self._end_sup_anchor(pos)
                    self.sup_anchor = (href, pos)
            return
        pos = self._pos()
        hidden = _is_hidden(attrs)
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
            href = _href(attrs)
            if href is not None:
                if self.anchor is not None:
                    self._close_anchor(pos)  # an <a> inside an open <a> closes it
                start = len(self.builder) if self.builder is not None else 0
                self.anchor = _Anchor(href, pos, self.builder, start)

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
            if tag == "a":
                self._end_sup_anchor(self._tag_end(self._pos()))
            elif tag == "sup":
                start, parts = self.sup
                self.sup = None
                at = len(self._ensure_builder())
                end = self._tag_end(self._pos())
                self.markers.append(Marker("".join(parts).strip(), at, at, start, end))
                self._end_sup_anchor(end)
            return
        if tag == "a":
            self._close_anchor(self._tag_end(self._pos()))
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
        exact = self.exact
        if not (self.source.startswith(data, pos) if exact else self.text.startswith(data, pos - self.base)):
            # Should not happen; never let a wrong guess become a verbatim segment.
            found = self.text.find(data, pos - self.base)
            if found < 0:
                end = min(pos + len(data), self.base + len(self.text))
                builder.atomic(data, pos, max(end, pos + 1))
                return
            pos = self.base + found
        if "\n" not in data and "\r" not in data:
            if exact:
                builder.verbatim(data, pos)
            else:
                add_checked(builder, self.source, data, pos)
            return
        source = self.source
        last = 0
        for m in _BREAK_RUN_RE.finditer(data):
            if m.start() > last:
                self._verbatim(builder, data[last : m.start()], pos + last)
            add_newline(builder, source, pos + m.start(1))
            last = m.end()
        if last < len(data):
            self._verbatim(builder, data[last:], pos + last)

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

    def _raw_reference(self, length: int) -> str:
        """The source text of the reference at the parser's position, its ";" included when present."""
        local = self._pos() - self.base
        end = local + length
        return self.text[local : end + 1] if self.text.startswith(";", end) else self.text[local:end]

    def handle_entityref(self, name: str) -> None:
        self._reference(self._raw_reference(1 + len(name)))

    def handle_charref(self, name: str) -> None:
        self._reference(self._raw_reference(2 + len(name)))

    def handle_comment(self, data: str) -> None:
        pos = self._pos()
        local = pos - self.base
        text = self.text
        if text.startswith("<!--", local):
            end = text.find(">", local + 4 + len(data))
        else:
            end = text.find(">", local + len(data))
        self.doc.comments.append(Comment(data, pos, self.base + (end + 1 if end >= 0 else len(text))))


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    for name, _ in attrs:  # noqa: SIM110 - a plain loop: any() over a generator is slower for every tag
        if name == "hidden":
            return True
    return False


def _href(attrs: list[tuple[str, str | None]]) -> str | None:
    href = next((value for name, value in attrs if name == "href"), None)
    return href.strip() if href is not None else None


def read_html(path: str, source: str) -> Document:
    """Read an HTML file into prose blocks with exact source maps; never raises on bad markup."""
    doc = Document(path, source, "html")
    HtmlReader(doc).read(source)
    return doc
