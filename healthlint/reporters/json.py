"""A flat JSON array, one object per finding, sorted by path, line and column (see DESIGN.md)."""

from __future__ import annotations

import json

from healthlint.diagnostic import Diagnostic
from healthlint.reporters import Summary


def render(diagnostics: list[Diagnostic], summary: Summary) -> str:
    return json.dumps([d.to_json() for d in diagnostics], ensure_ascii=False, indent=2) + "\n"
