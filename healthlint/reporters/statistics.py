"""`--statistics`: how many findings each rule made, most frequent first (as ruff's option)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from healthlint.diagnostic import Diagnostic
from healthlint.reporters import Summary

FORMATS = ("text", "json")


def counts(diagnostics: Iterable[Diagnostic], severities: Counter[str] | None = None) -> list[dict[str, object]]:
    """Findings per rule, most first; `severities`, when given, is filled with findings per severity."""
    per_rule: Counter[str] = Counter()
    first = {}
    for d in diagnostics:
        per_rule[d.rule] += 1
        first.setdefault(d.rule, d)
        if severities is not None:
            severities[d.severity] += 1
    return [{"rule": rule, "count": count, "category": first[rule].category, "severity": first[rule].severity}
            for rule, count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))]


def render(diagnostics: Iterable[Diagnostic], summary: Summary, fmt: str = "text") -> str:
    severities: Counter[str] = Counter()
    rows = counts(diagnostics, severities)
    if fmt == "json":
        return json.dumps(rows, indent=2) + "\n"
    from healthlint.reporters.text import summary_line

    width = max((len(str(row["rule"])) for row in rows), default=0)
    number = max((len(str(row["count"])) for row in rows), default=0)
    lines = [f"{row['count']:>{number}}  {row['rule']:<{width}}  {row['category']:<18}  {row['severity']}".rstrip()
             for row in rows]
    lines.append(summary_line(severities, summary))
    return "\n".join(lines) + "\n"
