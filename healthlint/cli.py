"""The command line: it parses arguments and wires config, linter and reporter; nothing more."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from healthlint import __version__
from healthlint.diagnostic import SEVERITY_RANK, Diagnostic
from healthlint.errors import HealthlintError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"healthlint: error: {message} (see 'healthlint --help')\n")


def _csv(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def build_parser() -> Parser:
    from healthlint.reporters import FORMATS

    parser = Parser(prog="healthlint", description="Lint health marketing copy for claims, "
                    "missing citations and disclaimers, duplicates and readability.")
    parser.add_argument("--version", action="version", version=f"healthlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    check = commands.add_parser("check", help="lint files and directories (default: .)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or directories; '-' reads stdin")
    check.add_argument("--format", "--output-format", dest="format", default="text", choices=sorted(FORMATS),
                       help="output format (default: text)")
    check.add_argument("--select", action="append", metavar="RULES",
                       help="only these rules: ids, id prefixes, ruleset names or categories (comma-separated)")
    check.add_argument("--ignore", action="append", metavar="RULES", help="skip these rules (same forms as --select)")
    check.add_argument("--extend-select", action="append", metavar="RULES",
                       help="add rules to the selection, including rules that are off by default")
    check.add_argument("--config", type=Path, metavar="FILE", help="config file (default: found upward from .)")
    check.add_argument("--fail-level", choices=("error", "warning", "info"),
                       help="lowest severity that makes the exit code 1 (default: warning)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--stdin-filename", metavar="NAME", help="the name (and so the format) of text read from stdin")
    check.add_argument("--output-file", "-o", type=Path, metavar="FILE", help="write the report to FILE")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colored text output")
    check.add_argument("--quiet", "-q", action="store_true", help="no notices or progress bar on stderr")
    check.add_argument("--statistics", action="store_true",
                       help="print how many findings each rule made instead of the findings (text or json)")
    check.add_argument("--no-progress", action="store_true",
                       help="no progress bar (it shows only on a terminal, and never when CI is set)")
    baseline = check.add_mutually_exclusive_group()
    baseline.add_argument("--baseline", type=Path, metavar="FILE",
                          help="report only findings that are not recorded in this baseline file")
    baseline.add_argument("--write-baseline", type=Path, metavar="FILE",
                          help="record today's findings in FILE (for --baseline) and exit 0")
    check.add_argument("--no-cache", action="store_true", help="lint every file again, ignoring cached results")
    check.add_argument("--cache-dir", type=Path, metavar="DIR",
                       help="where cached results live (default: .healthlint_cache next to the config, or in .)")
    check.add_argument("--jobs", "-j", type=int, metavar="N",
                       help="worker processes (default: one per core, used when there are enough files)")

    rules = commands.add_parser("rules", help="list the rules the configuration loads")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.add_argument("--config", type=Path, metavar="FILE")
    rules.add_argument("--all", action="store_true", help="include rules that are off by default")

    explain = commands.add_parser("explain", help="explain one rule: what, why, source, examples")
    explain.add_argument("rule", metavar="RULE")
    explain.add_argument("--config", type=Path, metavar="FILE")

    server = commands.add_parser("server", help="run the language server (LSP) on stdin/stdout, for editors")
    server.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default; for editors "
                        "that always pass it)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "rules":
            return run_rules(args)
        if args.command == "explain":
            return run_explain(args)
        if args.command == "server":
            return run_server(args)
        parser.print_help()
        return EXIT_ERROR
    except HealthlintError as exc:
        print(f"healthlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("healthlint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); nothing more to say to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("HEALTHLINT_DEBUG"):
            raise
        print(f"healthlint: internal error: {type(exc).__name__}: {exc} "
              "(rerun with HEALTHLINT_DEBUG=1 for details, and please report it)", file=sys.stderr)
        return EXIT_ERROR


def run() -> NoReturn:
    """The `healthlint` command: `main()`, then exit without tearing the interpreter down.

    Freeing every module and object at exit took about 15 ms of a 150 ms one-file run, the case a
    pre-commit hook and an editor pay on every save. By then reports are written and files closed;
    only if threads or worker processes could still be running is the normal exit taken, so that
    they are waited for as usual. (`main()` itself returns, for tests and embedding.)
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away: nothing more to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    threads = sys.modules.get("threading")
    if "multiprocessing" in sys.modules or (threads is not None and threads.active_count() > 1):
        sys.exit(code)
    os._exit(code)


