"""Property-based tests: whatever the input, the readers and the pipeline never raise, every
finding points at exactly the text it quotes, and the output does not depend on file order or
worker count.

Examples are drawn from arbitrary Unicode and from "nasty markup": fragments of Markdown and
HTML (unclosed tags and fences, entities, comments, front matter, tables, footnotes), every
kind of line break, zero-width and combining characters, mixed with copy that makes rules fire.
The hypothesis profile in conftest.py derandomizes them, so CI runs the same examples each time.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.cli import main
from healthlint.config import Config
from healthlint.diagnostic import Diagnostic
from healthlint.document.load import BinaryFileError, decode, parse
from healthlint.document.model import Document
from healthlint.engine import parallel
from healthlint.engine.linter import Linter
from healthlint.reporters import Summary, reporter

LINE_BREAK = re.compile(r"\r\n|\r|\n")
EXTENSIONS = ("md", "html", "txt")
FORMAT_OF = {"md": "markdown", "html": "html", "txt": "text"}

# Copy that makes rules of every family fire, so positions are checked on real findings.
COPY = [
    "Our gummies cure insomnia. ", "Clinically proven to work for everyone! ", "No side effects.",
    "Studies show 87% of patients sleep better. ", "I lost 20 pounds in a month! — Dana K., Austin",
    "Thousands of happy customers agree. ", "This supplement supports a healthy immune system. ",
    "IV ketamine treats depression. ", "Here is what you need to know:", "TODO: add the dosage",
    "the the ", "Our tea may help some people relax. ", "Research suggests [1] it helps. ",
    "Results may vary. ", "This is not medical advice.", "Utilize this medication prior to meals. ",
]
MARKUP = [
    "# ", "## ", "### ", "- ", "* ", "+ ", "1. ", "2) ", "> ", ">> ", "    ", "\t", "```", "```python\n", "~~~",
    "`", "**", "*", "_", "__", "~~", "[", "]", "(", ")", "](https://example.org/study)", "](/our-page)",
    "[^1]", "[^1]: Smith J. 2021. ", "![alt](img.png)", "<https://pubmed.ncbi.nlm.nih.gov/123456/>",
    "https://doi.org/10.1000/xyz ", "---\n", "---\ntitle: Page\naudience: patients\n---\n", "***", "| a | b |\n",
    "|---|---|\n", " | ", "<!-- ", " -->", "<!-- healthlint-disable -->", "<!-- healthlint-enable -->",
    "<!-- healthlint-disable-next-line claims -->\n", "<p>", "</p>", "<div>", "</div>", "<br>", "<br/>",
    "<ul>", "<li>", "</li>", "</ul>", "<table><tr><td>", "</td></tr></table>", "<h1>", "</h1>", "<h2 id='x'>",
    "<a href=\"https://example.org\">", "<a href='/shop'>", "</a>", "<sup>1</sup>", "<sup><a href='#r1'>2</a></sup>",
    "<script>var x = '<p>';</script>", "<style>p{}</style>", "<blockquote>", "</blockquote>", "<pre>", "</pre>",
    "<code>", "</code>", "<img src=x alt='y'>", "<", ">", "</", "<!", "<![CDATA[x]]>", "<?xml ?>", "<a ",
    "&amp;", "&nbsp;", "&#8212;", "&#x1F600;", "&bogus;", "&", "&#", "\\", "\\*", ":", "::", "...", "…",
    "\n", "\n\n", "\r\n", "\r\n\r\n", "\r", "\r\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x00",
    "\u200b", "\u200d", "\ufeff", "\u00ad", "e\u0301", "\u202e", "😀", "👩‍⚕️", "\U0001d400", "ﬁ", "İ", "ß", "Σ",
    " ", "  ", ".", "!", "?", "\"", "“", "”", "'", "’", "«", "»", "—", "–",
]
tokens = st.one_of(st.sampled_from(COPY), st.sampled_from(MARKUP), st.text(max_size=6))
nasty = st.lists(tokens, max_size=60).map("".join)
any_unicode = st.text(max_size=400)
documents = st.one_of(nasty, any_unicode)

LINTER = Linter(Config())


def line_starts(text: str) -> list[int]:
    """Offsets where lines start; \\n, \\r\\n and a lone \\r end a line."""
    return [0, *(m.end() for m in LINE_BREAK.finditer(text))]


def offset_of(text: str, starts: list[int], line: int, column: int) -> int:
    """The source offset of a 1-based (line, column), checked to lie inside the file and its line."""
    assert 1 <= line <= len(starts), (line, len(starts))
    line_end = starts[line] if line < len(starts) else len(text)
    offset = starts[line - 1] + column - 1
    assert starts[line - 1] <= offset <= line_end, (line, column)
    return offset


def assert_positions_exact(text: str, diagnostics: list[Diagnostic]) -> None:
    """Every finding lies inside the file, its range slices out exactly `match`, and they come sorted."""
    starts = line_starts(text)
    for d in diagnostics:
        begin = offset_of(text, starts, d.line, d.column)
        end = offset_of(text, starts, d.end_line, d.end_column)
        assert begin <= end, d
        assert text[begin:end] == d.match, (d.rule, d.line, d.column, d.match)
        assert (d.start, d.end) == (begin, end), d.rule
    keys = [(d.path, d.line, d.column) for d in diagnostics]
    assert keys == sorted(keys)


def assert_document_consistent(document: Document) -> None:
    """A reader's output maps back into the source: verbatim text is the source text itself."""
    source = document.source
    for block in document.blocks:
        assert len(block.map) == len(block.text)
        for text_start, text_end, src_start, src_end in block.map.segments():
            if src_end == -1:
                assert block.text[text_start:text_end] == source[src_start:src_start + text_end - text_start]
            else:
                assert 0 <= src_start <= src_end <= len(source)
        lo, hi = block.span(0, len(block.text))
        assert 0 <= lo <= hi <= len(source)
        for link in block.links:
            assert 0 <= link.src_start <= link.src_end <= len(source)
            assert link.start == link.end == -1 or 0 <= link.start <= link.end <= len(block.text)
    for comment in document.comments:
        assert 0 <= comment.src_start <= comment.src_end <= len(source)


