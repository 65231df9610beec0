"""Nothing lost: healthlint never writes a content file, its own files are replaced atomically,
runs at the same time do not corrupt them, and Ctrl-C leaves nothing half-written.

The concurrency and Ctrl-C tests run the real command in child processes, as pre-commit does.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from healthlint import signed_pickle
from healthlint.cli import main
from healthlint.engine import parallel
from healthlint.engine.cache import FORMAT
from healthlint.engine.linter import Linter
from healthlint.fileio import write_atomic, write_atomic_bytes
from tests.conftest import REPO, SEEDS, write

CONTENT_SUFFIXES = {".md", ".markdown", ".html", ".htm", ".txt"}


def make_site(root: Path, copies: int) -> list[Path]:
    """`copies` pages made from the project's seeds, each a little different, plus awkward files."""
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file())
    pages = []
    for index in range(copies):
        seed = seeds[index % len(seeds)]
        pages.append(write(root / f"section{index % 7}" / f"page{index:04d}{seed.suffix}",
                           seed.read_text(encoding="utf-8") + f"\n\nPage {index}: our tea cures insomnia.\n"))
    return pages


def add_awkward_files(root: Path) -> None:
    (root / "crlf.md").write_bytes(b"# Sleep\r\n\r\nOur tea cures insomnia.\r\n")
    (root / "bom.txt").write_bytes(b"\xef\xbb\xbfClinically proven to work for everyone.\n")
    (root / "latin1.html").write_bytes(b"<p>Caf\xe9 cures insomnia.</p>")
    (root / "binary.md").write_bytes(b"\x00\x01\x02 not text")
    (root / "empty.md").write_bytes(b"")
    (root / "link.md").symlink_to("crlf.md")


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Bytes, modification time and mode of every content file under `root` (links not followed)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.suffix in CONTENT_SUFFIXES and not path.is_symlink():
            info = path.stat()
            out[str(path.relative_to(root))] = (path.read_bytes(), info.st_mtime_ns, info.st_mode)
    return out


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "healthlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})


def test_a_full_check_never_touches_content_files(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    make_site(site, 30)
    add_awkward_files(site)
    os.utime(site / "crlf.md", ns=(1_000_000_000, 1_000_000_000))  # an old mtime, so a rewrite would show
    before = snapshot(site)
    monkeypatch.chdir(site)
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 4)  # workers, too
    runs = [
        ("check", ".", "--write-baseline", "baseline.json"),
        ("check", ".", "--baseline", "baseline.json", "--format", "json", "--output-file", "report.json"),
        ("check", ".", "--format", "sarif", "-o", "report.sarif", "--jobs", "2"),
        ("check", ".", "--statistics"),
        ("check", ".", "--no-cache", "--format", "github"),
        ("check", "-", "--stdin-filename", "crlf.md"),
    ]
    codes = [cli(*args, stdin="Our tea cures insomnia.\n" if "-" in args else None).code for args in runs]
    assert codes == [0, 0, 1, 1, 1, 1]  # the baseline silences the second run; the rest report findings
    assert snapshot(site) == before
    written = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()} - set(before) - {"link.md"}
    assert {w for w in written if not w.startswith(".healthlint_cache/")} == {
        "baseline.json", "report.json", "report.sarif"}
    assert temp_files(site) == []


def test_atomic_write_interrupted_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = write(tmp_path / "baseline.json", '{"old": true}\n')

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C between writing the data and the rename

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, '{"new": true}\n')
    assert target.read_text() == '{"old": true}\n'
    assert temp_files(tmp_path) == []


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = write(tmp_path / "reports" / "latest.json", "[]\n")
    link = tmp_path / "report.json"
    link.symlink_to(real)
    write_atomic_bytes(link, b"[1]\n")
    assert link.is_symlink() and real.read_bytes() == b"[1]\n"


def test_an_unwritable_cache_only_costs_speed(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "page.md", "Our tea cures insomnia.\n")
    write(tmp_path / "cache", "a file where the cache folder should be\n")
    result = cli("check", "--select", "claims", "--cache-dir", "cache", "page.md")
    assert result.code == 1 and "page.md:1:9" in result.out
    assert result.err == ""


def result_caches(cache: Path) -> list[dict]:
    stored = []
    for path in sorted(cache.glob("results-*.pickle")):
        data = signed_pickle.load(path)
        assert data["format"] == FORMAT
        stored.append(data["entries"])
    return stored


