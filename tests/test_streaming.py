"""Findings stay packed per file and reports are written as a stream; neither may change the output.

The snapshot tests pin each format's bytes on a small page; these tests check the streaming
machinery itself against the plain way of producing the same thing (`json.dumps` of the whole
report), on findings with the characters that break hand-written JSON, and a run whose
cross-file findings must interleave with each file's own.
"""

from __future__ import annotations

import json
from pathlib import Path

from healthlint.diagnostic import Diagnostic
from healthlint.engine.linter import Linter
from healthlint.engine.packing import pack, unpack
from healthlint.reporters import Summary, reporter, streamer
from tests.conftest import write

AWKWARD_TEXTS = [
    'Say "cures" and \\ back-slashes',
    "line one\nline two\ttabbed\r",
    "control \x01 and \x7f characters",
    "ünïcödé — “quotes” and emoji 😴 and \u2028 separator",
    "",
]


def awkward_findings() -> list[Diagnostic]:
    out = []
    for number, text in enumerate(AWKWARD_TEXTS, start=1):
        out.append(Diagnostic(path=f"pages/ü {number}.md", line=number, column=2, end_line=number, end_column=9,
                              rule="claims/disease-claim", category="disease-claim", severity="warning",
                              message=f"{text!s} is a claim", match=text, suggestion=text or None,
                              metrics={"grade": 12.25, "words": 3.0} if number % 2 else None,
                              disclaimer="medical-advice" if number == 3 else None, start=number, end=number + 5))
    return out


def test_packing_keeps_every_field() -> None:
    found = awkward_findings()
    back = unpack(pack(found))
    assert back == found
    assert [(d.start, d.end) for d in back] == [(d.start, d.end) for d in found]  # not compared by ==
    assert unpack(pack([])) == []


def test_streamed_json_is_json_dumps_of_the_whole_report() -> None:
    found = awkward_findings()
    expected = json.dumps([d.to_json() for d in found], ensure_ascii=False, indent=2) + "\n"
    assert reporter("json")(found, Summary()) == expected
    assert reporter("json")([], Summary()) == "[]\n"
    chunks = list(streamer("json")(iter(found), Summary()))
    assert len(chunks) == len(found) + 1  # one piece per finding, then the closing bracket


def test_streamed_sarif_is_one_valid_document_whatever_the_count() -> None:
    rules = {"claims/disease-claim": {"summary": "Disease claim", "severity": "warning"}}
    for found in (awkward_findings(), awkward_findings()[:1], []):
        text = reporter("sarif")(iter(found), Summary(rules=rules))
        log = json.loads(text)
        results = log["runs"][0]["results"]
        assert [r["message"]["text"] for r in results] == [d.message for d in found]
        # The same bytes as formatting the whole log at once.
        assert text == json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def test_a_run_interleaves_cross_file_findings_with_each_files_own(tmp_path: Path) -> None:
    paragraph = ("Our clinic's team of licensed nurses reviews every intake form within one business day, "
                 "and a physician signs off on each plan before the first appointment is booked.")
    paths = []
    for name in ("b.md", "a.md", "c.md"):
        text = f"# Intake\n\nThis tea cures insomnia for good.\n\n{paragraph}\n\nIt is guaranteed to work.\n"
        paths.append(str(write(tmp_path / name, text)))
    linter = Linter()
    run = linter.lint_paths(paths, jobs=1)
    streamed = list(run)
    assert [d.path for d in streamed] == sorted(d.path for d in streamed)
    assert streamed == sorted(streamed, key=Diagnostic.sort_key)
    assert any(d.rule.startswith("duplicates/") for d in streamed)  # cross-file findings are in the stream
    # The same findings as linting each file alone plus the corpus pass, sorted once at the end.
    alone = linter.finish([linter.lint_file(path) for path in paths])
    assert streamed == alone.diagnostics
    assert {d.path for d in streamed} == set(paths)
