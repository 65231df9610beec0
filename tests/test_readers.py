"""Format readers: prose blocks, exact source maps, links, markers, comments, front matter."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthlint.document.html import read_html
from healthlint.document.load import BinaryFileError, decode, format_for, parse
from healthlint.document.markdown import _markdown_it, _parser, read_markdown
from healthlint.document.model import Block, BlockBuilder, Document, SourceMap
from healthlint.document.text import finish_block, plain_block, read_text

SHARED = Path(__file__).resolve().parents[2] / "shared"
READERS = {"markdown": read_markdown, "html": read_html, "text": read_text}


# --- helpers ------------------------------------------------------------------------------


def assert_exact(doc: Document) -> None:
    """Every verbatim character maps to itself in the source; positions never go back."""
    src = doc.source
    for block in doc.blocks:
        assert block.text, "blocks are never empty"
        assert block.text == block.text.strip(), f"block text is trimmed: {block.text!r}"
        previous = -1
        for i, ch in enumerate(block.text):
            pos = block.map.start(i)
            assert pos >= previous, f"source offsets go back at {i} in {block.text!r}"
            previous = pos
            if not block.map.is_atomic(i):
                assert src[pos] == ch, f"{block.text!r}[{i}] maps to {src[pos]!r} at {pos}"
        for link in block.links:
            assert 0 <= link.start <= link.end <= len(block.text)
            assert 0 <= link.src_start <= link.src_end <= len(src)
            assert link.text == block.text[link.start : link.end]
        for marker in block.markers:
            assert 0 <= marker.start <= marker.end <= len(block.text)
            assert 0 <= marker.src_start < marker.src_end <= len(src)
    for comment in doc.comments:
        assert src.startswith("<!", comment.src_start)
        # An unclosed "<!--" runs to the end of its file or HTML block.
        assert src[comment.src_end - 1] == ">" or "-->" not in src[comment.src_start : comment.src_end]
    assert_links(doc)


def assert_links(doc: Document) -> None:
    """`Document.links`: every block link once, plus loose links, in source order, inside the source."""
    src = doc.source
    listed = doc.links
    assert [link.src_start for link in listed] == sorted(link.src_start for link in listed)
    ids = {id(link) for link in listed}
    for block in doc.blocks:
        for link in block.links:
            assert id(link) in ids or any(
                other.src_start == link.src_start and other.url == link.url for other in listed
            ), f"{link} missing from Document.links"
    for link in listed:
        assert 0 <= link.src_start <= link.src_end <= len(src)
        if link.start == -1:
            assert link.end == -1
            assert link.text == ""
    for link in doc.loose_links + doc.marker_links:
        assert link.start == link.end == -1
        assert link in listed


def block_with(doc: Document, needle: str) -> Block:
    for block in doc.blocks:
        if needle in block.text:
            return block
    raise AssertionError(f"no block contains {needle!r}: {[b.text for b in doc.blocks]}")


def source_of(doc: Document, needle: str) -> str:
    """The source text behind the first occurrence of `needle` in the prose."""
    block = block_with(doc, needle)
    start = block.text.index(needle)
    a, b = block.span(start, start + len(needle))
    return doc.source[a:b]


def position_of(doc: Document, needle: str) -> tuple[int, int]:
    """1-based (line, column) of `needle` in the prose, through the source map."""
    block = block_with(doc, needle)
    offset = block.map.start(block.text.index(needle))
    if doc.source.count(needle) == 1:
        # Cross-check: a needle that is verbatim and unique in the source maps onto it.
        assert offset == doc.source.index(needle)
    return doc.position(offset)


def texts(doc: Document) -> list[str]:
    return [block.text for block in doc.blocks]


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_emphasis_maps_exactly() -> None:
    src = "Meet the gummy that is **clinically proven** to _ease_ stress.\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Meet the gummy that is clinically proven to ease stress."]
    assert source_of(doc, "clinically proven") == "clinically proven"
    # A span that crosses markup covers the markup in the source.
    assert source_of(doc, "proven to ease") == "proven** to _ease"
    assert position_of(doc, "stress") == (1, 56)


def test_markdown_headings_atx_and_setext() -> None:
    src = "# CalmRoot *Gummies* #\n\nSleep Support\n=============\n\n### Why it works\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert [(b.kind, b.level, b.text) for b in doc.blocks] == [
        ("heading", 1, "CalmRoot Gummies"),
        ("heading", 1, "Sleep Support"),
        ("heading", 3, "Why it works"),
    ]
    assert position_of(doc, "Why") == (6, 5)


def test_markdown_inline_link() -> None:
    src = 'A [2021 review](https://doi.org/10.1000/xyz "The review") found a small benefit.'
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert block.text == "A 2021 review found a small benefit."
    (link,) = block.links
    assert link.url == "https://doi.org/10.1000/xyz"
    assert link.text == "2021 review"
    assert src[link.src_start : link.src_end] == '[2021 review](https://doi.org/10.1000/xyz "The review")'
    # Text after the link is aligned after the URL, never inside it.
    assert source_of(doc, "found a small") == "found a small"


def test_markdown_link_text_with_markup_and_parentheses_in_url() -> None:
    src = "See [the **CDC** page](https://example.org/a_(b)) and [this](<https://x.example/a b>) too."
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert block.text == "See the CDC page and this too."
    assert [link.text for link in block.links] == ["the CDC page", "this"]
    assert src[block.links[0].src_start : block.links[0].src_end] == "[the **CDC** page](https://example.org/a_(b))"
    assert source_of(doc, "and this too") == "and [this](<https://x.example/a b>) too"


def test_markdown_reference_link() -> None:
    src = "Read the [lifeline guide][988] or the [FAQ].\n\n[988]: https://988lifeline.example/\n[faq]: /faq\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Read the lifeline guide or the FAQ."]
    links = doc.blocks[0].links
    assert [(link.url, link.text) for link in links] == [
        ("https://988lifeline.example/", "lifeline guide"),
        ("/faq", "FAQ"),
    ]
    assert src[links[0].src_start : links[0].src_end] == "[lifeline guide][988]"
    assert src[links[1].src_start : links[1].src_end] == "[FAQ]"


def test_markdown_entities_are_atomic() -> None:
    src = "Zinc &amp; elderberry &#8212; now &ndash; in drops &bogus; too."
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert block.text == "Zinc & elderberry — now – in drops &bogus; too."
    amp = block.text.index("&")
    assert block.map.is_atomic(amp)
    assert src[slice(*block.span(amp, amp + 1))] == "&amp;"
    dash = block.text.index("—")
    assert src[slice(*block.span(dash, dash + 1))] == "&#8212;"
    assert source_of(doc, "– in") == "&ndash; in"
    # An unknown entity is plain text.
    assert not block.map.is_atomic(block.text.index("&bogus;"))


def test_markdown_backslash_escapes_map_to_the_escaped_character() -> None:
    src = r"100\% natural, \*not\* a cure \[sic\]."
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert block.text == "100% natural, *not* a cure [sic]."
    assert src[block.map.start(block.text.index("%"))] == "%"
    assert src[block.map.start(block.text.index("*"))] == "*"
    assert source_of(doc, "*not*") == r"*not\*"


def test_markdown_blockquote_prefixes_are_skipped() -> None:
    src = '> "I was off my anxiety medication in two weeks.\n>   CalmRoot changed my life!"\n> — Sarah K.\n'
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    (block,) = doc.blocks
    assert block.quoted
    assert block.text == '"I was off my anxiety medication in two weeks.\nCalmRoot changed my life!"\n— Sarah K.'
    assert position_of(doc, "CalmRoot") == (2, 5)
    assert position_of(doc, "Sarah") == (3, 5)
    # The soft break maps to the source newline.
    nl = block.text.index("\n")
    assert src[block.map.start(nl)] == "\n"


def test_markdown_nested_blockquote_and_lazy_line() -> None:
    src = "> > Deep quote line\nlazy continuation\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert doc.blocks[0].quoted
    assert doc.blocks[0].text == "Deep quote line\nlazy continuation"


def test_markdown_lists_and_indentation() -> None:
    src = (
        "Why customers love it:\n\n"
        "- Vegan and gluten free\n"
        "  with no dyes\n"
        "    - Works for *everyone*\n"
        "1. First step\n"
        "2. Second step\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    items = [(b.kind, b.list_depth, b.text) for b in doc.blocks]
    assert items == [
        ("paragraph", 0, "Why customers love it:"),
        ("list_item", 1, "Vegan and gluten free\nwith no dyes"),
        ("list_item", 2, "Works for everyone"),
        ("list_item", 1, "First step"),
        ("list_item", 1, "Second step"),
    ]
    assert position_of(doc, "with no dyes") == (4, 3)
    assert position_of(doc, "everyone") == (5, 18)


def test_markdown_table_cells() -> None:
    src = "| Product | Claim |\n|---|:---:|\n| Drops | a \\| b |\n| Drops | Cures colds |\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("table_cell", "Product"),
        ("table_cell", "Claim"),
        ("table_cell", "Drops"),
        ("table_cell", "a | b"),
        ("table_cell", "Drops"),
        ("table_cell", "Cures colds"),
    ]
    # Equal cells in one row or in different rows keep their own positions.
    assert position_of(doc, "Cures") == (4, 11)
    pipe_cell = doc.blocks[3]
    assert src[pipe_cell.map.start(2)] == "|"
    assert src[pipe_cell.map.start(4)] == "b"


def test_markdown_crlf_and_lone_cr() -> None:
    src = "First line of copy\r\nsecond line.\r\n\r\nOld Mac line\rnext line\r"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    first, second = doc.blocks
    assert first.text == "First line of copy\nsecond line."
    assert second.text == "Old Mac line\nnext line"
    nl = first.text.index("\n")
    assert not first.map.is_atomic(nl)
    assert first.map.start(nl) == src.index("\r\n") + 1
    lone = second.text.index("\n")
    assert second.map.is_atomic(lone)
    assert src[second.map.start(lone)] == "\r"
    assert position_of(doc, "next line") == (5, 1)


def test_markdown_hard_breaks() -> None:
    src = "Call us today.  \nWe answer fast.\\\nAlways.\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert doc.blocks[0].text == "Call us today.\nWe answer fast.\nAlways."


def test_markdown_code_is_not_prose() -> None:
    src = (
        "Take `two gummies` daily.\n\n"
        "```text\nBatch note: the word cure must never appear.\n```\n\n"
        "    indented code says cure too\n\n"
        "Our ``double `tick` code`` ends here.\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Take  daily.", "Our  ends here."]
    assert position_of(doc, "ends here") == (9, 28)


def test_markdown_images_are_not_prose() -> None:
    src = "![Cures anxiety fast](hero.png) Real [![logo](l.png) text](https://example.org) here.\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Real  text here."]
    assert doc.blocks[0].links[0].text == " text"


def test_markdown_front_matter() -> None:
    src = "---\ntitle: CalmRoot\ntags: [sleep, stress]\n---\n\n# CalmRoot\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert doc.front_matter == "title: CalmRoot\ntags: [sleep, stress]"
    assert doc.front_matter_data == {"title": "CalmRoot", "tags": ["sleep", "stress"]}
    assert texts(doc) == ["CalmRoot"]
    assert "title" not in " ".join(texts(doc))


def test_markdown_front_matter_errors_become_notices() -> None:
    doc = read_markdown("a.md", "---\ntitle: [unclosed\n---\n\nBody text.\n")
    assert doc.front_matter_data == {}
    assert len(doc.notices) == 1
    assert "front matter" in doc.notices[0]
    assert texts(doc) == ["Body text."]
    scalar = read_markdown("a.md", "---\njust a string\n---\n\nBody.\n")
    assert scalar.front_matter == "just a string"
    assert scalar.front_matter_data == {}
    assert scalar.notices == []


def test_markdown_comments_block_and_inline() -> None:
    src = (
        "<!-- healthlint-disable claims/guaranteed -->\n"
        "Guaranteed relief <!-- healthlint-disable-next-line citations/statistic --> for all.\n\n"
        "<!--\nmulti-line note\n-->\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert [c.text for c in doc.comments] == [
        " healthlint-disable claims/guaranteed ",
        " healthlint-disable-next-line citations/statistic ",
        "\nmulti-line note\n",
    ]
    for comment in doc.comments:
        assert src[comment.src_start : comment.src_end] == f"<!--{comment.text}-->"
    assert "healthlint" not in " ".join(texts(doc))


def test_markdown_html_blocks_are_prose_in_reading_order() -> None:
    src = (
        '<div class="banner">\nCures <b>everything</b> &mdash; fast!\n</div>\n\n'
        "Real copy.\n\n"
        "<p>Studies show 70% of patients respond.<sup>1</sup></p>\n\n"
        "<details>\n<summary>Is it safe?</summary>\n\nIt has **no side effects**.\n\n</details>\n\n"
        "<table>\n  <tr><th>Dose</th><td>600 mg daily</td></tr>\n</table>\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "Cures everything — fast!"),
        ("paragraph", "Real copy."),
        ("paragraph", "Studies show 70% of patients respond."),
        ("paragraph", "Is it safe?"),
        ("paragraph", "It has no side effects."),
        ("table_cell", "Dose"),
        ("table_cell", "600 mg daily"),
    ]
    assert position_of(doc, "Cures") == (2, 1)
    assert source_of(doc, "everything — fast") == "everything</b> &mdash; fast"
    assert position_of(doc, "Studies show") == (7, 4)
    assert [(m.label, src[m.src_start : m.src_end]) for m in doc.blocks[2].markers] == [("1", "<sup>1</sup>")]
    assert position_of(doc, "600 mg") == (17, 24)


def test_markdown_html_block_after_a_leading_comment_is_prose() -> None:
    # CommonMark makes the whole line an HTML block when it starts with a comment.
    src = (
        "<!-- healthlint-disable-next-line claims/guaranteed --> Guaranteed relief for all.\n\n"
        "<!-- wp:paragraph --><p>Doctors agree it works.</p><!-- /wp:paragraph -->\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Guaranteed relief for all.", "Doctors agree it works."]
    assert position_of(doc, "Guaranteed") == (1, 57)
    assert [c.text for c in doc.comments] == [
        " healthlint-disable-next-line claims/guaranteed ",
        " wp:paragraph ",
        " /wp:paragraph ",
    ]
    for comment in doc.comments:
        assert src[comment.src_start : comment.src_end] == f"<!--{comment.text}-->"


def test_markdown_html_blocks_exclude_script_style_code_and_hidden() -> None:
    src = (
        "<script>\nvar claim = 'cures cancer';\n</script>\n\n"
        "<style>p::after { content: 'cure'; }</style>\n\n"
        "<div>Take <code>cure()</code> daily.<span hidden>Cures all</span></div>\n\n"
        "<pre>\ncure\n</pre>\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Take  daily."]


def test_markdown_html_blocks_in_blockquotes_lists_and_footnotes() -> None:
    src = (
        "> <div>\n"
        "> Nobody in my family\n"
        ">   got <b>sick</b> &amp; we\n"
        "> felt great.</div>\n\n"
        "- <p>Fast relief</p>\n\n"
        "  - <div>Nested <em>claim</em>\n"
        "    on two lines</div>\n\n"
        "Data are limited.[^1]\n\n"
        "[^1]: <p>Internal survey, 2025.</p>\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    got = [(b.kind, b.list_depth, b.quoted, b.label, b.text) for b in doc.blocks]
    assert got == [
        ("paragraph", 0, True, "", "Nobody in my family\ngot sick & we\nfelt great."),
        ("list_item", 1, False, "", "Fast relief"),
        ("list_item", 2, False, "", "Nested claim\non two lines"),
        ("paragraph", 0, False, "", "Data are limited."),
        ("footnote", 0, False, "1", "Internal survey, 2025."),
    ]
    # The "> " prefixes are never prose, and every word sits where it is in the source.
    assert ">" not in doc.blocks[0].text
    assert position_of(doc, "got") == (3, 5)
    assert position_of(doc, "felt great") == (4, 3)
    assert position_of(doc, "on two lines") == (9, 5)
    assert source_of(doc, "sick & we") == "sick</b> &amp; we"


def test_markdown_html_block_with_crlf_and_tabs() -> None:
    src = "<div>\r\n\tFirst line of copy\r\n\tsecond line.\r\n</div>\r\n\r\n>\t<p>Tab\tquote</p>\r\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["First line of copy\nsecond line.", "Tab\tquote"]
    first = doc.blocks[0]
    assert src[first.map.start(first.text.index("\n"))] == "\n"
    assert position_of(doc, "second") == (3, 2)
    assert position_of(doc, "Tab") == (6, 6)


def test_markdown_unclosed_comment_block_is_not_prose() -> None:
    src = "Real copy.\n\n<!-- draft notes\nCures everything, says the draft.\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Real copy."]
    (comment,) = doc.comments
    assert comment.text == " draft notes\nCures everything, says the draft."
    assert comment.src_start == src.index("<!--")


def test_markdown_autolinks_and_bare_urls() -> None:
    src = "Sources: <https://pubmed.example/123>, https://www.cdc.example/flu and www.nih.example/page.\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert "http" not in block.text and "www" not in block.text
    assert block.text == "Sources: ,  and ."
    urls = [link.url for link in block.links]
    assert urls == ["https://pubmed.example/123", "https://www.cdc.example/flu", "www.nih.example/page"]
    for link in block.links:
        assert link.start == link.end
        assert link.text == ""
    assert src[block.links[0].src_start : block.links[0].src_end] == "<https://pubmed.example/123>"
    assert src[block.links[1].src_start : block.links[1].src_end] == "https://www.cdc.example/flu"
    # The trailing period is sentence punctuation, not part of the URL.
    assert src[block.links[2].src_start : block.links[2].src_end] == "www.nih.example/page"
    assert block.text[block.links[2].start :] == "."


def test_markdown_url_as_link_text_is_not_prose() -> None:
    src = "Cure details: [https://shop.example/cure-flu](https://shop.example/cure-flu).\n"
    doc = read_markdown("a.md", src)
    block = doc.blocks[0]
    assert block.text == "Cure details: ."
    assert [link.url for link in block.links] == ["https://shop.example/cure-flu"]


def test_markdown_footnotes_and_sup_markers() -> None:
    src = (
        "Adults reported lower stress scores.[^1] Sleep improved too.<sup>2</sup>\n\n"
        "[^1]: Chandra K, et al. A randomized trial. 2012.\n"
        "    https://pubmed.example/23439798/\n"
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    body, note = doc.blocks
    assert body.text == "Adults reported lower stress scores. Sleep improved too."
    assert [(m.label, src[m.src_start : m.src_end]) for m in body.markers] == [("1", "[^1]"), ("2", "<sup>2</sup>")]
    assert body.markers[0].start == body.text.index(" Sleep")
    assert note.kind == "footnote"
    assert note.label == "1"
    assert note.text == "Chandra K, et al. A randomized trial. 2012."
    assert [link.url for link in note.links] == ["https://pubmed.example/23439798/"]


def test_markdown_footnote_reference_without_definition_is_a_marker() -> None:
    doc = read_markdown("a.md", "Most users slept better.[^7]\n")
    assert doc.blocks[0].text == "Most users slept better."
    assert [m.label for m in doc.blocks[0].markers] == ["7"]


def test_markdown_inline_html_tags() -> None:
    src = 'Call <b>now</b>.<br>Open <a href="https://clinic.example/hours">daily</a>.\n'
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert block.text == "Call now.\nOpen daily."
    assert block.map.is_atomic(block.text.index("\n"))
    assert [(link.url, link.text) for link in block.links] == [("https://clinic.example/hours", "daily")]


def test_markdown_tabs_and_unicode() -> None:
    src = "-\tÉlan vital™ drops\n\n>\tQuoted\ttab — ok 😀 end\n"
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert texts(doc) == ["Élan vital™ drops", "Quoted\ttab — ok 😀 end"]
    assert position_of(doc, "end") == (3, 21)


def test_markdown_realistic_page_positions() -> None:
    src = (
        "---\ntitle: ShieldUp Drops\n---\n\n"
        "# ShieldUp *Elderberry* Drops\n\n"
        "Cold season is here. ShieldUp **may help prevent the flu** and\n"
        "fights infections &mdash; before they start.[^a]\n\n"
        '> "Nobody in my family got sick!" &ndash; Jenna\n\n'
        "| Bundle | Price |\n|---|---|\n| One bottle | $29 |\n\n"
        "<!-- healthlint-disable-next-line claims/best -->\n"
        "Doctors agree it is the best defense ([source](https://example.org/flu)).\n\n"
        "[^a]: Internal data, 2025.\n"
    )
    doc = read_markdown("drops.md", src)
    assert_exact(doc)
    assert position_of(doc, "may help prevent the flu") == (7, 33)
    assert position_of(doc, "before they start") == (8, 27)
    assert position_of(doc, "Nobody") == (10, 4)
    assert position_of(doc, "One bottle") == (14, 3)
    assert position_of(doc, "the best defense") == (17, 21)
    assert doc.position(doc.comments[0].src_start) == (16, 1)
    assert [b.kind for b in doc.blocks] == [
        "heading",
        "paragraph",
        "paragraph",
        "table_cell",
        "table_cell",
        "table_cell",
        "table_cell",
        "paragraph",
        "footnote",
    ]


# --- HTML ---------------------------------------------------------------------------------


def test_html_blocks_and_kinds() -> None:
    src = (
        "<!DOCTYPE html><html><head><title>Title cures</title><style>p{}</style></head>\n"
        "<body>\n<h1>Ketamine <em>Infusions</em></h1>\n"
        "<p>Tired of feeling <strong>hopeless</strong>?</p>\n"
        "<ul>\n  <li>One bottle: $29</li>\n  <li>Three <ol><li>nested</li></ol></li>\n</ul>\n"
        "<table><tr><th>Dose</th><td>600 mg</td></tr></table>\n"
        "<dl><dt>Term</dt><dd>Definition</dd></dl>\n"
        "<figure><img src=x alt='Cures all'><figcaption>Our clinic</figcaption></figure>\n"
        "<blockquote>Simply gone. <p>Inner para.</p></blockquote>\n"
        "<div>Loose text in a div.</div>\n"
        "</body></html>\n"
    )
    doc = read_html("a.html", src)
    assert_exact(doc)
    got = [(b.kind, b.level, b.list_depth, b.quoted, b.text) for b in doc.blocks]
    assert got == [
        ("heading", 1, 0, False, "Ketamine Infusions"),
        ("paragraph", 0, 0, False, "Tired of feeling hopeless?"),
        ("list_item", 0, 1, False, "One bottle: $29"),
        ("list_item", 0, 1, False, "Three"),
        ("list_item", 0, 2, False, "nested"),
        ("table_cell", 0, 0, False, "Dose"),
        ("table_cell", 0, 0, False, "600 mg"),
        ("paragraph", 0, 0, False, "Term"),
        ("paragraph", 0, 0, False, "Definition"),
        ("caption", 0, 0, False, "Our clinic"),
        ("paragraph", 0, 0, True, "Simply gone."),
        ("paragraph", 0, 0, True, "Inner para."),
        ("paragraph", 0, 0, False, "Loose text in a div."),
    ]
    assert position_of(doc, "hopeless") == (4, 29)


def test_html_skipped_elements() -> None:
    src = (
        "<p>Visible <script>var cure = 1;</script>copy <code>cure()</code>here"
        "<span hidden>secret cure</span>.</p>\n"
        "<noscript>Enable JS to cure</noscript><template><p>cure</p></template>\n"
        "<svg><text>cure</text></svg><pre>cure\ncode</pre><p hidden>hidden cure</p>\n"
        "<textarea>cure</textarea><kbd>cure</kbd><p>End.</p>\n"
    )
    doc = read_html("a.html", src)
    assert_exact(doc)
    assert texts(doc) == ["Visible copy here.", "End."]


def test_html_entities_and_breaks() -> None:
    src = "<p>Zinc &amp; C &mdash; &#8212; &#x2014; &copy 2026 &bogus; done<br>next &nbsp;line</p>"
    doc = read_html("a.html", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert block.text == "Zinc & C — — — © 2026 &bogus; done\nnext \xa0line"
    for entity in ("&amp;", "&mdash;", "&#8212;", "&#x2014;", "&copy"):
        start = src.index(entity)
        index = next(i for i in range(len(block.text)) if block.map.start(i) == start)
        assert block.map.is_atomic(index)
        assert src[slice(*block.span(index, index + 1))] == entity
    br = block.text.index("\n")
    assert src[slice(*block.span(br, br + 1))] == "<br>"
    assert not block.map.is_atomic(block.text.index("&bogus;"))


def test_html_whitespace_and_indentation_collapse_to_newline() -> None:
    src = "<ul>\r\n  <li>Return to normal activity\r\n      within a week</li>\n</ul>"
    doc = read_html("a.html", src)
    assert_exact(doc)
    (block,) = doc.blocks
    assert block.text == "Return to normal activity\nwithin a week"
    assert position_of(doc, "within") == (3, 7)


def test_html_links_markers_comments() -> None:
    src = (
        "<p>Studies show 70% respond.<sup><a href='#r1'>1</a></sup> Learn more on our "
        '<a href="https://clinic.example/science">science page</a>.</p>\n'
        "<!-- healthlint-disable claims/guaranteed -->\n"
        "<p>Source: https://pubmed.example/1.</p>"
    )
    doc = read_html("a.html", src)
    assert_exact(doc)
    first, second = doc.blocks
    assert first.text == "Studies show 70% respond. Learn more on our science page."
    (marker,) = first.markers
    assert marker.label == "1"
    assert src[marker.src_start : marker.src_end] == "<sup><a href='#r1'>1</a></sup>"
    (link,) = first.links
    assert link.url == "https://clinic.example/science"
    assert link.text == "science page"
    assert src[link.src_start : link.src_end] == '<a href="https://clinic.example/science">science page</a>'
    (comment,) = doc.comments
    assert comment.text == " healthlint-disable claims/guaranteed "
    assert src[comment.src_start : comment.src_end] == "<!-- healthlint-disable claims/guaranteed -->"
    assert second.text == "Source: ."
    assert [link.url for link in second.links] == ["https://pubmed.example/1"]


def test_html_inline_code_does_not_split_a_paragraph() -> None:
    doc = read_html("a.html", "<p>Use <code>x</code> daily and <b>rest</b> well.</p>")
    assert texts(doc) == ["Use  daily and rest well."]


def test_html_unclosed_and_misnested_tags() -> None:
    src = "<div><p>First para<p>Second <b>bold <i>both</b> end</i>\n<li>stray item<td>cell</div></span>after"
    doc = read_html("a.html", src)
    assert_exact(doc)
    assert texts(doc) == ["First para", "Second bold both end", "stray item", "cell", "after"]


@pytest.mark.parametrize(
    "src",
    [
        "",
        "<",
        "<<<>>>",
        "</p></div></html>",
        "<p",
        "<!-- unclosed comment",
        "<![CDATA[ x ]]> text",
        "<!doctype><?xml?><p>ok</p>",
        "<script>never closed",
        "&#99999999999; &#x; &; &amp",
        "<a href>no value</a><sup>",
        "<p>\x00 nul \ufffd</p>",
        "<svg/><sup/>Text after self-closing",
        "<head>unclosed head<body><p>Body</p>",
    ],
)
def test_html_garbage_never_raises(src: str) -> None:
    doc = read_html("a.html", src)
    assert_exact(doc)


def test_html_empty_and_unclosed_comments_are_not_prose() -> None:
    src = "<p>Before<!-->after<!--->end.</p>\n<p>Kept.</p><!-- draft: cures everything\n<p>Never shown.</p>"
    doc = read_html("a.html", src)
    assert_exact(doc)
    assert texts(doc) == ["Beforeafterend.", "Kept."]
    assert [(c.text, src[c.src_start : c.src_end]) for c in doc.comments] == [
        ("", "<!-->"),
        ("", "<!--->"),
        (" draft: cures everything\n<p>Never shown.</p>", "<!-- draft: cures everything\n<p>Never shown.</p>"),
    ]


def test_html_self_closing_sup_and_svg_do_not_swallow_text() -> None:
    doc = read_html("a.html", "<p><svg/>Text after<sup/> icons.</p>")
    assert texts(doc) == ["Text after icons."]


def test_html_eval_page_positions() -> None:
    src = (
        "<html>\n<body>\n<h1>Ketamine Infusions</h1>\n"
        "<p>Our infusions offer <strong>guaranteed relief</strong>\nfrom depression.</p>\n"
        '<blockquote>"After three infusions it was gone." &mdash; Mark T.</blockquote>\n'
        "<p>Open 9 a.m. to 5 p.m.</p>\n</body>\n</html>\n"
    )
    doc = read_html("k.html", src)
    assert_exact(doc)
    assert position_of(doc, "guaranteed relief") == (4, 32)
    assert position_of(doc, "from depression") == (5, 1)
    assert block_with(doc, "After three").quoted


# --- plain text ---------------------------------------------------------------------------


def test_text_paragraphs_headings_and_bullets() -> None:
    src = (
        "10.15.2025\n\n7 mins\n\nThe Speed Difference\n\n"
        "While SSRIs take weeks, ketamine can lift depression within hours. Patients notice.\n\n"
        "In simpler terms:\n\n"
        "  •  Traditional antidepressants: boost chemicals\n\n"
        "  •  Ketamine: repairs neural connections\n\n"
        "2. Look Beyond Monoamines\n\n"
        "If serotonin has not worked, explore other options.\n"
    )
    doc = read_text("a.txt", src)
    assert_exact(doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("heading", "10.15.2025"),
        ("heading", "7 mins"),
        ("heading", "The Speed Difference"),
        ("paragraph", "While SSRIs take weeks, ketamine can lift depression within hours. Patients notice."),
        ("paragraph", "In simpler terms:"),
        ("list_item", "Traditional antidepressants: boost chemicals"),
        ("list_item", "Ketamine: repairs neural connections"),
        ("list_item", "Look Beyond Monoamines"),
        ("paragraph", "If serotonin has not worked, explore other options."),
    ]
    assert doc.blocks[0].level == 2
    assert position_of(doc, "Ketamine: repairs") == (13, 6)


def test_text_bullet_markers_are_excluded() -> None:
    src = "What to expect:\n• One\n◦ Two nested\n▪ Three\n- Four\n* Five\n– Six\n1) Seven\n12. Twelve\n"
    doc = read_text("a.txt", src)
    assert_exact(doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("paragraph", "What to expect:"),
        ("list_item", "One"),
        ("list_item", "Two nested"),
        ("list_item", "Three"),
        ("list_item", "Four"),
        ("list_item", "Five"),
        ("list_item", "Six"),
        ("list_item", "Seven"),
        ("list_item", "Twelve"),
    ]
    assert doc.blocks[2].list_depth == 2
    assert doc.blocks[1].list_depth == 1


def test_text_hard_wrap_join_rules() -> None:
    src = (
        "Treatment-resistant depression is commonly defined as a disorder that does\n"
        "Not respond to two trials of medication, per the long line rule.\n"
        "short line without punctuation\n"
        "continues in lowercase here.\n"
        "Short Title Line\n"
        "Next paragraph starts here.\n"
        "Ends with a colon:\n"
        "new block after colon.\n"
    )
    doc = read_text("a.txt", src)
    assert_exact(doc)
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (
            "paragraph",
            "Treatment-resistant depression is commonly defined as a disorder that does\n"
            "Not respond to two trials of medication, per the long line rule.",
        ),
        ("paragraph", "short line without punctuation\ncontinues in lowercase here."),
        ("heading", "Short Title Line"),
        ("paragraph", "Next paragraph starts here."),
        ("paragraph", "Ends with a colon:"),
        ("paragraph", "new block after colon."),
    ]
    joined = doc.blocks[0]
    nl = joined.text.index("\n")
    assert doc.source[joined.map.start(nl)] == "\n"


def test_text_wrapped_bullet_and_indented_continuation() -> None:
    src = "- A bullet that wraps onto\n    the next line with indentation\n- Second\n"
    doc = read_text("a.txt", src)
    assert_exact(doc)
    assert texts(doc) == ["A bullet that wraps onto\nthe next line with indentation", "Second"]
    assert position_of(doc, "the next") == (2, 5)


def test_text_line_endings_tabs_and_closing_quotes() -> None:
    src = "He said “try it.”\r\nNext block here\r\n\r\nOld mac\rline two.\r\tTabbed\tline."
    doc = read_text("a.txt", src)
    assert_exact(doc)
    assert texts(doc) == ["He said “try it.”", "Next block here", "Old mac\nline two.", "Tabbed\tline."]
    assert doc.blocks[1].kind == "heading"
    mac = doc.blocks[2]
    assert mac.map.is_atomic(mac.text.index("\n"))
    assert position_of(doc, "Tabbed") == (6, 2)


def test_text_last_short_line_is_not_a_heading() -> None:
    doc = read_text("a.txt", "Book your consultation today.\n\nWe're now accepting new patients\n")
    assert [b.kind for b in doc.blocks] == ["paragraph", "paragraph"]


def test_text_bare_urls_are_links() -> None:
    src = "Read more at https://www.clinic.example/nyc/depression, or visit www.clinic.example.\n"
    doc = read_text("a.txt", src)
    assert_exact(doc)
    block = doc.blocks[0]
    assert block.text == "Read more at , or visit ."
    assert [link.url for link in block.links] == ["https://www.clinic.example/nyc/depression", "www.clinic.example"]
    assert [src[link.src_start : link.src_end] for link in block.links] == [link.url for link in block.links]
    assert block.links[0].start == block.text.index(",")


def test_text_url_only_block_is_dropped_and_empty_input() -> None:
    assert texts(read_text("a.txt", "https://example.org/only\n\nReal text.")) == ["Real text."]
    assert read_text("a.txt", "").blocks == []
    assert read_text("a.txt", "\n\n \t\n").blocks == []


# --- document links and source-map edges ----------------------------------------------------


def test_markdown_document_links_include_dropped_paragraphs() -> None:
    src = (
        "[![CalmRoot seal](seal.png)](https://seal.example/verify)\n\n"
        "https://pubmed.example/123\n\n"
        "[https://shop.example/cure](https://shop.example/cure)\n\n"
        "See the <https://cdc.example/flu> page, www.nih.example/x and [our FAQ](/faq).\n\n"
        '<div><a href="https://partner.example">Partner clinic</a></div>\n\n'
        '<p><a href="https://icon.example"><img src="i.png"></a></p>\n\n'
        'Visit <a href="https://open.example">our partner\n\nNext paragraph.\n'
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    assert [(link.url, link.start) for link in doc.links] == [
        ("https://seal.example/verify", -1),
        ("https://pubmed.example/123", -1),
        ("https://shop.example/cure", -1),
        ("https://cdc.example/flu", 8),
        ("www.nih.example/x", 15),
        ("/faq", 20),
        ("https://partner.example", 0),
        ("https://icon.example", -1),
        ("https://open.example", 6),
    ]
    spans = [src[link.src_start : link.src_end] for link in doc.links]
    assert spans[:3] == [
        "[![CalmRoot seal](seal.png)](https://seal.example/verify)",
        "https://pubmed.example/123",
        "[https://shop.example/cure](https://shop.example/cure)",
    ]
    assert spans[7] == '<a href="https://icon.example"><img src="i.png"></a>'
    # Block.links is unchanged: the blocks hold only the links of their own prose.
    see = block_with(doc, "See the")
    assert [link.url for link in see.links] == ["https://cdc.example/flu", "www.nih.example/x", "/faq"]
    assert all(link in doc.links for link in see.links)
    assert [(link.url, link.text) for link in block_with(doc, "Partner").links] == [
        ("https://partner.example", "Partner clinic")
    ]
    # An <a href> left open in a paragraph runs to the end of that paragraph.
    (open_link,) = block_with(doc, "Visit").links
    assert open_link.text == "our partner"
    assert src[open_link.src_start : open_link.src_end] == '<a href="https://open.example">our partner'


def test_html_document_links() -> None:
    src = (
        '<p>Studies show 70% respond.<sup><a href="https://pubmed.example/9">9</a></sup></p>\n'
        '<a href="https://clinic.example/team"><h3>Our team</h3><br><p>Board-certified doctors.</p><br></a>\n'
        '<a href="https://social.example/clinic"><svg><path d="M0"/></svg></a>\n'
        "<p>https://fda.example/warning</p>\n"
        '<p>Read <a href="/a">one <a href="/b">two</a>.</p>\n'
    )
    doc = read_html("a.html", src)
    assert_exact(doc)
    assert [(link.url, link.start) for link in doc.links] == [
        ("https://pubmed.example/9", -1),
        ("https://clinic.example/team", 0),
        ("https://social.example/clinic", -1),
        ("https://fda.example/warning", -1),
        ("/a", 5),
        ("/b", 9),
    ]
    # The reference marker keeps its place; its link is beside it, in no block's text.
    first = doc.blocks[0]
    assert first.links == []
    assert [m.label for m in first.markers] == ["9"]
    (marker_link,) = doc.marker_links
    assert src[marker_link.src_start : marker_link.src_end] == '<a href="https://pubmed.example/9">9</a>'
    assert [link.url for link in doc.loose_links] == ["https://social.example/clinic", "https://fda.example/warning"]
    # A linked card: each block holds the link, the document lists it once.
    assert [link.url for link in block_with(doc, "Our team").links] == ["https://clinic.example/team"]
    assert [link.url for link in block_with(doc, "Board-certified").links] == ["https://clinic.example/team"]
    # A new <a> closes an open one.
    assert [(link.url, link.text) for link in block_with(doc, "Read").links] == [("/a", "one "), ("/b", "two")]


def test_markdown_marker_links() -> None:
    src = (
        'Most adults sleep better.<sup><a href="https://pubmed.example/4">4</a></sup> Ask us.\n\n'
        '<sup><a href="https://pubmed.example/5">5</a></sup>\n'
    )
    doc = read_markdown("a.md", src)
    assert_exact(doc)
    (block,) = doc.blocks
    assert block.text == "Most adults sleep better. Ask us."
    assert block.links == []
    assert [m.label for m in block.markers] == ["4"]
    assert [(link.url, src[link.src_start : link.src_end]) for link in doc.marker_links] == [
        ("https://pubmed.example/4", '<a href="https://pubmed.example/4">4</a>')
    ]
    # A paragraph that is only a marker has no block: its link is loose.
    assert [link.url for link in doc.loose_links] == ["https://pubmed.example/5"]
    assert [link.url for link in doc.links] == ["https://pubmed.example/4", "https://pubmed.example/5"]


def test_text_document_links() -> None:
    src = "https://clinic.example/book\n\nCall us or visit www.clinic.example/faq today.\n"
    doc = read_text("a.txt", src)
    assert_exact(doc)
    assert texts(doc) == ["Call us or visit  today."]
    assert [(link.url, link.start) for link in doc.links] == [
        ("https://clinic.example/book", -1),
        ("www.clinic.example/faq", 17),
    ]
    assert [src[link.src_start : link.src_end] for link in doc.links] == [link.url for link in doc.links]


def test_document_without_links() -> None:
    assert read_markdown("a.md", "Plain copy.\n").links == []
    assert read_text("a.txt", "").links == []


def test_empty_span_at_block_end_is_after_the_last_character() -> None:
    src = "# Why it works\n\nZinc supports immunity &amp;\n\nIt ends here"
    doc = read_markdown("a.md", src)
    heading, entity, plain = doc.blocks
    for block in doc.blocks:
        n = len(block.text)
        assert block.span(n, n) == (block.src_end, block.src_end)
        # Other empty spans stand before their character, as before.
        assert block.span(0, 0) == (block.src_start, block.src_start)
        assert block.span(n - 1, n - 1) == (block.map.start(n - 1),) * 2
        assert block.span(n - 1, n) == (block.map.start(n - 1), block.src_end)
    assert heading.span(12, 12) == (14, 14) == (src.index("\n"),) * 2
    # The text ends in an entity: the end is after the whole entity.
    n = len(entity.text)
    assert entity.text.endswith("&")
    assert entity.span(n, n)[0] == src.index("&amp;") + len("&amp;")
    assert plain.span(len(plain.text), len(plain.text)) == (len(src), len(src))
    assert SourceMap().span(0, 0) == (0, 0)


# --- loading ------------------------------------------------------------------------------


def test_format_for() -> None:
    assert format_for("docs/page.md") == "markdown"
    assert format_for("PAGE.MARKDOWN") == "markdown"
    assert format_for("a/b.HTM") == "html"
    assert format_for("x.html") == "html"
    assert format_for("notes.txt") == "text"
    assert format_for("README") == "text"
    assert format_for("data.rst") == "text"


def test_decode() -> None:
    assert decode("plain é".encode()) == ("plain é", [])
    assert decode(b"\xef\xbb\xbfBOM text") == ("BOM text", [])
    assert decode("utf16 é".encode("utf-16")) == ("utf16 é", [])
    assert decode(b"\xfe\xff" + "be é".encode("utf-16-be")) == ("be é", [])
    assert decode("no bom here".encode("utf-16-le")) == ("no bom here", [])
    text, notices = decode(b"bad \xff byte")
    assert text == "bad \ufffd byte"
    assert notices == ["invalid UTF-8 replaced"]
    with pytest.raises(BinaryFileError):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert issubclass(BinaryFileError, ValueError)


def test_parse_dispatch() -> None:
    assert parse("a.md", "# Title").blocks[0].kind == "heading"
    assert parse("a.html", "<h2>Title</h2>").blocks[0].level == 2
    assert parse("a.txt", "# Title").blocks[0].text == "# Title"
    assert parse("a.txt", "# Title", "markdown").format == "markdown"
    with pytest.raises(ValueError, match="unknown document format"):
        parse("a.txt", "x", "rtf")


def test_text_run_does_not_import_markdown_it() -> None:
    code = (
        "import sys\n"
        "from healthlint.document.load import parse\n"
        "doc = parse('a.txt', 'Plain copy. More copy.')\n"
        "doc.sentences\n"
        "print('markdown_it' in sys.modules, 'html.parser' in sys.modules)\n"
    )
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.split() == ["False", "False"]


# --- properties over real and generated documents -----------------------------------------


def _shared_docs() -> list[Path]:
    repo_seeds = Path(__file__).resolve().parents[1] / "seeds"
    paths = sorted((SHARED / "seeds").glob("*.txt")) + sorted((SHARED / "eval" / "docs").glob("*"))
    paths += sorted(p for p in repo_seeds.glob("*") if p.suffix in (".md", ".html", ".htm", ".txt"))
    return [p for p in paths if p.is_file()]


@pytest.mark.skipif(not _shared_docs(), reason="shared seeds and eval docs not available")
@pytest.mark.parametrize("path", _shared_docs(), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", sorted(READERS))
def test_shared_documents_map_exactly(path: Path, fmt: str) -> None:
    source, notices = decode(path.read_bytes())
    assert notices == []
    doc = READERS[fmt](str(path), source)
    assert_exact(doc)
    if fmt == format_for(str(path)):
        assert doc.blocks
        assert not any("://" in b.text for b in doc.blocks)


_MD_PIECES = [
    "word", "Cure", " ", "  ", "\n", "\n\n", "\r\n", "\r", "\t", "*", "**", "_", "`", "``", "[", "]", "(", ")",
    "![", "](", "https://x.example/a_(b)", "www.y.example", "<", ">", "<!-- c -->", "<sup>1</sup>", "<br>",
    "&amp;", "&#8212;", "&bogus;", "\\", "\\*", "\\|", "|", "| a | b |\n|---|---|\n", "- ", "1. ", "> ", "# ",
    "---\n", "```\n", "    ", "[^1]", "[^1]: ", '"t"', "é", "\u00a0", "<https://auto.example>",
    "<a href='u'>", "</a>", "[r]: /url\n", "[r]", "===", "\x00", "😀",
]  # fmt: skip
_HTML_PIECES = [
    "word", "Cure", " ", "\n", "\r\n", "\t", "<p>", "</p>", "<div>", "</div>", "<li>", "<ul>", "</ul>", "<td>",
    "<tr>", "<table>", "<h2>", "</h2>", "<br>", "<sup>", "</sup>", '<a href="https://x.example/z">', "</a>",
    "<script>", "</script>", "<!-- c -->", "&amp;", "&#8212;", "&copy", "&bogus;", "&", "<", ">", "<b>", "</i>",
    "<span hidden>", "</span>", "<blockquote>", "<code>", "</code>", "<![CDATA[x]]>", "é", "https://u.example/x",
]  # fmt: skip
_TEXT_PIECES = [
    "word", "Cure", "Heading", "end.", "?", ":", " ", "\n", "\n\n", "\r\n", "\r", "\t", "• ", "- ", "1. ", "2) ",
    "https://a.example/c", "www.q.example.", "é", "\u00a0", "”", "lower", "Upper", "a" * 70,
]  # fmt: skip


_MD_HTML_PIECES = [
    "\n", "\n\n", "\r\n", "> ", "- ", "  ", "\t", "1. ", "[^n]: ", "<div>", "</div>", "<p>", "</p>", "<details>",
    "<summary>", "</summary>", "<table>", "<tr>", "<td>", "<th>", "<li>", "<ul>", "<br>", "<b>", "</b>", "<sup>",
    "</sup>", "<a href='https://a.example/q'>", "</a>", "<img src=x>", "<!--", "-->", "<!-- c -->", "<script>",
    "</script>", "<pre>", "</pre>", "<code>", "<?pi?>", "<!DOCTYPE html>", "<![CDATA[x]]>", "&amp;", "&#8212;",
    "&bogus;", "&", "<", ">", "word", "Cure", " ", "é", "https://u.example/x", "*", "[l](/u)", "`", "\x00",
]  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_MD_HTML_PIECES), max_size=50))
def test_generated_markdown_html_blocks_map_exactly(pieces: list[str]) -> None:
    # Lines that start with a tag or a comment become HTML blocks, in and out of containers.
    source = "".join(pieces)
    doc = read_markdown("gen.md", source)
    assert_exact(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(READERS)),
    st.data(),
)
def test_generated_documents_map_exactly(fmt: str, data: st.DataObject) -> None:
    pieces = {"markdown": _MD_PIECES, "html": _HTML_PIECES, "text": _TEXT_PIECES}[fmt]
    source = "".join(data.draw(st.lists(st.sampled_from(pieces), max_size=40)))
    assert_exact(READERS[fmt]("gen", source))


# --- the tuned markdown-it parser ---------------------------------------------------------

# Line starts and inline pieces for every block and inline rule the reader uses, and for the
# characters the tuned parser picks its rules by ("]" ends a link label; "-", ":" start none).
_LINE_STARTS = [
    "", "", "", "   ", "    ", "\t", "> ", "> > ", "- ", "* ", "+ ", "1. ", "2) ", "  - ", "# ", "###### ", "####### ",
    "#x ", "```", "~~~", "<div>", "<!-- ", "[^1]: ", "[ref]: /u 'T'", "***", "---", "___", "===", "| a | b |",
    "|---|:-:|", "- - -",
]  # fmt: skip
_INLINE_PIECES = [
    "Our tea helps you sleep. ", "*calm*", "__deep__", "**", "_", "[study](https://example.org/s)", "[x][ref]",
    "[a [b] c](/u)", "![label](img.png)", "![", "<https://example.org>", "<a href='/shop'>", "</a>", "<sup>1</sup>",
    "`dose`", "``a`b``", "&amp;", "&#8212;", "&bogus;", "\\*", "\\", "[^1]", "[", "]", "!", "<", ">", "&", "  ",
    "www.example.org ", "3.5 mg: 50% - 2x ", "~~no~~", "é", "\u00a0",
]  # fmt: skip


def _token_data(tokens: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (t.type, t.tag, t.nesting, t.content, t.markup, t.info, t.attrs, t.map, t.level, t.meta, t.hidden,
         _token_data(t.children) if t.children is not None else None)
        for t in tokens
    ]  # fmt: skip


def test_tuned_markdown_parser_gives_exactly_markdown_its_tokens() -> None:
    # The reader's parser skips rules that cannot match where it stands; the tokens must not change.
    stock, tuned = _markdown_it(), _parser()
    rng = random.Random(9)
    for _ in range(400):
        lines = [
            rng.choice(_LINE_STARTS) + "".join(rng.choice(_INLINE_PIECES) for _ in range(rng.randint(0, 5)))
            for _ in range(rng.randint(1, 12))
        ]
        if rng.random() < 0.2:
            lines.insert(0, "---\ntitle: Sleep\n---")
        source = rng.choice(["\n", "\r\n", "\r"]).join(lines)
        assert _token_data(tuned.parse(source, {})) == _token_data(stock.parse(source, {})), repr(source)


@pytest.mark.parametrize(
    "text",
    ["Our tea helps you sleep.", "Dr. Reyes answers: 50% fewer wake-ups", "Sleep better tonight!", "Café hours"],
)
def test_plain_block_is_the_block_finish_block_makes(text: str) -> None:
    builder = BlockBuilder()
    builder.verbatim(text, 7)
    expected = finish_block(builder, "heading", level=2, quoted=True, list_depth=0, label="")
    block = plain_block(text, 7, "heading", 2, True, 0, "")
    assert expected is not None and block is not None
    assert list(block.map.segments()) == list(expected.map.segments()) == [(0, len(text), 7, -1)]
    block.map = expected.map  # a SourceMap compares by identity
    assert block == expected


@pytest.mark.parametrize(
    "text", ["See https://example.org/study", "Visit www.example.org", " Padded", "Padded\u00a0", ""]
)
def test_plain_block_leaves_urls_and_blanks_to_finish_block(text: str) -> None:
    assert plain_block(text, 0, "paragraph", 0, False, 0, "") is None


# --- invisible characters ---------------------------------------------------------------------

INVISIBLE_CASES = [
    ("page.md", "# Sleep\n\nOur tea cu\u00adres insomnia, and Night\u200bCalm works.\n"),
    ("page.html", "<html><body><p>Our tea cu&shy;res insomnia, and Night&#8203;Calm works.</p></body></html>"),
    ("page.txt", "SLEEP\n\nOur tea cu\u00adres insomnia, and Night\u2060Calm works.\n"),
]


@pytest.mark.parametrize(("name", "source"), INVISIBLE_CASES)
def test_invisible_characters_do_not_split_words(name: str, source: str) -> None:
    """A soft hyphen or zero-width space inside a word would hide it from every rule."""
    doc = parse(name, source)
    assert_exact(doc)
    prose = [block.text for block in doc.blocks if "insomnia" in block.text]
    assert prose == ["Our tea cures insomnia, and NightCalm works."]
    block = doc.blocks[[b.text for b in doc.blocks].index(prose[0])]
    start = block.text.index("cures")
    src_start, src_end = block.map.span(start, start + len("cures insomnia"))
    # The finding's place in the source still covers the invisible character between the halves.
    assert source[src_start:src_end].startswith("cu") and source[src_start:src_end].endswith("res insomnia")


def test_a_claim_split_by_a_soft_hyphen_is_still_found(tmp_path: Path) -> None:
    from healthlint.engine.linter import Linter

    page = tmp_path / "tea.md"
    page.write_text("# Sleep tea\n\nOur tea cu\u00adres insomnia.\n", encoding="utf-8")
    found = [d for d in Linter().lint_file(str(page)).diagnostics if d.rule == "claims/disease-claim"]
    assert [(d.line, d.column, d.match) for d in found] == [(3, 9, "cu\u00adres insomnia")]
