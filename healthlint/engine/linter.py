"""Running rules over documents: one file, many files, and the corpus pass after them."""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import signal
import stat
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from healthlint import regex_store
from healthlint.config import Config
from healthlint.diagnostic import Diagnostic
from healthlint.document.load import BinaryFileError, decode, format_for, parse
from healthlint.document.model import Document
from healthlint.engine import packing, suppression
from healthlint.engine.cache import ResultCache, digest
from healthlint.engine.rulesets import builtin_names, code_stamp, load_ruleset, resolve
from healthlint.engine.selection import matches, matches_any, select_rules, unknown_selectors
from healthlint.errors import ConfigError, HealthlintError, RulesetError
from healthlint.kinds.base import REGEX_TIMEOUT, LintContext, Rule

DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
# Characters in one prose block (paragraph, list item, cell). Longer is not copy a person reads,
# and rules' work on a block grows faster than its length, so such a file is skipped with a notice.
DEFAULT_MAX_BLOCK_SIZE = 20_000
# Seconds one file may take from bytes to findings; past it the file is given up, never a hung commit.
DEFAULT_FILE_TIME_LIMIT = 60.0
SUPPRESSION_KEY = "#suppression"
# Opening a FIFO for reading would wait for a writer; with O_NONBLOCK it returns and fstat tells.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class FileTimedOut(BaseException):
    """Raised in the linting thread when a file runs past its time limit.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` in a rule swallows it.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise FileTimedOut in this thread after `seconds` of wall time (Unix, main thread only).

    Elsewhere (Windows, a worker thread, or a caller that already armed the real-time timer)
    there is no watchdog, and the regex timeouts inside rules are the only bound.
    """
    usable = (seconds > 0 and hasattr(signal, "setitimer")
              and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL)[0] == 0)
    if not usable:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise FileTimedOut

    previous = signal.signal(signal.SIGALRM, expire)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)


