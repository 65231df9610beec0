"""From bytes to a Document: decoding, format detection and dispatch to a reader.

Readers are imported lazily, so a run that only sees .txt files never imports
markdown_it and one that sees no HTML never builds the HTML parser.
"""

from __future__ import annotations

import codecs
import os

from healthlint.document.model import Document

FORMAT_BY_SUFFIX = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".txt": "text"}
FORMATS = ("markdown", "html", "text")
_SNIFF = 8192


class BinaryFileError(ValueError):
    """The data does not look like text (a NUL byte early on that is not UTF-16)."""


def format_for(path: str) -> str:
    """The reader format for a path, from its suffix; unknown suffixes are read as text."""
    return FORMAT_BY_SUFFIX.get(os.path.splitext(path)[1].lower(), "text")


def decode(data: bytes) -> tuple[str, list[str]]:
    """Decode file bytes to text, returning the text and any notices about the decoding.

    UTF-8 (BOM stripped) is the default; UTF-16 and UTF-32 are recognised by their BOM,
    and UTF-16 without a BOM by the pattern of its NUL bytes. Invalid UTF-8 is replaced,
    never fatal. Raises BinaryFileError for data that looks binary.
    """
    notices: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        return _decode(data[3:], "utf-8", notices), notices
    # UTF-32 before UTF-16: the UTF-32 LE BOM starts with the UTF-16 LE one.
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return _decode(data, "utf-32", notices), notices
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode(data, "utf-16", notices), notices
    head = data[:_SNIFF]
    if b"\x00" in head:
        encoding = _bomless_utf16(head)
        if encoding is None:
            raise BinaryFileError("binary data (NUL byte)")
        return _decode(data, encoding, notices), notices
    return _decode(data, "utf-8", notices), notices


def _decode(data: bytes, encoding: str, notices: list[str]) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        name = "UTF-8" if encoding == "utf-8" else encoding.upper()
        notices.append(f"invalid {name} replaced")
        return data.decode(encoding, errors="replace")


def _bomless_utf16(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs sit in alternate bytes, as in mostly-ASCII UTF-16."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    if zeros_odd >= len(odd) * 0.6 and zeros_even == 0:
        return "utf-16-le"
    if zeros_even >= len(even) * 0.6 and zeros_odd == 0:
        return "utf-16-be"
    return None


def parse(path: str, source: str, fmt: str | None = None) -> Document:
    """Read `source` (already decoded) as `fmt`, or as the format its path suggests."""
    fmt = fmt or format_for(path)
    if fmt == "markdown":
        from healthlint.document.markdown import read_markdown

        return read_markdown(path, source)
    if fmt == "html":
        from healthlint.document.html import read_html

        return read_html(path, source)
    if fmt == "text":
        from healthlint.document.text import read_text

        return read_text(path, source)
    raise ValueError(f"unknown document format {fmt!r} (expected one of {', '.join(FORMATS)})")
