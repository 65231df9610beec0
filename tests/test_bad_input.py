"""The bad-input matrix: what healthlint does with each kind of awkward file, path or ruleset.

Every row of the README table "What bad input gets" has a test here. The contract: never a
traceback, never a hang, one line on stderr per problem naming the file and what to do, and
exit 2 for usage, config, ruleset and unreadable-input errors, while a problem with one file
never stops the others from being linted and reported.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from healthlint import discovery
from healthlint.config import Config
from healthlint.engine import linter as linter_module
from healthlint.engine.linter import Linter
from healthlint.kinds import base
from tests.conftest import REPO, write

CLAIM = "Our tea cures insomnia."  # "cures insomnia" starts at column 9
CLEAN = "Most adults need seven or more hours of sleep.\n"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder: no config found upward, the cache stays in tmp_path."""
    monkeypatch.chdir(tmp_path)


def findings(out: str) -> list[tuple[str, int, int, str]]:
    return [(d["path"], d["line"], d["column"], d["match"]) for d in json.loads(out)
            if d["rule"] == "claims/disease-claim"]


def assert_clean_stderr(err: str) -> None:
    """Problems are reported as one line each, prefixed, never as a traceback."""
    assert "Traceback" not in err and "internal error" not in err, err
    for line in err.splitlines():
        assert line.startswith("healthlint: "), line