@dataclass
class FileResult:
    """What linting one file produced; plain data, so it crosses process boundaries."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str | None = None
    collected: dict[str, Any] = field(default_factory=dict)
    digest: str | None = None  # hash of the bytes that were linted, the cache key
    # Rules that gave up on this file (a regex timeout); the other rules' findings stand.
    rule_errors: list[str] = field(default_factory=list)
    # `diagnostics` packed (see packing.py) once the file is done: what workers send and the cache keeps.
    packed: bytes | None = None
    skipped: bool = False  # not linted at all (binary, too large, not a regular file); a notice says why

    @classmethod
    def skip(cls, path: str, reason: str) -> FileResult:
        return cls(path).mark_skipped(reason)

    def mark_skipped(self, reason: str) -> FileResult:
        self.notices.append(f"{self.path}: skipped: {reason}")
        self.skipped = True
        return self

    def pack(self) -> FileResult:
        if self.packed is None:
            self.packed, self.diagnostics = packing.pack(self.diagnostics), []
        return self

    def findings(self) -> list[Diagnostic]:
        return packing.unpack(self.packed) if self.packed is not None else self.diagnostics


@dataclass
class RunResult:
    """A run's outcome. Findings stay packed per file until they are iterated, in output order."""

    notices: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    files_checked: int = 0
    by_file: dict[str, FileResult] = field(default_factory=dict)
    # Findings of the corpus pass, by path; they join their file's own findings when iterated.
    corpus: dict[str, list[Diagnostic]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Diagnostic]:
        """Every finding sorted by path, line and column: one file unpacked at a time."""
        for path in sorted(self.by_file.keys() | self.corpus.keys()):
            result = self.by_file.get(path)
            found = result.findings() if result is not None else []
            extra = self.corpus.get(path)
            if extra:
                found = sorted([*found, *extra], key=Diagnostic.sort_key)
            yield from found

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self)


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
        self.compiled_cache = compiled_cache
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
        self.max_file_size = int(self._limit("max_file_size", DEFAULT_MAX_FILE_SIZE))
        self.max_block_size = int(self._limit("max_block_size", DEFAULT_MAX_BLOCK_SIZE))
        self.file_time_limit = self._limit("file_time_limit", DEFAULT_FILE_TIME_LIMIT, zero_is_off=True)

    def _limit(self, key: str, default: float, zero_is_off: bool = False) -> float:
        value = self.config.options.get(key, default)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or value < 0 or (value == 0 and not zero_is_off):
            where = self.config.path or "config"
            floor = "zero or more (0 turns it off)" if zero_is_off else "a number above zero"
            raise ConfigError(f"{where}: options.{key} must be {floor}, not {value!r}")
        return float(value)

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

    def lint_document(self, document: Document, collected: dict[str, Any] | None = None,
                      errors: list[str] | None = None) -> list[Diagnostic]:
        """Findings of every per-file rule on a parsed document, suppressions applied.

        A rule whose regex times out loses its findings on this document only; the message
        goes to `errors` (or is issued as a RuntimeWarning when there is no list to hold it).
        """
        skipped = self._ignored_for(document.path)
        found = suppression.regions(document) if document.comments else []
        if collected is not None and (found or skipped):
            # Corpus findings are made after every file is parsed; keep what silences them.
            collected[SUPPRESSION_KEY] = (found, skipped)
        out: list[Diagnostic] = []
        for rule in self.rules:
            if skipped and matches_any(skipped, rule):
                continue
            try:
                if rule.corpus and collected is not None:
                    collected[rule.id] = rule.collect(document, self.context)
                findings = [d for d in rule.check(document, self.context)
                            if not (found and suppression.suppressed(d, rule, found))]
            except TimeoutError:
                if collected is not None:
                    collected.pop(rule.id, None)
                _report(errors, rule_timeout_message(rule, document.path))
                continue
            except HealthlintError:
                raise  # a config problem, the same for every file: it ends the run
            except Exception as exc:  # a bug in one rule costs that rule on this file, as in ruff
                if debugging():
                    raise
                if collected is not None:
                    collected.pop(rule.id, None)
                _report(errors, f"{document.path}: rule {rule.id} failed: {bug_report(exc)}")
                continue
            for diagnostic in findings:
                diagnostic.severity = self.severity[rule.id]
            out.extend(findings)
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
        """Lint one file's bytes; every problem with the input comes back in the result, never raised."""
        if len(data) > self.max_file_size:
            return self._too_large(path, len(data))
        result = FileResult(path, digest=digest(data))
        try:
            with time_limit(self.file_time_limit):
                self._lint_decoded(result, data, fmt)
        except FileTimedOut:
            return FileResult(path, error=f"{path}: gave up after {self.file_time_limit:g} s, its findings are "
                              "missing (raise options.file_time_limit, or exclude the file)")
        except HealthlintError:
            raise
        except Exception as exc:  # a reader bug: this file is lost, the others are not
            if debugging():
                raise
            return FileResult(path, error=f"{path}: cannot be read as {fmt or format_for(path)}: {bug_report(exc)}")
        return result

    def _lint_decoded(self, result: FileResult, data: bytes, fmt: str | None) -> None:
        path = result.path
        try:
            text, notices = decode(data)
        except BinaryFileError:
            result.mark_skipped("binary file")
            return
        result.notices.extend(f"{path}: {n}" for n in notices)
        document = parse(path, text, fmt)
        result.notices.extend(f"{path}: {n}" for n in document.notices)
        longest = max(document.blocks, key=lambda block: len(block.text), default=None)
        if longest is not None and len(longest.text) > self.max_block_size:
            line = document.position(longest.src_start)[0]
            result.mark_skipped(
                f"the prose block at line {line} has {len(longest.text):,} characters, over the "
                f"{self.max_block_size:,} limit (split it into paragraphs, or raise options.max_block_size)")
            return
        result.diagnostics = self.lint_document(document, result.collected, result.rule_errors)

    def _too_large(self, path: str, size: int) -> FileResult:
        return FileResult.skip(path, f"{size / 1048576:.1f} MB is over the {self.max_file_size / 1048576:.1f} MB "
                               "limit (options.max_file_size)")

    def lint_file(self, path: str) -> FileResult:
        data = self.read_file(path)
        return data if isinstance(data, FileResult) else self.lint_bytes(path, data)

    def read_file(self, path: str) -> bytes | FileResult:
        """The bytes of a regular file, or a FileResult that says why there are none to lint."""
        try:
            fd = os.open(path, _OPEN_FLAGS)
            try:
                info = os.fstat(fd)  # of what was opened: no window for a swap after a check by name
                if stat.S_ISDIR(info.st_mode):
                    return FileResult(path, error=f"{path}: is a directory")
                if not stat.S_ISREG(info.st_mode):
                    return FileResult.skip(path, "not a regular file (a pipe, socket or device)")
                if info.st_size > self.max_file_size:
                    return self._too_large(path, info.st_size)
                with open(fd, "rb", closefd=False) as handle:
                    data = handle.read(self.max_file_size + 1)
            finally:
                os.close(fd)
        except FileNotFoundError:
            if os.path.islink(path):
                return FileResult(path, error=f"{path}: broken symbolic link (fix or remove the link)")
            return FileResult(path, error=f"{path}: no such file (deleted during the run?)")
        except PermissionError:
            return FileResult(path, error=f"{path}: permission denied (make it readable, or exclude it)")
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return FileResult(path, error=f"{path}: symbolic link loop (fix or remove the link)")
            return FileResult(path, error=f"{path}: cannot read: {exc.strerror or exc}")
        if len(data) > self.max_file_size:  # it grew after fstat
            return self._too_large(path, len(data))
        return data

    def finish(self, results: list[FileResult]) -> RunResult:
        """Merge per-file results and run the corpus pass (rules that need every file)."""
        run = RunResult()
        for result in results:
            run.by_file[result.path] = result
            run.notices.extend(result.notices)
            run.errors.extend(result.rule_errors)
            if result.error:
                run.errors.append(result.error)
            elif not result.skipped:
                run.files_checked += 1
        silenced = {r.path: r.collected[SUPPRESSION_KEY] for r in results if SUPPRESSION_KEY in r.collected}
        for rule in self.rules:
            if not rule.corpus:
                continue
            data = {r.path: r.collected[rule.id] for r in results if rule.id in r.collected}
            try:
                corpus_findings = list(rule.finish(data, self.context))
            except TimeoutError:
                run.errors.append(rule_timeout_message(rule, "the files of this run"))
                continue
            except HealthlintError:
                raise
            except Exception as exc:
                if debugging():
                    raise
                run.errors.append(f"rule {rule.id} failed across files: {bug_report(exc)}")
                continue
            for diagnostic in corpus_findings:
                regions, skipped = silenced.get(diagnostic.path, ([], []))
                if (skipped and matches_any(skipped, rule)) or (
                        regions and suppression.suppressed(diagnostic, rule, regions)):
                    continue
                diagnostic.severity = self.severity[rule.id]
                run.corpus.setdefault(diagnostic.path, []).append(diagnostic)
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
            results[result.path] = result.pack()
            if cache is not None and result.digest is not None:
                cache.put(result.path, result.digest, result)
            if on_result:
                on_result(result)
        if cache is not None:
            cache.save()
        if self.compiled_cache is not None:  # patterns rules compiled on first use, for the next run
            regex_store.save(self.compiled_cache)
        return self.finish([results[path] for path in files if path in results])

    def _cached(self, cache: ResultCache, path: str) -> FileResult | None:
        data = self.read_file(path)  # never blocks on a FIFO nor reads a file over the size limit
        return None if isinstance(data, FileResult) else cache.get(path, digest(data))


