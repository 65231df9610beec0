"""The one thing every stage agrees on: a finding with its position in the original file."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

CATEGORIES = (
    "absolute-claim",
    "disease-claim",
    "needs-citation",
    "testimonial",
    "missing-disclaimer",
    "duplicate",
    "readability",
    "structure",
    "plain-language",
    "info-quality",
)

DISCLAIMER_KINDS = (
    "medical-advice",
    "fda-dshea",
    "crisis-line",
    "off-label",
    "results-vary",
    "financial-interest",
)


@dataclass(slots=True)
class Diagnostic:
    """A finding. Positions are 1-based, columns count code points, ends are exclusive.

    Plain data only, so diagnostics pickle cheaply across worker processes and
    serialise without knowing which rule produced them.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    category: str
    severity: str
    message: str
    match: str
    suggestion: str | None = None
    url: str | None = None
    disclaimer: str | None = None
    metrics: dict[str, float] | None = None
    # Source offsets (code points) of the match; used for suppression and sorting, not output.
    start: int = field(default=0, compare=False)
    end: int = field(default=0, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, int, int]:
        return (self.path, self.line, self.column, self.rule, self.end_line, self.end_column)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of DESIGN.md: fields in declaration order, absent ones left out."""
        data = dict(zip(OUTPUT_FIELDS, _output_values(self), strict=True))
        if self.metrics is not None:
            data["metrics"] = dict(self.metrics)
        return {key: value for key, value in data.items() if value is not None}

    def to_row(self) -> tuple[Any, ...]:
        """Every field as a plain tuple: the compact form findings are kept and cached in."""
        return _all_values(self)

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Diagnostic:
        return cls(*row)


ALL_FIELDS = tuple(f.name for f in fields(Diagnostic))
# What JSON output carries: everything but the source offsets.
OUTPUT_FIELDS = tuple(name for name in ALL_FIELDS if name not in ("start", "end"))
_all_values = attrgetter(*ALL_FIELDS)
_output_values = attrgetter(*OUTPUT_FIELDS)
