"""Running rules over documents: one file, many files, and the corpus pass after them."""

from __future__ import annotations

import fnmatch
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from healthlint import regex_store
from healthlint.config import Config
from healthlint.diagnostic import SEVERITY_RANK, Diagnostic
from healthlint.document.load import BinaryFileError, decode, parse
from healthlint.document.model import Document
from healthlint.engine import suppression
from healthlint.engine.cache import ResultCache, digest
from healthlint.engine.rulesets import builtin_names, code_stamp, load_ruleset, resolve
from healthlint.engine.selection import matches, matches_any, select_rules, unknown_selectors
from healthlint.errors import ConfigError, RulesetError
from healthlint.kinds.base import LintContext, Rule

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
SUPPRESSION_KEY = "#suppression"


@dataclass
class FileResult:
    """What linting one file produced; plain data, so it crosses process boundaries."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str | None = None
    collected: dict[str, Any] = field(default_factory=dict)
    digest: str | None = None  # hash of the bytes that were linted, the cache key


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files_checked: int = 0


def load_rules(config: Config, compiled_cache: Path | None = None) -> list[Rule]:
    """Every rule the config's rulesets define; a later rule with the same id replaces an earlier one."""
    names: list[str] = []
    for entry in [*config.rulesets, *config.extend_rulesets]:
        names.extend(builtin_names() if entry == "default" else [entry])
    by_id: dict[str, Rule] = {}
    for entry in names:
        ruleset = load_ruleset(resolve(entry, config.root), compiled_cache)
        for rule in ruleset.rules:
            by_id[rule.id] = rule
    return list(by_id.values())