def run_module(*args: str, cwd: Path, timeout: float = 60) -> tuple[subprocess.CompletedProcess[str], float]:
    """`python -m healthlint ARGS` in a child process, with a hard timeout: a hang fails the test."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "healthlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(REPO)})
    return done, time.monotonic() - started


# --- encodings and characters ------------------------------------------------------------------


def test_binary_file_is_skipped_with_a_notice(tmp_path: Path, cli) -> None:
    (tmp_path / "logo.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00" + bytes(range(256)))
    write(tmp_path / "page.md", CLEAN)
    result = cli("check", "--format", "json", ".")
    assert result.code == 0 and json.loads(result.out) == []
    assert result.err == "healthlint: warning: logo.html: skipped: binary file\n"
    # Named on the command line, whatever its extension, it is still only skipped.
    (tmp_path / "photo.png").write_bytes(b"\x00\x01\x02\x03" * 64)
    named = cli("check", "photo.png", "page.md")
    assert named.code == 0 and "photo.png: skipped: binary file" in named.err
    # A skipped file was not checked: the summary counts only the page.
    assert named.out.strip().startswith("No problems found in 1 file (")


def test_invalid_utf8_is_linted_with_replacement_and_a_warning(tmp_path: Path, cli) -> None:
    # Latin-1 "é" and a stray continuation byte: each becomes one U+FFFD, as editors show them.
    (tmp_path / "page.md").write_bytes(b"Caf\xe9 \x80 " + CLAIM.encode() + b"\n")
    result = cli("check", "--format", "json", "--select", "claims", "page.md")
    assert result.code == 1
    assert result.err == "healthlint: warning: page.md: invalid UTF-8 replaced\n"
    assert findings(result.out) == [("page.md", 1, 16, "cures insomnia")]


@pytest.mark.parametrize(("name", "data"), [
    ("utf-8 BOM", codecs.BOM_UTF8 + CLAIM.encode("utf-8")),
    ("utf-16 LE BOM", CLAIM.encode("utf-16")),  # Python writes the BOM, little-endian here
    ("utf-16 BE BOM", codecs.BOM_UTF16_BE + CLAIM.encode("utf-16-be")),
    ("utf-16 LE, no BOM", CLAIM.encode("utf-16-le")),
    ("utf-32 BOM", CLAIM.encode("utf-32")),
])
def test_bom_and_utf16_files_read_with_positions_of_the_text(tmp_path: Path, cli, name: str, data: bytes) -> None:
    """The BOM is not a character of the text: the finding is at column 9, as an editor shows it."""
    (tmp_path / "page.md").write_bytes(data)
    result = cli("check", "--format", "json", "--select", "claims", "page.md")
    assert result.code == 1, name
    assert_clean_stderr(result.err)
    assert findings(result.out) == [("page.md", 1, 9, "cures insomnia")]


@pytest.mark.parametrize("ext", ["md", "html", "txt"])
@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings(tmp_path: Path, cli, ext: str, newline: str) -> None:
    """\\r\\n and a lone \\r end a line like \\n does; the match never includes the break."""
    lines = ["<h1>Sleep</h1>" if ext == "html" else "Sleep", "", "Intro line.", f"Yes, really: {CLAIM}", ""]
    (tmp_path / f"page.{ext}").write_bytes(newline.join(lines).encode())
    result = cli("check", "--format", "json", "--select", "claims", f"page.{ext}")
    assert result.code == 1
    assert findings(result.out) == [(f"page.{ext}", 4, 22, "cures insomnia")]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b"])
def test_other_unicode_line_separators_do_not_end_a_line(tmp_path: Path, cli, separator: str) -> None:
    """Only \n, \r\n and \r end a line, as in LSP and most editors; U+2028 and friends are characters."""
    write(tmp_path / "page.txt", f"Intro.{separator}{CLAIM}\n")
    result = cli("check", "--format", "json", "--select", "claims", "page.txt")
    assert findings(result.out) == [("page.txt", 1, 16, "cures insomnia")]


def test_tabs_and_zero_width_characters_count_as_one_column(tmp_path: Path, cli) -> None:
    # A tab, a zero-width space and a zero-width joiner before the claim: one column each.
    write(tmp_path / "page.txt", "Intro:\tOur\u200b tea\u200d cures insomnia.\n")
    result = cli("check", "--format", "json", "--select", "claims", "page.txt")
    assert result.code == 1
    assert findings(result.out) == [("page.txt", 1, 18, "cures insomnia")]
    assert_clean_stderr(result.err)


@pytest.mark.parametrize("content", [b"", b"\n\n\n", b" \t \r\n", codecs.BOM_UTF8, b"<html></html>"])
def test_empty_files_are_clean(tmp_path: Path, cli, content: bytes) -> None:
    for ext in ("md", "html", "txt"):
        (tmp_path / f"empty.{ext}").write_bytes(content)
    result = cli("check", ".")
    assert result.code == 0, result.err
    assert result.err == "" and "No problems found in 3 files" in result.out


# --- size ------------------------------------------------------------------------------------


@pytest.mark.big
def test_a_50_mb_file_is_skipped_quickly_in_bounded_memory(tmp_path: Path) -> None:
    paragraph = "Our tea supports calm evenings, and a routine helps many people sleep.\n\n"
    (tmp_path / "huge.md").write_text(paragraph * (50 * 1024 * 1024 // len(paragraph) + 1), encoding="utf-8")
    write(tmp_path / "page.md", CLAIM + "\n")
    # A fresh parent reports the peak memory of its one child: the CLI run on the 50 MB file.
    probe = ("import resource, subprocess, sys; "
             "code = subprocess.call([sys.executable, '-m', 'healthlint', 'check', '--select', 'claims', '.']); "
             "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)")
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    elapsed = time.monotonic() - started
    *messages, measured = done.stderr.strip().splitlines()
    code, peak_kb = map(int, measured.split())
    assert code == 1 and "page.md:1:9: warning claims/disease-claim" in done.stdout
    assert messages == ["healthlint: warning: huge.md: skipped: 50.0 MB is over the 10.0 MB limit "
                        "(options.max_file_size)"]
    assert elapsed < 20
    assert peak_kb < 150 * 1024, f"{peak_kb} KB: the file must not be read"


def test_max_file_size_is_configurable(tmp_path: Path, cli) -> None:
    write(tmp_path / ".healthlint.yaml", "options:\n  max_file_size: 1000\n")
    write(tmp_path / "long.md", (CLAIM + "\n\n") * 100)
    write(tmp_path / "short.md", CLAIM + "\n")
    result = cli("check", "--select", "claims", ".")
    assert result.code == 1
    assert "long.md: skipped: 0.0 MB is over the 0.0 MB limit (options.max_file_size)" in result.err
    assert "short.md:1:9" in result.out and "long.md:" not in result.out


@pytest.mark.parametrize("value", ["big", -1, 0, True])
def test_bad_limits_in_options_are_config_errors(tmp_path: Path, cli, value: object) -> None:
    write(tmp_path / ".healthlint.yaml", f"options:\n  max_file_size: {json.dumps(value)}\n")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "page.md")
    assert result.code == 2 and result.out == ""
    assert re.fullmatch(r"healthlint: error: \S+\.healthlint\.yaml: options\.max_file_size must be a number above "
                        r"zero, not .+\n", result.err)


def million_char_prose() -> str:
    sentence = "Our gummies cure insomnia and studies show 87% of users sleep better and "
    return (sentence * (1_000_000 // len(sentence) + 1))[:1_000_000]


@pytest.mark.big
@pytest.mark.parametrize("ext", ["md", "html", "txt"])
def test_a_million_character_line_of_prose_is_skipped_with_a_notice(tmp_path: Path, cli, ext: str) -> None:
    """One paragraph of a million characters is not copy; rules' work on a block grows faster than it."""
    write(tmp_path / f"line.{ext}", million_char_prose())
    write(tmp_path / "page.md", CLAIM)
    started = time.monotonic()
    result = cli("check", "--select", "claims", ".")
    assert time.monotonic() - started < 15
    assert result.code == 1 and "page.md:1:9" in result.out
    assert result.err == (f"healthlint: warning: line.{ext}: skipped: the prose block at line 1 has 1,000,000 "
                          "characters, over the 20,000 limit (split it into paragraphs, or raise "
                          "options.max_block_size)\n")


