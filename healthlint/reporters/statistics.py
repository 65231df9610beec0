"""`--statistics`: how many findings each rule made, most frequent first (as ruff's option)."""

from __future__ import annotations

import json
from collections import Counter

from healthlint.diagnostic import Diagnostic
from healthlint.reporters import Summary

FORMATS = ("text", "json")


def counts(diagnostics: list[Diagnostic]) -> list[dict[str, object]]:
    per_rule = Counter(d.rule for d in diagnostics)
    first = {}
    for d in diagnostics:
        first.setdefault(d.rule, d)
    return [{"rule": rule, "count": count, "category": first[rule].category, "severity": first[rule].severity}
            for rule, count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))]


def render(diagnostics: list[Diagnostic], summary: Summary, fmt: str = "text") -> str:
    rows = counts(diagnostics)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    from healthlint.reporters.text import summary_line

    width = max((len(str(row["rule"])) for row in rows), default=0)
    number = max((len(str(row["count"])) for row in rows), default=0)
    lines = [f"{row['count']:>{number}}  {row['rule']:<{width}}  {row['category']:<18}  {row['severity']}".rstrip()
             for row in rows]
    lines.append(summary_line(diagnostics, summary))
    return "\n".join(lines) + "\n"
