"""Config discovery (upward from the working directory) and what each setting does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthlint.config import find_config, load_config
from healthlint.errors import ConfigError
from tests.conftest import write

PAGE = "Our drops offer guaranteed relief. CalmRoot cures insomnia.\n"


def test_found_upward_from_working_directory(tmp_path: Path) -> None:
    config = write(tmp_path / ".healthlint.yaml", "ignore: [claims/guaranteed-outcome]\n")
    nested = tmp_path / "site" / "pages"
    nested.mkdir(parents=True)
    assert find_config(nested) == config
    assert load_config(start=nested).ignore == ["claims/guaranteed-outcome"]


def test_pyproject_section(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.healthlint]\nselect = ["disease-claim"]\nfail-level = "error"\n')
    config = load_config(start=tmp_path)
    assert config.select == ["disease-claim"]
    assert config.fail_level == "error"


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / ".healthlint.yaml", "select: [claims]\n")
    write(tmp_path / "sub" / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(tmp_path / "sub") == tmp_path / ".healthlint.yaml"


def test_unknown_key_is_an_error_with_line(tmp_path: Path) -> None:
    path = write(tmp_path / ".healthlint.yaml", "select: [claims]\nignroe: [x]\n")
    with pytest.raises(ConfigError, match=r"\.healthlint\.yaml:2: unknown config key 'ignroe'"):
        load_config(path)


def test_config_settings_drive_the_run(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "site" / "page.md", PAGE)
    write(tmp_path / "site" / "drafts" / "draft.md", PAGE)
    write(tmp_path / "site" / "legal" / "terms.md", PAGE)
    write(tmp_path / ".healthlint.yaml", """\
select: [claims]
severity: {claims/disease-claim: error, absolute-claim: info}
exclude: ["site/drafts/**"]
per_file_ignores: {"site/legal/*": [disease-claim]}
""")
    monkeypatch.chdir(tmp_path / "site")
    result = cli("check", "--format", "json", ".")
    found = {(Path(d["path"]).as_posix(), d["rule"], d["severity"]) for d in json.loads(result.out)}
    assert found == {
        ("page.md", "claims/guaranteed-outcome", "info"),
        ("page.md", "claims/disease-claim", "error"),
        ("legal/terms.md", "claims/guaranteed-outcome", "info"),
    }
    assert result.code == 1


def test_user_ruleset_overrides_builtin_rule(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "house.yaml", """\
ruleset: claims
rules:
  - id: guaranteed-outcome
    kind: pattern
    category: absolute-claim
    severity: error
    message: House style forbids "{match}".
    terms: [guaranteed]
""")
    write(tmp_path / ".healthlint.yaml", "extend_rulesets: [house.yaml]\nselect: [claims/guaranteed-outcome]\n")
    write(tmp_path / "page.md", PAGE)
    monkeypatch.chdir(tmp_path)
    found = json.loads(cli("check", "--format", "json", "page.md").out)
    assert [(d["rule"], d["severity"], d["message"]) for d in found] == [
        ("claims/guaranteed-outcome", "error", 'House style forbids "guaranteed".')]


def test_explicit_config_flag_and_missing_file(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "page.md", PAGE)
    result = cli("check", "--config", "nope.yaml", "page.md")
    assert result.code == 2
    assert "nope.yaml: config file not found" in result.err