def minified_page(size: int) -> tuple[str, int]:
    """A minified page of `size` characters on one line, mostly script; the claim's 1-based column."""
    head = '<!doctype html><html><head><style>.c{margin:0 auto}</style><script>'
    tail = ("</script></head><body><nav>" + "".join(f'<a href="/p{i}">Page {i}</a>' for i in range(500))
            + f"</nav><main><h1>Sleep</h1><p>{CLAIM}</p>"
            + '<div class="card"><p>Calm evenings start with a warm cup of chamomile tea.</p></div>' * 50
            + "</main></body></html>")
    script = ("var a=1;function f(x){return x<2?x:f(x-1)+f(x-2)}" * size)[:size - len(head) - len(tail)]
    page = head + script + tail
    return page, page.index("cures insomnia") + 1


@pytest.mark.big
def test_a_million_character_minified_html_line_is_linted_with_exact_columns(tmp_path: Path, cli) -> None:
    page, column = minified_page(1_000_000)
    assert len(page) == 1_000_000 and "\n" not in page and column > 900_000
    write(tmp_path / "index.html", page)
    started = time.monotonic()
    result = cli("check", "--format", "json", "--select", "claims,duplicates", "index.html")
    assert time.monotonic() - started < 30
    assert result.code == 1 and result.err == ""
    report = json.loads(result.out)
    assert findings(result.out) == [("index.html", 1, column, "cures insomnia")]
    for d in report:
        assert d["line"] == d["end_line"] == 1
        assert page[d["column"] - 1:d["end_column"] - 1] == d["match"]


