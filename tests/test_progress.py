"""The progress bar: only for a person at a terminal, never in CI or pipes, and it cleans up."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from healthlint.config import Config
from healthlint.engine.linter import Linter
from healthlint.progress import ERASE_LINE, ProgressBar, wanted
from tests.conftest import write


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_wanted_only_on_a_terminal_outside_ci() -> None:
    assert wanted(Terminal(), environ={})
    assert not wanted(io.StringIO(), environ={})
    assert not wanted(Terminal(), environ={"CI": "true"})
    assert not wanted(Terminal(), environ={"CI": "1"})
    assert wanted(Terminal(), environ={"CI": "false"})
    assert not wanted(Terminal(), disabled=True, environ={})
    assert not wanted(Terminal(), environ={"TERM": "dumb"})


def test_quick_runs_draw_nothing_and_long_runs_draw_then_erase() -> None:
    clock, stream = Clock(), Terminal()
    bar = ProgressBar(4, stream, delay=0.5, clock=clock)
    bar.advance("a.md")
    assert stream.getvalue() == ""
    clock.now += 1
    bar.advance("pages/b.md")
    assert "healthlint [############............] 2/4 files  pages/b.md" in stream.getvalue()
    clock.now += 0.01
    bar.advance("c.md")  # within the redraw interval: not drawn
    assert "c.md" not in stream.getvalue()
    clock.now += 0.01
    bar.advance("d.md")  # the last file is always drawn
    assert "4/4 files  d.md" in stream.getvalue()
    bar.close()
    assert stream.getvalue().endswith(ERASE_LINE)


def test_disabled_bar_writes_nothing() -> None:
    clock, stream = Clock(), Terminal()
    bar = ProgressBar(2, stream, enabled=False, delay=0, clock=clock)
    bar.advance("a.md")
    bar.close()
    assert stream.getvalue() == ""


def test_bar_follows_the_linters_results(tmp_path: Path) -> None:
    files = [str(write(tmp_path / f"p{i}.md", "It cures insomnia.\n")) for i in range(3)]
    stream = Terminal()
    bar = ProgressBar(len(files), stream, delay=0)
    linter = Linter(Config(select=["claims"]))
    run = linter.lint_paths(files, on_result=lambda result: bar.advance(result.path))
    assert run.files_checked == 3 and len(run.diagnostics) == 3
    assert (bar.total, bar.done) == (3, 3)
    assert "3/3 files" in stream.getvalue()


def test_cli_piped_or_in_ci_shows_no_bar(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.md", "It cures insomnia.\n")
    result = cli("check", "--select", "claims", "a.md")
    assert "healthlint [" not in result.err and "\r" not in result.err


def test_cli_on_a_terminal_shows_a_bar_for_a_long_run(tmp_path: Path) -> None:
    paragraph = "Most adults need seven or more hours of sleep, and our gummies cure insomnia. " * 40
    for index in range(60):
        write(tmp_path / "site" / f"page{index:02}.md", f"# Page {index}\n\n" + (paragraph + "\n\n") * 8)
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["TERM"] = "xterm"
    primary, secondary = pty.openpty()
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "healthlint", "check", "--select", "claims", "-o", "report.txt",
                             "site"], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=secondary)
    os.close(secondary)
    seen = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=60)
    os.close(primary)
    if time.monotonic() - started < 1.0:
        return  # too fast a machine for the half-second delay: nothing to see, and nothing should be
    text = seen.decode("utf-8", "replace")
    assert "healthlint [" in text and "/60 files" in text
    assert text.endswith(ERASE_LINE)
    assert "Found" in (tmp_path / "report.txt").read_text(encoding="utf-8")