def rule_timeout_message(rule: Rule, where: str) -> str:
    """One line: which rule gave up where, and what the user can do about it."""
    from healthlint.engine.rulesets import builtin_dir

    builtin = Path(rule.path).resolve().parent == builtin_dir().resolve()
    fix = ("Split the very long paragraph" if builtin else
           f"Simplify the rule's patterns in {rule.path} (look for nested repeats such as (a|aa)+)")
    return (f"{where}: rule {rule.id} gave up after {REGEX_TIMEOUT:g} s in a regular expression, so its findings "
            f"there are missing. {fix}, or turn the rule off there with per_file_ignores")


def debugging() -> bool:
    """HEALTHLINT_DEBUG=1: let unexpected exceptions through, with their traceback."""
    return bool(os.environ.get("HEALTHLINT_DEBUG"))


def bug_report(exc: Exception) -> str:
    return (f"{type(exc).__name__}: {' '.join(str(exc).split())} (a bug in healthlint: please report it; "
            "HEALTHLINT_DEBUG=1 shows the traceback)")


def _report(errors: list[str] | None, message: str) -> None:
    if errors is None:
        warnings.warn(message, RuntimeWarning, stacklevel=3)
    else:
        errors.append(message)


__all__ = ["FileResult", "FileTimedOut", "Linter", "RulesetError", "RunResult", "load_rules", "time_limit"]