@pytest.mark.big
def test_a_file_that_takes_too_long_is_given_up_after_the_time_limit(tmp_path: Path) -> None:
    """Some markup makes a parser slow beyond reason (Python 3.11's HTMLParser is quadratic on
    "<a <a <a ..."): past options.file_time_limit the file is given up, the others are not."""
    write(tmp_path / ".healthlint.yaml", "options:\n  file_time_limit: 2\n")
    write(tmp_path / "tags.html", "<a " * 300_000)
    write(tmp_path / "page.md", CLAIM)
    done, elapsed = run_module("check", "--select", "claims", "--no-cache", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "page.md:1:9: warning claims/disease-claim" in done.stdout
    assert done.stderr == ("healthlint: error: tags.html: gave up after 2 s, its findings are missing (raise "
                           "options.file_time_limit, or exclude the file)\n")
    assert elapsed < 30


def test_the_time_limit_never_leaves_the_alarm_armed() -> None:
    import signal

    linter = Linter(Config(select=["claims"], options={"file_time_limit": 5}))
    before = signal.getsignal(signal.SIGALRM)
    result = linter.lint_bytes("page.md", CLAIM.encode())
    assert [d.match for d in result.diagnostics] == ["cures insomnia"]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is before


# --- paths -----------------------------------------------------------------------------------


def test_symlink_loops_and_broken_links(tmp_path: Path, cli) -> None:
    site = tmp_path / "site"
    write(site / "page.md", CLAIM)
    (site / "loop.md").symlink_to("loop.md")  # a link to itself: ELOOP
    (site / "gone.md").symlink_to("missing.md")  # a link to nothing
    (site / "sub").mkdir()
    (site / "sub" / "up").symlink_to("..")  # a directory loop: never followed by the walk
    result = cli("check", "--format", "json", "--select", "claims", "site")
    assert result.code == 2
    assert findings(result.out) == [(os.path.join("site", "page.md"), 1, 9, "cures insomnia")]
    assert sorted(result.err.splitlines()) == [
        f"healthlint: error: {os.path.join('site', 'gone.md')}: broken symbolic link (fix or remove the link)",
        f"healthlint: error: {os.path.join('site', 'loop.md')}: symbolic link loop (fix or remove the link)",
    ]


def test_a_named_directory_link_is_walked_once(tmp_path: Path, cli) -> None:
    write(tmp_path / "site" / "page.md", CLAIM)
    (tmp_path / "site" / "again").symlink_to(tmp_path / "site")
    result = cli("check", "--format", "json", "--select", "claims", "site/again")
    assert result.code == 1
    assert findings(result.out) == [(os.path.join("site", "again", "page.md"), 1, 9, "cures insomnia")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_permission_denied_for_real(tmp_path: Path, cli) -> None:
    secret = write(tmp_path / "secret.md", CLAIM)
    write(tmp_path / "page.md", CLAIM)
    secret.chmod(0)
    try:
        result = cli("check", "--select", "claims", ".")
    finally:
        secret.chmod(0o644)
    assert result.code == 2
    assert "page.md:1:9" in result.out
    assert result.err == "healthlint: error: secret.md: permission denied (make it readable, or exclude it)\n"


def test_permission_denied_as_the_os_reports_it(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root can read a mode-000 file, so this checks the same path with the error injected where
    the file is opened: the message, the exit code, and that the other files are still linted."""
    write(tmp_path / "secret.md", CLAIM)
    write(tmp_path / "page.md", CLAIM)
    real_open = os.open

    def refuse(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: int) -> int:
        if os.path.basename(os.fspath(path)) == "secret.md":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(linter_module.os, "open", refuse)
    result = cli("check", "--select", "claims", ".")
    assert result.code == 2
    assert "page.md:1:9" in result.out and "secret.md:" not in result.out
    assert result.err == "healthlint: error: secret.md: permission denied (make it readable, or exclude it)\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_never_blocks_the_run(tmp_path: Path) -> None:
    """A named pipe with a page's name would block a plain open() forever, for root too."""
    os.mkfifo(tmp_path / "pipe.md")
    write(tmp_path / "page.md", CLAIM)
    done, elapsed = run_module("check", "--select", "claims", ".", "pipe.md", cwd=tmp_path, timeout=60)
    assert done.returncode == 1 and "page.md:1:9" in done.stdout
    # Found by the walk and named too: listed once.
    assert done.stderr == "healthlint: warning: pipe.md: skipped: not a regular file (a pipe, socket or device)\n"
    assert elapsed < 30


def test_a_path_that_does_not_exist(tmp_path: Path, cli) -> None:
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "--select", "claims", "nothere.md", "page.md", "no/such/dir")
    assert result.code == 2
    assert "page.md:1:9" in result.out
    assert result.err.splitlines() == ["healthlint: error: nothere.md: no such file or directory",
                                       "healthlint: error: no/such/dir: no such file or directory"]


@pytest.mark.parametrize("cache", [True, False])
def test_a_file_deleted_during_the_run(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch, cache: bool) -> None:
    for name in ("a.md", "b.md", "c.md"):
        write(tmp_path / name, CLAIM)
    real_discover = discovery.discover

    def discover_then_delete(*args: object, **kwargs: object) -> tuple[list[str], list[str]]:
        found = real_discover(*args, **kwargs)  # type: ignore[arg-type]
        (tmp_path / "b.md").unlink()  # gone between discovery and linting
        return found

    monkeypatch.setattr(discovery, "discover", discover_then_delete)
    result = cli("check", "--format", "json", "--select", "claims", ".", *([] if cache else ["--no-cache"]))
    assert result.code == 2
    assert [f[0] for f in findings(result.out)] == ["a.md", "c.md"]
    assert result.err == "healthlint: error: b.md: no such file (deleted during the run?)\n"


def test_a_directory_in_the_file_list() -> None:
    result = Linter(Config(select=["claims"])).lint_paths(["."])
    assert result.errors == [".: is a directory"] and result.files_checked == 0


# --- config and rulesets are data ----------------------------------------------------------------

ALIAS_BOMB = "\n".join(["a: &a [x, x, x, x, x, x, x, x, x]"]
                       + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(7)])


@pytest.mark.parametrize(("text", "problem"), [
    (ALIAS_BOMB, r":1: document too large after expanding aliases \(over 200000 nodes\)"),
    ("options: " + "[" * 100_000 + "]" * 100_000, r":1: document nested deeper than 64 levels"),
    ("options:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(80)) + "  " * 81 + "end: 1\n",
     r":65: document nested deeper than 64 levels"),
    ("options: !!python/object/apply:os.system 'touch pwned'", r":1: invalid YAML: could not determine a "
     r"constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    # On a sequence the tag is never constructed either: the list stays data (and is the wrong type).
    ("options: !!python/object/apply:os.system ['touch pwned']", r":1: 'options' must be a mapping"),
])
def test_hostile_yaml_in_a_config_file(tmp_path: Path, cli, text: str, problem: str) -> None:
    """Config is data: safe loading only, aliases and nesting bounded, one line whatever is wrong."""
    write(tmp_path / ".healthlint.yaml", text)
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "page.md")
    assert result.code == 2 and result.out == ""
    assert re.fullmatch(r"healthlint: error: \S+\.healthlint\.yaml" + problem + r"\n", result.err), result.err
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("text", [ALIAS_BOMB, "rules: " + "[" * 100_000 + "]" * 100_000,
                                  "ruleset: x\nrules: !!python/name:os.system\n"])
def test_hostile_yaml_in_a_ruleset(tmp_path: Path, cli, text: str) -> None:
    write(tmp_path / "house.yaml", text)
    write(tmp_path / ".healthlint.yaml", "extend_rulesets: [house.yaml]\n")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "page.md")
    assert result.code == 2 and result.out == ""
    assert re.fullmatch(r"healthlint: error: \S+house\.yaml:\d: (document|invalid YAML).+\n", result.err), result.err


