"""The built wheel carries the rulesets and works from outside the source tree.

The fresh environment gets the wheel with `--no-deps --no-index` (tests never use
the network); its dependencies come from this test environment on PYTHONPATH, which
does not process .pth files, so an editable install of the source tree cannot leak in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO, write

pytest.importorskip("hatchling")


def test_wheel_installs_and_lints_outside_the_source_tree(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "-w", str(dist), str(REPO)], check=True, capture_output=True)
    wheel = next(dist.glob("healthlint-*.whl"))
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                    "--target", site, str(wheel)], check=True, capture_output=True)
    assert (Path(site) / "healthlint" / "rulesets" / "claims.yaml").is_file()

    page = write(tmp_path / "elsewhere" / "page.md", "Our gummies cure insomnia.\n")
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    probe = subprocess.run([str(python), "-c", "import healthlint; print(healthlint.__file__)"],
                           capture_output=True, text=True, env=env, cwd=page.parent, check=True)
    assert probe.stdout.startswith(site)
    proc = subprocess.run([str(python), "-m", "healthlint", "check", "--format", "json", "--select", "claims",
                           "page.md"], capture_output=True, text=True, env=env, cwd=page.parent, check=False)
    assert proc.returncode == 1, proc.stderr
    assert [d["rule"] for d in json.loads(proc.stdout)] == ["claims/disease-claim"]
