"""Shared test helpers: the repository layout and a way to run the CLI in-process."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from healthlint.cli import main

# The cache-signing key lives in the user's cache directory; tests use a private one.
os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp(prefix="healthlint-test-xdg-"))

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
EVAL_DOCS = SHARED / "eval" / "docs"
SHARED_SEEDS = SHARED / "seeds"
# Tests that read ../shared (the labelled development set) skip where it is not checked out beside the repo.
needs_shared = pytest.mark.skipif(not (SHARED_SEEDS.is_dir() and EVAL_DOCS.is_dir()),
                                  reason="../shared (seeds and eval documents) not present")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """Run `healthlint ARGS…` in this process; `stdin=` feeds text to '-'."""

    def run(*args: str, stdin: str | None = None) -> CliResult:
        if stdin is not None:
            fake = io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8")), encoding="utf-8")
            monkeypatch.setattr(sys, "stdin", fake)
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse exits for --help/--version and usage errors
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# Property-based tests (hypothesis) run the same examples on every machine: derandomized, no
# example database, no deadline (CI machines are slow and shared). HYPOTHESIS_PROFILE=dev
# explores new random examples instead, for a local bug hunt.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", database=None, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "big: generates a large input in tmp_path (tens of MB or a million "
                            "characters); bounded to a few seconds, so it runs in CI too")