@pytest.mark.parametrize("name", [".healthlint.yaml", "house.yaml", "pyproject.toml"])
def test_config_files_that_are_not_utf8(tmp_path: Path, cli, name: str) -> None:
    encoded = {"pyproject.toml": "[tool.healthlint]\nselect = ['claims']  # café\n",
               ".healthlint.yaml": "select: [claims]  # café\n",
               "house.yaml": "ruleset: house  # café\nrules: []\n"}[name].encode("latin-1")
    (tmp_path / name).write_bytes(encoded)
    if name == "house.yaml":
        write(tmp_path / ".healthlint.yaml", "extend_rulesets: [house.yaml]\n")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "page.md")
    assert result.code == 2 and result.out == ""
    assert re.fullmatch(rf"healthlint: error: \S*{re.escape(name)}: .*can't decode byte 0xe9.*\n", result.err)


def test_deeply_nested_toml_config(tmp_path: Path, cli) -> None:
    write(tmp_path / "pyproject.toml", "[tool.healthlint]\nselect = " + "[" * 50_000 + "]" * 50_000 + "\n")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "page.md")
    assert result.code == 2
    assert re.fullmatch(r"healthlint: error: \S+pyproject\.toml: invalid TOML: .+\n", result.err)


# Every key of every kind that takes a regular expression, with what else the kind needs.
REGEX_KEYS = [
    ("pattern", {"patterns": ["cures"]}, ["patterns", "requires", "unless", "unless_before"]),
    ("citation", {"patterns": ["studies show"]},
     ["patterns", "extend_before", "anchor_patterns", "unless", "unless_before", "continues", "elaborated_by",
      "method_report", "weak_source"]),
    ("citation", {"patterns": ["studies show"], "report": "document"}, ["requires"]),
    ("disclaimer", {"triggers": ["supplement"], "accept": ["not medical advice"]},
     ["triggers", "strong_triggers", "unless", "unless_before", "page_requires", "page_unless", "accept",
      "accept_all", "accept_links", "accept_front_matter"]),
    ("testimonial", {"patterns": ["happy customers"]},
     ["patterns", "voice", "outcome", "attribution", "attribution_line", "expert", "sections"]),
    ("structure", {"check": "placeholder", "patterns": ["TODO"]}, ["patterns"]),
    ("duplicate", {}, ["allow"]),
    ("freshness", {"date_labels": "updated", "triggers": ["health"]}, ["date_labels", "triggers", "page_requires"]),
]
SINGLE_REGEX_KEYS = {"unless_before", "date_labels"}


