"""What every rule kind shares: the common YAML keys, their validation, and diagnostics.

A rule kind is a subclass of `Rule` in its own module (Vale's "extension points"):
it reads its own keys from the YAML spec in `configure`, compiles what it can once,
and implements `check(document, context)`. Kinds that need every file (duplicates
across a repo) also implement `collect` and `finish`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import regex

from healthlint import regex_store
from healthlint.diagnostic import CATEGORIES, DISCLAIMER_KINDS, SEVERITIES, Diagnostic
from healthlint.document.model import Block, Document
from healthlint.engine.yamltypes import YamlList, YamlMap
from healthlint.errors import RulesetError

RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Seconds one regex may run on one block before the rule is reported as too slow.
REGEX_TIMEOUT = 1.0
# The matching methods of a compiled `regex` pattern that accept `timeout=`.
_TIMED_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subf", "subn", "subfn",
                  "split", "splititer")


class BoundedPattern:
    """A compiled pattern from a ruleset or config whose every match call stops after REGEX_TIMEOUT.

    Rulesets come from the repository being linted, and a pattern with nested repeats such as
    `(a+)+$` could otherwise hang a commit: the call raises TimeoutError instead, and the linter
    drops that rule's findings for that file and says so. It behaves as the `regex.Pattern` it
    wraps; a `timeout=` the caller passes wins. (A finditer's timeout counts from its creation,
    including the time the loop over its matches spends.)
    """

    __slots__ = ("compiled",)

    def __init__(self, compiled: regex.Pattern[str]) -> None:
        self.compiled = compiled

    def __reduce__(self) -> tuple[type[BoundedPattern], tuple[regex.Pattern[str]]]:
        return BoundedPattern, (self.compiled,)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)  # pattern, flags, groups, groupindex, named_lists...

    def __eq__(self, other: object) -> bool:
        return self.compiled == (other.compiled if isinstance(other, BoundedPattern) else other)

    def __hash__(self) -> int:
        return hash(self.compiled)

    def __repr__(self) -> str:
        return f"BoundedPattern({self.compiled!r})"


def _timed(name: str) -> Any:
    def method(self: BoundedPattern, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", REGEX_TIMEOUT)
        return getattr(self.compiled, name)(*args, **kwargs)

    method.__name__ = method.__qualname__ = name
    return method


for _name in _TIMED_METHODS:
    setattr(BoundedPattern, _name, _timed(_name))


def bounded(compiled: regex.Pattern[str]) -> regex.Pattern[str]:
    """`compiled`, every match call time-limited; typed as the pattern it stands in for."""
    return BoundedPattern(compiled)  # type: ignore[return-value]


@dataclass
class LintContext:
    """What a rule may know beyond the document: user options from config."""

    options: dict[str, Any] = field(default_factory=dict)


class SpecReader:
    """Reads and validates the keys of one YAML rule mapping; errors name file, line and key."""

    def __init__(self, spec: YamlMap, path: str) -> None:
        self.spec, self.path = spec, path
        self.seen: set[str] = set()

    def fail(self, key: str | None, problem: str) -> RulesetError:
        line = self.spec.line_of(key) if key else self.spec.line
        return RulesetError(self.path, line, key, problem)

    def get(self, key: str, types: type | tuple[type, ...], default: Any = None, required: bool = False) -> Any:
        self.seen.add(key)
        if key not in self.spec or self.spec[key] is None:
            if required:
                raise self.fail(None, f"missing required key '{key}'")
            return default
        value = self.spec[key]
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
            raise self.fail(key, f"must be {_type_name(types)}, not {type(value).__name__}")
        return value

    def text(self, key: str, default: str | None = None, required: bool = False,
             choices: Iterable[str] | None = None) -> Any:
        value = self.get(key, str, default, required)
        if choices is not None and value is not None and value not in choices:
            raise self.fail(key, f"'{value}' is not one of: {', '.join(choices)}")
        return value

    def texts(self, key: str, required: bool = False) -> list[str]:
        value = self.get(key, (list, str), None, required)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        for index, item in enumerate(value):
            if not isinstance(item, str):
                line = value.item_lines[index] if isinstance(value, YamlList) else self.spec.line_of(key)
                raise RulesetError(self.path, line, key, f"item {index + 1} must be a string")
        return list(value)

    def number(self, key: str, default: float, minimum: float | None = None) -> float:
        value = self.get(key, (int, float), default)
        if minimum is not None and value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return float(value)

    def integer(self, key: str, default: int, minimum: int | None = None) -> int:
        value = self.get(key, int, default)
        if minimum is not None and value < minimum:
            raise self.fail(key, f"must be at least {minimum}")
        return int(value)

    def flag(self, key: str, default: bool) -> bool:
        return bool(self.get(key, bool, default))

    def mapping(self, key: str) -> YamlMap:
        value = self.get(key, dict, None)
        if value is None:
            empty = YamlMap()
            empty.line, empty.key_lines = self.spec.line, {}
            return empty
        return value

    def compile(self, key: str, pattern: str, flags: int = 0, **lists: list[str]) -> regex.Pattern[str]:
        """A user's regex, checked now (errors name file, line and key) and time-limited when it runs."""
        try:
            return bounded(regex_store.compile(pattern, flags, **lists))
        except regex.error as exc:
            raise self.fail(key, f"invalid regular expression {pattern!r}: {exc}") from None

    def check_unknown(self, allowed: Iterable[str]) -> None:
        known = set(allowed) | self.seen
        for key in self.spec:
            if key not in known:
                raise self.fail(key, "unknown key (check its spelling, or the rule's kind)")


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _type_name(types: type | tuple[type, ...]) -> str:
    names = {str: "a string", list: "a list", dict: "a mapping", int: "a whole number",
             float: "a number", bool: "true or false"}
    return " or ".join(names.get(t, t.__name__) for t in _as_tuple(types))


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def as_template(text: str) -> str:
    """A message as documentation: `{match}` is the flagged text, other fields show as <name>."""
    return PLACEHOLDER.sub(lambda found: "…" if found.group(1) == "match" else f"<{found.group(1)}>", text)