class Linter:
    """Lints documents with the rules a configuration selects."""

    def __init__(self, config: Config | None = None, select: list[str] | None = None,
                 ignore: list[str] | None = None, compiled_cache: Path | None = None) -> None:
        self.config = config or Config()
        self.select, self.ignore = select, ignore
        if compiled_cache is not None:
            regex_store.load(compiled_cache)
        available = load_rules(self.config, compiled_cache)
        if compiled_cache is not None:
            regex_store.save(compiled_cache)
        chosen_select = select if select else self.config.select
        chosen_ignore = [*self.config.ignore, *(ignore or [])]
        typos = unknown_selectors([*chosen_select, *chosen_ignore, *self.config.extend_select], available)
        if typos:
            raise ConfigError(f"unknown rule selector: {', '.join(typos)} (see 'healthlint rules')")
        self.rules = select_rules(available, chosen_select, chosen_ignore, self.config.extend_select)
        # Every loaded ruleset file: a selected rule may read another's (results-vary reads testimonials).
        self.ruleset_paths = sorted({rule.path for rule in available})
        self.rules_by_id = {rule.id: rule for rule in self.rules}
        self.severity = {rule.id: self._severity(rule) for rule in self.rules}
        self.context = LintContext(options=dict(self.config.options))
        self.max_file_size = int(self.config.options.get("max_file_size", DEFAULT_MAX_FILE_SIZE))

    def _severity(self, rule: Rule) -> str:
        best, level = -1, rule.severity
        for selector, override in self.config.severity.items():
            if matches(selector, rule) and len(selector) > best:
                best, level = len(selector), override
        return level

    def _ignored_for(self, path: str) -> list[str]:
        if not self.config.per_file_ignores:
            return []
        try:
            relative = Path(path).resolve().relative_to(self.config.root).as_posix()
        except ValueError:
            relative = Path(path).as_posix()
        out: list[str] = []
        for pattern, selectors in self.config.per_file_ignores.items():
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(Path(path).name, pattern):
                out.extend(selectors)
        return out

    def lint_document(self, document: Document, collected: dict[str, Any] | None = None) -> list[Diagnostic]:
        """Findings of every per-file rule on a parsed document, suppressions applied."""
        skipped = self._ignored_for(document.path)
        found = suppression.regions(document) if document.comments else []
        if collected is not None and (found or skipped):
            # Corpus findings are made after every file is parsed; keep what silences them.
            collected[SUPPRESSION_KEY] = (found, skipped)
        out: list[Diagnostic] = []
        for rule in self.rules:
            if skipped and matches_any(skipped, rule):
                continue
            if rule.corpus and collected is not None:
                collected[rule.id] = rule.collect(document, self.context)
            for diagnostic in rule.check(document, self.context):
                if found and suppression.suppressed(diagnostic, rule, found):
                    continue
                diagnostic.severity = self.severity[rule.id]
                out.append(diagnostic)
        out.sort(key=Diagnostic.sort_key)
        return out

    def lint_text(self, text: str, path: str = "-", fmt: str | None = None) -> list[Diagnostic]:
        return self.lint_document(parse(path, text, fmt))

    @cached_property
    def fingerprint(self) -> str:
        """A hash of everything that decides the findings besides the file: version, rules, settings."""
        from healthlint import __version__

        state = hashlib.blake2b(digest_size=16)
        parts: list[object] = [__version__, code_stamp(), self.config.fail_level,
                               sorted(self.config.per_file_ignores.items()), sorted(self.severity.items()),
                               repr(sorted(self.context.options.items()))]
        for path in self.ruleset_paths:
            parts.append((path, hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()))
        state.update(repr(parts).encode("utf-8"))
        return state.hexdigest()

    def lint_bytes(self, path: str, data: bytes, fmt: str | None = None) -> FileResult:
        result = FileResult(path, digest=digest(data))
        try:
            text, notices = decode(data)
        except BinaryFileError:
            result.notices.append(f"{path}: skipped: binary file")
            return result
        result.notices.extend(f"{path}: {n}" for n in notices)
        document = parse(path, text, fmt)
        result.notices.extend(f"{path}: {n}" for n in document.notices)
        result.diagnostics = self.lint_document(document, result.collected)
        return result

    def lint_file(self, path: str) -> FileResult:
        try:
            size = Path(path).stat().st_size
            if size > self.max_file_size:
                return FileResult(path, notices=[
                    f"{path}: skipped: {size / 1048576:.1f} MB is over the {self.max_file_size / 1048576:.1f} MB "
                    "limit (options.max_file_size)"])
            with open(path, "rb") as handle:
                data = handle.read()
        except FileNotFoundError:
            return FileResult(path, error=f"{path}: no such file (deleted during the run?)")
        except IsADirectoryError:
            return FileResult(path, error=f"{path}: is a directory")
        except PermissionError:
            return FileResult(path, error=f"{path}: permission denied")
        except OSError as exc:
            return FileResult(path, error=f"{path}: cannot read: {exc.strerror or exc}")
        return self.lint_bytes(path, data)

    def finish(self, results: list[FileResult]) -> RunResult:
        """Merge per-file results and run the corpus pass (rules that need every file)."""
        run = RunResult()
        for result in results:
            run.diagnostics.extend(result.diagnostics)
            run.notices.extend(result.notices)
            if result.error:
                run.errors.append(result.error)
            else:
                run.files_checked += 1
        silenced = {r.path: r.collected[SUPPRESSION_KEY] for r in results if SUPPRESSION_KEY in r.collected}
        for rule in self.rules:
            if not rule.corpus:
                continue
            data = {r.path: r.collected[rule.id] for r in results if rule.id in r.collected}
            for diagnostic in rule.finish(data, self.context):
                regions, skipped = silenced.get(diagnostic.path, ([], []))
                if (skipped and matches_any(skipped, rule)) or (
                        regions and suppression.suppressed(diagnostic, rule, regions)):
                    continue
                diagnostic.severity = self.severity[rule.id]
                run.diagnostics.append(diagnostic)
        run.diagnostics.sort(key=Diagnostic.sort_key)
        return run

    def lint_paths(self, files: list[str], jobs: int | None = None, cache: ResultCache | None = None,
                   on_result: Callable[[FileResult], None] | None = None) -> RunResult:
        """Lint files (in worker processes when there are enough), reusing cached results."""
        from healthlint.engine.parallel import lint_files

        results: dict[str, FileResult] = {}
        pending = files
        if cache is not None:
            pending = []
            for path in files:
                hit = self._cached(cache, path)
                if hit is None:
                    pending.append(path)
                else:
                    results[path] = hit
                    if on_result:
                        on_result(hit)
        for result in lint_files(self, pending, jobs):
            results[result.path] = result
            if cache is not None and result.digest is not None:
                cache.put(result.path, result.digest, result)
            if on_result:
                on_result(result)
        if cache is not None:
            cache.save()
        return self.finish([results[path] for path in files if path in results])

    @staticmethod
    def _cached(cache: ResultCache, path: str) -> FileResult | None:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        return cache.get(path, digest(data))

    def fails(self, diagnostics: list[Diagnostic]) -> bool:
        threshold = SEVERITY_RANK[self.config.fail_level]
        return any(SEVERITY_RANK[d.severity] >= threshold for d in diagnostics)


__all__ = ["FileResult", "Linter", "RulesetError", "RunResult", "load_rules"]