@pytest.mark.parametrize(("kind", "needs", "key"), [(k, n, key) for k, n, keys in REGEX_KEYS for key in keys])
def test_every_regex_key_is_checked_at_load(tmp_path: Path, cli, kind: str, needs: dict, key: str) -> None:
    """A broken regex in any kind's key is a ruleset error naming file, line and key, before any linting."""
    value: object = ({"author": "(unclosed"} if key == "accept_front_matter"
                     else "(unclosed" if key in SINGLE_REGEX_KEYS else ["(unclosed"])
    rule = {"id": "house-rule", "kind": kind, "category": "structure", "message": "Fix {match}.", **needs, key: value}
    text = yaml.safe_dump({"ruleset": "house", "rules": [rule]}, sort_keys=False)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.lstrip().startswith(f"{key}:"))
    write(tmp_path / "house.yaml", text)
    write(tmp_path / ".healthlint.yaml", "extend_rulesets: [house.yaml]\n")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "page.md")
    assert result.code == 2 and result.out == ""
    assert re.fullmatch(rf"healthlint: error: \S+house\.yaml:{line}: key '{key}' invalid regular expression "
                        r"'.*\(unclosed.*': missing \) at position \d+\n", result.err), result.err


def test_a_broken_regex_in_config_options(tmp_path: Path, cli) -> None:
    write(tmp_path / ".healthlint.yaml", "options:\n  duplicate_allow_patterns: ['(unclosed']\n")
    write(tmp_path / "page.md", "Call us today for a free consultation with our team.\n\n" * 2)
    result = cli("check", "page.md")
    assert result.code == 2 and result.out == ""
    assert result.err.startswith("healthlint: error: options.duplicate_allow_patterns: invalid regular expression: ")
    assert result.err.count("\n") == 1


# A pattern that backtracks exponentially in the `regex` engine on a run of "a" that cannot
# end the match. ((a+)+$ is the textbook one, but `regex` short-cuts it; this one it cannot.)
RUNAWAY = "(a|aa)+$"
TRAP = "a" * 40 + "!"
# One case per kind and per the main ways a user regex meets the text: the scan, and the
# checks that run around a match. Each pattern key is bounded, not only the first.
RUNAWAY_RULES = [
    ("pattern", {"patterns": [RUNAWAY]}, TRAP),
    ("pattern", {"patterns": ["cures"], "unless": [RUNAWAY]}, f"It cures {TRAP}"),
    ("pattern", {"patterns": ["cures"], "requires": [RUNAWAY]}, f"It cures {TRAP}"),
    ("pattern", {"patterns": ["cures"], "unless_before": "(a|aa)+b"}, f"{TRAP[:-1]} cures it."),
    ("citation", {"patterns": [RUNAWAY]}, TRAP),
    ("citation", {"patterns": ["studies show"], "unless": [RUNAWAY]}, f"Studies show {TRAP}"),
    ("citation", {"patterns": ["studies show"], "method_report": [RUNAWAY]}, f"Studies show {TRAP}"),
    ("disclaimer", {"triggers": [RUNAWAY], "accept": ["not medical advice"]}, TRAP),
    ("disclaimer", {"triggers": ["cures"], "accept": [RUNAWAY]}, f"It cures. {TRAP}"),
    ("disclaimer", {"triggers": ["cures"], "page_requires": [RUNAWAY], "accept": ["x"]}, f"It cures. {TRAP}"),
    ("testimonial", {"patterns": [RUNAWAY]}, TRAP),
    ("testimonial", {"voice": [RUNAWAY], "outcome": ["better"]}, f'"I feel better {TRAP}"'),
    ("structure", {"check": "placeholder", "patterns": [RUNAWAY]}, TRAP),
    ("duplicate", {"allow": ["(a|aa)+b"], "min_words": 1}, f"{TRAP[:-1]} now\n\n{TRAP[:-1]} now\n"),
    ("freshness", {"date_labels": "(a|aa)+b", "triggers": ["health"]}, f"Health {TRAP[:-1]} 2 June 2024."),
]