def test_concurrent_runs_share_one_cache_safely(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """pre-commit runs hooks in parallel: two runs writing one cache leave a valid one (last writer wins)."""
    pages = make_site(tmp_path / "site", 40)
    add_awkward_files(tmp_path / "site")
    before = snapshot(tmp_path / "site")
    args = [sys.executable, "-m", "healthlint", "check", "site", "--cache-dir", "cache", "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for _ in range(2):  # twice: the second round also races on replacing existing files
        runs = [subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=env) for _ in range(2)]
        outputs = [run.communicate(timeout=300) for run in runs]
        assert [run.returncode for run in runs] == [1, 1]
        assert outputs[0] == outputs[1]
        assert "Traceback" not in outputs[0][1]
    assert temp_files(tmp_path) == []
    [entries] = result_caches(tmp_path / "cache")
    assert {str(p.relative_to(tmp_path)) for p in pages} <= set(entries)

    # A third run, in this process, takes every result from that cache and prints the same report.
    linted: list[str] = []
    original = Linter.lint_file
    monkeypatch.setattr(Linter, "lint_file", lambda self, path: linted.append(path) or original(self, path))
    monkeypatch.chdir(tmp_path)
    third = cli("check", "site", "--cache-dir", "cache", "--format", "json")
    assert third.code == 1 and third.out == outputs[0][0]
    assert linted == []  # every result came from the cache, the skipped binary file's too
    assert snapshot(tmp_path / "site") == before


def children_of(pid: int) -> list[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(child) for child in found]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (fields 14 and 15 of /proc/PID/stat)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.big
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches the run through /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_cleanly(tmp_path: Path, jobs: str) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) in the middle of a run:
    exit 130 with one line, no traceback from the parent or any worker, no temporary file left,
    the cache as it was before the run, no worker left behind, no content file touched."""
    site = tmp_path / "site"
    pages = make_site(site, 900)
    first = run_module("check", str(pages[0].relative_to(tmp_path)), "--cache-dir", "cache", cwd=tmp_path)
    assert first.returncode == 1  # an "old" cache: one file's results
    [old_cache] = sorted((tmp_path / "cache").glob("results-*.pickle"))
    old_bytes = old_cache.read_bytes()
    before = snapshot(site)

    run = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "site", "--cache-dir", "cache", "--jobs", jobs],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # a background shell may ignore it
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while time.monotonic() < deadline and run.poll() is None:
        workers = children_of(run.pid)
        # Start-up (rules from the compiled cache) takes a fraction of a second of CPU; past 1.5 s the
        # serial run is linting. Workers exist only once linting starts.
        if (len(workers) >= 2 if jobs == "2" else cpu_seconds(run.pid) > 1.5):
            break
        time.sleep(0.02)
    time.sleep(0.3)  # well into the run
    assert run.poll() is None, "the run ended before it could be interrupted: make the site bigger"
    os.killpg(run.pid, signal.SIGINT)
    out, err = run.communicate(timeout=60)

    assert run.returncode == 130
    assert err == "healthlint: interrupted\n"
    assert out == ""
    assert temp_files(tmp_path) == []
    assert old_cache.read_bytes() == old_bytes and len(list((tmp_path / "cache").glob("results-*"))) == 1
    assert snapshot(site) == before
    if jobs == "2":
        assert len(workers) == 2
        gone_by = time.monotonic() + 10
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < gone_by:
            time.sleep(0.05)
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers), "a worker outlived the run"


def test_a_planted_cache_is_never_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cache files are signed with this user's key; a repository cannot ship one that runs code."""

    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):  # what an attacker would commit as .healthlint_cache/*.pickle
            return (Path.touch, (marker,))

    site = tmp_path / "repo"
    page = site / "page.md"
    page.parent.mkdir()
    page.write_text("Our tea cures insomnia.\n", encoding="utf-8")
    monkeypatch.chdir(site)
    assert main(["check", "-q", "page.md"]) == 1  # creates the cache and this user's key
    cache = site / ".healthlint_cache"
    planted = pickle.dumps(Payload())
    for path in cache.glob("*.pickle"):
        path.write_bytes(planted)  # unsigned
    assert main(["check", "-q", "page.md"]) == 1
    forged = signed_pickle.MAGIC + b"\0" * signed_pickle.TAG_BYTES + planted
    for path in cache.glob("*.pickle"):
        path.write_bytes(forged)  # a tag made without the key
    assert main(["check", "-q", "page.md"]) == 1
    assert not marker.exists()