COMMON_KEYS = ("id", "kind", "category", "severity", "message", "why", "source", "url",
               "suggestion", "examples", "disclaimer", "enabled")


class Rule:
    """A configured rule. Subclasses set `kind` and implement `configure` and `check`."""

    kind: ClassVar[str] = ""
    # Kinds whose findings need all files of a run set this and implement collect/finish.
    corpus: ClassVar[bool] = False

    def __init__(self, spec: YamlMap, ruleset: str, path: str, terms: dict[str, list[str]] | None = None) -> None:
        reader = SpecReader(spec, path)
        self.path, self.ruleset = path, ruleset
        self.line = spec.line
        name = reader.text("id", required=True)
        if not RULE_ID.match(name):
            raise reader.fail("id", f"'{name}' must be lower-case letters, digits and hyphens")
        self.id = f"{ruleset}/{name}"
        self.category: str = reader.text("category", required=True, choices=CATEGORIES)
        self.severity: str = reader.text("severity", "warning", choices=SEVERITIES)
        self.message: str = reader.text("message", required=True)
        self.why: str = reader.text("why", "")
        self.source: str = reader.text("source", "")
        self.url: str | None = reader.text("url")
        self.suggestion: str | None = reader.text("suggestion")
        self.disclaimer: str | None = reader.text("disclaimer", None, choices=DISCLAIMER_KINDS)
        self.enabled: bool = reader.flag("enabled", True)
        examples = reader.mapping("examples")
        example_reader = SpecReader(examples, path)
        self.examples_fail = example_reader.texts("fail")
        self.examples_pass = example_reader.texts("pass")
        example_reader.check_unknown(())
        reader.text("kind", required=True)
        self.terms = terms or {}
        self.configure(reader)
        reader.check_unknown(COMMON_KEYS)

    @property
    def summary(self) -> str:
        """The message's first sentence with the flagged text left out, for listings and docs."""
        text = " ".join(self.message.split()).replace('"{match}"', "{match}")
        text = ("The wording" + text[len("{match}"):]) if text.startswith("{match}") else text
        first = as_template(text.replace("{match}", "the wording")).split(". ")[0].strip()
        return first.rstrip(".") + "."

    def configure(self, spec: SpecReader) -> None:
        """Read the kind's own keys from `spec` and compile them."""

    def check(self, document: Document, context: LintContext) -> Iterator[Diagnostic]:
        """Findings of this rule in one document."""
        return iter(())

    # Corpus pass (cross-file kinds only): `collect` runs per file, possibly in a worker,
    # and returns picklable data; `finish` sees the data of every file once.
    def collect(self, document: Document, context: LintContext) -> Any:
        return None

    def finish(self, collected: dict[str, Any], context: LintContext) -> Iterator[Diagnostic]:
        return iter(())

    def render(self, template: str | None, match: str) -> str | None:
        if template is None:
            return None
        return template.replace("{match}", " ".join(match.split()))

    def diagnostic(self, document: Document, block: Block, start: int, end: int, *,
                   message: str | None = None, suggestion: str | None = None,
                   **extra: Any) -> Diagnostic:
        """A finding on block text [start, end), positioned in the original file."""
        src_start, src_end = block.span(start, end)
        return self.diagnostic_at(document, src_start, src_end, message=message, suggestion=suggestion,
                                  matched=block.text[start:end], **extra)

    def diagnostic_at(self, document: Document, src_start: int, src_end: int, *,
                      message: str | None = None, suggestion: str | None = None,
                      matched: str | None = None, **extra: Any) -> Diagnostic:
        """A finding on the source span [src_start, src_end)."""
        line, column = document.position(src_start)
        end_line, end_column = document.position(src_end)
        match = document.source[src_start:src_end]
        shown = matched if matched is not None else match
        return Diagnostic(
            path=document.path, line=line, column=column, end_line=end_line, end_column=end_column,
            rule=self.id, category=self.category, severity=self.severity,
            message=message if message is not None else (self.render(self.message, shown) or ""),
            match=match,
            suggestion=suggestion if suggestion is not None else self.render(self.suggestion, shown),
            url=self.url, disclaimer=extra.pop("disclaimer", self.disclaimer),
            start=src_start, end=src_end, **extra,
        )
