"""Markdown reader: markdown-it tokens aligned back to exact source offsets.

markdown-it gives each block its line range (`token.map`) and an inline token whose
`content` is the block's text with the line prefixes (indentation, "> ", list markers)
removed, plus children (text, emphasis, links...) without columns. We locate every
content line in its source line once (a "content map"), then walk the children with a
cursor in `content`, skipping markup, so each text child lands at its exact offset.
HTML blocks go to the HTML reader, which maps their prose the same way.

The parser is markdown-it with the rules it would try and fail at a position skipped: its
inline and block rule chains each become one rule that runs only the rules that can start
at the character found there, in markdown-it's order, so the tokens are exactly markdown-it's.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from healthlint.document.model import BlockBuilder, Comment, Document, Link, Marker
from healthlint.document.text import add_checked, add_newline, finish_block, line_table, plain_block

if TYPE_CHECKING:
    from healthlint.document.html import HtmlReader

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# An HTML block of tags alone (wrappers, images, rules; no <a>) has no prose, comment or link to read.
_TAGS_ONLY_RE = re.compile(r"(?:\s*</?(?![aA][\s/>])[A-Za-z][^<>]*>)*\s*\Z")
# Frequent tokens that change nothing the reader tracks (checked first to skip the chain of cases).
_NOTHING_TO_READ = frozenset(
    ["paragraph_close", "heading_close", "list_item_open", "list_item_close", "tr_open", "tr_close", "td_close"]
)
_HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


@cache
def _parser() -> MarkdownIt:
    """The parser the reader uses: `_markdown_it()`, tuned to skip rules that cannot match."""
    md = _markdown_it()
    md.core.ruler.at("normalize", _normalize)
    _dispatch_inline_rules(md)
    _dispatch_block_rules(md)
    return md


def _markdown_it() -> MarkdownIt:
    """markdown-it as configured for reading prose (the tokens `_parser()` must reproduce)."""
    md = MarkdownIt("commonmark", {"typographer": False}).enable("table")
    md.use(front_matter_plugin)
    # Keep footnote definitions where they stand (reading order) and treat every [^x]
    # as a marker, even when its definition is missing.
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)  # mdit-py-plugins >= 0.4.1
    # Without text_join, entities and escapes stay separate tokens that keep their markup.
    md.disable("text_join")
    return md


def _normalize(state: Any) -> None:
    """markdown-it's normalize (line breaks to "\n", NUL to U+FFFD) without regex passes over clean text."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


# The character each inline rule we use can start at. "]" starts none but ends a link label,
# which markdown-it finds by stepping token by token, so plain text must stop there too.
_INLINE_RULE_STARTS = {
    "newline": "\n", "escape": "\\", "backticks": "`", "emphasis": "*_", "link": "[", "image": "!",
    "footnote_ref": "[", "autolink": "<", "html_inline": "<", "entity": "&",
}  # fmt: skip
_LABEL_END = "]"


# The first character (after indentation) of a line each block rule can start at. Of the
# others, front matter starts only on the first line and indented code only on an indented
# line; the rest (tables, setext headings, paragraphs, unknown rules) may start anywhere.
_BLOCK_RULE_STARTS = {
    "fence": "~`", "blockquote": ">", "hr": "*-_", "list": "*-+0123456789", "footnote_def": "[", "reference": "[",
    "html_block": "<", "heading": "#",
}  # fmt: skip
_BLOCK_STARTERS = frozenset("".join(_BLOCK_RULE_STARTS.values()))


def _dispatch_block_rules(md: MarkdownIt) -> None:
    """Try only the block rules that can match at a line, in markdown-it's order.

    markdown-it tries every block rule at every block start, and every "terminator" rule at
    every line of a paragraph; most calls log a debug message, then look at the line's first
    character and give up. Each chain becomes one rule that picks its candidates by that character.
    """
    ruler = md.block.ruler
    original = ruler.getRules
    name_of = {id(rule): name for name, rule in zip(ruler.get_active_rules(), original(""), strict=True)}
    chains: dict[str, list[Any]] = {}

    def get_rules(chain_name: str = "") -> list[Any]:
        chain = chains.get(chain_name)
        if chain is None:
            rules = original(chain_name)
            chain = chains[chain_name] = [_block_dispatcher([(name_of.get(id(rule), ""), rule) for rule in rules])]
        return chain

    ruler.getRules = get_rules  # type: ignore[method-assign]