def run_check(args: argparse.Namespace) -> int:
    from healthlint import re_store
    from healthlint.config import load_config
    from healthlint.discovery import discover
    from healthlint.progress import ProgressBar, wanted
    from healthlint.reporters import Summary, streamer

    if args.statistics and args.format not in ("text", "json"):
        raise HealthlintError("--statistics prints text or json (use --format text or --format json)")
    started = time.perf_counter()
    config = load_config(args.config)
    if args.fail_level:
        config.fail_level = args.fail_level
    config.extend_select = [*config.extend_select, *_csv(args.extend_select)]
    bar = ProgressBar(0, sys.stderr, enabled=wanted(sys.stderr, disabled=args.no_progress or args.quiet))
    from healthlint.engine.cache import CACHE_DIR_NAME

    # Compiled rulesets and per-file results are both cached here, unless --no-cache.
    cache_dir = None if args.no_cache else (args.cache_dir or config.root / CACHE_DIR_NAME)
    if cache_dir is not None:
        re_store.load(cache_dir)  # before the linter's modules are imported: they compile patterns at import
    from healthlint.engine.linter import Linter, RunResult

    linter = Linter(config, select=_csv(args.select) or None, ignore=_csv(args.ignore), compiled_cache=cache_dir)
    paths = args.paths or ["."]
    if "-" in paths:
        if len(paths) > 1:
            raise HealthlintError("'-' (stdin) cannot be combined with other paths")
        name = args.stdin_filename or "-"
        fmt = None if args.stdin_filename else "markdown"
        from healthlint.document.load import format_for

        result = linter.lint_bytes(name, sys.stdin.buffer.read(), format_for(name) if fmt is None else fmt)
        run = linter.finish([result])
    else:
        files, missing = discover(paths, config.exclude, config.root)
        cache = None
        if cache_dir is not None and files:
            from healthlint.engine.cache import ResultCache

            cache = ResultCache(cache_dir, linter.fingerprint).load()
        bar.total = len(files)
        run = (linter.lint_paths(files, jobs=args.jobs, cache=cache, on_result=lambda result: bar.advance(result.path))
               if files else RunResult())
        run.errors[:0] = missing
        if not files and not missing:
            run.notices.append(f"no files to check in {', '.join(paths)} "
                               "(looked for .md, .markdown, .html, .htm, .txt)")
    bar.close()
    if cache_dir is not None:
        re_store.save(cache_dir)
    if not args.quiet:
        for notice in run.notices:
            print(f"healthlint: warning: {notice}", file=sys.stderr)
    for error in run.errors:
        print(f"healthlint: error: {error}", file=sys.stderr)
    diagnostics: Iterable[Diagnostic] = run
    if args.write_baseline:
        from healthlint import baseline

        with _writing(args.write_baseline, "the baseline"):
            recorded = baseline.write(args.write_baseline, diagnostics)
        print(f"healthlint: recorded {recorded} finding{'s' if recorded != 1 else ''} in {args.write_baseline}",
              file=sys.stderr)
        return EXIT_ERROR if run.errors else EXIT_OK
    if args.baseline:
        from healthlint import baseline

        diagnostics = baseline.new_findings(diagnostics, args.baseline)
    to_terminal = args.output_file is None and sys.stdout.isatty()
    color = args.color == "always" or (args.color == "auto" and to_terminal and not os.environ.get("NO_COLOR"))
    summary = Summary(files_checked=run.files_checked, seconds=time.perf_counter() - started, color=color,
                      rules=rule_metadata(linter.rules, linter.severity) if args.format == "sarif" else {},
                      paths=[args.stdin_filename or "-"] if "-" in paths else list(files))
    worst = WorstSeverity(diagnostics)
    if args.statistics:
        from healthlint.reporters import statistics

        chunks: Iterable[str] = [statistics.render(worst, summary, args.format)]
    else:
        chunks = streamer(args.format)(worst, summary)
    if args.output_file:
        from healthlint.fileio import write_atomic_chunks

        with _writing(args.output_file, "the report"):
            write_atomic_chunks(args.output_file, (chunk.encode("utf-8") for chunk in chunks))
    else:
        for chunk in chunks:
            sys.stdout.write(chunk)
        sys.stdout.flush()
    if run.errors:
        return EXIT_ERROR
    if worst.fails(config.fail_level) and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_OK


