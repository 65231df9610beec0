"""Loading rulesets: YAML files of rules, validated and compiled once per process.

A ruleset file:

    ruleset: claims                 # its name; full rule ids are "<ruleset>/<id>"
    description: ...
    defaults: {category: absolute-claim, severity: warning, kind: pattern}
    terms: {disease: [insomnia, flu, ...]}   # shared lists, used as {{disease}} in patterns
    rules:
      - id: guaranteed-outcome
        ...
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from healthlint import signed_pickle
from healthlint.engine.yamltypes import YamlError, YamlList, YamlMap
from healthlint.errors import RulesetError
from healthlint.fileio import write_atomic_bytes
from healthlint.kinds import KINDS, kind_class
from healthlint.kinds.base import Rule, SpecReader

RULESET_KEYS = ("ruleset", "description", "defaults", "terms", "rules", "source")


@dataclass
class Ruleset:
    name: str
    path: str
    description: str = ""
    rules: list[Rule] = field(default_factory=list)


def builtin_dir() -> Path:
    """Where the shipped rulesets live: inside the wheel, or at the top of a source checkout."""
    # The package folder itself, as importlib.resources.files("healthlint") gives for any installed wheel,
    # without importing importlib.resources (and zipfile) on every start.
    packaged = Path(__file__).resolve().parents[1] / "rulesets"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rulesets"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.yaml"))


def resolve(name_or_path: str, base: Path) -> Path:
    """A built-in ruleset name, or a path (relative to the config that named it)."""
    if not name_or_path.endswith((".yaml", ".yml")) and "/" not in name_or_path:
        path = builtin_dir() / f"{name_or_path}.yaml"
        if not path.is_file():
            raise RulesetError(name_or_path, None, None,
                               f"no built-in ruleset of that name (built-in: {', '.join(builtin_names())})")
        return path
    path = (base / name_or_path).resolve()
    if not path.is_file():
        raise RulesetError(str(path), None, None, "ruleset file not found")
    return path


def load_ruleset(path: Path, compiled_cache: Path | None = None) -> Ruleset:
    """A validated, compiled ruleset; with `compiled_cache`, reused across processes.

    Compiling the rules' regular expressions is most of a one-file run's start-up, and
    `regex` patterns pickle as their compiled code, so a pickled ruleset loads without
    recompiling. The pickle is keyed by the file's bytes and the code that compiles it.
    """
    stat = path.stat()
    if compiled_cache is None:
        return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RulesetError(str(path), None, None, f"cannot read: {exc.strerror or exc}") from None
    key = hashlib.blake2b(data + code_stamp().encode() + str(path).encode(), digest_size=16).hexdigest()
    pickled = compiled_cache / f"rules-{key}.pickle"
    try:
        cached = signed_pickle.load(pickled)
        if isinstance(cached, Ruleset):
            return cached
    except Exception:  # absent, foreign or unreadable: compile it
        pass
    ruleset = _load_cached(str(path), stat.st_mtime_ns, stat.st_size)
    try:
        data = signed_pickle.dumps(ruleset)
        if data is not None:
            compiled_cache.mkdir(parents=True, exist_ok=True)
            write_atomic_bytes(pickled, data, durable=False)
    except Exception:  # a rule that cannot be pickled, or a read-only cache: just do not cache
        pass
    return ruleset


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """Versions and source files that decide what a compiled ruleset contains."""
    import regex

    from healthlint import __version__

    package = Path(__file__).resolve().parents[1]
    sources = sorted([*package.glob("kinds/*.py"), *package.glob("language/*.py"), *package.glob("engine/*.py"),
                      *package.glob("document/*.py")])
    stamps = [f"{p.name}:{p.stat().st_mtime_ns}" for p in sources]
    return "|".join([__version__, regex.__version__, sys.version, *stamps])


@lru_cache(maxsize=64)
def _load_cached(path: str, _mtime: int, _size: int) -> Ruleset:
    from healthlint.engine.yamlload import load_yaml  # here: rules from the compiled cache need no parser

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesetError(path, None, None, f"cannot read: {exc}") from None
    try:
        data = load_yaml(text)
    except YamlError as exc:
        raise RulesetError(path, exc.line, None, exc.problem) from None
    if not isinstance(data, YamlMap):
        raise RulesetError(path, 1, None, "a ruleset must be a mapping with 'ruleset' and 'rules'")
    top = SpecReader(data, path)
    name = top.text("ruleset", required=True)
    description = top.text("description", "")
    default_source = top.text("source", "")
    defaults = top.mapping("defaults")
    terms = _read_terms(top, path)
    rules_data = top.get("rules", list, required=True)
    top.check_unknown(RULESET_KEYS)
    ruleset = Ruleset(name=name, path=path, description=description)
    seen: dict[str, int] = {}
    for index, item in enumerate(rules_data):
        line = rules_data.item_lines[index] if isinstance(rules_data, YamlList) else data.line
        if not isinstance(item, YamlMap):
            raise RulesetError(path, line, "rules", f"rule {index + 1} must be a mapping")
        spec = YamlMap({**defaults, **item})
        spec.line = item.line
        spec.key_lines = {**{k: defaults.line_of(k) for k in defaults}, **item.key_lines}
        if default_source and "source" not in spec:
            spec["source"] = default_source
        kind = spec.get("kind")
        if not isinstance(kind, str):
            raise RulesetError(path, spec.line, "kind", f"missing or invalid rule kind (one of: {', '.join(KINDS)})")
        cls = kind_class(kind)
        if cls is None:
            raise RulesetError(path, spec.line_of("kind"), "kind",
                               f"unknown rule kind '{kind}' (one of: {', '.join(KINDS)})")
        rule = cls(spec, name, path, terms)
        if rule.id in seen:
            raise RulesetError(path, spec.line_of("id"), "id",
                               f"duplicate rule id '{rule.id}' (first at line {seen[rule.id]})")
        seen[rule.id] = spec.line
        ruleset.rules.append(rule)
    return ruleset


def _read_terms(top: SpecReader, path: str) -> dict[str, list[str]]:
    terms_map = top.mapping("terms")
    reader = SpecReader(terms_map, path)
    return {key: reader.texts(key) for key in terms_map}
