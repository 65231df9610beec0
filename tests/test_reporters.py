"""Every output format: a snapshot of its exact output, and the rules of the format it claims to be.

The snapshots render fixed findings on a small page written for the project
(tests/snapshots/page.md), so they change only when a reporter does, not when a rule's wording
does. After an intended change to a reporter, regenerate them and review the diff:

    HEALTHLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_reporters.py

SARIF is validated against the official OASIS SARIF 2.1.0 schema, which `.ci/fetch_test_inputs.py`
fetches at install time into .ci/cache/ (the repository carries no copy of it).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from healthlint.diagnostic import Diagnostic
from healthlint.reporters import FORMATS, Summary, reporter
from tests.ci_inputs import ci_input
from tests.conftest import SEEDS, write

SNAPSHOTS = Path(__file__).parent / "snapshots"
PAGE_TEXT = (SNAPSHOTS / "page.md").read_text(encoding="utf-8")
# A path with a space, a comma and a colon: GitHub's workflow commands must escape the last two.
PAGE = "pages/sleep, rest: guide.md"
CLEAN_PAGE = "pages/hydration.md"
EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif.json", "github": "txt", "junit": "xml"}

RULES = {
    "claims/disease-claim": {
        "summary": "The wording claims to cure, treat, prevent or mitigate a disease.",
        "why": "A claim to cure a disease makes a supplement an unapproved drug (21 CFR 101.93(g)).",
        "source": "21 CFR 101.93(g)", "url": "https://example.org/rules/disease-claim",
        "category": "disease-claim", "severity": "warning", "kind": "pattern",
        "help": "claims/disease-claim\n\nWhat it flags: a claim to cure a disease."},
    "claims/guaranteed-outcome": {
        "summary": "The wording promises a certain health outcome.", "why": "", "source": "FTC guidance (2022)",
        "url": None, "category": "absolute-claim", "severity": "error", "kind": "pattern", "help": ""},
    "claims/total-efficacy": {
        "summary": "The wording claims a total, 100% result.", "why": "100% is rarely literally true.",
        "source": "", "url": None, "category": "absolute-claim", "severity": "warning", "kind": "pattern",
        "help": "claims/total-efficacy"},
    "disclaimers/medical-advice": {
        "summary": "The page gives health advice without saying it is not medical advice.", "why": "",
        "source": "", "url": None, "category": "missing-disclaimer", "severity": "info", "kind": "disclaimer",
        "help": ""},
}


def finding(text: str, rule: str, severity: str, message: str, **extra: object) -> Diagnostic:
    """A finding on the first occurrence of `text` in the page, positioned as the engine would."""
    start = PAGE_TEXT.index(text)
    end = start + len(text)

    def position(offset: int) -> tuple[int, int]:
        before = PAGE_TEXT[:offset]
        return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1

    (line, column), (end_line, end_column) = position(start), position(end)
    return Diagnostic(path=PAGE, line=line, column=column, end_line=end_line, end_column=end_column, rule=rule,
                      category=str(RULES[rule]["category"]), severity=severity, message=message, match=text,
                      start=start, end=end, **extra)  # type: ignore[arg-type]


def findings() -> list[Diagnostic]:
    found = [
        finding("Sleep, rest & recovery", "disclaimers/medical-advice", "info",
                "The page discusses sleep treatment but never says it is not medical advice.",
                disclaimer="medical-advice"),
        finding("cure insomnia", "claims/disease-claim", "warning",
                '"cure insomnia" claims to cure a disease; use structure/function wording.',
                suggestion="support restful sleep", url="https://example.org/rules/disease-claim"),
        finding("100% of users", "claims/total-efficacy", "warning",
                '"100% of users" claims a total result: 100% is rarely true.\nGive the measured figure.'),
        finding("Guaranteed", "claims/guaranteed-outcome", "error",
                '"Guaranteed" promises an outcome, 100% of the time: no treatment works for everyone.',
                metrics={"confidence": 0.9}),
    ]
    return sorted(found, key=Diagnostic.sort_key)


def summary() -> Summary:
    return Summary(files_checked=2, seconds=0.0, rules=RULES, paths=[CLEAN_PAGE, PAGE])


def render(fmt: str) -> str:
    return reporter(fmt)(findings(), summary())


def test_every_format_is_registered() -> None:
    assert set(FORMATS) >= {"text", "json", "sarif", "github", "junit"}


def test_fixture_findings_slice_out_their_match() -> None:
    lines = PAGE_TEXT.split("\n")
    for d in findings():
        assert d.line == d.end_line
        assert lines[d.line - 1][d.column - 1:d.end_column - 1] == d.match


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_snapshot(fmt: str) -> None:
    snapshot = SNAPSHOTS / f"{fmt}.{EXTENSIONS[fmt]}"
    output = render(fmt)
    if os.environ.get("HEALTHLINT_UPDATE_SNAPSHOTS"):
        snapshot.write_text(output, encoding="utf-8", newline="")
    assert snapshot.is_file(), f"no snapshot {snapshot.name}: HEALTHLINT_UPDATE_SNAPSHOTS=1 pytest {__file__}"
    assert output == snapshot.read_text(encoding="utf-8"), f"{fmt} output changed; see the module docstring"


# --- SARIF ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    schema = json.loads(ci_input("sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def validate_sarif(log: dict, schema: dict) -> None:
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)


def test_sarif_validates_against_the_official_schema(sarif_schema: dict) -> None:
    validate_sarif(json.loads(render("sarif")), sarif_schema)


def test_sarif_schema_check_is_not_vacuous(sarif_schema: dict) -> None:
    log = json.loads(render("sarif"))
    log["runs"][0]["columnKind"] = "utf16"
    with pytest.raises(jsonschema.ValidationError):
        validate_sarif(log, sarif_schema)


def test_sarif_of_a_real_run_validates(sarif_schema: dict, cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for seed in sorted(SEEDS.iterdir()):
        write(tmp_path / "site" / seed.name, seed.read_text(encoding="utf-8"))
    result = cli("check", "--format", "sarif", "--select", "claims", "site")
    assert result.code == 1
    log = json.loads(result.out)
    validate_sarif(log, sarif_schema)
    run = log["runs"][0]
    assert run["results"], "the seeds have claims to report"
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {r["ruleId"] for r in run["results"]}
    for result_ in run["results"]:
        assert rules[result_["ruleIndex"]]["id"] == result_["ruleId"]
        assert result_["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("site/")
    disease = next(r for r in rules if r["id"] == "claims/disease-claim")
    assert "21 CFR 101.93(g)" in disease["fullDescription"]["text"]
    assert disease["properties"]["category"] == "disease-claim"


def test_sarif_rules_results_and_code_point_columns() -> None:
    log = json.loads(render("sarif"))
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    disease = rules[0]
    assert disease["shortDescription"]["text"] == RULES["claims/disease-claim"]["summary"]
    assert disease["fullDescription"]["text"] == RULES["claims/disease-claim"]["why"]
    assert disease["helpUri"] == "https://example.org/rules/disease-claim"
    assert disease["properties"]["category"] == "disease-claim"
    assert rules[1]["defaultConfiguration"] == {"level": "error"}
    assert rules[3]["defaultConfiguration"] == {"level": "note"}
    guaranteed = next(r for r in run["results"] if r["ruleId"] == "claims/guaranteed-outcome")
    location = guaranteed["locations"][0]["physicalLocation"]
    # "😴 " is two code points (three UTF-16 units): the finding starts at code point column 3.
    assert location["region"] == {"startLine": 5, "startColumn": 3, "endLine": 5, "endColumn": 13,
                                  "snippet": {"text": "Guaranteed"}}
    assert location["artifactLocation"] == {"uri": "pages/sleep%2C%20rest%3A%20guide.md",
                                                  "uriBaseId": "%SRCROOT%"}
    assert guaranteed["level"] == "error" and guaranteed["ruleIndex"] == 1


# --- GitHub workflow commands -----------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<kind>error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


def unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def test_github_commands_follow_the_workflow_command_syntax() -> None:
    lines = render("github").splitlines()
    assert len(lines) == len(findings())
    parsed = []
    for line in lines:
        match = COMMAND.match(line)
        assert match, line
        props = dict(pair.split("=", 1) for pair in match["props"].split(","))
        assert list(props) == ["file", "line", "col", "endLine", "endColumn", "title"]
        parsed.append((match["kind"], {k: unescape(v) for k, v in props.items()}, unescape(match["message"])))
    kinds = [kind for kind, _, _ in parsed]
    assert kinds == ["notice", "warning", "warning", "error"]
    _, props, message = parsed[2]
    assert props["file"] == PAGE
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == ("3", "38", "3", "51")
    assert props["title"] == "healthlint claims/total-efficacy"
    assert message == '"100% of users" claims a total result: 100% is rarely true.\nGive the measured figure.'


def test_github_escaping_of_data_and_properties() -> None:
    from healthlint.reporters.github import escape_data, escape_property

    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("a: b, 100%\n") == "a%3A b%2C 100%25%0A"
    # `%` first, so an already-escaped-looking text survives a round trip.
    assert unescape(escape_property("%3A")) == "%3A"


# --- JUnit --------------------------------------------------------------------------------------

def test_junit_one_testcase_per_file_with_the_findings() -> None:
    root = ET.fromstring(render("junit").encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert sorted(cases) == sorted([PAGE, CLEAN_PAGE])
    assert cases[CLEAN_PAGE].find("failure") is None
    (failure,) = cases[PAGE].findall("failure")
    assert failure.get("type") == "error"
    assert failure.get("message", "").startswith("4 findings:")
    assert (failure.text or "").count(f"{PAGE}:") == 4
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")


def test_junit_survives_control_characters_in_copy() -> None:
    odd = Diagnostic(path="p.md", line=1, column=1, end_line=1, end_column=3, rule="claims/total-efficacy",
                     category="absolute-claim", severity="warning", message="a\x0bb", match="\x0c!")
    root = ET.fromstring(reporter("junit")([odd], Summary()).encode("utf-8"))
    assert "\ufffd" in (root.find("testsuite/testcase/failure").text or "")  # type: ignore[union-attr]


# --- CLI: formats, statistics, output file ------------------------------------------------------

CLAIMS = "# Sleep\n\nNightCalm cures insomnia. It cures insomnia fast, with guaranteed results.\n"


def test_cli_statistics_counts_per_rule(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.md", CLAIMS)
    write(tmp_path / "b.md", "It cures insomnia.\n")
    result = cli("check", "--select", "claims", "--statistics", "a.md", "b.md")
    assert result.code == 1
    lines = result.out.splitlines()
    assert re.match(r"^3\s+claims/disease-claim\s+disease-claim\s+warning$", lines[0])
    assert re.match(r"^1\s+claims/guaranteed-outcome\s+absolute-claim\s+warning$", lines[1])
    assert lines[2].startswith("Found 4 problems (4 warnings) in 2 files")
    as_json = json.loads(cli("check", "--select", "claims", "--statistics", "--format", "json", "a.md", "b.md").out)
    assert as_json[0] == {"rule": "claims/disease-claim", "count": 3, "category": "disease-claim",
                          "severity": "warning"}
    refused = cli("check", "--statistics", "--format", "sarif", "a.md")
    assert refused.code == 2 and "--statistics" in refused.err


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit"])
def test_cli_formats_write_to_output_file(fmt: str, cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.md", CLAIMS)
    write(tmp_path / "clean.md", "# Sleep\n\nMost adults need seven or more hours of sleep.\n")
    result = cli("check", "--select", "claims", "--format", fmt, "-o", f"report.{fmt}", "a.md", "clean.md")
    assert result.code == 1 and result.out == ""
    text = (tmp_path / f"report.{fmt}").read_text(encoding="utf-8")
    assert "a.md" in text
    if fmt == "junit":  # the clean file is a passing test case
        assert 'name="clean.md"' in text
