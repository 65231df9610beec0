"""Worker processes and the result cache change speed, never output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthlint.config import Config
from healthlint.engine import parallel
from healthlint.engine.cache import ResultCache
from healthlint.engine.linter import Linter
from tests.conftest import SEEDS, write


def make_site(root: Path, copies: int) -> list[str]:
    seeds = sorted(p for p in SEEDS.iterdir() if p.is_file())
    paths = []
    for index in range(copies):
        seed = seeds[index % len(seeds)]
        text = seed.read_text(encoding="utf-8")
        paths.append(str(write(root / f"page{index:03d}{seed.suffix}", text + f"\nPage {index}.\n")))
    return paths


def as_json(run) -> str:
    return json.dumps([d.to_json() for d in run.diagnostics], sort_keys=True)


def test_workers_give_identical_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_FILES_PER_WORKER", 4)
    files = make_site(tmp_path, 24)
    linter = Linter(Config())
    serial = linter.lint_paths(files, jobs=1)
    with_workers = linter.lint_paths(files, jobs=2)
    reversed_order = linter.lint_paths(list(reversed(files)), jobs=3)
    assert serial.diagnostics
    assert as_json(serial) == as_json(with_workers) == as_json(reversed_order)
    assert serial.files_checked == with_workers.files_checked == 24


def test_unchanged_files_come_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_site(tmp_path / "site", 6)
    linter = Linter(Config())
    first = linter.lint_paths(files, cache=ResultCache(tmp_path / "cache", linter.fingerprint).load())

    linted: list[str] = []
    original = Linter.lint_file

    def spy(self: Linter, path: str):
        linted.append(path)
        return original(self, path)

    monkeypatch.setattr(Linter, "lint_file", spy)
    Path(files[2]).write_text("Our tea cures insomnia.\n", encoding="utf-8")
    second = linter.lint_paths(files, cache=ResultCache(tmp_path / "cache", linter.fingerprint).load())
    assert linted == [files[2]]
    unchanged = [d for d in second.diagnostics if d.path != files[2]]
    assert json.dumps([d.to_json() for d in unchanged]) == json.dumps(
        [d.to_json() for d in first.diagnostics if d.path != files[2]])
    assert [d.match for d in second.diagnostics if d.path == files[2] and d.category == "disease-claim"] == [
        "cures insomnia"]


def test_settings_change_the_cache_key() -> None:
    plain = Linter(Config()).fingerprint
    assert Linter(Config(), select=["disease-claim"]).fingerprint != plain
    assert Linter(Config(severity={"claims": "error"})).fingerprint != plain
    assert Linter(Config(options={"audience": "professionals"})).fingerprint != plain
    assert Linter(Config()).fingerprint == plain


def test_corrupt_cache_is_ignored(tmp_path: Path) -> None:
    linter = Linter(Config())
    cache = ResultCache(tmp_path, linter.fingerprint)
    cache.file.parent.mkdir(parents=True, exist_ok=True)
    cache.file.write_bytes(b"not a pickle")
    files = make_site(tmp_path / "site", 2)
    assert linter.lint_paths(files, cache=cache.load()).files_checked == 2
    assert (tmp_path / ".gitignore").read_text().strip().endswith("*")


def test_cli_cache_flags(tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "page.md", "Our tea cures insomnia.\n")
    assert cli("check", "--no-cache", "page.md").code == 1
    assert not (tmp_path / ".healthlint_cache").exists()
    assert cli("check", "--cache-dir", "elsewhere", "page.md").code == 1
    assert list((tmp_path / "elsewhere").glob("results-*.pickle"))
