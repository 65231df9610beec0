"""Every rule kind validates its YAML: a typo or a wrong type is one line naming file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from healthlint.engine.rulesets import builtin_dir, load_ruleset
from healthlint.errors import RulesetError
from healthlint.kinds import KINDS

COMMON = {"id", "kind", "category", "severity", "message", "why", "source", "url", "suggestion", "examples",
          "disclaimer", "enabled"}


def first_rule_of(kind: str) -> tuple[dict, int]:
    """A built-in ruleset (as data) and the index of its first rule of `kind`."""
    for path in sorted(builtin_dir().glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        default_kind = (data.get("defaults") or {}).get("kind")
        for index, rule in enumerate(data["rules"]):
            if rule.get("kind", default_kind) == kind:
                return data, index
    raise AssertionError(f"no built-in rule of kind {kind}")


def write_variant(tmp_path: Path, data: dict) -> tuple[Path, list[str]]:
    path = tmp_path / "variant.yaml"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines()


def line_of(lines: list[str], needle: str) -> int:
    return next(number for number, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_unknown_key_is_named_with_its_line(kind: str, tmp_path: Path) -> None:
    data, index = first_rule_of(kind)
    data["rules"][index]["colour_of_sky"] = "blue"
    path, lines = write_variant(tmp_path, data)
    with pytest.raises(RulesetError) as error:
        load_ruleset(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line_of(lines, 'colour_of_sky:')}:"), message
    assert "key 'colour_of_sky'" in message and "unknown key" in message


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_wrong_type_for_a_kind_key_is_named(kind: str, tmp_path: Path) -> None:
    data, index = first_rule_of(kind)
    rule = data["rules"][index]
    own = [key for key in rule if key not in COMMON and isinstance(rule[key], (list, dict, str, int, float, bool))]
    if not own:
        pytest.skip(f"the first {kind} rule sets only common keys")
    key = own[0]
    rule[key] = {"nested": {"wrong": True}} if not isinstance(rule[key], dict) else ["not", "a", "mapping"]
    path, _ = write_variant(tmp_path, data)
    with pytest.raises(RulesetError) as error:
        load_ruleset(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:"), message
    assert f"'{key}'" in message or key in message, message