def _may_match(name: str, char: str, first_line: bool, indented: bool) -> bool:
    """Whether block rule `name` can match at a line starting with `char` ("" for no rule's character)."""
    if name in _BLOCK_RULE_STARTS:
        return char != "" and char in _BLOCK_RULE_STARTS[name]
    if name == "front_matter":
        return first_line
    if name == "code":
        return indented
    return True


def _block_dispatcher(named_rules: list[tuple[str, Any]]) -> Any:
    """One block rule that runs the rules of a chain that can match at the line, in order."""
    every = [rule for _, rule in named_rules]
    has_code = any(name == "code" for name, _ in named_rules)
    candidates: dict[tuple[str, bool, bool], list[Any]] = {}  # by (first character, first line, indented)

    def dispatch(state: Any, line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[line] + state.tShift[line]
        src = state.src
        if pos < len(src):
            char = src[pos]
            # (The code rule is on when the chain holds it, so is_code_block() is this comparison.)
            indented = has_code and state.sCount[line] - state.blkIndent >= 4
            key = (char if char in _BLOCK_STARTERS else "", line == 0, indented)
            rules = candidates.get(key)
            if rules is None:
                rules = candidates[key] = [rule for name, rule in named_rules if _may_match(name, *key)]
        else:
            rules = every
        for rule in rules:  # noqa: SIM110 - a plain loop: any() over a generator is slower here
            if rule(state, line, end_line, silent):
                return True
        return False

    return dispatch


def _pending_appender() -> Any:
    """`StateInline.append_pending` where markdown-it has it (a buffer), else `pending +=`."""
    method = getattr(StateInline, "append_pending", None)
    if method is not None:
        return method

    def append(state: StateInline, text: str) -> None:
        state.pending += text

    return append


def _dispatch_inline_rules(md: MarkdownIt) -> None:
    """Replace markdown-it's inline rule chain by one rule that looks up the rules by character.

    markdown-it stops plain text at ~20 "terminator" characters ("-", ":", "%"...) and tries
    every rule there, in order, although most start at one character only. Here plain text
    runs to the next character that starts a rule, and only that character's rules run, in
    markdown-it's order: the same tokens, a fraction of the calls.
    """
    ruler = md.inline.ruler
    names = ruler.get_active_rules()
    if not names or names[0] != "text" or any(name not in _INLINE_RULE_STARTS for name in names[1:]):
        return  # an unexpected rule set (another markdown-it version): keep its own chain
    by_char: dict[str, list[Any]] = {_LABEL_END: []}
    for name, rule in zip(names[1:], ruler.getRules("")[1:], strict=True):
        for char in _INLINE_RULE_STARTS[name]:
            by_char.setdefault(char, []).append(rule)
    stop = re.compile("[" + re.escape("".join(by_char)) + "]")
    get_rules = by_char.get
    append_pending = _pending_appender()

    def dispatch(state: StateInline, silent: bool) -> bool:
        src = state.src
        pos = state.pos
        rules = get_rules(src[pos])
        if rules is None:
            # Plain text up to the next character that may start a rule.
            m = stop.search(src, pos, state.posMax)
            end = m.start() if m else state.posMax
            if not silent:
                append_pending(state, src[pos:end])
            state.pos = end
            return True
        for rule in rules:  # noqa: SIM110 - a plain loop: any() over a generator is slower here
            if rule(state, silent):
                return True
        return False

    ruler.push("healthlint_dispatch", dispatch)
    ruler.enableOnly(["healthlint_dispatch"])
    # An image needs "[" after its "!", and "]" starts nothing: without "[" both are text.
    can_match = sorted(set(by_char) - {"!", _LABEL_END})
    _parse_plain_text_directly(md, re.compile("[" + re.escape("".join(can_match)) + "]"))


def _parse_plain_text_directly(md: MarkdownIt, rule_start: re.Pattern[str]) -> None:
    """Inline content where no rule can match is one text token: skip the inline parser's setup."""
    parse_inline = md.inline.parse

    def parse_plain_or_inline(src: str, md: MarkdownIt, env: Any, tokens: list[Token]) -> list[Token]:
        if rule_start.search(src) is not None:
            return parse_inline(src, md, env, tokens)
        if src:
            token = Token("text", "", 0)
            token.content = src
            tokens.append(token)
        return tokens

    md.inline.parse = parse_plain_or_inline  # type: ignore[method-assign]


@lru_cache(maxsize=8)
def _closing_ticks(n: int) -> re.Pattern[str]:
    return re.compile(r"(?<!`)" + "`" * n + r"(?!`)")


class _ContentMap:
    """Offsets in an inline token's `content` -> offsets in the source."""

    __slots__ = ("cstarts", "first_line", "sbases")

    def __init__(self, first_line: int) -> None:
        self.cstarts: list[int] = []
        self.sbases: list[int] = []
        self.first_line = first_line

    def add(self, content_start: int, src_start: int) -> None:
        self.cstarts.append(content_start)
        self.sbases.append(src_start)

    def __call__(self, ci: int) -> int:
        k = bisect_right(self.cstarts, ci) - 1
        if k < 0:
            k = 0
        return self.sbases[k] + ci - self.cstarts[k]

    def pieces(self, ci: int, length: int) -> list[tuple[int, int, int]]:
        """(text offset, length, source offset) runs of the content span [ci, ci + length)."""
        k = max(bisect_right(self.cstarts, ci) - 1, 0)
        out: list[tuple[int, int, int]] = []
        pos, end = ci, ci + length
        while pos < end:
            nxt = self.cstarts[k + 1] if k + 1 < len(self.cstarts) else end
            stop = min(max(nxt, pos + 1), end)
            out.append((pos - ci, stop - pos, self.sbases[k] + pos - self.cstarts[k]))
            pos = stop
            k += 1
        return out

    def line_of(self, ci: int) -> int:
        return self.first_line + max(bisect_right(self.cstarts, ci) - 1, 0)


def _locate_line(source: str, text: str, ls: int, le: int) -> int:
    """Source offset of `text`, a content line, inside the source line [ls, le)."""
    if not text:
        return le
    if source.endswith(text, ls, le):
        return le - len(text)
    # The last line lost its trailing blanks; the rightmost match is the line's tail.
    p = source.rfind(text, ls, le)
    if p >= 0:
        return p
    # A tab split by the block indent came back as spaces: find the rest of the line.
    rest = text.lstrip()
    p = source.rfind(rest, ls, le) if rest else -1
    if p >= 0:
        return p - (len(text) - len(rest))
    return ls


def _first_content_line(
    source: str, head: str, first_line: int, last_line: int, starts: list[int], ends: list[int]
) -> int:
    """The source line of `head`, the first content line of a block spanning [first_line, last_line).

    markdown-it strips the content with str.strip(), which also drops lines holding only
    Unicode blanks (U+00A0...): the first content line may sit on a later source line.
    """
    if not head:
        return first_line
    stop = min(last_line, len(starts))
    if first_line < stop and source.endswith(head, starts[first_line], ends[first_line]):
        return first_line  # the usual case, without slicing the line's tail
    for candidate in range(first_line, stop):
        p = source.rfind(head, starts[candidate], ends[candidate])
        if p >= 0 and not source[p + len(head) : ends[candidate]].strip():
            return candidate
    return first_line


def _line_start(source: str, content: str, first_line: int, last_line: int, starts: list[int], ends: list[int]) -> int:
    """Source offset of one-line `content` of a block spanning [first_line, last_line)."""
    end = ends[first_line]
    if first_line < last_line and source.endswith(content, starts[first_line], end):
        return end - len(content)  # the usual case: the content ends its line
    li = _first_content_line(source, content, first_line, last_line, starts, ends)
    return _locate_line(source, content, starts[li], ends[li])


def _content_map(
    source: str, content: str, first_line: int, last_line: int, starts: list[int], ends: list[int]
) -> _ContentMap:
    lines = content.split("\n")
    li = _first_content_line(source, lines[0], first_line, last_line, starts, ends)
    cmap = _ContentMap(li)
    ci = 0
    for line in lines:
        if li >= len(starts):
            break
        cmap.add(ci, _locate_line(source, line, starts[li], ends[li]))
        ci += len(line) + 1
        li += 1
    return cmap


def _cell_map(
    source: str, content: str, line: int, starts: list[int], ends: list[int], cursor: int
) -> tuple[_ContentMap, int]:
    """Content map of a table cell; the row cursor keeps equal cells apart."""
    cmap = _ContentMap(line)
    # The table rule unescapes "\\|" in cells, so look for the escaped form.
    needle = content.replace("|", "\\|")
    p = source.find(needle, cursor, ends[line]) if content else -1
    if p < 0:
        cmap.add(0, _locate_line(source, content, starts[line], ends[line]))
        return cmap, cursor
    cmap.add(0, p)
    shift = 0
    ci = content.find("|")
    while ci >= 0:
        shift += 1
        cmap.add(ci, p + ci + shift)
        ci = content.find("|", ci + 1)
    return cmap, p + len(needle)


class _Inline:
    """Walks the children of one inline token, building a block's text and its data."""

    def __init__(
        self, md: MarkdownIt, env: dict[str, Any], source: str, ends: list[int], content: str, cmap: _ContentMap
    ) -> None:
        self.md = md
        self.env = env
        self.source = source
        self.ends = ends
        self.content = content
        self.cmap = cmap
        self.builder = BlockBuilder()
        self.links: list[Link] = []
        self.markers: list[Marker] = []
        self.marker_links: list[Link] = []  # links inside reference markers (<sup><a href>)
        self.comments: list[Comment] = []
        self._state: StateInline | None = None

    # -- helpers ------------------------------------------------------------------------

    def _src_end(self, ci_end: int) -> int:
        """Exclusive source offset after content character `ci_end - 1`."""
        return self.cmap(ci_end - 1) + 1

    def _find(self, needle: str, cursor: int) -> int:
        content = self.content
        if content.startswith(needle, cursor):
            return cursor
        p = content.find(needle, cursor)
        return p if p >= 0 else cursor

    def _label_end(self, bracket: int) -> int:
        """Index of the "]" closing the label that opens at `bracket`, as markdown-it sees it."""
        if self._state is None:
            self._state = StateInline(self.content, self.md, self.env, [])
        return parseLinkLabel(self._state, bracket)

    def _link_tail(self, close: int) -> int:
        """End of a link or image after its label's "]": "(dest 'title')", "[ref]", "[]" or nothing."""
        content = self.content
        n = len(content)
        pos = close + 1
        if pos < n and content[pos] == "(":
            p = _skip_space(content, pos + 1)
            res = parseLinkDestination(content, p, n)
            if res.ok:
                p = res.pos
            before_title = p
            p = _skip_space(content, p)
            res = parseLinkTitle(content, p, n)
            if p < n and p != before_title and res.ok:
                p = _skip_space(content, res.pos)
            if p < n and content[p] == ")":
                return p + 1
        if pos < n and content[pos] == "[":
            end = self._label_end(pos)
            if end >= 0:
                return end + 1
        return pos

    # -- the walk -----------------------------------------------------------------------

    def walk(self, children: list[Token]) -> None:
        content = self.content
        cmap = self.cmap
        builder = self.builder
        source = self.source
        cursor = 0
        open_links: list[tuple[str, int, int]] = []  # href, text start, content offset of "["
        html_links: list[tuple[str, int, int]] = []  # the same for inline <a href>
        sup: list[Any] | None = None  # [source start, label parts] while inside <sup>
        in_autolink = False
        for child in children:
            kind = child.type
            if in_autolink:
                in_autolink = kind != "link_close"
                continue
            if kind == "text":
                text = child.content
                if not text:
                    continue
                p = self._find(text, cursor)
                if sup is not None:
                    sup[1].append(text)
                elif len(cmap.cstarts) == 1:
                    add_checked(builder, source, text, cmap.sbases[0] + p)
                else:
                    # A text run may cross a break of the map (an unescaped "\|" in a cell).
                    for offset, length, src in cmap.pieces(p, len(text)):
                        add_checked(builder, source, text[offset : offset + length], src)
                cursor = p + len(text)
            elif kind == "text_special":
                markup = child.markup or child.content
                p = self._find(markup, cursor)
                cursor = p + len(markup)
                if sup is not None:
                    sup[1].append(child.content)
                elif child.info == "escape" and len(markup) == len(child.content) + 1:
                    add_checked(builder, source, child.content, cmap(p + 1))
                elif child.info == "escape":
                    add_checked(builder, source, child.content, cmap(p))
                else:
                    builder.atomic(child.content, cmap(p), self._src_end(cursor))
            elif kind in ("softbreak", "hardbreak"):
                p = content.find("\n", cursor)
                if p < 0:
                    continue
                if sup is None:
                    add_newline(builder, source, self.ends[cmap.line_of(p)])
                cursor = p + 1
            elif kind == "code_inline":
                # Code is not prose: skip the whole span, backticks included.
                p = self._find(child.markup, cursor)
                close = _closing_ticks(len(child.markup)).search(content, p + len(child.markup))
                cursor = close.end() if close else p + len(child.markup) + len(child.content)
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                if child.markup == "autolink" or child.info == "auto":
                    p = self._find("<", cursor)
                    q = content.find(">", p)
                    cursor = q + 1 if q >= 0 else p + 1
                    at = len(builder)
                    self.links.append(Link(href, "", at, at, cmap(p), self._src_end(cursor)))
                    in_autolink = True
                else:
                    p = self._find("[", cursor)
                    open_links.append((href, len(builder), p))
                    cursor = p + 1
            elif kind == "link_close":
                if not open_links:
                    continue
                href, text_start, bracket = open_links.pop()
                close = self._find("]", cursor)
                cursor = self._link_tail(close)
                self.links.append(Link(href, "", text_start, len(builder), cmap(bracket), self._src_end(cursor)))
            elif kind == "image":
                # Alt text is not prose: skip "![alt](src)" as a whole.
                p = self._find("![", cursor)
                close = self._label_end(p + 1)
                cursor = self._link_tail(close) if close >= 0 else p + 2
            elif kind == "footnote_ref":
                label = str(child.meta.get("label", ""))
                needle = f"[^{label}]"
                p = self._find(needle, cursor)
                cursor = p + len(needle)
                at = len(builder)
                self.markers.append(Marker(label, at, at, cmap(p), self._src_end(cursor)))
            elif kind == "html_inline":
                html = child.content
                p = self._find(html, cursor)
                cursor = p + len(html)
                sup = self._html_inline(html, p, cursor, sup, html_links)
            # Emphasis and other paired markup have no text of their own.
        if sup is not None:
            # An unclosed <sup>: keep what it held as a marker rather than lose it.
            at = len(builder)
            self.markers.append(Marker("".join(sup[1]).strip(), at, at, sup[0], self._src_end(len(content))))
            self._end_sup_anchor(sup, self._src_end(len(content)))
        for href, text_start, link_start in html_links:
            # An <a href> left open: the link runs to the end of the block, as in the HTML reader.
            self.links.append(Link(href, "", text_start, len(builder), link_start, self._src_end(len(content))))

    def _end_sup_anchor(self, sup: list[Any], end: int) -> None:
        if sup[2] is not None:
            href, start = sup[2]
            self.marker_links.append(Link(href, "", -1, -1, start, end))
            sup[2] = None

    def _html_inline(
        self, html: str, p: int, end: int, sup: list[Any] | None, html_links: list[tuple[str, int, int]]
    ) -> list[Any] | None:
        src_start = self.cmap(p)
        src_end = self._src_end(end)
        if html.startswith("<!--"):
            inner = html[4:-3] if html.endswith("-->") else html[4:]
            self.comments.append(Comment(inner, src_start, src_end))
            return sup
        m = _TAG_RE.match(html)
        if not m:
            return sup
        closing, tag = m.group(1) == "/", m.group(2).lower()
        at = len(self.builder)
        if tag == "sup":
            if not closing:
                return [src_start, [], None]
            if sup is not None:
                self.markers.append(Marker("".join(sup[1]).strip(), at, at, sup[0], src_end))
                self._end_sup_anchor(sup, src_end)
            return None
        if sup is not None:
            if tag == "a":
                # A reference marker's link (<sup><a href="#r1">1</a></sup>): kept beside the marker.
                self._end_sup_anchor(sup, src_end if closing else src_start)
                href = None if closing else _HREF_RE.search(html)
                if href:
                    sup[2] = (next(g for g in href.groups() if g is not None), src_start)
            return sup
        if tag == "br" and not closing:
            self.builder.atomic("\n", src_start, src_end)
        elif tag == "a" and not closing:
            href = _HREF_RE.search(html)
            if href:
                html_links.append((next(g for g in href.groups() if g is not None), at, src_start))
        elif tag == "a" and html_links:
            href_text, text_start, link_start = html_links.pop()
            self.links.append(Link(href_text, "", text_start, at, link_start, src_end))
        return sup


def _skip_space(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in " \t\n":
        pos += 1
    return pos


def read_markdown(path: str, source: str) -> Document:
    """Read a Markdown file into prose blocks with exact source maps."""
    doc = Document(path, source, "markdown")
    md = _parser()
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    starts, ends = line_table(source)
    # markdown-it replaces NUL with U+FFFD; locate lines in the same text it parsed.
    parsed = source.replace("\0", "\ufffd") if "\0" in source else source

    quote_depth = 0
    list_depth = 0
    footnotes: list[str] = []
    kind, level = "paragraph", 0
    row_line, row_cursor = -1, 0
    html_reader: HtmlReader | None = None

    for tok in tokens:
        t = tok.type
        if t == "inline":
            if not tok.children or tok.map is None:
                continue
            line = tok.map[0]
            block_kind, label = kind, ""
            if kind == "paragraph" and footnotes:
                block_kind, label = "footnote", footnotes[-1]
            elif kind == "paragraph" and list_depth:
                block_kind = "list_item"
            block_depth = list_depth if block_kind == "list_item" else 0
            children = tok.children
            content = tok.content
            if (
                len(children) == 1
                and kind != "table_cell"
                and children[0].type == "text"
                and "\n" not in content
                and children[0].content == content
                and line < len(starts)
            ):
                # One line of plain text (most paragraphs and headings): it stands verbatim
                # where its line ends it, so no inline walk is needed.
                pos = _line_start(parsed, content, line, tok.map[1], starts, ends)
                quoted = quote_depth > 0
                block = None
                if source.startswith(content, pos):
                    block = plain_block(content, pos, block_kind, level, quoted, block_depth, label)
                if block is None:
                    builder = BlockBuilder()
                    add_checked(builder, source, content, pos)
                    block = finish_block(
                        builder,
                        block_kind,
                        level=level,
                        quoted=quoted,
                        list_depth=block_depth,
                        label=label,
                        loose=doc.loose_links,
                    )
                if block is not None:
                    doc.blocks.append(block)
                kind, level = "paragraph", 0
                continue
            if kind == "table_cell":
                if line != row_line:
                    row_line, row_cursor = line, starts[line]
                cmap, row_cursor = _cell_map(parsed, tok.content, line, starts, ends, row_cursor)
            else:
                cmap = _content_map(parsed, tok.content, line, tok.map[1], starts, ends)
            walker = _Inline(md, env, source, ends, tok.content, cmap)
            walker.walk(tok.children)
            doc.comments.extend(walker.comments)
            block = finish_block(
                walker.builder,
                block_kind,
                level=level,
                quoted=quote_depth > 0,
                list_depth=block_depth,
                label=label,
                links=walker.links,
                markers=walker.markers,
                loose=doc.loose_links,
            )
            if block is not None:
                doc.blocks.append(block)
            if block is not None:
                doc.marker_links.extend(walker.marker_links)
            else:
                doc.loose_links.extend(walker.marker_links)  # a paragraph that was only a marker
            kind, level = "paragraph", 0
        elif t in _NOTHING_TO_READ:
            continue
        elif t == "paragraph_open":
            kind, level = "paragraph", 0
        elif t == "heading_open":
            kind, level = "heading", int(tok.tag[1:]) if tok.tag[1:].isdigit() else 1
        elif t in ("th_open", "td_open"):
            kind, level = "table_cell", 0
        elif t == "blockquote_open":
            quote_depth += 1
        elif t == "blockquote_close":
            quote_depth -= 1
        elif t in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif t == "footnote_reference_open":
            footnotes.append(str(tok.meta.get("label", "")))
        elif t == "footnote_reference_close":
            if footnotes:
                footnotes.pop()
        elif t == "html_block" and tok.map is not None and not _TAGS_ONLY_RE.match(tok.content):
            if html_reader is None:
                from healthlint.document.html import HtmlReader

                html_reader = HtmlReader(doc)
            base, text = _html_fragment(parsed, tok.content, tok.map[0], tok.map[1], starts, ends)
            outer, label = "paragraph", ""
            if footnotes:
                outer, label = "footnote", footnotes[-1]
            elif list_depth:
                outer = "list_item"
            html_reader.read(text, base, kind=outer, label=label, quoted=quote_depth > 0, list_depth=list_depth)
        elif t == "front_matter":
            _front_matter(doc, tok.content)
    return doc


def _html_fragment(
    source: str, content: str, first_line: int, last_line: int, starts: list[int], ends: list[int]
) -> tuple[int, str]:
    """Source offset and text of an HTML block, for the HTML reader.

    The text is the block's source lines with the container prefixes markdown-it removed
    ("> ", list indentation) blanked to spaces instead, so it keeps the source's length and
    offset + i is the source offset of text[i]. Blanks at a line start are insignificant in HTML.
    """
    last_line = min(last_line, len(starts))
    first = starts[first_line]
    end = ends[last_line - 1]
    body = content[:-1] if content.endswith("\n") else content
    if source.startswith(body, first) and first + len(body) == end:
        return first, body  # a top-level block: its lines are the source lines
    lines = content.split("\n")
    pieces: list[str] = []
    base = first
    for i, li in enumerate(range(first_line, last_line)):
        ls, le = starts[li], ends[li]
        rest = lines[i].lstrip(" \t") if i < len(lines) else ""
        p = le - len(rest) if rest and source.endswith(rest, ls, le) else ls if rest else le
        if i == 0:
            base = p
        else:
            pieces.append(source[ends[li - 1] : ls])  # the line break
            pieces.append(" " * (p - ls))
        pieces.append(source[p:le])
    return base, "".join(pieces)


def _front_matter(doc: Document, text: str) -> None:
    doc.front_matter = text
    if not text.strip():
        return
    import yaml  # only files with front matter pay for the import

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        doc.notices.append(f"front matter is not valid YAML{where}: {getattr(exc, 'problem', None) or exc}")
        return
    except (ValueError, TypeError, RecursionError) as exc:
        doc.notices.append(f"front matter could not be read: {exc}")
        return
    if isinstance(data, dict):
        doc.front_matter_data = data
