"""Third-party test inputs that `.ci/fetch_test_inputs.py` fetches at install time into `.ci/cache/`.

Tests never download. Outside CI a missing input skips the test with the command that fetches
it; in CI (CI=true) it fails, so a broken fetch step cannot pass silently.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import REPO

CACHE = REPO / ".ci" / "cache"
FETCH = "python .ci/fetch_test_inputs.py"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def ci_input(name: str) -> Path:
    path = CACHE / name
    if path.exists():
        return path
    message = f".ci/cache/{name} is missing: run `{FETCH}` (CI runs it at install time)"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)
