"""Inline suppression from comments in Markdown and HTML.

    <!-- healthlint-disable -->                      everything, until enabled again
    <!-- healthlint-disable claims, needs-citation --> those rules (any selector), until enabled
    <!-- healthlint-enable -->                       ends every disable ("healthlint-enable RULE" ends one)
    <!-- healthlint-disable-next-line RULE -->       the next line with content
    <!-- healthlint-disable-line RULE -->            the comment's own line
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from healthlint.diagnostic import Diagnostic
from healthlint.document.model import Document
from healthlint.engine.selection import matches_any
from healthlint.kinds.base import Rule

DIRECTIVE = regex.compile(
    r"healthlint-(disable-next-line|disable-line|disable|enable)\b([^\n>]*?)(?:-->|$)",
    regex.IGNORECASE | regex.MULTILINE,
)
ALL = ("ALL",)


@dataclass(slots=True)
class Region:
    selectors: tuple[str, ...]
    start: int  # source offsets
    end: int
    exempt: tuple[str, ...] = ()  # re-enabled inside a "disable everything" region


def regions(document: Document) -> list[Region]:
    """Suppressed source ranges of a document, from its comments in order."""
    out: list[Region] = []
    open_regions: list[Region] = []
    source_length = len(document.source)
    starts = document.line_starts
    for comment in sorted(document.comments, key=lambda c: c.src_start):
        for found in DIRECTIVE.finditer(comment.text):
            action = found.group(1).lower()
            selectors = tuple(s for s in regex.split(r"[\s,]+", found.group(2).strip()) if s) or ALL
            if action == "disable":
                open_regions.append(Region(selectors, comment.src_end, source_length))
            elif action == "enable":
                still_open = []
                for region in open_regions:
                    region.end = comment.src_start
                    out.append(region)
                    if selectors == ALL:
                        continue
                    if region.selectors == ALL:
                        still_open.append(Region(ALL, comment.src_end, source_length, region.exempt + selectors))
                    elif remaining := tuple(s for s in region.selectors if s not in selectors):
                        still_open.append(Region(remaining, comment.src_end, source_length))
                open_regions = still_open
            else:
                line = document.position(comment.src_end if action == "disable-next-line" else comment.src_start)[0]
                if action == "disable-next-line":
                    line = _next_content_line(document, line)
                if line - 1 < len(starts):
                    end = starts[line] if line < len(starts) else source_length
                    out.append(Region(selectors, starts[line - 1], end))
    out.extend(open_regions)
    return out


def _next_content_line(document: Document, line: int) -> int:
    """The first line after `line` that is not blank."""
    starts = document.line_starts
    source = document.source
    for candidate in range(line, len(starts)):
        end = starts[candidate + 1] if candidate + 1 < len(starts) else len(source)
        if source[starts[candidate]:end].strip():
            return candidate + 1
    return line + 1


def suppressed(diagnostic: Diagnostic, rule: Rule, found: list[Region]) -> bool:
    for region in found:
        if (region.start <= diagnostic.start < region.end
                and (region.selectors == ALL or matches_any(region.selectors, rule))
                and not matches_any(region.exempt, rule)):
            return True
    return False