@pytest.fixture
def short_regex_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    """REGEX_TIMEOUT cut to a quarter second everywhere it was imported, to keep these tests quick."""
    for name, module in list(sys.modules.items()):
        if name.startswith("healthlint.") and hasattr(module, "REGEX_TIMEOUT"):
            monkeypatch.setattr(module, "REGEX_TIMEOUT", 0.25)
    return 0.25


@pytest.mark.parametrize(("kind", "keys", "text"), RUNAWAY_RULES,
                         ids=[f"{kind}-{list(keys)[-1]}" for kind, keys, _ in RUNAWAY_RULES])
def test_a_runaway_user_regex_costs_one_rule_on_one_file(tmp_path: Path, short_regex_timeout: float,
                                                         kind: str, keys: dict, text: str) -> None:
    rule = {"id": "runaway", "kind": kind, "category": "structure", "message": "Check {match}.", **keys}
    ruleset = write(tmp_path / "house.yaml", yaml.safe_dump({"ruleset": "house", "rules": [rule]}))
    linter = Linter(Config(rulesets=["claims", str(ruleset)]))
    started = time.monotonic()
    result = linter.lint_bytes("trap.md", f"Our tea cures insomnia.\n\n{text}\n".encode())
    assert time.monotonic() - started < 10 * short_regex_timeout + 2
    assert result.error is None
    assert result.rule_errors == [
        f"trap.md: rule house/runaway gave up after 0.25 s in a regular expression, so its findings there are "
        f"missing. Simplify the rule's patterns in {ruleset} (look for nested repeats such as (a|aa)+), or turn "
        "the rule off there with per_file_ignores"]
    # The other rules ran: the built-in claim is still found.
    assert "cures insomnia" in [d.match for d in result.diagnostics if d.rule == "claims/disease-claim"]


def test_a_runaway_rule_through_the_cli(tmp_path: Path, cli, short_regex_timeout: float) -> None:
    """Exit 2 (the file was not fully checked), the error names rule, file and fix, other files linted."""
    write(tmp_path / "house.yaml", yaml.safe_dump({"ruleset": "house", "rules": [
        {"id": "runaway", "kind": "pattern", "category": "structure", "message": "Check {match}.",
         "patterns": [RUNAWAY]}]}))
    write(tmp_path / ".healthlint.yaml", "extend_rulesets: [house.yaml]\n")
    write(tmp_path / "trap.md", f"{CLAIM}\n\n{TRAP}\n")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "--select", "claims,house", ".")
    assert result.code == 2
    assert "page.md:1:9" in result.out and "trap.md:1:9" in result.out
    [line] = result.err.splitlines()
    assert line.startswith("healthlint: error: trap.md: rule house/runaway gave up after 0.25 s")
    # Not cached as if it were a result: the next run tries the file again, and says so again.
    again = cli("check", "--select", "claims,house", ".")
    assert (again.code, again.err) == (2, result.err)
    # The textbook pattern is cut short by the `regex` engine itself: no timeout, no error.
    write(tmp_path / "house.yaml", (tmp_path / "house.yaml").read_text().replace(RUNAWAY, "(a+)+$"))
    assert cli("check", "--select", "claims,house", ".").err == ""


def test_user_patterns_are_time_limited_wherever_they_run(short_regex_timeout: float) -> None:
    """What every kind gets from SpecReader.compile: a pattern whose calls all carry the timeout."""
    import regex

    pattern = base.bounded(regex.compile(RUNAWAY))
    for call in (lambda: pattern.search(TRAP), lambda: pattern.match(TRAP, 1), lambda: list(pattern.finditer(TRAP)),
                 lambda: pattern.findall(TRAP), lambda: pattern.sub("", TRAP), lambda: pattern.fullmatch(TRAP)):
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            call()
        assert time.monotonic() - started < 5
    assert pattern.pattern == RUNAWAY and pattern.search("aa").group() == "aa"
    started = time.monotonic()
    with pytest.raises(TimeoutError):  # a timeout the caller passes wins
        pattern.search(TRAP, timeout=0.02)
    assert time.monotonic() - started < short_regex_timeout


