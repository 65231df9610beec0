"""Rulesets are validated on load; each problem is one line naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthlint.engine.rulesets import load_ruleset
from healthlint.errors import RulesetError
from tests.conftest import write

GOOD_RULE = """\
ruleset: house
rules:
  - id: miracle
    kind: pattern
    category: absolute-claim
    message: Avoid "{match}".
    terms: [miracle]
"""


def error_for(tmp_path: Path, text: str) -> RulesetError:
    path = write(tmp_path / "house.yaml", text)
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    return info.value


def test_good_ruleset_loads(tmp_path: Path) -> None:
    ruleset = load_ruleset(write(tmp_path / "house.yaml", GOOD_RULE))
    assert [r.id for r in ruleset.rules] == ["house/miracle"]


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        (GOOD_RULE.replace("category: absolute-claim", "category: claimz"), 5, "category", "not one of"),
        (GOOD_RULE.replace("kind: pattern", "kind: patern"), 4, "kind", "unknown rule kind"),
        (GOOD_RULE.replace("    terms: [miracle]\n", ""), 3, None, "needs 'terms' or 'patterns'"),
        (GOOD_RULE.replace("terms: [miracle]", "patterns: ['(unclosed']"), 7, "patterns", "invalid regular expression"),
        (GOOD_RULE.replace("terms: [miracle]", "terms: [miracle]\n    sevrity: error"), 8, "sevrity", "unknown key"),
        (GOOD_RULE.replace("    message: Avoid \"{match}\".\n", ""), 3, None, "missing required key 'message'"),
        (GOOD_RULE.replace("id: miracle", "id: Miracle Rule"), 3, "id", "lower-case"),
        (GOOD_RULE.replace("terms: [miracle]", "terms: [miracle]\n    severity: fatal"), 8, "severity", "not one of"),
        (GOOD_RULE.replace("terms: [miracle]", "terms: [miracle]\n    defused_by: [sarcasm]"), 8, "defused_by",
         "not one of"),
        (GOOD_RULE.replace("terms: [miracle]", "patterns: ['{{nope}} cure']"), 7, "patterns", "unknown term list"),
        (GOOD_RULE.replace("terms: [miracle]", "terms: [miracle, 3]"), 7, "terms", "item 2 must be a string"),
        (GOOD_RULE + GOOD_RULE.split("rules:\n")[1], 8, "id", "duplicate rule id"),
        ("ruleset: house\nrules: [\n", 3, None, "invalid YAML"),
        ("- just\n- a list\n", 1, None, "must be a mapping"),
    ],
)
def test_bad_rulesets_name_file_line_and_key(tmp_path: Path, text: str, line: int, key: str | None,
                                             words: str) -> None:
    error = error_for(tmp_path, text)
    message = str(error)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'house.yaml'}:{line}:"), message
    if key:
        assert f"key '{key}'" in message
    assert words in message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for index, name in enumerate("bcdefgh"):
        prev = "abcdefgh"[index]
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    error = error_for(tmp_path, "\n".join(levels) + "\nruleset: x\nrules: []\n")
    assert "too large" in str(error)


def test_cli_reports_bad_ruleset_with_exit_2(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "house.yaml", GOOD_RULE.replace("kind: pattern", "kind: patern"))
    write(tmp_path / ".healthlint.yaml", "extend_rulesets: [house.yaml]\n")
    write(tmp_path / "page.md", "A miracle cure.\n")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "page.md")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "house.yaml:4: key 'kind' unknown rule kind 'patern'" in result.err
    assert "Traceback" not in result.err
