"""Configuration: `.healthlint.yaml` or `[tool.healthlint]` in pyproject.toml.

Found by walking up from the working directory; `--config FILE` names one
explicitly. Keys (all optional):

    rulesets: [default]          # built-in names, "default" (all built-in), or paths to YAML files
    extend_rulesets: [./house.yaml]   # added after `rulesets`; a rule with an existing id replaces it
    select: [claims, needs-citation]  # rule ids, id prefixes, ruleset names or categories
    ignore: [readability/long-sentence]
    severity: {claims/guaranteed-outcome: error, readability: info}
    per_file_ignores: {"legal/**": [disclaimers]}
    exclude: ["drafts/**"]
    fail_level: warning          # error | warning | info
    options: {audience: patients, locale: US, self_domains: [example.com]}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.diagnostic import SEVERITIES
from healthlint.errors import ConfigError

CONFIG_NAMES = (".healthlint.yaml", ".healthlint.yml")
LIST_KEYS = ("rulesets", "extend_rulesets", "select", "ignore", "extend_select", "exclude")
MAPPING_KEYS = ("severity", "per_file_ignores", "options")
KNOWN_KEYS = (*LIST_KEYS, *MAPPING_KEYS, "fail_level")


@dataclass
class Config:
    path: str | None = None
    root: Path = field(default_factory=Path.cwd)
    rulesets: list[str] = field(default_factory=lambda: ["default"])
    extend_rulesets: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    fail_level: str = "warning"
    options: dict[str, Any] = field(default_factory=dict)


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above `start`."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """Read `path`, or discover a config upward from `start`; defaults when there is none."""
    if path is None:
        path = find_config((start or Path.cwd()).resolve())
        if path is None:
            return Config()
    elif not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    if path.name == "pyproject.toml":
        data = _pyproject_section(path) or {}
        lines: dict[str, int] = {}
    else:
        # Imported here: a run with no config file (and cached rules) never needs a YAML parser.
        from healthlint.engine.yamlload import YamlError, YamlMap, load_yaml

        try:
            loaded = load_yaml(path.read_text(encoding="utf-8"))
        except YamlError as exc:
            raise ConfigError(f"{path}:{exc.line or 1}: {exc.problem}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config: {exc}") from None
        if loaded is None:
            loaded = YamlMap()
            loaded.line, loaded.key_lines = 1, {}
        if not isinstance(loaded, YamlMap):
            raise ConfigError(f"{path}:1: config must be a mapping of settings")
        data, lines = dict(loaded), loaded.key_lines
    return _build(data, path, lines)


def _pyproject_section(path: Path) -> dict[str, Any] | None:
    import tomllib

    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except (OSError, UnicodeDecodeError, RecursionError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    section = document.get("tool", {}).get("healthlint")
    return section if isinstance(section, dict) else None


def _build(data: dict[str, Any], path: Path, lines: dict[str, int]) -> Config:
    def where(key: str) -> str:
        return f"{path}:{lines[key]}" if key in lines else str(path)

    config = Config(path=str(path), root=path.parent.resolve())
    for key, value in data.items():
        norm = key.replace("-", "_")
        if norm not in KNOWN_KEYS:
            raise ConfigError(f"{where(key)}: unknown config key '{key}' (known: {', '.join(KNOWN_KEYS)})")
        if norm in LIST_KEYS:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{where(key)}: '{key}' must be a list of strings")
            setattr(config, norm, list(value))
        elif norm in MAPPING_KEYS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where(key)}: '{key}' must be a mapping")
            setattr(config, norm, _mapping(norm, value, where(key)))
        elif norm == "fail_level":
            if value not in SEVERITIES:
                raise ConfigError(f"{where(key)}: fail_level must be one of {', '.join(SEVERITIES)}")
            config.fail_level = value
    return config


def _mapping(key: str, value: dict[str, Any], where: str) -> dict[str, Any]:
    if key == "severity":
        for rule, level in value.items():
            if level not in SEVERITIES:
                raise ConfigError(f"{where}: severity of '{rule}' must be one of {', '.join(SEVERITIES)}")
        return {str(k): str(v) for k, v in value.items()}
    if key == "per_file_ignores":
        out: dict[str, list[str]] = {}
        for pattern, selectors in value.items():
            if isinstance(selectors, str):
                selectors = [selectors]
            if not isinstance(selectors, list) or not all(isinstance(s, str) for s in selectors):
                raise ConfigError(f"{where}: per_file_ignores['{pattern}'] must be a list of rule selectors")
            out[str(pattern)] = selectors
        return out
    return dict(value)
