"""SARIF 2.1.0 (OASIS), the format code-scanning services read (GitHub, GitLab, Azure DevOps).

One run: `tool.driver.rules` describes every rule that ran (from `Summary.rules`, which the CLI
fills), each result points at its rule by id and index. healthlint columns count Unicode code
points, and SARIF's default is UTF-16 code units, so the run says `columnKind: unicodeCodePoints`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from healthlint import __version__
from healthlint.diagnostic import Diagnostic
from healthlint.reporters import Summary

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
# Relative paths are relative to where healthlint ran, normally the repository root.
SOURCE_ROOT = "%SRCROOT%"


# Stands in for the results while the rest of the log is formatted (as a JSON string, the way it
# appears in the formatted text); the results are written in its place.
_RESULTS_MARK = "\0results\0"
_RESULTS_MARK_JSON = json.dumps(_RESULTS_MARK)


def stream(diagnostics: Iterable[Diagnostic], summary: Summary) -> Iterator[str]:
    """The log as `json.dumps(log, indent=2)` would write it, with the results written one by one.

    The rules are listed before the results, so they come from `summary.rules` (every rule that
    ran); only without it are the findings gathered first to learn their rules.
    """
    if summary.rules:
        rule_ids = sorted(summary.rules)
    else:
        diagnostics = list(diagnostics)
        rule_ids = sorted({d.rule for d in diagnostics})
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "healthlint",
            "version": __version__,
            "semanticVersion": __version__,
            "rules": [_rule(rule_id, summary.rules.get(rule_id, {})) for rule_id in rule_ids],
        }},
        "columnKind": "unicodeCodePoints",
        "results": [_RESULTS_MARK],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    text = json.dumps(log, ensure_ascii=False, indent=2) + "\n"
    mark = text.index(_RESULTS_MARK_JSON)
    line_start = text.rindex("\n", 0, mark)
    head, indent, tail = text[:line_start], text[line_start + 1:mark], text[mark + len(_RESULTS_MARK_JSON):]
    yield head  # ends with the results' opening bracket
    written = False
    for d in diagnostics:
        formatted = json.dumps(_result(d, index[d.rule]), ensure_ascii=False, indent=2)
        yield ("," if written else "") + "\n" + indent + formatted.replace("\n", "\n" + indent)
        written = True
    yield tail if written else tail[tail.index("]"):]  # an empty list is written `[]`


def _rule(rule_id: str, meta: dict[str, Any]) -> dict[str, Any]:
    summary = meta.get("summary") or rule_id
    descriptor: dict[str, Any] = {
        "id": rule_id,
        "name": rule_id.rsplit("/", 1)[-1],
        "shortDescription": {"text": summary},
        "fullDescription": {"text": meta.get("why") or summary},
    }
    if meta.get("url"):
        descriptor["helpUri"] = meta["url"]
    if meta.get("help"):
        descriptor["help"] = {"text": meta["help"]}
    if meta.get("severity"):
        descriptor["defaultConfiguration"] = {"level": LEVELS[meta["severity"]]}
    properties = {key: meta[key] for key in ("category", "kind", "source") if meta.get(key)}
    tags = [tag for tag in ("health-copy", meta.get("category"), rule_id.split("/", 1)[0]) if tag]
    descriptor["properties"] = {"tags": tags, **properties}
    return descriptor


def _result(d: Diagnostic, rule_index: int) -> dict[str, Any]:
    region = {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column,
              "snippet": {"text": d.match}}
    result: dict[str, Any] = {
        "ruleId": d.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact_location(d.path), "region": region}}],
    }
    properties: dict[str, Any] = {"category": d.category}
    for key in ("suggestion", "disclaimer", "url"):
        value = getattr(d, key)
        if value:
            properties[key] = value
    if d.metrics:
        properties["metrics"] = d.metrics
    result["properties"] = properties
    return result


def artifact_location(path: str) -> dict[str, str]:
    """A URI for a path: absolute paths as file: URIs, relative ones against the source root."""
    pure = PurePath(path)
    if pure.is_absolute():
        return {"uri": pure.as_uri()}
    return {"uri": quote(pure.as_posix(), safe="/"), "uriBaseId": SOURCE_ROOT}