@pytest.mark.parametrize(("option", "what"), [("--output-file", "the report"), ("--write-baseline", "the baseline")])
@pytest.mark.parametrize("target", ["missing/folder/out.json", "."])
def test_unwritable_output_paths(tmp_path: Path, cli, option: str, what: str, target: str) -> None:
    write(tmp_path / "page.md", CLAIM)
    before = sorted(p.name for p in tmp_path.iterdir())
    result = cli("check", "--no-cache", option, target, "page.md")
    assert result.code == 2 and result.out == ""
    assert re.fullmatch(rf"healthlint: error: {re.escape(target)}: cannot write {what}: [^\n]+ \(check that its "
                        r"folder exists and is writable, and that the path is not a folder\)\n", result.err)
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left behind


# --- a bug in healthlint itself ----------------------------------------------------------------


def test_a_crashing_rule_costs_that_rule_on_that_file(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Like ruff's panics: the run goes on, the error names file and rule, and the exit code is 2."""
    from healthlint.kinds.pattern import PatternRule

    real_check = PatternRule.check

    def check(self: PatternRule, document, context):  # type: ignore[no-untyped-def]
        if document.path == "crash.md" and self.id == "claims/disease-claim":
            raise IndexError("list index out of range\nsecond line")
        return real_check(self, document, context)

    monkeypatch.setattr(PatternRule, "check", check)
    write(tmp_path / "crash.md", f"{CLAIM} Clinically proven.\n")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "--select", "claims", ".")
    assert result.code == 2
    assert "page.md:1:9: warning claims/disease-claim" in result.out
    assert "crash.md:1:25: warning claims/establishment-claim" in result.out  # the file's other rules ran
    assert result.err == ("healthlint: error: crash.md: rule claims/disease-claim failed: IndexError: list index out "
                          "of range second line (a bug in healthlint: please report it; HEALTHLINT_DEBUG=1 shows the "
                          "traceback)\n")
    monkeypatch.setenv("HEALTHLINT_DEBUG", "1")
    with pytest.raises(IndexError):
        cli("check", "--select", "claims", ".")


def test_a_crashing_reader_costs_that_file(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    real_parse = linter_module.parse

    def parse(path: str, text: str, fmt: str | None = None):  # type: ignore[no-untyped-def]
        if path == "crash.html":
            raise AssertionError("unbalanced tag stack")
        return real_parse(path, text, fmt)

    monkeypatch.setattr(linter_module, "parse", parse)
    write(tmp_path / "crash.html", f"<p>{CLAIM}</p>")
    write(tmp_path / "page.md", CLAIM)
    result = cli("check", "--select", "claims", ".")
    assert result.code == 2 and "page.md:1:9" in result.out and "crash.html:" not in result.out
    assert result.err.startswith("healthlint: error: crash.html: cannot be read as html: AssertionError: unbalanced")


def test_the_library_warns_when_a_rule_gives_up(tmp_path: Path, short_regex_timeout: float) -> None:
    """`Linter.lint_text` has no error list to return: a RuntimeWarning says what `check` prints."""
    ruleset = write(tmp_path / "house.yaml", yaml.safe_dump({"ruleset": "house", "rules": [
        {"id": "runaway", "kind": "pattern", "category": "structure", "message": "Check {match}.",
         "patterns": [RUNAWAY]}]}))
    linter = Linter(Config(rulesets=["claims", str(ruleset)]))
    with pytest.warns(RuntimeWarning, match=r"^page\.md: rule house/runaway gave up after 0\.25 s"):
        found = linter.lint_text(f"{CLAIM}\n\n{TRAP}\n", "page.md")
    assert [d.match for d in found if d.rule == "claims/disease-claim"] == ["cures insomnia"]


def test_an_unreadable_folder_is_an_error_not_a_silent_gap(tmp_path: Path, cli,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads every folder, so the refusal is injected where the walk lists the folder."""
    write(tmp_path / "site" / "page.md", CLAIM)
    write(tmp_path / "site" / "private" / "draft.md", CLAIM)
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> object:
        if os.path.basename(os.fspath(path)) == "private":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = cli("check", "--select", "claims", "site")
    assert result.code == 2 and os.path.join("site", "page.md") + ":1:9" in result.out
    assert "draft.md" not in result.out
    assert result.err == (f"healthlint: error: {os.path.join('site', 'private')}: cannot read the folder: Permission "
                          "denied (make it readable, or exclude it)\n")