class WorstSeverity:
    """Passes findings through to the reporter, noting the most severe, which decides the exit code."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        self.worst = -1

    def __iter__(self) -> Iterator[Diagnostic]:
        for diagnostic in self.diagnostics:
            self.worst = max(self.worst, SEVERITY_RANK[diagnostic.severity])
            yield diagnostic

    def fails(self, fail_level: str) -> bool:
        return self.worst >= SEVERITY_RANK[fail_level]


@contextmanager
def _writing(path: Path, what: str) -> Iterator[None]:
    """An OSError while writing `path` becomes a one-line error that says what to do."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise HealthlintError(f"{path}: cannot write {what}: {reason} (check that its folder exists and is "
                              "writable, and that the path is not a folder)") from None


def run_rules(args: argparse.Namespace) -> int:
    import json

    from healthlint.config import load_config
    from healthlint.engine.linter import load_rules

    rules = [r for r in load_rules(load_config(args.config)) if r.enabled or args.all]
    if args.format == "json":
        print(json.dumps([{"rule": r.id, "kind": r.kind, "category": r.category, "severity": r.severity,
                           "summary": r.summary, "source": r.source} for r in rules], indent=2))
        return EXIT_OK
    width = max((len(r.id) for r in rules), default=10)
    for r in rules:
        print(f"{r.id:<{width}}  {r.category:<18}  {r.severity:<7}  {r.summary}")
    return EXIT_OK


def run_explain(args: argparse.Namespace) -> int:
    from healthlint.config import load_config
    from healthlint.engine.linter import load_rules
    from healthlint.engine.selection import matches

    rules = load_rules(load_config(args.config))
    exact = [r for r in rules if r.id == args.rule]
    found = exact or [r for r in rules if matches(args.rule, r)]
    if not found:
        raise HealthlintError(f"unknown rule '{args.rule}' (see 'healthlint rules')")
    print("\n\n".join(explanation(rule) for rule in found))
    return EXIT_OK


def rule_metadata(rules: Sequence[object], severity: dict[str, str]) -> dict[str, dict[str, object]]:
    """What reporters may say about each rule (SARIF's rule descriptors), by id; `severity` as configured."""
    from healthlint.kinds.base import Rule

    out: dict[str, dict[str, object]] = {}
    for rule in rules:
        assert isinstance(rule, Rule)
        out[rule.id] = {"summary": rule.summary, "why": " ".join(rule.why.split()), "source": rule.source,
                        "url": rule.url, "category": rule.category, "severity": severity.get(rule.id, rule.severity),
                        "kind": rule.kind, "help": explanation(rule)}
    return out


def run_server(args: argparse.Namespace) -> int:
    try:
        import pygls  # noqa: F401  (only to give a helpful message when the extra is missing)
    except ImportError:
        raise HealthlintError("'healthlint server' needs the lsp extra: pip install 'healthlint[lsp]'") from None
    from healthlint.server import serve

    serve()
    return EXIT_OK


def explanation(rule: object) -> str:
    from healthlint.kinds.base import Rule, as_template

    assert isinstance(rule, Rule)
    lines = [f"{rule.id}  ({rule.kind} rule, category {rule.category}, severity {rule.severity})", "",
             f"What it flags: {as_template(rule.message)}"]
    if rule.why:
        lines += ["", f"Why it matters: {rule.why}"]
    if rule.suggestion:
        lines += ["", f"How to fix: {as_template(rule.suggestion)}"]
    if rule.source:
        lines += ["", f"Source: {rule.source}"]
    if rule.url:
        lines += [f"More: {rule.url}"]
    if rule.examples_fail:
        lines += ["", "Flagged:"] + [f"  ✗ {e}" for e in rule.examples_fail]
    if rule.examples_pass:
        lines += ["", "Not flagged:"] + [f"  ✓ {e}" for e in rule.examples_pass]
    return "\n".join(lines)
