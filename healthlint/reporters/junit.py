"""JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins, Azure Pipelines).

One test case per file, named by its path. A file with findings fails with ONE `<failure>`
that lists each finding on its own line: several `<failure>` elements in one test case are
legal in Jenkins' schema, but Jenkins, Allure and junitparser show only the first or misread
the case. Files checked with no findings are passing test cases, so the report shows what was linted.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from xml.etree import ElementTree as ET

from healthlint.diagnostic import SEVERITY_RANK, Diagnostic
from healthlint.reporters import Summary

SUITE = "healthlint"
# Characters XML 1.0 cannot carry at all (ElementTree would write them and break the file).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def stream(diagnostics: Iterable[Diagnostic], summary: Summary) -> Iterator[str]:
    """One piece: the header counts failures, so the report is built whole (CI reports are small)."""
    by_path: dict[str, list[Diagnostic]] = defaultdict(list)
    for d in diagnostics:
        by_path[d.path].append(d)
    paths = sorted(set(summary.paths) | set(by_path))
    failures = len(by_path)
    seconds = f"{summary.seconds:.3f}"
    root = ET.Element("testsuites", name=SUITE, tests=str(len(paths)), failures=str(failures),
                      errors="0", time=seconds)
    suite = ET.SubElement(root, "testsuite", name=SUITE, tests=str(len(paths)), failures=str(failures),
                          errors="0", skipped="0", time=seconds)
    for path in paths:
        case = ET.SubElement(suite, "testcase", name=_xml(path), classname=SUITE, file=_xml(path), time="0")
        found = by_path.get(path)
        if found:
            failure = ET.SubElement(case, "failure", message=_xml(_headline(found)), type=_worst(found))
            failure.text = _xml("\n".join(_details(d) for d in found))
    ET.indent(root)
    yield '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _headline(found: list[Diagnostic]) -> str:
    rules = ", ".join(sorted({d.rule for d in found}))
    return f"{len(found)} finding{'s' if len(found) != 1 else ''}: {rules}"


def _worst(found: list[Diagnostic]) -> str:
    return max((d.severity for d in found), key=SEVERITY_RANK.__getitem__)


def _details(d: Diagnostic) -> str:
    line = f"{d.path}:{d.line}:{d.column}: {d.severity} {d.rule} {d.message} [flagged: {' '.join(d.match.split())}]"
    return f"{line} Suggestion: {d.suggestion}" if d.suggestion else line
