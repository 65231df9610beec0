"""Baselines: `--write-baseline` records today's findings, `--baseline` reports only new ones.

Findings are matched by path, rule and normalised flagged text with a count per key, never by
line, so edits elsewhere on a page do not bring old findings back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import write

PAGE = """# Sleep support

NightCalm gummies cure insomnia for most adults.

Our formula is backed by guaranteed results.
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def reported(cli, *args: str) -> list[tuple[str, int, str]]:
    result = cli("check", "--select", "claims", "--format", "json", *args)
    assert result.code in (0, 1), result.err
    return [(d["rule"], d["line"], d["match"]) for d in json.loads(result.out)]


def test_write_then_check_reports_nothing(cli, tmp_path: Path) -> None:
    write(tmp_path / "site" / "sleep.md", PAGE)
    written = cli("check", "--select", "claims", "--write-baseline", "healthlint-baseline.json", "site")
    assert written.code == 0
    assert written.out == ""
    assert "recorded 2 findings in healthlint-baseline.json" in written.err
    data = json.loads((tmp_path / "healthlint-baseline.json").read_text(encoding="utf-8"))
    assert data == {"healthlint_baseline": 1, "findings": [
        {"path": "site/sleep.md", "rule": "claims/disease-claim", "match": "cure insomnia", "count": 1},
        {"path": "site/sleep.md", "rule": "claims/guaranteed-outcome", "match": "guaranteed", "count": 1},
    ]}
    clean = cli("check", "--select", "claims", "--baseline", "healthlint-baseline.json", "site")
    assert clean.code == 0
    assert "No problems found in 1 file" in clean.out


def test_edits_that_shift_lines_do_not_resurface_findings(cli, tmp_path: Path) -> None:
    page = write(tmp_path / "sleep.md", PAGE)
    cli("check", "--select", "claims", "--write-baseline", "baseline.json", "sleep.md")
    shifted = PAGE.replace("# Sleep support\n", "# Sleep support\n\nUpdated for spring.\n\nA new intro paragraph.\n")
    # Re-wrapped and re-cased flagged text is still the same finding.
    shifted = shifted.replace("cure insomnia", "cure\n   Insomnia")
    page.write_text(shifted, encoding="utf-8")
    assert reported(cli, "sleep.md") != []
    assert reported(cli, "--baseline", "baseline.json", "sleep.md") == []


def test_a_second_identical_finding_is_new(cli, tmp_path: Path) -> None:
    page = write(tmp_path / "sleep.md", PAGE)
    cli("check", "--select", "claims", "--write-baseline", "baseline.json", "sleep.md")
    page.write_text(PAGE + "\nTry it tonight: it will cure insomnia.\n", encoding="utf-8")
    assert reported(cli, "--baseline", "baseline.json", "sleep.md") == [("claims/disease-claim", 7, "cure insomnia")]


def test_new_findings_and_other_files_are_reported(cli, tmp_path: Path) -> None:
    page = write(tmp_path / "sleep.md", PAGE)
    cli("check", "--select", "claims", "--write-baseline", "baseline.json", "sleep.md")
    page.write_text(PAGE + "\nIt is clinically proven.\n", encoding="utf-8")
    write(tmp_path / "new.md", "These drops cure insomnia.\n")
    result = cli("check", "--select", "claims", "--baseline", "baseline.json", "sleep.md", "new.md")
    assert result.code == 1
    assert "new.md:1:13: warning claims/disease-claim" in result.out
    assert "sleep.md:7:7: warning claims/establishment-claim" in result.out
    assert "sleep.md:3:" not in result.out and "sleep.md:5:" not in result.out


def test_paths_are_relative_to_the_baseline_file(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "site" / "pages" / "sleep.md", PAGE)
    cli("check", "--select", "claims", "--write-baseline", "baseline.json", "site")
    monkeypatch.chdir(tmp_path / "site")
    assert reported(cli, "--baseline", "../baseline.json", "pages") == []
    assert reported(cli, "--baseline", str(tmp_path / "baseline.json"), "./pages/sleep.md") == []


def test_fixed_findings_leave_nothing_to_report(cli, tmp_path: Path) -> None:
    page = write(tmp_path / "sleep.md", PAGE)
    cli("check", "--select", "claims", "--write-baseline", "baseline.json", "sleep.md")
    page.write_text("# Sleep support\n\nMost adults need seven or more hours of sleep.\n", encoding="utf-8")
    assert reported(cli, "--baseline", "baseline.json", "sleep.md") == []


def test_missing_or_broken_baseline_is_an_error(cli, tmp_path: Path) -> None:
    write(tmp_path / "sleep.md", PAGE)
    missing = cli("check", "--baseline", "nope.json", "sleep.md")
    assert missing.code == 2
    assert "nope.json: baseline file not found (create it with --write-baseline)" in missing.err
    write(tmp_path / "broken.json", "{\n  \"findings\": [\n")
    broken = cli("check", "--baseline", "broken.json", "sleep.md")
    assert broken.code == 2 and "broken.json:3: baseline is not valid JSON" in broken.err
    write(tmp_path / "other.json", '{"findings": []}')
    other = cli("check", "--baseline", "other.json", "sleep.md")
    assert other.code == 2 and "not a healthlint baseline" in other.err
    write(tmp_path / "bad-entry.json", '{"healthlint_baseline": 1, "findings": [{"path": "x.md"}]}')
    bad_entry = cli("check", "--baseline", "bad-entry.json", "sleep.md")
    assert bad_entry.code == 2 and "finding 1 needs path, rule, match" in bad_entry.err
    both = cli("check", "--baseline", "a.json", "--write-baseline", "b.json", "sleep.md")
    assert both.code == 2 and "not allowed with argument" in both.err
    assert "Traceback" not in missing.err + broken.err + other.err + bad_entry.err


def test_write_baseline_replaces_the_file_atomically(cli, tmp_path: Path) -> None:
    write(tmp_path / "sleep.md", PAGE)
    write(tmp_path / "baseline.json", "old contents")
    assert cli("check", "--select", "claims", "--write-baseline", "baseline.json", "sleep.md").code == 0
    assert json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))["healthlint_baseline"] == 1
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no temp file left behind


def test_library_matching_counts_per_key(tmp_path: Path) -> None:
    from healthlint import baseline
    from healthlint.diagnostic import Diagnostic

    def found(line: int, match: str) -> Diagnostic:
        return Diagnostic(path=str(tmp_path / "a.md"), line=line, column=1, end_line=line, end_column=5,
                          rule="claims/disease-claim", category="disease-claim", severity="warning",
                          message="m", match=match)

    file = tmp_path / "baseline.json"
    baseline.write(file, [found(1, "cures  flu"), found(2, "cures flu")])
    later = [found(10, "Cures flu"), found(20, "cures flu"), found(30, "cures flu")]
    assert [d.line for d in baseline.new_findings(later, file)] == [30]