@pytest.mark.parametrize("ext", EXTENSIONS)
@settings(max_examples=400)
@given(text=documents)
def test_readers_never_raise_and_map_back_into_the_source(ext: str, text: str) -> None:
    document = parse(f"page.{ext}", text, FORMAT_OF[ext])
    assert document.source == text
    assert_document_consistent(document)
    for block, sentences in zip(document.blocks, document.block_sentences, strict=True):
        for sentence in sentences:
            assert 0 <= sentence.start < sentence.end <= len(block.text)


@pytest.mark.parametrize("ext", EXTENSIONS)
def test_the_copy_pieces_make_findings_in_every_format(ext: str) -> None:
    """The examples below are not vacuous: the copy they mix in makes findings, in every reader."""
    wrap = {"md": "{}\n\n", "html": "<p>{}</p>\r\n", "txt": "{}\r\r"}[ext]
    text = "".join(wrap.format(piece) for piece in COPY)
    found = LINTER.lint_text(text, f"page.{ext}")
    assert {"absolute-claim", "disease-claim", "needs-citation", "testimonial"} <= {d.category for d in found}
    assert_positions_exact(text, found)


@pytest.mark.parametrize("ext", EXTENSIONS)
@settings(max_examples=300)
@given(text=documents)
def test_every_finding_slices_out_its_match(ext: str, text: str) -> None:
    assert_positions_exact(text, LINTER.lint_text(text, f"page.{ext}"))


@settings(max_examples=300)
@given(data=st.one_of(st.binary(max_size=300), nasty.map(lambda t: t.encode("utf-8", "surrogatepass")),
                      st.tuples(nasty, st.binary(max_size=8), nasty).map(
                          lambda parts: parts[0].encode() + parts[1] + parts[2].encode())),
       ext=st.sampled_from(EXTENSIONS))
def test_any_bytes_lint_without_raising(data: bytes, ext: str) -> None:
    """Raw bytes, invalid UTF-8 included: findings point into the decoded text, whatever happened."""
    result = LINTER.lint_bytes(f"page.{ext}", data)
    assert result.error is None and not result.rule_errors
    if result.diagnostics:
        text, _ = decode(data)
        assert_positions_exact(text, result.diagnostics)


@settings(max_examples=100)
@given(text=documents, ext=st.sampled_from(EXTENSIONS))
def test_same_input_same_bytes(text: str, ext: str) -> None:
    render = reporter("json")
    first = render(Linter(Config()).lint_text(text, f"page.{ext}"), Summary())
    again = render(LINTER.lint_text(text, f"page.{ext}"), Summary())
    assert first == again


site_pages = st.lists(st.tuples(documents, st.sampled_from(EXTENSIONS)), min_size=2, max_size=8)


@settings(max_examples=25)
@given(pages=site_pages, order=st.randoms(use_true_random=False))
def test_output_independent_of_file_order_and_workers(pages: list[tuple[str, str]], order) -> None:
    """Serial, shuffled, and in two worker processes: the same report, byte for byte."""
    render = reporter("json")
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "MIN_FILES_PER_WORKER", 1)  # use workers even for a handful of files
        files = []
        for index, (text, ext) in enumerate(pages):
            path = Path(folder, f"page{index}.{ext}")
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            files.append(str(path))
        shuffled = list(files)
        order.shuffle(shuffled)
        serial = LINTER.lint_paths(files, jobs=1)
        reports = {render(run.diagnostics, Summary()) for run in
                   (serial, LINTER.lint_paths(shuffled, jobs=1), LINTER.lint_paths(shuffled, jobs=2))}
        assert len(reports) == 1
        assert serial.files_checked == len(files) and not serial.errors


@settings(max_examples=50)
@given(pages=site_pages)
def test_cli_on_files_reports_exact_positions(pages: list[tuple[str, str]]) -> None:
    """The whole command on real files: exit 0 or 1, JSON on stdout, nothing alarming on stderr."""
    with tempfile.TemporaryDirectory() as folder:
        sources: dict[str, str] = {}
        for index, (text, ext) in enumerate(pages):
            path = Path(folder, f"page{index}.{ext}")
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
            try:
                sources[str(path)] = decode(path.read_bytes())[0]
            except BinaryFileError:  # a NUL byte: skipped with a notice, so no findings
                sources[str(path)] = ""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", *sources, "--format", "json", "--no-cache", "--quiet"])
        assert code in (0, 1), err.getvalue()
        assert err.getvalue() == ""
        report = json.loads(out.getvalue())
        for path, text in sources.items():
            found = [Diagnostic(**{**d, "start": 0, "end": 0}) for d in report if d["path"] == path]
            for d in found:  # the CLI's JSON has no offsets: recompute them from line and column
                starts = line_starts(text)
                d.start = offset_of(text, starts, d.line, d.column)
                d.end = offset_of(text, starts, d.end_line, d.end_column)
            assert_positions_exact(text, found)
