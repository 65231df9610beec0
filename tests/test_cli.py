"""The command line contract: exit codes, formats, selection, stdin, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write

CLAIMS = "# Sleep\n\nNightCalm cures insomnia, with guaranteed results.\n"
CLEAN = "# Sleep\n\nMost adults need seven or more hours of sleep.\n"


@pytest.fixture(autouse=True)
def _no_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_exit_0_when_clean_and_1_with_findings(tmp_path: Path, cli) -> None:
    write(tmp_path / "clean.md", CLEAN)
    write(tmp_path / "bad.md", CLAIMS)
    clean = cli("check", "--select", "claims", "clean.md")
    assert clean.code == 0
    assert "No problems found in 1 file" in clean.out
    bad = cli("check", "--select", "claims", "bad.md")
    assert bad.code == 1
    assert "bad.md:3:11: warning claims/disease-claim " in bad.out
    assert bad.out.strip().splitlines()[-1].startswith("Found 2 problems (2 warnings) in 1 file")


def test_fail_level_and_exit_zero(tmp_path: Path, cli) -> None:
    write(tmp_path / "bad.md", CLAIMS)
    assert cli("check", "--select", "claims", "--fail-level", "error", "bad.md").code == 0
    assert cli("check", "--select", "claims", "--exit-zero", "bad.md").code == 0


def test_select_by_id_prefix_ruleset_and_category(tmp_path: Path, cli) -> None:
    write(tmp_path / "bad.md", CLAIMS)

    def rules(*select: str) -> set[str]:
        out = cli("check", "--format", "json", *select, "bad.md").out
        return {d["rule"] for d in json.loads(out)}

    assert rules("--select", "claims/disease-claim") == {"claims/disease-claim"}
    assert rules("--select", "claims/guar") == {"claims/guaranteed-outcome"}
    assert rules("--select", "disease-claim") == {"claims/disease-claim"}
    assert rules("--select", "claims", "--ignore", "absolute-claim") == {"claims/disease-claim"}


def test_unknown_selector_is_a_usage_error(tmp_path: Path, cli) -> None:
    write(tmp_path / "bad.md", CLAIMS)
    result = cli("check", "--select", "claimz", "bad.md")
    assert result.code == 2
    assert result.err == "healthlint: error: unknown rule selector: claimz (see 'healthlint rules')\n"


def test_directory_walk_skips_unsupported_and_hidden(tmp_path: Path, cli) -> None:
    write(tmp_path / "site" / "a.md", CLAIMS)
    write(tmp_path / "site" / "b.html", "<p>It cures insomnia.</p>")
    write(tmp_path / "site" / "c.txt", "It cures insomnia.")
    write(tmp_path / "site" / "script.js", "// cures insomnia")
    write(tmp_path / "site" / "node_modules" / "x.md", CLAIMS)
    out = json.loads(cli("check", "--format", "json", "--select", "disease-claim", "site").out)
    assert sorted({Path(d["path"]).name for d in out}) == ["a.md", "b.html", "c.txt"]


def test_missing_path_reports_and_still_lints_others(tmp_path: Path, cli) -> None:
    write(tmp_path / "bad.md", CLAIMS)
    result = cli("check", "--select", "claims", "nope.md", "bad.md")
    assert result.code == 2
    assert "healthlint: error: nope.md: no such file or directory" in result.err
    assert "bad.md:3:11" in result.out


def test_binary_and_invalid_utf8_files(tmp_path: Path, cli) -> None:
    (tmp_path / "logo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 cures insomnia.\n".encode("latin-1"))
    result = cli("check", "--select", "claims", "logo.txt", "latin1.txt")
    assert "logo.txt: skipped: binary file" in result.err
    assert "latin1.txt: invalid UTF-8" in result.err
    assert "latin1.txt:1:6: warning claims/disease-claim" in result.out
    assert result.code == 1


def test_directory_with_no_supported_files(tmp_path: Path, cli) -> None:
    write(tmp_path / "assets" / "app.js", "let x = 1;")
    result = cli("check", "assets")
    assert result.code == 0
    assert "no files to check in assets" in result.err


def test_stdin_with_filename_picks_the_reader(cli) -> None:
    html = "<p>Our drops cure insomnia.</p><script>cure insomnia</script>"
    result = cli("check", "--format", "json", "--select", "claims", "-", "--stdin-filename", "page.html", stdin=html)
    found = json.loads(result.out)
    assert [(d["path"], d["line"], d["column"], d["match"]) for d in found] == [
        ("page.html", 1, 14, "cure insomnia")]


def test_rules_and_explain(cli) -> None:
    listing = cli("rules")
    assert listing.code == 0
    assert "claims/disease-claim" in listing.out
    explained = cli("explain", "claims/disease-claim")
    assert explained.code == 0
    assert "21 CFR 101.93(g)" in explained.out
    assert "Flagged:" in explained.out and "Not flagged:" in explained.out
    unknown = cli("explain", "claims/nope")
    assert unknown.code == 2
    assert "unknown rule 'claims/nope'" in unknown.err


def test_usage_error_is_one_line_exit_2(cli) -> None:
    result = cli("check", "--format", "yaml")
    assert result.code == 2
    assert result.err.count("\n") == 1


def test_output_file(tmp_path: Path, cli) -> None:
    write(tmp_path / "bad.md", CLAIMS)
    result = cli("check", "--format", "json", "--select", "claims", "-o", "report.json", "bad.md")
    assert result.out == ""
    assert len(json.loads((tmp_path / "report.json").read_text())) == 2


def test_console_script_and_module_entry_points(tmp_path: Path) -> None:
    write(tmp_path / "bad.md", CLAIMS)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-m", "healthlint", "check", "--select", "claims", "bad.md"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert proc.returncode == 1
    assert "claims/disease-claim" in proc.stdout
    assert "Traceback" not in proc.stderr


def buffered_env() -> dict[str, str]:
    """The environment of a user's shell: output buffered as usual (the test runner may not buffer)."""
    return {**{k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}, "PYTHONPATH": str(REPO)}


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = buffered_env()
    return subprocess.run([sys.executable, "-m", "healthlint", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, check=False)


def test_the_command_exits_with_main_s_code_and_every_byte_written(tmp_path: Path, cli) -> None:
    """The command leaves without interpreter teardown (cli.run): the report must still be complete
    when stdout is a pipe, and the exit code main()'s."""
    for name in ("a", "b", "c"):
        write(tmp_path / f"{name}.md", CLAIMS * 40)
    write(tmp_path / "clean.md", CLEAN)
    in_process = json.loads(cli("check", "--no-cache", "--format", "json", ".").out)
    piped = run_module("check", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert piped.returncode == 1
    assert json.loads(piped.stdout) == in_process
    assert len(piped.stdout) > 100_000  # more than a pipe buffer: written and flushed before exit
    assert run_module("check", "--no-cache", "clean.md", cwd=tmp_path).returncode == 0
    listing = run_module("rules", cwd=tmp_path)  # (printed, not flushed by the command itself)
    assert (listing.returncode, listing.stdout) == (0, cli("rules").out)
    assert run_module("check", "missing.md", cwd=tmp_path).returncode == 2


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    for name in range(30):
        write(tmp_path / f"page-{name}.md", CLAIMS * 20)
    env = buffered_env()
    proc = subprocess.Popen([sys.executable, "-m", "healthlint", "check", "--no-cache", "--jobs", "1", "."],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()  # like `| head -1`
    proc.stdout.close()
    error = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert error == ""
